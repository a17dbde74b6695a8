"""Verify many claims at once: candidates per claim, one batched NLI pass, one verdict each.

All (evidence, claim) pairs of all claims go through the cross-encoder in a single call, so
batches are full and sorted by length across the whole run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synth.verify.evidence import Passage, select_candidates
from synth.verify.model import Verifier
from synth.verify.verdict import (
    FIGURES_CONFLICT,
    FIGURES_DIFFER,
    ScoredEvidence,
    Thresholds,
    Verdict,
    adjust,
    decide,
    figure_status,
    mask_numbers,
)


@dataclass(frozen=True)
class ClaimToCheck:
    """A claim and what must not count as its evidence."""

    text: str
    paper_key: str | None  # arXiv id of the claim's paper (None for an unattributed claim)
    sentence_id: int | None = None  # its own sentence, excluded
    original: str | None = None  # its original wording; copies of it are excluded


def verify_claims(
    claims: Sequence[ClaimToCheck],
    claim_vectors: np.ndarray,
    passages: Sequence[Passage],
    passage_vectors: np.ndarray,
    verifier: Verifier,
    *,
    thresholds: Thresholds,
    candidates: int,
    progress: bool = False,
) -> list[Verdict]:
    """A verdict for every claim, in order. See :mod:`synth.verify.verdict` for the rules."""
    chosen = [
        select_candidates(
            claim_vectors[i],
            passages,
            passage_vectors,
            k=candidates,
            exclude_sentence_id=c.sentence_id,
            exclude_copies_of=c.original,
        )
        for i, c in enumerate(claims)
    ]
    flat = [(c, p) for c, cands in zip(claims, chosen, strict=True) for p, _ in cands]
    pairs = [(p.nli_text, c.text) for c, p in flat]
    statuses = [figure_status(c.text, p.text) for c, p in flat]
    # Pairs whose figures differ are scored again with figures masked: do they say the same?
    differ = [i for i, s in enumerate(statuses) if s == FIGURES_DIFFER]
    masked = [(mask_numbers(pairs[i][0]), mask_numbers(pairs[i][1])) for i in differ]
    scores = verifier.predict(pairs + masked, show_progress=progress)
    same = {i: scores[len(pairs) + n].entailment for n, i in enumerate(differ)}
    for i, p_same in same.items():
        if p_same >= 0.5:
            statuses[i] = FIGURES_CONFLICT
    verdicts, k = [], 0
    for c, cands in zip(claims, chosen, strict=True):
        scored = []
        for passage, sim in cands:
            raw = scores[k]
            scored.append(
                ScoredEvidence(
                    passage=passage,
                    raw=raw,
                    scores=adjust(raw, statuses[k], same.get(k, 0.0)),
                    similarity=sim,
                    figures=statuses[k],
                    cross_paper=c.paper_key is not None and passage.paper_key != c.paper_key,
                )
            )
            k += 1
        verdicts.append(decide(scored, thresholds))
    return verdicts
