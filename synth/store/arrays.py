"""Arrays computed once and kept in the database, keyed by a hash: the mechanism behind the
embedding cache (:mod:`synth.store.vectors`) and the NLI score cache
(:mod:`synth.store.nli_cache`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
from sqlmodel import Session, select

from synth.store.db import insert_or_ignore

_CHUNK = 500  # keys per IN (...) query, well under every database's parameter limit
Item = TypeVar("Item")


def through_cache(
    session: Session,
    table,
    column: str,
    keys: Sequence[str],
    items: Sequence[Item],
    compute: Callable[[list[Item]], np.ndarray],
    dtype: type,
) -> list[np.ndarray]:
    """One array per key: read from ``table`` (a ``key`` and a bytes ``column`` of ``dtype``)
    where stored, else computed with ``compute`` (once per distinct key, for the missing
    items in order) and stored. Fresh arrays are returned as stored, so a result never depends
    on whether it came from the cache."""
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for row in session.exec(select(table).where(table.key.in_(chunk))):
            found[row.key] = np.frombuffer(getattr(row, column), dtype=dtype)
    missing = {k: item for k, item in zip(keys, items, strict=True) if k not in found}
    if missing:
        fresh = np.asarray(compute(list(missing.values()))).astype(dtype)
        rows = []
        for key, array in zip(missing, fresh, strict=True):
            found[key] = array
            rows.append({"key": key, column: array.tobytes()})
        # Another synth may be caching the same keys right now: keep whichever came first.
        for start in range(0, len(rows), _CHUNK):
            insert_or_ignore(session, table, rows[start : start + _CHUNK], "key")
        session.commit()
    return [found[k] for k in keys]
