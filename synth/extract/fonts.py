"""Headings from fonts: the fallback for papers whose headings carry no numbers.

The line-based detector (:mod:`synth.extract.layout`) finds numbered headings and a fixed list
of unnumbered ones ("Introduction", "Conclusion"). Papers with unnumbered headings of their own
("SummaRuNNer", "Extractive Training" in AAAI's style) would then read as one long
"Introduction", and a model section would pass for one. Such papers are recognised by their
outline (:func:`needs_fonts`) and only then read a second time with pypdf's text visitor, which
is slow (it parses every figure's content stream), to find the lines set in bold or in a larger
size than the body text.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from synth.extract.clean import fix_characters
from synth.extract.layout import _FUNCTION_WORDS, Heading
from synth.extract.pdf import _BOLD_MARKERS, _READ_ERRORS, _open, _read_bytes

log = logging.getLogger(__name__)

_CAPTION = re.compile(r"^(?:Table|Figure|Fig\.|Algorithm|Listing)\s*\d", re.IGNORECASE)
_MIN_BODY_HEADINGS = 3
_MAX_SHARE = 0.45  # one section holding more of the body than this is a missed outline


class StyledLine(NamedTuple):
    """A line of a page with the largest font size and the weight of its text."""

    text: str
    size: float
    bold: bool


def needs_fonts(headings: dict[int, Heading], lines: int) -> bool:
    """Whether the headings found from text alone look like a missed outline.

    Too few body headings, or one body section that covers most of the paper's lines.
    """
    starts = sorted(i for i, h in headings.items() if h.kind in ("body", "abstract"))
    body = [i for i in starts if headings[i].kind == "body"]
    if len(body) < _MIN_BODY_HEADINGS:
        return True
    ends = [*starts[1:], next((i for i in sorted(headings) if i > starts[-1]), lines)]
    return any((e - s) > _MAX_SHARE * lines for s, e in zip(starts, ends, strict=True))


def styled_lines(path: Path) -> list[list[StyledLine]]:
    """Every page's lines with font size and weight (pypdf's visitor; slow, see module doc)."""
    data = _read_bytes(path)
    pages: list[list[StyledLine]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path, data)
        for page in reader.pages:
            try:
                pages.append(_page_lines(page))
            except (*_READ_ERRORS, RecursionError, ZeroDivisionError) as exc:
                log.debug("%s: font pass skipped a page (%s)", path, exc)
                pages.append([])
    return pages


def _page_lines(page: Any) -> list[StyledLine]:
    runs: list[tuple[float, str, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        scale = (tm[2] * tm[2] + tm[3] * tm[3]) ** 0.5 * (cm[2] * cm[2] + cm[3] * cm[3]) ** 0.5
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font.get("/BaseFont", "")).lower() if hasattr(font, "get") else ""
        runs.append((round(y), text, round(size * scale, 1), any(m in name for m in _BOLD_MARKERS)))

    page.extract_text(visitor_text=visit)
    lines: list[StyledLine] = []
    for text, size, bold in _group(runs):
        lines.extend(StyledLine(part.strip(), size, bold) for part in text.split("\n"))
    return [line for line in lines if line.text]


def _group(runs: Sequence[tuple[float, str, float, bool]]) -> list[tuple[str, float, bool]]:
    """Consecutive runs on one baseline form a line; bold only if all its letters are."""
    out: list[tuple[str, float, bool]] = []
    current: list[tuple[float, str, float, bool]] = []
    for run in runs:
        if current and (abs(run[0] - current[-1][0]) > 1 or "\n" in current[-1][1]):
            out.append(_merge(current))
            current = []
        current.append(run)
    if current:
        out.append(_merge(current))
    return out


def _merge(runs: Sequence[tuple[float, str, float, bool]]) -> tuple[str, float, bool]:
    text = "".join(r[1] for r in runs)
    lettered = [r for r in runs if any(ch.isalpha() for ch in r[1])]
    return text, max(r[2] for r in runs), bool(lettered) and all(r[3] for r in lettered)


def font_heading_texts(pages: Sequence[Sequence[StyledLine]]) -> set[str]:
    """Texts of lines that look like headings: bold or larger than the body, short, titled.

    >>> body = [StyledLine("We train the model on all of the data.", 10.0, False)] * 20
    >>> sorted(font_heading_texts([[*body, StyledLine("Extractive Training", 10.0, True)]]))
    ['Extractive Training']
    """
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            sizes[line.size] += len(line.text)
    if not sizes:
        return set()
    body = sizes.most_common(1)[0][0]
    found = set()
    for page in pages:
        for line in page:
            if (line.bold or line.size >= body + 1.0) and _heading_like(line.text):
                found.add(" ".join(fix_characters(line.text).split()))
    return found


def _heading_like(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 10 or text.endswith((".", ",", ";", ":")) or _CAPTION.match(text):
        return False
    if text.endswith("-") or words[-1].lower() in _FUNCTION_WORDS:
        return False  # a bold lead-in of a paragraph that runs on ("... Recommendation with")
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 3 and letters * 2 > len(text) and (text[:1].isupper() or text[:1].isdigit())


def add_font_headings(
    headings: dict[int, Heading], lines: Sequence[str], texts: set[str], after: int
) -> dict[int, Heading]:
    """``headings`` plus every line after ``after`` (the abstract) whose text is a font heading.

    Two heading lines in a row are one heading broken over two lines ("Link Prediction:
    Embedding Multi-relation" / "Knowledge Graphs").
    """
    out = dict(headings)

    def is_new(index: int) -> bool:
        line = " ".join(lines[index].split())
        return index not in headings and line in texts and not line[:1].isdigit()

    index = after + 1
    while index < len(lines):
        if is_new(index):
            two = index + 1 < len(lines) and is_new(index + 1)
            name = " ".join(lines[index : index + 1 + two])
            out[index] = Heading(None, " ".join(name.split()), "body", 1 + two)
            index += 1 + two
        else:
            index += 1
    return dict(sorted(out.items()))
