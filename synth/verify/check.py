"""Verify many claims at once: candidates per claim, one batched NLI pass, one verdict each.

All (evidence, claim) pairs of all claims go through the cross-encoder in a single call, so
batches are full and sorted by length across the whole run. This is the one path reports,
audits, re-verification and ``synth eval-claims`` share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from synth import figures
from synth.errors import SynthError
from synth.verify.decision import DecisionModel, decide_claim, load_decision
from synth.verify.evidence import Passage, select_candidates
from synth.verify.model import Verifier, resolve_model
from synth.verify.tiers import subject_overlap, tier_of
from synth.verify.verdict import (
    FIGURES_CONFLICT,
    FIGURES_DIFFER,
    ScoredEvidence,
    Thresholds,
    Verdict,
    adjust,
    figure_status,
)

WINDOWS = 2  # candidates read again with their neighbours


@dataclass(frozen=True)
class ClaimToCheck:
    """A claim and what must not count as its evidence."""

    text: str
    paper_key: str | None  # arXiv id of the claim's paper (None for an unattributed claim)
    sentence_id: int | None = None  # its own sentence, excluded
    original: str | None = None  # its original wording; copies of it are excluded
    # sentences claim extraction judged to state the same finding: restatements, not support
    restatement_ids: frozenset[int] = frozenset()


def score_claims(
    claims: Sequence[ClaimToCheck],
    claim_vectors: np.ndarray,
    passages: Sequence[Passage],
    passage_vectors: np.ndarray,
    verifier: Verifier,
    *,
    candidates: int,
    windows: int = WINDOWS,
    pools: Sequence[Sequence[int]] | None = None,
    progress: bool = False,
) -> list[list[ScoredEvidence]]:
    """Every claim's candidate evidence, scored: all of verification but the decision.

    One batched NLI pass over all pairs: each candidate as the model reads it alone, the
    closest ``windows`` candidates again with their neighbours (claims that need two
    sentences), and pairs whose figures differ once more with figures masked, to tell "other
    figures for the same thing" from "figures of something else". ``pools`` restricts each
    claim to some passages (indices), e.g. to the one document a claim cites.
    """
    chosen = []
    for i, c in enumerate(claims):
        pool = list(pools[i]) if pools is not None else None
        chosen.append(
            select_candidates(
                claim_vectors[i],
                [passages[j] for j in pool] if pool is not None else passages,
                passage_vectors[pool] if pool is not None else passage_vectors,
                k=candidates,
                exclude_sentence_id=c.sentence_id,
                exclude_copies_of=c.original,
            )
        )
    flat = [(c, p) for c, cands in zip(claims, chosen, strict=True) for p, _ in cands]
    pairs = [(p.nli_text, c.text) for c, p in flat]
    statuses = [figure_status(c.text, p.text) for c, p in flat]
    differ = [i for i, s in enumerate(statuses) if s == FIGURES_DIFFER]
    masked = [(figures.mask(pairs[i][0]), figures.mask(pairs[i][1])) for i in differ]
    window_of: dict[int, int] = {}
    window_pairs: list[tuple[str, str]] = []
    k = 0
    for c, cands in zip(claims, chosen, strict=True):
        for rank, (p, _) in enumerate(cands):
            if rank < windows and p.window() != p.nli_text:
                window_of[k] = len(window_pairs)
                window_pairs.append((p.window(), c.text))
            k += 1
    scores = verifier.predict(pairs + masked + window_pairs, show_progress=progress)
    same = {i: scores[len(pairs) + n].entailment for n, i in enumerate(differ)}
    for i, p_same in same.items():
        if p_same >= 0.5:
            statuses[i] = FIGURES_CONFLICT
    base = len(pairs) + len(masked)
    out, k = [], 0
    for c, cands in zip(claims, chosen, strict=True):
        scored = []
        for passage, sim in cands:
            raw = scores[k]
            window = scores[base + window_of[k]] if k in window_of else None
            scored.append(
                ScoredEvidence(
                    passage=passage,
                    raw=raw,
                    scores=adjust(raw, statuses[k], same.get(k, 0.0)),
                    similarity=sim,
                    figures=statuses[k],
                    cross_paper=c.paper_key is not None and passage.paper_key != c.paper_key,
                    own_paper=c.paper_key is not None and passage.paper_key == c.paper_key,
                    premise=pairs[k][0],
                    tier=tier_of(
                        c.text,
                        c.paper_key,
                        passage.text,
                        passage.paper_key,
                        f"{passage.section_kind} {passage.section}",
                        sim,
                        listed=passage.sentence_id in c.restatement_ids,
                    ),
                    subject=subject_overlap(c.text, passage.nli_text),
                    window=window,
                )
            )
            k += 1
        out.append(scored)
    return out


def verify_claims(
    claims: Sequence[ClaimToCheck],
    claim_vectors: np.ndarray,
    passages: Sequence[Passage],
    passage_vectors: np.ndarray,
    verifier: Verifier,
    *,
    thresholds: Thresholds,
    candidates: int,
    decision: DecisionModel | str | None = "auto",
    pools: Sequence[Sequence[int]] | None = None,
    progress: bool = False,
) -> list[Verdict]:
    """A verdict for every claim, in order (see :mod:`synth.verify.decision`).

    ``decision="auto"`` uses the decision fitted for the verifier's model, if there is one.
    """
    if decision == "auto":
        decision = decision_for(verifier.name)
    scored = score_claims(
        claims,
        claim_vectors,
        passages,
        passage_vectors,
        verifier,
        candidates=candidates,
        pools=pools,
        progress=progress,
    )
    return [
        decide_claim(c.text, evidence, decision, thresholds)
        for c, evidence in zip(claims, scored, strict=True)
    ]


@cache
def decision_for(model: str) -> DecisionModel | None:
    """The fitted claim-level decision of an NLI model (None for a hub id or a bare folder)."""
    try:
        path = resolve_model(model)
    except SynthError:
        return None
    return load_decision(path) if Path(path).is_dir() else None
