"""A stored run's report, rebuilt from the database alone.

``synth report --run ID`` and the web app's run page both read a run back from its rows (run,
papers, claims, each claim's first verification, its best evidence) instead of redoing it. The
verdicts shown are the ones the run itself reached; later ``synth reverify`` results sit beside
them in the database and show on the claim pages. The abstract ranks supported claims with
embeddings from the database's cache, which the run filled, so no model is loaded for a run
whose question and claims are cached.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, select

from synth.errors import ConfigError
from synth.report.context import (
    ClaimView,
    EvidenceView,
    ReportView,
    RestatementView,
    assemble_view,
    references_for,
    report_day,
)
from synth.settings import Settings
from synth.store.models import Claim, Evidence, Paper, Verification
from synth.store.runs import get_run, run_papers
from synth.store.vectors import cached_embed

EVIDENCE_PER_CLAIM = 2  # as in a fresh report


def run_settings(stored: dict, fallback: Settings) -> Settings:
    """The settings a run was made with (for the methodology it states), else ``fallback``."""
    try:
        return Settings.model_validate({**stored, "database_url": None})
    except ValueError:  # written by another version of synth: describe it with today's
        return fallback


def _first_verifications(session: Session, run_id: int) -> list[tuple[Claim, Verification]]:
    first = (
        select(func.min(Verification.id))
        .join(Claim, Claim.id == Verification.claim_id)
        .where(Claim.run_id == run_id)
        .group_by(Verification.claim_id)
    )
    rows = session.exec(
        select(Claim, Verification)
        .join(Verification, Verification.claim_id == Claim.id)
        .where(Verification.id.in_(first))
        .order_by(Claim.id)
    ).all()
    return list(rows)


def _evidence(session: Session, verification_ids: Sequence[int]) -> dict[int, list[Evidence]]:
    out: dict[int, list[Evidence]] = {}
    rows = session.exec(
        select(Evidence)
        .where(Evidence.verification_id.in_(list(verification_ids)))
        .where(Evidence.rank < EVIDENCE_PER_CLAIM)
        .order_by(Evidence.verification_id, Evidence.rank)
    )
    for e in rows:
        out.setdefault(e.verification_id, []).append(e)
    return out


def stored_claim_views(session: Session, run_id: int, refs: dict[str, int]) -> list[ClaimView]:
    """A run's claims as a report shows them, in the order the run stored them."""
    pairs = _first_verifications(session, run_id)
    evidence = _evidence(session, [v.id for _, v in pairs])
    paper_ids = {c.paper_id for c, _ in pairs} | {
        e.paper_id for es in evidence.values() for e in es
    }
    arxiv = dict(
        session.exec(select(Paper.id, Paper.arxiv_id).where(Paper.id.in_(list(paper_ids)))).all()
    )
    views = []
    for n, (claim, v) in enumerate(pairs, start=1):
        arxiv_id = arxiv.get(claim.paper_id, "")
        views.append(
            ClaimView(
                number=n,
                text=claim.text,
                original=claim.original,
                ref=refs.get(arxiv_id, 0),
                arxiv_id=arxiv_id,
                section=claim.section or "",
                page=claim.page,
                kind=claim.kind,
                verdict=v.verdict,
                confidence=round(v.confidence, 2),
                reason=v.reason,
                evidence=[
                    EvidenceView(
                        text=e.text,
                        ref=refs.get(arxiv.get(e.paper_id, "")),
                        arxiv_id=arxiv.get(e.paper_id, ""),
                        page=e.page,
                        label=e.label,
                        score=round(e.score, 2),
                        cross_paper=e.cross_paper,
                        tier=e.tier,
                        premise=e.premise,
                        with_neighbours=bool((e.probs or {}).get("with_neighbours")),
                    )
                    for e in evidence.get(v.id, [])
                ],
                restatements=[RestatementView.of(r) for r in claim.restatements or []],
            )
        )
    return views


def load_view(session: Session, run_id: int, settings: Settings) -> ReportView:
    """The report of stored run ``run_id``, as :func:`synth.report.build_view` made it.

    Example:
        >>> render(load_view(session, 3, Settings()), "markdown")  # doctest: +SKIP

    Raises:
        NotFoundError: No run has this id.
        ConfigError: The run is an audit, which has no report of its own.
    """
    run = get_run(session, run_id)
    if run.kind != "report":
        raise ConfigError(
            f"run {run_id} is an {run.kind}, not a report",
            hint="re-render reports only; an audit's claims are listed by run",
        )
    refs = references_for(run_papers(session, run_id))
    claims = stored_claim_views(session, run_id, {r.arxiv_id: r.number for r in refs})

    def embed_fn(texts: Sequence[str]) -> np.ndarray:
        return cached_embed(session, texts)

    return assemble_view(
        question=run.question,
        stats=run.stats,
        claims=claims,
        refs=refs,
        settings=run_settings(run.settings, settings),
        day=report_day(run),
        run_id=run.id,
        embed_fn=embed_fn,
    )
