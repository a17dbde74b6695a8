"""What every command shares: the app, common options, settings, the database session."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from synth.settings import Settings

app = typer.Typer(
    name="synth",
    help="Literature synthesis and claim verification over arXiv papers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="NLI cross-encoder: Hugging Face id or local folder (default: SYNTH_NLI_MODEL "
        "or the model shipped with synth).",
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy database URL (default: SYNTH_DATABASE_URL or SQLite)."),
]


# Database ids are signed 64-bit integers: a larger number can only be a typo.
MAX_ID = 2**63 - 1


def unit_interval(value: float | None) -> float | None:
    """Reject confidences outside [0, 1], NaN and infinity before any query runs."""
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise typer.BadParameter(f"{value} is not a confidence; give a number from 0 to 1")
    return value


def non_blank(value: str | None) -> str | None:
    """An empty search would silently match everything; say so instead."""
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty; give at least one word, or leave the option out")
    return value


def build_settings(model: str | None = None, db: str | None = None, **extra) -> Settings:
    """Settings from the environment, with command-line values on top."""
    overrides = {k: v for k, v in {"nli_model": model, "database_url": db, **extra}.items() if v}
    return Settings(**overrides)


CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder of <arxiv_id>.pdf files standing in for arXiv (offline use).",
        file_okay=False,
    ),
]


def open_session(settings: Settings):
    """A session on the migrated database of ``settings``."""
    from sqlmodel import Session

    from synth.store import open_database

    return Session(open_database(settings))


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` and say so on stderr."""
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
