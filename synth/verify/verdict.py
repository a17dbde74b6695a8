"""From NLI scores of (evidence, claim) pairs to one verdict with an honest confidence.

Rules, calibrated in ``training/calibrate_verdicts.py`` and documented in the README:

* Figures matter. Evidence that does not give a claim's figures cannot entail it: its
  entailment mass goes to neutral. Evidence that gives other figures for the same thing
  contradicts it: "the same thing" is decided by the NLI model itself on both sentences with
  their figures masked, since small NLI models read "80.5%" and "85.1%" as alike and a
  reader does not.
* SUPPORTED when the best P(entailment) reaches the support threshold; REFUTED when the best
  P(contradiction) reaches the refute threshold; when both do, the side whose evidence is more
  similar to the claim wins (spurious contradictions come from loosely related sentences);
  otherwise NOT_ENOUGH_INFO. A restatement of the claim in its own paper (tier
  ``restatement``) is shown but never decides: a paper repeating itself shows nothing.
* The confidence is the probability of the verdict given: P(entailment) of the best supporting
  pair, P(contradiction) of the best refuting pair, or for NOT_ENOUGH_INFO the probability that
  the strongest pair decides nothing (1 - max of the two). Thresholds are >= 0.5, so a decided
  claim never shows a confidence below 0.5.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from synth import figures
from synth.settings import VerifySettings
from synth.verify.model import NliScores
from synth.verify.tiers import RESTATEMENT

SUPPORTED, REFUTED, NOT_ENOUGH_INFO = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
ONLY_RESTATED = "only restated elsewhere in its own paper; nothing else shows it"
FIGURES_OK, FIGURES_MISSING, FIGURES_DIFFER = figures.OK, figures.MISSING, figures.DIFFERS
FIGURES_CONFLICT = "conflict"  # differs, and the masked sentences say the same thing
VERDICTS = (SUPPORTED, REFUTED, NOT_ENOUGH_INFO)


@dataclass(frozen=True)
class Thresholds:
    support: float = 0.6
    refute: float = 0.6

    @classmethod
    def of(cls, verify: VerifySettings) -> Thresholds:
        return cls(verify.support_threshold, verify.refute_threshold)

    def as_dict(self) -> dict[str, float]:
        return {"support": self.support, "refute": self.refute}


def figure_status(claim: str, evidence: str) -> str:
    """How the evidence stands to the claim's figures (see :func:`synth.figures.status`)."""
    return figures.status(claim, evidence)


def adjust(scores: NliScores, status: str, same_statement: float = 0.0) -> NliScores:
    """The pair's scores once the claim's figures are taken into account.

    A claim is not entailed by evidence that lacks its figures or gives others: the entailment
    mass goes to neutral. On a conflict (other figures for the same thing) ``same_statement``,
    P(entailment) of the pair with all figures masked, becomes P(contradiction).
    """
    if status == FIGURES_OK:
        return scores
    if scores.neutral is None or scores.contradiction is None:  # 2-way model
        return NliScores(entailment=0.0)
    if status == FIGURES_CONFLICT:
        return NliScores(entailment=0.0, neutral=1.0 - same_statement, contradiction=same_statement)
    return NliScores(
        entailment=0.0,
        neutral=scores.neutral + scores.entailment,
        contradiction=scores.contradiction,
    )


@dataclass(frozen=True)
class ScoredEvidence:
    """One candidate evidence sentence and what the model made of it."""

    passage: object  # synth.verify.evidence.Passage
    raw: NliScores
    scores: NliScores  # after the figures rule
    similarity: float
    figures: str  # FIGURES_OK | FIGURES_MISSING | FIGURES_DIFFER | FIGURES_CONFLICT
    cross_paper: bool
    premise: str = ""  # exactly what the model read
    tier: str = ""  # see synth.verify.tiers
    subject: float = 1.0  # share of the claim's names (or words) the evidence mentions
    window: NliScores | None = None  # scores with the neighbouring sentences read too
    own_paper: bool = False  # from the paper the claim was extracted from

    @property
    def can_refute(self) -> bool:
        """Whether this evidence may refute the claim at all: not when it comes from the
        claim's own paper.

        A paper does not contradict its own findings. When the NLI model reads a contradiction
        between a paper's claim and another of its sentences, that sentence is a paraphrase, a
        restatement or about another setting: all 10 "refuted" claims of a default report were
        such (``training/own_paper_pairs.py`` counts the model calling restatements
        contradictions), and so were all 6 that rested on "different figures for the same
        thing" within a paper in four reports (84.6 F1 on SRL against 70.4 F1 on coreference;
        "more than 9.1 BLEU" against "34.3 BLEU ..., improving ... by more than 9 BLEU").
        Claims without a paper (audits, ``eval-claims``) are refuted by their sources as before.
        """
        return not self.own_paper

    @property
    def counted_refute(self) -> float:
        """P(contradiction) as the threshold rule counts it: 0 for evidence that cannot refute."""
        return self.refute_prob if self.can_refute else 0.0

    @property
    def number_conflict(self) -> bool:
        """The evidence gives other figures for the same thing, so it refutes the claim's."""
        return self.figures == FIGURES_CONFLICT

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

    @property
    def entailment_read(self) -> tuple[float, bool]:
        """P(entailment) as verdicts count it, and whether the window gave it: the sentence's,
        or the sentence read with its neighbours when that is higher and the figures agree (a
        window never lifts a figure mismatch)."""
        alone = self.scores.entailment
        if self.window is None or self.figures != FIGURES_OK:
            return alone, False
        return (self.window.entailment, True) if self.window.entailment > alone else (alone, False)

    @property
    def contradiction_read(self) -> tuple[float, bool]:
        """P(contradiction) as verdicts count it (sentence or window), and whether the window
        gave it."""
        alone = self.refute_prob
        if self.window is None or self.window.contradiction is None:
            return alone, False
        window = self.window.contradiction
        return (window, True) if window > alone else (alone, False)

    def shown_for(self, verdict: str) -> tuple[str, float, bool]:
        """(label, probability, read with its neighbours) of this evidence as listed under
        ``verdict``: what it shows for that verdict.

        Why not the sentence's own top label: a claim supported because the sentence entails it
        once read with its neighbours would be listed beside "neutral 0.56", a label that
        contradicts the verdict next to it (11 of 55 decided claims of the default report).
        """
        if verdict == SUPPORTED:
            label, (prob, window) = "entailment", self.entailment_read
        elif verdict == REFUTED:
            label, (prob, window) = "contradiction", self.contradiction_read
        else:
            label, prob, window = self.label, self.label_prob, False
        # rounded as stored, so that a report rebuilt from the database shows the same figure
        # (0.594996 shows as 0.59, but stored as 0.595 it would show as 0.60)
        return label, round(float(prob), CONFIDENCE_DIGITS), window


CONFIDENCE_DIGITS = 4  # as stored: a report rebuilt from the database shows the same figures


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    reason: str
    evidence: list[ScoredEvidence] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Rounded at birth, not only when stored: 0.67496 shows as 0.67 but is stored as
        # 0.675, which shows as 0.68, so the first report and its rebuild would differ.
        object.__setattr__(self, "confidence", round(float(self.confidence), CONFIDENCE_DIGITS))


def decide(evidence: Sequence[ScoredEvidence], thresholds: Thresholds) -> Verdict:
    """The verdict of a claim given its scored candidate evidence (see the module docstring)."""
    if not evidence:
        return Verdict(NOT_ENOUGH_INFO, 1.0, "no candidate evidence in the sources", [])
    # A restatement of the claim in its own paper shows nothing: shown last, never decisive.
    restated = [e for e in evidence if e.tier == RESTATEMENT]
    evidence = [e for e in evidence if e.tier != RESTATEMENT]
    if not evidence:
        return Verdict(NOT_ENOUGH_INFO, 1.0, ONLY_RESTATED, restated)
    best_support = max(evidence, key=lambda e: e.scores.entailment)
    best_refute = max(evidence, key=lambda e: e.counted_refute)
    support = best_support.scores.entailment
    refute = best_refute.counted_refute
    supported, refuted = support >= thresholds.support, refute >= thresholds.refute
    if supported and refuted:
        # Both pass: trust the evidence closer to the claim. A contradiction from a loosely
        # related sentence ("we focus on classification") must not outvote the claim's restatement.
        supported = best_support.similarity >= best_refute.similarity
    if supported:
        ordered = sorted(evidence, key=lambda e: -e.scores.entailment) + restated
        where = "another paper" if best_support.cross_paper else "the same paper"
        return Verdict(SUPPORTED, support, f"entailed by evidence from {where}", ordered)
    if refuted:
        ordered = sorted(evidence, key=lambda e: -e.counted_refute) + restated
        if best_refute.number_conflict:
            reason = "the evidence gives different figures for the same thing"
        else:
            reason = "contradicted by the evidence"
        if best_refute.cross_paper:
            reason += " (from another paper)"
        return Verdict(REFUTED, refute, reason, ordered)
    ordered = sorted([*evidence, *restated], key=lambda e: -e.similarity)
    conflict = any(e.number_conflict for e in evidence)
    reason = (
        "figures differ from the closest evidence"
        if conflict
        else "no evidence entails or contradicts the claim strongly enough"
    )
    return Verdict(NOT_ENOUGH_INFO, 1.0 - max(support, refute), reason, ordered)
