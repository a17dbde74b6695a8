"""NLI scores through the database: each pair is run through a given model once, ever.

Verification and the restatement search are most of a report's time, and most of their pairs
come back: a second question on papers already read, an audit run again, ``synth reverify`` with
the same model. Exact, not approximate: a pair's logits do not depend on the pairs scored with
it (:meth:`synth.verify.onnx.OnnxRunner.logits`), and the key holds everything else that
decides them (:attr:`synth.verify.model.Verifier.identity`: weights, backend, token limit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import numpy as np
from sqlmodel import Session

from synth.claims.sentence_model import PairLogits, reader_identity, reader_logits
from synth.store.arrays import through_cache
from synth.store.models import NliCache
from synth.verify.model import NliScores, Verifier


def cache_key(identity: str, premise: str, hypothesis: str) -> str:
    return hashlib.sha1(f"{identity}\0{premise}\0{hypothesis}".encode()).hexdigest()


def cached_pair_logits(
    session: Session,
    identity: str,
    pairs: Sequence[tuple[str, str]],
    compute: Callable[[list[tuple[str, str]]], np.ndarray],
) -> np.ndarray:
    """Raw logits of ``pairs`` from the model ``identity`` names, running ``compute`` on new
    pairs only. Any pair classifier whose logits do not depend on batch-mates may use it: the
    NLI verifier, and the claim reader (:mod:`synth.claims.sentence_model`)."""
    keys = [cache_key(identity, p, h) for p, h in pairs]
    return np.stack(through_cache(session, NliCache, "logits", keys, pairs, compute, np.float32))


def cached_logits(
    session: Session,
    verifier: Verifier,
    pairs: Sequence[tuple[str, str]],
    *,
    show_progress: bool = False,
) -> np.ndarray:
    """Raw logits of ``pairs`` (as :meth:`Verifier.raw_logits`), running only new pairs."""
    if not pairs:
        return np.zeros((0, len(verifier.labels)), dtype=np.float32)
    return cached_pair_logits(
        session,
        verifier.identity,
        pairs,
        lambda new: verifier.raw_logits(new, show_progress=show_progress),
    )


def cached_reader(session: Session) -> PairLogits:
    """The claim reader's pair logits through the database (each sentence read once, ever)."""
    return lambda pairs: cached_pair_logits(session, reader_identity(), pairs, reader_logits)


class CachedVerifier:
    """A :class:`Verifier` whose scores go through the database; otherwise the same object
    (name, labels, backend...)."""

    def __init__(self, session: Session, verifier: Verifier) -> None:
        self._session = session
        self._verifier = verifier

    def __getattr__(self, name: str):
        return getattr(self._verifier, name)

    def predict(
        self, pairs: Sequence[tuple[str, str]], *, show_progress: bool = False
    ) -> list[NliScores]:
        """As :meth:`Verifier.predict`, computing only pairs the database has not seen."""
        if not pairs:
            return []
        raw = cached_logits(self._session, self._verifier, pairs, show_progress=show_progress)
        return self._verifier.scores_of(raw)
