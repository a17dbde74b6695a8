"""NLI throughput: synth's batched, length-sorted verifier against a naive one-pair loop.

Pairs are realistic: claims extracted from shared arXiv PDFs, each paired with the sentences
synth would pick as its candidate evidence. Both ways run in the same process on the same pairs,
so the ratio is meaningful on a busy machine even when absolute times are not.

Usage::

    python benchmarks/nli_throughput.py [--pairs 384] [--model synth-nli-minilm]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from synth.embed import embed, top_k
from synth.extract import extract_pdf
from synth.settings import VerifySettings
from synth.verify.model import Verifier

PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "arxiv" / "pdfs"
PAPERS = ("1810.04805", "1901.07291", "1802.05365", "1801.06146")


def realistic_pairs(n: int) -> list[tuple[str, str]]:
    """(evidence, claim) pairs: sentences of the papers against their 4 nearest neighbours."""
    sentences = [s.text for pid in PAPERS for s in extract_pdf(PDFS / f"{pid}.pdf").sentences]
    vectors = embed(sentences)
    step = max(1, len(sentences) * 4 // n)
    pairs = []
    for i in range(0, len(sentences), step):
        pairs += [(sentences[j], sentences[i]) for j, _ in top_k(vectors[i], vectors, 5)[1:]]
    return pairs[:n]


def naive_loop(verifier: Verifier, pairs: list[tuple[str, str]]) -> float:
    """One pair per forward pass, straight through the Hugging Face model."""
    encoder = verifier._encoder
    tokenizer = encoder.tokenizer
    model = encoder[0].model if hasattr(encoder[0], "model") else encoder.model
    model.eval()
    start = time.perf_counter()
    with torch.inference_mode():
        for premise, hypothesis in pairs:
            features = tokenizer(
                premise, hypothesis, truncation=True, max_length=256, return_tensors="pt"
            )
            model(**features)
    return time.perf_counter() - start


def batched(verifier: Verifier, pairs: list[tuple[str, str]]) -> float:
    start = time.perf_counter()
    verifier.predict(pairs)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pairs", type=int, default=384)
    ap.add_argument("--model", default="synth-nli-minilm")
    ap.add_argument("--batch-sizes", default="1,8,16,32,64")
    args = ap.parse_args()
    torch.set_num_threads(2)
    pairs = realistic_pairs(args.pairs)
    verifier = Verifier(args.model)
    verifier.predict(pairs[:8])  # warm-up
    words = sum(len(p.split()) + len(h.split()) for p, h in pairs) / len(pairs)
    print(
        f"{len(pairs)} claim/evidence pairs from {len(PAPERS)} shared PDFs, "
        f"{words:.0f} words per pair on average; torch threads: {torch.get_num_threads()}"
    )
    t_naive = naive_loop(verifier, pairs)
    print(f"naive loop (1 pair per forward pass): {len(pairs) / t_naive:7.1f} pairs/s")
    for size in (int(x) for x in args.batch_sizes.split(",")):
        verifier.batch_size = size
        t = batched(verifier, pairs)
        default = " (synth's default)" if size == VerifySettings().batch_size else ""
        print(
            f"synth verifier, batch {size:>3}, length-sorted{default}: "
            f"{len(pairs) / t:7.1f} pairs/s = {t_naive / t:.2f}x the naive loop"
        )


if __name__ == "__main__":
    main()
