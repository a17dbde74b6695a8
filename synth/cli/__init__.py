"""The ``synth`` command line: parse arguments, build settings, call the library, print.

Library errors (:class:`synth.errors.SynthError`) become one line ``ErrorName: message`` on
stderr and exit status 1; nothing else is caught, so real bugs keep their traceback. Commands
live in one module per area; importing them registers them on :data:`app`.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from synth.cli import claims, papers, reports, web  # noqa: F401  (registers the commands)
from synth.cli._common import app
from synth.errors import SynthError

__all__ = ["app", "main"]


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


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
