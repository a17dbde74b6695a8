"""Joining extracted lines into running text, undoing line-end hyphenation.

TeX breaks words at syllables (``repre-`` / ``sentation``) and compounds at their own hyphen
(``state-of-the-`` / ``art``); both look the same in extracted text. The decision uses the
document itself first (which of "representation" and "repre-sentation" it uses elsewhere), then
a few rules about prefixes, acronyms and common second words of compounds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’\-][A-Za-z0-9]+)*")
_LINE_BREAK_PAIR = re.compile(r"[A-Za-z]+-\n[A-Za-z]+")
_LEFT_PUNCT = "([{\"“‘'"
_RIGHT_PUNCT = ".,;:!?)]}\"”’'"
# Prefixes that keep their hyphen in this literature when the rest is a word of its own.
# Prefixes kept even before a word the paper does not otherwise use ("well-known").
_ALWAYS_PREFIXES = frozenset("self cross well semi quasi pseudo non".split())
# Second words of compounds common in this literature ("general-purpose", "task-specific").
COMPOUND_HEADS = frozenset(
    """based level purpose known trained tuned tuning specific aware free like scale driven
    oriented grained agnostic dependent independent invariant sensitive style type term order
    domain task layer word class label shot size wise art end step hoc""".split()
)
KEEP_PREFIXES = frozenset(
    "self cross non semi quasi pseudo multi pre post co well state left right fine end task "
    "sub inter intra over under out top low high long short many one two three four".split()
)
# Right halves that make closed compounds ("some-times" is "sometimes"), and suffixes that are
# never the second word of a compound ("state-ment").
_CLOSED_SUFFIXES = frozenset(
    """ever times thing things one where self selves out ward wards wise ment ments able ably ible
    ing ings ion ions tion tions sion sions ness ity ities ive ives ence ences ance ances ous ful
    less ize izes ized ise ised ation ations ally ical ics ism ist ists ure ures istic ization
    izations ality ative atively ational ically""".split()
)


def build_vocabulary(lines: Iterable[str]) -> Counter[str]:
    """Lower-cased word counts of a document, leaving out halves of line-broken words.

    The document's own vocabulary decides whether a line-end hyphen is a break (``repre-`` /
    ``sentation``: "representation" occurs elsewhere) or a compound (``fine-`` / ``tuning``:
    "fine-tuning" occurs elsewhere); counting the broken halves would pollute that evidence.
    """
    text = _LINE_BREAK_PAIR.sub(" ", "\n".join(lines))
    return Counter(word.lower() for word in _WORD.findall(text))


def hyphen_prefixes(vocabulary: Mapping[str, int]) -> frozenset[str]:
    """First parts (3+ letters) of a document's hyphenated words: "fine" from "fine-tuned"."""
    return frozenset(
        word.split("-", 1)[0]
        for word in vocabulary
        if "-" in word and len(word.split("-", 1)[0]) > 2
    )


def keep_hyphen(
    left: str,
    right: str,
    vocabulary: Mapping[str, int],
    prefixes: frozenset[str] = frozenset(),
) -> bool:
    """Decide whether ``left-`` at a line end and ``right`` on the next line form a compound.

    The document's own usage wins: whichever of "leftright" and "left-right" it uses elsewhere.
    Without evidence, hyphens are kept after compounds (``state-of-the-``), acronyms and digits
    (``EM-based``), before capitals (``BERT-Large``), and after known prefixes or two full words
    (``cross-validation``, ``open-source``); otherwise the break is a syllable break.

    >>> keep_hyphen("How", "ever", {"however": 3})
    False
    >>> keep_hyphen("fine", "tuning", {"fine-tuning": 2})
    True
    """
    lower_left, lower_right = left.lower(), right.lower()
    joined = vocabulary.get(lower_left + lower_right, 0)
    hyphenated = vocabulary.get(f"{lower_left}-{lower_right}", 0)
    if joined or hyphenated:
        return hyphenated > joined
    if "-" in left or "-" in right or not right[:1].islower():
        return True
    if any(ch.isdigit() or ch.isupper() for ch in left[1:]) or left[:1].isdigit():
        return True
    if lower_right in _CLOSED_SUFFIXES:
        return False
    if lower_left in _ALWAYS_PREFIXES and len(right) > 3:
        return True
    if lower_right in COMPOUND_HEADS and len(left) > 2 and vocabulary.get(lower_left, 0) > 0:
        return True
    if len(right) < 3 or not vocabulary.get(lower_right, 0):
        return False
    if lower_left in KEEP_PREFIXES or lower_left in prefixes:
        return True
    # two words of their own: "open-source", "heavily-engineered", "context-sensitive"
    return len(left) > 3 and vocabulary.get(lower_left, 0) > 0


def join_lines(
    lines: Sequence[str],
    vocabulary: Mapping[str, int],
    prefixes: frozenset[str] = frozenset(),
) -> tuple[str, list[int]]:
    """Join lines into running text, undoing line-end hyphenation.

    Returns:
        The text and the offset at which each input line starts in it, so callers can map
        offsets back to lines (and pages).

    >>> join_lines(["a represen-", "tation of state-of-the-", "art"], {"representation": 1})
    ('a representation of state-of-the-art', [0, 10, 33])
    """
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    previous = ""
    for line in lines:
        if not parts:
            starts.append(0)
        elif previous.endswith("-") and len(previous) > 1 and previous[-2].isdigit():
            starts.append(length)  # a range or compound with a number: "18-24%", "3-layer"
        elif (
            previous.endswith("-")
            and len(previous) > 1
            and previous[-2].isalpha()
            and line[:1].isalpha()
        ):
            left = previous.rsplit(" ", 1)[-1][:-1].lstrip(_LEFT_PUNCT)
            right = line.split(" ", 1)[0].rstrip(_RIGHT_PUNCT)
            if left and not keep_hyphen(left, right, vocabulary, prefixes):
                parts[-1] = parts[-1][:-1]
                length -= 1
            starts.append(length)
        else:
            parts.append(" ")
            length += 1
            starts.append(length)
        parts.append(line)
        length += len(line)
        previous = line
    return "".join(parts), starts
