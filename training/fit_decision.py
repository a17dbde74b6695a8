"""Fit synth's claim-level decision and its calibration on development claims; measure it.

Run this last, after the NLI model that ships is in place: the decision reads that model's
scores, so a new model needs only a re-run.

Development claims (none of them seen by the NLI model in training, see ``training/data.py``):
- SciFact claims split by cited document (``claims_scifact_{fit,report}.jsonl``), each against
  each document it cites (its abstract's sentences are the only candidates);
- HealthVer dev pairs of held-out topics (``dev_healthver.jsonl``): a news-style health claim
  against the abstract passage that settles it (or not);
- Climate-FEVER held-out claims (``dev_climate.jsonl``): a claim against its five evidence
  sentences, labelled at claim level (support only, refute only, or neither).

Every unit goes through :func:`synth.verify.check.score_claims`, the path reports and audits
use, and is described by :func:`synth.verify.decision.features`. A multinomial logistic
regression is fitted with grouped 5-fold cross-validation (groups: documents / evidence
passages / claims, so no source straddles folds); the temperature that calibrates it is fitted
on the out-of-fold predictions; figures are reported on out-of-fold predictions only, i.e. on
claims whose source the decision never saw. The SciFact figure is on clean claims only (no
cited abstract shared with the NLI model's training claims).

Writes ``MODEL/decision.json`` (parameters read at run time) and ``MODEL/decision_eval.json``
(the figures the README and reports quote).

Usage::

    python training/fit_decision.py --model synth/models/nli-minilm-l6
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from synth.settings import Settings
from synth.verify.claim_eval import (
    ClaimDoc,
    expected_calibration_error,
    gold_label,
    per_label_scores,
    read_corpus,
)
from synth.verify.decision import CLASSES, DECISION_FILE, constrain, features
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, Thresholds, decide

GOLD = {"entailment": SUPPORTED, "contradiction": REFUTED, "neutral": NOT_ENOUGH_INFO}
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def scifact_units(splits: Path, corpus: Path) -> list[tuple[ClaimDoc, str, str]]:
    """(unit, group, set name): clean report-half claims are 'scifact', the rest 'scifact_fit'."""
    docs = read_corpus(corpus)
    out = []
    for name in ("claims_scifact_report", "claims_scifact_fit"):
        for line in (splits / f"{name}.jsonl").open(encoding="utf-8"):
            c = json.loads(line)
            for d in c["cited_doc_ids"]:
                gold = gold_label(c.get("evidence") or {}, str(d))
                if gold is None or not docs.get(str(d)):
                    continue
                unit = ClaimDoc(str(c["id"]), c["claim"], str(d), docs[str(d)], gold)
                tag = "scifact" if name.endswith("report") else "scifact_fit"
                out.append((unit, f"doc{d}", tag))
    return out


def healthver_units(splits: Path) -> list[tuple[ClaimDoc, str, str]]:
    out = []
    for i, line in enumerate((splits / "dev_healthver.jsonl").open(encoding="utf-8")):
        r = json.loads(line)
        sentences = tuple(s for s in _SPLIT.split(r["premise"]) if s.strip())
        unit = ClaimDoc(f"hv{i}", r["hypothesis"], f"hv{i}", sentences, GOLD[r["label"]])
        out.append((unit, "hv:" + r["premise"][:60], "healthver"))
    return out


def climate_units(splits: Path) -> list[tuple[ClaimDoc, str, str]]:
    by_claim: dict[str, list[dict]] = defaultdict(list)
    for line in (splits / "dev_climate.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        by_claim[r["hypothesis"]].append(r)
    out = []
    for i, (claim, rows) in enumerate(sorted(by_claim.items())):
        labels = {r["label"] for r in rows}
        if {"entailment", "contradiction"} <= labels:
            continue  # disputed: no single verdict
        gold = (
            SUPPORTED
            if "entailment" in labels
            else REFUTED
            if "contradiction" in labels
            else NOT_ENOUGH_INFO
        )
        sentences = tuple(r["premise"] for r in rows)
        out.append((ClaimDoc(f"cl{i}", claim, f"cl{i}", sentences, gold), f"cl{i}", "climate"))
    return out


def score_units(units: list[ClaimDoc], model: str, settings: Settings):
    """Scored evidence of every unit, in one batched pass through the shared path."""
    from synth.embed import embed
    from synth.verify.check import ClaimToCheck, score_claims
    from synth.verify.evidence import text_passages
    from synth.verify.model import Verifier

    verifier = Verifier(model)
    passages, pools = [], []
    for u in units:
        pools.append(list(range(len(passages), len(passages) + len(u.sentences))))
        passages += text_passages(u.sentences, f"doc:{u.doc_id}", section="abstract")
    start = time.perf_counter()
    scored = score_claims(
        [ClaimToCheck(u.claim, None) for u in units],
        embed([u.claim for u in units]),
        passages,
        embed([p.nli_text for p in passages]),
        verifier,
        candidates=settings.verify.candidates,
        pools=pools,
        progress=True,
    )
    return scored, time.perf_counter() - start


def fit_lr(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-3] = 1.0  # constant in the fitting data: no weight, finite at run time
    lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    lr.fit((x - mean) / scale, y)
    return lr, mean, scale


def logits_of(lr, mean, scale, x: np.ndarray) -> np.ndarray:
    return lr.decision_function((x - mean) / scale)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the NLL of out-of-fold predictions (grid, then refine)."""

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    grid = np.exp(np.linspace(np.log(0.2), np.log(5.0), 200))
    return float(min(grid, key=nll))


def fit_platt(pred: np.ndarray, top: np.ndarray, correct: np.ndarray) -> dict[int, list[float]]:
    """Per predicted verdict, (a, b) with P(right) = sigmoid(a * logit(top) + b)."""
    from sklearn.linear_model import LogisticRegression

    out = {}
    for k in range(len(CLASSES)):
        mask = pred == k
        if mask.sum() < 10 or len(set(correct[mask])) < 2:
            out[k] = [1.0, 0.0]  # too few to fit: keep the probability as it is
            continue
        z = np.log(np.clip(top[mask], 1e-4, 1 - 1e-4) / np.clip(1 - top[mask], 1e-4, 1))
        m = LogisticRegression(C=1.0).fit(z.reshape(-1, 1), correct[mask])
        out[k] = [float(m.coef_[0][0]), float(m.intercept_[0])]
    return out


def apply_platt(platt: dict[int, list[float]], pred: np.ndarray, top: np.ndarray) -> np.ndarray:
    z = np.log(np.clip(top, 1e-4, 1 - 1e-4) / np.clip(1 - top, 1e-4, 1))
    ab = np.array([platt[int(k)] for k in pred])
    return 1 / (1 + np.exp(-(ab[:, 0] * z + ab[:, 1])))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def metrics(gold: list[str], pred: list[str], conf: list[float]) -> dict:
    per = per_label_scores(gold, pred)
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    return {
        "n": len(gold),
        "accuracy": round(float(np.mean(correct)), 4),
        "macro_f1": round(float(np.mean([m["f1"] for m in per.values()])), 4),
        "ece": round(expected_calibration_error(conf, correct), 4),
        "per_verdict": {
            v: {k: round(m[k], 3) for k in ("precision", "recall", "f1")} for v, m in per.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", type=Path, default=Path("synth/models/nli-minilm-l6"))
    ap.add_argument("--splits", type=Path, default=Path("training/splits"))
    ap.add_argument("--corpus", type=Path, default=Path("../shared/data/nli/scifact/corpus.jsonl"))
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 strength")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--reuse", action="store_true", help="reuse the last scoring (same model, rules changed)"
    )
    args = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    settings = Settings()
    rows = (
        scifact_units(args.splits, args.corpus)
        + healthver_units(args.splits)
        + climate_units(args.splits)
    )
    units = [u for u, _, _ in rows]
    cache = Path("training/runs") / f"decision_scored_{args.model.name}.pkl"
    if args.reuse and cache.is_file():
        scored, seconds = pickle.loads(cache.read_bytes())
    else:
        scored, seconds = score_units(units, str(args.model), settings)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps((scored, seconds)))
    names = list(features(units[0].claim, scored[0]))
    x = np.array(
        [[features(u.claim, s)[n] for n in names] for u, s in zip(units, scored, strict=True)]
    )
    y = np.array([CLASSES.index(u.gold) for u in units])
    groups = [g for _, g, _ in rows]
    oof = np.zeros((len(units), len(CLASSES)))
    for train, test in GroupKFold(n_splits=args.folds).split(x, y, groups):
        lr, mean, scale = fit_lr(x[train], y[train], args.c)
        oof[test] = logits_of(lr, mean, scale, x[test])
    temperature = fit_temperature(oof, y)
    # Scored exactly as at run time: the evidence rule of synth.verify.decision.constrain.
    probs = np.array(
        [
            [
                constrain(dict(zip(CLASSES, row, strict=True)), dict(zip(names, f, strict=True)))[c]
                for c in CLASSES
            ]
            for row, f in zip(softmax(oof / temperature), x, strict=True)
        ]
    )
    lr, mean, scale = fit_lr(x, y, args.c)
    assert list(lr.classes_) == [0, 1, 2]
    pred_idx = probs.argmax(1)
    top = probs.max(1)
    correct = (pred_idx == y).astype(int)
    # Confidence = P(verdict right): Platt scaling per verdict on the constrained top probability,
    # cross-fitted over the same groups for the figures, then fitted on all for shipping.
    conf = np.zeros(len(units))
    for train, test in GroupKFold(n_splits=args.folds).split(x, y, groups):
        platt = fit_platt(pred_idx[train], top[train], correct[train])
        conf[test] = apply_platt(platt, pred_idx[test], top[test])
    platt = fit_platt(pred_idx, top, correct)

    thresholds = Thresholds.of(settings.verify)
    report: dict = {"model": str(args.model), "temperature": temperature, "sets": {}}
    for tag in ("scifact", "healthver", "climate", "scifact_fit"):
        idx = [i for i, (_, _, t) in enumerate(rows) if t == tag]
        gold = [units[i].gold for i in idx]
        pred = [CLASSES[int(probs[i].argmax())] for i in idx]
        rule = [decide(scored[i], thresholds) for i in idx]
        report["sets"][tag] = {
            "decision": metrics(gold, pred, [float(conf[i]) for i in idx]),
            "threshold_rule": metrics(
                gold, [v.verdict for v in rule], [v.confidence for v in rule]
            ),
        }
    every = list(range(len(units)))
    report["all"] = metrics(
        [units[i].gold for i in every],
        [CLASSES[int(probs[i].argmax())] for i in every],
        [float(conf[i]) for i in every],
    )
    report["units_per_s"] = round(len(units) / seconds, 2)
    report["fitted_on"] = (
        f"{len(units)} development claims (SciFact by document, HealthVer held-out topics, "
        f"Climate-FEVER held-out claims); figures out-of-fold ({args.folds} grouped folds)"
    )
    decision = {
        "names": names,
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": lr.coef_.tolist(),
        "intercept": lr.intercept_.tolist(),
        "temperature": temperature,
        "platt": {CLASSES[k]: v for k, v in platt.items()},
        "fitted_on": report["fitted_on"],
    }
    (args.model / DECISION_FILE).write_text(json.dumps(decision, indent=1) + "\n")
    (args.model / "decision_eval.json").write_text(json.dumps(report, indent=1) + "\n")
    for tag, r in report["sets"].items():
        d, t = r["decision"], r["threshold_rule"]
        print(
            f"{tag:12s} n={d['n']:4d}  decision macro-F1 {d['macro_f1']:.3f} "
            f"acc {d['accuracy']:.3f} ECE {d['ece']:.3f}   | threshold rule macro-F1 "
            f"{t['macro_f1']:.3f} "
            f"acc {t['accuracy']:.3f} ECE {t['ece']:.3f}"
        )
    print(json.dumps({k: report[k] for k in ("temperature", "units_per_s")}))


if __name__ == "__main__":
    main()
