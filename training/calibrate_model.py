"""Calibrate a trained NLI model: a temperature (and optionally label priors) on held-out pairs.

Fitting a temperature T (logits / T) by minimising the negative log-likelihood on held-out
scientific and general pairs makes the probabilities honest without changing any argmax. With
``--bias`` a per-label bias b is fitted too (logits / T + b); measured on r1 it moved decisions
towards "neutral" (the dev sets' majority) and lowered macro-F1 on every set, so it is off by
default. The result is folded into the classifier layer, so any loader gets it.

The dev pairs are split in two by a hash of the pair: the "calib" half fits T and b, the
"report" half measures the result (``evaluate_all.py --half report``), so no reported number
comes from the pairs the calibration saw.

Usage::

    python training/calibrate_model.py training/runs/r2/best --out training/runs/r2/calibrated
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from synth.verify.evaluate import read_examples

SETS = ("dev_snli", "dev_scifact", "dev_healthver", "dev_climate")


def half_of(premise: str, hypothesis: str) -> str:
    """ "calib" or "report", fixed for a pair whatever the file order."""
    digest = hashlib.md5(f"{premise}\0{hypothesis}".encode()).digest()
    return "calib" if digest[0] % 2 == 0 else "report"


@torch.inference_mode()
def logits_of(model, tokenizer, pairs: list[tuple[str, str]], batch: int = 16) -> torch.Tensor:
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    out = torch.zeros((len(pairs), model.config.num_labels))
    for s in range(0, len(order), batch):
        idx = order[s : s + batch]
        enc = tokenizer(
            [pairs[i][0] for i in idx],
            [pairs[i][1] for i in idx],
            padding=True,
            truncation=True,
            max_length=256,
            return_tensors="pt",
        )
        out[idx] = model(**enc).logits.float()
    return out


def dev_logits(
    model, tokenizer, splits: Path, sets: tuple[str, ...]
) -> dict[str, tuple[torch.Tensor, torch.Tensor, np.ndarray]]:
    """Per dev set: the model's logits, the gold label ids and each pair's half (calib/report)."""
    label_id = {v: k for k, v in model.config.id2label.items()}
    data = {}
    for name in sets:
        rows = read_examples(splits / f"{name}.jsonl")
        pairs = [(r.premise, r.hypothesis) for r in rows]
        gold = torch.tensor([label_id[r.label] for r in rows])
        halves = np.array([half_of(p, h) for p, h in pairs])
        data[name] = (logits_of(model.eval(), tokenizer, pairs), gold, halves)
    return data


def fit(
    logits: torch.Tensor, gold: torch.Tensor, weights: torch.Tensor, with_bias: bool
) -> tuple[float, list]:
    """T (and b) minimising the weighted NLL (each set weighs the same, whatever its size)."""
    log_t = torch.zeros((), requires_grad=True)
    bias = torch.zeros(logits.shape[1], requires_grad=with_bias)
    opt = torch.optim.LBFGS([log_t, bias] if with_bias else [log_t], lr=0.1, max_iter=200)

    def closure():
        opt.zero_grad()
        nll = F.cross_entropy(logits / log_t.exp() + bias, gold, reduction="none")
        loss = (nll * weights).sum() / weights.sum()
        loss.backward()
        return loss

    opt.step(closure)
    b = (bias - bias.mean()).detach()
    return float(log_t.detach().exp()), b.tolist()


def macro_f1(pred: np.ndarray, gold: np.ndarray, k: int) -> float:
    f1 = []
    for c in range(k):
        tp = np.sum((pred == c) & (gold == c))
        denom = np.sum(pred == c) + np.sum(gold == c)
        f1.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(f1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("checkpoint", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--splits", type=Path, default=Path("training/splits"))
    ap.add_argument("--bias", action="store_true", help="fit label priors too (see above)")
    args = ap.parse_args()
    model = AutoModelForSequenceClassification.from_pretrained(args.checkpoint).float().eval()
    tokenizer = AutoTokenizer.from_pretrained(args.checkpoint)
    data = dev_logits(model, tokenizer, args.splits, SETS)
    calib = [(lg[h == "calib"], g[h == "calib"]) for lg, g, h in data.values()]
    logits = torch.cat([lg for lg, _ in calib])
    gold = torch.cat([g for _, g in calib])
    weights = torch.cat([torch.full((len(g),), 1.0 / len(g)) for _, g in calib])
    temperature, bias = fit(logits, gold, weights, args.bias)
    names = list(model.config.id2label.values())
    print(f"temperature {temperature:.3f}, bias {dict(zip(names, bias, strict=True))}")
    k = model.config.num_labels
    for name, (lg, g, h) in data.items():
        m = h == "report"
        before = lg[m].argmax(1).numpy()
        after = (lg[m] / temperature + torch.tensor(bias)).argmax(1).numpy()
        gold_r = g[m].numpy()
        print(
            f"{name:14s} report half n={m.sum():4d}  macro-F1 {macro_f1(before, gold_r, k):.3f}"
            f" -> {macro_f1(after, gold_r, k):.3f}   accuracy {np.mean(before == gold_r):.3f}"
            f" -> {np.mean(after == gold_r):.3f}"
        )
    with torch.no_grad():
        model.classifier.weight /= temperature
        model.classifier.bias.copy_(model.classifier.bias / temperature + torch.tensor(bias))
    model.config.synth_calibration = {
        "temperature": temperature,
        "bias": bias,
        "fitted_on": [f"{s} (calib half)" for s in SETS],
    }
    model.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    summary = args.checkpoint.parent / "summary.json"
    if summary.exists():
        (args.out.parent / "summary.json").write_text(summary.read_text())
    (args.out / "calibration.json").write_text(
        json.dumps({"temperature": temperature, "bias": bias}, indent=2)
    )


if __name__ == "__main__":
    main()
