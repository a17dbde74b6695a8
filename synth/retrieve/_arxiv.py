"""The arXiv API: a client that keeps arXiv's terms, :func:`search` and :func:`fetch_metadata`.

Pages are fetched through a session from :func:`~synth.retrieve.build_session`, so they share
its delay and back-off; ``arxiv.Client`` keeps the pagination and feed parsing. HTTP failures
become :class:`~synth.errors.RetrieveError` with arXiv's own reason when it gives one, and
:class:`~synth.errors.RateLimitError` when arXiv keeps refusing.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import arxiv
import ftfy
import requests
from arxiv import _feed  # the package's own parser, so our pages parse exactly like its pages

from synth.errors import ConfigError, RateLimitError, RetrieveError
from synth.retrieve._http import (
    OFFLINE_HINT,
    RETRY_STATUSES,
    USER_AGENT,
    RetryingAdapter,
    _DeadlineExceeded,
    _describe,
    _RetryPolicy,
    build_session,
)
from synth.retrieve._ids import PaperMeta, _versioned, parse_arxiv_id
from synth.settings import ARXIV_API_URL, RetrieveSettings

logger = logging.getLogger(__name__)

API_URL = ARXIV_API_URL  # the default; settings.api_url may name a mirror or proxy
_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


class _ArxivClient(arxiv.Client):
    """``arxiv.Client`` whose pages go through synth's session, back-off and errors.

    The package retries at once and drops the response body; overriding its page fetch lets
    us back off, keep arXiv's error text and raise synth's errors. Pagination stays its own.
    """

    def __init__(
        self, settings: RetrieveSettings, session: requests.Session, policy: _RetryPolicy
    ) -> None:
        # The session's adapter keeps the delay; the package's own delay would sleep twice.
        super().__init__(page_size=settings.page_size, delay_seconds=0.0, num_retries=0)
        self.query_url_format = f"{settings.api_url}?{{}}"
        self._session = session
        self._policy = policy

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        retrying = self._policy.retrying((arxiv.UnexpectedEmptyPageError,), f"GET {url}")
        return retrying(self._fetch_page, url, first_page)

    def _fetch_page(self, url: str, first_page: bool) -> Any:
        try:
            response = self._session.get(url, headers={"User-Agent": USER_AGENT})
        except requests.RequestException as exc:
            raise RetrieveError(
                f"Could not reach arXiv ({_describe(exc)}); check the network, or {OFFLINE_HINT}."
            ) from exc
        except _DeadlineExceeded as exc:
            raise RetrieveError(
                f"arXiv {exc} to answer {_query_of(url)} (SYNTH_RETRIEVE__DEADLINE); it is "
                f"too slow right now: retry later, or {OFFLINE_HINT}."
            ) from exc
        status = response.status_code
        if status in RETRY_STATUSES:
            raise RateLimitError(
                f"arXiv is rate-limiting requests (HTTP {status} after {self._policy.attempts} "
                f"attempts); wait a few minutes and retry, or {OFFLINE_HINT}."
            )
        if status >= 500:
            raise RetrieveError(
                f"arXiv failed to answer {_query_of(url)} (HTTP {status}); retry later, "
                f"or {OFFLINE_HINT}."
            )
        if status != 200:
            raise RetrieveError(
                f"arXiv rejected the query {_query_of(url)} (HTTP {status}): "
                f"{_feed_error(response.content)}"
            )
        problem = _not_a_feed(response.content)
        feed = _feed.parse(response.content)
        if problem or feed.malformed:
            raise RetrieveError(
                f"arXiv sent an unreadable answer to {_query_of(url)} "
                f"({problem or _collapse(str(feed.error))}), not a search result; retry later, "
                f"check SYNTH_RETRIEVE__API_URL, or {OFFLINE_HINT}."
            )
        if not feed.results and not first_page:
            raise arxiv.UnexpectedEmptyPageError(url, 0, feed)
        return feed


def _query_of(url: str) -> str:
    params = parse_qs(urlsplit(url).query)
    shown = [f"{key}={params[key][0]}" for key in ("search_query", "id_list") if key in params]
    return " ".join(shown) or url


def _not_a_feed(body: bytes) -> str | None:
    """Why ``body`` is not an arXiv results feed, or None when it is one.

    The package's parser recovers from anything (an HTML page, garbage, an empty body) and
    returns no results, which would read as "no papers found"; a real answer is an Atom feed
    that states its total, even when that is 0.
    """
    if not body.strip():
        return "an empty body"
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        start = _collapse(body[:40].decode("utf-8", "replace"))
        return f"not XML ({exc}), starting {start!r}"
    if root.tag != f"{_ATOM}feed":
        return f"a <{root.tag.rsplit('}', 1)[-1]}> document instead of an Atom feed"
    if root.find(f"{_OPENSEARCH}totalResults") is None:
        return "an Atom feed without a result count"
    return None


def _feed_error(body: bytes) -> str:
    """arXiv's own explanation from an error feed (its single entry's summary)."""
    try:
        root = ET.fromstring(body)
        text = root.findtext(f"{_ATOM}entry/{_ATOM}summary") or ""
    except ET.ParseError:
        text = body[:200].decode("utf-8", "replace")
    return _collapse(text) or "no reason given"


def make_client(
    settings: RetrieveSettings, session: requests.Session | None = None
) -> arxiv.Client:
    """An ``arxiv.Client`` that keeps arXiv's terms and raises synth's errors.

    Args:
        settings: page size, delay, retries and time-out.
        session: a session from :func:`build_session` (pass one to share its delay across
            calls, or to replay recorded responses); any other session is used as is.

    Example:
        >>> client = make_client(RetrieveSettings())
        >>> results = list(client.results(arxiv.Search(id_list=["1810.04805"])))  # doctest: +SKIP
    """
    session = session or build_session(settings)
    adapter = session.get_adapter(settings.api_url)
    if isinstance(adapter, RetryingAdapter):
        policy = adapter.policy
    else:
        policy = _RetryPolicy.from_settings(settings)
    return _ArxivClient(settings, session, policy)


def search(
    query: str,
    max_results: int,
    *,
    settings: RetrieveSettings,
    session: requests.Session | None = None,
) -> list[PaperMeta]:
    """Search arXiv, most relevant first. No match is not an error: the result is ``[]``.

    Pages are no larger than ``max_results`` so a small search costs one small request. If
    arXiv keeps returning an empty page part-way, the papers found so far are returned and a
    warning is logged, since a partial list is more useful than none.

    Example:
        >>> papers = search("all:testing", 25, settings=RetrieveSettings())  # doctest: +SKIP
        >>> papers[0].abs_url  # doctest: +SKIP
        'https://arxiv.org/abs/...'

    Raises:
        RetrieveError: arXiv rejected the query or could not be reached.
        RateLimitError: arXiv kept answering 429/503.
    """
    if not query.strip():
        raise ConfigError("The arXiv query is empty; give search terms, e.g. 'ti:transformer'.")
    if max_results < 1:
        raise ConfigError(f"max_results must be at least 1, not {max_results}.")
    page = settings.model_copy(update={"page_size": min(settings.page_size, max_results)})
    found = arxiv.Search(query=query, max_results=max_results)
    with _session_for(settings, session) as http:
        return _collect(make_client(page, http), found, f"search {query!r}")


def fetch_metadata(
    ids: Sequence[str],
    *,
    settings: RetrieveSettings,
    session: requests.Session | None = None,
) -> list[PaperMeta]:
    """Metadata of known papers, in one request per page of ids.

    Ids may carry a version (``2104.12255v1``) to pin it; ids arXiv does not know are logged and
    left out rather than failing the rest.

    Example:
        >>> [p.title for p in fetch_metadata(["1605.08386"], settings=RetrieveSettings())]
        ... # doctest: +SKIP
        ['Heat-bath random walks with Markov bases']

    Raises:
        RetrieveError: an id is malformed, or arXiv rejected the request or could not be reached.
        RateLimitError: arXiv kept answering 429/503.
    """
    wanted = list(dict.fromkeys(_versioned(*parse_arxiv_id(text)) for text in ids))
    if not wanted:
        return []
    found = arxiv.Search(id_list=wanted, max_results=len(wanted))
    with _session_for(settings, session) as http:
        papers = _collect(make_client(settings, http), found, f"{len(wanted)} ids")
    got = {paper.arxiv_id for paper in papers}
    missing = [text for text in wanted if parse_arxiv_id(text)[0] not in got]
    if missing:
        logger.warning("arXiv has no paper for %s", ", ".join(missing))
    return papers


@contextmanager
def _session_for(
    settings: RetrieveSettings, session: requests.Session | None
) -> Iterator[requests.Session]:
    """The caller's session, or a new one closed afterwards."""
    if session is not None:
        yield session
        return
    with build_session(settings) as own:
        yield own


def _collect(client: arxiv.Client, query: arxiv.Search, what: str) -> list[PaperMeta]:
    papers: list[PaperMeta] = []
    try:
        for result in client.results(query):
            paper = _to_meta(result)
            if paper is not None:
                papers.append(paper)
    except arxiv.UnexpectedEmptyPageError:
        logger.warning(
            "arXiv kept returning an empty page for %s; keeping the %d papers found so far",
            what,
            len(papers),
        )
    logger.info("arXiv %s: %d papers", what, len(papers))
    return papers


def _to_meta(result: arxiv.Result) -> PaperMeta | None:
    try:
        arxiv_id, version = parse_arxiv_id(result.entry_id)
    except RetrieveError:
        logger.warning("skipping an arXiv entry with an unexpected id: %s", result.entry_id)
        return None
    # The package fills a missing date with datetime.min rather than None.
    published = result.published if result.published and result.published.year > 1 else None
    return PaperMeta(
        arxiv_id=arxiv_id,
        version=version,
        title=_collapse(result.title),
        authors=[_collapse(author.name) for author in result.authors],
        year=published.year if published else None,
        categories=list(result.categories),
        abstract=_collapse(result.summary),
        pdf_url=result.pdf_url,
        published=published,
    )


def _collapse(text: str | None) -> str:
    """Whitespace collapsed, and text that was decoded twice repaired ("SÃ©bastien" ->
    "Sébastien": recorded arXiv feeds carry such names). ``ftfy.fix_encoding`` changes only
    what decodes to more plausible text; it leaves correct Unicode, quotes and ligatures alone.
    """
    return " ".join(ftfy.fix_encoding(text or "").split())
