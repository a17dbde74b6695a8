"""Compare candidate models with the shipped one on every development set; may one ship?

Reads the ``eval_dev.py`` JSON of the shipped model and of each candidate and writes, per
candidate and set, accuracy and macro-F1 with their change, and whether the candidate is at
least as good on every set in both (the rule for shipping new weights: better everywhere, since
every committed weight file stays in git history). The model card quotes this file::

    python training/compare_dev.py training/runs/wise-0.5/dev_eval.json ... \
        --out training/results/v2_comparison.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SHIPPED = Path("synth/models/nli-minilm-l6/dev_eval.json")
METRICS = ("accuracy", "macro_f1")


def compare(shipped: dict, candidate: dict) -> dict:
    """Per-set deltas of ``candidate`` against ``shipped`` and the sets where it is worse."""
    sets, worse = {}, []
    for name, base in shipped["sets"].items():
        new = candidate["sets"][name]
        sets[name] = {m: {"shipped": base[m], "candidate": new[m]} for m in METRICS}
        for m in METRICS:
            sets[name][m]["delta"] = round(new[m] - base[m], 4)
            if new[m] < base[m]:
                worse.append(f"{name} {m}")
    return {"model": candidate["model"], "sets": sets, "worse_on": worse, "ships": not worse}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("candidates", type=Path, nargs="+", help="eval_dev.py JSON files")
    ap.add_argument("--shipped", type=Path, default=SHIPPED)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    shipped = json.loads(args.shipped.read_text())
    rows = [compare(shipped, json.loads(p.read_text())) for p in args.candidates]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"shipped": shipped["model"], "candidates": rows}, indent=2))
    for r in rows:
        print(f"{r['model']}: ships={r['ships']} worse on {', '.join(r['worse_on']) or 'nothing'}")


if __name__ == "__main__":
    main()
