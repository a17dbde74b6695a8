"""One claim per finding: group the sentences in which a paper restates the same finding.

A paper states its central findings two or three times (abstract, introduction, conclusion),
in different words ("based solely on attention mechanisms, dispensing with recurrence" and
"eschewing recurrence and instead relying entirely on an attention mechanism"). Whether two
sentences state one finding is decided by a small fitted pair model
(:mod:`synth.claims.pair_model`: embedding cosine, the paper-specific words they share, a
shared figure); ``training/fit_restatements.py`` fits and measures it on restatements written
down by hand.

Groups form around their clearest statement (see :func:`restatement_groups`), within one
paper only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from synth.claims.pair_model import PairModel, finding_logits, load_pair_model

# A paper states a key finding two or three times beyond the claim kept (abstract,
# introduction, results, conclusion; tests/fixtures/key_findings.json lists 1-3): a longer
# list is a topic, not a finding, so only the likeliest are listed.
MOST_LISTED = 3


def restatement_groups(
    texts: Sequence[str],
    vectors: np.ndarray,
    idf: Mapping[str, float],
    model: PairModel | None = None,
    merge_above: float = 1.01,
    priority: Sequence[int] | None = None,
) -> list[list[int]]:
    """Indices of ``texts`` grouped by finding, each group in reading order.

    Groups form around their clearest statement: sentences are taken in ``priority`` order
    (default: reading order) and each joins the group whose first sentence it most likely
    restates, or starts a group. Joining any member instead (connected components) chains
    distinct findings together through sentences that touch both.

    ``idf`` weighs words by how specific they are to a sentence of the paper
    (:func:`synth.claims.pair_model.paper_idf` over all its sentences, not only ``texts``: a
    handful of sentences says nothing about which words are the paper's everyday ones). Pairs
    at cosine ``merge_above`` or more are one finding whatever the model says (the
    ``claims.dedup_threshold`` setting).

    >>> v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> restatement_groups(["BERT sets a new state of the art on GLUE, SQuAD and SWAG.",
    ...     "BERT sets a new state of the art on GLUE, SQuAD and SWAG (Table 1).",
    ...     "We pre-train on BooksCorpus."], v, {})
    [[0, 1], [2]]
    """
    n = len(texts)
    if not n:
        return []
    model = model or load_pair_model()
    logits = finding_logits(texts, vectors, texts, vectors, idf, model)
    # Every feature is symmetric; the float products may differ in the last bit, and the larger
    # of the two keeps a pair's decision independent of which sentence came first.
    logits = np.maximum(logits, logits.T)
    logits[vectors @ vectors.T >= merge_above] = np.inf
    leaders: list[int] = []
    groups: dict[int, list[int]] = {}
    for i in priority if priority is not None else range(n):
        scores = [logits[i, k] for k in leaders]
        if scores and max(scores) >= model.threshold:
            groups[leaders[int(np.argmax(scores))]].append(i)
        else:
            leaders.append(i)
            groups[i] = [i]
    return sorted(sorted(g) for g in groups.values())


def restated_by(
    claim_texts: Sequence[str],
    claim_vectors: np.ndarray,
    other_texts: Sequence[str],
    other_vectors: np.ndarray,
    idf: Mapping[str, float],
    model: PairModel | None = None,
    most: int = MOST_LISTED,
) -> dict[int, list[int]]:
    """Which other sentences (not kept as claims) restate which claim: claim -> others, at
    most ``most`` per claim, the likeliest, in reading order.

    Each other sentence goes to the claim it most likely restates, so none is listed twice.
    """
    out: dict[int, list[int]] = {}
    if not len(claim_texts) or not len(other_texts):
        return out
    model = model or load_pair_model()
    logits = finding_logits(other_texts, other_vectors, claim_texts, claim_vectors, idf, model)
    best = logits.argmax(axis=1)
    for j in np.flatnonzero(logits.max(axis=1) >= model.threshold):
        out.setdefault(int(best[j]), []).append(int(j))
    return {i: sorted(sorted(js, key=lambda j: -logits[j, i])[:most]) for i, js in out.items()}
