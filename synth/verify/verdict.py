"""From NLI scores of (evidence, claim) pairs to one verdict with an honest confidence.

Rules, calibrated in ``training/calibrate_verdicts.py`` and documented in the README:

* Figures matter. When a claim and an evidence sentence speak of the same thing but the claim's
  numbers are not among the evidence's numbers, the pair's entailment mass is moved to
  contradiction: small NLI models read "80.5%" and "85.1%" as alike, a reader does not.
* SUPPORTED when the best P(entailment) reaches the support threshold and beats the best
  P(contradiction); REFUTED when the best P(contradiction) reaches the refute threshold;
  otherwise NOT_ENOUGH_INFO.
* The confidence is the probability of the verdict given: P(entailment) of the best supporting
  pair, P(contradiction) of the best refuting pair, or for NOT_ENOUGH_INFO the probability that
  the strongest pair decides nothing (1 - max of the two). Thresholds are >= 0.5, so a decided
  claim never shows a confidence below 0.5.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from synth.verify.model import NliScores

SUPPORTED, REFUTED, NOT_ENOUGH_INFO = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
VERDICTS = (SUPPORTED, REFUTED, NOT_ENOUGH_INFO)

# A number standing alone: not inside a name like "GPT-2", "L6" or "x86", not a citation "[12]".
_NUMBER = re.compile(r"(?<![\w.\-/\[])(\d+(?:,\d{3})*(?:\.\d+)?)(\s?%|\s?percent)?(?![\w\]])")
_WORD = re.compile(r"[a-z][a-z\-]+")
_STOP = frozenset(
    {
        "a",
        "also",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "both",
        "by",
        "can",
        "for",
        "from",
        "in",
        "is",
        "it",
        "its",
        "less",
        "more",
        "most",
        "of",
        "on",
        "or",
        "our",
        "such",
        "than",
        "that",
        "the",
        "their",
        "then",
        "these",
        "they",
        "this",
        "those",
        "to",
        "was",
        "we",
        "were",
        "which",
        "with",
    }
)


@dataclass(frozen=True)
class Thresholds:
    support: float = 0.6
    refute: float = 0.6

    def as_dict(self) -> dict[str, float]:
        return {"support": self.support, "refute": self.refute}


def numbers(text: str) -> set[float]:
    """The figures a sentence states, as values (years 1900-2099 and list markers left out)."""
    out = set()
    for m in _NUMBER.finditer(text):
        raw = m.group(1).replace(",", "")
        value = float(raw)
        if m.group(2) is None and "." not in raw and 1900 <= value <= 2099:
            continue  # a year, not a measurement
        out.add(value)
    return out


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def same_topic(claim: str, evidence: str) -> bool:
    """Whether two sentences plausibly speak of the same quantity (shared content words)."""
    a, b = content_words(claim), content_words(evidence)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.5


def number_conflict(claim: str, evidence: str) -> bool:
    """The claim states a figure the evidence, speaking of the same thing, does not give."""
    claimed, given = numbers(claim), numbers(evidence)
    if not claimed or not given:
        return False
    missing = {c for c in claimed if not any(abs(c - g) < 1e-9 for g in given)}
    return bool(missing) and same_topic(claim, evidence)


def adjust(scores: NliScores, conflict: bool) -> NliScores:
    """Move entailment mass to contradiction when the figures conflict."""
    if not conflict:
        return scores
    if scores.neutral is None or scores.contradiction is None:  # 2-way model
        return NliScores(entailment=0.0)
    return NliScores(
        entailment=0.0,
        neutral=scores.neutral,
        contradiction=scores.contradiction + scores.entailment,
    )


@dataclass(frozen=True)
class ScoredEvidence:
    """One candidate evidence sentence and what the model made of it."""

    passage: object  # synth.verify.evidence.Passage
    raw: NliScores
    scores: NliScores  # after the figures rule
    similarity: float
    number_conflict: bool
    cross_paper: bool

    @property
    def refute_prob(self) -> float:
        if self.scores.contradiction is not None:
            return self.scores.contradiction
        return 0.0

    @property
    def label(self) -> str:
        return self.scores.label

    @property
    def label_prob(self) -> float:
        return self.scores.as_dict()[self.scores.label]


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    reason: str
    evidence: list[ScoredEvidence] = field(default_factory=list)


def decide(evidence: Sequence[ScoredEvidence], thresholds: Thresholds) -> Verdict:
    """The verdict of a claim given its scored candidate evidence (see the module docstring)."""
    if not evidence:
        return Verdict(NOT_ENOUGH_INFO, 1.0, "no candidate evidence in the sources", [])
    best_support = max(evidence, key=lambda e: e.scores.entailment)
    best_refute = max(evidence, key=lambda e: e.refute_prob)
    support, refute = best_support.scores.entailment, best_refute.refute_prob
    if support >= thresholds.support and support > refute:
        ordered = sorted(evidence, key=lambda e: -e.scores.entailment)
        where = "another paper" if best_support.cross_paper else "the same paper"
        return Verdict(SUPPORTED, support, f"entailed by evidence from {where}", ordered)
    if refute >= thresholds.refute:
        ordered = sorted(evidence, key=lambda e: -e.refute_prob)
        if best_refute.number_conflict:
            reason = "the evidence gives different figures for the same thing"
        else:
            reason = "contradicted by the evidence"
        if best_refute.cross_paper:
            reason += " (from another paper)"
        return Verdict(REFUTED, refute, reason, ordered)
    ordered = sorted(evidence, key=lambda e: -e.similarity)
    conflict = any(e.number_conflict for e in evidence)
    reason = (
        "figures differ from the closest evidence"
        if conflict
        else "no evidence entails or contradicts the claim strongly enough"
    )
    return Verdict(NOT_ENOUGH_INFO, 1.0 - max(support, refute), reason, ordered)
