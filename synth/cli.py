"""The ``synth`` command line: parse arguments, build settings, call the library, print.

Library errors (:class:`synth.errors.SynthError`) become one line ``ErrorName: message`` on
stderr and exit status 1; nothing else is caught, so real bugs keep their traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from synth.errors import SynthError
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


def build_settings(model: str | None = None, db: str | None = None, **extra) -> Settings:
    """Settings from the environment, with command-line values on top."""
    overrides = {k: v for k, v in {"nli_model": model, "database_url": db, **extra}.items() if v}
    return Settings(**overrides)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command("eval-nli")
def eval_nli(
    file: Annotated[Path, typer.Argument(help="JSON lines {premise, hypothesis, label}.")],
    model: ModelOpt = None,
    batch_size: Annotated[int, typer.Option(help="Pairs per forward pass.")] = 64,
) -> None:
    """Measure an NLI model on labelled pairs: per-class precision/recall, accuracy, macro-F1.

    Labels are entailment|neutral|contradiction, or entailment|not_entailment (then a 3-way
    model's entailment is scored against the rest). The last line is one JSON object.

    Example: synth eval-nli pairs.jsonl --model cross-encoder/nli-deberta-v3-base
    """
    from synth.verify.evaluate import evaluate, read_examples
    from synth.verify.model import load_verifier

    settings = build_settings(model)
    examples = read_examples(file)
    verifier = load_verifier(settings.nli_model, batch_size, settings.verify.max_length)
    result = evaluate(verifier, examples, progress=sys.stderr.isatty())
    typer.echo(f"model: {settings.nli_model}   file: {file}   pairs: {result.n}")
    typer.echo(f"{'label':15s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}")
    for c in result.per_class:
        typer.echo(f"{c.label:15s} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f} {c.support:8d}")
    typer.echo(
        f"accuracy {result.accuracy:.4f}   macro-F1 {result.macro_f1:.4f}   "
        f"{result.pairs_per_s:.1f} pairs/s"
    )
    typer.echo(json.dumps(result.summary()))


def main() -> None:
    """Console entry point: run the app, turning SynthError into a one-line message."""
    try:
        app(standalone_mode=False)
    except SynthError as exc:
        typer.echo(f"{type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
