"""Embedding throughput: the ONNX export of all-MiniLM-L6-v2 against sentence-transformers.

Sentences are real: the 1,012 hand-labelled body sentences of the shared arXiv PDFs
(``training/claims/body_labels.jsonl``, committed). Both backends run in the same process on
the same sentences, alternating for ``--rounds`` rounds, and the speedup is the median of the
rounds' ratios (absolute times on a shared machine are noise; ratios in one run are not). Then
how far the vectors are apart: the largest absolute difference of any coordinate, the lowest
cosine, and whether any sentence's nearest neighbour among the others changes. The last line
is one JSON object, also written to ``benchmarks/embed_throughput.json``.

Usage::

    python benchmarks/embed_throughput.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from synth.embed import _encoder

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "training" / "claims" / "body_labels.jsonl"
OUT = ROOT / "benchmarks" / "embed_throughput.json"


def rate(encode, texts: list[str]) -> tuple[float, np.ndarray]:
    """Sentences per second of one pass, and the vectors."""
    start = time.perf_counter()
    vectors = np.asarray(encode(texts), dtype=np.float32)
    return len(texts) / (time.perf_counter() - start), vectors


def nearest(vectors: np.ndarray) -> np.ndarray:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -2.0)
    return sims.argmax(axis=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = [json.loads(line)["sentence"] for line in SENTENCES.read_text().splitlines()]
    torch_encode, onnx_encode = _encoder("torch"), _encoder("onnx")
    rate(torch_encode, texts[:32]), rate(onnx_encode, texts[:32])  # warm-up
    ratios, torch_rates, onnx_rates = [], [], []
    for r in range(args.rounds):
        t_rate, t_vec = rate(torch_encode, texts)
        o_rate, o_vec = rate(onnx_encode, texts)
        torch_rates.append(t_rate)
        onnx_rates.append(o_rate)
        ratios.append(o_rate / t_rate)
        print(f"round {r + 1}: torch {t_rate:.1f}/s, onnx {o_rate:.1f}/s, {ratios[-1]:.2f}x")
    result = {
        "sentences": len(texts),
        "torch_sentences_per_s": round(statistics.median(torch_rates), 1),
        "onnx_sentences_per_s": round(statistics.median(onnx_rates), 1),
        "speedup": round(statistics.median(ratios), 2),
        "speedup_per_round": [round(x, 2) for x in ratios],
        "max_abs_diff": float(np.abs(o_vec - t_vec).max()),
        "min_cosine": round(float((o_vec * t_vec).sum(axis=1).min()), 7),
        "nearest_neighbour_changes": int((nearest(o_vec) != nearest(t_vec)).sum()),
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
