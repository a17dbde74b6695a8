"""Score a model folder on every development split (``training/splits/dev_*.jsonl``).

The same sets and metrics ``train_nli.py`` selects checkpoints with, per rewrite family for
``dev_gen``, written as JSON so model cards quote a file, not a hand-typed figure.

Usage::

    python training/eval_dev.py synth/models/nli-minilm-l6 \
        --out synth/models/nli-minilm-l6/dev_eval.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from nli_eval import dev_objective, encode, evaluate, load_split
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("--splits", type=Path, default=Path("training/splits"))
    ap.add_argument("--limit", type=int, default=800, help="pairs per set (as in training)")
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(args.model, dtype=torch.float32)
    dev = {}
    for path in sorted(args.splits.glob("dev_*.jsonl")):
        rows = load_split(path)[: args.limit]
        dev[path.stem] = (rows, encode(tokenizer, rows, args.max_length))
    results = evaluate(model, dev)
    out = {
        "model": str(args.model),
        "pairs_per_set": args.limit,
        "objective": dev_objective(results),
    }
    out["sets"] = {k: {m: round(v, 4) for m, v in r.items()} for k, r in results.items()}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
