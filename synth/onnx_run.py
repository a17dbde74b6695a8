"""Running ONNX graphs on the CPU the way synth does for both of its models.

Shared by the NLI cross-encoder (:mod:`synth.verify.onnx`, int8) and the sentence embedder
(:mod:`synth.embed_onnx`, fp32): open a session with one intra-op thread, and run each input
alone, unpadded, on a few such sessions' worth of worker threads. Why alone: for the int8 file,
dynamic quantisation scales activations over the whole input, so in a batch one input's output
would depend on its batch-mates; for both, two single-threaded workers on short inputs are
faster than one two-threaded batch (``benchmarks/nli_throughput.py``,
``benchmarks/embed_throughput.py``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from synth.errors import ModelError

WEIGHT_SUFFIXES = (".safetensors", ".bin")


def weights_digest(folder: str | Path) -> str:
    """SHA-256 over the folder's weight files (sorted by name), the identity of the weights."""
    digest = hashlib.sha256()
    files = sorted(p for p in Path(folder).iterdir() if p.suffix in WEIGHT_SUFFIXES)
    for file in files:
        digest.update(file.name.encode())
        _hash_into(digest, file)
    return digest.hexdigest()


def file_digest(path: str | Path) -> str:
    """SHA-256 of one file (an ONNX graph shipped without the weights it came from)."""
    digest = hashlib.sha256()
    _hash_into(digest, Path(path))
    return digest.hexdigest()


def _hash_into(digest, path: Path) -> None:
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)


def onnxruntime_available() -> bool:
    """Whether onnxruntime can be imported (it is a dependency; a broken install lacks it)."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def open_session(path: Path, hint: str, threads: int = 1):
    """An onnxruntime CPU session for ``path``; ``hint`` ends the error message (what to do).

    Raises:
        ModelError: onnxruntime is missing or the file cannot be loaded.
    """
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise ModelError(
            f"onnxruntime is not installed, so {path.name} cannot run; "
            f"`pip install onnxruntime` {hint}"
        ) from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # On x86 CPUs without VNNI, onnxruntime's fast int8 kernel (u8 x s8) sums pairs of products
    # in 16 bits, which saturate: the same file then gives other scores than on a VNNI CPU (the
    # claim classifier's test figures moved by 4 sentences between two machines). This option
    # takes the exact u8 x u8 kernel there; VNNI CPUs are exact either way and unaffected.
    options.add_session_config_entry("session.x64quantprecision", "1")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf/RuntimeException
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"the ONNX file {path} is damaged ({first[:160]}); {hint}") from exc


def default_workers() -> int:
    """One single-threaded worker per CPU, as many threads as torch would use."""
    return os.cpu_count() or 1


def run_alone(
    session,
    input_names: Sequence[str],
    token_ids: Sequence[Sequence[int]],
    type_ids: Sequence[Sequence[int]] | None,
    workers: int,
) -> np.ndarray:
    """The session's first output for each tokenised input, run alone and unpadded, one row
    per input in input order. Longest inputs go first so the workers finish together."""
    order = sorted(range(len(token_ids)), key=lambda i: -len(token_ids[i]))

    def run(i: int) -> np.ndarray:
        n = len(token_ids[i])
        feed = {
            "input_ids": np.asarray([token_ids[i]], dtype=np.int64),
            "attention_mask": np.ones((1, n), dtype=np.int64),
            "token_type_ids": np.asarray(
                [type_ids[i] if type_ids is not None else [0] * n], dtype=np.int64
            ),
        }
        return session.run(None, {k: feed[k] for k in input_names})[0][0]

    rows = _map(run, order, workers)
    out = np.zeros((len(token_ids), len(rows[0])), dtype=np.float32)
    out[order] = np.stack(rows)
    return out


def _map(fn: Callable[[int], np.ndarray], items: list[int], workers: int) -> list[np.ndarray]:
    # onnxruntime releases the GIL, so worker threads run inputs side by side.
    if workers > 1 and len(items) > 1:
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(fn, items))
    return [fn(i) for i in items]
