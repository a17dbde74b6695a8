"""Paper metadata from the arXiv stamp, page 1's font runs and the PDF info dictionary.

The info dictionary of arXiv PDFs is often empty or generic (PDFium prints, "LaTeX with
hyperref"), so the first page is the primary source: the title is the largest text near the
top, the authors are the (bold) lines right below it. The stamp in the margin gives the id,
version, primary category and date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from synth.extract.clean import STAMP, fix_characters
from synth.extract.document import PdfMetadata
from synth.extract.layout import title_case
from synth.extract.pdf import RawPdf, Span

_MARKERS = "∗*†‡§¶⋆"
_TITLE_MIN_RATIO = 0.78  # small capitals are ~0.8 of the capital size
_TITLE_LINE_GAP = 1.6  # in title font sizes
_SPAN_LIMIT = 120
_STOP_WORDS = re.compile(r"^\s*(?:Abstract|ABSTRACT|\d?\.?\s*Introduction|I\.\s+INTRODUCTION)\b")
_NAME_SPLIT = re.compile(r",|;|&|\band\b|\s{2,}")
_NOT_NAME = re.compile(
    r"@|\d|\b(?:University|Univ|Institute|Research|Lab|Laboratory|Department|Dept|School|College|"
    r"Centre|Center|Science|Sciences|Engineering|Inc|Ltd|Corp|Google|Facebook|Microsoft|IBM|"
    r"Amazon|Brain|AI|Technology|Foundation|Academy|Faculty|Group|USA|UK|Canada|China)\b"
)
_PARTICLES = frozenset("de del della van der von dos da di la le du ten ter".split())
_PDF_DATE = re.compile(r"D:(?P<year>(?:19|20)\d{2})")
_FAKE_TITLE = re.compile(
    r"(?i)^(?:untitled|microsoft word|title|document\d*)\b|\.(?:dvi|pdf|tex|docx?)$"
)

_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_TITLE_MAX_WORDS = 30
_NOT_TEXT = frozenset(("Cc", "Co", "Cn", "Cs"))  # control, private-use, unassigned, surrogate


def _clean(text: str) -> str:
    return " ".join(fix_characters(text).split()).strip(_MARKERS + " ")


def title_from_spans(spans: Sequence[Span]) -> tuple[str | None, int]:
    """The title (largest text on page 1, possibly over lines) and the index of the span after it.

    Small superscript markers inside the title line are skipped; the title ends at the first run
    that is much smaller or starts too far below the previous line.
    """
    head = [
        (i, s) for i, s in enumerate(spans[:_SPAN_LIMIT]) if not STAMP.search(s.text) and s.size > 0
    ]
    if not head:
        return None, 0
    largest = max(s.size for _, s in head)
    start = next(i for i, s in head if s.size >= 0.95 * largest)
    parts, y, end = [spans[start].text], spans[start].y, start + 1
    for index in range(start + 1, min(len(spans), start + _SPAN_LIMIT)):
        span = spans[index]
        same_line = abs(span.y - y) < 0.5 * largest
        if span.size < _TITLE_MIN_RATIO * largest:
            if same_line and len(span.text.strip()) <= 3:
                end = index + 1
                continue  # a footnote marker on the title line
            break
        if not same_line and abs(span.y - y) > _TITLE_LINE_GAP * largest:
            break
        if not same_line:
            parts.append(" ")
        parts.append(span.text)
        y, end = span.y, index + 1
    title = title_case(_clean("".join(parts)))
    return (title if title and readable(title) else None), end


def authors_from_spans(spans: Sequence[Span], start: int) -> list[str]:
    """Author names from the runs after the title: the bold ones, else the first line.

    Best effort: affiliation lines, e-mail addresses and superscript markers are skipped.
    """
    runs: list[Span] = []
    for span in spans[start : start + _SPAN_LIMIT]:
        if _STOP_WORDS.match(span.text):
            break
        runs.append(span)
    wide = [s for s in runs if len(s.text.strip()) > 2]
    if not wide:
        return []
    base = wide[0].size
    runs = [s for s in runs if s.size >= 0.85 * base]
    lines = _bold_lines(runs) if any(s.bold for s in runs) else _group_lines(runs)[:1]
    names: list[str] = []
    for line in lines:
        for name in _names(line):
            if name not in names:
                names.append(name)
    return names


def _bold_lines(spans: Sequence[Span]) -> list[str]:
    """Lines made of consecutive bold runs; a regular run (an affiliation) ends a line."""
    lines: list[list[str]] = [[]]
    y = None
    for span in spans:
        if not span.bold or (y is not None and abs(span.y - y) > 2):
            if lines[-1]:
                lines.append([])
            y = None
            if not span.bold:
                continue
        lines[-1].append(span.text)
        y = span.y
    return [_clean("".join(parts).replace("\n", ", ")) for parts in lines if parts]


def _group_lines(spans: Sequence[Span]) -> list[str]:
    lines: list[list[str]] = []
    y = None
    for span in spans:
        if y is None or abs(span.y - y) > 2:
            lines.append([])
        lines[-1].append(span.text)
        y = span.y
    return [_clean("".join(parts).replace("\n", ", ")) for parts in lines]


def _names(line: str) -> list[str]:
    line = line.translate(str.maketrans("", "", _MARKERS))
    names = []
    for chunk in _NAME_SPLIT.split(line):
        tokens = chunk.split()
        if not tokens or _NOT_NAME.search(chunk) or chunk.isupper():
            continue
        if not all(t[:1].isupper() or t in _PARTICLES for t in tokens):
            continue
        if (
            len(tokens) >= 4
            and len(tokens) % 2 == 0
            and all(t[:1].isupper() and not t.endswith(".") for t in tokens)
        ):
            # "Jacob Devlin Ming-Wei Chang": names set apart by wide spaces pypdf dropped
            names.extend(" ".join(tokens[i : i + 2]) for i in range(0, len(tokens), 2))
        elif 2 <= len(tokens) <= 5:
            names.append(" ".join(tokens))
    return names


def readable(text: str) -> bool:
    """Whether ``text`` is made of real characters: no control or private-use code points, no
    U+FFFD. A damaged font or info dictionary decodes to those; such a title is no title."""
    return "\ufffd" not in text and not any(unicodedata.category(c) in _NOT_TEXT for c in text)


def plausible_title(text: str) -> bool:
    """Whether a line without font information can be a paper's title.

    The fallbacks read plain lines, and when page 1 is damaged the first line left is body text:
    "(SDAEs) and FastSent, a sentence-level ... model. We compare all methods on", "dition as
    proposed by Mitchell and Lapata (2010).4". A title starts with a capital, a digit or a
    word with one (word2vec, mBERT), has no sentence break inside and is short; otherwise the
    file name is the better title.
    """
    words = text.split()
    if not words or len(words) > _TITLE_MAX_WORDS or not readable(text):
        return False
    lowercase_start = words[0].isalpha() and words[0].islower()
    return not lowercase_start and _SENTENCE_BREAK.search(text) is None


def _title_from_info(info: dict[str, str]) -> str | None:
    title = _clean(info.get("/Title", ""))
    if len(title) < 10 or len(title.split()) < 2 or _FAKE_TITLE.search(title):
        return None
    return title if plausible_title(title) else None


def title_from_lines(lines: Sequence[str]) -> str | None:
    """Fallback title: the first line, plus the next when the first plainly continues."""
    if not lines:
        return None
    title = lines[0]
    if len(lines) > 1 and (title.endswith((":", "-")) or title.rsplit(" ", 1)[-1].islower()):
        title = f"{title} {lines[1]}"
    title = title_case(_clean(title))
    return title if plausible_title(title) else None


def build_metadata(raw: RawPdf, front_matter: Sequence[str]) -> PdfMetadata:
    """Combine the stamp, page 1 and the info dictionary into :class:`PdfMetadata`."""
    stamp = STAMP.search(raw.texts[0]) if raw.texts else None
    title, end = title_from_spans(raw.spans)
    authors = authors_from_spans(raw.spans, end) if title else []
    title = title or _title_from_info(raw.info) or title_from_lines(front_matter)
    if not authors and raw.info.get("/Author"):
        authors = [
            a for a in (_clean(x) for x in re.split(r",|;|\band\b", raw.info["/Author"])) if a
        ]
    year = int(stamp["year"]) if stamp else None
    if year is None:
        for key in ("/CreationDate", "/ModDate"):
            m = _PDF_DATE.match(raw.info.get(key, ""))
            if m:
                year = int(m["year"])
                break
    return PdfMetadata(
        arxiv_id=stamp["id"] if stamp else None,
        version=int(stamp["version"]) if stamp else None,
        title=title,
        authors=authors,
        year=year,
        categories=[c.strip() for c in stamp["cats"].split(",")] if stamp else [],
    )
