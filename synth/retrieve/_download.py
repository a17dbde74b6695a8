"""PDF downloads into the cache, with httpx.

PDFs are downloaded into ``settings.cache_dir`` and reused from there; a file appears under
its final name only once complete and checked to be a PDF. A download never takes longer than
``settings.deadline`` (retries included), and ``.part`` files left by a killed process are
removed once they are older than that. Retries use the same back-off as
the API session (``_http._RetryPolicy``); an httpx client can be injected so tests replay
responses through a ``MockTransport``.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from synth.errors import ConfigError, RateLimitError, RetrieveError
from synth.retrieve._http import (
    OFFLINE_HINT,
    RETRY_STATUSES,
    USER_AGENT,
    _DeadlineExceeded,
    _describe,
    _retry_after,
    _RetryableStatus,
    _RetryPolicy,
)
from synth.retrieve._ids import ABS_URL, _versioned, parse_arxiv_id
from synth.settings import RetrieveSettings

logger = logging.getLogger(__name__)

PDF_URL = "https://arxiv.org/pdf/{}"
PDF_MAGIC = b"%PDF"

_HTTPX_RETRY_ON = (
    _RetryableStatus,
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)


def download_pdf(
    arxiv_id: str,
    version: int | None,
    *,
    settings: RetrieveSettings,
    client: httpx.Client | None = None,
    pdf_url: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Path:
    """The paper's PDF in the cache, downloading it only when it is not there yet.

    The file appears under its final name only once complete and checked to be a PDF, so an
    interrupted run never leaves a truncated file that a later run would trust.

    Args:
        arxiv_id: e.g. ``"1810.04805"`` or ``"hep-th/9901001"`` (a version suffix is accepted).
        version: the version to fetch; ``None`` for arXiv's latest.
        settings: cache folder, retries, back-off and time-out.
        client: an httpx client (tests pass one with a ``MockTransport``).
        pdf_url: the URL from the search result; default ``https://arxiv.org/pdf/<id>v<n>``.
        sleep: how to wait between retries (tests pass a recorder).
        clock: a monotonic clock for the deadline (tests pass a fake one).

    Example:
        >>> path = download_pdf("1810.04805", 2, settings=RetrieveSettings())  # doctest: +SKIP
        >>> path.name  # doctest: +SKIP
        '1810.04805v2.pdf'

    Raises:
        RetrieveError: the download failed or arXiv sent something other than a PDF.
        RateLimitError: arXiv kept answering 429/503.
    """
    base_id, id_version = parse_arxiv_id(arxiv_id)
    version = version if version is not None else id_version
    name = _versioned(base_id, version)
    target = _cache_path(settings.cache_dir, base_id, version)
    if _is_pdf(target):
        logger.debug("%s: using cached %s", name, target)
        return target
    _remove_stale_parts(target, settings.deadline)
    url = pdf_url or PDF_URL.format(name)
    own_client = client is None
    http = client or httpx.Client(
        timeout=settings.timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    policy = _RetryPolicy.from_settings(settings, sleep, clock)
    deadline = _Deadline(clock() + settings.deadline, settings.deadline, clock)
    retrying = policy.retrying(_HTTPX_RETRY_ON, f"download {name}", deadline.at)
    try:
        retrying(_download, http, url, target, name, deadline)
    except _DeadlineExceeded as exc:
        raise RetrieveError(
            f"Downloading {name} {exc} (SYNTH_RETRIEVE__DEADLINE); the server is sending "
            f"too slowly: retry later, or {OFFLINE_HINT}."
        ) from exc
    except _RetryableStatus as exc:
        raise RateLimitError(
            f"arXiv is rate-limiting downloads (HTTP {exc.status} after {policy.attempts} "
            f"attempts for {name}); wait a few minutes and retry, or {OFFLINE_HINT}."
        ) from exc
    except httpx.HTTPError as exc:
        raise RetrieveError(
            f"Could not download {name} ({_describe(exc)}); check the network, or {OFFLINE_HINT}."
        ) from exc
    except OSError as exc:
        raise RetrieveError(
            f"Could not write {name} into {settings.cache_dir} ({exc.strerror or exc}); "
            "check free space and permissions, or set SYNTH_RETRIEVE__CACHE_DIR."
        ) from exc
    finally:
        if own_client:
            http.close()
    logger.info("%s: downloaded to %s", name, target)
    return target


def _cache_path(cache_dir: Path, arxiv_id: str, version: int | None) -> Path:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the PDF cache {cache_dir} ({exc.strerror or exc}); "
            "set SYNTH_RETRIEVE__CACHE_DIR to a writable folder."
        ) from exc
    return cache_dir / f"{_versioned(arxiv_id.replace('/', '_'), version)}.pdf"


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(PDF_MAGIC))
    except OSError:
        return False
    if head != PDF_MAGIC:
        logger.warning("%s is in the cache but is not a PDF; downloading it again", path)
        return False
    return True


@dataclass(frozen=True)
class _Deadline:
    """When one file's download must be over, whatever the server does."""

    at: float
    seconds: float
    clock: Callable[[], float]

    def check(self) -> None:
        if self.clock() > self.at:
            raise _DeadlineExceeded(self.seconds)


def _remove_stale_parts(target: Path, older_than_s: float) -> None:
    """Delete ``.part`` files of ``target`` that no live download can still be writing."""
    cutoff = time.time() - older_than_s
    for part in target.parent.glob(f".{target.stem}.*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
                logger.info("removed %s, left by an interrupted download", part)
        except OSError:
            continue  # another process removed or finished it


def _download(http: httpx.Client, url: str, target: Path, name: str, deadline: _Deadline) -> None:
    with http.stream("GET", url) as response:
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _RetryableStatus(status, _retry_after(response.headers.get("Retry-After")))
        if status != 200:
            raise RetrieveError(
                f"arXiv answered HTTP {status} for {url}; check that {name} exists "
                f"({ABS_URL.format(name)})."
            )
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}.", suffix=".part"
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                head = _write_checked(response.iter_bytes(), out, url, response, deadline)
            if head != PDF_MAGIC:
                raise _not_a_pdf(url, response, head)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _write_checked(
    chunks: Iterable[bytes], out: Any, url: str, response: httpx.Response, deadline: _Deadline
) -> bytes:
    """Copy chunks to ``out``, stopping at once if the body does not start like a PDF, or
    when the deadline passes (httpx's time-out is per read: a drip feed never trips it)."""
    head = b""
    for chunk in chunks:
        deadline.check()
        if len(head) < len(PDF_MAGIC):
            head = (head + chunk)[: len(PDF_MAGIC)]
            if len(head) == len(PDF_MAGIC) and head != PDF_MAGIC:
                raise _not_a_pdf(url, response, head)
        out.write(chunk)
    return head


def _not_a_pdf(url: str, response: httpx.Response, head: bytes) -> RetrieveError:
    kind = response.headers.get("Content-Type", "no content type").split(";")[0]
    return RetrieveError(
        f"{url} did not return a PDF (got {kind}, starting {head!r}); the paper may have no "
        "PDF or arXiv may be showing a notice, open the URL in a browser to check."
    )
