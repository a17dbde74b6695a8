"""Moving what points at a paper's sentences when its text is read again.

Re-extraction (a newer ``synth.extract.EXTRACTOR_VERSION``) replaces a paper's sentence rows.
Claims and evidence of earlier runs, and the restatements a claim lists, point at sentences by
id; :func:`relink` points them at the same sentence read again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from synth.store.models import Claim, Evidence, Sentence


@dataclass
class Links:
    """What points at a paper's stored sentences, taken before its text is replaced."""

    texts: dict[int, str]  # old sentence id -> its text (only the ids something points at)
    claims: list[tuple[int, int]]  # (claim id, old sentence id)
    evidence: list[tuple[int, int]]  # (evidence id, old sentence id)
    restating: set[int]  # claims of the paper that list restatements

    def __bool__(self) -> bool:
        return bool(self.claims or self.evidence or self.restating)


def links_to_text(session: Session, paper_id: int) -> Links:
    ids = select(Sentence.id).where(Sentence.paper_id == paper_id)  # a subquery: no size limit
    claims = list(
        session.exec(select(Claim.id, Claim.sentence_id).where(Claim.sentence_id.in_(ids)))
    )
    evidence = list(
        session.exec(select(Evidence.id, Evidence.sentence_id).where(Evidence.sentence_id.in_(ids)))
    )
    # (filtered here: PostgreSQL's json type has no equality to test "!= []" with)
    of_paper = session.exec(select(Claim.id, Claim.restatements).where(Claim.paper_id == paper_id))
    restating = {claim_id for claim_id, listed in of_paper if listed}
    pointed = {old for _, old in claims} | {old for _, old in evidence}
    rows = session.exec(select(Sentence.id, Sentence.text).where(Sentence.paper_id == paper_id))
    texts = {i: t for i, t in rows if i in pointed or restating}
    return Links(texts, claims, evidence, restating)


# A sentence contained in another is taken for it only when it is long enough to be telling:
# "Table 1." is inside many sentences.
MIN_CONTAINED_CHARS = 20
MIN_CONTAINED_WORDS = 4


class SentenceFinder:
    """Finds, among a paper's new sentences, the one that is a given old sentence read again.

    The same text (case, spacing, punctuation and hyphenation aside: "We pre- train BERT" is
    "We pre-train BERT."), else the longest new sentence that contains it or is contained in
    it (an extractor that now splits "... (Table 2).12 Table 6 shows ..." in two), when the
    shorter of the two has at least :data:`MIN_CONTAINED_WORDS` words.

    >>> find = SentenceFinder({7: "We pre-train BERT.", 8: "BERT wins on GLUE (Table 2).12",
    ...                        9: "As shown in Table 1. the results are great."}).find
    >>> find("We pre- train  BERT"), find("BERT wins on GLUE (Table 2).12 Table 6 shows.")
    (7, 8)
    >>> find("Gone.") is None
    True
    >>> find("Table 1.") is None
    True
    >>> SentenceFinder({3: "•"}).find("") is None  # no words: nothing to be the same as
    True
    """

    def __init__(self, new: dict[int, str]):
        self._by_key: dict[str, int] = {}
        for i, t in new.items():
            self._by_key.setdefault(sentence_key(t), i)
        self._cache: dict[str, int | None] = {}

    def find(self, text: str) -> int | None:
        key = sentence_key(text)
        if not key:
            return None
        if key not in self._cache:
            same = self._by_key.get(key)
            self._cache[key] = same if same is not None else self._containing(key)
        return self._cache[key]

    def _containing(self, key: str) -> int | None:
        best = None
        for other, i in self._by_key.items():
            shorter = other if len(other) < len(key) else key
            if len(shorter) < MIN_CONTAINED_CHARS or len(shorter.split()) < MIN_CONTAINED_WORDS:
                continue
            if (other in key or key in other) and (best is None or len(other) > best[0]):
                best = (len(other), i)
        return best[1] if best else None


def sentence_key(text: str) -> str:
    """A sentence's words only: lower case, no punctuation (so no hyphenation either)."""
    # imported here: synth.verify.evidence imports synth.store.papers, which imports this module
    from synth.verify.evidence import normalise

    return normalise(text)


def relink(session: Session, paper_id: int, links: Links) -> None:
    """Point claims, evidence and restatements of earlier runs at the new sentences.

    Why: a claim's own sentence and its restatements are what re-verification must not take
    as its support; links left pointing at deleted (or, in SQLite, reused) ids would let a
    restatement count as evidence, or exclude an unrelated sentence. A restatement is found by
    its own stored text first, which also repairs ids an earlier synth left stale.
    """
    if not links:
        return
    new = session.exec(select(Sentence.id, Sentence.text).where(Sentence.paper_id == paper_id))
    finder = SentenceFinder(dict(iter(new)))
    for table, rows in ((Claim, links.claims), (Evidence, links.evidence)):
        found = [(row_id, finder.find(links.texts[old])) for row_id, old in rows]
        params = [{"id": row_id, "sentence_id": i} for row_id, i in found if i is not None]
        if params:  # one bulk UPDATE by primary key, not a statement per row
            session.execute(update(table), params)
    for claim in session.exec(select(Claim).where(Claim.paper_id == paper_id)):
        if claim.id in links.restating:
            claim.restatements = [_moved(r, finder, links.texts) for r in claim.restatements]
            session.add(claim)


def _moved(restatement: dict, finder: SentenceFinder, old_texts: dict[int, str]) -> dict:
    """A stored restatement pointing at its sentence read again, or without an id when that
    sentence is gone (its text, section and page stay)."""
    out = {k: v for k, v in restatement.items() if k != "sentence_id"}
    found = finder.find(restatement.get("text") or "")
    if found is None and restatement.get("sentence_id") in old_texts:
        found = finder.find(old_texts[restatement["sentence_id"]])
    if found is not None:
        out["sentence_id"] = found
    return out
