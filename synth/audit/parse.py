"""Read a finished report back, so ``synth audit`` can re-check what it says.

Three layouts are understood; :func:`parse_report_text` tells them apart from the text itself:

``text``
    The plain layout of the seed reports: a title line, an author line and a date, then sections
    headed "Abstract", "1 Introduction", ... "5 Extracted Claims", "References". The claims table
    is a header line ``Claim<TAB>Verified<TAB>Confidence`` followed by one line per claim,
    ``claim<TAB>✓|×<TAB>0.21``. References are lines such as ``- <http://arxiv.org/abs/…v1>``.
``markdown``
    The same with ``#`` headings. The claims table may be tab-separated as above or a Markdown
    table (``| Claim | Verified | Confidence |``, then a ``|---|---|---|`` separator line).
``json``
    synth's own JSON report: ``{"question", "papers": [...], "claims": [...], "stats": {...}}``.
    A claim carries a verdict instead of a mark: SUPPORTED reads as ✓, any other verdict as ×.

Stated counts are what the prose says ("yielded 13 papers", "12 claims extracted; 12
independently verified", "Quality review score: 9.0/10"); listed counts are what the report
actually lists (:attr:`ParsedReport.listed_claims` and friends). ``synth audit`` compares the two.

Truncation: the seed reports cut every claim at about 120 characters, without an ellipsis (and
strip the space left at the cut, so a cut claim can be 119 characters long; a few are 121). A
text or Markdown claim is flagged ``truncated`` when it is exactly 120 characters long, when it
is 115 characters or longer and does not end with sentence punctuation (``.``, ``!``, ``?``,
optionally followed by a closing quote or bracket), or when it ends with an ellipsis (``…`` or
``...``). Claims in synth's JSON report are stored whole and never flagged.

Error policy (as in pypdf): input that cannot be a report (a missing, empty or binary file, or
text with no claims table that is not synth's JSON either) raises
:class:`~synth.errors.ReportParseError` with a one-line message saying what was expected. A row
the parser can read only in part (unknown mark, missing confidence) is kept with ``None`` in the
unreadable field and logged as a warning on this module's logger.

The text and Markdown layouts are read by ``synth.audit._text`` (sections, front matter,
stated counts, references) with ``synth.audit._table`` (the claims table); the JSON layout by
``synth.audit._json``.

Example::

    >>> report = parse_report_text("T\\n\\n5 Extracted Claims\\nClaim\\tVerified\\tConfidence\\n"
    ...                            "Water is wet.\\t✓\\t0.91\\n")
    >>> report.claims[0].mark, report.claims[0].confidence, report.listed_claims
    (True, 0.91, 1)
"""

from __future__ import annotations

import codecs
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.errors import ReportParseError

logger = logging.getLogger(__name__)

TRUNCATE_AT = 120
"""Length at which the seed reports cut claim text."""
TRUNCATE_NEAR = 115
"""From this length on, a claim without closing punctuation is taken to be cut."""

_READABLE = "expected a UTF-8 text or Markdown report, or synth's JSON report"
# Real reports are tens of kilobytes; a 50 MB file would run for hours and is not a report.
MAX_REPORT_BYTES = 5_000_000
MAX_CLAIM_CHARS = 2_000

# Shared by the text and JSON parsers.
_SUPPORTED = "SUPPORTED"
_VERDICTS = (_SUPPORTED, "REFUTED", "NOT_ENOUGH_INFO")

# arXiv ids, new style (2505.18673v1) and old style (hep-th/9901001v2, math.GT/0309136);
# retrieve.parse_arxiv_id is not used so that audit does not depend on the retrieval stage.
_ID = (
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v(?P<version>\d+))?(?![\d])"
)
_ARXIV_IN_TEXT = re.compile(rf"(?i:arxiv\.org/(?:abs|pdf|html)/|arxiv:\s*){_ID}")
_ARXIV_BARE = re.compile(rf"(?i:arxiv:\s*)?{_ID}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")


@dataclass(frozen=True)
class ReportClaim:
    """One row of a report's claims table.

    Attributes:
        index: 1-based position in the table.
        text: The claim as printed (possibly cut, see ``truncated``).
        mark: ✓ is True, × is False; None when the mark is missing or unreadable.
        confidence: The printed confidence, or None when missing or unreadable.
        truncated: The report cut the text (see the module docstring for the rule).
        verdict: SUPPORTED / REFUTED / NOT_ENOUGH_INFO; only synth's JSON report has one.
        paper: The arXiv id of the claim's paper, when the report says which paper.
    """

    index: int
    text: str
    mark: bool | None
    confidence: float | None
    truncated: bool
    verdict: str | None = None
    paper: str | None = None


@dataclass(frozen=True)
class ReportReference:
    """One entry of a report's reference list.

    Attributes:
        index: 1-based position in the list.
        url: The link as printed ("" for an entry without one).
        arxiv_id: The arXiv id without its version, when the link is an arXiv link.
        version: The arXiv version number, when the link names one.
        title: The entry's title text, when the report prints one.
    """

    index: int
    url: str
    arxiv_id: str | None
    version: int | None
    title: str | None = None


@dataclass(frozen=True)
class StatedCounts:
    """Counts the report's prose states; None for each it does not state."""

    papers_retrieved: int | None = None
    claims_extracted: int | None = None
    claims_verified: int | None = None
    quality_score: float | None = None


@dataclass(frozen=True)
class ParsedReport:
    """Everything ``synth audit`` needs from one report.

    Attributes:
        path: The file read, or the name given to :func:`parse_report_text`.
        layout: "text", "markdown" or "json".
        title: The first non-empty line without leading ``#`` (JSON: ``title``).
        question: The "Research question:" sentence of the introduction (JSON: ``question``).
        date: The date line as printed, e.g. "July 1, 2026".
        claims: The claims table in table order.
        references: The reference list in list order.
        stated: Counts stated in the prose (JSON: in ``stats``).
        author: The author line under the title.
        abstract: The abstract's text.
    """

    path: str
    layout: str
    title: str | None
    question: str | None
    date: str | None
    claims: list[ReportClaim]
    references: list[ReportReference]
    stated: StatedCounts
    author: str | None = None
    abstract: str | None = None

    @property
    def listed_claims(self) -> int:
        """Number of claims in the table."""
        return len(self.claims)

    @property
    def listed_verified(self) -> int:
        """Number of claims marked ✓ (SUPPORTED in JSON)."""
        return sum(claim.mark is True for claim in self.claims)

    @property
    def listed_references(self) -> int:
        """Number of entries in the reference list."""
        return len(self.references)


def parse_report(path: Path | str) -> ParsedReport:
    """Read the report at ``path``, whichever of the three layouts it is in.

    Raises:
        ReportParseError: The file is missing, empty, binary, or holds no claims table.

    Example::

        report = parse_report(Path("reports/000.txt"))
        if report.stated.claims_extracted != report.listed_claims: ...
    """
    path = Path(path)
    if not path.exists():
        raise ReportParseError(f"{path} does not exist: {_READABLE}.")
    if path.is_dir():
        raise ReportParseError(f"{path} is a directory: {_READABLE}.")
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportParseError(
                f"{path} is {size / 1e6:.0f} MB, more than any report "
                f"({MAX_REPORT_BYTES / 1e6:.0f} MB at most): {_READABLE}."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReportParseError(f"{path} cannot be read ({exc.strerror}): {_READABLE}.") from exc
    return parse_report_text(_decode(data, str(path)), name=str(path))


def parse_report_text(text: str, *, name: str = "<report>") -> ParsedReport:
    """Parse a report held in a string; ``name`` stands in for the path in messages.

    Raises:
        ReportParseError: The text is empty or binary, or holds no claims table and is not
            synth's JSON report.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ReportParseError(f"{name} is empty: {_READABLE}.")
    if "\x00" in text:
        raise ReportParseError(f"{name} is binary, not a report: {_READABLE}.")
    # Imported here, not at the top: the layout parsers build this module's dataclasses.
    from synth.audit._json import _parse_json
    from synth.audit._text import _parse_document

    parsed = (
        _parse_json(text, name) if text.lstrip().startswith("{") else _parse_document(text, name)
    )
    too_long = [c.index for c in parsed.claims if len(c.text) > MAX_CLAIM_CHARS]
    if too_long:
        # The verifier reads 256 tokens: a longer "claim" would be judged on its opening only.
        raise ReportParseError(
            f"{name}: claim {too_long[0]} is longer than {MAX_CLAIM_CHARS} characters, which is "
            f"no single claim; split it into claims of one or two sentences: {_READABLE}."
        )
    return parsed


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise ReportParseError(f"{name} is empty: {_READABLE}.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReportParseError(f"{name} is broken UTF-16 text: {_READABLE}.") from exc
    if data.startswith(b"%PDF"):
        raise ReportParseError(f"{name} is a PDF, not a report: {_READABLE}.")
    if b"\x00" in data:
        raise ReportParseError(f"{name} is binary, not a report: {_READABLE}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportParseError(
            f"{name} is binary or not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}):"
            f" {_READABLE}."
        ) from exc


def _confidence(value: Any, where: str) -> float | None:
    """A printed confidence ("0.21", "21%", or a JSON number), or None with a warning."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    cell = value.strip() if isinstance(value, str) else ""
    if not _NUMBER.fullmatch(cell):
        logger.warning("%s: confidence %r is not a number; read as unknown", where, value)
        return None
    return float(cell[:-1]) / 100 if cell.endswith("%") else float(cell)


def _counts(values: dict[str, Any]) -> StatedCounts:
    # A report may state NaN or 1e400 (JSON allows both through Python): no count at all.
    def finite(value: Any) -> float | None:
        if value is None or not math.isfinite(float(value)):
            return None
        return float(value)

    def whole(value: Any) -> int | None:
        return None if finite(value) is None else int(value)

    return StatedCounts(
        papers_retrieved=whole(values.get("papers_retrieved")),
        claims_extracted=whole(values.get("claims_extracted")),
        claims_verified=whole(values.get("claims_verified")),
        quality_score=finite(values.get("quality_score")),
    )
