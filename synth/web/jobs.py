"""Background jobs of the web app: a report from a question, an audit of an uploaded report.

One job runs at a time per database (:class:`JobManager` belongs to one app, which serves one
database): two pipelines writing the same SQLite file would only wait on each other, and the
NLI model would be loaded twice. A second submission gets :class:`BusyError` naming the job
that runs. Jobs run in a thread with their own session and report progress through the
library's :class:`synth.progress.Progress` protocol, which pages poll.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session

from synth.errors import BusyError, SynthError

logger = logging.getLogger(__name__)

JobFn = Callable[[Session, "JobProgress"], int | None]


@dataclass
class Job:
    """A job's state as pages and the API show it."""

    id: int
    kind: str
    title: str
    status: str = "queued"  # queued | running | done | failed
    stage: str = ""
    done: int = 0
    total: int | None = None
    stages: list[str] = field(default_factory=list)
    run_id: int | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def percent(self) -> int | None:
        """Progress of the current stage, when its size is known."""
        if self.status == "done":
            return 100
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "stages": list(self.stages),
            "run_id": self.run_id,
            "error": self.error,
            "seconds": round((self.finished or time.time()) - self.started, 1),
        }


class _Task:
    def __init__(self, job: Job) -> None:
        self.job = job

    def advance(self, steps: int = 1) -> None:
        self.job.done += steps

    def __enter__(self) -> _Task:
        return self

    def __exit__(self, *exc) -> None:
        return None


class JobProgress:
    """The library's progress protocol, written into a :class:`Job`."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def task(self, description: str, total: int | None) -> _Task:
        self.job.stage, self.job.done, self.job.total = description, 0, total
        self.job.stages.append(description)
        return _Task(self.job)


class JobManager:
    """Runs at most one job at a time over one engine and remembers every job's outcome."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._running: Job | None = None

    def get(self, job_id: int) -> Job | None:
        return self._jobs.get(job_id)

    def all(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: -j.id)

    def submit(self, kind: str, title: str, fn: JobFn) -> Job:
        """Start ``fn(session, progress)`` (which returns the run id it stored) in a thread."""
        with self._lock:
            if self._running is not None:
                running = self._running
                raise BusyError(
                    f"job {running.id} ({running.kind}: {running.title[:60]}) is still running "
                    "on this database",
                    hint="wait for it to finish, then submit again",
                )
            job = Job(next(self._ids), kind, title)
            self._jobs[job.id] = job
            self._running = job
        threading.Thread(target=self._run, args=(job, fn), daemon=True).start()
        return job

    def _run(self, job: Job, fn: JobFn) -> None:
        job.status = "running"
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                job.run_id = fn(session, JobProgress(job))
            job.status = "done"
        except SynthError as exc:
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a bug: keep the traceback in the log, not on the page
            logger.exception("job %s failed", job.id)
            job.status, job.error = "failed", f"internal error ({type(exc).__name__})"
        finally:
            job.finished = time.time()
            with self._lock:
                self._running = None

    def wait(self, job_id: int, timeout: float) -> Job:
        """Block until the job ends (for tests and scripts); returns it either way."""
        deadline = time.monotonic() + timeout
        job = self._jobs[job_id]
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.1)
        return job
