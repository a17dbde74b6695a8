"""Storing a run: its papers, claims, verdicts and evidence, linked to papers and sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, select

from synth.errors import NotFoundError
from synth.store.models import Claim, Evidence, Paper, Run, RunPaper, Verification
from synth.verify.verdict import Thresholds, Verdict


@dataclass(frozen=True)
class ClaimRecord:
    """A claim as stored, whichever stage produced it."""

    text: str
    original: str
    kind: str = "finding"
    paper_id: int | None = None
    sentence_id: int | None = None
    section: str | None = None
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    restatements: tuple[dict, ...] = ()  # {sentence_id, text, section, page} each


@dataclass(frozen=True)
class StoredRun:
    run_id: int
    claim_ids: list[int]
    created_at: datetime | None = None  # when the run was stored (UTC): the report's date


def evidence_rows(verification_id: int, verdict: Verdict, limit: int) -> list[Evidence]:
    """The best ``limit`` evidence sentences of a verdict, as rows."""
    rows = []
    for rank, ev in enumerate(verdict.evidence[:limit]):
        p = ev.passage
        label, prob, with_neighbours = ev.shown_for(verdict.verdict)
        rows.append(
            Evidence(
                verification_id=verification_id,
                sentence_id=p.sentence_id,
                paper_id=p.paper_id,
                rank=rank,
                text=p.text,
                page=p.page,
                label=label,
                score=prob,  # ScoredEvidence.shown_for rounds it to the stored digits
                probs={
                    **ev.scores.as_dict(),
                    "raw": ev.raw.as_dict(),
                    "window": ev.window.as_dict() if ev.window else None,
                    "with_neighbours": with_neighbours,
                    "similarity": round(ev.similarity, 4),
                    "number_conflict": ev.number_conflict,
                },
                cross_paper=ev.cross_paper,
                tier=ev.tier,
                premise=ev.premise,
            )
        )
    return rows


def save_verification(
    session: Session,
    claim_id: int,
    verdict: Verdict,
    *,
    model: str,
    thresholds: Thresholds,
    evidence_limit: int = 8,
) -> Verification:
    """Add one model's verdict (never replacing another's) with its evidence."""
    v = Verification(
        claim_id=claim_id,
        model=model,
        verdict=verdict.verdict,
        confidence=verdict.confidence,
        reason=verdict.reason,
        thresholds=thresholds.as_dict(),
    )
    session.add(v)
    session.flush()
    session.add_all(evidence_rows(v.id, verdict, evidence_limit))
    return v


def save_run(
    session: Session,
    *,
    kind: str,
    question: str,
    model: str,
    settings: dict,
    stats: dict,
    papers: Sequence[tuple[int, float]],
    claims: Sequence[ClaimRecord],
    verdicts: Sequence[Verdict],
    thresholds: Thresholds,
) -> StoredRun:
    """Store a run in one transaction; ``papers`` are (paper id, relevance) in rank order.

    ``settings`` are stored with secrets removed (see :func:`redact_settings`).
    """
    run = Run(
        kind=kind, question=question, model=model, settings=redact_settings(settings), stats=stats
    )
    session.add(run)
    session.flush()
    session.add_all(
        RunPaper(run_id=run.id, paper_id=pid, rank=i, score=round(score, 4))
        for i, (pid, score) in enumerate(papers)
    )
    claim_ids = []
    for record, verdict in zip(claims, verdicts, strict=True):
        claim = Claim(
            run_id=run.id, **{**record.__dict__, "restatements": list(record.restatements)}
        )
        session.add(claim)
        session.flush()
        save_verification(session, claim.id, verdict, model=model, thresholds=thresholds)
        claim_ids.append(claim.id)
    session.commit()
    return StoredRun(run.id, claim_ids, run.created_at)


def redact_url(url: str) -> str:
    """A database URL without its password (``postgresql://ann:***@host/db``).

    >>> redact_url("postgresql+psycopg://ann:s3cret@db.example/synth")
    'postgresql+psycopg://ann:***@db.example/synth'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:  # not a URL SQLAlchemy reads: nothing to parse, so show nothing
        return "***"


def redact_settings(settings: dict) -> dict:
    """Stored or shown settings: the database password and any token replaced by ``***``."""
    out = dict(settings)
    if out.get("database_url"):
        out["database_url"] = redact_url(str(out["database_url"]))
    serve = out.get("serve")
    if isinstance(serve, dict) and serve.get("token"):
        out["serve"] = {**serve, "token": "***"}
    return out


def run_row(run: Run, papers: int) -> dict:
    """A run as plain data: what ``synth runs`` lists and the web app shows."""
    by = run.stats.get("claims_by_verdict", {})
    return {
        "id": run.id,
        "kind": run.kind,
        "question": run.question,
        "model": run.model,
        "created_at": run.created_at.isoformat(),
        "claims": sum(by.values()),
        "claims_by_verdict": by,
        "papers": papers,
    }


def list_runs(session: Session) -> list[dict]:
    """Every stored run, newest first, with its claim counts by verdict."""
    counts = dict(
        session.exec(select(RunPaper.run_id, func.count()).group_by(RunPaper.run_id)).all()
    )
    runs = session.exec(select(Run).order_by(Run.id.desc())).all()
    return [run_row(r, counts.get(r.id, 0)) for r in runs]


def get_run(session: Session, run_id: int) -> Run:
    """The stored run ``run_id``; :class:`NotFoundError` when there is none."""
    run = session.get(Run, run_id)
    if run is None:
        raise NotFoundError(kind="run", id=run_id)
    return run


def run_papers(session: Session, run_id: int) -> list[Paper]:
    """A run's papers in the order the run ranked them."""
    return list(
        session.exec(
            select(Paper)
            .join(RunPaper, RunPaper.paper_id == Paper.id)
            .where(RunPaper.run_id == run_id)
            .order_by(RunPaper.rank)
        ).all()
    )
