"""The real retrieval code against a misbehaving arXiv on loopback: storms, hangs, drips, garbage.

A stdlib HTTP server in a thread plays arXiv; synth reaches it through
``SYNTH_RETRIEVE__API_URL`` (and the PDF links of its feeds), so every layer runs as in
production: requests and httpx, the retry policy, the feed checks, the CLI. Deadlines and
back-off are set to fractions of a second so the whole module takes seconds.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from synth.errors import RateLimitError, RetrieveError
from synth.ingest import require_arxiv
from synth.retrieve import download_pdf, fetch_metadata, search
from synth.settings import RetrieveSettings, Settings

from conftest import API, need

Behaviour = Callable[[BaseHTTPRequestHandler], None]
PDF_BODY = b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF\n"


class Arxiv(ThreadingHTTPServer):
    """A loopback server whose every answer is chosen by the test (``behaviour``)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour: Behaviour = lambda h: h.send_error(500)
        self.requests: list[str] = []
        self.release = threading.Event()  # ends handlers that hang

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.server.behaviour(self)

    do_HEAD = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def arxiv() -> Iterator[Arxiv]:
    server = Arxiv()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast(arxiv, tmp_path) -> RetrieveSettings:
    """Settings that give up within a second or two, pointing at the loopback arXiv."""
    return RetrieveSettings(
        api_url=f"{arxiv.url}/api/query",
        delay_seconds=0.0,
        retries=3,
        backoff_initial=0.01,
        backoff_max=0.05,
        backoff_total_max=2.0,
        timeout=0.5,
        deadline=1.5,
        cache_dir=tmp_path / "pdfs",
    )


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Behaviour:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            h.send_header(name, value)
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    return answer


def drip(body: bytes, every_s: float = 0.05, content_type: str = "application/atom+xml"):
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(len(body)):
            if h.server.release.is_set():
                return
            h.wfile.write(body[i : i + 1])
            h.wfile.flush()
            time.sleep(every_s)

    return answer


def hang(h: BaseHTTPRequestHandler) -> None:
    h.server.release.wait(30)


def _feed(name: str) -> bytes:
    return (need(API) / "arxiv.py-golden" / name).read_bytes()


def _timed(call: Callable[[], object]) -> tuple[BaseException | None, float]:
    start = time.monotonic()
    try:
        call()
    except Exception as exc:
        return exc, time.monotonic() - start
    return None, time.monotonic() - start


# --- the API URL setting --------------------------------------------------------------------


def test_api_url_setting_reaches_search_metadata_and_probe(arxiv, fast, monkeypatch):
    arxiv.behaviour = reply(200, _feed("id_1605.08386_s0_m100_199195aa31ad.xml"))
    papers = fetch_metadata(["1605.08386"], settings=fast)
    assert [p.arxiv_id for p in papers] == ["1605.08386"]
    assert search("all:testing", 1, settings=fast)
    monkeypatch.setenv("SYNTH_RETRIEVE__API_URL", fast.api_url)
    settings = Settings(offline=False)
    assert settings.retrieve.api_url == fast.api_url
    require_arxiv(settings)  # the reachability probe goes to the mirror too
    assert all(path.startswith("/api/query?") for path in arxiv.requests)
    assert len(arxiv.requests) == 3


def test_names_decoded_twice_in_a_recorded_feed_are_repaired(arxiv, fast):
    # This recorded response spells "Sébastien Lafond" as "SÃ©bastien Lafond" (its UTF-8 bytes
    # read as Latin-1 and encoded again); a report must not print that.
    feed = _feed("q_testing_s20_m10_348a237fecab.xml")
    assert "SÃ©bastien".encode() in feed
    arxiv.behaviour = reply(200, feed)
    papers = search("all:testing", 10, settings=fast)
    authors = [a for p in papers for a in p.authors]
    assert "Sébastien Lafond" in authors
    text = " ".join([*authors, *(p.title for p in papers), *(p.abstract for p in papers)])
    assert "Ã" not in text and "â€" not in text


def test_unreachable_mirror_is_named(tmp_path):
    settings = Settings(
        offline=False, retrieve=RetrieveSettings(api_url="http://127.0.0.1:9/api/query")
    )
    with pytest.raises(RetrieveError, match=r"cannot be reached at http://127\.0\.0\.1:9"):
        require_arxiv(settings)


# --- storms and waits -----------------------------------------------------------------------


def test_429_storm_gives_up_after_the_retries(arxiv, fast):
    arxiv.behaviour = reply(429, b"slow down", {"Retry-After": "0"})
    error, took = _timed(lambda: search("all:testing", 5, settings=fast))
    assert isinstance(error, RateLimitError)
    assert "rate-limiting" in str(error) and "--corpus" in str(error)
    assert len(arxiv.requests) == fast.retries
    assert took < 5


def test_huge_retry_after_ends_at_once_instead_of_waiting(arxiv, fast):
    arxiv.behaviour = reply(503, b"", {"Retry-After": "100000"})
    error, took = _timed(lambda: search("all:testing", 5, settings=fast))
    assert isinstance(error, RateLimitError)
    assert len(arxiv.requests) == 1  # told to wait longer than the back-off budget: stop
    assert took < 2


def test_total_backoff_is_capped(arxiv, fast):
    arxiv.behaviour = reply(429, b"", {"Retry-After": "0.3"})  # not digits: ignored
    budget = fast.model_copy(update={"retries": 50, "backoff_max": 0.2, "backoff_total_max": 0.6})
    error, took = _timed(lambda: search("all:testing", 5, settings=budget))
    assert isinstance(error, RateLimitError)
    assert took < 3 and len(arxiv.requests) < 50


def test_hanging_server_times_out_and_is_one_error(arxiv, fast):
    arxiv.behaviour = hang
    error, took = _timed(lambda: search("all:testing", 5, settings=fast))
    assert isinstance(error, RetrieveError) and "Could not reach arXiv" in str(error)
    assert took < 2 * fast.deadline + fast.timeout


def test_dripped_feed_is_cut_at_the_deadline(arxiv, fast):
    arxiv.behaviour = drip(_feed("q_testing_s0_m10_bc5a6c384fe9.xml"))
    error, took = _timed(lambda: search("all:testing", 5, settings=fast))
    assert isinstance(error, RetrieveError) and "deadline" in str(error), error
    assert took < fast.deadline + 2 * fast.timeout


# --- garbage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff garbage \x13\x37" * 20,
        b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>",
        b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry>",
    ],
    ids=["empty", "binary", "html", "feed-without-count", "cut-off"],
)
def test_garbage_feed_is_an_error_naming_arxiv_not_no_papers(arxiv, fast, body):
    arxiv.behaviour = reply(200, body, {"Content-Type": "text/html"})
    with pytest.raises(RetrieveError, match="arXiv sent an unreadable answer"):
        search("all:testing", 5, settings=fast)


def test_cli_search_through_the_setting_prints_one_line(arxiv, fast):
    arxiv.behaviour = reply(200, b"<html>maintenance</html>")
    env = {**os.environ, "SYNTH_OFFLINE": "0", "SYNTH_RETRIEVE__API_URL": fast.api_url}
    done = subprocess.run(
        [sys.executable, "-c", "from synth.cli import main; main()", "search", "all:testing"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("RetrieveError: arXiv sent an unreadable")


# --- PDF downloads --------------------------------------------------------------------------


def test_pdf_download_from_the_mirror(arxiv, fast):
    arxiv.behaviour = reply(200, PDF_BODY, {"Content-Type": "application/pdf"})
    path = download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/1605.08386v1")
    assert path.read_bytes() == PDF_BODY


def test_dripped_pdf_is_cut_at_the_deadline_and_leaves_no_part_file(arxiv, fast):
    arxiv.behaviour = drip(PDF_BODY, content_type="application/pdf")
    error, took = _timed(
        lambda: download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/x")
    )
    assert isinstance(error, RetrieveError) and "deadline" in str(error), error
    assert took < fast.deadline + 2 * fast.timeout
    assert list(fast.cache_dir.iterdir()) == []


def test_pdf_429_storm_and_hang(arxiv, fast):
    arxiv.behaviour = reply(429, b"", {"Retry-After": "0"})
    with pytest.raises(RateLimitError):
        download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/x")
    arxiv.behaviour = hang
    error, took = _timed(
        lambda: download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/x")
    )
    assert isinstance(error, RetrieveError) and "Could not download" in str(error)
    assert took < 2 * fast.deadline + fast.timeout


def test_stale_part_file_of_a_killed_download_is_removed(arxiv, fast):
    fast.cache_dir.mkdir(parents=True)
    stale = fast.cache_dir / ".1605.08386v1.abc123.part"
    stale.write_bytes(b"%PDF half")
    old = time.time() - 10 * fast.deadline
    os.utime(stale, (old, old))
    fresh = fast.cache_dir / ".1605.08386v1.def456.part"  # may be another live download
    fresh.write_bytes(b"%PDF")
    arxiv.behaviour = reply(200, PDF_BODY)
    download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/x")
    assert not stale.exists() and fresh.exists()


def test_not_a_pdf_is_refused(arxiv, fast):
    arxiv.behaviour = reply(200, b"<html>captcha</html>", {"Content-Type": "text/html"})
    with pytest.raises(RetrieveError, match="did not return a PDF"):
        download_pdf("1605.08386", 1, settings=fast, pdf_url=f"{arxiv.url}/pdf/x")
    assert not any(Path(fast.cache_dir).iterdir())
