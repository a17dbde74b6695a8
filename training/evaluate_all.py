"""Evaluate an NLI model on every held-out split with synth's own ``eval-nli`` code.

Usage::

    python training/evaluate_all.py --model training/runs/r1/final --out training/runs/r1/eval.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from calibrate_model import SETS as CALIBRATION_SETS
from calibrate_model import half_of

from synth.verify.evaluate import evaluate, read_examples
from synth.verify.model import Verifier

ABOUT = {
    "dev_snli": "SNLI-style (1,500 SNLI dev pairs)",
    "dev_scifact": "SciFact-style (rationale -> claim; other sentences neutral; 20% of claims)",
    "dev_healthver": "HealthVer-style (30% of HealthVer dev topics)",
    "dev_climate": "Climate-FEVER (20% of claims)",
    "dev_sick": "SICK test (official test split)",
    "dev_covidfact": "COVID-Fact dev, entail vs not (SciTail-style 2-way proxy)",
    "dev_rte": "RTE dev, entail vs not",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--splits", type=Path, default=Path("training/splits"))
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--half",
        choices=("all", "report"),
        default="all",
        help="report: only the half of each calibration set that calibrate_model.py did not see",
    )
    args = ap.parse_args()
    verifier = Verifier(args.model, batch_size=64)
    results = {}
    for name, about in ABOUT.items():
        path = args.splits / f"{name}.jsonl"
        if not path.exists():
            continue
        examples = read_examples(path)
        if args.half == "report" and name in CALIBRATION_SETS:
            examples = [e for e in examples if half_of(e.premise, e.hypothesis) == "report"]
        r = evaluate(verifier, examples)
        results[name] = {"about": about, **r.summary()}
        print(
            f"{name:15s} n={r.n:5d} accuracy {r.accuracy:.4f} macro-F1 {r.macro_f1:.4f} "
            f"{r.pairs_per_s:6.1f} pairs/s",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
