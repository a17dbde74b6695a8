"""Does fusing the graph before int8 quantisation make synth's verifier faster? Same process.

``training/export_onnx.py --fuse`` fuses each layer's attention, LayerNorm and GELU subgraphs
with onnxruntime's transformer optimizer before quantising. This script
exports the model both ways into a temporary folder, then times the two int8 files and the
naive torch loop (one pair per forward pass) in interleaved rounds on the same realistic pairs,
so a busy machine slows all three alike and the ratios hold (the order rotates each round; a
ratio is the median of the rounds' ratios). It ends with label agreement of each file with
torch on fixed real pairs and one JSON line of the figures,
also written to ``benchmarks/onnx_fusion.json``.

Usage::

    python benchmarks/onnx_fusion.py [--pairs 256] [--rounds 3] [--threads 2]

Each file runs pairs one at a time on ``--threads`` single-threaded workers, as synth does.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from nli_throughput import PDFS, labelled_pairs, naive_loop, realistic_pairs

from synth.verify.model import Verifier
from synth.verify.onnx import OnnxRunner

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "synth" / "models" / "nli-minilm-l6"


def exporter():
    """``training/export_onnx.py``, imported as the one command it is."""
    spec = importlib.util.spec_from_file_location("export_onnx", ROOT / "training/export_onnx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export_variant(tmp: Path, name: str, fuse: bool) -> Path:
    """A copy of the model folder with its int8 file exported with or without fusion."""
    folder = tmp / name
    shutil.copytree(MODEL, folder, ignore=shutil.ignore_patterns("onnx"))
    exporter().export(folder, optimize=fuse)
    return folder


def ratio(a: list[float], b: list[float]) -> float:
    """Median of the per-round ratios a/b: each round's pair shares that round's drift."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def rate(run, pairs) -> float:
    """Pairs per second of one call."""
    start = time.perf_counter()
    run(pairs)
    return len(pairs) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    if not PDFS.exists():
        raise SystemExit(f"needs the shared PDFs at {PDFS}")
    torch.set_num_threads(args.threads)
    pairs = realistic_pairs(args.pairs)
    reference = Verifier(str(MODEL), backend="torch")
    with tempfile.TemporaryDirectory() as tmp:
        variants = {}
        for name, fuse in (("plain", False), ("fused", True)):
            folder = export_variant(Path(tmp), name, fuse)
            verifier = Verifier(str(folder), backend="onnx")
            verifier._runner = OnnxRunner(folder, threads=args.threads)  # the torch thread budget
            variants[name] = verifier
        ways = {"naive": lambda p: naive_loop(reference, p)}
        ways |= {name: v.predict for name, v in variants.items()}
        for run in ways.values():
            run(pairs[:8])  # warm-up
        rates: dict[str, list[float]] = {name: [] for name in ways}
        names = list(ways)
        for i in range(args.rounds):
            for name in names[i % len(names) :] + names[: i % len(names)]:  # rotate the order
                rates[name].append(rate(ways[name], pairs))
            print(f"round {i + 1}: " + ", ".join(f"{n} {r[-1]:.1f}" for n, r in rates.items()))
        check = labelled_pairs()
        torch_labels = [s.label for s in reference.predict(check)]
        agreement = {
            name: float(np.mean(np.equal([s.label for s in v.predict(check)], torch_labels)))
            for name, v in variants.items()
        }
    median = {name: statistics.median(r) for name, r in rates.items()}
    figures = {
        "pairs": len(pairs),
        "rounds": args.rounds,
        "threads": args.threads,
        "naive_pairs_per_s": round(median["naive"], 1),
        "plain_pairs_per_s": round(median["plain"], 1),
        "fused_pairs_per_s": round(median["fused"], 1),
        "plain_speedup": round(ratio(rates["plain"], rates["naive"]), 2),
        "fused_speedup": round(ratio(rates["fused"], rates["naive"]), 2),
        "fused_over_plain": round(ratio(rates["fused"], rates["plain"]), 3),
        "plain_agreement": round(agreement["plain"], 4),
        "fused_agreement": round(agreement["fused"], 4),
        "agreement_pairs": len(check),
    }
    print(json.dumps(figures))
    (ROOT / "benchmarks" / "onnx_fusion.json").write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
