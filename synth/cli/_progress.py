"""Rich progress bars for the CLI (the library only reports through :mod:`synth.progress`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class _Task:
    def __init__(self, bar: RichProgress, task_id) -> None:
        self._bar, self._id = bar, task_id

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._id, steps)


class BarProgress:
    """One bar per stage on stderr; plain start/end lines when stderr is not a terminal."""

    def __init__(self, enabled: bool = True) -> None:
        self._console = Console(stderr=True)
        self._enabled = enabled and self._console.is_terminal

    @contextmanager
    def task(self, description: str, total: int | None) -> Iterator[_Task]:
        if not self._enabled:
            self._console.print(f"{description} ({total if total is not None else '?'})...")
            yield _Task(_NoBar(), None)
            return
        with RichProgress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self._console,
            transient=False,
        ) as bar:
            yield _Task(bar, bar.add_task(description, total=total))


class _NoBar:
    def advance(self, task_id, steps: int) -> None:
        return None
