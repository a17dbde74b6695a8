"""Engine, migrations and sessions, built from settings (no module-level engine).

Example:
    >>> engine = open_database(Settings(database_url="sqlite:///:memory:"))  # doctest: +SKIP
    >>> with Session(engine) as session: ...
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import create_engine

from synth.errors import StoreError
from synth.settings import Settings

logger = logging.getLogger(__name__)

# The top-level db/ folder, installed as the package synth.migrations (see setup.py); Alembic
# needs a real folder, which an installed wheel or an editable checkout both are.
MIGRATIONS_DIR = Path(str(resources.files("synth.migrations")))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the full-text index (migration 0002, not in the models) out of model comparisons."""
    return not (name or "").startswith(("claim_fts", "text_search", "ix_claim_text_search"))


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its folder created and foreign keys switched on."""
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(
            f"cannot use database URL {url!r} ({exc}); give an SQLAlchemy URL such as "
            "sqlite:///synth.db or postgresql+psycopg://user@host/db"
        ) from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cur.close()

    return engine


def _alembic_config() -> Config:
    if not (MIGRATIONS_DIR / "env.py").exists():
        raise StoreError(
            f"database migrations not found in {MIGRATIONS_DIR}; reinstall synth "
            "(pip install synth, or pip install -e . in a checkout)"
        )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; a no-op when it is already there."""
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.begin() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return
            logger.info("migrating database %s -> %s", current, head)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot open or migrate the database at {engine.url!r}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}; check --db / SYNTH_DATABASE_URL"
        ) from exc


def open_database(settings: Settings) -> Engine:
    """The migrated engine for ``settings``."""
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return engine


def has_fulltext(engine: Engine) -> bool:
    """Whether the claim full-text index exists (SQLite FTS5 or PostgreSQL tsvector)."""
    insp = inspect(engine)
    if engine.dialect.name == "sqlite":
        return "claim_fts" in insp.get_table_names()
    if engine.dialect.name == "postgresql":
        return any(c["name"] == "text_search" for c in insp.get_columns("claim"))
    return False
