"""Pure clean-up of the text pypdf extracts from LaTeX papers.

pypdf returns the glyphs as the PDF draws them, which leaves four kinds of damage that later
stages (sentence splitting, NLI) trip over:

* typographic ligatures (``ﬁ``) and accents drawn as separate spacing glyphs (``Universit¨at``);
* words broken across lines with a hyphen (``How-`` / ``ever``) mixed with real compounds that
  happen to break at their own hyphen (``state-of-the-`` / ``art``);
* page furniture: running headers, page numbers, venue footers, the arXiv stamp;
* footnotes that LaTeX places at the foot of a column, so that they land in the middle of the
  sentence that continues in the next column.

Everything here works on strings and lists of lines, so it is tested without PDFs. Regexes are
compiled once; per-line work is a few anchored matches guarded by cheap character tests, because
this stage must stay a small fraction of pypdf's own extraction time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from synth.extract.hyphens import build_vocabulary, hyphen_prefixes, join_lines

LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"}
# Spacing accent glyphs and the combining marks they stand for.
SPACING_ACCENTS = {
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u00b4": "\u0301",  # ´ acute
    "\u02ca": "\u0301",  # ˊ modifier acute
    "\u0060": "\u0300",  # ` grave (only between letters, see _ACCENT)
    "\u02cb": "\u0300",  # ˋ modifier grave
    "\u02c6": "\u0302",  # ˆ circumflex
    "\u02dc": "\u0303",  # ˜ tilde
    "\u02c7": "\u030c",  # ˇ caron
    "\u00b8": "\u0327",  # ¸ cedilla
    "\u02db": "\u0328",  # ˛ ogonek
    "\u02d8": "\u0306",  # ˘ breve
    "\u02d9": "\u0307",  # ˙ dot above
    "\u02da": "\u030a",  # ˚ ring
    "\u02dd": "\u030b",  # ˝ double acute
    "\u00af": "\u0304",  # ¯ macron
    "\u02c9": "\u0304",  # ˉ modifier macron
}
_CHAR_MAP = str.maketrans({**LIGATURES, "\u00ad": "", "\t": " ", "\u00a0": " ", "\r": ""})
_ACCENT_CLASS = "".join(ch for ch in SPACING_ACCENTS if ch != "`")
_ACCENT = re.compile(
    rf"(?P<prev>[^\W\d_])?(?P<acc>[{_ACCENT_CLASS}`])(?P<sp> ?)(?P<next>[^\W\d_])?"
)
_TRAILING_ACCENTS = frozenset("\u00b8\u02db")  # cedilla, ogonek: drawn after their letter
_ACCENT_FAST = re.compile(rf"[{_ACCENT_CLASS}`]")

# arXiv stamp in the margin of page 1: "arXiv:1810.04805v1  [cs.CL]  11 Oct 2018".
STAMP = re.compile(
    r"arXiv:(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})v(?P<version>\d+)"
    r"\s*\[(?P<cats>[^\]]+)\]\s*(?P<date>\d{1,2}\s+[A-Z][a-z]{2}\s+(?P<year>\d{4}))"
)
# Venue lines printed once per paper or on every page.
_VENUE = re.compile(
    r"^(?:Preprint\.? (?:Under review|Work in progress)\.?"
    r"|\d+(?:st|nd|rd|th) Conference on .*"
    r"|(?:Published|Under review) as a conference paper at .*"
    r"|Workshop track\b.*"
    r"|Copyright\b.*|©.*"
    r"|Proceedings of the .*\d{4}.*(?:pages|Association).*"
    r"|.*\bCorrespondence to:.*)$"
)
_ALL_RIGHTS = re.compile(r"\bAll rights reserved\.?$")
_DIGITS = re.compile(r"\d+")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]{3}(?![A-Za-z])")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_NUMERIC_TOKEN_STRIP = ".,%()[]±+-−–*†‡/:;×x"

# A footnote starts with its number glued to a capital word or a URL ("1Will be", "2https://"),
# or with a symbol marker ("∗ Equal contribution.").
_FOOTNOTE_NUMBERED = re.compile(r"^(?P<n>\d{1,2})(?P<sp> ?)(?=[A-Z][a-z’']|https?:|www\.)")
_FOOTNOTE_SYMBOL = re.compile(r"^[∗†‡§¶⋆*]+ ?(?=[A-Z])")
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_FOOTNOTE_MAX_LINES = 8


def fix_characters(text: str) -> str:
    """Expand ligatures, join split accents and normalise to NFC.

    Accents drawn as spacing glyphs are mapped to combining marks and attached to the letter they
    compose with: ``Universit¨at`` → ``Universität``, ``Franc¸ois`` → ``François``. A math accent
    with no precomposed form (``˜S``) is still attached, as a combining mark, so no spacing accent
    survives next to a letter.

    >>> fix_characters("ﬁne-tuning at Universit¨at, J´erˆome")
    'fine-tuning at Universität, Jérôme'
    """
    text = text.translate(_CHAR_MAP)
    if _ACCENT_FAST.search(text):
        text = _ACCENT.sub(_join_accent, text)
    return unicodedata.normalize("NFC", text)


def _composes(letter: str, mark: str) -> bool:
    return len(unicodedata.normalize("NFC", letter + mark)) == 1


def _join_accent(match: re.Match[str]) -> str:
    """Attach one spacing accent to the letter it belongs to (see :func:`fix_characters`).

    LaTeX draws most accents before their letter (``´e``, sometimes ``´ e``); cedilla and ogonek
    come after it (``c¸``). The accent goes to the letter it composes with, preferring that side.
    """
    prev, acc, sp, nxt = match.group("prev") or "", match["acc"], match["sp"], match["next"] or ""
    if acc == "`" and not (prev and nxt and not sp):
        return match[0]  # a real backtick or opening quote, not a grave accent
    mark = SPACING_ACCENTS[acc]
    if nxt == "ı":
        nxt = "i"  # LaTeX puts accents on a dotless i
    if acc in _TRAILING_ACCENTS and prev and _composes(prev, mark):
        # "C¸ agla": the space after a trailing accent is an artefact
        return prev + mark + ("" if nxt.islower() else sp) + nxt
    if nxt and _composes(nxt, mark):
        return prev + nxt + mark
    if prev and _composes(prev, mark):
        return prev + mark + sp + nxt
    if nxt and not sp:
        return prev + nxt + mark  # a math accent: "˜S" is S with a tilde
    if prev:
        return prev + mark + sp + nxt
    return match[0]


def count_artifacts(text: str) -> dict[str, int]:
    """Count ligatures, split accents and lines of 1–2 characters (for the benchmark and tests)."""
    return {
        "ligatures": sum(text.count(ch) for ch in LIGATURES),
        "split_diacritics": sum(
            1
            for m in _ACCENT.finditer(text)
            if (m["prev"] or m["next"]) and not (m["acc"] == "`" and not (m["prev"] and m["next"]))
        ),
        "short_lines": sum(1 for line in text.splitlines() if 0 < len(line.strip()) <= 2),
    }


def find_stamp(text: str) -> re.Match[str] | None:
    """The arXiv stamp of page 1, if any."""
    return STAMP.search(text)


def remove_page_furniture(pages: Sequence[list[str]], *, edge: int = 3) -> list[list[str]]:
    """Drop running headers/footers, page numbers and venue lines from each page's lines.

    A header or footer is a line among the first or last ``edge`` lines of a page that, with
    digits masked, recurs at the edge of at least 40% of the pages (and of three pages).
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_DIGITS.sub("#", line.lower()) for line in (*lines[:edge], *lines[-edge:])})
    threshold = max(3, int(0.4 * len(pages) + 0.5))
    repeated = {key for key, n in counts.items() if n >= threshold}
    cleaned = []
    for number, lines in enumerate(pages, start=1):
        out = []
        last = len(lines) - 1
        skip_next = False
        for i, line in enumerate(lines):
            if skip_next:
                skip_next = False
                if _ALL_RIGHTS.search(line):
                    continue
            at_edge = i < edge or i > last - edge
            if at_edge and (_DIGITS.sub("#", line.lower()) in repeated or _PAGE_NUMBER.match(line)):
                continue
            if (at_edge or number == 1) and _VENUE.match(line):
                skip_next = line.startswith(("Copyright", "©")) and not _ALL_RIGHTS.search(line)
                continue
            out.append(line)
        cleaned.append(out)
    return cleaned


def is_debris(line: str) -> bool:
    """True for lines that are figure or table residue rather than prose.

    Conservative on purpose, since a dropped line of prose breaks a sentence: lines of one or
    two characters (axis ticks, stray symbols), table rows where most of at least three tokens
    are numbers, figure labels that repeat a token (``Trm Trm Trm Trm``) and rows of tokens of
    at most three characters with no lower-case word (``T1 T2 TN``, ``en fr es de``).

    >>> [is_debris(x) for x in ["3", "SQuAD 80.8 84.7 85.0", "et al., 2018).", "T1 T2 TN..."]]
    [True, True, False, True]
    """
    if len(line) <= 2:
        return True
    tokens = line.split()
    count = len(tokens)
    if count < 3:
        return False
    numeric = sum(1 for t in tokens if t.strip(_NUMERIC_TOKEN_STRIP).replace(".", "").isdigit())
    if numeric >= 3 and numeric * 2 >= count:
        return True
    if count >= 4 and len(set(tokens)) * 2 <= count:
        return True
    return all(len(t.strip(".,;:()")) <= 3 for t in tokens) and not _LOWER_WORD.search(line)


class Footnote(NamedTuple):
    """Lines ``start:end`` of a page hold footnote ``marker``; ``lines`` without the marker."""

    start: int
    end: int
    marker: str
    lines: tuple[str, ...]


def find_footnotes(
    lines: Sequence[str], next_number: int = 1, *, protected: frozenset[int] = frozenset()
) -> tuple[list[Footnote], int]:
    """Find the footnotes among one page's lines.

    A footnote starts at a line that begins with the next expected footnote number glued to a
    capitalised word or URL (``1Will be``, ``2https://``), or with a symbol marker (``∗ Equal``);
    it runs until a line that ends a sentence, the end of a URL, the next footnote or the end of
    the page. Runs longer than eight lines without an ending are not footnotes. ``protected``
    holds indices of lines (headings) that never belong to a footnote.

    Returns:
        The footnotes and the next expected footnote number.

    >>> find_footnotes(["(Socher", "∗ Equal contribution.", "et al., 2013)"])[0]
    [Footnote(start=1, end=2, marker='∗', lines=('Equal contribution.',))]
    """
    notes: list[Footnote] = []
    i, n = 0, len(lines)
    while i < n:
        marker, rest = (None, "") if i in protected else _footnote_start(lines[i], next_number)
        following = int(marker) + 1 if marker and marker.isdigit() else next_number
        end = None if marker is None else _footnote_end(lines, i, rest, following, protected)
        if marker is None or end is None:
            i += 1
            continue
        notes.append(Footnote(i, end, marker, (rest.strip(), *lines[i + 1 : end])))
        if marker.isdigit():
            next_number = int(marker) + 1
        i = end
    return notes, next_number


def _footnote_start(line: str, next_number: int) -> tuple[str | None, str]:
    first = line[:1]
    if first.isdigit():
        m = _FOOTNOTE_NUMBERED.match(line)
        if m is None:
            return None, ""
        number = int(m["n"])
        # a space after the number is also how headings look: demand the exact next number
        # and a long line
        if m["sp"] and (number != next_number or len(line) < 40):
            return None, ""
        if not next_number <= number <= next_number + 2:
            return None, ""
        return m["n"], line[m.end() :]
    if first in "∗†‡§¶⋆*":
        m = _FOOTNOTE_SYMBOL.match(line)
        if m:
            return m[0].strip(), line[m.end() :]
    return None, ""


def _footnote_end(
    lines: Sequence[str], start: int, first: str, next_number: int, protected: frozenset[int]
) -> int | None:
    if _URL_ONLY.match(first):
        end = start + 1
        while end < len(lines) and first.endswith(("-", "/")) and " " not in lines[end]:
            first = lines[end]
            end += 1
        return end
    text = first
    for end in range(start + 1, min(len(lines), start + _FOOTNOTE_MAX_LINES) + 1):
        if _SENTENCE_END.search(text):
            return end
        if end == len(lines):
            return end  # the foot of the page ends it
        line = lines[end]
        if end in protected or _footnote_start(line, next_number)[0] is not None:
            return end
        text = line
    return None


def strip_footnote_mark(lines: list[str], number: str, lo: int = 0, hi: int | None = None) -> None:
    """Remove the superscript ``number`` glued to a word (``task7.``) in ``lines[lo:hi]``, in place.

    pypdf glues footnote markers to the preceding word; once the footnote itself is known, the
    last such marker above it is removed so the sentence reads cleanly.

    >>> lines = ["we tune each task7. We use", "7On small datasets"]
    >>> strip_footnote_mark(lines, "7", 0, 1); lines[0]
    'we tune each task. We use'
    """
    pattern = re.compile(
        rf"(?:(?<=[a-z]{{2}})|(?<=[a-z]{{2}}[.,;:])|(?<=[a-z]\))|(?<=[a-z]\)[.,;:]))"
        rf"{number}(?=[\s.,;:)]|$)"
    )
    for index in range((len(lines) if hi is None else hi) - 1, lo - 1, -1):
        line = lines[index]
        if number not in line:
            continue
        matches = list(pattern.finditer(line))
        if matches:
            m = matches[-1]
            end = m.end() + (line[m.start() - 1 : m.start()] == "." == line[m.end() : m.end() + 1])
            lines[index] = line[: m.start()] + line[end:]
            return


def clean_text(text: str, vocabulary: Mapping[str, int] | None = None) -> str:
    """Clean a free-standing piece of extracted text into one paragraph.

    Characters are fixed, blank lines dropped, and lines joined with hyphenation undone using
    ``vocabulary`` (by default the text's own words).

    >>> clean_text("We use pre-\\ntrained and ﬁne-tuned mod-\\nels; pre-trained again.")
    'We use pre-trained and fine-tuned models; pre-trained again.'
    """
    lines = [line.strip() for line in fix_characters(text).splitlines()]
    lines = [line for line in lines if line]
    if vocabulary is None:
        vocabulary = build_vocabulary(lines)
    return join_lines(lines, vocabulary, hyphen_prefixes(vocabulary))[0]
