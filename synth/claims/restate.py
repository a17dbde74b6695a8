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
  73.3" restates the abstract's "73.3 EM on SQuAD", or
* they are related (cosine >= ``wording_near``) and most content words of the shorter one are
  in the other (share >= ``wording_share``): a finding repeated in the paper's own terms
  ("a single SVD", "orthogonal", "self-consistent") with a different frame around it.

``training/fit_restatements.py`` measures the rule on restatements written down by hand.

Groups are the connected components of that relation (within one paper only).
"""

from __future__ import annotations

import re
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
    wording_near: float = 0.4
    wording_share: float = 0.6


_WORD = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")  # "self-consistent", "3.6" and "v1.1" whole
# Fewer shared words than this are no evidence: "The DAN encoder is trained similarly to the
# Transformer based encoder" shares 3 of its 5 with a finding about transformer-based encoders.
MIN_SHARED_WORDS = 4
# Function words of four letters or more (shorter words never count as content words).
_FUNCTION_WORDS = frozenset(
    "that this these those then than from with into onto over under also were been being their "
    "there which while where when such both each other only more most very much many some "
    "about between does have having".split()
)


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


def content_words(text: str) -> frozenset[str]:
    """The words that carry a sentence's content: 4+ letters or a number, no function words.

    >>> sorted(content_words("It is based solely on attention, with 2 layers (3.6 points)."))
    ['2', '3.6', 'attention', 'based', 'layers', 'points', 'solely']
    """
    return frozenset(
        w
        for w in _WORD.findall(text.lower())
        if (len(w) >= 4 or w[0].isdigit()) and w not in _FUNCTION_WORDS
    )


def word_share(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set's words that the other set has too; 0 when they share
    fewer than :data:`MIN_SHARED_WORDS` (a short sentence shares a few words with anything on
    its topic)."""
    shared = len(a & b)
    return shared / min(len(a), len(b)) if shared >= MIN_SHARED_WORDS else 0.0


class _PerText:
    """Each text's figures and content words, computed once and only when a pair asks (parsing
    figures runs pint)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts
        self._figures: dict[int, set[float]] = {}
        self._words: dict[int, frozenset[str]] = {}

    def figures(self, i: int) -> set[float]:
        if i not in self._figures:
            self._figures[i] = telling_figures(self._texts[i])
        return self._figures[i]

    def words(self, i: int) -> frozenset[str]:
        if i not in self._words:
            self._words[i] = content_words(self._texts[i])
        return self._words[i]


def _plainly_same(
    sim: float,
    a: _PerText,
    i: int,
    b: _PerText,
    j: int,
    thresholds: RestateThresholds,
    wording: bool = True,
) -> bool:
    """The tests that need no NLI model: nearly identical, or related with the same figure or
    (when ``wording``) the same content words."""
    if sim >= thresholds.same:
        return True
    if sim >= thresholds.figures_near and a.figures(i) & b.figures(j):
        return True
    return (
        wording
        and sim >= thresholds.wording_near
        and (word_share(a.words(i), b.words(j)) >= thresholds.wording_share)
    )


def restatement_groups(
    texts: Sequence[str],
    vectors: np.ndarray,
    entail_fn: EntailFn | None,
    thresholds: RestateThresholds = RestateThresholds(),
) -> list[list[int]]:
    """Indices of ``texts`` grouped by finding, each group in reading order.

    Without ``entail_fn`` only near-identical sentences (cosine >= ``same``) and related ones
    reporting the same figure or sharing their content words are grouped.

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
    each = _PerText(texts)
    close: list[tuple[int, int]] = []
    for i in range(n):
        for j in range(i + 1, n):
            if _plainly_same(float(sims[i, j]), each, i, each, j, thresholds):
                parent[root(j)] = root(i)
            elif entail_fn is not None and sims[i, j] >= thresholds.near:
                close.append((i, j))
    if close and entail_fn is not None:
        pairs = [(texts[i], texts[j]) for i, j in close]
        for (i, j), same in zip(close, mutual(entail_fn, pairs, thresholds.entail), strict=True):
            if same:
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

    The tests of :func:`restatement_groups`, each other sentence against its closest claim,
    except shared wording: among all of a paper's sentences, background and set-up sentences
    share a finding's words too ("Limited amounts of training data are available for many NLP
    tasks" against "transfer learning is most helpful when limited training data is available").
    """
    out: dict[int, list[int]] = {}
    if not len(claim_texts) or not len(other_texts):
        return out
    sims = other_vectors @ claim_vectors.T
    best = sims.argmax(axis=1)
    claims, others = _PerText(claim_texts), _PerText(other_texts)
    close = []
    for j, i in enumerate(best):
        if _plainly_same(float(sims[j, i]), claims, int(i), others, j, thresholds, wording=False):
            out.setdefault(int(i), []).append(j)
        elif entail_fn is not None and sims[j, i] >= thresholds.near:
            close.append((int(i), j))
    if close and entail_fn is not None:
        pairs = [(claim_texts[i], other_texts[j]) for i, j in close]
        for (i, j), same in zip(close, mutual(entail_fn, pairs, thresholds.entail), strict=True):
            if same:
                out.setdefault(i, []).append(j)
    return out


def mutual(entail_fn: EntailFn, pairs: Sequence[tuple[str, str]], threshold: float) -> list[bool]:
    """Whether each sentence of each pair entails the other at ``threshold`` or above.

    The way back is asked only of pairs that pass the way there: most do not, and this step
    would otherwise cost more NLI than verifying the claims (3,700 pairs against 2,500 in a
    10-paper report). Scores do not depend on which pairs are scored together
    (:meth:`synth.verify.onnx.OnnxRunner.logits`), so the answer is the same as scoring all.
    """
    forward = entail_fn(list(pairs))
    ahead = [k for k, f in enumerate(forward) if f >= threshold]
    backward = entail_fn([(pairs[k][1], pairs[k][0]) for k in ahead]) if ahead else []
    out = [False] * len(pairs)
    for k, b in zip(ahead, backward, strict=True):
        out[k] = b >= threshold
    return out
