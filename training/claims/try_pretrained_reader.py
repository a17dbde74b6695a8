"""Does a reader that first learnt from the shared abstract sentences make better claims?

``training/claims_pretrain.py`` trains MiniLM on the 15k labelled abstract sentences;
``training/claims_finetune.py --base training/runs/claims-pretrained --oof-only`` then fine-tunes
it on the body labels, fold by fold, exactly as the shipped reader was. This script puts each
reader's out-of-fold logits beside the same cue and place features and measures the stack with
the grouped cross-validation of ``claims_classifier.py`` (training papers only: the untouched
papers are not read here, so the choice cannot be tuned on them), on the sentences every reader
has a logit for, so that readers fitted on more labels (batch 4) are compared on the same
sentences. A reader whose file is missing is skipped. The first file is the reader shipped
before (from all-MiniLM-L6-v2, batches 1-3): ``git show
699966b:training/claims/finetune_oof.json > training/runs/claims-minilm-oof-699966b.json``;
the batches 1-4 reader's likewise from ``f469cf8``; the batches 1-6 reader's is
``training/claims/finetune_oof.json`` as ``claims_finetune.py`` wrote it with batch 6, copied to
``training/runs/claims-minilm-oof-batch6.json``.
All files must be keyed by the same sentence indices: run this before ``align_labels.py``
re-points the labels (it re-keys ``finetune_oof.json`` only).
Writes ``training/claims/pretrained_reader_eval.json``::

    python training/claims/try_pretrained_reader.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
import claims_classifier as cc  # noqa: E402

from synth.claims.features import hand_features  # noqa: E402

OUT = ROOT / "training" / "claims" / "pretrained_reader_eval.json"
READERS = {
    "from all-MiniLM-L6-v2, batches 1-3": ROOT / "training/runs/claims-minilm-oof-699966b.json",
    "pretrained on abstract sentences, batches 1-3": ROOT
    / "training/runs/claims-minilm-claims-pretrained/oof.json",
    "pretrained on abstract sentences, batches 1-4": ROOT
    / "training/runs/claims-minilm-oof-f469cf8.json",
    # the shipped reader's (batches 1-6, seed 14 since 2026-12-01; batches 1-5 before)
    "shipped (training/claims/finetune_oof.json)": cc.READER_OOF,
    # not shipped: it reads the earlier batches' sentences worse (reader AUC 0.958 -> 0.951)
    "pretrained on abstract sentences, batches 1-6": ROOT
    / "training/runs/claims-minilm-oof-batch6.json",
    # the same with another seed (claims_finetune.py --seed 14 --oof-only): how much is
    # chance? Its logits are kept in the repository (keyed like finetune_oof.json on
    # 2026-12-01; align_labels.py does not re-key this file): reader_seed_eval*.json
    "pretrained on abstract sentences, batches 1-6, seed 14": ROOT
    / "training/claims/reader_oof_b1-6_seed14.json",
    # batch 7 too (the shipped seed-14 recipe), compared on batches 1-6 (--max-batch 6):
    # reader_b7_eval.json. It read them worse (reader AUC 0.934 -> 0.921), so it is not shipped.
    "pretrained on abstract sentences, batches 1-7, seed 14": ROOT
    / "training/claims/reader_oof_b1-7_seed14.json",
}


def cross_validated(x: np.ndarray, y: np.ndarray, ok: np.ndarray, groups, c: float) -> dict:
    """The classifier's grouped-CV threshold and out-of-fold scores at that threshold."""
    oof = cc.cross_validate((None, None), (x, y), groups, c, 0.0)
    t = cc.threshold_for(oof, y, ok)
    auc = roc_auc_score(y[ok], oof[ok])
    return {"C": c, "threshold": t, "auc": round(float(auc), 3), **cc.scores(ok & (oof >= t), y)}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--max-batch", type=int, default=0, help="only the labels of batches up to this one"
    )
    args = ap.parse_args()
    found = {
        name: json.loads(path.read_text())["logits"]
        for name, path in READERS.items()
        if path.exists()
    }
    for name, path in READERS.items():
        if name not in found:
            print(f"skipped {name}: {path} is missing", file=sys.stderr)
    if not found:
        raise SystemExit("no reader's out-of-fold logits found: run training/claims_finetune.py")
    common = set.intersection(*(set(logits) for logits in found.values()))
    rows = [r for r in cc.load_body() if not cc.test_paper(r["paper"]) and cc.row_key(r) in common]
    if args.max_batch:
        rows = [r for r in rows if (r.get("batch") or 1) <= args.max_batch]
    hand = hand_features([r["sentence"] for r in rows], [cc.body_place(r) for r in rows])
    y = np.array([r["label"] for r in rows])
    ok = np.array([cc.passes_rules(r) for r in rows])
    groups = np.array([r["paper"] for r in rows])
    out = {"sentences": len(rows), "claims": int(y.sum()), "max_batch": args.max_batch or None}
    for name, logits in found.items():
        reader = np.array([logits[cc.row_key(r)] for r in rows])
        x = np.hstack([hand, reader[:, None]])
        out[name] = {
            "reader_alone_auc": round(float(roc_auc_score(y, reader)), 3),
            "stack": [cross_validated(x, y, ok, groups, c) for c in (0.1, 1.0)],
        }
        print(name, json.dumps(out[name]), flush=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
