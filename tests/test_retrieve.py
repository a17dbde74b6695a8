"""synth.retrieve against arXiv responses recorded by arxiv.py, replayed without a network."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import arxiv
import httpx
import pytest
import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict

from synth.errors import RateLimitError, RetrieveError
from synth.retrieve import (
    PaperMeta,
    RetryingAdapter,
    build_session,
    download_pdf,
    fetch_metadata,
    make_client,
    parse_arxiv_id,
    search,
)
from synth.settings import RetrieveSettings

# --- replaying the API ----------------------------------------------------------------------


def _key(url: str) -> frozenset[tuple[str, str]]:
    """Requests are matched on their query parameters, whatever their order or escaping."""
    return frozenset(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _params(**params: object) -> frozenset[tuple[str, str]]:
    base = {"search_query": "", "id_list": "", "sortBy": "relevance", "sortOrder": "descending"}
    base.update({name: str(value) for name, value in params.items()})
    return frozenset(base.items())


@dataclass
class Reply:
    """A synthesised answer: arXiv's status-only 429/503 pages, or a given body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    params: dict[str, str]
    at: float
    timeout: object


class ReplayAdapter(BaseAdapter):
    """Serves the golden files; scripted replies for a request are served first, in order."""

    def __init__(self, api_dir: Path, clock: FakeClock | None = None) -> None:
        super().__init__()
        self.recorded: dict[frozenset, Reply] = {}
        for path in sorted((api_dir / "arxiv.py-golden").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            self.recorded[_key(data["url"])] = Reply(data["status_code"], data["body"].encode())
        self.scripted: dict[frozenset, Iterator[Reply | BaseException]] = {}
        self.calls: list[Call] = []
        self.clock = clock

    def script(self, key: frozenset, replies: Iterator[Reply | BaseException]) -> None:
        self.scripted[key] = iter(replies)

    def body(self, key: frozenset) -> bytes:
        return self.recorded[key].body

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        key = _key(request.url)
        self.calls.append(Call(dict(key), self.clock.now if self.clock else 0.0, timeout))
        reply = next(self.scripted.get(key, iter(())), None) or self.recorded.get(key)
        if reply is None:
            raise AssertionError(f"no recorded response for {request.url}")
        if isinstance(reply, BaseException):
            raise reply
        response = requests.Response()
        response.status_code = reply.status
        response._content = reply.body
        response.headers = CaseInsensitiveDict(reply.headers)
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


class FakeClock:
    """A monotonic clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def settings(tmp_path: Path) -> RetrieveSettings:
    return RetrieveSettings(
        delay_seconds=0.0,
        retries=4,
        backoff_initial=1.0,
        backoff_max=60.0,
        timeout=7.0,
        cache_dir=tmp_path / "pdfs",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def replay(api_dir: Path, clock: FakeClock) -> ReplayAdapter:
    return ReplayAdapter(api_dir, clock)


@pytest.fixture
def session(settings, replay, clock) -> requests.Session:
    return build_session(settings, adapter=replay, sleep=clock.sleep, clock=clock.monotonic)


TESTING_S0 = _params(search_query="testing", start=0, max_results=10)
TESTING_S10 = _params(search_query="testing", start=10, max_results=10)
TESTING_S20 = _params(search_query="testing", start=20, max_results=10)
EMPTY_FEED = _params(id_list="0000.0000", start=0, max_results=100)


def _starts(replay: ReplayAdapter) -> list[int]:
    return [int(call.params["start"]) for call in replay.calls]


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1810.04805", ("1810.04805", None)),
        ("1810.04805v2", ("1810.04805", 2)),
        ("arXiv:1810.04805v2", ("1810.04805", 2)),
        ("https://arxiv.org/abs/1810.04805v2", ("1810.04805", 2)),
        ("http://arxiv.org/pdf/1810.04805v2.pdf", ("1810.04805", 2)),
        ("http://arxiv.org/abs/1605.08386v1", ("1605.08386", 1)),
        ("hep-th/9901001v1", ("hep-th/9901001", 1)),
        ("https://arxiv.org/abs/quant-ph/0201082v1", ("quant-ph/0201082", 1)),
        ("math.GT/0309136", ("math.GT/0309136", None)),
        ("  2104.12255  ", ("2104.12255", None)),
    ],
)
def test_parse_arxiv_id_accepts_every_printed_form(text, expected):
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["abc", "", "1810.048", "1810.04805v", "https://example.org/abs/1810.04805", "see\n1810.04805"],
)
def test_parse_arxiv_id_rejects_with_an_example(text):
    with pytest.raises(RetrieveError) as info:
        parse_arxiv_id(text)
    message = str(info.value)
    assert "\n" not in message
    assert "not an arXiv id" in message
    assert "1810.04805" in message


def test_abs_url_pins_the_version_only_when_known():
    paper = PaperMeta("hep-th/9901001", 1, "t", [], None, [], "")
    assert paper.abs_url == "https://arxiv.org/abs/hep-th/9901001v1"
    assert PaperMeta("1810.04805", None, "t", [], None, [], "").abs_url == (
        "https://arxiv.org/abs/1810.04805"
    )


# --- search and metadata ------------------------------------------------------------------------


def test_search_pages_through_results(settings, session, replay):
    paged = settings.model_copy(update={"page_size": 10})
    papers = search("testing", 25, settings=paged, session=session)

    assert len(papers) == 25
    assert _starts(replay) == [0, 10, 20]
    assert {call.params["max_results"] for call in replay.calls} == {"10"}
    first_page = arxiv._feed.parse(replay.body(TESTING_S0)).results
    assert [p.arxiv_id for p in papers[:10]] == [parse_arxiv_id(r.entry_id)[0] for r in first_page]
    for paper in papers:
        assert paper.title and paper.title == " ".join(paper.title.split())
        assert paper.abstract == " ".join(paper.abstract.split())
        assert paper.authors and paper.categories and paper.version
        assert paper.year == paper.published.year


def test_search_asks_for_no_more_than_it_needs(settings, session, replay):
    papers = search("testing", 15, settings=settings, session=session)

    assert len(papers) == 15
    assert [call.params["max_results"] for call in replay.calls] == ["15"]


@pytest.mark.parametrize(
    ("requested", "arxiv_id", "version", "title", "authors", "year", "categories"),
    [
        (
            "1605.08386",
            "1605.08386",
            1,
            "Heat-bath random walks with Markov bases",
            ["Caprice Stanley", "Tobias Windisch"],
            2016,
            ["math.CO", "math.ST"],
        ),
        ("2104.12255v1", "2104.12255", 1, "0", ["Quan Thoi Minh Nguyen"], 2021, ["cs.CR"]),
        (
            "astro-ph/0601001",
            "astro-ph/0601001",
            1,
            "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys "
            "Toward the Galactic Bulge and Carina",
            ["Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski"],
            2006,
            ["astro-ph"],
        ),
        (
            "quant-ph/0201082v1",
            "quant-ph/0201082",
            1,
            "Quantum Computers and Quantum Computer Languages: Quantum Assembly Language and "
            "Quantum C Language",
            ["Stephen Blaha"],
            2002,
            ["quant-ph", "cs.PL"],
        ),
    ],
)
def test_fetch_metadata_by_id(
    settings, session, replay, requested, arxiv_id, version, title, authors, year, categories
):
    (paper,) = fetch_metadata([requested], settings=settings, session=session)

    assert replay.calls[0].params["id_list"] == requested
    assert (paper.arxiv_id, paper.version, paper.year, paper.categories) == (
        arxiv_id,
        version,
        year,
        categories,
    )
    assert paper.title == title
    assert paper.authors == authors
    assert paper.pdf_url == f"https://arxiv.org/pdf/{arxiv_id}v{version}"
    assert paper.abs_url == f"https://arxiv.org/abs/{arxiv_id}v{version}"
    assert not paper.abstract.startswith(" ") and "  " not in paper.abstract


def test_fetch_metadata_accepts_urls(settings, session, replay):
    (paper,) = fetch_metadata(
        ["https://arxiv.org/abs/1605.08386"], settings=settings, session=session
    )
    assert paper.arxiv_id == "1605.08386"


def test_fetch_metadata_logs_ids_arxiv_does_not_know(settings, session, caplog):
    with caplog.at_level(logging.WARNING, logger="synth.retrieve"):
        papers = fetch_metadata(["0808.05394", "1707.08567"], settings=settings, session=session)

    assert [p.arxiv_id for p in papers] == ["1707.08567"]
    assert "no paper for 0808.05394" in caplog.text


def test_empty_result_is_not_an_error(settings, session, replay):
    assert fetch_metadata(["0000.0000"], settings=settings, session=session) == []
    assert len(replay.calls) == 1


def test_malformed_ids_fail_before_any_request(settings, session, replay):
    with pytest.raises(RetrieveError, match="'abc' is not an arXiv id"):
        fetch_metadata(["1605.08386", "abc"], settings=settings, session=session)
    assert fetch_metadata([], settings=settings, session=session) == []
    assert replay.calls == []


def test_http_400_error_feed_gives_arxivs_reason(settings, session, replay):
    client = make_client(settings, session)

    with pytest.raises(RetrieveError) as info:
        list(client.results(arxiv.Search(id_list=["abc"])))

    assert not isinstance(info.value, RateLimitError)
    assert str(info.value) == (
        "arXiv rejected the query id_list=abc (HTTP 400): incorrect id format for abc"
    )
    assert len(replay.calls) == 1  # a rejected query is not retried


# --- retries and pacing ---------------------------------------------------------------------------


def test_429_then_503_then_success_backs_off(settings, session, replay, clock):
    replay.script(TESTING_S0, [Reply(429), Reply(503)])

    papers = search("testing", 10, settings=settings, session=session)

    assert len(papers) == 10
    assert len(replay.calls) == 3
    assert len(clock.sleeps) == 2
    assert settings.backoff_initial <= clock.sleeps[0] < clock.sleeps[1]
    assert clock.sleeps[1] >= 2 * settings.backoff_initial


def test_retry_after_header_is_honoured(settings, session, replay, clock):
    replay.script(TESTING_S0, [Reply(429, headers={"Retry-After": "30"})])

    search("testing", 10, settings=settings, session=session)

    assert clock.sleeps == [30.0]


def test_429_forever_raises_rate_limit_error(settings, session, replay, clock):
    replay.script(TESTING_S0, itertools.repeat(Reply(429)))

    with pytest.raises(RateLimitError) as info:
        search("testing", 10, settings=settings, session=session)

    assert len(replay.calls) == settings.retries
    assert "\n" not in str(info.value)
    assert "rate-limiting" in str(info.value) and "--corpus DIR" in str(info.value)
    assert clock.sleeps == sorted(clock.sleeps)
    assert max(clock.sleeps) <= settings.backoff_max


def test_connection_failure_suggests_offline_corpus(settings, session, replay):
    replay.script(TESTING_S0, itertools.repeat(requests.ConnectionError("no route to host")))

    with pytest.raises(RetrieveError) as info:
        search("testing", 10, settings=settings, session=session)

    assert not isinstance(info.value, RateLimitError)
    assert "--corpus DIR" in str(info.value)
    assert isinstance(info.value.__cause__, requests.ConnectionError)
    assert len(replay.calls) == settings.retries


def test_time_out_is_retried_and_default_timeout_applied(settings, session, replay):
    replay.script(TESTING_S0, [requests.exceptions.ReadTimeout("slow")])

    assert len(search("testing", 10, settings=settings, session=session)) == 10
    assert [call.timeout for call in replay.calls] == [settings.timeout] * 2


def test_persistent_empty_page_returns_partial_results(settings, session, replay, caplog):
    paged = settings.model_copy(update={"page_size": 10})
    empty = Reply(200, replay.body(EMPTY_FEED))
    replay.script(TESTING_S10, itertools.repeat(empty))

    with caplog.at_level(logging.WARNING, logger="synth.retrieve"):
        papers = search("testing", 25, settings=paged, session=session)

    assert len(papers) == 10
    assert _starts(replay) == [0] + [10] * settings.retries
    assert "keeping the 10 papers found so far" in caplog.text


def test_empty_page_once_is_retried(settings, session, replay):
    paged = settings.model_copy(update={"page_size": 10})
    replay.script(TESTING_S10, [Reply(200, replay.body(EMPTY_FEED))])

    papers = search("testing", 25, settings=paged, session=session)

    assert len(papers) == 25
    assert _starts(replay) == [0, 10, 10, 20]


def test_requests_are_spaced_by_the_delay(settings, replay, clock):
    polite = settings.model_copy(update={"delay_seconds": 3.0, "page_size": 10})
    session = build_session(polite, adapter=replay, sleep=clock.sleep, clock=clock.monotonic)

    search("testing", 25, settings=polite, session=session)

    times = [call.at for call in replay.calls]
    assert times == [0.0, 3.0, 6.0]
    assert clock.sleeps == [3.0, 3.0]


def test_default_session_uses_one_pooled_connection(settings):
    adapter = build_session(settings).get_adapter("https://export.arxiv.org/api/query")
    assert isinstance(adapter, RetryingAdapter)
    assert isinstance(adapter.inner, HTTPAdapter)
    assert adapter.inner._pool_maxsize == 1
    assert adapter.timeout == settings.timeout


# --- PDF downloads --------------------------------------------------------------------------------

PDF_NAME = "1602.03483.pdf"


@pytest.fixture
def pdf_bytes(pdf_dir: Path) -> bytes:
    return (pdf_dir / PDF_NAME).read_bytes()


class Server:
    """An httpx MockTransport handler answering from a script, then with the PDF."""

    def __init__(self, pdf: bytes, script: list | None = None) -> None:
        self.pdf = pdf
        self.script = list(script or [])
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        reply = self.script.pop(0) if self.script else None
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return httpx.Response(200, content=self.pdf, headers={"Content-Type": "application/pdf"})

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def _cache_files(settings: RetrieveSettings) -> list[str]:
    return sorted(path.name for path in settings.cache_dir.iterdir())


def test_download_then_cache_hit(settings, pdf_bytes):
    server = Server(pdf_bytes)

    path = download_pdf("1602.03483", 1, settings=settings, client=server.client())
    again = download_pdf("1602.03483", 1, settings=settings, client=server.client())

    assert path == again == settings.cache_dir / "1602.03483v1.pdf"
    assert path.read_bytes() == pdf_bytes
    assert server.urls == ["https://arxiv.org/pdf/1602.03483v1"]
    assert _cache_files(settings) == ["1602.03483v1.pdf"]


def test_download_old_style_id_and_given_url(settings, pdf_bytes):
    server = Server(pdf_bytes)

    old = download_pdf("hep-th/9901001", None, settings=settings, client=server.client())
    given = download_pdf(
        "1605.08386v1",
        None,
        settings=settings,
        client=server.client(),
        pdf_url="https://arxiv.org/pdf/1605.08386v1",
    )

    assert old.name == "hep-th_9901001.pdf"
    assert given.name == "1605.08386v1.pdf"
    assert server.urls == [
        "https://arxiv.org/pdf/hep-th/9901001",
        "https://arxiv.org/pdf/1605.08386v1",
    ]


def test_non_pdf_body_is_refused_and_not_kept(settings, pdf_bytes):
    page = httpx.Response(200, html="<!DOCTYPE html><p>This paper has been withdrawn</p>")
    server = Server(pdf_bytes, [page])

    with pytest.raises(RetrieveError, match="did not return a PDF") as info:
        download_pdf("1602.03483", 1, settings=settings, client=server.client())

    assert "text/html" in str(info.value) and "\n" not in str(info.value)
    assert _cache_files(settings) == []
    assert len(server.urls) == 1


def test_503_then_200_is_retried(settings, pdf_bytes):
    server = Server(pdf_bytes, [httpx.Response(503)])
    sleeps: list[float] = []

    path = download_pdf(
        "1602.03483", 1, settings=settings, client=server.client(), sleep=sleeps.append
    )

    assert path.read_bytes() == pdf_bytes
    assert len(server.urls) == 2
    assert len(sleeps) == 1 and sleeps[0] >= settings.backoff_initial


def test_time_out_is_retried(settings, pdf_bytes):
    server = Server(pdf_bytes, [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow")])
    sleeps: list[float] = []

    path = download_pdf(
        "1602.03483", 1, settings=settings, client=server.client(), sleep=sleeps.append
    )

    assert path.read_bytes() == pdf_bytes
    assert len(server.urls) == 3
    assert sleeps[0] < sleeps[1]


def test_broken_transfer_leaves_no_partial_file(settings, pdf_bytes):
    def cut_short() -> Iterator[bytes]:
        yield pdf_bytes[:1000]
        raise httpx.ReadError("connection reset")

    server = Server(pdf_bytes, [httpx.Response(200, content=cut_short())])
    seen: list[list[str]] = []

    path = download_pdf(
        "1602.03483",
        1,
        settings=settings,
        client=server.client(),
        sleep=lambda _: seen.append(_cache_files(settings)),
    )

    assert seen == [[]]  # nothing left behind between the attempts
    assert path.read_bytes() == pdf_bytes
    assert _cache_files(settings) == ["1602.03483v1.pdf"]


def test_download_rate_limited_forever(settings, pdf_bytes):
    server = Server(pdf_bytes, [httpx.Response(429)] * settings.retries)
    sleeps: list[float] = []

    with pytest.raises(RateLimitError, match="--corpus DIR"):
        download_pdf(
            "1602.03483", 1, settings=settings, client=server.client(), sleep=sleeps.append
        )

    assert len(server.urls) == settings.retries
    assert _cache_files(settings) == []


def test_missing_paper_is_not_retried(settings, pdf_bytes):
    server = Server(pdf_bytes, [httpx.Response(404)])

    with pytest.raises(RetrieveError, match="HTTP 404"):
        download_pdf("1602.03483", 9, settings=settings, client=server.client())

    assert len(server.urls) == 1


def test_corrupt_cache_entry_is_replaced(settings, pdf_bytes):
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "1602.03483v1.pdf").write_bytes(b"<html>oops</html>")
    server = Server(pdf_bytes)

    path = download_pdf("1602.03483", 1, settings=settings, client=server.client())

    assert path.read_bytes() == pdf_bytes
    assert len(server.urls) == 1


def test_server_error_is_reported_without_blaming_the_query(settings, session, replay):
    replay.script(TESTING_S0, [Reply(500, b"<html>Internal Server Error</html>")])

    with pytest.raises(RetrieveError, match=r"arXiv failed to answer .* \(HTTP 500\)"):
        search("testing", 10, settings=settings, session=session)
    assert len(replay.calls) == 1
