"""Run an NLI cross-encoder exported to int8 ONNX (``training/export_onnx.py``) on the CPU.

Why a runner of our own rather than sentence-transformers' ONNX backend: that backend needs
optimum, which pins an older transformers; onnxruntime alone runs the graph, and the work
around it is small: tokenise (with the model folder's own tokenizer, exactly as the torch path
does), run each pair alone (:meth:`OnnxRunner.logits` says why not in batches), and return
logits. Labels, calibration and softmax are applied by :class:`synth.verify.model.Verifier` for
both backends alike, so the two differ only by the int8 arithmetic.

The ONNX file carries the SHA-256 of the weights it was exported from (metadata key
``synth_weights_sha256``): a file older than the weights beside it is *stale* and is never used
silently, since it would give another model's answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from synth.errors import ModelError
from synth.onnx_run import (
    WEIGHT_SUFFIXES,
    default_workers,
    open_session,
    run_alone,
    weights_digest,
)

logger = logging.getLogger(__name__)

ONNX_FILE = Path("onnx") / "model_int8.onnx"  # relative to the model folder
WEIGHTS_SHA_KEY = "synth_weights_sha256"
EXPORT_HINT = "run `python training/export_onnx.py --model {folder}`"
TORCH_HINT = "or set SYNTH_VERIFY__BACKEND=torch"


def onnx_path(folder: str | Path) -> Path | None:
    """The int8 ONNX file of a local model folder, or None when it has none (or is a hub id)."""
    path = Path(folder) / ONNX_FILE
    return path if path.is_file() else None


def stale_reason(session, folder: Path) -> str | None:
    """Why the file does not belong to the weights beside it, or None when it does."""
    meta = session.get_modelmeta().custom_metadata_map
    recorded = meta.get(WEIGHTS_SHA_KEY)
    if recorded is None:
        return "it records no weights digest"
    if not any(p.suffix in WEIGHT_SUFFIXES for p in folder.iterdir()):
        return None  # an ONNX-only folder: nothing to be stale against
    if recorded != weights_digest(folder):
        return "the weights changed since it was exported"
    return None


class OnnxRunner:
    """Logits of (premise, hypothesis) pairs from a model folder's int8 ONNX file.

    Args:
        folder: a model folder holding ``config.json``, the tokenizer and ``onnx/model_int8.onnx``.
        max_length: token limit per pair; longer pairs lose tokens from the longer side first
            (``longest_first``, as sentence-transformers truncates).
        threads: pairs run side by side, each on one thread; default one per CPU, as torch
            uses.
        allow_stale: do not raise for a file whose weights digest does not match the weights
            beside it; ``stale`` then says why, for the caller to decide.

    Raises:
        ModelError: onnxruntime is missing, the file is damaged or stale, or the folder has
            no usable tokenizer.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        max_length: int = 256,
        threads: int | None = None,
        allow_stale: bool = False,
    ) -> None:
        self.folder = Path(folder)
        path = onnx_path(self.folder)
        if path is None:
            raise ModelError(
                f"{self.folder} has no int8 ONNX file ({ONNX_FILE}); "
                f"{EXPORT_HINT.format(folder=self.folder)} {TORCH_HINT}"
            )
        self.path = path
        self.max_length = max_length
        self.workers = threads or default_workers()
        hint = f"{EXPORT_HINT.format(folder=self.folder)} {TORCH_HINT}"
        self.session = open_session(path, hint)
        self.stale = stale_reason(self.session, self.folder)
        if self.stale and not allow_stale:
            raise ModelError(
                f"the ONNX file {path} is stale: {self.stale}; "
                f"{EXPORT_HINT.format(folder=self.folder)} {TORCH_HINT}"
            )
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.config = json.loads((self.folder / "config.json").read_text())
        self.tokenizer = _tokenizer(self.folder)

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Raw logits, one row per pair in input order (float32, shape ``(len(pairs), labels)``).

        Each pair runs alone and unpadded, the pairs spread over ``threads`` single-threaded
        workers, longest first. Why not batches: dynamic int8 quantisation scales a MatMul's
        activations by the minimum and maximum of its whole input tensor, so in a batch a pair's
        logits depend on its batch-mates and their padding. On 663 real pairs, 3.8% of labels
        changed between batches of 1 and 32 and P(entailment) moved by up to 0.31, so a claim's
        verdict depended on which claims were checked with it. Alone, a pair always gets the same
        answer; and two single-threaded workers run as fast as batches of 8 on two threads
        (``benchmarks/nli_throughput.py``).
        """
        if not pairs:
            return np.zeros((0, len(self.config.get("id2label", {}))), dtype=np.float32)
        enc = self.tokenizer(
            [p for p, _ in pairs],
            [h for _, h in pairs],
            truncation="longest_first",
            max_length=self.max_length,
            padding=False,
        )
        types = enc.get("token_type_ids")
        return run_alone(self.session, self.input_names, enc["input_ids"], types, self.workers)


def _tokenizer(folder: Path):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(folder, local_files_only=True)
    except Exception as exc:  # transformers raises OSError, ValueError, ImportError...
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(
            f"cannot load the tokenizer of {folder} ({first[:160]}); the folder must hold the "
            "tokenizer files saved with the model (save_pretrained)"
        ) from exc
