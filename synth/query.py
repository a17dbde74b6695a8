"""Querying the claim database: filtered listings, one claim in full, one paper in full.

Human labels and model agreement are in :mod:`synth.labels`.

A claim may carry several verifications (one per model, see ``synth reverify``); listings show
the newest, or the newest of the model asked for. Text search uses the database's full-text
index where it has one (SQLite FTS5, PostgreSQL tsvector) and LIKE elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, text
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from synth.errors import ConfigError, NotFoundError
from synth.store.models import (
    Claim,
    Evidence,
    HumanLabel,
    Paper,
    Section,
    Sentence,
    Verification,
)
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, VERDICTS

LABEL_ALIASES = {
    "supported": SUPPORTED,
    "support": SUPPORTED,
    "refuted": REFUTED,
    "refute": REFUTED,
    "nei": NOT_ENOUGH_INFO,
    "not_enough_info": NOT_ENOUGH_INFO,
}
_FTS_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims :func:`list_claims` returns, in which order, and which page of them."""

    paper: str | None = None
    run: int | None = None
    verdict: str | None = None
    min_confidence: float | None = None
    search: str | None = None
    model: str | None = None
    limit: int | None = 100
    offset: int = 0
    sort: str = "newest"
    max_confidence: float | None = None


# Orders a listing can take; every one ends on the claim id so pages never overlap.
SORTS = {
    "newest": (Claim.id.desc(),),
    "oldest": (Claim.id.asc(),),
    "confidence": (Verification.confidence.desc(), Claim.id.desc()),
    "-confidence": (Verification.confidence.asc(), Claim.id.desc()),
    "paper": (Paper.arxiv_id.asc(), Claim.id.asc()),
}


def normalise_verdict(value: str) -> str:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    if key.upper() in VERDICTS:
        return key.upper()
    if key in LABEL_ALIASES:
        return LABEL_ALIASES[key]
    raise ConfigError(f"unknown verdict {value!r}; use supported, refuted or nei")


def fts_query(search: str) -> str:
    """User text as an FTS5 query: every word required, each quoted so no word is an operator."""
    tokens = _FTS_TOKEN.findall(search)
    if not tokens:
        raise ConfigError("--search needs at least one word")
    return " ".join(f'"{t}"' for t in tokens)


def _search_clause(session: Session, search: str):
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        ids = text("SELECT rowid FROM claim_fts WHERE claim_fts MATCH :q").bindparams(
            q=fts_query(search)
        )
        return Claim.id.in_(ids.columns(rowid=Claim.id.type))
    if dialect == "postgresql":
        return text("claim.text_search @@ plainto_tsquery('english', :q)").bindparams(q=search)
    return Claim.text.ilike(f"%{search}%")


def _newest_verification_id(model: str | None):
    """Correlated subquery: the id of the claim's newest verification (of ``model`` if given).

    Correlated rather than a GROUP BY over every verification, so a listing that stops after
    ``limit`` claims looks up only those claims' verifications (an index seek each).
    """
    v = aliased(Verification)
    q = select(func.max(v.id)).where(v.claim_id == Claim.id)
    if model:
        q = q.where(unindexed(v.model) == model)
    return q.correlate(Claim).scalar_subquery()


def unindexed(column):
    """``column || ''``: the same value, but SQLite will not pick the column's index for it.

    Without table statistics SQLite may look up "claim X's verifications by model M" through
    the index on ``model`` (every verification of M) instead of the one on ``claim_id`` (a
    claim's one or two): seconds instead of milliseconds on 100,000 claims.
    """
    return column + ""


def list_claims(session: Session, f: ClaimFilter) -> list[dict]:
    """Claims matching the filter with their newest verdict, newest claims first.

    Example:
        >>> list_claims(session, ClaimFilter(verdict="refuted", search="XNLI"))  # doctest: +SKIP
        [{'id': 42, 'verdict': 'REFUTED', 'confidence': 0.91, ...}]
    """
    # Plain columns, not ORM objects: building entities costs more than the query itself.
    q = (
        select(
            Claim.id,
            Claim.run_id,
            Paper.arxiv_id,
            Claim.section,
            Claim.page,
            Claim.kind,
            Claim.text,
            Verification.verdict,
            Verification.confidence,
            Verification.model,
        )
        .select_from(Claim)
        .join(Verification, Verification.id == _newest_verification_id(f.model))
        .join(Paper, Paper.id == Claim.paper_id, isouter=True)
    )
    if f.paper:
        paper_id = select(Paper.id).where(Paper.arxiv_id == f.paper).scalar_subquery()
        q = q.where(Claim.paper_id == paper_id)
    if f.run is not None:
        q = q.where(Claim.run_id == f.run)
    if f.verdict:
        q = q.where(Verification.verdict == normalise_verdict(f.verdict))
    if f.min_confidence is not None:
        q = q.where(Verification.confidence >= f.min_confidence)
    if f.max_confidence is not None:
        q = q.where(Verification.confidence <= f.max_confidence)
    if f.search:
        q = q.where(_search_clause(session, f.search))
    if f.sort not in SORTS:
        raise ConfigError(f"unknown sort {f.sort!r}", hint=f"use one of {', '.join(SORTS)}")
    q = q.order_by(*SORTS[f.sort])
    if f.limit:
        q = q.limit(f.limit)
    if f.offset:
        q = q.offset(f.offset)
    keys = ("id", "run", "paper", "section", "page", "kind", "text")
    keys += ("verdict", "confidence", "model")
    return [dict(zip(keys, row, strict=True)) for row in session.execute(q)]


def claim_detail(session: Session, claim_id: int, *, context: int = 0) -> dict:
    """One claim with every model's verdict, all its evidence and its human labels.

    With ``context`` > 0 each evidence sentence also carries the ``context`` sentences before
    and after it in its paper (``before`` / ``after``), so it can be read in place.
    """
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(kind="claim", id=claim_id)
    paper = session.get(Paper, claim.paper_id) if claim.paper_id else None
    verifications = session.exec(
        select(Verification).where(Verification.claim_id == claim_id).order_by(Verification.id)
    ).all()
    out = []
    for v in verifications:
        evidence = session.exec(
            select(Evidence).where(Evidence.verification_id == v.id).order_by(Evidence.rank)
        ).all()
        out.append(
            {
                "model": v.model,
                "verdict": v.verdict,
                "confidence": v.confidence,
                "reason": v.reason,
                "thresholds": v.thresholds,
                "created_at": v.created_at.isoformat(),
                "evidence": [_evidence(session, e, context) for e in evidence],
            }
        )
    labels = session.exec(
        select(HumanLabel).where(HumanLabel.claim_id == claim_id).order_by(HumanLabel.id)
    ).all()
    return {
        "id": claim.id,
        "run": claim.run_id,
        "text": claim.text,
        "original": claim.original,
        "kind": claim.kind,
        "paper": paper.arxiv_id if paper else None,
        "paper_title": paper.title if paper else None,
        "section": claim.section,
        "page": claim.page,
        "restatements": list(claim.restatements or []),
        "verifications": out,
        "labels": [
            {"label": h.label, "note": h.note, "created_at": h.created_at.isoformat()}
            for h in labels
        ],
    }


def _evidence(session: Session, e: Evidence, context: int) -> dict:
    out = {
        "text": e.text,
        "paper": _arxiv_id(session, e.paper_id),
        "page": e.page,
        "label": e.label,
        "score": e.score,
        "probs": e.probs,
        "with_neighbours": bool((e.probs or {}).get("with_neighbours")),
        "cross_paper": e.cross_paper,
        # Added by migration 0004; absent on older schemas.
        "tier": getattr(e, "tier", None),
        "premise": getattr(e, "premise", None),
    }
    if context > 0:
        out["before"], out["after"] = neighbours(session, e.sentence_id, context)
    return out


def neighbours(session: Session, sentence_id: int | None, n: int) -> tuple[list[str], list[str]]:
    """The ``n`` sentences before and after a stored sentence in its paper (none if unknown)."""
    sentence = session.get(Sentence, sentence_id) if sentence_id is not None else None
    if sentence is None:  # the paper was re-read since, or the evidence has no sentence
        return [], []
    rows = session.exec(
        select(Sentence.ordinal, Sentence.text)
        .where(Sentence.paper_id == sentence.paper_id)
        .where(Sentence.ordinal.between(sentence.ordinal - n, sentence.ordinal + n))
        .order_by(Sentence.ordinal)
    ).all()
    before = [t for o, t in rows if o < sentence.ordinal]
    after = [t for o, t in rows if o > sentence.ordinal]
    return before, after


def paper_detail(session: Session, arxiv_id: str, *, claims: int = 200) -> dict:
    """A stored paper with its sections (each with its sentences) and its newest claims."""
    paper = session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).first()
    if paper is None:
        raise NotFoundError(kind="paper", id=arxiv_id)
    sections = session.exec(
        select(Section).where(Section.paper_id == paper.id).order_by(Section.ordinal)
    ).all()
    by_section: dict[int | None, list[dict]] = {}
    for s in session.exec(
        select(Sentence).where(Sentence.paper_id == paper.id).order_by(Sentence.ordinal)
    ):
        by_section.setdefault(s.section_id, []).append(
            {"id": s.id, "ordinal": s.ordinal, "page": s.page, "text": s.text}
        )
    return {
        "arxiv_id": paper.arxiv_id,
        "version": paper.version,
        "title": paper.title,
        "authors": paper.authors,
        "year": paper.year,
        "categories": paper.categories,
        "pages": paper.pages,
        "abstract": paper.abstract,
        "source": paper.source,
        "sections": [
            {"name": s.name, "kind": s.kind, "page": s.page, "sentences": by_section.get(s.id, [])}
            for s in sections
        ],
        "claims": list_claims(session, ClaimFilter(paper=arxiv_id, limit=claims)),
    }


def list_models(session: Session) -> list[str]:
    """Every model that has verified a claim, for choosing one in a listing."""
    return sorted(session.exec(select(Verification.model).distinct()).all())


def _arxiv_id(session: Session, paper_id: int | None) -> str | None:
    if paper_id is None:
        return None
    paper = session.get(Paper, paper_id)
    return paper.arxiv_id if paper else None
