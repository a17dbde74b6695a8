"""Querying the claim database: filtered listings, one claim in full, human labels, agreement.

A claim may carry several verifications (one per model, see ``synth reverify``); listings show
the newest, or the newest of the model asked for. Text search uses the database's full-text
index where it has one (SQLite FTS5, PostgreSQL tsvector) and LIKE elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, text
from sqlmodel import Session, select

from synth.errors import ConfigError, NotFoundError
from synth.store.models import Claim, Evidence, HumanLabel, Paper, Verification
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
    paper: str | None = None
    run: int | None = None
    verdict: str | None = None
    min_confidence: float | None = None
    search: str | None = None
    model: str | None = None
    limit: int | None = 100


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


def _latest_verification(model: str | None):
    """Subquery: the id of each claim's newest verification (of ``model`` if given)."""
    q = select(Verification.claim_id, func.max(Verification.id).label("vid"))
    if model:
        q = q.where(Verification.model == model)
    return q.group_by(Verification.claim_id).subquery()


def list_claims(session: Session, f: ClaimFilter) -> list[dict]:
    """Claims matching the filter with their newest verdict, newest claims first."""
    latest = _latest_verification(f.model)
    q = (
        select(Claim, Verification, Paper.arxiv_id)
        .join(latest, latest.c.claim_id == Claim.id)
        .join(Verification, Verification.id == latest.c.vid)
        .join(Paper, Paper.id == Claim.paper_id, isouter=True)
    )
    if f.paper:
        q = q.where(Paper.arxiv_id == f.paper)
    if f.run is not None:
        q = q.where(Claim.run_id == f.run)
    if f.verdict:
        q = q.where(Verification.verdict == normalise_verdict(f.verdict))
    if f.min_confidence is not None:
        q = q.where(Verification.confidence >= f.min_confidence)
    if f.search:
        q = q.where(_search_clause(session, f.search))
    q = q.order_by(Claim.id.desc())
    if f.limit:
        q = q.limit(f.limit)
    return [
        {
            "id": c.id,
            "run": c.run_id,
            "paper": arxiv_id,
            "section": c.section,
            "page": c.page,
            "kind": c.kind,
            "text": c.text,
            "verdict": v.verdict,
            "confidence": v.confidence,
            "model": v.model,
        }
        for c, v, arxiv_id in session.exec(q).all()
    ]


def claim_detail(session: Session, claim_id: int) -> dict:
    """One claim with every model's verdict, all its evidence and its human labels."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}; list ids with: synth claims")
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
                "evidence": [
                    {
                        "text": e.text,
                        "paper": _arxiv_id(session, e.paper_id),
                        "page": e.page,
                        "label": e.label,
                        "score": e.score,
                        "probs": e.probs,
                        "cross_paper": e.cross_paper,
                    }
                    for e in evidence
                ],
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
        "verifications": out,
        "labels": [
            {"label": h.label, "note": h.note, "created_at": h.created_at.isoformat()}
            for h in labels
        ],
    }


def _arxiv_id(session: Session, paper_id: int | None) -> str | None:
    if paper_id is None:
        return None
    paper = session.get(Paper, paper_id)
    return paper.arxiv_id if paper else None


def add_label(session: Session, claim_id: int, label: str, note: str = "") -> HumanLabel:
    """Record a human judgement of a claim, with the time; earlier labels are kept."""
    if session.get(Claim, claim_id) is None:
        raise NotFoundError(f"no claim with id {claim_id}; list ids with: synth claims")
    row = HumanLabel(claim_id=claim_id, label=normalise_verdict(label), note=note)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def _kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    from sklearn.metrics import cohen_kappa_score

    if len(a) < 2 or len(set(a) | set(b)) < 2:
        return None
    return round(float(cohen_kappa_score(a, b, labels=list(VERDICTS))), 4)


def _compare(a: Sequence[str], b: Sequence[str]) -> dict:
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    return {
        "n": len(a),
        "agree": agree,
        "accuracy": round(agree / len(a), 4) if a else None,
        "kappa": _kappa(a, b),
    }


def agreement(session: Session, run: int | None = None) -> dict:
    """Model-vs-model and model-vs-human agreement over the claims both have judged."""
    q = select(Verification.claim_id, Verification.model, Verification.verdict).order_by(
        Verification.id
    )
    if run is not None:
        q = q.join(Claim, Claim.id == Verification.claim_id).where(Claim.run_id == run)
    by_model: dict[str, dict[int, str]] = {}
    for claim_id, model, verdict in session.exec(q).all():
        by_model.setdefault(model, {})[claim_id] = verdict  # newest wins
    human: dict[int, str] = {}
    for claim_id, label in session.exec(
        select(HumanLabel.claim_id, HumanLabel.label).order_by(HumanLabel.id)
    ).all():
        human[claim_id] = label
    models = sorted(by_model)
    pairs = []
    for i, m1 in enumerate(models):
        for m2 in models[i + 1 :]:
            both = sorted(set(by_model[m1]) & set(by_model[m2]))
            if both:
                row = _compare([by_model[m1][c] for c in both], [by_model[m2][c] for c in both])
                pairs.append({"a": m1, "b": m2, **row})
    vs_human = []
    for m in models:
        both = sorted(set(by_model[m]) & set(human))
        if both:
            row = _compare([human[c] for c in both], [by_model[m][c] for c in both])
            vs_human.append({"model": m, **row})
    return {
        "models": models,
        "human_labels": len(human),
        "model_vs_model": pairs,
        "model_vs_human": vs_human,
    }
