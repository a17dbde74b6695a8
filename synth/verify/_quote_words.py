"""The words the quotation check knows: negations, antonyms, self-references, fillers.

Kept apart from the alignment in :mod:`synth.verify.quote` so the lists can grow without the
logic moving. Checks run on lower-cased words; alignment runs on :func:`stem`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NEGATIONS = {
    "not", "no", "never", "none", "nor", "neither", "cannot", "without", "fail", "fails",
    "failed", "failing", "unable", "lack", "lacks", "lacking", "nothing", "nobody",
}  # fmt: skip
# Antonyms as regexes over a changed stretch of words: (one side, the other side).
ANTONYMS = [
    (r"\bbetter\b", r"\bworse\b"), (r"\bbest\b", r"\bworst\b"),
    (r"\bincreas", r"\bdecreas|\breduc"), (r"\bhigher\b", r"\blower\b"),
    (r"\bhighest\b", r"\blowest\b"), (r"\bmore\b", r"\bless\b|\bfewer\b"),
    (r"\bimprov", r"\bdegrad|\bworsen|\bhurt|\bharm"), (r"\boutperform", r"\bunderperform"),
    (r"\bsuperior\b", r"\binferior\b"), (r"\blarger?\b|\blargest\b", r"\bsmall(?:er|est)?\b"),
    (r"\bfast(?:er|est)?\b", r"\bslow(?:er|est)?\b"), (r"\bstrong(?:er|est)?\b", r"\bweak"),
    (r"\brel(?:y|ies|ied|ying)\b(?: on| upon)?", r"\bdispens\w*|\bdoes away|\bdo away"),
    (r"\bwith\b", r"\bwithout\b"), (r"\bbi ?directional", r"\buni ?directional"),
    (r"\bdeep(?:er)?\b", r"\bshallow"), (r"\bsucce", r"\bfail"), (r"\babove\b", r"\bbelow\b"),
    (r"\bmaxim", r"\bminim"), (r"\bpositive", r"\bnegative"), (r"\beasier\b|\beasy\b", r"\bhard"),
    (r"\bsimpl", r"\bcomplex|\bcomplicat"), (r"\bsame\b", r"\bdifferent\b"),
    (r"\binclud", r"\bexclud"), (r"\bbefore\b", r"\bafter\b"), (r"\bmany\b", r"\bfew\b"),
    (r"\balways\b", r"\bnever\b"), (r"\ball\b", r"\bnone\b|\bno\b"), (r"\bgain", r"\bloss"),
    (r"\bleft\b", r"\bright\b"), (r"\bearl(?:y|ier)\b", r"\blater?\b"),
    (r"\bsupervised\b", r"\bunsupervised\b"), (r"\bdense", r"\bsparse"),
    (r"\bencoder", r"\bdecoder"), (r"\bboost", r"\bdegrad|\bhurt"), (r"\bhelp", r"\bhurt"),
    (r"\bsignificant", r"\binsignificant|\bmarginal|\bnegligible"),
    (r"\bimportant\b|\bcrucial|\bessential|\bkey\b|\bvital", r"\bunimportant|\birrelevant"),
    (r"\bmost\b", r"\bleast\b"),
    (r"\bstate of the art\b", r"\bbaseline\b"), (r"\bmonolingual", r"\bparallel|\bbilingual"),
]  # fmt: skip
ANTONYMS_RE = [(re.compile(a), re.compile(b)) for a, b in ANTONYMS]
NEG_PREFIXES = ("un", "in", "im", "ir", "il", "non", "dis")
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
SCALE_WORDS = {
    "hundred": 1e2, "hundreds": 1e2, "thousand": 1e3, "thousands": 1e3, "million": 1e6,
    "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12, "trillions": 1e12,
}  # fmt: skip
# Words that may be written differently in a faithful quotation.
SELF = {
    "we", "our", "us", "it", "its", "this", "these", "they", "their", "here", "model", "models",
    "method", "approach", "system", "network", "architecture", "paper", "work", "proposed",
    "new", "authors", "the", "a", "an", "in", "framework", "technique", "study", "i", "my",
    "me", "author",
}  # fmt: skip
FILLER = {
    "the", "a", "an", "also", "then", "further", "furthermore", "moreover", "thus", "hence",
    "therefore", "however", "both", "that", "which", "respectively", "here", "indeed",
    "additionally", "finally", "first", "in", "this", "paper", "work", "addition", "all",
    "show", "shows", "showed", "shown", "find", "found", "report", "reports", "reported",
    "demonstrate", "demonstrates", "demonstrated", "authors", "we", "they", "study", "is",
    "are", "was", "were", "who",
}  # fmt: skip
REPORTING = {
    "show", "shows", "showed", "demonstrate", "demonstrates", "demonstrated", "find", "finds",
    "found", "report", "reports", "reported", "present", "presents", "presented", "propose",
    "proposes", "proposed", "introduce", "introduces", "introduced", "obtain", "obtains",
    "obtained", "achieve", "achieves", "achieved", "reach", "reaches", "reached", "get", "gets",
}  # fmt: skip


def stem(word: str) -> str:
    """A crude stem: enough that "obtains", "obtained" and "obtain" align as one word."""
    if len(word) <= 2 or word[0].isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if word.endswith("e") and len(word) >= 3 else word


def acronym(a: str, b: str) -> bool:
    """Whether one text is the other's acronym: its capitals are the other's initials."""
    for short, long in ((a, b), (b, a)):
        initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", long)).lower()
        capitals = "".join(c for c in short if c.isupper()).lower()
        if len(capitals) >= 2 and len(short.split()) == 1 and capitals == initials:
            return True
    return False


def antonym(a: str, b: str) -> bool:
    """Whether two changed stretches of words say opposite things."""
    for x, y in ANTONYMS_RE:
        if (x.search(a) and y.search(b) and not y.search(a)) or (
            y.search(a) and x.search(b) and not x.search(a)
        ):
            return True
    wa, wb = a.split(), b.split()
    for u in wa:
        for v in wb:
            long, short = (u, v) if len(u) > len(v) else (v, u)
            if any(long == p + short or long == p + "-" + short for p in NEG_PREFIXES):
                return len(short) >= 4
    return False


def number_word_change(a: Sequence[str], b: Sequence[str]) -> str | None:
    """ "figure" ("six" -> "seven") or "scale" ("million" -> "billion") for numbers in words."""
    for table, reason in ((NUMBER_WORDS, "figure"), (SCALE_WORDS, "scale")):
        na = [table[w] for w in a if w in table]
        nb = [table[w] for w in b if w in table]
        if na and nb and na != nb:
            return reason
    return None
