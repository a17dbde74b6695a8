"""Storing a run: its papers, claims, verdicts and evidence, linked to papers and sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from synth.store.models import Claim, Evidence, Run, RunPaper, Verification
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


@dataclass(frozen=True)
class StoredRun:
    run_id: int
    claim_ids: list[int]


def evidence_rows(verification_id: int, verdict: Verdict, limit: int) -> list[Evidence]:
    """The best ``limit`` evidence sentences of a verdict, as rows."""
    rows = []
    for rank, ev in enumerate(verdict.evidence[:limit]):
        p = ev.passage
        rows.append(
            Evidence(
                verification_id=verification_id,
                sentence_id=p.sentence_id,
                paper_id=p.paper_id,
                rank=rank,
                text=p.text,
                page=p.page,
                label=ev.label,
                score=round(ev.label_prob, 4),
                probs={
                    **ev.scores.as_dict(),
                    "raw": ev.raw.as_dict(),
                    "similarity": round(ev.similarity, 4),
                    "number_conflict": ev.number_conflict,
                },
                cross_paper=ev.cross_paper,
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
        confidence=round(verdict.confidence, 4),
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
    """Store a run in one transaction; ``papers`` are (paper id, relevance) in rank order."""
    run = Run(kind=kind, question=question, model=model, settings=settings, stats=stats)
    session.add(run)
    session.flush()
    session.add_all(
        RunPaper(run_id=run.id, paper_id=pid, rank=i, score=round(score, 4))
        for i, (pid, score) in enumerate(papers)
    )
    claim_ids = []
    for record, verdict in zip(claims, verdicts, strict=True):
        claim = Claim(run_id=run.id, **record.__dict__)
        session.add(claim)
        session.flush()
        save_verification(session, claim.id, verdict, model=model, thresholds=thresholds)
        claim_ids.append(claim.id)
    session.commit()
    return StoredRun(run.id, claim_ids)
