"""The storage stage: SQLModel tables and the functions that read and write them."""

from synth.store.db import has_fulltext, make_engine, migrate, open_database
from synth.store.models import (
    Claim,
    Evidence,
    HumanLabel,
    Paper,
    Run,
    RunPaper,
    Section,
    Sentence,
    Verification,
)

__all__ = [
    "Claim",
    "Evidence",
    "HumanLabel",
    "Paper",
    "Run",
    "RunPaper",
    "Section",
    "Sentence",
    "Verification",
    "has_fulltext",
    "make_engine",
    "migrate",
    "open_database",
]
