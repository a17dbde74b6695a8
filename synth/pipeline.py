"""The main job: a question in, a verified, stored report out.

Stages (each its own module): find papers (``retrieve`` / ``corpus``) -> rank them against the
question (``rank``) -> read the best in full (``ingest`` / ``extract``) -> extract claims
(``claims``) -> verify them against the other sentences of the run (``verify``) -> store the run
(``store.runs``) -> render (``report``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import numpy as np
import requests
from sqlmodel import Session, select

from synth.claims import ExtractedClaim, extract_claims
from synth.errors import ConfigError, RetrieveError
from synth.ingest import (
    IngestResult,
    arxiv_sources,
    corpus_sources,
    ingest_sources,
    require_arxiv,
    require_some_read,
)
from synth.progress import SILENT, Progress
from synth.rank import arxiv_query, rank_texts
from synth.retrieve import PaperMeta, build_session, search
from synth.settings import Settings
from synth.store.models import Paper
from synth.store.nli_cache import CachedVerifier, cached_reader
from synth.store.papers import SentenceRow, paper_sentences
from synth.store.runs import ClaimRecord, StoredRun, save_run
from synth.store.vectors import cached_embed
from synth.verify.check import ClaimToCheck, verify_claims
from synth.verify.decision import measured
from synth.verify.evidence import Passage, paper_passages
from synth.verify.model import load_verifier
from synth.verify.tiers import CROSS_PAPER
from synth.verify.verdict import VERDICTS, Thresholds, Verdict

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    """Everything a report presents, straight from the pipeline."""

    question: str
    query: str | None
    papers: list[Paper]
    paper_scores: dict[str, float]
    claims: list[tuple[ExtractedClaim, Paper]]
    verdicts: list[Verdict]
    ingest: IngestResult
    model: str
    thresholds: Thresholds
    timings: dict[str, float] = field(default_factory=dict)
    run: StoredRun | None = None


def select_papers(
    session: Session,
    question: str,
    settings: Settings,
    *,
    corpus: Path | None,
    max_papers: int,
    progress: Progress,
    arxiv_session: requests.Session | None = None,
    http: httpx.Client | None = None,
) -> tuple[list[Paper], dict[str, float], IngestResult, str | None]:
    """Find candidate papers, rank them by title + abstract, and read the best in full.

    ``arxiv_session`` and ``http`` are the HTTP seams (see :func:`synth.ingest.ingest`).
    """
    result = IngestResult()
    if corpus is not None:
        sources = corpus_sources(corpus)
        result.found = len(sources)
        require_some_read(ingest_sources(session, sources, settings, result, progress))
        stored = _papers(session, result.arxiv_ids)
        ranked = rank_texts(question, [f"{p.title}. {p.abstract}" for p in stored])
        chosen = [(stored[i], s) for i, s in ranked[:max_papers]]
        return [p for p, _ in chosen], {p.arxiv_id: s for p, s in chosen}, result, None

    require_arxiv(settings, arxiv_session)
    query = arxiv_query(question)
    session_ = arxiv_session or build_session(settings.retrieve)  # one connection, one pace
    n = settings.report.candidate_papers
    metas = search(query, n, settings=settings.retrieve, session=session_)
    if len(metas) < max_papers:  # all keywords required was too strict: any of them
        seen = {m.arxiv_id for m in metas}
        loose = " OR ".join(query.split(" AND "))
        more = search(loose, n, settings=settings.retrieve, session=session_)
        metas += [m for m in more if m.arxiv_id not in seen]
    result.found = len(metas)
    if not metas:
        raise RetrieveError(
            f"arXiv found no papers for {query!r}; rephrase the question or use --corpus DIR"
        )
    ranked = rank_texts(question, [f"{m.title}. {m.abstract}" for m in metas])
    best: list[tuple[PaperMeta, float]] = [(metas[i], s) for i, s in ranked[:max_papers]]
    sources = arxiv_sources([m for m, _ in best], settings, result, progress, http)
    require_some_read(ingest_sources(session, sources, settings, result, progress))
    stored = {p.arxiv_id: p for p in _papers(session, result.arxiv_ids)}
    papers = [stored[m.arxiv_id] for m, _ in best if m.arxiv_id in stored]
    return papers, {m.arxiv_id: s for m, s in best}, result, query


def _papers(session: Session, arxiv_ids: Sequence[str]) -> list[Paper]:
    rows = session.exec(select(Paper).where(Paper.arxiv_id.in_(list(arxiv_ids)))).all()
    order = {a: i for i, a in enumerate(arxiv_ids)}
    return sorted(rows, key=lambda p: order[p.arxiv_id])


def gather_claims(
    session: Session,
    papers: Sequence[Paper],
    sentences: dict[int, list[SentenceRow]],
    question_vector: np.ndarray,
    settings: Settings,
    progress: Progress,
) -> list[tuple[ExtractedClaim, Paper]]:
    out = []
    with progress.task("Extracting claims", len(papers)) as task:
        for paper in papers:
            found = extract_claims(
                sentences[paper.id],
                title=paper.title,
                abstract=paper.abstract,
                embed_fn=lambda texts: cached_embed(session, texts),
                question_vector=question_vector,
                limit=settings.claims.max_per_paper,
                dedup_threshold=settings.claims.dedup_threshold,
                reader=cached_reader(session),
            )
            out += [(c, paper) for c in found]
            task.advance()
    return out


def passages_of(papers: Sequence[Paper], sentences: dict[int, list[SentenceRow]]) -> list[Passage]:
    return [passage for p in papers for passage in paper_passages(p, sentences[p.id])]


def verify_against(
    session: Session,
    claims: Sequence[ClaimToCheck],
    passages: Sequence[Passage],
    settings: Settings,
    progress: Progress = SILENT,
    timings: dict[str, float] | None = None,
) -> list[Verdict]:
    """Verify ``claims`` against ``passages`` with the settings' model and thresholds.

    Embeddings and NLI scores come through the database caches; ``timings`` gets "embed" and
    "verify".
    """
    timings = {} if timings is None else timings
    t = time.perf_counter()
    with progress.task("Embedding passages", len(passages)) as task:
        passage_vectors = cached_embed(session, [p.nli_text for p in passages])
        task.advance(len(passages))
    claim_vectors = cached_embed(session, [c.text for c in claims])
    timings["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    v = settings.verify
    verifier = CachedVerifier(
        session, load_verifier(settings.nli_model, v.batch_size, v.max_length, backend=v.backend)
    )
    with progress.task("Verifying claims", len(claims)) as task:
        verdicts = verify_claims(
            claims,
            claim_vectors,
            passages,
            passage_vectors,
            verifier,
            thresholds=Thresholds.of(settings.verify),
            candidates=settings.verify.candidates,
        )
        task.advance(len(claims))
    timings["verify"] = time.perf_counter() - t
    return verdicts


def run_report(
    session: Session,
    settings: Settings,
    question: str,
    *,
    corpus: Path | None = None,
    max_papers: int | None = None,
    progress: Progress = SILENT,
) -> RunResult:
    """Run the whole pipeline for ``question`` and store the run.

    Example:
        >>> result = run_report(session, Settings(), "How does cross-lingual pretraining help?",
        ...                     corpus=Path("../shared/data/arxiv/pdfs"))  # doctest: +SKIP
    """
    if max_papers is not None and max_papers < 1:
        raise ConfigError(f"max_papers must be at least 1, not {max_papers}")
    timings: dict[str, float] = {}
    t = time.perf_counter()
    n = max_papers or settings.report.max_papers
    papers, scores, ingested, query = select_papers(
        session, question, settings, corpus=corpus, max_papers=n, progress=progress
    )
    timings["papers"] = time.perf_counter() - t

    t = time.perf_counter()
    # Loaded here (once per process) so a missing model fails before any work, timed apart.
    v = settings.verify
    load_verifier(settings.nli_model, v.batch_size, v.max_length, backend=v.backend)
    timings["load_model"] = time.perf_counter() - t

    t = time.perf_counter()
    sentences = paper_sentences(session, [p.id for p in papers])
    # Through the cache, so re-rendering the stored run later needs no embedding model.
    question_vector = cached_embed(session, [question])[0]
    claims = gather_claims(session, papers, sentences, question_vector, settings, progress)
    timings["claims"] = time.perf_counter() - t

    to_check = [
        ClaimToCheck(
            c.text,
            paper.arxiv_id,
            c.sentence.id,
            c.original,
            frozenset(r.sentence_id for r in c.restatements),
        )
        for c, paper in claims
    ]
    verdicts = verify_against(
        session, to_check, passages_of(papers, sentences), settings, progress, timings
    )

    result = RunResult(
        question=question,
        query=query,
        papers=papers,
        paper_scores=scores,
        claims=claims,
        verdicts=verdicts,
        ingest=ingested,
        model=settings.nli_model,
        thresholds=Thresholds.of(settings.verify),
        timings=timings,
    )
    t = time.perf_counter()
    result.run = store_run(session, result, settings)
    timings["store"] = time.perf_counter() - t
    return result


def run_stats(result: RunResult) -> dict:
    """The counts a report states: every one of them measured in this run."""
    by_verdict = {v: 0 for v in VERDICTS}
    for v in result.verdicts:
        by_verdict[v.verdict] += 1
    # Independent corroboration only: another paper in its own words, not citing the claim's.
    cross = sum(
        1
        for v in result.verdicts
        if v.verdict != "NOT_ENOUGH_INFO" and v.evidence and v.evidence[0].tier == CROSS_PAPER
    )
    ing = result.ingest
    return {
        "papers_found": ing.found,
        "papers_read": len(result.papers),
        "papers_downloaded": ing.downloaded,
        "papers_parsed": ing.parsed,
        "papers_already_stored": ing.unchanged,
        "papers_failed": ing.failed,
        "failures": [{"paper": f.name, "error": f.message} for f in ing.failures],
        "claims": len(result.claims),
        "claims_by_verdict": by_verdict,
        "claims_cross_paper": cross,
        "model": result.model,
        "thresholds": result.thresholds.as_dict(),
        "decision_eval": measured(result.model),
        "query": result.query,
        "timings_s": {k: round(v, 2) for k, v in result.timings.items()},
    }


def store_run(session: Session, result: RunResult, settings: Settings) -> StoredRun:
    records = [
        ClaimRecord(
            text=c.text,
            original=c.original,
            kind=c.kind,
            paper_id=paper.id,
            sentence_id=c.sentence.id,
            section=c.sentence.section,
            page=c.sentence.page,
            char_start=c.sentence.char_start,
            char_end=c.sentence.char_end,
            restatements=tuple(asdict(r) for r in c.restatements),
        )
        for c, paper in result.claims
    ]
    return save_run(
        session,
        kind="report",
        question=result.question,
        model=result.model,
        settings=settings.model_dump(mode="json"),
        stats=run_stats(result),
        papers=[(p.id, result.paper_scores.get(p.arxiv_id, 0.0)) for p in result.papers],
        claims=records,
        verdicts=result.verdicts,
        thresholds=result.thresholds,
    )
