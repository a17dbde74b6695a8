"""The features the claim classifier reads: where a sentence sits and its cue words.

One module builds them for training (``training/claims_classifier.py``) and for extraction, so
the fitted coefficients always line up with the features they were fitted on. Here the
sentence's words enter only through cue flags: with a few hundred hand-labelled body sentences,
hashed n-grams and frozen MiniLM embeddings were both measured to generalise worse across papers
(grouped cross-validation; see the training script's docstring). The sentence's meaning enters
through one more feature, the fine-tuned reader's logit (:mod:`synth.claims.sentence_model`),
which :func:`synth.claims.classifier.classifier_features` appends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from synth.claims.cues import (
    _CITATION,
    _FIRST_PERSON,
    COMPARATIVE,
    CONTRIBUTION_CUES,
    FINDING_CUES,
    METHOD_CUES,
    NUMBER,
    PRONOUN_START,
    RESULT_CUES,
    looks_garbled,
)
from synth.claims.nonclaim import non_claim_reason
from synth.claims.sections import SECTION_CATEGORIES, section_category

_HEDGE = re.compile(
    r"\b(?:may|might|could|we (?:hypothesi[sz]e|conjecture|believe|expect)|perhaps|possibly)\b",
    re.IGNORECASE,
)
_DEFINITION = re.compile(r"\b(?:is defined as|refers to|consists? of|is composed of|denote)\b")


@dataclass(frozen=True)
class Place:
    """Where a sentence sits in its paper.

    Attributes:
        section: The section's heading name ("5.2 Results"), or "" for none.
        section_kind: "abstract", "body", "title" or "references".
        position: Index of the sentence in the paper / number of sentences (0..1).
        section_position: Index within its section / (sentences in the section - 1) (0..1).
        parent: The top-level section a numbered subsection sits in, or "".
    """

    section: str
    section_kind: str
    position: float
    section_position: float
    parent: str = ""


CUE_NAMES = (
    "result_cue",
    "number",
    "result_and_number",
    "finding_cue",
    "contribution_cue",
    "method_cue",
    "first_person",
    "citation",
    "pronoun_start",
    "hedge",
    "comparative",
    "definition",
    "garbled",
    "rule_hit",
    "words",
)
FEATURE_NAMES = (
    *(f"section={c}" for c in SECTION_CATEGORIES),
    "position",
    "section_position",
    *CUE_NAMES,
)


def cue_features(text: str) -> list[float]:
    """Cue-word flags of one sentence, in the order of :data:`CUE_NAMES`."""
    numbers = len(NUMBER.findall(text))
    results = len(RESULT_CUES.findall(text))
    return [
        min(results, 3) / 3,
        min(numbers, 3) / 3,
        float(bool(results and numbers)),
        float(bool(FINDING_CUES.search(text))),
        float(bool(CONTRIBUTION_CUES.search(text))),
        float(bool(METHOD_CUES.search(text))),
        float(bool(_FIRST_PERSON.search(text))),
        float(bool(_CITATION.search(text))),
        float(bool(PRONOUN_START.match(text))),
        float(bool(_HEDGE.search(text))),
        float(bool(COMPARATIVE.search(text))),
        float(bool(_DEFINITION.search(text))),
        float(looks_garbled(text)),
        float(non_claim_reason(text) is not None),
        min(len(text.split()), 60) / 60,
    ]


def place_features(place: Place) -> list[float]:
    """One-hot section category plus the two relative positions."""
    category = section_category(place.section, place.section_kind, place.parent)
    return [
        *(float(category == c) for c in SECTION_CATEGORIES),
        place.position,
        place.section_position,
    ]


def hand_features(texts: list[str], places: list[Place]) -> np.ndarray:
    """Rows of ``[place features, cue features]`` (see :data:`FEATURE_NAMES`).

    Example:
        >>> hand_features(["We show X."], [Place("6 Conclusion", "body", 0.95, 0.2)]).shape
        (1, 23)
    """
    rows = [place_features(p) + cue_features(t) for t, p in zip(texts, places, strict=True)]
    return np.array(rows, dtype=np.float32).reshape(len(texts), len(FEATURE_NAMES))
