"""Per-class calibration (vector scaling) of the shipped verifier, measured set by set.

One temperature rescales every label alike; vector scaling (Guo et al., 2017) fits a weight and
a bias per label on the logits (``logits * w + b``), so an over-confident "contradiction" can be
tempered without softening a decisive "entailment". Both are fitted by weighted NLL (every set
weighs the same) on the "calib" half of each development set (``calibrate_model.half_of``: a
fixed hash of the pair) and measured on the "report" half: expected calibration error of the
top label (10 equal-width bins), accuracy and macro-F1, per set. The development sets share no
source document with the training data (``training/data.py``).

With ``--write`` and only if vector scaling lowers ECE on every set without lowering macro-F1
on any, the weights go into the model's ``config.json`` as ``synth_calibration`` {"weight",
"bias"}; both backends apply it to the logits at run time (``synth.verify.model``), the weights
and their ONNX file are untouched. Writes ``training/results/calibration_eval.json``::

    python training/calibrate_classes.py [--write]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from calibrate_model import dev_logits, macro_f1
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from synth.verify.claim_eval import expected_calibration_error

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "synth" / "models" / "nli-minilm-l6"
SETS = ("dev_snli", "dev_scifact", "dev_healthver", "dev_climate")  # the 3-way sets
OUT = ROOT / "training" / "results" / "calibration_eval.json"


def ece(probs: np.ndarray, gold: np.ndarray) -> float:
    """Expected calibration error of the top label (10 equal-width bins, as eval-claims)."""
    return round(expected_calibration_error(probs.max(1), probs.argmax(1) == gold), 4)


def fit_vector(logits: torch.Tensor, gold: torch.Tensor, weights: torch.Tensor):
    """Per-label weight and bias minimising the weighted NLL (bias centred: only gaps matter)."""
    w = torch.ones(logits.shape[1], requires_grad=True)
    b = torch.zeros(logits.shape[1], requires_grad=True)
    opt = torch.optim.LBFGS([w, b], lr=0.1, max_iter=300)

    def closure():
        opt.zero_grad()
        nll = F.cross_entropy(logits * w + b, gold, reduction="none")
        loss = (nll * weights).sum() / weights.sum()
        loss.backward()
        return loss

    opt.step(closure)
    return w.detach().numpy(), (b - b.mean()).detach().numpy()


def scores(logits: np.ndarray, gold: np.ndarray, k: int) -> dict:
    z = logits - logits.max(1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    pred = probs.argmax(1)
    return {
        "ece": ece(probs, gold),
        "accuracy": round(float((pred == gold).mean()), 4),
        "macro_f1": round(macro_f1(pred, gold, k), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--splits", type=Path, default=ROOT / "training" / "splits")
    ap.add_argument("--write", action="store_true", help="store it in config.json if it helps")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model = AutoModelForSequenceClassification.from_pretrained(args.model, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    k = model.config.num_labels
    data = {
        name: (logits.numpy(), gold.numpy(), halves)
        for name, (logits, gold, halves) in dev_logits(model, tokenizer, args.splits, SETS).items()
    }
    calib = [(lg[h == "calib"], g[h == "calib"]) for lg, g, h in data.values()]
    w, b = fit_vector(
        torch.tensor(np.concatenate([lg for lg, _ in calib])),
        torch.tensor(np.concatenate([g for _, g in calib])),
        torch.cat([torch.full((len(g),), 1.0 / len(g)) for _, g in calib]),
    )
    per_set = {}
    for name, (lg, g, h) in data.items():
        m = h == "report"
        per_set[name] = {
            "n": int(m.sum()),
            "shipped": scores(lg[m], g[m], k),
            "vector": scores(lg[m] * w + b, g[m], k),
        }
    helps = all(
        s["vector"]["ece"] < s["shipped"]["ece"]
        and s["vector"]["macro_f1"] >= s["shipped"]["macro_f1"]
        for s in per_set.values()
    )
    labels = [model.config.id2label[i] for i in range(k)]
    result = {
        "model": str(args.model.relative_to(ROOT) if args.model.is_absolute() else args.model),
        "fitted_on": [f"{s} (calib half)" for s in SETS],
        "vector": {"labels": labels, "weight": w.round(4).tolist(), "bias": b.round(4).tolist()},
        "report_half": per_set,
        "better_everywhere": helps,
        "written": bool(args.write and helps),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if args.write and helps:
        config_path = args.model / "config.json"
        config = json.loads(config_path.read_text())
        folded = config.get("synth_calibration", {})
        config["synth_calibration"] = {
            "weight": result["vector"]["weight"],
            "bias": result["vector"]["bias"],
            "fitted_on": result["fitted_on"],
            "fitted_by": "training/calibrate_classes.py",
            "folded_before": folded,  # the temperature already folded into the weights
        }
        config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
