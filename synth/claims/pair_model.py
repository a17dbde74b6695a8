"""Whether two sentences of one paper state the same finding: a small fitted pair model.

A logistic regression over what two statements of one finding share, fitted by
``training/fit_restatements.py`` on the restatements written down in
``tests/fixtures/key_findings.json`` (``synth/models/restate-lr/model.json``):

* ``cos``: the sentence embeddings' cosine;
* ``tfidf`` and ``idf_share``: the content words they share, each weighted by its inverse
  document frequency *within the paper*. A finding's restatements share the words specific to
  that result ("25%", "Twitter", "distant supervision"); two distinct findings of one paper share
  only the paper's everyday words (its model's name, "outperforms"), which the weighting
  discounts. This is what cosine alone cannot see: distinct results on one benchmark are close
  in embedding space;
* ``share``: the plain share of the shorter sentence's content words, when at least
  :data:`MIN_SHARED_WORDS` are shared;
* ``figure``: both report one figure that identifies a result (not a small count), up to
  rounding;
* ``len_ratio``: the shorter sentence's length over the longer's.

One rule overrides the model: two sentences that both report telling figures and share none
(up to rounding: 68% and 67.8% agree; a small whole number of the same kind may round the
other's figure, "more than 9 BLEU" and "more than 9.1 BLEU") do not state one finding,
whatever their words.
"34.3 BLEU on WMT'16 German-English" and "38.5 BLEU on WMT'16 Romanian-English" are two
results; merging them hides one, and a claim's restatements never count as its support.

The NLI model's entailment both ways was a feature too, and dropped: on the same pairs it added
no recall at any precision (``training/claims/restate_model_eval.json``), and its pairs were a
large share of a first report's NLI. Everything is computed for all pairs at once with matrix
products; the figure test (which parses with pint) runs only for pairs it could decide.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from synth.figures import parse as parse_figures

MODEL_FILE = Path(__file__).resolve().parents[1] / "models" / "restate-lr" / "model.json"
FEATURES = ("cos", "tfidf", "idf_share", "share", "figure", "len_ratio")

_WORD = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")  # "self-consistent", "3.6" and "v1.1" whole
# Fewer shared words than this are no evidence: "The DAN encoder is trained similarly to the
# Transformer based encoder" shares 3 of its 5 with a finding about transformer-based encoders.
MIN_SHARED_WORDS = 4
VETOED = -50.0  # the logit of a pair whose figures conflict (see figures_conflict)
# Function words of four letters or more (shorter words never count as content words).
_FUNCTION_WORDS = frozenset(
    "that this these those then than from with into onto over under also were been being their "
    "there which while where when such both each other only more most very much many some "
    "about between does have having".split()
)


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


class Reported(NamedTuple):
    """A figure a sentence reports: its value, the decimals it is written with, whether it is
    telling (identifies a result) and its kind (``synth.figures.Figure.kind``)."""

    value: float
    decimals: int
    telling: bool
    kind: str


Figures = frozenset[Reported]


def telling_figures(text: str) -> Figures:
    """The figures of ``text``, each marked whether it is telling: a telling figure identifies
    a result; a small number written whole (1-10) is usually a count ("2 models") and
    identifies none ("3.0 points" is telling).

    >>> sorted((f.value, f.telling) for f in telling_figures("Our 2 models reach 73.3 EM."))
    [(2.0, False), (73.3, True)]
    """
    return frozenset(
        Reported(
            round(f.value, 4), f.decimals, not (f.decimals == 0 and abs(f.value) <= 10), f.kind
        )
        for f in parse_figures(text)
    )


def _agree(x: Reported, y: Reported) -> bool:
    """One figure, compared at the precision the coarser one is written with (68 and 67.8
    agree; 3.0 and 3.2 do not)."""
    places = min(x.decimals, y.decimals)
    return round(x.value, places) == round(y.value, places)


def figures_shared(a: Figures, b: Figures) -> bool:
    """Both sentences report one telling figure, up to rounding.

    >>> figures_shared(telling_figures("It reaches 68% on 200,000 pairs."),
    ...                telling_figures("Accuracy is 67.8%."))
    True
    """
    return any(_agree(x, y) for x in a if x.telling for y in b if y.telling)


def figures_conflict(a: Figures, b: Figures) -> bool:
    """Both sentences report telling figures and none agree, each pair compared at the coarser
    one's precision (a rounded restatement is the same figure). A small whole number may be
    the rounding of the other's telling figure of the same kind: "more than 9 BLEU" restates
    "by more than 9.1 BLEU", but "3 tasks" is not "3.2 points", and two small numbers never
    make a match ("2 layers", "2 datasets").

    >>> def conflict(x, y):
    ...     return figures_conflict(telling_figures(x), telling_figures(y))
    >>> conflict("We obtain 34.3 BLEU.", "We obtain 38.5 BLEU.")
    True
    >>> conflict("It reaches 68% with 12.5 hours.", "Accuracy is 67.8%.")
    False
    >>> conflict("34.3 BLEU, up more than 9 BLEU.", "Up by more than 9.1 BLEU.")
    False
    >>> conflict("34.3 BLEU, up more than 4 BLEU.", "A boost of 3.6% accuracy.")
    True
    >>> conflict("We obtain 34.3 BLEU.", "We obtain state-of-the-art results.")
    False
    """
    if not any(x.telling for x in a) or not any(y.telling for y in b):
        return False
    return not any(
        _agree(x, y) and ((x.telling and y.telling) or x.kind == y.kind)
        for x in a
        for y in b
        if x.telling or y.telling
    )


def paper_idf(texts: Sequence[str]) -> dict[str, float]:
    """Smoothed inverse document frequency of each content word over a paper's sentences.

    >>> idf = paper_idf(["BERT wins on GLUE.", "BERT wins on SQuAD.", "BERT is deep."])
    >>> idf["bert"] < idf["glue"]
    True
    """
    df = Counter(w for t in texts for w in content_words(t))
    n = len(texts)
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


@dataclass(frozen=True)
class PairModel:
    """The fitted logistic regression: ``coef`` per name of :data:`FEATURES`, and the logit at
    or above which a pair is one finding (chosen for pair precision, see ``model.json``)."""

    coef: Mapping[str, float]
    intercept: float
    threshold: float

    def logits(self, features: Mapping[str, np.ndarray]) -> np.ndarray:
        return self.intercept + sum(self.coef[k] * features[k] for k in FEATURES)


@cache
def load_pair_model(path: Path = MODEL_FILE) -> PairModel:
    """The shipped pair model (``synth/models/restate-lr/model.json``)."""
    spec = json.loads(path.read_text())
    return PairModel(dict(spec["coef"]), float(spec["intercept"]), float(spec["threshold_logit"]))


@cache
def load_restatement_floor(path: Path = MODEL_FILE) -> float:
    """The P(claim) a sentence the classifier did not keep needs to be listed as a kept claim's
    restatement (``restatement_floor`` in ``model.json``, set by ``training/fit_restatements.py``
    so that nearly every restatement written down on the training papers reaches it)."""
    return float(json.loads(path.read_text()).get("restatement_floor", 0.0))


def _word_matrix(words: Sequence[frozenset[str]], vocab: Mapping[str, int]) -> np.ndarray:
    m = np.zeros((len(words), len(vocab)), dtype=np.float32)
    for i, ws in enumerate(words):
        m[i, [vocab[w] for w in ws]] = 1.0
    return m


def pair_features(
    texts_a: Sequence[str],
    vectors_a: np.ndarray,
    texts_b: Sequence[str],
    vectors_b: np.ndarray,
    idf: Mapping[str, float],
) -> dict[str, np.ndarray]:
    """Every feature but ``figure`` for every (a, b) pair, as len(a) x len(b) matrices.

    Words missing from ``idf`` count as the rarest (seen in no other sentence).
    """
    words_a = [content_words(t) for t in texts_a]
    words_b = [content_words(t) for t in texts_b]
    vocab = {w: k for k, w in enumerate(sorted(set().union(*words_a, *words_b)))}
    rarest = max(idf.values(), default=1.0)
    weight = np.array([idf.get(w, rarest) for w in vocab], dtype=np.float32)
    a, b = _word_matrix(words_a, vocab), _word_matrix(words_b, vocab)
    shared = a @ b.T
    count_a, count_b = a.sum(1)[:, None], b.sum(1)[None, :]
    smaller = np.maximum(np.minimum(count_a, count_b), 1.0)
    wa, wb = a * weight, b * weight
    norm = np.sqrt((wa * wa).sum(1))[:, None] * np.sqrt((wb * wb).sum(1))[None, :]
    mass = np.minimum((wa.sum(1))[:, None], (wb.sum(1))[None, :])
    len_a = np.array([len(t) for t in texts_a], dtype=np.float32)[:, None]
    len_b = np.array([len(t) for t in texts_b], dtype=np.float32)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "cos": (vectors_a @ vectors_b.T).astype(np.float32),
            "tfidf": np.nan_to_num((wa @ wb.T) / norm),
            "idf_share": np.nan_to_num((wa @ b.T) / mass),
            "share": np.where(shared >= MIN_SHARED_WORDS, shared / smaller, 0.0),
            "len_ratio": np.minimum(len_a, len_b) / np.maximum(np.maximum(len_a, len_b), 1.0),
            "figure": np.zeros_like(shared),
        }


def finding_logits(
    texts_a: Sequence[str],
    vectors_a: np.ndarray,
    texts_b: Sequence[str],
    vectors_b: np.ndarray,
    idf: Mapping[str, float],
    model: PairModel | None = None,
) -> np.ndarray:
    """A len(a) x len(b) matrix of the model's logits that a's sentence states b's finding
    (one finding when >= ``model.threshold``).

    The figures (pint parsing) are read only for pairs they could decide: where a shared figure
    would cross the threshold, and where conflicting figures would veto a pair above it
    (:data:`VETOED`).
    """
    model = model or load_pair_model()
    logits = model.logits(pair_features(texts_a, vectors_a, texts_b, vectors_b, idf))
    lift = max(model.coef["figure"], 0.0)
    figures_a: dict[int, Figures] = {}
    figures_b = figures_a if texts_b is texts_a else {}

    def figures(cache: dict[int, Figures], texts: Sequence[str], i: int):
        if i not in cache:
            cache[i] = telling_figures(texts[i])
        return cache[i]

    for i, j in np.argwhere(logits + lift >= model.threshold):
        fa, fb = figures(figures_a, texts_a, int(i)), figures(figures_b, texts_b, int(j))
        if figures_conflict(fa, fb):
            logits[i, j] = VETOED
        elif logits[i, j] < model.threshold and figures_shared(fa, fb):
            logits[i, j] += lift
    return logits
