"""synth's own JSON report.

The report is an object ``{"question", "papers": [...], "claims": [...], "stats": {...}}``;
only ``claims`` (a list) is required. Each claim has ``text`` and a ``verdict``: SUPPORTED
reads as ✓, any other verdict as ×; ``confidence`` and ``paper`` (an id, or an object with
``arxiv_id``) are optional. A paper is an object with ``arxiv_id`` (or ``id``), optional
``version``, ``url`` and ``title``, or just an id string; its URL defaults to the abstract page.
``stats`` may name each count in several ways (see ``_STATS_KEYS``). ``title``, ``author``,
``abstract`` and ``date`` (or ``generated_at``, ``created_at``) are read when present.
Claims are stored whole, so none is flagged truncated.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from synth.audit.parse import (
    _ARXIV_BARE,
    _ARXIV_IN_TEXT,
    _SUPPORTED,
    _VERDICTS,
    ParsedReport,
    ReportClaim,
    ReportReference,
    StatedCounts,
    _confidence,
    _counts,
)
from synth.errors import ReportParseError

# Warnings go to the public module's logger, as documented there and configured by users.
logger = logging.getLogger("synth.audit.parse")

_EXPECTED_JSON = (
    "expected synth's JSON report, an object with 'question', 'papers', 'claims' and 'stats'"
)
_STATS_KEYS = {
    "papers_retrieved": ("papers_retrieved", "papers", "n_papers", "retrieved"),
    "claims_extracted": ("claims_extracted", "claims", "n_claims", "extracted"),
    "claims_verified": ("claims_verified", "verified", "supported", "n_supported"),
    "quality_score": ("quality_score", "quality"),
}


def _parse_json(text: str, name: str) -> ParsedReport:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportParseError(
            f"{name} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}):"
            f" {_EXPECTED_JSON}."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ReportParseError(
            f"{name} is JSON but not synth's report (no 'claims' list): {_EXPECTED_JSON}."
        )
    claims = []
    for i, item in enumerate(data["claims"], 1):
        claim = _json_claim(len(claims) + 1, item, f"{name} claim {i}")
        if claim is not None:
            claims.append(claim)
    papers = data.get("papers") or []
    if not isinstance(papers, list):
        logger.warning("%s: 'papers' is not a list; no references read", name)
        papers = []
    references = [_json_reference(i, paper) for i, paper in enumerate(papers, 1)]
    return ParsedReport(
        path=name,
        layout="json",
        title=_string(data.get("title")),
        question=_string(data.get("question")),
        date=_string(data.get("date") or data.get("generated_at") or data.get("created_at")),
        claims=claims,
        references=references,
        stated=_json_stats(data.get("stats"), name),
        author=_string(data.get("author")),
        abstract=_string(data.get("abstract")),
    )


def _json_claim(index: int, item: Any, where: str) -> ReportClaim | None:
    if not isinstance(item, dict) or not _string(item.get("text")):
        logger.warning("%s has no 'text'; skipped", where)
        return None
    verdict = _string(item.get("verdict"))
    verdict = verdict.upper() if verdict else None
    if verdict not in _VERDICTS:
        logger.warning("%s: verdict %r is not one of %s", where, verdict, ", ".join(_VERDICTS))
    confidence = item.get("confidence")
    paper = item.get("paper")
    if isinstance(paper, dict):
        paper = paper.get("arxiv_id")
    return ReportClaim(
        index=index,
        text=item["text"].strip(),
        mark=None if verdict is None else verdict == _SUPPORTED,
        confidence=None if confidence is None else _confidence(confidence, where),
        truncated=False,
        verdict=verdict,
        paper=_string(paper),
    )


def _json_reference(index: int, paper: Any) -> ReportReference:
    if not isinstance(paper, dict):
        paper = {"arxiv_id": paper} if isinstance(paper, str) else {}
    raw_id = _string(paper.get("arxiv_id") or paper.get("id")) or ""
    match = _ARXIV_BARE.fullmatch(raw_id.strip()) or _ARXIV_IN_TEXT.search(raw_id)
    arxiv_id = match["id"] if match else raw_id or None
    version = int(match["version"]) if match and match["version"] else None
    if version is None and isinstance(paper.get("version"), int):
        version = paper["version"]
    url = _string(paper.get("url")) or (
        f"https://arxiv.org/abs/{arxiv_id}{f'v{version}' if version else ''}" if arxiv_id else ""
    )
    return ReportReference(index, url, arxiv_id, version, _string(paper.get("title")))


def _json_stats(stats: Any, name: str) -> StatedCounts:
    if stats is None:
        return StatedCounts()
    if not isinstance(stats, dict):
        logger.warning("%s: 'stats' is not an object; no stated counts read", name)
        return StatedCounts()
    values: dict[str, Any] = {}
    for field, keys in _STATS_KEYS.items():
        for key in keys:
            value = stats.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                values[field] = value
                break
    return _counts(values)


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
