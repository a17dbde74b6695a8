"""The fitted claim classifier: a logistic regression over place, cue and reader features.

The artifact (``synth/models/claims-lr/``) is two small files written by
``training/claims_classifier.py``: ``weights.npz`` (the features' mean and scale, the
coefficients, the intercept) and ``model.json`` (feature names, decision threshold, how it was
fitted). It is plain numbers, so applying it needs numpy only, not scikit-learn. The last
feature is the fine-tuned MiniLM reader's logit (:mod:`synth.claims.sentence_model`): the cue
flags see words and places, the reader the sentence's meaning, and together they keep more
claims at the same precision than either alone (``training/claims/figures.json``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from synth.claims.features import FEATURE_NAMES, Place, hand_features
from synth.claims.sentence_model import PairLogits, claim_logits
from synth.errors import ModelError

MODEL_DIR = "claims-lr"
READER_FEATURE = "reader_logit"
ALL_FEATURES = (*FEATURE_NAMES, READER_FEATURE)


def classifier_features(
    texts: Sequence[str], places: Sequence[Place], reader: PairLogits | None = None
) -> np.ndarray:
    """Rows of ``[place and cue features, reader logit]`` (see :data:`ALL_FEATURES`);
    ``reader`` computes the reader's pair logits (default: the shipped model, uncached)."""
    hand = hand_features(list(texts), list(places))
    logits = claim_logits(list(texts), [p.section for p in places], reader)
    return np.hstack([hand, logits.reshape(-1, 1).astype(np.float32)])


@dataclass(frozen=True)
class ClaimClassifier:
    """P(claim) for sentences in their place; ``threshold`` is where a sentence is kept."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float

    def probability(
        self, texts: Sequence[str], places: Sequence[Place], reader: PairLogits | None = None
    ) -> np.ndarray:
        """P(claim) of each sentence (``reader``: see :func:`classifier_features`).

        Example:
            >>> load_classifier().probability(
            ...     ["BERT outperforms ELMo by 4 points on GLUE."],
            ...     [Place("6 Conclusion", "body", 0.95, 0.5)],
            ... )  # doctest: +SKIP
            array([0.93])
        """
        if not texts:
            return np.zeros(0, dtype=np.float32)
        return self.probability_of(classifier_features(texts, places, reader))

    def probability_of(self, features: np.ndarray) -> np.ndarray:
        """P(claim) of rows already built by :func:`classifier_features`."""
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, folder: Path, info: dict) -> None:
        """Write the artifact; ``info`` (data, choices) goes into ``model.json`` for the record."""
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz",
            mean=self.mean.astype(np.float32),
            scale=self.scale.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=np.float32(self.intercept),
        )
        meta = {"features": list(ALL_FEATURES), "threshold": self.threshold}
        (folder / "model.json").write_text(json.dumps({**meta, **info}, indent=2) + "\n")


def read_classifier(folder: Path) -> ClaimClassifier:
    """Load an artifact written by :meth:`ClaimClassifier.save`."""
    try:
        meta = json.loads((folder / "model.json").read_text())
        if meta["features"] != list(ALL_FEATURES):
            raise ValueError("its features are not the ones synth computes")
        with np.load(folder / "weights.npz") as w:
            return ClaimClassifier(
                mean=w["mean"],
                scale=w["scale"],
                coef=w["coef"],
                intercept=float(w["intercept"]),
                threshold=float(meta["threshold"]),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(
            f"cannot read the claim classifier in {folder} ({exc}); "
            "rebuild it with: python training/claims_classifier.py"
        ) from exc


@cache
def load_classifier() -> ClaimClassifier:
    """The shipped classifier, loaded once per process."""
    return read_classifier(Path(str(resources.files("synth") / "models" / MODEL_DIR)))
