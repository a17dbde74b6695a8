"""One claim per finding: group the sentences in which a paper restates the same finding.

A paper states its central findings two or three times (abstract, introduction, conclusion),
in different words ("based solely on attention mechanisms, dispensing with recurrence" and
"eschewing recurrence and instead relying entirely on an attention mechanism"). Cosine
similarity alone either misses such paraphrases or merges distinct results on the same
benchmark, so a pair is a restatement when:

* its embeddings are nearly identical (cosine >= ``same``), or
* they are close (cosine >= ``near``) and the NLI model finds that each sentence entails the
  other (P(entailment) >= ``entail`` both ways): mutual entailment is paraphrase, one-way
  entailment is only a more specific statement of something broader, or
* they are related (cosine >= ``figures_near``) and report the same figure (a value other than
  a small count, as :mod:`synth.figures` reads it): "BIDAF (ensemble) achieves an EM score of
  73.3" restates the abstract's "73.3 EM on SQuAD".

``training/fit_restatements.py`` measures the rule on restatements written down by hand.

Groups are the connected components of that relation (within one paper only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from synth.figures import parse as parse_figures

# (premise, hypothesis) pairs -> P(entailment) for each pair.
EntailFn = Callable[[Sequence[tuple[str, str]]], list[float]]


@dataclass(frozen=True)
class RestateThresholds:
    """When two sentences of a paper state the same finding (see the module docstring)."""

    same: float = 0.88
    near: float = 0.6
    # The shipped NLI model gives paraphrased findings about 0.4-0.7 both ways and distinct
    # findings of one paper below 0.1 (tests/test_claims_classifier.py has such pairs).
    entail: float = 0.35
    figures_near: float = 0.4


def telling_figures(text: str) -> set[float]:
    """The figures of ``text`` that identify a result: not small whole counts (1-10).

    >>> sorted(telling_figures("Our 2 models reach 73.3 EM and 81.1 F1."))
    [73.3, 81.1]
    """
    return {
        round(f.value, 4)
        for f in parse_figures(text)
        if not (float(f.value).is_integer() and abs(f.value) <= 10)
    }


def same_figure(a: str, b: str) -> bool:
    """Whether two sentences report one figure in common."""
    return bool(telling_figures(a) & telling_figures(b))


class _Figures:
    """Each text's telling figures, parsed once and only when a pair asks (parsing runs pint)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._cache: dict[int, set[float]] = {}

    def __getitem__(self, i: int) -> set[float]:
        if i not in self._cache:
            self._cache[i] = telling_figures(self._texts[i])
        return self._cache[i]


def restatement_groups(
    texts: Sequence[str],
    vectors: np.ndarray,
    entail_fn: EntailFn | None,
    thresholds: RestateThresholds = RestateThresholds(),
) -> list[list[int]]:
    """Indices of ``texts`` grouped by finding, each group in reading order.

    Without ``entail_fn`` only near-identical sentences (cosine >= ``same``) and related ones
    reporting the same figure are grouped.

    >>> v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> restatement_groups(["a", "a again", "b"], v, None)
    [[0, 1], [2]]
    """
    n = len(texts)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims = vectors @ vectors.T if n else np.zeros((0, 0))
    figures = _Figures(texts)
    close: list[tuple[int, int]] = []
    for i in range(n):
        for j in range(i + 1, n):
            if sims[i, j] >= thresholds.same or (
                sims[i, j] >= thresholds.figures_near and figures[i] & figures[j]
            ):
                parent[root(j)] = root(i)
            elif entail_fn is not None and sims[i, j] >= thresholds.near:
                close.append((i, j))
    if close and entail_fn is not None:
        forward = entail_fn([(texts[i], texts[j]) for i, j in close])
        backward = entail_fn([(texts[j], texts[i]) for i, j in close])
        for (i, j), f, b in zip(close, forward, backward, strict=True):
            if min(f, b) >= thresholds.entail:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def verifier_entailment(verifier) -> EntailFn:
    """Adapt a :class:`synth.verify.model.Verifier` to an :data:`EntailFn`."""
    return lambda pairs: [s.entailment for s in verifier.predict(list(pairs))]


def restated_by(
    claim_texts: Sequence[str],
    claim_vectors: np.ndarray,
    other_texts: Sequence[str],
    other_vectors: np.ndarray,
    entail_fn: EntailFn | None,
    thresholds: RestateThresholds = RestateThresholds(),
) -> dict[int, list[int]]:
    """Which other sentences (not kept as claims) restate which claim: claim -> others.

    The same test as :func:`restatement_groups`, each other sentence against its closest claim.
    """
    out: dict[int, list[int]] = {}
    if not len(claim_texts) or not len(other_texts):
        return out
    sims = other_vectors @ claim_vectors.T
    best = sims.argmax(axis=1)
    claim_figures = _Figures(claim_texts)
    close = []
    for j, i in enumerate(best):
        if sims[j, i] >= thresholds.same or (
            sims[j, i] >= thresholds.figures_near
            and claim_figures[int(i)] & telling_figures(other_texts[j])
        ):
            out.setdefault(int(i), []).append(j)
        elif entail_fn is not None and sims[j, i] >= thresholds.near:
            close.append((int(i), j))
    if close and entail_fn is not None:
        forward = entail_fn([(claim_texts[i], other_texts[j]) for i, j in close])
        backward = entail_fn([(other_texts[j], claim_texts[i]) for i, j in close])
        for (i, j), f, b in zip(close, forward, backward, strict=True):
            if min(f, b) >= thresholds.entail:
                out.setdefault(i, []).append(j)
    return out
