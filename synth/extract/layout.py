"""Document structure from lines of text: headings, the bibliography, the front matter.

pypdf gives no font information for free (asking for it costs more than the extraction itself),
so headings are recognised from the lines alone: a number in the paper's own style followed by a
short heading-like name (``3.2 Results``, ``4.2.1. WORDPIECE``, ``IV. DISCUSSION``, ``A Appendix``)
or a well-known unnumbered name (``Abstract``, ``References``). Numbered candidates are only
accepted when they continue the numbering seen so far (``3.2`` after ``3.1`` or ``3``), which
rejects list items, footnotes and table rows that look like headings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from synth.extract.hyphens import join_lines

_NUMBERED = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3})(?P<dot>\.?)\s+(?P<name>[A-Za-z(].*)$"
)
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<name>[A-Z].*)$")
_INLINE_ABSTRACT = re.compile(r"^(?:Abstract|ABSTRACT)\s*[.:—–-]\s*(?P<rest>[A-Z].*)$")
# A run-in acknowledgements heading: "Acknowledgement We would like to acknowledge ..."
_INLINE_THANKS = re.compile(
    r"^(?P<name>Acknowledge?ments?|ACKNOWLEDGE?MENTS?)\s*[.:—–-]?\s+(?P<rest>[A-Z].*)$"
)
_ROMAN_VALUES = {r: i for i, r in enumerate("I II III IV V VI VII VIII IX X XI XII".split(), 1)}
UNNUMBERED = {
    "abstract": "abstract",
    "references": "references",
    "bibliography": "references",
    "literature cited": "references",
    "acknowledgments": "body",
    "acknowledgements": "body",
    "acknowledgment": "body",
    "acknowledgement": "body",
    "introduction": "body",
    "conclusion": "body",
    "conclusions": "body",
    "discussion": "body",
    "related work": "body",
    "appendix": "body",
    "appendices": "body",
    "supplementary material": "body",
    "keywords": "body",
    "index terms": "body",
}
_APPENDIX_NAMES = {"appendix", "appendices", "supplementary material"}
_FUNCTION_WORDS = frozenset(
    """a an the of for with and or to in on by from via at as into between using toward
    towards""".split()
)
_NOT_FIRST = frozenset("We This These That It Here Note Then Thus Since".split())
_SENTENCE_BREAK = re.compile(r"[.!?] [A-Z]")
_MATH = frozenset("=∈≤≥<>∑∏")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to via vs with".split()
)

_REF_BRACKET = re.compile(r"^\[[^\]]{1,60}\]")
_REF_NUMBER = re.compile(r"^\[?(?P<n>\d{1,3})[\].]?\s+[A-Z]")
# An author-year entry starts with names: "Jacob Devlin, Ming-Wei Chang", "Bengio, Y.; and",
# "Katrin Erk. 2012." -- not with "In Proceedings of ..." or a title.
_REF_AUTHOR = re.compile(
    r"^(?!(?:In|Proceedings|Journal|Advances|Transactions|URL|Association|Conference|"
    r"International|Annual|IEEE|ACM|Springer|Technical)\b)[A-Z][^\s,.]*"
    r"(?:[^,.;]{0,40}?(?:,| and )|(?: [A-Z][^\s,.]*\.?){0,3}\. (?:(?:19|20)\d{2}|(?!In )[A-Z]))"
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}")
_INITIAL_END = re.compile(r"(?:^|[\s.])[A-Z]\.$")


@dataclass(frozen=True)
class Heading:
    """A heading found at some line: its number, normalised name, kind and extent."""

    number: str | None
    name: str
    kind: str  # "abstract" | "references" | "body"
    lines: int = 1  # input lines it spans (0 for a bibliography found without a heading)
    rest: str = ""  # text that followed the heading on its line ("Abstract. We ...")


def title_case(text: str) -> str:
    """Title-case a heading or title set in capitals; leave mixed-case text alone.

    >>> title_case("BI-DIRECTIONAL ATTENTION FLOW FOR MACHINE COMPREHENSION")
    'Bi-Directional Attention Flow for Machine Comprehension'
    """
    if not mostly_upper(text):
        return text
    words = []
    for index, word in enumerate(text.split()):
        lower = word.lower()
        if index and lower in _SMALL_WORDS:
            words.append(lower)
        elif any(ch.isdigit() for ch in word) or word.islower():
            words.append(word)  # "GPT-2", a variable "z"
        elif word.startswith("(") and word.endswith(")"):
            words.append(word)  # an acronym being defined: "(CSLS)"
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def mostly_upper(text: str) -> bool:
    """Whether at least 80% of the letters of ``text`` are capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _plausible_name(name: str) -> bool:
    """Whether text after a section number reads like a heading rather than a sentence."""
    words = name.split()
    if not 1 <= len(words) <= 12 or len(name) > 90:
        return False
    if name.endswith((".", ",", ";", "-")) or " et al" in name or words[0] in _NOT_FIRST:
        return False
    if not name[0].isupper() and not any(ch.isupper() for ch in words[0]):
        return False  # "k-Max Pooling" and "biLM" are headings, "and 12 more" is not
    if _SENTENCE_BREAK.search(name):
        return False
    if any(ch in _MATH for ch in name):
        return False
    letters = sum(ch.isalpha() for ch in name)
    if letters < 2 or letters * 2 < len(name) - name.count(" "):
        return False
    if name.isupper() or len(words) <= 8:
        return True
    long_words = [w for w in words if len(w) > 3]
    return sum(w[:1].isupper() for w in long_words) * 2 >= len(long_words)


def _follows(previous: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """Whether section number ``new`` can follow ``previous`` (one number may be missed)."""
    depth = len(new)
    if depth > 1 and new[:-1] != previous[: depth - 1]:
        return False
    before = previous[depth - 1] if len(previous) >= depth else 0
    return new[-1] in (before + 1, before + 2)


class _Numbering:
    """The numbering state of a paper while its lines are scanned in order."""

    def __init__(self) -> None:
        self.style: str | None = None  # "plain" ("1 Intro"), "dot" ("1. Intro") or "roman"
        self.current: tuple[int, ...] = ()
        self.appendix = False
        self.appendix_allowed = False

    def accept(self, line: str) -> tuple[str, str] | None:
        """Return ``(number, name)`` if ``line`` is the next numbered heading, and advance."""
        first = line[:1]
        if first in "IVX" and (self.style in (None, "roman")):
            m = _ROMAN.match(line)
            if (
                m
                and m["num"] in _ROMAN_VALUES
                and m["name"].isupper()
                and _plausible_name(m["name"])
            ):
                key = (_ROMAN_VALUES[m["num"]],)
                if (self.style is None and key == (1,)) or (
                    self.style == "roman" and _follows(self.current, key)
                ):
                    self.style, self.current = "roman", key
                    return m["num"], m["name"]
        m = _NUMBERED.match(line)
        if m is None or not _plausible_name(m["name"]):
            return None
        number, dot, name = m["num"], m["dot"], m["name"]
        parts = number.split(".")
        if parts[0].isdigit():
            if self.appendix or self.style == "roman":
                return None
            key = tuple(int(p) for p in parts)
            if self.style is None:
                if key != (1,):
                    return None
                self.style = "dot" if dot else "plain"
            elif (self.style == "dot") != bool(dot) or not _follows(self.current, key):
                return None
            self.current = key
            return number, name
        letter = ord(parts[0]) - ord("A") + 1
        if self.style == "roman":  # revtex subsections: "A. Ordered Phase"
            key = (*self.current[:1], letter)
            if len(parts) == 1 and dot and _follows(self.current, key):
                self.current = key
                return number, name
            return None
        if not (self.appendix or self.appendix_allowed) or name[:1].islower():
            return None
        key = (letter, *(int(p) for p in parts[1:]))
        if not self.appendix and key != (1,):
            return None
        if self.appendix and not _follows(self.current, key):
            return None
        if len(parts) == 1 and not name.isupper() and not _titled(name):
            return None
        self.appendix, self.current = True, key
        return number, name


def _titled(name: str) -> bool:
    long_words = [w for w in name.split() if len(w) > 3]
    return bool(long_words) and sum(w[:1].isupper() for w in long_words) * 2 >= len(long_words)


def find_headings(lines: Sequence[str]) -> dict[int, Heading]:
    """Headings by the index of the line where each starts.

    Numbered headings are looked for only after the abstract heading when there is one, since
    affiliations above it are numbered too ("1 David R. Cheriton School"). Names are title-cased
    only in papers whose numbered headings are mostly set in capitals (ICLR), so that "RNN" or
    "BERT" headings elsewhere keep their case.

    >>> sorted(find_headings(["Abstract", "Text.", "1 Introduction", "Body", "2 We"]).items())[1]
    (2, Heading(number='1', name='Introduction', kind='body', lines=1, rest=''))
    """
    numbering = _Numbering()
    found: dict[int, Heading] = {}
    abstract_at = next((i for i, line in enumerate(lines[:400]) if _is_abstract(line)), 0)
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = _unnumbered(line)
        if (
            heading is None
            and index >= abstract_at
            and len(line) <= 95
            and (line[:1].isdigit() or line[:1].isupper())
        ):
            accepted = numbering.accept(line)
            if accepted:
                number, name = accepted
                extra = _continuation(lines, index, name)
                name = " ".join([name, *lines[index + 1 : index + 1 + extra]])
                heading = Heading(number, name, "body", 1 + extra)
        if heading is not None:
            if heading.kind == "references" or heading.name.lower() in _APPENDIX_NAMES:
                numbering.appendix_allowed = True
            found[index] = heading
            index += heading.lines
        else:
            index += 1
    numbered = [h for h in found.values() if h.number]
    if numbered and sum(mostly_upper(h.name) for h in numbered) * 5 >= 3 * len(numbered):
        found = {i: replace(h, name=title_case(h.name)) for i, h in found.items()}
    if not any(h.kind == "references" for h in found.values()):
        start = _unheaded_bibliography(lines, max(found, default=0))
        if start is not None:
            found[start] = Heading(None, "References", "references", 0)
    return found


def _is_abstract(line: str) -> bool:
    return line.rstrip(":. ") in ("Abstract", "ABSTRACT") or bool(_INLINE_ABSTRACT.match(line))


def _unnumbered(line: str) -> Heading | None:
    thanks = _INLINE_THANKS.match(line)
    if thanks:
        return Heading(None, title_case(thanks["name"]), "body", 1, thanks["rest"])
    if len(line) > 40:
        m = _INLINE_ABSTRACT.match(line)
        return Heading(None, "Abstract", "abstract", 1, m["rest"]) if m else None
    key = line.rstrip(":. ").lower()
    kind = UNNUMBERED.get(key)
    if kind is None:
        m = _INLINE_ABSTRACT.match(line)
        return Heading(None, "Abstract", "abstract", 1, m["rest"]) if m else None
    return Heading(None, title_case(line.rstrip(":. ")), kind)


def _continuation(lines: Sequence[str], index: int, name: str) -> int:
    """How many following lines continue a heading broken over lines."""
    extra = 0
    while extra < 2 and index + extra + 1 < len(lines):
        last_word = name.rsplit(" ", 1)[-1].lower()
        following = lines[index + extra + 1]
        if len(following) > 60 or following.endswith("."):
            break
        wrapped = len(name) >= 25 or following[:1].islower()  # a short name does not wrap
        if last_word not in _FUNCTION_WORDS and not (wrapped and _heading_tail(following)):
            break
        name = f"{name} {following}"
        extra += 1
    return extra


def _heading_tail(line: str) -> bool:
    """A line of one to three words only (``Models``, ``word embeddings``): in a column of prose
    such a line right after a heading is the heading's second line ("3 ELMo: Embeddings from
    Language" / "Models"), since a paragraph cannot end before it has begun."""
    words = line.split()
    if line.rstrip(":. ").lower() in UNNUMBERED:
        return False  # "Acknowledgments" after "6 Conclusion" is the next heading
    return 1 <= len(words) <= 3 and all(w.isalpha() or "-" in w for w in words)


def _unheaded_bibliography(lines: Sequence[str], after: int) -> int | None:
    """Start of a numbered bibliography printed without a heading (revtex), if any.

    It must come after the last heading, in the second half of the paper, and be followed by
    entries 2 and 3 within a few lines.
    """
    for index in range(max(after + 1, len(lines) // 2), len(lines)):
        m = _REF_NUMBER.match(lines[index])
        if m and m["n"] == "1":
            window = lines[index + 1 : index + 12]
            numbers = {n["n"] for line in window if (n := _REF_NUMBER.match(line))}
            if {"2", "3"} <= numbers:
                return index
    return None


def split_references(
    lines: Sequence[str], vocabulary: Mapping[str, int], prefixes: frozenset[str] = frozenset()
) -> list[str]:
    """Split bibliography lines into entries, one string each (best effort).

    Bracketed (``[12]``, ``[Vincent et al.2010]``) and numbered styles split at their labels;
    author–year styles split where a line ends an entry (a full stop not after an initial) and
    the next starts with a name. Fragments without a year are merged into the entry before.
    """
    if not lines:
        return []
    bracketed = sum(1 for line in lines if _REF_BRACKET.match(line)) >= 3
    numbered = not bracketed and sum(1 for line in lines if _REF_NUMBER.match(line)) >= 3
    chunks: list[list[str]] = []
    expected = 1
    for line in lines:
        if bracketed:
            starts = bool(_REF_BRACKET.match(line))
        elif numbered:
            m = _REF_NUMBER.match(line)
            starts = bool(m and int(m["n"]) in (expected, expected + 1))
            if starts and m:
                expected = int(m["n"]) + 1
        else:
            previous = chunks[-1][-1] if chunks else ""
            starts = (
                not chunks or (previous.endswith(".") and not _INITIAL_END.search(previous))
            ) and bool(_REF_AUTHOR.match(line))
        if starts or not chunks:
            chunks.append([line])
        else:
            chunks[-1].append(line)
    entries: list[str] = []
    for chunk in chunks:
        text = join_lines(chunk, vocabulary, prefixes)[0]
        if entries and not bracketed and not numbered and not _YEAR.search(text):
            entries[-1] = join_lines([entries[-1], text], vocabulary, prefixes)[0]
        else:
            entries.append(text)
    return entries
