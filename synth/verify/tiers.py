"""What kind of evidence a sentence is for a claim: its tier.

Not every entailing sentence verifies a claim. A paper restating its own headline in the
conclusion says the same thing twice; it does not show it. A related-work sentence that
reports another paper's result ("BERT (Devlin et al.) obtains ...") repeats that paper; it
is not independent corroboration. The tiers, from the claim's point of view:

``quoted``
    the source sentence an audited claim was copied from (set by the quotation check);
``restatement``
    the claim's own paper saying the same thing elsewhere (abstract <-> conclusion): shown,
    never counted as support;
``citation``
    a sentence reporting cited work (another paper's result, by reference);
``body``
    the claim's own paper, from its body (method, experiments, results, tables): what
    verifies a paper's headline claim;
``same_paper``
    the claim's own paper, from its abstract, introduction or conclusion, not a restatement;
``cross_paper``
    another paper, in its own words: independent evidence;
``source``
    a sentence of a cited source, for a claim with no paper of its own (audits, eval-claims).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

QUOTED, RESTATEMENT, CITATION = "quoted", "restatement", "citation"
BODY, SAME_PAPER, CROSS_PAPER, SOURCE = "body", "same_paper", "cross_paper", "source"
TIERS = (QUOTED, RESTATEMENT, CITATION, BODY, SAME_PAPER, CROSS_PAPER, SOURCE)
SUPPORTING = frozenset({QUOTED, CITATION, BODY, SAME_PAPER, CROSS_PAPER, SOURCE})
_FRONT_MATTER = re.compile(r"abstract|introduction|conclusion|summary|title|^$", re.IGNORECASE)

_CITES = re.compile(
    r"et al\.|\[\d+(?:\s*[,–-]\s*\d+)*\]|\([A-Z][A-Za-z-]+(?: and [A-Z][A-Za-z-]+)?,? \d{4}[a-z]?\)"
    r"|\b[A-Z][A-Za-z-]+ \(\d{4}[a-z]?\)"
)
_OWN_VOICE = re.compile(r"\b(we|our|us|this paper|this work|in this)\b", re.IGNORECASE)


def cites_other_work(text: str) -> bool:
    """A sentence that reports cited work rather than its own finding.

    >>> cites_other_work("BERT (Devlin et al., 2019) obtains 80.5 on GLUE.")
    True
    >>> cites_other_work("We obtain 80.5 on GLUE, beating Devlin et al. (2019).")
    False
    """
    return bool(_CITES.search(text)) and not _OWN_VOICE.search(text)


def restates(claim: str, sentence: str, similarity: float) -> bool:
    """Whether ``sentence`` says what the claim says in nearly the same words.

    Token-set overlap catches reordered restatements ("dispensing with recurrence" in the
    abstract, "eschewing recurrence" in the conclusion are caught by the embedding similarity).
    """
    return similarity >= 0.9 or fuzz.token_set_ratio(claim.lower(), sentence.lower()) >= 85


def tier_of(
    claim: str,
    claim_paper: str | None,
    sentence: str,
    sentence_paper: str,
    section: str,
    similarity: float,
    *,
    listed: bool = False,
) -> str:
    """The tier of one evidence sentence for one claim (see the module docstring).

    ``listed``: claim extraction already grouped the sentence with the claim as a statement of
    the same finding; the report lists it among the claim's restatements, so it must not also
    count as the claim's support.
    """
    if claim_paper is None:
        return CITATION if cites_other_work(sentence) else SOURCE
    if sentence_paper != claim_paper:
        return CITATION if cites_other_work(sentence) else CROSS_PAPER
    if listed or restates(claim, sentence, similarity):
        return RESTATEMENT
    if cites_other_work(sentence):
        return CITATION
    return SAME_PAPER if _FRONT_MATTER.search(section.strip()) else BODY


_NAME = re.compile(r"\b(?:[A-Z][A-Za-z]*[A-Z0-9][\w'’-]*|[a-z]+[A-Z][\w-]*|\w+[-'’]\d+\w*)")
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
_STOP = frozenset(
    """that this these those with from have been were which their there than they them into
    also more most such only over both each other using used based show shows shown results
    model models method methods approach paper work task tasks data",""".replace(",", " ")
    .replace('"', " ")
    .split()
)


def names_in(text: str) -> set[str]:
    """Model, dataset and metric names: acronyms, CamelCase, names with digits ("WMT'16")."""
    return {m.group(0).lower().rstrip("'’-") for m in _NAME.finditer(text)}


def subject_overlap(claim: str, evidence: str) -> float:
    """How much of what the claim is about the evidence also talks about (0 to 1).

    A sentence about another method, dataset or metric cannot refute a claim, whatever its
    numbers: the claim's names must appear in it. Claims without names fall back to their
    content words.
    """
    lowered = evidence.lower()
    names = names_in(claim)
    if names:
        return sum(n in lowered for n in names) / len(names)
    words = {w for w in _WORD.findall(claim.lower()) if w not in _STOP}
    if not words:
        return 1.0
    found = set(_WORD.findall(lowered))
    return len(words & found) / len(words)
