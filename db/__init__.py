"""Alembic migrations of synth's database; installed as ``synth.migrations``."""
