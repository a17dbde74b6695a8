"""Candidate evidence for a claim, chosen so that verification is never circular.

A claim taken from a paper must not be checked against the sentence it came from, nor against
a copy of that sentence (abstracts and conclusions repeat themselves word for word), and that
holds for everything the model reads: the context added to a pronoun sentence and the
neighbours of an evidence window are checked too, and a part that is the claim is dropped.
Candidates are every other sentence of the run's papers, pre-filtered by embedding similarity;
only the closest few go to the NLI cross-encoder, which is the expensive step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from synth.claims import decontextualise, introduction, looks_garbled, model_name
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
    premise: str | None = None  # the sentence decontextualised ("our model" -> its name)
    section: str = ""
    section_kind: str = ""
    before: Neighbour | None = None  # the previous sentence of the same section
    after: Neighbour | None = None  # the next sentence of the same section

    @property
    def nli_text(self) -> str:
        """The sentence as the model reads it alone: with the sentence before for a pronoun."""
        base = self.premise or self.text
        if self.before is not None and _ANAPHOR.match(self.text):
            return f"{self.before.text} {base}"
        return base

    def window(self) -> str:
        """The sentence between its neighbours, for claims that need more than one sentence."""
        parts = [n.text for n in (self.before,) if n] + [self.premise or self.text]
        return " ".join(parts + [n.text for n in (self.after,) if n])

    def without(self, sentence_id: int | None, copy_of: str | None) -> Passage:
        """This passage with any neighbour that is the claim's sentence or a copy dropped."""

        def keep(n: Neighbour | None) -> Neighbour | None:
            if n is None:
                return None
            if sentence_id is not None and n.sentence_id == sentence_id:
                return None
            return None if copy_of and is_copy(copy_of, n.text) else n

        before, after = keep(self.before), keep(self.after)
        if before is self.before and after is self.after:
            return self
        return replace(self, before=before, after=after)


@dataclass(frozen=True)
class Neighbour:
    text: str
    sentence_id: int | None = None


def paper_passages(paper, rows: Sequence[SentenceRow]) -> list[Passage]:
    """Every sentence of a paper (in reading order) as evidence, premises in context."""
    name = model_name(paper.title, paper.abstract, introduction(rows))
    out = []
    for i, s in enumerate(rows):
        if s.section_kind == "title" or looks_garbled(s.text):
            continue
        before = rows[i - 1] if i > 0 and rows[i - 1].section == s.section else None
        after = rows[i + 1] if i + 1 < len(rows) and rows[i + 1].section == s.section else None
        out.append(
            Passage(
                s.text,
                paper.id,
                paper.arxiv_id,
                s.page,
                s.id,
                premise=decontextualise(s.text, name),
                section=s.section,
                section_kind=s.section_kind,
                before=Neighbour(before.text, before.id) if before else None,
                after=Neighbour(after.text, after.id) if after else None,
            )
        )
    return out


def text_passages(sentences: Sequence[str], key: str, section: str = "") -> list[Passage]:
    """Passages of a plain list of sentences (an abstract), neighbours linked."""
    return [
        Passage(
            text,
            None,
            key,
            None,
            section=section,
            before=Neighbour(sentences[i - 1]) if i > 0 else None,
            after=Neighbour(sentences[i + 1]) if i + 1 < len(sentences) else None,
        )
        for i, text in enumerate(sentences)
    ]


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
        out.append((p.without(exclude_sentence_id, exclude_copies_of), sim))
        if len(out) == k:
            break
    return out
