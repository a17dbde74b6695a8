"""Rendering: golden files for each format, from a fixed report view (no model involved).

Regenerate after a deliberate template change with
``SYNTH_UPDATE_GOLDEN=1 pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from synth.report.context import (
    ClaimView,
    EvidenceView,
    Reference,
    ReportView,
    RestatementView,
)
from synth.report.render import format_for, render

GOLDEN = Path(__file__).parent / "golden" / "report"


def view() -> ReportView:
    refs = [
        Reference(
            1,
            "1901.07291",
            1,
            "Cross-lingual Language Model Pretraining",
            ["Guillaume Lample", "Alexis Conneau"],
            2019,
        ),
        Reference(
            2,
            "1810.04805",
            1,
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"],
            2018,
        ),
    ]
    claims = [
        ClaimView(
            number=1,
            text="On XNLI, XLM pushes the state of the art by an absolute gain of 4.9% accuracy.",
            original="On XNLI, our approach pushes the state of the art by an absolute gain of "
            "4.9% accuracy.",
            ref=1,
            arxiv_id="1901.07291",
            section="Abstract",
            page=1,
            kind="result",
            verdict="SUPPORTED",
            confidence=0.91,
            reason="entailed by evidence from the same paper",
            evidence=[
                EvidenceView(
                    "XLM obtains a new state of the art of 75.1% on XNLI, 4.9% "
                    "above the previous best.",
                    1,
                    "1901.07291",
                    6,
                    "entailment",
                    0.91,
                    False,
                    tier="body",
                    premise="XLM obtains a new state of the art of 75.1% on XNLI, 4.9% "
                    "above the previous best.",
                    with_neighbours=True,
                )
            ],
            restatements=[
                RestatementView(
                    "We obtain 4.9% absolute gain in accuracy on XNLI.", "7 Conclusion", 9
                )
            ],
        ),
        ClaimView(
            number=2,
            text="Masked language models see both sides of a token when 0 < i < n.",
            original="Masked language models see both sides of a token when 0 < i < n.",
            ref=2,
            arxiv_id="1810.04805",
            section="3 BERT",
            page=3,
            kind="method",
            verdict="NOT_ENOUGH_INFO",
            confidence=0.72,
            reason="no evidence entails or contradicts the claim strongly enough",
            evidence=[
                EvidenceView(
                    "A | B & C <script>", 1, "1901.07291", 2, "neutral", 0.72, True, "cross_paper"
                )
            ],
        ),
    ]
    stats = {
        "papers_found": 23,
        "papers_read": 2,
        "claims": 2,
        "claims_by_verdict": {"SUPPORTED": 1, "REFUTED": 0, "NOT_ENOUGH_INFO": 1},
    }
    return ReportView(
        title="Cross-lingual pretraining: a verified synthesis of 2 papers",
        author="synth 0.1.0, automated literature synthesis",
        date="November 22, 2026",
        question="Does cross-lingual pretraining help?",
        abstract="This report asks: Does cross-lingual pretraining help? One claim is supported.",
        introduction=["Research question: Does cross-lingual pretraining help?"],
        methodology=["Search: a local folder of PDFs stood in for arXiv."],
        results=["2 papers read; 2 claims extracted: 1 supported, 0 refuted, 1 not enough info."],
        limitations=["Claims and verdicts are produced automatically."],
        claims=claims,
        references=refs,
        stats=stats,
        run_id=7,
    )


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("html", "html"), ("json", "json")]
)
def test_rendered_report_matches_golden_file(fmt, suffix):
    out = render(view(), fmt)
    golden = GOLDEN / f"report.{suffix}"
    if os.environ.get("SYNTH_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_html_escapes_and_markdown_cells_are_safe():
    page = render(view(), "html")
    assert "<script>" not in page and "&lt;script&gt;" in page and "0 &lt; i &lt; n" in page
    md = render(view(), "markdown")
    assert "A \\| B & C" in md  # a pipe inside a cell would break the table


def test_json_has_the_documented_keys():
    doc = json.loads(render(view(), "json"))
    assert {"question", "papers", "claims", "stats"} <= set(doc)
    assert doc["claims"][1]["evidence"][0]["cross_paper"] is True


@pytest.mark.parametrize(
    ("fmt", "output", "expected"),
    [
        (None, None, "text"),
        (None, Path("r.md"), "markdown"),
        (None, Path("r.html"), "html"),
        ("json", Path("r.md"), "json"),
    ],
)
def test_format_follows_the_option_then_the_suffix(fmt, output, expected):
    assert format_for(fmt, output) == expected


def test_markdown_makes_html_inert():
    """A paper's or question's "<script>" must not run where a Markdown viewer passes HTML."""
    out = render(view(), "markdown")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_results_count_one_in_the_singular():
    from synth.report.context import results_text

    stats = {
        "papers_read": 1,
        "claims": 2,
        "claims_by_verdict": {"SUPPORTED": 1, "REFUTED": 0, "NOT_ENOUGH_INFO": 1},
        "claims_cross_paper": 1,
        "failures": [],
    }
    lines = results_text(stats, [], [])
    assert lines[0].startswith("1 paper read; 2 claims extracted")
    assert lines[1].startswith("1 verdict rests on evidence from another paper")


def test_limitations_quote_the_fitted_decisions_figures_once():
    """The per-verdict precision comes from the shipped model's decision_eval.json, and the
    sentence names its claim count once (it once read "On 1203 held-out claims (1203 ...")."""
    from synth.report.context import limitations_text
    from synth.verify.decision import measured

    figures = measured("synth-nli-minilm")
    assert figures is not None
    (line,) = [
        x for x in limitations_text({"papers_failed": 0, "decision_eval": figures}) if "right" in x
    ]
    assert line.count(str(figures["n"])) == 1 and figures["what"] in line
    supported = figures["per_verdict"]["SUPPORTED"]["precision"]
    assert f"supported {supported:.0%}" in line
