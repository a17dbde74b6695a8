"""Keeping arXiv's pace: the shared retry policy and the throttled ``requests`` session.

arXiv's API terms ask for one request every three seconds on a single connection, and arXiv
answers 429/503 when it is busy. :class:`RetryingAdapter` spaces requests by
``settings.delay_seconds``, applies the time-out and backs off (honouring ``Retry-After``) on
429/503, time-outs and connection errors; :func:`build_session` mounts it on a session. The
same :class:`_RetryPolicy` (tenacity, exponential back-off with jitter) also drives empty-page
retries in ``_arxiv`` and PDF downloads in ``_download``.

Time is bounded twice, because a per-read time-out bounds neither: the back-off of one request
never sums to more than ``backoff_total_max`` (a ``Retry-After`` longer than what is left ends
the retries at once), and one API page or PDF never takes longer than ``deadline``, however
slowly the server drips its bytes.
"""

from __future__ import annotations

import inspect
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
import tenacity
import urllib3
from requests.adapters import BaseAdapter, HTTPAdapter

from synth import __version__
from synth.settings import RetrieveSettings

logger = logging.getLogger(__name__)

USER_AGENT = f"synth/{__version__} (literature synthesis tool)"
RETRY_STATUSES = frozenset({429, 503})
OFFLINE_HINT = "use --corpus DIR to work offline"


# --- retry policy -------------------------------------------------------------------------

# tenacity 9.2 renamed the first wait ``initial`` -> ``multiplier`` (the old name warns);
# pyproject allows tenacity 8.2, which knows only ``initial``.
_FIRST_WAIT = (
    "multiplier"
    if "multiplier" in inspect.signature(tenacity.wait_exponential_jitter).parameters
    else "initial"
)


class _DeadlineExceeded(Exception):
    """One page or file took longer than ``settings.deadline`` (never retried)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the {seconds:g} s deadline")
        self.seconds = seconds


class _RetryableStatus(Exception):
    """arXiv answered 429/503; carries what the back-off needs and what to return at the end."""

    def __init__(self, status: int, retry_after: float | None, response: Any = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after
        self.response = response


@dataclass(frozen=True)
class _RetryPolicy:
    """Exponential back-off with jitter, shared by API pages, empty pages and downloads."""

    attempts: int
    initial: float
    maximum: float
    sleep: Callable[[float], None] = time.sleep
    budget: float = math.inf  # most seconds of back-off, all waits of one request together
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def from_settings(
        cls,
        settings: RetrieveSettings,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> _RetryPolicy:
        return cls(
            max(1, settings.retries),
            settings.backoff_initial,
            settings.backoff_max,
            sleep,
            max(0.0, settings.backoff_total_max),
            clock,
        )

    def wait(self, state: tenacity.RetryCallState) -> float:
        # Jitter of up to half the first wait keeps waits growing while spreading clients apart.
        backoff = tenacity.wait_exponential_jitter(
            **{_FIRST_WAIT: self.initial}, max=self.maximum, jitter=self.initial / 2
        )(state)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _RetryableStatus) and exc.retry_after is not None:
            # Honour Retry-After, but cap it so a bogus header cannot stall a run for hours.
            backoff = max(backoff, min(exc.retry_after, self.maximum))
        return max(0.0, min(backoff, self.budget - state.idle_for))

    def should_stop(self, state: tenacity.RetryCallState, deadline_at: float | None) -> bool:
        """Out of attempts, of back-off budget, or of time; or told to wait past the budget."""
        left = self.budget - state.idle_for
        exc = state.outcome.exception() if state.outcome else None
        asked = exc.retry_after if isinstance(exc, _RetryableStatus) else None
        return (
            state.attempt_number >= self.attempts
            or left <= 0
            or (asked is not None and asked > left)
            or (deadline_at is not None and self.clock() >= deadline_at)
        )

    def retrying(
        self,
        retry_on: tuple[type[BaseException], ...],
        what: str,
        deadline_at: float | None = None,
    ) -> tenacity.Retrying:
        def log(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            wait = state.next_action.sleep if state.next_action else 0.0
            logger.warning(
                "%s: %s (attempt %d of %d); retrying in %.1f s",
                what,
                _describe(exc),
                state.attempt_number,
                self.attempts,
                wait,
            )

        return tenacity.Retrying(
            stop=lambda state: self.should_stop(state, deadline_at),
            wait=self.wait,
            retry=tenacity.retry_if_exception_type(retry_on),
            sleep=self.sleep,
            before_sleep=log,
            reraise=True,
        )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe(exc: BaseException | None) -> str:
    """A short, one-line name for a failure; library messages can span lines and whole URLs."""
    if exc is None:
        return "no error"
    if isinstance(exc, _RetryableStatus):
        return str(exc)
    return type(exc).__name__


# --- the API session ----------------------------------------------------------------------

_REQUESTS_RETRY_ON = (
    _RetryableStatus,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class RetryingAdapter(BaseAdapter):
    """A transport adapter that keeps arXiv's pace and retries what is worth retrying.

    Wraps another adapter (the real ``HTTPAdapter`` or, in tests, a replay adapter). Each
    request waits until ``delay_seconds`` have passed since the previous one, gets the
    configured time-out unless it has its own, and is retried with back-off on 429/503,
    time-outs and connection errors. After the last attempt a 429/503 response is returned
    as is, so the caller sees the status; a network error is raised.

    Example:
        >>> session = requests.Session()
        >>> session.mount("https://", RetryingAdapter(HTTPAdapter(), settings=RetrieveSettings()))
    """

    def __init__(
        self,
        inner: BaseAdapter | None = None,
        *,
        settings: RetrieveSettings,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.inner = inner or HTTPAdapter(pool_connections=1, pool_maxsize=1, pool_block=True)
        self.policy = _RetryPolicy.from_settings(settings, sleep, clock)
        self.delay = settings.delay_seconds
        self.timeout = settings.timeout
        self.deadline = settings.deadline
        self._clock = clock
        self._last_request: float | None = None
        # One request at a time, even across threads: arXiv's terms are per client.
        self._lock = threading.Lock()

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        timeout = self.timeout if timeout is None else timeout

        def attempt() -> requests.Response:
            self._wait_turn()
            response = self.inner.send(
                request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
            if not stream or response.status_code in RETRY_STATUSES:
                # Read the body here, not in Session.send: a time-out mid-body is then retried,
                # and a 429/503 frees the single pooled connection before the next attempt.
                _read_body(response, deadline_at, self._clock, self.deadline)
            if response.status_code in RETRY_STATUSES:
                retry_after = _retry_after(response.headers.get("Retry-After"))
                raise _RetryableStatus(response.status_code, retry_after, response)
            return response

        with self._lock:
            deadline_at = self._clock() + self.deadline
            retrying = self.policy.retrying(_REQUESTS_RETRY_ON, f"GET {request.url}", deadline_at)
            try:
                return retrying(attempt)
            except _RetryableStatus as exc:
                return exc.response

    def close(self) -> None:
        self.inner.close()

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            remaining = self.delay - (self._clock() - self._last_request)
            if remaining > 0:
                logger.debug("waiting %.2f s between arXiv requests", remaining)
                self.policy.sleep(remaining)
        self._last_request = self._clock()


def _read_body(
    response: requests.Response, deadline_at: float, clock: Callable[[], float], seconds: float
) -> None:
    """Load the body into ``response``, giving up at ``deadline_at``.

    ``read1`` returns whatever has arrived, so a server dripping a few bytes a second is
    noticed at the deadline rather than after a full buffer (which could take hours).
    """
    raw = response.raw
    if raw is None:  # already in memory (an adapter that replays recorded bodies)
        return
    read = getattr(raw, "read1", None) or raw.read
    chunks = []
    try:
        while chunk := read(_CHUNK, decode_content=True):
            chunks.append(chunk)
            if clock() > deadline_at:
                raise _DeadlineExceeded(seconds)
    except _DeadlineExceeded:
        response.close()
        raise
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(exc) from exc
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    # What requests itself does once it has read a body: later reads of .content use it.
    response._content = b"".join(chunks)
    response._content_consumed = True


_CHUNK = 64 * 1024


def build_session(
    settings: RetrieveSettings,
    *,
    adapter: BaseAdapter | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> requests.Session:
    """A session whose every request is throttled and retried by a :class:`RetryingAdapter`.

    Reuse one session for every arXiv call of a run: the delay is kept per session.

    Example:
        >>> session = build_session(RetrieveSettings())
        >>> papers = search("natural language inference", 10, settings=RetrieveSettings(),
        ...                 session=session)  # doctest: +SKIP
    """
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    retrying = RetryingAdapter(adapter, settings=settings, sleep=sleep, clock=clock)
    session.mount("https://", retrying)
    session.mount("http://", retrying)
    return session
