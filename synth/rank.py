"""Relevance ranking with sentence embeddings, and turning a question into an arXiv query."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from synth.embed import embed

_QUESTION_WORDS = frozenset(
    """what which who whom whose when where why how does do did is are was were can could
    should would will may might impact effect effects affect role between among on of in the
    a an and or to for with by from as at into than versus vs about across under over its
    their there this that these those be been being measured compared compare improve
    improves performance using use study studies paper papers approach approaches
    other e g""".split()
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def keywords(question: str, limit: int = 6) -> list[str]:
    """Content words of a question in order, without duplicates or question words.

    >>> keywords("What is the impact of task similarity on zero-shot cross-lingual transfer?")
    ['task', 'similarity', 'zero-shot', 'cross-lingual', 'transfer']
    """
    out: list[str] = []
    for tok in _TOKEN.findall(question):
        low = tok.lower()
        if low in _QUESTION_WORDS or len(low) < 3 or low in out:
            continue
        out.append(low)
    return out[:limit]


def arxiv_query(question: str) -> str:
    """An arXiv API query for a question: its keywords, all required, searched everywhere.

    >>> arxiv_query("How does cross-lingual pretraining help transfer?")
    'all:"cross-lingual" AND all:pretraining AND all:help AND all:transfer'
    """
    words = keywords(question, limit=5)
    if not words:
        return question.strip()
    return " AND ".join(f'all:"{w}"' if "-" in w else f"all:{w}" for w in words)


def rank_texts(question: str, texts: Sequence[str]) -> list[tuple[int, float]]:
    """Indices of ``texts`` by cosine similarity to the question, best first."""
    if not texts:
        return []
    vectors = embed([question, *texts])
    scores = vectors[1:] @ vectors[0]
    order = np.argsort(-scores)
    return [(int(i), float(scores[i])) for i in order]
