"""Papers in: from arXiv ids, an arXiv query or a local folder to stored, sectioned text.

A file is never extracted twice: its SHA-256 is looked up first, and a paper whose stored text
came from the same bytes is left as it is. One bad file is reported and skipped; the batch goes
on. Metadata comes from arXiv when papers come from arXiv, else from the PDF itself (title on
the first page, the arXiv stamp), completed from arXiv when it can be reached.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import requests
from sqlmodel import Session

from synth.corpus import scan_corpus
from synth.errors import ExtractError, NothingReadError, RetrieveError
from synth.progress import SILENT, Progress
from synth.retrieve import PaperMeta, download_pdf, fetch_metadata, parse_arxiv_id, search
from synth.settings import Settings
from synth.store.models import Paper
from synth.store.papers import PaperInfo, find_by_hash, find_paper, update_info, upsert_paper

logger = logging.getLogger(__name__)

# A tiny query that any arXiv API (or mirror) answers quickly.
PROBE_QUERY = "id_list=1810.04805&max_results=1"


@dataclass(frozen=True)
class Source:
    """A PDF to ingest and what is known about it before reading it."""

    path: Path
    origin: str  # "arxiv" | "corpus"
    arxiv_id: str | None = None
    version: int | None = None
    meta: PaperMeta | None = None


@dataclass(frozen=True)
class Failure:
    name: str
    message: str


@dataclass
class IngestResult:
    """Counts for the report's methodology section, and the stored papers' ids in order."""

    found: int = 0
    downloaded: int = 0
    parsed: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    arxiv_ids: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def require_some_read(result: IngestResult) -> IngestResult:
    """``result``, unless not one paper was read: then the batch is a failure, not a success.

    One bad file among many is reported and skipped; all of them failing is an error that
    says why the first one failed.
    """
    if result.parsed or result.unchanged:
        return result
    failures = tuple((f.name, f.message) for f in result.failures)
    if not failures:
        raise NothingReadError(
            "no papers were found to read", hint="check the arXiv ids, the query or the folder"
        )
    name, message = failures[0]
    more = f"; {len(failures) - 1} more failed" if len(failures) > 1 else ""
    raise NothingReadError(
        f"none of the {len(failures)} papers could be read ({name}: {message}{more})",
        failures=failures,
        hint="fix or replace the files, or retry when arXiv answers",
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def arxiv_reachable(api_url: str, timeout: float = 3.0) -> bool:
    """One quick request to the configured API (``SYNTH_RETRIEVE__API_URL``), so an offline
    machine does not wait through every back-off. No default: a probe of the public arXiv
    would say nothing about a mirror the settings name."""
    try:
        httpx.head(f"{api_url}?{PROBE_QUERY}", timeout=timeout)
    except httpx.HTTPError:
        return False
    return True


def require_arxiv(settings: Settings, session: requests.Session | None = None) -> None:
    """Fail at once, with the fix, when arXiv cannot be used (instead of after every back-off).

    A caller that brings its own HTTP session (tests replaying recorded responses) is trusted.
    """
    if session is not None:
        return
    if settings.offline:
        raise RetrieveError(
            "synth is set to work offline (SYNTH_OFFLINE); pass --corpus DIR with the PDFs"
        )
    if not arxiv_reachable(settings.retrieve.api_url):
        raise RetrieveError(
            f"arXiv cannot be reached at {settings.retrieve.api_url} (no network?); pass "
            "--corpus DIR with the PDFs to work offline"
        )


def corpus_sources(folder: Path, ids: Sequence[str] = ()) -> list[Source]:
    """The corpus PDFs, or only those of ``ids`` when given (matched without version)."""
    entries = scan_corpus(folder)
    wanted = {parse_arxiv_id(i)[0] for i in ids}
    if wanted:
        entries = [e for e in entries if e.arxiv_id in wanted]
        missing = wanted - {e.arxiv_id for e in entries}
        if missing:
            logger.warning("not in corpus %s: %s", folder, ", ".join(sorted(missing)))
    return [Source(e.path, "corpus", e.arxiv_id, e.version) for e in entries]


def arxiv_sources(
    metas: Sequence[PaperMeta],
    settings: Settings,
    result: IngestResult,
    progress: Progress = SILENT,
    http: httpx.Client | None = None,
) -> list[Source]:
    """Download (or take from the cache) each paper's PDF; failures are recorded, not raised."""
    sources = []
    with progress.task("Downloading PDFs", len(metas)) as task:
        for meta in metas:
            try:
                path = download_pdf(
                    meta.arxiv_id,
                    meta.version,
                    settings=settings.retrieve,
                    client=http,
                    pdf_url=meta.pdf_url,
                )
                sources.append(Source(path, "arxiv", meta.arxiv_id, meta.version, meta))
                result.downloaded += 1
            except RetrieveError as exc:
                result.failures.append(Failure(meta.arxiv_id, str(exc)))
            task.advance()
    return sources


def find_on_arxiv(
    settings: Settings,
    *,
    ids: Sequence[str] = (),
    query: str | None = None,
    max_results: int = 10,
    session: requests.Session | None = None,
) -> list[PaperMeta]:
    """Metadata of the papers asked for: by id, or the top results of a query."""
    require_arxiv(settings, session)
    metas: list[PaperMeta] = []
    if ids:
        metas += fetch_metadata(ids, settings=settings.retrieve, session=session)
    if query:
        metas += search(query, max_results, settings=settings.retrieve, session=session)
    return metas


def info_from_meta(m: PaperMeta) -> PaperInfo:
    return PaperInfo(
        m.arxiv_id, m.version, m.title, tuple(m.authors), m.year, tuple(m.categories), m.abstract
    )


def info_for(source: Source, doc) -> PaperInfo:
    """What to store about a paper: arXiv's metadata when we have it, else the PDF's own."""
    if source.meta is not None:
        return info_from_meta(source.meta)
    md = doc.metadata
    arxiv_id = source.arxiv_id or md.arxiv_id or f"local:{doc.sha256[:12]}"
    version = source.version or (md.version if md.arxiv_id == arxiv_id else None)
    return PaperInfo(
        arxiv_id,
        version,
        md.title or source.path.stem,
        tuple(md.authors),
        md.year,
        tuple(md.categories),
        doc.abstract,
    )


def stored_info(paper: Paper) -> PaperInfo:
    """A stored paper's metadata as it is (arXiv's, when it was completed from arXiv)."""
    return PaperInfo(
        paper.arxiv_id,
        paper.version,
        paper.title,
        tuple(paper.authors),
        paper.year,
        tuple(paper.categories),
        paper.abstract,
    )


def ingest_sources(
    session: Session,
    sources: Sequence[Source],
    settings: Settings,
    result: IngestResult,
    progress: Progress = SILENT,
) -> IngestResult:
    """Extract and store every source not stored from the same bytes by this extractor already
    (a paper an older extractor stored is read again: its text replaces the old)."""
    from synth.extract import EXTRACTOR_VERSION, extract_many

    todo: list[Source] = []
    stale: dict[Path, Paper] = {}  # stored from the same bytes by an older extractor
    for source in sources:
        stored = find_by_hash(session, file_sha256(source.path))
        if stored is not None and source.arxiv_id in (None, stored.arxiv_id):
            if source.meta is not None:
                update_info(session, stored, info_for(source, None))
            if stored.extractor == EXTRACTOR_VERSION:
                result.unchanged += 1
                result.arxiv_ids.append(stored.arxiv_id)
                continue
            stale[source.path] = stored
        todo.append(source)
    # Commit the metadata updates now: an open write would hold SQLite's lock through the
    # whole extraction below and make another synth on the same file wait or fail.
    session.commit()
    by_path = {s.path: s for s in todo}
    with progress.task("Extracting text", len(todo)) as task:
        for path, doc in extract_many(
            list(by_path), workers=settings.extract.workers, settings=settings.extract
        ):
            task.advance()
            source = by_path[path]
            old = stale.get(path)
            if isinstance(doc, ExtractError):
                if old is not None:  # the text an older extractor made is better than none
                    logger.warning("%s: kept its stored text (%s)", old.arxiv_id, doc)
                    result.unchanged += 1
                    result.arxiv_ids.append(old.arxiv_id)
                else:
                    result.failures.append(Failure(source.arxiv_id or path.name, str(doc)))
                continue
            # Read again from the same bytes: the paper keeps its identity and metadata.
            info = stored_info(old) if old is not None else info_for(source, doc)
            upsert_paper(session, info, doc, pdf_path=str(path), source=source.origin)
            session.commit()  # one paper at a time: a crash later never loses this one
            result.parsed += 1
            result.arxiv_ids.append(info.arxiv_id)
    session.commit()
    return result


def complete_from_arxiv(session: Session, arxiv_ids: Sequence[str], settings: Settings) -> int:
    """Fill in arXiv's metadata for papers read from a local folder; returns how many."""
    real = [i for i in arxiv_ids if not i.startswith("local:")]
    if not real or settings.offline or not arxiv_reachable(settings.retrieve.api_url):
        return 0
    try:
        metas = fetch_metadata(real, settings=settings.retrieve)
    except RetrieveError as exc:
        logger.warning("metadata not completed from arXiv: %s", exc)
        return 0
    for m in metas:
        paper = find_paper(session, m.arxiv_id)
        if paper is not None:
            update_info(session, paper, info_from_meta(m))
    session.commit()
    return len(metas)


def ingest(
    session: Session,
    settings: Settings,
    *,
    ids: Sequence[str] = (),
    query: str | None = None,
    max_results: int = 10,
    corpus: Path | None = None,
    progress: Progress = SILENT,
    arxiv_session: requests.Session | None = None,
    http: httpx.Client | None = None,
) -> IngestResult:
    """Ingest papers by id, by query, or from a corpus folder (which stands in for arXiv).

    ``arxiv_session`` and ``http`` are the HTTP seams for the arXiv API and PDF downloads
    (tests pass sessions that replay recorded responses).

    Example:
        >>> ingest(session, Settings(), corpus=Path("../shared/data/arxiv/pdfs"))  # doctest: +SKIP
        IngestResult(found=23, downloaded=0, parsed=23, ...)
    """
    result = IngestResult()
    if corpus is not None:
        sources = corpus_sources(corpus, ids)
        result.found = len(sources)
        ingest_sources(session, sources, settings, result, progress)
        complete_from_arxiv(session, result.arxiv_ids, settings)
        return require_some_read(result)
    metas = find_on_arxiv(
        settings, ids=ids, query=query, max_results=max_results, session=arxiv_session
    )
    result.found = len(metas)
    sources = arxiv_sources(metas, settings, result, progress, http)
    return require_some_read(ingest_sources(session, sources, settings, result, progress))
