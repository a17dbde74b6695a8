"""Candidate evidence for a claim, chosen so that verification is never circular.

A claim taken from a paper must not be checked against the sentence it came from, nor against
a copy of that sentence (abstracts and conclusions repeat themselves word for word). Candidates
are every other sentence of the run's papers, pre-filtered by embedding similarity; only the
closest few go to the NLI cross-encoder, which is the expensive step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synth.claims import decontextualise, looks_garbled, model_name
from synth.embed import top_k
from synth.store.papers import SentenceRow

_NON_WORD = re.compile(r"[^a-z0-9]+")


_ANAPHOR = re.compile(r"^(It|Its|This|These|They|Their|Such|He|She|Both|The latter|The former)\b")


@dataclass(frozen=True)
class Passage:
    """A sentence that can serve as evidence.

    ``premise`` is what the NLI model reads (and what candidates are ranked by): the sentence
    with "our model" resolved to the paper's model name and, when it opens with a pronoun
    ("It obtains ..."), the sentence before it. Reports quote ``text``, the sentence as printed.
    """

    text: str
    paper_id: int | None
    paper_key: str  # arXiv id, for the report's reference numbers
    page: int | None
    sentence_id: int | None = None
    premise: str | None = None

    @property
    def nli_text(self) -> str:
        return self.premise or self.text


def paper_passages(paper, rows: Sequence[SentenceRow]) -> list[Passage]:
    """Every sentence of a paper (in reading order) as evidence, premises in context."""
    name = model_name(paper.title, paper.abstract)
    out = []
    for i, s in enumerate(rows):
        if s.section_kind == "title" or looks_garbled(s.text):
            continue
        premise = decontextualise(s.text, name)
        if i > 0 and _ANAPHOR.match(s.text) and rows[i - 1].section == s.section:
            premise = f"{rows[i - 1].text} {premise}"
        out.append(Passage(s.text, paper.id, paper.arxiv_id, s.page, s.id, premise=premise))
    return out


def normalise(text: str) -> str:
    """Lower case, punctuation and spacing removed: two copies of a sentence compare equal."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def is_copy(claim: str, passage: str) -> bool:
    """Whether ``passage`` is the claim itself or a near-verbatim copy of it.

    Near-verbatim: one contains the other, or 90% of the words of the shorter are shared.
    """
    a, b = normalise(claim), normalise(passage)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) / max(len(a), len(b)) >= 0.8 and (a in b or b in a)):
        return True
    wa, wb = a.split(), b.split()
    shared = len(set(wa) & set(wb))
    return shared / min(len(set(wa)), len(set(wb))) >= 0.9 and abs(len(wa) - len(wb)) <= 3


def select_candidates(
    claim_vector: np.ndarray,
    passages: Sequence[Passage],
    passage_vectors: np.ndarray,
    *,
    k: int,
    exclude_sentence_id: int | None = None,
    exclude_copies_of: str | None = None,
) -> list[tuple[Passage, float]]:
    """The ``k`` passages closest to the claim, leaving out its own sentence and its copies.

    Args:
        claim_vector: the claim's unit embedding; ``passage_vectors`` are the passages'.
        exclude_sentence_id: the stored sentence the claim was extracted from, if any.
        exclude_copies_of: the claim's original sentence; passages copying it are skipped.
            Audited claims from someone else's report pass None: for them, finding the
            sentence verbatim in a source is exactly the evidence wanted.
    """
    ranked = top_k(claim_vector, passage_vectors, min(len(passages), k * 4 + 8))
    out: list[tuple[Passage, float]] = []
    seen: set[str] = set()
    for i, sim in ranked:
        p = passages[i]
        if exclude_sentence_id is not None and p.sentence_id == exclude_sentence_id:
            continue
        if exclude_copies_of and is_copy(exclude_copies_of, p.text):
            continue
        key = normalise(p.text)
        if key in seen:  # the same sentence twice adds nothing
            continue
        seen.add(key)
        out.append((p, sim))
        if len(out) == k:
            break
    return out
