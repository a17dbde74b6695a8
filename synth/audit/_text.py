"""Plain-text and Markdown reports: title, front matter, sections, prose counts, references.

Lines are stripped and split into sections. A heading is a Markdown ``#`` heading, a known
section name (optionally numbered, e.g. "5 Extracted Claims"), or a numbered capitalised
title; inside the reference list numbered entries are not headings. The title is the first
non-empty line unless that line is already a section heading; the author and date are the
lines between it and the first section. The layout is ``markdown`` when the title or a heading
starts with ``#`` or the claims table is a pipe table, else ``text``.

The claims table itself is read by ``synth.audit._table``. Stated counts and the research
question come from the prose before it; the Results section wins over other prose and the
abstract is left out. References are the list entries of the References section.
"""

from __future__ import annotations

import logging
import re

from synth.audit._table import _SPACE_ROW, _find_table, _read_claims, _unemphasise
from synth.audit.parse import (
    _ARXIV_IN_TEXT,
    ParsedReport,
    ReportReference,
    StatedCounts,
    _counts,
)
from synth.errors import ReportParseError

# Warnings go to the public module's logger, as documented there and configured by users.
logger = logging.getLogger("synth.audit.parse")

_EXPECTED = (
    "expected a '5 Extracted Claims' section with lines 'claim<TAB>✓|×<TAB>confidence', "
    "a Markdown table, or synth's JSON report"
)

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MD_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*$")
_HEADING_NAMES = (
    r"abstract|introduction|background|related work|methods?|methodology|results|discussion"
    r"|limitations|conclusions?|(?:extracted )?claims|references|bibliography|sources|appendix"
)
_KNOWN_HEADING = re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{_HEADING_NAMES})\s*:?$", re.I)
_NUMBERED_HEADING = re.compile(r"^\d+(?:\.\d+)*\.?\s+[A-Z][^\t]{0,78}[^\t.!?:;,]$")
_REFERENCE_HEADINGS = ("references", "bibliography", "sources", "works cited")

_URL_IN_ANGLES = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_MD_LINK = re.compile(r"\[(?P<title>[^\]]*)\]\((?P<url>[^)\s]+)\)")
_BARE_URL = re.compile(r"(?P<url>https?://[^\s<>]+[^\s<>.,;:)\]])")
_LIST_MARKER = re.compile(r"^(?:[-*+•]|\d+[.)]|\[\d+\])\s*")

_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_DATE = re.compile(
    rf"^(?:date\s*:\s*)?(?P<date>(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ][\d:.+\-Z]+)?)$",
    re.I,
)
_QUESTION = re.compile(r"research question\s*:\s*(?P<q>.+)", re.I)

_STATED_PATTERNS = {
    "papers_retrieved": (
        re.compile(r"\b(\d+)\s+papers?\s+(?:were\s+)?retrieved\b", re.I),
        re.compile(r"\byielded\s+(\d+)\s+papers?\b", re.I),
    ),
    "claims_extracted": (re.compile(r"\b(\d+)\s+claims?\s+(?:were\s+)?extracted\b", re.I),),
    "claims_verified": (
        re.compile(r"\b(\d+)\s+(?:claims?\s+)?(?:were\s+)?(?:independently\s+)?verified\b", re.I),
    ),
    "quality_score": (
        re.compile(r"\bquality\s+(?:review\s+)?score\s*(?:of|:|=|was|is)?\s*(\d+(?:\.\d+)?)", re.I),
    ),
}


def _parse_document(text: str, name: str) -> ParsedReport:
    lines = [line.strip() for line in _LINE_BREAK.split(text)]
    title_at = next((i for i, line in enumerate(lines) if line), 0)
    title: str | None = lines[title_at].lstrip("#").strip() or None
    markdown = lines[title_at].startswith("#")
    if not markdown and _KNOWN_HEADING.match(_unemphasise(lines[title_at])):
        title, title_at = None, title_at - 1  # no title line: the text opens with a section

    sections = _sections(lines, title_at + 1)
    markdown = markdown or any(_MD_HEADING.match(lines[start]) for start, _, _ in sections)
    first_section = sections[0][0] if sections else len(lines)
    front = [line for line in lines[title_at + 1 : first_section] if line]

    table = _find_table(lines, sections, name)
    if table is None:
        raise ReportParseError(f"{name} has no claims table: {_EXPECTED}.")
    header_at, kind, roles, claims_section = table
    end = next((s for s, _, _ in sections if s > header_at), len(lines))
    claims = _read_claims(lines, header_at, end, kind, roles, name)
    if not claims:
        logger.warning("%s: the claims table at line %d has no rows", name, header_at + 1)

    prose_end = header_at if claims_section is None else claims_section
    prose = [(s, heading, min(e, prose_end)) for s, heading, e in sections if s < prose_end]
    refs = next(((s, e) for s, h, e in sections if h in _REFERENCE_HEADINGS), None)
    abstract = _section_text(lines, prose, "abstract")
    return ParsedReport(
        path=name,
        layout="markdown" if markdown or kind == "pipe" else "text",
        title=title,
        question=_question(lines, prose, first_section, prose_end),
        date=next((m["date"] for m in map(_DATE.match, map(_unemphasise, front)) if m), None),
        claims=claims,
        references=_read_references(lines[refs[0] + 1 : refs[1]]) if refs else [],
        stated=_stated(lines, prose, prose_end, name),
        author=next((_unemphasise(x) for x in front if not _DATE.match(_unemphasise(x))), None),
        abstract=abstract,
    )


def _heading(line: str, *, in_references: bool = False) -> str | None:
    """The normalised title when ``line`` is a section heading, else None."""
    if not line or "\t" in line or "|" in line or _SPACE_ROW.match(line):
        return None
    if match := _MD_HEADING.match(line):
        return _normalise(match["title"])
    plain = _unemphasise(line)
    if _KNOWN_HEADING.match(plain):
        return _normalise(plain)
    # Numbered reference entries ("1. Smith. Title") are not headings.
    if not in_references and _NUMBERED_HEADING.match(plain):
        return _normalise(plain)
    return None


def _normalise(title: str) -> str:
    title = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", _unemphasise(title)).rstrip(":").strip()
    return " ".join(title.lower().split())


def _sections(lines: list[str], start: int) -> list[tuple[int, str, int]]:
    """(heading line, normalised heading, end) for each section from ``start`` on."""
    found: list[tuple[int, str]] = []
    in_references = False
    for i in range(start, len(lines)):
        heading = _heading(lines[i], in_references=in_references)
        if heading is not None:
            found.append((i, heading))
            in_references = heading in _REFERENCE_HEADINGS
    ends = [i for i, _ in found[1:]] + [len(lines)]
    return [(i, heading, end) for (i, heading), end in zip(found, ends, strict=False)]


def _read_references(lines: list[str]) -> list[ReportReference]:
    references: list[ReportReference] = []
    for line in lines:
        if link := _MD_LINK.search(line):
            url, title = link["url"], link["title"].strip() or None
        elif match := _URL_IN_ANGLES.search(line) or _BARE_URL.search(line):
            url = match["url"]
            rest = line[: match.start()] + line[match.end() :]
            title = _LIST_MARKER.sub("", rest.strip()).strip(" .,;:-") or None
        elif _LIST_MARKER.match(line) or _ARXIV_IN_TEXT.search(line):
            url, title = "", _LIST_MARKER.sub("", line).strip() or None
        else:
            continue
        arxiv = _ARXIV_IN_TEXT.search(url) or (None if url else _ARXIV_IN_TEXT.search(line))
        references.append(
            ReportReference(
                index=len(references) + 1,
                url=url,
                arxiv_id=arxiv["id"] if arxiv else None,
                version=int(arxiv["version"]) if arxiv and arxiv["version"] else None,
                title=title,
            )
        )
    return references


def _section_text(lines: list[str], sections: list[tuple[int, str, int]], name: str) -> str | None:
    for start, heading, end in sections:
        if heading == name:
            return " ".join(line for line in lines[start + 1 : end] if line) or None
    return None


def _question(
    lines: list[str], sections: list[tuple[int, str, int]], first: int, prose_end: int
) -> str | None:
    intro = [(s, e) for s, heading, e in sections if heading == "introduction"]
    for start, end in [*intro, (first, prose_end)]:
        for line in lines[start:end]:
            if match := _QUESTION.search(line):
                question = match["q"].strip()
                if asked := re.match(r"^(.*?\?)(?=\.?(?:\s|$))", question):
                    return asked[1]
                return re.split(r"(?<=\.)\s", question, maxsplit=1)[0].rstrip(".") or None
    return None


def _stated(
    lines: list[str], sections: list[tuple[int, str, int]], prose_end: int, name: str
) -> StatedCounts:
    """Counts stated before the claims table; the Results section wins over other prose.

    The abstract is left out: in the seed reports it quotes a paper, whose numbers are not
    the report's own.
    """
    skipped = {i for s, heading, e in sections if heading == "abstract" for i in range(s, e)}
    prose = "\n".join(line for i, line in enumerate(lines[:prose_end]) if i not in skipped)
    results = "\n".join(
        "\n".join(lines[s + 1 : e]) for s, heading, e in sections if heading == "results"
    )
    values: dict[str, float | None] = {}
    for field, patterns in _STATED_PATTERNS.items():
        matches = sorted(
            (m for pattern in patterns for m in pattern.finditer(prose)), key=lambda m: m.start()
        )
        found = [float(m[1]) for m in matches]
        preferred = [float(m[1]) for pattern in patterns for m in pattern.finditer(results)]
        values[field] = chosen = (preferred or found or [None])[0]
        if len(set(found)) > 1:
            stated = " and ".join(f"{value:g}" for value in dict.fromkeys(found))
            logger.warning("%s states %s as %s; using %g", name, field, stated, chosen)
    return _counts(values)
