"""The claims table of a text or Markdown report: where it is, its columns, its rows.

A header line names the columns (``Claim``, ``Verified`` or ``Verdict``, ``Confidence``,
optionally ``Paper``; see ``_ROLES`` for the accepted names). It may be tab-separated, a
Markdown pipe table (with or without outer pipes, ``\\|`` for a literal bar), or the three
default columns padded with spaces. Sections headed "... Claims" are searched first, then the
whole text; a "Claims" section without a header line is read as claim, mark, confidence.

The table runs to its last readable row. A row is mapped to fields by column when its cell
count matches the header; extra cells are joined into the claim text, and otherwise cells are
recognised by what they hold (a mark, a number, text). Unreadable parts are logged and kept as
``None`` (see the error policy in :mod:`synth.audit.parse`), as is the truncation rule.
"""

from __future__ import annotations

import logging
import re

from synth.audit.parse import (
    _ARXIV_BARE,
    _ARXIV_IN_TEXT,
    _NUMBER,
    _SUPPORTED,
    _VERDICTS,
    TRUNCATE_AT,
    TRUNCATE_NEAR,
    ReportClaim,
    _confidence,
)

# Warnings go to the public module's logger, as documented there and configured by users.
logger = logging.getLogger("synth.audit.parse")

_MARKS = {
    **dict.fromkeys(("✓", "✔", "✅", "☑", ":white_check_mark:", "yes", "y", "true"), True),
    **dict.fromkeys(("×", "✗", "✘", "❌", "x", ":x:", "no", "n", "false"), False),
}

# Column headers of a claims table, mapped to the field each column fills.
_ROLES = {
    **dict.fromkeys(("claim", "claims", "statement"), "text"),
    **dict.fromkeys(("verified", "supported", "mark", "status", "✓"), "mark"),
    **dict.fromkeys(("confidence", "conf", "score", "probability"), "confidence"),
    "verdict": "verdict",
    **dict.fromkeys(("paper", "source", "arxiv", "arxiv id", "arxiv_id"), "paper"),
}
_SPACE_ROW = re.compile(
    r"^(?P<text>\S.*?)\s+(?P<mark>[✓✔✅☑×✗✘❌])\s+(?P<confidence>[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?)$"
)
_SPACE_HEADER = re.compile(r"^claims?\s+verified\s+confidence$", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def _unemphasise(text: str) -> str:
    return text.strip().strip("*_").strip()


def _find_table(
    lines: list[str], sections: list[tuple[int, str, int]], name: str
) -> tuple[int, str, list[str | None], int | None] | None:
    """Where the claims table is, or None.

    Returns (header line, kind, column roles, first line of its "Claims" section or None).
    Sections headed "... Claims" are searched first, then the whole text.
    """
    claim_sections = [(s, e) for s, heading, e in sections if "claims" in heading]
    for start, end in [*claim_sections, (0, len(lines))]:
        for i in range(start, end):
            if header := _read_header(lines[i]):
                owner = next((s for s, e in claim_sections if s <= i < e), None)
                return i, *header, owner
    # A "Claims" section without a header line: accept tab-separated rows in the default order.
    for start, end in claim_sections:
        if any("\t" in lines[i] for i in range(start + 1, end)):
            logger.warning(
                "%s line %d: the claims section has no header line; reading its rows as claim,"
                " mark, confidence",
                name,
                start + 1,
            )
            return start, "tab", ["text", "mark", "confidence"], start
    return None


def _read_header(line: str) -> tuple[str, list[str | None]] | None:
    if _SPACE_HEADER.match(line):
        return "space", ["text", "mark", "confidence"]
    if "\t" in line:
        kind = "tab"
    elif "|" in line:
        kind = "pipe"
    else:
        return None
    roles = [_ROLES.get(_unemphasise(cell).lower().rstrip("?")) for cell in _cells(line, kind)]
    if "text" in roles and {"mark", "confidence", "verdict"} & set(roles):
        return kind, roles
    return None


def _cells(line: str, kind: str) -> list[str]:
    if kind == "pipe":
        inner = line.strip().removeprefix("|").removesuffix("|")
        return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]
    return [cell.strip() for cell in line.split("\t")]


def _row_cells(
    line: str, kind: str, roles: list[str | None]
) -> tuple[list[str], list[str | None]] | None:
    """A table row's cells and the column each one fills, or None when ``line`` is no row."""
    if kind == "pipe" and "|" in line:
        return _cells(line, "pipe"), roles
    if "\t" in line:
        return _cells(line, "tab"), roles
    if match := _SPACE_ROW.match(line):  # columns padded with spaces: claim ✓ 0.21
        return [match["text"], match["mark"], match["confidence"]], ["text", "mark", "confidence"]
    return None


def _is_separator(line: str) -> bool:
    return "-" in line and not set(line) - set("|:- \t")


def _read_claims(
    lines: list[str], header_at: int, end: int, kind: str, roles: list[str | None], name: str
) -> list[ReportClaim]:
    rows = [(i, _row_cells(lines[i], kind, roles)) for i in range(header_at + 1, end)]
    # The table runs to its last row; a non-row line before that is a broken row.
    last_row = max((i for i, row in rows if row is not None), default=header_at)
    claims: list[ReportClaim] = []
    for i, row in rows:
        where = f"{name} line {i + 1}"
        if i > last_row:
            break
        if not lines[i] or _read_header(lines[i]) or _is_separator(lines[i]):
            continue  # blank, the header repeated, or Markdown's |---|---| line
        if row is None:
            logger.warning("%s is not a claims-table row; skipped", where)
            continue
        fields = _fields(*row, where)
        claim = _claim(len(claims) + 1, fields, where)
        if claim is not None:
            claims.append(claim)
    return claims


def _fields(cells: list[str], roles: list[str | None], where: str) -> dict[str, str]:
    """Map a row's cells to fields: by column when the counts agree, else by what they hold."""
    if len(cells) > len(roles) and roles.index("text") == 0:
        logger.warning(
            "%s has %d cells for %d columns; the extra ones are read as claim text",
            where,
            len(cells),
            len(roles),
        )
        extra = len(cells) - len(roles) + 1
        cells = [" ".join(cells[:extra]), *cells[extra:]]
    if len(cells) == len(roles):
        return {role: cell for role, cell in zip(roles, cells, strict=True) if role}
    fields: dict[str, str] = {}
    for cell in cells:
        if "mark" not in fields and _mark(cell) is not None:
            fields["mark"] = cell
        elif "confidence" not in fields and _NUMBER.fullmatch(cell):
            fields["confidence"] = cell
        elif "text" not in fields:
            fields["text"] = cell
    return fields


def _claim(index: int, fields: dict[str, str], where: str) -> ReportClaim | None:
    text = fields.get("text", "")
    if not text:
        logger.warning("%s has no claim text; skipped", where)
        return None
    verdict = fields.get("verdict", "").strip().upper().replace(" ", "_") or None
    mark = _mark(fields.get("mark", ""))
    if mark is None and verdict in _VERDICTS and "mark" not in fields:
        mark = verdict == _SUPPORTED  # a table with a Verdict column instead of Verified
    elif mark is None:
        logger.warning("%s: mark %r is not ✓ or ×; read as unknown", where, fields.get("mark"))
    confidence = _confidence(fields.get("confidence"), where)
    paper = _arxiv_ref(fields["paper"]) if fields.get("paper") else None
    return ReportClaim(index, text, mark, confidence, _is_truncated(text), verdict, paper)


def _mark(cell: str) -> bool | None:
    return _MARKS.get(cell.strip().strip("*_`").strip().lower())


def _is_truncated(text: str) -> bool:
    if text.endswith(("…", "...")):
        return True
    return len(text) == TRUNCATE_AT or (
        len(text) >= TRUNCATE_NEAR and not _SENTENCE_END.search(text)
    )


def _arxiv_ref(text: str) -> str | None:
    """``2505.18673v1`` from an arXiv link or id in ``text``, else None."""
    match = _ARXIV_IN_TEXT.search(text) or _ARXIV_BARE.search(text)
    if match is None:
        return None
    return match["id"] + (f"v{match['version']}" if match["version"] else "")
