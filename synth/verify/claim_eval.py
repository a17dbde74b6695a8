"""Claim-level evaluation in the SciFact format (``synth eval-claims``).

Claims file (JSON lines): ``{"id", "claim", "cited_doc_ids": [...], "evidence": {doc_id:
[{"sentences": [...], "label": "SUPPORT"|"CONTRADICT"}]}}``; a cited document without evidence
is NOT_ENOUGH_INFO. Corpus file: ``{"doc_id", "title", "abstract": [sentences]}``. Every
(claim, cited document) goes through :func:`synth.verify.check.verify_claims`, the path reports
and audits use, with the document's sentences as the only candidates.

Reported as the field does: per-verdict precision/recall/F1, confusion matrix, accuracy,
macro-F1 (over the verdicts the gold labels use, so a 2-way set is scored 2-way) and the
expected calibration error of the confidence (10 equal-width bins): ECE near 0 means a claim
shown at 0.8 is right 80% of the time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from synth.errors import ConfigError
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, VERDICTS, Verdict

_GOLD = {"SUPPORT": SUPPORTED, "SUPPORTS": SUPPORTED, "CONTRADICT": REFUTED, "REFUTES": REFUTED}


@dataclass(frozen=True)
class ClaimDoc:
    """One unit of evaluation: a claim against one document it cites."""

    claim_id: str
    claim: str
    doc_id: str
    sentences: tuple[str, ...]
    gold: str


@dataclass
class ClaimEval:
    n: int
    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    ece: float
    claims_per_s: float
    per_label: dict[str, dict[str, float]] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def summary(self) -> dict[str, float | int]:
        """The one JSON line ``synth eval-claims`` ends with."""
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "ece": round(self.ece, 4),
            "claims_per_s": round(self.claims_per_s, 2),
        }


def _jsonl(path: Path, what: str) -> list[dict]:
    if not path.is_file():
        raise ConfigError(f"{path} does not exist; give the {what} as a JSON-lines file")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{n} is not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict):
            raise ConfigError(f"{path}:{n} is not a JSON object")
        rows.append(row)
    if not rows:
        raise ConfigError(f"{path} holds no {what}")
    return rows


def read_corpus(path: Path) -> dict[str, tuple[str, ...]]:
    """doc_id -> the abstract's sentences."""
    out = {}
    for n, row in enumerate(_jsonl(path, "corpus"), start=1):
        abstract = row.get("abstract")
        if "doc_id" not in row or not isinstance(abstract, list):
            raise ConfigError(
                f"{path}: record {n} needs doc_id and abstract as a list of sentences"
            )
        out[str(row["doc_id"])] = tuple(str(s).strip() for s in abstract if str(s).strip())
    return out


def gold_label(evidence: dict, doc_id: str) -> str | None:
    """The document's verdict: its rationale sets' label, NEI without one, None when mixed."""
    sets = evidence.get(doc_id) or evidence.get(str(doc_id)) or []
    labels = {_GOLD.get(str(s.get("label", "")).upper()) for s in sets}
    if not labels:
        return NOT_ENOUGH_INFO
    if None in labels:
        raise ConfigError(f"unknown evidence label in {sets}; use SUPPORT or CONTRADICT")
    return labels.pop() if len(labels) == 1 else None


def read_claims(path: Path, corpus: dict[str, tuple[str, ...]]) -> list[ClaimDoc]:
    """Every (claim, cited document) with its gold verdict; documents missing from the corpus
    are an error, since a silent skip would flatter the figures."""
    units = []
    for n, row in enumerate(_jsonl(path, "claims"), start=1):
        if "claim" not in row or "cited_doc_ids" not in row:
            raise ConfigError(f"{path}: record {n} needs claim and cited_doc_ids")
        evidence = row.get("evidence") or {}
        for doc in row["cited_doc_ids"]:
            doc_id = str(doc)
            if doc_id not in corpus:
                raise ConfigError(f"{path}: claim {row.get('id', n)} cites {doc_id}, not in corpus")
            gold = gold_label(evidence, doc_id)
            if gold is not None and corpus[doc_id]:
                units.append(
                    ClaimDoc(str(row.get("id", n)), str(row["claim"]), doc_id, corpus[doc_id], gold)
                )
    if not units:
        raise ConfigError(f"{path} has no claim with a cited document to check")
    return units


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool], bins=10):
    """Weighted mean |accuracy - confidence| over equal-width confidence bins."""
    conf = np.asarray(confidence, dtype=float)
    ok = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() / len(conf) * abs(ok[mask].mean() - conf[mask].mean())
    return float(total)


def per_label_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each verdict the gold labels use."""
    out = {}
    for label in (v for v in VERDICTS if v in gold):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[label] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    return out


def score(units: Sequence[ClaimDoc], verdicts: Sequence[Verdict], seconds: float) -> ClaimEval:
    gold = [u.gold for u in units]
    pred = [v.verdict for v in verdicts]
    per_label = per_label_scores(gold, pred)
    labels = tuple(per_label)
    confusion = {g: {p: 0 for p in VERDICTS} for g in VERDICTS}
    for g, p in zip(gold, pred, strict=True):
        confusion[g][p] += 1
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    return ClaimEval(
        n=len(units),
        labels=labels,
        accuracy=sum(correct) / len(correct),
        macro_f1=float(np.mean([per_label[x]["f1"] for x in labels])),
        ece=expected_calibration_error([v.confidence for v in verdicts], correct),
        claims_per_s=len(units) / seconds if seconds > 0 else float("inf"),
        per_label=per_label,
        confusion=confusion,
    )


def verify_units(units: Sequence[ClaimDoc], verifier, settings, *, progress: bool = False):
    """Verdicts for every unit through the shared verification path, and the seconds it took."""
    from synth.embed import embed
    from synth.verify.check import ClaimToCheck, verify_claims
    from synth.verify.evidence import text_passages
    from synth.verify.verdict import Thresholds

    start = time.perf_counter()
    docs = sorted({u.doc_id for u in units})
    passages, pools = [], {}
    for d in docs:
        sentences = next(u.sentences for u in units if u.doc_id == d)
        pools[d] = list(range(len(passages), len(passages) + len(sentences)))
        passages += text_passages(sentences, f"doc:{d}", section="abstract")
    passage_vectors = embed([p.nli_text for p in passages])
    claim_vectors = embed([u.claim for u in units])
    verdicts = verify_claims(
        [ClaimToCheck(u.claim, None) for u in units],
        claim_vectors,
        passages,
        passage_vectors,
        verifier,
        thresholds=Thresholds.of(settings.verify),
        candidates=settings.verify.candidates,
        pools=[pools[u.doc_id] for u in units],
        progress=progress,
    )
    return verdicts, time.perf_counter() - start
