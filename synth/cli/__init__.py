"""The ``synth`` command line: parse arguments, build settings, call the library, print.

Library errors (:class:`synth.errors.SynthError`) become one line ``ErrorName: message`` on
stderr and exit status 1, usage errors status 2, interrupts 130 (see :mod:`synth.cli._exit`);
anything else is a bug and keeps its traceback. Commands live in one module per area;
importing them registers them on :data:`app`.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from synth.cli import claims, evaluate, papers, reports, web  # noqa: F401  (registers the commands)
from synth.cli._common import app
from synth.cli._exit import run

__all__ = ["app", "main"]


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def main(argv: list[str] | None = None) -> None:
    """Console entry point: exit 0 ok, 1 error, 2 usage, 130 interrupted; one line on stderr."""
    sys.exit(run(app, sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
