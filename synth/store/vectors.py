"""Embeddings through the database: each distinct text is embedded once, ever.

Vectors are stored as float16 (768 bytes for 384 dimensions): cosine rankings do not change
at that precision, and a paper's ~250 sentences cost ~200 KB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlmodel import Session

from synth.embed import EMBEDDING_DIM, MODEL_NAME, embed
from synth.store.arrays import through_cache
from synth.store.models import EmbeddingCache


def cache_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()


def cached_embed(session: Session, texts: Sequence[str]) -> np.ndarray:
    """Unit embeddings of ``texts`` (as :func:`synth.embed.embed`), computing only new ones."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    keys = [cache_key(t) for t in texts]
    # float16 as stored (see the module docstring); ``embed`` is looked up at call time.
    vectors = through_cache(
        session, EmbeddingCache, "vector", keys, texts, lambda new: embed(new), np.float16
    )
    return np.stack(vectors).astype(np.float32)
