"""The report stage: what a report shows (context) and how it is written (render)."""

from synth.report.context import ReportView, build_view
from synth.report.render import FORMATS, format_for, render, to_json

__all__ = ["FORMATS", "ReportView", "build_view", "format_for", "render", "to_json"]
