"""How a command ends: exit statuses, one-line errors, and interrupts.

Every way a command can stop is turned into a status and at most one line on stderr::

    0    done
    1    error        ``ErrorName: what failed and what to do`` (SynthError, database, file)
    2    usage        ``UsageError: ...; see 'synth CMD --help'`` (bad option, value, command)
    130  interrupted  ``Interrupted: ... what was kept`` (Ctrl-C or SIGTERM)

Typer bundles its own copy of click in recent versions and used the real click before, so
click's exceptions are recognised by class name, whichever copy raised them. Anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from synth.errors import NotFoundError, SynthError

OK, ERROR, USAGE, INTERRUPTED = 0, 1, 2, 130

# What survives an interrupt, by command: papers are committed one at a time as they are read.
_KEPT_BY_COMMAND = {
    "report": "papers read so far are stored and are not read again when you rerun it; "
    "no report was written",
    "ingest": "papers read so far are stored; rerun the same command to read the rest",
    "audit": "papers read so far are stored; no audit was written",
    "reverify": "verdicts of claims finished so far were not stored; rerun to verify them",
}
_KEPT_DEFAULT = "nothing was changed"
# Library errors carry the kind of row that is missing; the command line words the fix.
_LIST_COMMAND = {"claim": "synth claims", "run": "synth runs", "paper": "synth papers"}


def _is_click(exc: BaseException, name: str) -> bool:
    """Whether ``exc`` is click's or typer's ``name`` (real click or the copy in typer)."""
    return any(
        cls.__name__ == name and cls.__module__.split(".")[0] in ("click", "typer")
        for cls in type(exc).__mro__
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def usage_line(exc: Any) -> str:
    """Click's usage error as one line naming the help to read."""
    message = _one_line(exc.format_message()).rstrip(".")
    ctx = getattr(exc, "ctx", None)
    where = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
    return f"UsageError: {message}{where}"


def interrupted_line(argv: list[str]) -> str:
    """The line printed on Ctrl-C or SIGTERM, saying what was kept."""
    command = next((a for a in argv if not a.startswith("-")), "")
    kept = _KEPT_BY_COMMAND.get(command, _KEPT_DEFAULT)
    return f"Interrupted: stopped before the end; {kept}."


def error_line(exc: BaseException) -> tuple[str, int] | None:
    """The line and status for an exception the CLI reports itself; None for a real bug."""
    if isinstance(exc, SynthError):
        text = str(exc)
        if isinstance(exc, NotFoundError) and not exc.hint and exc.kind in _LIST_COMMAND:
            text += f"; list the ids with: {_LIST_COMMAND[exc.kind]}"
        return f"{type(exc).__name__}: {_one_line(text)}", ERROR
    if _is_click(exc, "NoArgsIsHelpError"):
        return exc.format_message().rstrip(), USAGE  # type: ignore[attr-defined]
    if _is_click(exc, "UsageError"):
        return usage_line(exc), USAGE
    if _is_click(exc, "ClickException"):
        return f"Error: {_one_line(exc.format_message())}", exc.exit_code  # type: ignore[attr-defined]
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        return _database_line(exc), ERROR
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        where = f" {exc.filename}" if exc.filename else ""
        return (
            f"FileError: cannot use{where} ({exc.strerror or exc}); "
            "check the path and its permissions",
            ERROR,
        )
    return None


def _database_line(exc: BaseException) -> str:
    cause = _one_line(str(getattr(exc, "orig", None) or exc).splitlines()[0])
    if "readonly" in cause or "read-only" in cause:
        return (
            f"StoreError: the database is read-only ({cause}); check the file's permissions "
            "or pass --db a writable database"
        )
    if "locked" in cause:
        return (
            f"StoreError: the database stayed locked by another synth ({cause}); "
            "wait for it to finish and retry"
        )
    return f"StoreError: a database operation failed ({cause}); check --db / SYNTH_DATABASE_URL"


def _stop_workers_and_interrupt(signum: int, _frame: Any) -> None:
    """Stop extraction worker processes first, so none is left running, then unwind."""
    for child in multiprocessing.active_children():
        child.terminate()
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextmanager
def interrupt_handlers():
    """SIGINT and SIGTERM both stop worker processes and raise KeyboardInterrupt.

    SIGTERM would otherwise kill only this process and orphan the extraction workers, and
    Ctrl-C would wait for every queued extraction before stopping.
    """
    if multiprocessing.current_process().name != "MainProcess":
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for sig in previous:
            signal.signal(sig, _stop_workers_and_interrupt)
    except ValueError:  # not the main thread (e.g. an embedding application): leave them
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(app: Callable[..., Any], argv: list[str]) -> int:
    """Run the typer ``app`` on ``argv`` and return the exit status, printing one line."""
    try:
        with interrupt_handlers():
            status = app(args=argv, prog_name="synth", standalone_mode=False)
    except KeyboardInterrupt:
        status = INTERRUPTED
    except BrokenPipeError:  # e.g. `synth claims | head`: the reader has what it wanted
        sys.stderr.close()
        return OK
    except Exception as exc:
        if _is_click(exc, "Exit"):
            return int(getattr(exc, "exit_code", 0) or 0)
        if _is_click(exc, "Abort"):
            status = INTERRUPTED
        else:
            reported = error_line(exc)
            if reported is None:
                raise
            if reported[0]:  # typer's rich help for a bare command has printed itself
                print(reported[0], file=sys.stderr)
            return reported[1]
    if status == INTERRUPTED:
        print(interrupted_line(argv), file=sys.stderr)
    return status if isinstance(status, int) else OK
