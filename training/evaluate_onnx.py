"""Accuracy of the torch model and its int8 ONNX file side by side on every dev set.

The int8 file should cost at most a point of accuracy anywhere; this measures it on the same
pairs for both backends (the first ``--limit`` pairs of each ``training/splits/dev_*.jsonl``,
a fixed, cheap sample), writes them to ``MODEL/onnx_eval.json`` and (re)writes the model
card's ONNX section between ``<!-- onnx -->`` markers (appended when absent), so the card keeps
quoting the file that ships::

    python benchmarks/nli_throughput.py --out benchmarks/nli_throughput.json  # speed figures
    python training/evaluate_onnx.py --benchmark benchmarks/nli_throughput.json

Re-run both after ``training/export_onnx.py`` whenever the weights change.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from synth.verify.evaluate import label_space, metrics, predicted, read_examples, to_space
from synth.verify.model import Verifier

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "synth" / "models" / "nli-minilm-l6"
START, END = "<!-- onnx -->", "<!-- /onnx -->"


def card_section(model: Path, evaluation: dict, benchmark: dict | None) -> str:
    """The model card's ONNX section, from the export's own metadata and the figures measured."""
    import onnx

    from synth.verify.onnx import ONNX_FILE

    path = model / ONNX_FILE
    meta = {p.key: p.value for p in onnx.load(str(path), load_external_data=False).metadata_props}
    export = json.loads(meta.get("synth_export", "{}"))
    lines = [
        START,
        "## int8 ONNX (synth's default backend)",
        "",
        f"`{ONNX_FILE}` ({path.stat().st_size / 2**20:.1f} MB) is this model exported by "
        "`training/export_onnx.py`: `torch.onnx.export` in fp32 (opset "
        f"{export.get('opset', '?')}; max abs logit difference from torch "
        f"{export.get('fp32_max_abs_diff', float('nan')):.1e} on "
        f"{export.get('check_pairs', '?')} SNLI dev pairs), then onnxruntime's "
        "`quantize_dynamic` with int8 weights"
        f"{', per channel' if export.get('per_channel') else ''}. synth runs it by default "
        "(`SYNTH_VERIFY__BACKEND=auto`); `SYNTH_VERIFY__BACKEND=torch` runs the fp16 weights in "
        "fp32 instead. Labels, calibration and softmax are the same code for both. Each pair "
        "runs alone, unpadded, on one of two single-threaded workers: dynamic quantisation "
        "scales activations over the whole input, so in a batch a pair's score would depend on "
        "the pairs batched with it.",
        "",
    ]
    if benchmark:
        lines += [
            f"Speed (`benchmarks/nli_throughput.py`, {benchmark.get('threads', 2)} threads): "
            f"{benchmark['default_pairs_per_s']} pairs/s against "
            f"{benchmark['naive_pairs_per_s']} for a one-pair-per-forward torch loop "
            f"(**{benchmark['speedup']}x**: {_rounds(benchmark)}; a CPU shared with other work "
            "inflates ratios over the naive loop, which suffers most); label agreement with torch "
            f"{benchmark['agreement']:.3f} on {benchmark.get('agreement_pairs', '?')} real pairs.",
            "",
        ]
    lines += [
        f"Accuracy, torch against int8 ONNX, on the first {evaluation['limit_per_set']} pairs "
        "of every dev set (`training/evaluate_onnx.py`, figures in `onnx_eval.json`; on "
        f"{evaluation['limit_per_set']} pairs one pair is "
        f"{1 / evaluation['limit_per_set']:.3f}):",
        "",
        "| set | pairs | torch accuracy | ONNX accuracy | difference | torch macro-F1 | "
        "ONNX macro-F1 | labels agree |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in evaluation["sets"].items():
        lines.append(
            f"| {name} | {r['n']} | {r['torch']['accuracy']:.3f} | {r['onnx']['accuracy']:.3f} | "
            f"{r['accuracy_delta']:+.3f} | {r['torch']['macro_f1']:.3f} | "
            f"{r['onnx']['macro_f1']:.3f} | {r['label_agreement']:.3f} |"
        )
    return "\n".join([*lines, END])


def _rounds(benchmark: dict) -> str:
    """How the speedup was measured, from the benchmark's own figures."""
    per_round = benchmark.get("speedup_per_round")
    if not per_round:
        return "one run"
    return f"the median ratio of {len(per_round)} alternating rounds, " + ", ".join(
        f"{r}x" for r in per_round
    )


def write_card_section(model: Path, section: str) -> None:
    card = model / "README.md"
    text = card.read_text() if card.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    card.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    ap.add_argument("--splits", type=Path, default=ROOT / "training" / "splits")
    ap.add_argument("--limit", type=int, default=600, help="pairs per set (CPU is shared)")
    ap.add_argument("--out", type=Path, help="default: MODEL/onnx_eval.json")
    ap.add_argument(
        "--benchmark", type=Path, help="benchmarks/nli_throughput.py's --out file (or its output)"
    )
    ap.add_argument(
        "--card-only", action="store_true", help="rewrite the card from the existing JSON"
    )
    args = ap.parse_args()
    out = args.out or args.model / "onnx_eval.json"
    benchmark = None
    if args.benchmark:
        text = args.benchmark.read_text().strip()
        benchmark = json.loads(text if text.startswith("{") else text.splitlines()[-1])
    if args.card_only:
        evaluation = json.loads(out.read_text())
        write_card_section(args.model, card_section(args.model, evaluation, benchmark))
        return
    backends = {b: Verifier(str(args.model), backend=b, batch_size=16) for b in ("torch", "onnx")}
    results: dict[str, dict] = {}
    for path in sorted(args.splits.glob("dev_*.jsonl")):
        examples = read_examples(path)[: args.limit]
        row: dict = {"n": len(examples)}
        labels = {}
        for name, verifier in backends.items():
            space = label_space(examples, verifier.two_way)
            gold = [to_space(e.label, space) for e in examples]
            start = time.perf_counter()
            scores = verifier.predict([(e.premise, e.hypothesis) for e in examples])
            seconds = time.perf_counter() - start
            labels[name] = [predicted(s, space) for s in scores]
            per_class = metrics(gold, labels[name], space)
            row[name] = {
                "accuracy": round(float(np.mean(np.equal(gold, labels[name]))), 4),
                "macro_f1": round(sum(c.f1 for c in per_class) / len(per_class), 4),
                "seconds": round(seconds, 1),
            }
        row["label_agreement"] = round(float(np.mean(np.equal(*labels.values()))), 4)
        row["accuracy_delta"] = round(row["onnx"]["accuracy"] - row["torch"]["accuracy"], 4)
        results[path.stem] = row
        print(
            f"{path.stem:15s} n={row['n']:4d} accuracy torch {row['torch']['accuracy']:.3f} "
            f"onnx {row['onnx']['accuracy']:.3f} ({row['accuracy_delta']:+.3f}); "
            f"labels agree {row['label_agreement']:.3f}",
            flush=True,
        )
    evaluation = {"limit_per_set": args.limit, "sets": results}
    out.write_text(json.dumps(evaluation, indent=2) + "\n")
    write_card_section(args.model, card_section(args.model, evaluation, benchmark))
    print(f"wrote {out} and the ONNX section of {args.model / 'README.md'}")


if __name__ == "__main__":
    main()
