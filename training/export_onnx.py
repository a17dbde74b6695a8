"""Export an NLI cross-encoder to int8 ONNX: the file synth's default verifier backend runs.

One command, re-run whenever the weights change (``training/export_model.py`` replaces the whole
model folder, ONNX file included)::

    python training/export_onnx.py                       # the shipped model
    python training/export_onnx.py --model training/runs/v2/calibrated

Steps, each checked before the next:

1. ``torch.onnx.export`` of the model in fp32 (dynamic batch and sequence axes; inputs
   ``input_ids``, ``attention_mask`` and, when the model has them, ``token_type_ids``; output
   ``logits``), into a temporary folder.
2. The fp32 graph must reproduce the torch logits on real pairs (max abs diff below
   ``--tolerance``): whatever the weights carry, a calibration folded into the classifier
   included, the graph computes the same function.
3. With ``--fuse``, for BERT-like encoders (XLM-R included), onnxruntime's transformer
   optimizer fuses each layer's attention, LayerNorm and GELU subgraphs into single operators;
   the fused graph must match torch as in step 2. Off by default: on the shipped model the
   fused int8 file was no faster than the plain one (0.92x and 1.015x in two runs), label
   agreement with torch 0.9705 vs 0.973 (``benchmarks/onnx_fusion.py`` ->
   ``benchmarks/onnx_fusion.json``).
4. ``onnxruntime.quantization.quantize_dynamic`` with int8 weights (per-channel unless
   ``--per-tensor``; MatMuls matching ``--keep-fp32`` stay fp32), written to
   ``MODEL/onnx/model_int8.onnx`` with the SHA-256 of the weights it came from in its
   metadata, so synth can tell when the weights changed since the export.
5. Label agreement of int8 with torch on the same pairs is printed; below ``--min-agreement``
   the script fails and writes nothing.

Only the int8 file is kept. optimum is deliberately not used: installing it downgrades
transformers, and onnxruntime's own quantiser is all the work needs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synth.verify.onnx import (  # noqa: E402
    ONNX_FILE,
    WEIGHTS_SHA_KEY,
    weights_digest,
)

DEFAULT_MODEL = ROOT / "synth" / "models" / "nli-minilm-l6"
SNLI = ROOT.parent / "shared" / "data" / "nli" / "snli" / "snli_dev.jsonl"
# Check pairs when the shared data is absent (e.g. a tiny test model): short, mixed languages.
FALLBACK_PAIRS = [
    ("A man is playing a guitar on stage.", "A man plays an instrument."),
    ("Le modèle améliore la précision de 5 points.", "La précision baisse."),
    ("Das Modell wurde auf Wikipedia trainiert.", "Das Modell kennt Wikipedia."),
    ("Dropout improved accuracy on all six datasets.", "Dropout lowered accuracy."),
]


def check_pairs(n: int) -> list[tuple[str, str]]:
    """Real pairs to compare torch and ONNX on: SNLI dev when present, else a few fixed ones."""
    if not SNLI.exists():
        return FALLBACK_PAIRS
    pairs = []
    with SNLI.open() as f:
        for line in f:
            row = json.loads(line)
            pairs.append((row["premise"], row["hypothesis"]))
            if len(pairs) >= n:
                break
    return pairs


def load_torch(folder: Path):
    """The model in fp32 with eager attention (the form the TorchScript exporter traces)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(
        folder, dtype=torch.float32, attn_implementation="eager"
    ).eval()
    return model, AutoTokenizer.from_pretrained(folder)


def torch_logits(model, tokenizer, pairs, max_length: int, names: list[str]) -> np.ndarray:
    """Logits pair by pair batches of 16, with the same tokenisation the ONNX side gets."""
    import torch

    out = []
    with torch.inference_mode():
        for s in range(0, len(pairs), 16):
            enc = encode(tokenizer, pairs[s : s + 16], max_length, names)
            out.append(model(**{k: torch.from_numpy(v) for k, v in enc.items()}).logits.numpy())
    return np.concatenate(out)


def encode(tokenizer, pairs, max_length: int, names: list[str]) -> dict[str, np.ndarray]:
    enc = tokenizer(
        [p for p, _ in pairs],
        [h for _, h in pairs],
        padding=True,
        truncation="longest_first",
        max_length=max_length,
        return_tensors="np",
    )
    out = {}
    for name in names:
        value = enc.get(name)
        out[name] = (
            np.zeros_like(enc["input_ids"]) if value is None else np.asarray(value, np.int64)
        )
    return {k: v.astype(np.int64) for k, v in out.items()}


def input_names(model, tokenizer) -> list[str]:
    """The graph's inputs: token_type_ids only when the model embeds segment types."""
    names = ["input_ids", "attention_mask"]
    if getattr(model.config, "type_vocab_size", 0) and "token_type_ids" in tokenizer("a", "b"):
        names.append("token_type_ids")
    return names


def export_fp32(model, tokenizer, names: list[str], path: Path, opset: int) -> None:
    import torch

    class Logits(torch.nn.Module):
        """Positional inputs in a fixed order, logits out (no ModelOutput for the tracer)."""

        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *args):
            return self.inner(**dict(zip(names, args, strict=True))).logits

    dummy = encode(tokenizer, FALLBACK_PAIRS[:2], 64, names)
    axes = {n: {0: "batch", 1: "sequence"} for n in names} | {"logits": {0: "batch"}}
    torch.onnx.export(
        Logits(model),
        tuple(torch.from_numpy(dummy[n]) for n in names),
        str(path),
        input_names=names,
        output_names=["logits"],
        dynamic_axes=axes,
        opset_version=opset,
        do_constant_folding=True,
        dynamo=False,  # the TorchScript exporter needs no onnxscript and handles BERT-likes
    )


def run_onnx(path: Path, tokenizer, pairs, max_length: int, names: list[str]) -> np.ndarray:
    from synth.onnx_run import open_session

    session = open_session(path, "re-run the export", threads=2)  # as synth runs it
    out = [
        session.run(["logits"], encode(tokenizer, pairs[s : s + 16], max_length, names))[0]
        for s in range(0, len(pairs), 16)
    ]
    return np.concatenate(out)


def kept_fp32(fp32: Path, pattern: str | None) -> list[str]:
    """Names of the graph's MatMul nodes matching ``pattern`` (left unquantised)."""
    if not pattern:
        return []
    import onnx

    graph = onnx.load(str(fp32)).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and re.search(pattern, n.name)]


# Encoders onnxruntime's transformer optimizer fuses as "bert" (its RoBERTa handling covers XLM-R).
_FUSABLE = frozenset({"bert", "roberta", "xlm-roberta"})


def fuse(fp32: Path, fused: Path, config) -> dict[str, int] | None:
    """Fuse attention, LayerNorm and GELU subgraphs into single operators, or None when the
    architecture is not one onnxruntime's transformer optimizer knows (DeBERTa-v2 is not).

    Why: onnxruntime's CPU kernels for the fused ``Attention``/``SkipLayerNormalization`` ops
    avoid dozens of small ops per layer, and dynamic quantisation then turns ``Attention`` into
    ``QAttention``; the fused graph is checked against torch like the plain one.
    """
    if config.model_type not in _FUSABLE:
        return None
    from onnxruntime.transformers import optimizer

    model = optimizer.optimize_model(
        str(fp32),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
        opt_level=1,
    )
    model.save_model_to_file(str(fused))
    return {k: v for k, v in model.get_fused_operator_statistics().items() if v}


def quantize(fp32: Path, int8: Path, per_channel: bool, keep: list[str]) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        # Fused operators (com.microsoft domain) have no ONNX shape inference: their outputs are
        # float32, which is what the quantiser needs to know.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        # Per-channel scales: label agreement with torch 0.973 vs 0.947 per-tensor (600 SNLI
        # dev pairs). The embedding Gather is quantised too (22 MB instead of 56 MB): keeping it
        # fp32 measured no better (0.965).
        per_channel=per_channel,
        nodes_to_exclude=keep,
    )


def stamp(path: Path, digest: str, meta: dict) -> None:
    """Record the weights' SHA-256 (and how the file was made) in the ONNX metadata."""
    import onnx

    model = onnx.load(str(path))
    for key, value in {WEIGHTS_SHA_KEY: digest, "synth_export": json.dumps(meta)}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, str(path))


def export(
    folder: Path,
    *,
    pairs: int = 256,
    max_length: int = 256,
    opset: int = 17,
    per_channel: bool = True,
    keep_fp32: str | None = None,
    optimize: bool = False,
    tolerance: float = 1e-3,
    min_agreement: float = 0.95,
) -> dict:
    """Export ``folder`` to ``folder/onnx/model_int8.onnx``; returns the figures it checked."""
    start = time.perf_counter()
    model, tokenizer = load_torch(folder)
    names = input_names(model, tokenizer)
    sample = check_pairs(pairs)
    reference = torch_logits(model, tokenizer, sample, max_length, names)
    target = folder / ONNX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        export_fp32(model, tokenizer, names, fp32, opset)
        diff = float(np.abs(run_onnx(fp32, tokenizer, sample, max_length, names) - reference).max())
        print(f"fp32 ONNX vs torch on {len(sample)} pairs: max abs logit diff {diff:.2e}")
        if diff > tolerance:
            raise SystemExit(f"fp32 export differs from torch by {diff:.2e} > {tolerance}")
        fused = fuse(fp32, Path(tmp) / "model_fused.onnx", model.config) if optimize else None
        fused_diff = None
        if fused is not None:
            fp32 = Path(tmp) / "model_fused.onnx"
            fused_diff = float(
                np.abs(run_onnx(fp32, tokenizer, sample, max_length, names) - reference).max()
            )
            print(f"fused fp32 ({fused}) vs torch: max abs logit diff {fused_diff:.2e}")
            if fused_diff > tolerance:
                raise SystemExit(f"fused graph differs from torch by {fused_diff:.2e}")
        int8 = Path(tmp) / "model_int8.onnx"
        keep = kept_fp32(fp32, keep_fp32)
        quantize(fp32, int8, per_channel, keep)
        logits8 = run_onnx(int8, tokenizer, sample, max_length, names)
        agreement = float(np.mean(logits8.argmax(1) == reference.argmax(1)))
        int8_diff = float(np.abs(logits8 - reference).max())
        print(f"int8 ONNX vs torch: label agreement {agreement:.4f}, max abs diff {int8_diff:.3f}")
        if agreement < min_agreement:
            raise SystemExit(f"int8 agreement {agreement:.3f} < {min_agreement}; nothing written")
        meta = {
            "opset": opset,
            "per_channel": per_channel,
            "fp32_nodes": len(keep),
            "fused": fused,
            "fused_max_abs_diff": fused_diff,
            "keep_fp32": keep_fp32,
            "inputs": names,
            "check_pairs": len(sample),
            "fp32_max_abs_diff": diff,
            "int8_label_agreement": agreement,
        }
        stamp(int8, weights_digest(folder), meta)
        int8.replace(target)
    size = target.stat().st_size / 2**20
    print(f"wrote {target} ({size:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return meta | {"size_mb": size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="a model folder")
    ap.add_argument("--pairs", type=int, default=256, help="SNLI dev pairs to check against")
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--per-tensor", action="store_true", help="one int8 scale per weight matrix")
    ap.add_argument(
        "--keep-fp32",
        metavar="REGEX",
        help="MatMul nodes left unquantised, e.g. 'layer\\.\\d+/output/dense' (FFN outputs)",
    )
    ap.add_argument(
        "--fuse", action="store_true", help="fuse attention/LayerNorm/GELU before quantising"
    )
    ap.add_argument("--tolerance", type=float, default=1e-3, help="fp32 max abs logit diff")
    ap.add_argument("--min-agreement", type=float, default=0.95)
    args = ap.parse_args()
    export(
        args.model,
        pairs=args.pairs,
        max_length=args.max_length,
        opset=args.opset,
        per_channel=not args.per_tensor,
        keep_fp32=args.keep_fp32,
        optimize=args.fuse,
        tolerance=args.tolerance,
        min_agreement=args.min_agreement,
    )


if __name__ == "__main__":
    main()
