"""Every error synth raises on purpose, in one tree.

The CLI catches :class:`SynthError` and prints ``ErrorClass: message`` on one line, so each
message says what failed and what to do next::

    SynthError
    ├── ConfigError          bad settings, unknown option values
    ├── ModelError           an NLI/embedding model is missing, broken or has unusable labels
    ├── RetrieveError        arXiv search or PDF download failed
    │   └── RateLimitError   arXiv kept answering 429/503 after all retries
    ├── ExtractError         a PDF cannot be read (corrupt, encrypted, empty, not a PDF)
    ├── NothingReadError     every paper of an ingest or a report failed: nothing to work on
    ├── StoreError           the database cannot be opened or migrated
    ├── ReportParseError     a report file for ``synth audit`` is not in a known layout
    ├── NotFoundError        a claim, run or paper id that is not in the database
    └── BusyError            a job is already running on this database (web app)

Third-party exceptions are wrapped with ``raise ... from exc`` so the cause stays attached.
Errors carry data as well as words: every error has an optional ``hint`` (what to do, worded
for any front end), and :class:`NotFoundError` has ``kind`` and ``id``, so the command line and
the web app can each word the fix their own way.
"""

from __future__ import annotations


class SynthError(Exception):
    """Base class of all errors synth raises deliberately.

    ``str(error)`` is the message followed by the hint, as the command line prints it;
    ``error.message`` and ``error.hint`` are the two apart.
    """

    def __init__(self, message: str = "", *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class ConfigError(SynthError):
    """Settings or command-line values that cannot work."""


class ModelError(SynthError):
    """A model cannot be loaded or its labels cannot be mapped to NLI verdicts."""


class RetrieveError(SynthError):
    """Searching arXiv or downloading a paper failed."""


class RateLimitError(RetrieveError):
    """arXiv still answered 429/503 after every retry."""


class ExtractError(SynthError):
    """A PDF could not be turned into text."""


class NothingReadError(SynthError):
    """Not one paper could be read, so there is nothing to store or verify.

    ``failures`` holds ``(paper, message)`` pairs, one per paper that failed.
    """

    def __init__(
        self,
        message: str = "",
        *,
        failures: tuple[tuple[str, str], ...] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.failures = failures


class StoreError(SynthError):
    """The database could not be opened, migrated or written."""


class ReportParseError(SynthError):
    """A report given to ``synth audit`` is in no layout synth can read."""


class NotFoundError(SynthError):
    """An id that the database does not hold.

    Example:
        >>> err = NotFoundError(kind="claim", id=42)
        >>> str(err), err.kind, err.id
        ('no claim with id 42', 'claim', 42)
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        kind: str | None = None,
        id: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message or f"no {kind or 'row'} with id {id}", hint=hint)
        self.kind = kind
        self.id = id


class BusyError(SynthError):
    """The web app runs one job (report or audit) at a time per database; one is running."""
