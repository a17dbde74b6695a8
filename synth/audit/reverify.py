"""Re-verify stored claims with another model, keeping every earlier verdict beside the new one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, select

from synth.audit.check import quote_sources, quotes_then_nli
from synth.errors import NotFoundError
from synth.pipeline import passages_of, verify_against
from synth.progress import SILENT, Progress
from synth.settings import Settings
from synth.store.models import Claim, Paper, Run, RunPaper
from synth.store.papers import SentenceRow, paper_sentences
from synth.store.runs import save_verification
from synth.verify.check import ClaimToCheck
from synth.verify.quote import match_quote
from synth.verify.verdict import Thresholds, Verdict


@dataclass
class ReverifyResult:
    model: str
    claims: int = 0
    changed: int = 0
    by_verdict: Counter = field(default_factory=Counter)


def _previous_verdicts(session: Session, claim_ids: list[int]) -> dict[int, str]:
    from synth.store.models import Verification

    out: dict[int, str] = {}
    rows = session.exec(
        select(Verification.claim_id, Verification.verdict)
        .where(Verification.claim_id.in_(claim_ids))
        .order_by(Verification.id)
    ).all()
    for claim_id, verdict in rows:
        out[claim_id] = verdict
    return out


def restatement_ids(claim: Claim) -> frozenset[int]:
    """The sentences stored as the claim's restatements (never its support when re-checked)."""
    return frozenset(r["sentence_id"] for r in claim.restatements or [] if "sentence_id" in r)


def reverify_run(
    session: Session, settings: Settings, run: Run, result: ReverifyResult, progress: Progress
) -> None:
    """Verify one run's claims again against that run's papers, with ``settings.nli_model``."""
    claims = session.exec(select(Claim).where(Claim.run_id == run.id).order_by(Claim.id)).all()
    if not claims:
        return
    papers = session.exec(
        select(Paper).join(RunPaper, RunPaper.paper_id == Paper.id).where(RunPaper.run_id == run.id)
    ).all()
    sentences = paper_sentences(session, [p.id for p in papers])
    thresholds = Thresholds.of(settings.verify)
    before = _previous_verdicts(session, [c.id for c in claims])
    if run.kind == "audit":
        verdicts = audited_verdicts(session, settings, claims, papers, sentences, progress)
    else:  # a report's claims come from its papers: their own sentences are excluded
        key = {p.id: p.arxiv_id for p in papers}
        to_check = [
            ClaimToCheck(c.text, key.get(c.paper_id), c.sentence_id, c.original, restatement_ids(c))
            for c in claims
        ]
        passages = passages_of(papers, sentences)
        verdicts = verify_against(session, to_check, passages, settings, progress)
    for claim, verdict in zip(claims, verdicts, strict=True):
        save_verification(
            session, claim.id, verdict, model=settings.nli_model, thresholds=thresholds
        )
        result.claims += 1
        result.by_verdict[verdict.verdict] += 1
        result.changed += before.get(claim.id) != verdict.verdict
    session.commit()


def audited_verdicts(
    session: Session,
    settings: Settings,
    claims: Sequence[Claim],
    papers: Sequence[Paper],
    sentences: dict[int, list[SentenceRow]],
    progress: Progress,
) -> list[Verdict]:
    """An audit's claims decided as the audit decided them: the quotation check on the
    report's wording first (a cut claim was stored with its completed text), NLI for the rest."""
    sources = quote_sources(papers, sentences)
    quotes = [match_quote(c.original, sources, truncated=c.text != c.original) for c in claims]
    texts = [c.text for c in claims]
    return quotes_then_nli(session, settings, quotes, texts, papers, sentences, progress)


def reverify(
    session: Session, settings: Settings, *, run_id: int | None = None, progress: Progress = SILENT
) -> ReverifyResult:
    """Re-verify the claims of one run, or of every run, with ``settings.nli_model``.

    Example:
        >>> reverify(session, settings.model_copy(update={"nli_model": "path/to/model"}),
        ...          run_id=3)  # doctest: +SKIP
    """
    if run_id is not None:
        run = session.get(Run, run_id)
        if run is None:
            raise NotFoundError(f"no run with id {run_id}; list runs with: synth runs")
        runs = [run]
    else:
        runs = session.exec(select(Run).order_by(Run.id)).all()
    result = ReverifyResult(settings.nli_model)
    for run in runs:
        reverify_run(session, settings, run, result, progress)
    return result
