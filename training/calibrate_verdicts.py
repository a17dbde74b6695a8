"""Calibrate the support/refute thresholds of synth's fallback verdict rule on held-out claims.

The thresholds decide verdicts only for NLI models without a fitted claim-level decision
(``training/fit_decision.py``); the shipped model has one.

Runs the whole verification rule (embedding pre-filter, figures rule, NLI) on the claim-level
SciFact dev split written by ``training/data.py`` (claims never seen in training; candidates are
all sentences of the abstracts each claim cites) and grid-searches the two thresholds for the
best macro-F1 over SUPPORTED / REFUTED / NOT_ENOUGH_INFO. Prints the grid's best points and the
default's score, so the choice in ``synth/settings.py`` is documented by a measurement.

Usage::

    python training/calibrate_verdicts.py --model synth/models/nli-minilm-l6
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from synth.embed import embed
from synth.verify.check import ClaimToCheck, verify_claims
from synth.verify.evidence import Passage
from synth.verify.model import Verifier
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, Thresholds, decide

GOLD = {"entailment": SUPPORTED, "contradiction": REFUTED, "neutral": NOT_ENOUGH_INFO}


def scored_claims(records: list[dict], verifier: Verifier, candidates: int) -> list[tuple]:
    """(gold verdict, scored evidence) per claim: all of the rule but the thresholds."""
    out = []
    for rec in records:
        passages = [Passage(s, 0, "doc", None) for s in rec["sentences"]]
        if not passages:
            continue
        (verdict,) = verify_claims(
            [ClaimToCheck(rec["claim"], None)],
            embed([rec["claim"]]),
            passages,
            embed([p.nli_text for p in passages]),
            verifier,
            thresholds=Thresholds(0.5, 0.5),
            candidates=candidates,
            decision=None,  # the threshold rule: the fallback for models without a decision
        )
        out.append((GOLD[rec["label"]], verdict.evidence))
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    f1s = []
    for label in (SUPPORTED, REFUTED, NOT_ENOUGH_INFO):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", default="synth-nli-minilm")
    ap.add_argument("--claims", type=Path, default=Path("training/splits/claims_scifact.jsonl"))
    ap.add_argument("--candidates", type=int, default=8)
    args = ap.parse_args()
    records = [json.loads(line) for line in args.claims.open()]
    rows = scored_claims(records, Verifier(args.model), args.candidates)
    gold = [g for g, _ in rows]
    grid = []
    for ts in np.arange(0.5, 0.96, 0.05):
        for tr in np.arange(0.5, 0.96, 0.05):
            th = Thresholds(float(ts), float(tr))
            pred = [decide(evidence, th).verdict for _, evidence in rows]
            acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))
            grid.append((macro_f1(gold, pred), acc, round(float(ts), 2), round(float(tr), 2)))
    grid.sort(reverse=True)
    print(f"claims: {len(rows)}  gold: " + json.dumps({v: gold.count(v) for v in set(gold)}))
    for f1, acc, ts, tr in grid[:8]:
        print(f"support >= {ts:.2f}  refute >= {tr:.2f}   macro-F1 {f1:.3f}  accuracy {acc:.3f}")
    default = next(g for g in grid if g[2] == 0.6 and g[3] == 0.6)
    print(f"default 0.60/0.60: macro-F1 {default[0]:.3f} accuracy {default[1]:.3f}")
    print(
        json.dumps(
            {
                "best": {
                    "support": grid[0][2],
                    "refute": grid[0][3],
                    "macro_f1": round(grid[0][0], 4),
                    "accuracy": round(grid[0][1], 4),
                }
            }
        )
    )


if __name__ == "__main__":
    main()
