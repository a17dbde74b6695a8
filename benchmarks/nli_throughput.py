"""NLI throughput: synth's default verifier (int8 ONNX) against a naive torch loop.

Pairs are realistic: claims extracted from shared arXiv PDFs, each paired with the sentences
synth would pick as its candidate evidence. Every way runs in the same process on the same
pairs, so the ratio is meaningful on a busy machine even when absolute times are not.

Measured: the naive loop (the torch model, one pair per forward pass) and the default backend
(``auto``: the int8 ONNX file when the model has one, each pair alone on one of ``--threads``
workers), alternating for ``--rounds`` rounds (the speedup is the median of the rounds'
ratios), then the torch backend batched. Then whether a pair's score depends on the pairs
scored with it (alone vs in a batch, both backends), and label agreement between the torch and
default backends on fixed real pairs (SNLI dev, and SciFact-style dev pairs when
``training/splits`` exists). The last line is one JSON object: ``{"naive_pairs_per_s",
"default_pairs_per_s", "speedup", "speedup_per_round", "agreement", ...}``.

Usage::

    python benchmarks/nli_throughput.py [--pairs 256] [--model synth-nli-minilm] [--threads 2]
        [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from synth.embed import embed, top_k
from synth.extract import extract_pdf
from synth.settings import VerifySettings
from synth.verify.model import Verifier

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
SNLI_DEV = ROOT.parent / "shared" / "data" / "nli" / "snli" / "snli_dev.jsonl"
SCIFACT_DEV = ROOT / "training" / "splits" / "dev_scifact.jsonl"
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


def labelled_pairs(n_snli: int = 300, n_scifact: int = 200) -> list[tuple[str, str]]:
    """Fixed real pairs for the agreement check: the first SNLI dev and SciFact-style pairs."""
    out: list[tuple[str, str]] = []
    for path, n in ((SNLI_DEV, n_snli), (SCIFACT_DEV, n_scifact)):
        if not path.exists():
            continue
        with path.open() as f:
            rows = [json.loads(line) for _, line in zip(range(n), f, strict=False)]
        out += [(r["premise"], r["hypothesis"]) for r in rows]
    return out


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


def batch_dependence(verifier: Verifier, pairs: list[tuple[str, str]]) -> float:
    """The largest change in a pair's P(entailment) between scoring it alone and among the
    others: a verdict must not depend on which claims are checked with it."""
    together = [s.entailment for s in verifier.predict(pairs)]
    alone = [verifier.predict([pair])[0].entailment for pair in pairs]
    return float(np.max(np.abs(np.subtract(together, alone))))


def cpu_has_vnni() -> bool | None:
    """Whether the CPU has VNNI, which int8 speed depends on: without it onnxruntime takes its
    exact but slower u8 x u8 kernel (``synth.onnx_run.open_session``). None off Linux and x86."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    if " avx" not in flags:  # not an x86 CPU: VNNI is no question there
        return None
    return "avx512_vnni" in flags or "avx_vnni" in flags


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--model", default="synth-nli-minilm")
    ap.add_argument("--rounds", type=int, default=5, help="alternating naive/default rounds")
    ap.add_argument(
        "--out", type=Path, help="also write the figures here (the model card quotes this file)"
    )
    ap.add_argument("--threads", type=int, default=2, help="torch and onnxruntime threads")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    pairs = realistic_pairs(args.pairs)
    reference = Verifier(args.model, backend="torch")
    default = Verifier(args.model)
    if default._runner is not None:  # same thread budget as torch, for a fair ratio
        from synth.verify.onnx import OnnxRunner

        default._runner = OnnxRunner(default._runner.folder, threads=args.threads)
    for verifier in (reference, default):
        verifier.predict(pairs[:8])  # warm-up
    words = sum(len(p.split()) + len(h.split()) for p, h in pairs) / len(pairs)
    print(
        f"{len(pairs)} claim/evidence pairs from {len(PAPERS)} shared PDFs, "
        f"{words:.0f} words per pair on average; threads: {args.threads}; "
        f"default backend: {default.backend}"
    )
    # The naive loop and the default backend alternate for --rounds rounds, and the speedup is
    # the median of the rounds' ratios: one shot drifts by 20% on a shared machine.
    default.batch_size = VerifySettings().batch_size
    naive_rates, default_rates = [], []
    for i in range(args.rounds):
        naive_rates.append(len(pairs) / naive_loop(reference, pairs))
        default_rates.append(len(pairs) / batched(default, pairs))
        print(
            f"round {i + 1}: naive loop (torch, 1 pair per forward pass) "
            f"{naive_rates[-1]:6.1f} pairs/s, {default.backend} backend (synth default) "
            f"{default_rates[-1]:6.1f} pairs/s = "
            f"{default_rates[-1] / naive_rates[-1]:.2f}x"
        )
    naive, default_rate = statistics.median(naive_rates), statistics.median(default_rates)
    per_round = [d / n for d, n in zip(default_rates, naive_rates, strict=True)]
    speedup = statistics.median(per_round)  # each round's pair shares its drift
    print(
        f"median: naive {naive:.1f} pairs/s, default {default_rate:.1f} pairs/s; "
        f"speedup (median of the rounds' ratios) {speedup:.2f}x"
    )
    t = batched(reference, pairs)
    print(
        f"torch backend, batch {reference.batch_size}, length-sorted: "
        f"{len(pairs) / t:7.1f} pairs/s = {len(pairs) / t / naive:.2f}x the naive loop"
    )
    alone = {v.backend: batch_dependence(v, pairs[:64]) for v in (reference, default)}
    for backend, diff in alone.items():
        print(f"{backend} backend: largest change in P(entailment) alone vs in a batch: {diff:.2e}")
    check = labelled_pairs()
    a = [s.label for s in reference.predict(check)]
    b = [s.label for s in default.predict(check)]
    agreement = float(np.mean(np.equal(a, b)))
    print(f"label agreement torch vs {default.backend} on {len(check)} real pairs: {agreement:.4f}")
    figures = {
        "naive_pairs_per_s": round(naive, 1),
        "default_pairs_per_s": round(default_rate, 1),
        "speedup": round(speedup, 2),
        "speedup_per_round": [round(r, 2) for r in per_round],
        "rounds": args.rounds,
        "agreement": round(agreement, 4),
        "agreement_pairs": len(check),
        "default_backend": default.backend,
        "threads": args.threads,
        "alone_vs_batch_max_diff": {k: float(f"{v:.2e}") for k, v in alone.items()},
        "cpu_vnni": cpu_has_vnni(),
    }
    print(json.dumps(figures))
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
