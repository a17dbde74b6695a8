"""Measure an NLI model on a labelled JSON-lines file (``synth eval-nli``).

Each line is ``{"premise", "hypothesis", "label"}`` with labels
``entailment|neutral|contradiction`` (3-way file) or ``entailment|not_entailment`` (2-way file).
A 2-way file scores a 3-way model's entailment against the rest; a 3-way file given to a 2-way
model is scored the same way, since such a model cannot tell neutral from contradiction.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from synth.errors import ConfigError
from synth.verify.model import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
    NOT_ENTAILMENT,
    NliScores,
    Verifier,
)

THREE_WAY = (ENTAILMENT, NEUTRAL, CONTRADICTION)
TWO_WAY = (ENTAILMENT, NOT_ENTAILMENT)


@dataclass(frozen=True)
class Example:
    premise: str
    hypothesis: str
    label: str


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvalResult:
    """Metrics of one model on one file."""

    n: int
    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    pairs_per_s: float
    per_class: list[ClassScore] = field(default_factory=list)

    def summary(self) -> dict[str, float | int]:
        """The one-line JSON that ``synth eval-nli`` prints last."""
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "pairs_per_s": round(self.pairs_per_s, 1),
        }


def read_examples(path: Path) -> list[Example]:
    """Parse the file; one-line errors name the line that is wrong."""
    if not path.is_file():
        raise ConfigError(f"{path} does not exist; give a JSON-lines file of labelled pairs")
    examples = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            label = str(row["label"]).strip().lower().replace("-", "_")
            ex = Example(str(row["premise"]), str(row["hypothesis"]), label)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path}:{n} is not a JSON object with premise, hypothesis and label ({exc})"
            ) from exc
        if ex.label not in (*THREE_WAY, NOT_ENTAILMENT):
            raise ConfigError(
                f"{path}:{n} has label {row['label']!r}; use entailment, neutral, contradiction "
                "or not_entailment"
            )
        examples.append(ex)
    if not examples:
        raise ConfigError(f"{path} holds no labelled pairs")
    return examples


def label_space(examples: Sequence[Example], two_way_model: bool) -> tuple[str, ...]:
    """3-way only when both the file and the model are 3-way."""
    file_two_way = any(ex.label == NOT_ENTAILMENT for ex in examples)
    if file_two_way and any(ex.label in (NEUTRAL, CONTRADICTION) for ex in examples):
        raise ConfigError("the file mixes not_entailment with neutral/contradiction labels")
    return TWO_WAY if file_two_way or two_way_model else THREE_WAY


def to_space(label: str, labels: tuple[str, ...]) -> str:
    if labels == TWO_WAY and label != ENTAILMENT:
        return NOT_ENTAILMENT
    return label


def predicted(scores: NliScores, labels: tuple[str, ...]) -> str:
    """Entailment against the rest uses the argmax, the same rule the 3-way verdicts use."""
    return to_space(scores.label, labels)


def metrics(gold: Sequence[str], pred: Sequence[str], labels: tuple[str, ...]) -> list[ClassScore]:
    out = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, precision, recall, f1, tp + fn))
    return out


def evaluate(verifier: Verifier, examples: Sequence[Example], *, progress: bool = False):
    """Score ``examples`` with ``verifier``; time covers inference only, not model loading."""
    labels = label_space(examples, verifier.two_way)
    start = time.perf_counter()
    scores = verifier.predict(
        [(ex.premise, ex.hypothesis) for ex in examples], show_progress=progress
    )
    elapsed = time.perf_counter() - start
    gold = [to_space(ex.label, labels) for ex in examples]
    pred = [predicted(s, labels) for s in scores]
    per_class = metrics(gold, pred, labels)
    return EvalResult(
        n=len(examples),
        labels=labels,
        accuracy=sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        macro_f1=sum(c.f1 for c in per_class) / len(per_class),
        pairs_per_s=len(examples) / elapsed if elapsed > 0 else float("inf"),
        per_class=per_class,
    )
