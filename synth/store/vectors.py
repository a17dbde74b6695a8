"""Embeddings through the database: each distinct text is embedded once, ever.

Vectors are stored as float16 (768 bytes for 384 dimensions): cosine rankings do not change
at that precision, and a paper's ~250 sentences cost ~200 KB.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlmodel import Session, select

from synth.embed import EMBEDDING_DIM, MODEL_NAME, embed
from synth.store.db import insert_or_ignore
from synth.store.models import EmbeddingCache

_CHUNK = 500  # keys per IN (...) query, well under every database's parameter limit


def cache_key(text: str) -> str:
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()


def cached_embed(session: Session, texts: Sequence[str]) -> np.ndarray:
    """Unit embeddings of ``texts`` (as :func:`synth.embed.embed`), computing only new ones."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    keys = [cache_key(t) for t in texts]
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for row in session.exec(select(EmbeddingCache).where(EmbeddingCache.key.in_(chunk))):
            found[row.key] = np.frombuffer(row.vector, dtype=np.float16).astype(np.float32)
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
    if missing:
        # Round fresh vectors as stored ones are, so results never depend on the cache's state.
        vectors = embed(list(missing.values())).astype(np.float16)
        rows = []
        for key, vector in zip(missing, vectors, strict=True):
            found[key] = vector.astype(np.float32)
            rows.append({"key": key, "vector": vector.tobytes()})
        # Another synth may be caching the same texts right now: keep whichever came first.
        for start in range(0, len(rows), _CHUNK):
            insert_or_ignore(session, EmbeddingCache, rows[start : start + _CHUNK], "key")
        session.commit()
    return np.stack([found[k] for k in keys])
