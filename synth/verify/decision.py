"""The claim-level decision: one verdict from all of a claim's evidence, with a measured confidence.

Single pairs mislead: the best P(entailment) may come from a restatement, a contradiction from
a sentence about another method, a figure mismatch from a sentence about another dataset. So
the verdict is decided from features of the whole candidate set (best and second-best pair
scores, evidence windows, figure checks, similarity, subject overlap, tiers) by a small
multinomial logistic regression fitted on development claims (``training/fit_decision.py``),
and its probability is calibrated (temperature fitted on out-of-fold predictions) so that the
confidence shown is the probability that the verdict is right, measured as ECE on held-out
claims. The fitted parameters live next to the NLI model they were fitted on
(``decision.json``); a model without one falls back to the threshold rule of
:func:`synth.verify.verdict.decide`, and says so in the reason.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from synth import figures
from synth.verify.tiers import CROSS_PAPER, RESTATEMENT
from synth.verify.verdict import (
    FIGURES_CONFLICT,
    NOT_ENOUGH_INFO,
    ONLY_RESTATED,
    REFUTED,
    SUPPORTED,
    ScoredEvidence,
    Thresholds,
    Verdict,
    decide,
)

DECISION_FILE = "decision.json"
CLASSES = (SUPPORTED, REFUTED, NOT_ENOUGH_INFO)
# Contradiction from another paper must be stronger than from the claim's own paper: papers
# disagree about set-ups far more often than they contradict each other's findings.
CROSS_PAPER_REFUTE_FACTOR = 0.5
SAME_SUBJECT = 0.5


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def refute_strength(e: ScoredEvidence) -> float:
    """P(contradiction) counted only for evidence about the claim's subject that may refute it
    (:attr:`ScoredEvidence.can_refute`; never a restatement), less across papers."""
    if e.subject < SAME_SUBJECT or e.tier == RESTATEMENT or not e.can_refute:
        return 0.0
    p = e.contradiction_read[0]
    return p * (CROSS_PAPER_REFUTE_FACTOR if e.tier == CROSS_PAPER else 1.0)


def support_strength(e: ScoredEvidence) -> float:
    """P(entailment) of the sentence or of its window; a restatement never supports, nor does
    another paper's sentence that is not about the claim's subject (papers on one topic share
    their words: ``training/cross_paper_support.py`` measures what this rule keeps)."""
    if e.tier == RESTATEMENT or (e.cross_paper and e.subject < SAME_SUBJECT):
        return 0.0
    return e.entailment_read[0]


def features(claim: str, evidence: Sequence[ScoredEvidence]) -> dict[str, float]:
    """Numbers describing the whole candidate set of one claim (all in [0, 1] or logits)."""
    from rapidfuzz import fuzz

    restated = any(e.tier == RESTATEMENT for e in evidence)
    # A restatement says nothing about whether the claim holds: it is left out of every feature
    # but the flag, so a claim its paper merely repeats is not "supported" by its own echo.
    evidence = [e for e in evidence if e.tier != RESTATEMENT]
    support = [*sorted((support_strength(e) for e in evidence), reverse=True), 0.0, 0.0]
    refute = [*sorted((refute_strength(e) for e in evidence), reverse=True), 0.0, 0.0]
    best_s = max(evidence, key=support_strength, default=None)
    best_r = max(evidence, key=refute_strength, default=None)
    sims = [e.similarity for e in evidence] or [0.0]
    closest = max(evidence, key=lambda e: e.similarity, default=None)
    raw_con = max((e.raw.contradiction or 0.0 for e in evidence), default=0.0)
    return {
        "support": support[0],
        "support_logit": _logit(support[0]),
        "support_2nd": support[1],
        "refute": refute[0],
        "refute_logit": _logit(refute[0]),
        "refute_2nd": refute[1],
        "raw_contradiction": raw_con,
        "conflict": float(
            any(e.figures == FIGURES_CONFLICT and e.subject >= SAME_SUBJECT for e in evidence)
        ),
        "sim_max": max(sims),
        "sim_support": best_s.similarity if best_s else 0.0,
        "sim_refute": best_r.similarity if best_r else 0.0,
        "subject_refute": best_r.subject if best_r else 0.0,
        "claim_has_figures": float(figures.has_figures(claim)),
        "overlap": fuzz.token_set_ratio(claim.lower(), closest.passage.text.lower()) / 100
        if closest
        else 0.0,
        "restated": float(restated),
    }


@dataclass(frozen=True)
class DecisionModel:
    """Fitted parameters: standardisation, one weight vector per verdict, a temperature."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per class in CLASSES order
    intercept: tuple[float, ...]
    temperature: float
    platt: dict[str, tuple[float, float]] = field(default_factory=dict)
    fitted_on: str = ""

    @classmethod
    def load(cls, path: Path) -> DecisionModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            names=tuple(data["names"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(tuple(r) for r in data["coef"]),
            intercept=tuple(data["intercept"]),
            temperature=float(data["temperature"]),
            platt={k: (float(a), float(b)) for k, (a, b) in data.get("platt", {}).items()},
            fitted_on=data.get("fitted_on", ""),
        )

    def logits(self, feats: dict[str, float]) -> list[float]:
        # A feature constant in the fitting data (scale ~0) carries no weight; keep it finite.
        x = [
            (feats[n] - m) / (s if s > 1e-3 else 1.0)
            for n, m, s in zip(self.names, self.mean, self.scale, strict=True)
        ]
        return [
            b + sum(w * v for w, v in zip(row, x, strict=True))
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]

    def probabilities(self, feats: dict[str, float]) -> dict[str, float]:
        """Calibrated P(verdict) for each verdict."""
        z = [v / self.temperature for v in self.logits(feats)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {c: v / total for c, v in zip(CLASSES, e, strict=True)}


# A verdict must rest on evidence that says so: SUPPORTED needs a pair (or window) entailing
# the claim with its figures, REFUTED one contradicting it about the same subject. Without one,
# the fitted model's choice is confined to the verdicts the evidence allows.
MIN_EVIDENCE = 0.5


def constrain(probs: dict[str, float], feats: dict[str, float]) -> dict[str, float]:
    """The decision's probabilities renormalised over the verdicts the evidence allows."""
    allowed = {NOT_ENOUGH_INFO}
    if feats["support"] >= MIN_EVIDENCE:
        allowed.add(SUPPORTED)
    if feats["refute"] >= MIN_EVIDENCE:
        allowed.add(REFUTED)
    total = sum(probs[c] for c in allowed) or 1.0
    return {c: probs[c] / total if c in allowed else 0.0 for c in CLASSES}


def confidence(model: DecisionModel, verdict: str, p: float) -> float:
    """P(the verdict is right): the verdict's probability through its fitted Platt scaling.

    Needed because :func:`constrain` renormalises: a claim left with one allowed verdict would
    otherwise always show 1.0.
    """
    a, b = model.platt.get(verdict, (1.0, 0.0))
    p = min(max(p, 1e-4), 1 - 1e-4)
    return 1 / (1 + math.exp(-(a * math.log(p / (1 - p)) + b)))


def load_decision(model_dir: str | None) -> DecisionModel | None:
    """The decision fitted for the NLI model in ``model_dir``, if there is one."""
    if not model_dir:
        return None
    path = Path(model_dir) / DECISION_FILE
    return DecisionModel.load(path) if path.is_file() else None


def decide_claim(
    claim: str,
    evidence: Sequence[ScoredEvidence],
    model: DecisionModel | None,
    thresholds: Thresholds,
) -> Verdict:
    """The claim's verdict and the probability that it is right."""
    if not evidence:
        return Verdict(NOT_ENOUGH_INFO, 1.0, "no candidate evidence in the sources", [])
    if model is None:
        v = decide(evidence, thresholds)
        return Verdict(
            v.verdict, v.confidence, v.reason + " (threshold rule, uncalibrated)", v.evidence
        )
    feats = features(claim, evidence)
    probs = constrain(model.probabilities(feats), feats)
    verdict = max(probs, key=probs.__getitem__)
    return Verdict(
        verdict,
        confidence(model, verdict, probs[verdict]),
        _reason(verdict, evidence),
        _ordered(verdict, evidence),
    )


def _ordered(verdict: str, evidence: Sequence[ScoredEvidence]) -> list[ScoredEvidence]:
    if verdict == SUPPORTED:
        return sorted(evidence, key=lambda e: -support_strength(e))
    if verdict == REFUTED:
        return sorted(evidence, key=lambda e: -refute_strength(e))
    return sorted(evidence, key=lambda e: -e.similarity)


def _reason(verdict: str, evidence: Sequence[ScoredEvidence]) -> str:
    if verdict == SUPPORTED:
        best = max(evidence, key=support_strength)
        where = {CROSS_PAPER: "another paper"}.get(
            best.tier, best.tier.replace("_", " ") or "the sources"
        )
        return f"entailed by evidence ({where})"
    if verdict == REFUTED:
        best = max(evidence, key=refute_strength)
        if best.figures == FIGURES_CONFLICT:
            return "the evidence gives different figures for the same thing"
        return "contradicted by the evidence" + (
            " (another paper)" if best.tier == CROSS_PAPER else ""
        )
    if any(e.tier == RESTATEMENT for e in evidence) and not any(
        support_strength(e) >= 0.5 for e in evidence
    ):
        return ONLY_RESTATED
    return "no evidence entails or contradicts the claim strongly enough"


def measured(model: str) -> dict | None:
    """What ``training/fit_decision.py`` measured for ``model``'s decision, for reports to quote:
    out-of-fold metrics over all development claims ({"n", "accuracy", "macro_f1", "ece",
    "per_verdict", "what"}), or None when no decision was fitted for it."""
    from synth.verify.model import resolve_model

    try:
        path = Path(resolve_model(model)) / "decision_eval.json"
    except Exception:  # a hub id that cannot be resolved offline has no local figures
        return None
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    return {**report["all"], "what": report["fitted_on"]}
