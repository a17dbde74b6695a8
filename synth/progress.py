"""Progress reporting that the library emits and the CLI draws.

The library never prints: stages call ``progress.task(...)`` and ``advance()``; the CLI passes a
Rich-backed implementation, tests and library users get :data:`SILENT`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol


class Task(Protocol):
    def advance(self, steps: int = 1) -> None: ...


class Progress(Protocol):
    def task(self, description: str, total: int | None) -> AbstractContextManager[Task]: ...


class _NullTask:
    def advance(self, steps: int = 1) -> None:
        return None

    def __enter__(self) -> _NullTask:
        return self

    def __exit__(self, *exc) -> None:
        return None


class _Silent:
    def task(self, description: str, total: int | None) -> _NullTask:
        return _NullTask()


SILENT: Progress = _Silent()
