"""The verification stage: NLI models, their evaluation, and claim verdicts."""

from synth.verify.model import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
    NOT_ENTAILMENT,
    NliScores,
    Verifier,
    canonical_label,
    load_verifier,
)

__all__ = [
    "CONTRADICTION",
    "ENTAILMENT",
    "NEUTRAL",
    "NOT_ENTAILMENT",
    "NliScores",
    "Verifier",
    "canonical_label",
    "load_verifier",
]
