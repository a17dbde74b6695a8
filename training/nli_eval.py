"""Data, batching and evaluation shared by the NLI training and evaluation scripts.

Split out of ``train_nli.py`` so that ``eval_dev.py`` scores checkpoints with exactly the
encoding and metrics the training run selected on.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

LABELS = ["contradiction", "entailment", "neutral"]
LABEL_ID = {name: i for i, name in enumerate(LABELS)}
ENT = LABEL_ID["entailment"]
TWO_WAY = -1  # target id for not_entailment rows


def load_split(path: Path, sources: set[str] | None = None) -> list[dict]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [r for r in rows if sources is None or r["source"] in sources]


def target(label: str) -> int:
    return TWO_WAY if label == "not_entailment" else LABEL_ID[label]


def encode(tokenizer, rows: list[dict], max_length: int) -> list[dict]:
    """Tokenise once up front; truncation cuts the premise first, never the claim."""
    enc = tokenizer(
        [r["premise"] for r in rows],
        [r["hypothesis"] for r in rows],
        truncation="longest_first",
        max_length=max_length,
    )
    return [
        {
            "input_ids": enc["input_ids"][i],
            "token_type_ids": enc["token_type_ids"][i],
            "y": target(r["label"]),
            "w": 1.0,
            "d": 0.0,
        }
        for i, r in enumerate(rows)
    ]


def collate(items: list[dict], idx: list[int]) -> dict[str, torch.Tensor]:
    width = max(len(items[i]["input_ids"]) for i in idx)
    ids = torch.zeros((len(idx), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for row, i in enumerate(idx):
        n = len(items[i]["input_ids"])
        ids[row, :n] = torch.tensor(items[i]["input_ids"])
        types[row, :n] = torch.tensor(items[i]["token_type_ids"])
        mask[row, :n] = 1
    return {
        "input_ids": ids,
        "token_type_ids": types,
        "attention_mask": mask,
        "y": torch.tensor([items[i]["y"] for i in idx]),
        "w": torch.tensor([items[i]["w"] for i in idx]),
        "d": torch.tensor([items[i]["d"] for i in idx]),
    }


def forward(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """The model's logits for a :func:`collate` batch."""
    return model(
        input_ids=batch["input_ids"],
        token_type_ids=batch["token_type_ids"],
        attention_mask=batch["attention_mask"],
    ).logits


@torch.inference_mode()
def predict_logits(model, items: list[dict], batch_size: int = 128) -> np.ndarray:
    model.eval()
    order = sorted(range(len(items)), key=lambda i: len(items[i]["input_ids"]))
    out = np.zeros((len(items), len(LABELS)), dtype=np.float32)
    for s in range(0, len(order), batch_size):
        idx = order[s : s + batch_size]
        out[idx] = forward(model, collate(items, idx)).float().numpy()
    return out


def macro_f1(gold: list[int], pred: list[int], classes: list[int]) -> float:
    f1s = []
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return float(np.mean(f1s))


def score(logits: np.ndarray, rows: list[dict]) -> dict[str, float]:
    """Accuracy and macro-F1: over the 3 labels, or entail vs rest for the 2-way sets."""
    pred = logits.argmax(-1).tolist()
    if any(r["label"] == "not_entailment" for r in rows):
        gold = [int(r["label"] == "entailment") for r in rows]
        p2 = [int(p == ENT) for p in pred]
        acc = float(np.mean([g == p for g, p in zip(gold, p2, strict=True)]))
        return {"accuracy": acc, "macro_f1": macro_f1(gold, p2, [0, 1])}
    gold = [LABEL_ID[r["label"]] for r in rows]
    acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)]))
    return {"accuracy": acc, "macro_f1": macro_f1(gold, pred, [0, 1, 2])}


def family_accuracy(logits: np.ndarray, rows: list[dict]) -> dict[str, float]:
    """Accuracy per generated family (``source``) of a generated dev set."""
    pred = logits.argmax(-1)
    out: dict[str, list[bool]] = {}
    for p, r in zip(pred, rows, strict=True):
        out.setdefault(r["source"], []).append(int(p) == LABEL_ID[r["label"]])
    return {k: float(np.mean(v)) for k, v in sorted(out.items())}


def evaluate(model, dev: dict[str, tuple[list[dict], list[dict]]]) -> dict[str, dict]:
    results = {}
    for name, (rows, items) in dev.items():
        logits = predict_logits(model, items)
        results[name] = score(logits, rows)
        if name == "dev_gen":
            results[name] |= {f"acc_{k[4:]}": v for k, v in family_accuracy(logits, rows).items()}
    return results


def dev_objective(results: dict[str, dict]) -> float:
    """Model selection score: scientific/health macro-F1, general NLI and the rewrite families.

    Each term stands for a set the model is checked on; no one set can carry the choice.
    """
    sci = np.mean(
        [results[k]["macro_f1"] for k in ("dev_healthver", "dev_climate") if k in results]
    )
    general = np.mean(
        [results[k]["accuracy"] for k in ("dev_snli", "dev_lingnli", "dev_sick") if k in results]
    )
    two_way = np.mean(
        [results[k]["accuracy"] for k in ("dev_covidfact", "dev_rte") if k in results]
    )
    gen = results.get("dev_gen", {}).get("macro_f1", 0.0)
    return float(0.35 * sci + 0.3 * general + 0.15 * two_way + 0.2 * gen)
