"""Render a :class:`ReportView` as text, Markdown, HTML (Jinja2 templates) or JSON.

The JSON layout is documented in the README and kept stable: ``question``, ``papers``,
``claims`` (each with ``evidence``) and ``stats``; new keys may be added, none removed.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined

from synth.errors import ConfigError
from synth.report.context import ReportView

# The top-level templates/ folder, installed as the package synth.templates (see setup.py).
TEMPLATES_PACKAGE = "synth.templates"
FORMATS = {"text": "report.txt.j2", "markdown": "report.md.j2", "html": "report.html.j2"}
AUDIT_FORMATS = {"text": "audit.txt.j2", "markdown": "audit.md.j2", "html": "audit.html.j2"}
SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def md_cell(text: object) -> str:
    """Text safe inside a Markdown table cell, and inert where Markdown passes HTML through."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def md_text(text: object) -> str:
    """Free Markdown text with HTML made inert: papers and questions may contain "<script>"."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def template_loader() -> BaseLoader:
    """synth's templates, found through the import system (wheel or editable install alike)."""
    return PackageLoader(TEMPLATES_PACKAGE, ".")


def make_environment(loader: BaseLoader | None = None) -> Environment:
    """A Jinja2 environment over synth's templates: HTML autoescaped, undefined names fail."""
    env = Environment(
        loader=loader or template_loader(),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["mdcell"] = md_cell
    env.filters["mdtext"] = md_text
    return env


@cache
def environment() -> Environment:
    """The shared environment of the command line (templates are read once per process)."""
    return make_environment()


def format_for(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's suffix names, else text."""
    if fmt:
        if fmt not in (*FORMATS, "json"):
            raise ConfigError(f"unknown format {fmt!r}; use text, markdown, html or json")
        return fmt
    if output is not None:
        return SUFFIXES.get(output.suffix.lower(), "text")
    return "text"


def to_json(view: ReportView) -> dict:
    """The stable JSON document of a report."""
    return {
        "question": view.question,
        "title": view.title,
        "date": view.date,
        "run_id": view.run_id,
        "abstract": view.abstract,
        "papers": [
            {
                "ref": r.number,
                "arxiv_id": r.arxiv_id,
                "version": r.version,
                "title": r.title,
                "authors": r.authors,
                "year": r.year,
                "url": r.url,
            }
            for r in view.references
        ],
        "claims": [
            {
                "text": c.text,
                "original": c.original,
                "paper": c.arxiv_id,
                "ref": c.ref,
                "section": c.section,
                "page": c.page,
                "kind": c.kind,
                "verdict": c.verdict,
                "confidence": c.confidence,
                "reason": c.reason,
                "evidence": [
                    {
                        "text": e.text,
                        "paper": e.arxiv_id,
                        "ref": e.ref,
                        "page": e.page,
                        "label": e.label,
                        "score": e.score,
                        "cross_paper": e.cross_paper,
                        "tier": e.tier,
                        "premise": e.premise,
                        "with_neighbours": e.with_neighbours,
                    }
                    for e in c.evidence
                ],
                "restatements": [
                    {"text": r.text, "section": r.section, "page": r.page} for r in c.restatements
                ],
            }
            for c in view.claims
        ],
        "stats": view.stats,
        **view.extra,
    }


def render(view: ReportView, fmt: str, *, template: str | None = None) -> str:
    """The report in ``fmt`` (text | markdown | html | json)."""
    if fmt == "json":
        return json.dumps(to_json(view), indent=2, ensure_ascii=False) + "\n"
    return environment().get_template(template or FORMATS[fmt]).render(r=view)


def render_audit(document: dict, fmt: str) -> str:
    """An audit (its JSON document, see :func:`synth.audit.summary.audit_json`) in ``fmt``."""
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    template = environment().get_template(AUDIT_FORMATS[fmt])
    shown = {**document, "claims": [audit_cells(c) for c in document["claims"]]}
    return template.render(a=shown, s=document["summary"])


def audit_cells(claim: dict) -> dict:
    """An audited claim with what its table row shows: a claim nothing could check gets no
    verdict or confidence (its stored NOT_ENOUGH_INFO is no finding) and no agreement.

    >>> audit_cells({"checked": False, "verdict": "NOT_ENOUGH_INFO", "confidence": 1.0,
    ...              "disagrees": None})["synth"]
    'not checked'
    """
    if not claim["checked"]:
        return {**claim, "synth": "not checked", "disagrees_shown": "-"}
    shown = f"{claim['verdict']} {claim['confidence']:.2f}"
    return {**claim, "synth": shown, "disagrees_shown": "yes" if claim["disagrees"] else "no"}
