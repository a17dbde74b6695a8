"""Re-check a finished report: read it back and compare what it states with what it lists.

``parse_report`` reads the seed reports' plain-text and Markdown layouts and synth's own JSON
report into a :class:`ParsedReport`.
"""

from synth.audit.parse import (
    ParsedReport,
    ReportClaim,
    ReportReference,
    StatedCounts,
    parse_report,
    parse_report_text,
)

__all__ = [
    "ParsedReport",
    "ReportClaim",
    "ReportReference",
    "StatedCounts",
    "parse_report",
    "parse_report_text",
]
