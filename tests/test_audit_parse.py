"""synth.audit.parse: the five seed reports, the Markdown and JSON variants, and bad input."""

from __future__ import annotations

import doctest
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest

from synth.audit import ParsedReport, StatedCounts, parse_report, parse_report_text
from synth.audit import parse as parse_module
from synth.errors import ReportParseError


@dataclass(frozen=True)
class Seed:
    """What a seed report holds, counted by hand from the file."""

    layout: str
    title: str
    date: str
    claims: int
    refuted: list[int]  # 1-based indices of the × rows; every other row is ✓
    first_confidence: float
    last_confidence: float
    truncated: list[int]
    references: list[tuple[str, int]]
    stated: StatedCounts
    question_start: str


SEEDS = {
    "000": Seed(
        layout="text",
        title="Impact of Task Similarity on Zero-Shot Cross-Lingual Transfer Performance",
        date="July 1, 2026",
        claims=12,
        refuted=[],
        first_confidence=0.21,
        last_confidence=0.24,
        truncated=[1, 2, 5, 7, 12],
        references=[("2505.18673", 1), ("2310.09917", 3), ("2101.10649", 1)],
        stated=StatedCounts(13, 12, 12, 9.0),
        question_start="What is the impact of task similarity between intermediate English tasks",
    ),
    "001": Seed(
        layout="markdown",
        title="Code-Task Intermediate Training for Cross-Lingual Zero-Shot Transfer",
        date="July 7, 2026",
        claims=15,
        refuted=[10],
        first_confidence=0.21,
        last_confidence=0.15,
        truncated=[1, 2, 4, 5, 7, 10, 12, 13],
        references=[("2205.00049", 2), ("2310.09917", 3), ("2101.10649", 1)],
        stated=StatedCounts(12, 15, 14, 8.5),
        question_start="Does intermediate-task training on code-related tasks (e.g., HumanEval)",
    ),
    "002": Seed(
        layout="text",
        title="Semantic Similarity Effects on Zero-Shot Cross-Lingual Transfer Robustness",
        date="July 7, 2026",
        claims=9,
        refuted=[],
        first_confidence=0.26,
        last_confidence=0.28,
        truncated=[1, 3, 4, 5, 6, 7, 8, 9],
        references=[("2505.18673", 1), ("2005.13013", 2), ("2607.04814", 1)],
        stated=StatedCounts(12, 9, 9, 9.2),
        question_start="How does the semantic similarity between intermediate tasks and XTREME-R",
    ),
    "003": Seed(
        layout="text",
        title=(
            "Impact of Intermediate Semantic Textual Similarity Training on Zero-Shot"
            " Cross-Lingual Transfer for Low-Resource Languages"
        ),
        date="June 25, 2026",
        claims=10,
        refuted=[1, 2, 7],
        first_confidence=0.14,
        last_confidence=0.17,
        truncated=[1, 2, 3, 4, 6, 7, 8],
        references=[("2104.08645", 2), ("2506.15415", 1), ("2005.13013", 2)],
        stated=StatedCounts(13, 10, 7, 7.2),
        question_start="How does intermediate-task training on semantic textual similarity",
    ),
    "004": Seed(
        layout="text",
        title=(
            "Correlation Between Intermediate-Task Diversity and Zero-Shot Cross-Lingual"
            " Robustness on Low-Resource Morphologically Complex"
        ),
        date="June 21, 2026",
        claims=10,
        refuted=[1, 2, 8],
        first_confidence=0.12,
        last_confidence=0.16,
        truncated=[1, 2, 3, 4, 5, 6, 7, 8, 9],
        references=[("2104.08645", 2), ("2206.00962", 1), ("2005.13013", 2)],
        stated=StatedCounts(13, 10, 7, 7.1),
        question_start="What is the correlation between intermediate-task diversity",
    ),
}

TABLE = "5 Extracted Claims\n\nClaim\tVerified\tConfidence\n"


def seed_path(seeds_dir: Path, key: str) -> Path:
    (path,) = seeds_dir.glob(f"{key}_*.txt")
    return path


@pytest.fixture(params=sorted(SEEDS))
def seed(request: pytest.FixtureRequest, seeds_dir: Path) -> tuple[ParsedReport, Seed]:
    return parse_report(seed_path(seeds_dir, request.param)), SEEDS[request.param]


def one_line_error(call, *args) -> str:
    """Run ``call`` expecting ReportParseError; return its message after checking it is one line."""
    with pytest.raises(ReportParseError) as info:
        call(*args)
    message = str(info.value)
    assert message and "\n" not in message and "\r" not in message
    return message


# --- the seed reports ----------------------------------------------------------------------


def test_seed_claims(seed: tuple[ParsedReport, Seed]) -> None:
    report, expected = seed
    assert report.layout == expected.layout
    assert len(report.claims) == report.listed_claims == expected.claims
    assert [claim.index for claim in report.claims] == list(range(1, expected.claims + 1))
    assert [c.index for c in report.claims if c.mark is False] == expected.refuted
    assert sum(c.mark is True for c in report.claims) == expected.claims - len(expected.refuted)
    assert report.listed_verified == expected.claims - len(expected.refuted)
    assert report.claims[0].confidence == expected.first_confidence
    assert report.claims[-1].confidence == expected.last_confidence
    assert all(c.confidence is not None for c in report.claims)
    assert [c.index for c in report.claims if c.truncated] == expected.truncated
    assert all(c.verdict is None and c.paper is None for c in report.claims)


def test_seed_references(seed: tuple[ParsedReport, Seed]) -> None:
    report, expected = seed
    assert report.listed_references == len(expected.references)
    assert [(r.arxiv_id, r.version) for r in report.references] == expected.references
    assert [r.index for r in report.references] == [1, 2, 3]
    for ref in report.references:
        assert ref.url == f"http://arxiv.org/abs/{ref.arxiv_id}v{ref.version}"
        assert ref.title is None


def test_seed_stated_counts(seed: tuple[ParsedReport, Seed]) -> None:
    report, expected = seed
    assert report.stated == expected.stated


def test_seed_front_matter(seed: tuple[ParsedReport, Seed]) -> None:
    report, expected = seed
    assert report.title == expected.title
    assert report.author == "Assignee Research"
    assert report.date == expected.date
    assert report.question is not None
    assert report.question.startswith(expected.question_start)
    assert report.question.endswith("?")
    assert report.abstract is not None and len(report.abstract) > 400


def test_seed_000_states_more_than_it_lists(seeds_dir: Path) -> None:
    report = parse_report(seed_path(seeds_dir, "000"))
    assert report.stated.papers_retrieved == 13
    assert report.listed_references == 3
    assert report.stated.claims_extracted == report.listed_claims == 12
    assert report.question == (
        "What is the impact of task similarity between intermediate English tasks and target"
        " non-English tasks on zero-shot cross-lingual transfer performance, as measured by"
        " accuracy on XQuAD and other language understanding benchmarks?"
    )
    third = report.claims[2]
    assert third.text == (
        "XLM-RoBERTa (XLM-R) [1] produces token embeddings (up to 512 token vectors of 768"
        " dimensions each) for a given input."
    )
    assert (third.mark, third.confidence, third.truncated) == (True, 0.18, False)


def test_seed_003_stated_verified_matches_ticks(seeds_dir: Path) -> None:
    report = parse_report(seed_path(seeds_dir, "003"))
    assert report.stated.claims_verified == report.listed_verified == 7
    assert report.stated.claims_extracted == report.listed_claims == 10
    assert report.stated.papers_retrieved == 13 != report.listed_references


def test_crlf_and_str_path_give_the_same_report(seeds_dir: Path, tmp_path: Path) -> None:
    for key in SEEDS:
        source = seed_path(seeds_dir, key)
        crlf = tmp_path / source.name
        crlf.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
        plain, windows = parse_report(source), parse_report(str(crlf))
        assert windows.claims == plain.claims
        assert windows.references == plain.references
        assert windows.stated == plain.stated
        assert (windows.title, windows.date, windows.question) == (
            plain.title,
            plain.date,
            plain.question,
        )
        assert windows.path == str(crlf)


# --- variants ------------------------------------------------------------------------------


MARKDOWN = """\
# A *Markdown* Report

Someone

2026-07-07

## Abstract

Short.

## 1 Introduction

Research question: Does it work? It should.

## 3 Results

3 papers retrieved. 3 claims extracted; 1 independently verified. Quality review score: 7.5/10.

## 5 Extracted Claims

| Claim | Verified | Confidence |
|:------|:--------:|-----------:|
| Water is wet. | ✓ | 0.91 |
|  Pipes \\| bars are escaped.  |  ×  |  0.10  |
| A claim with a percentage | ✓ | 45% |

## References

- [Robust training](https://arxiv.org/abs/2104.08645v2)
- <http://arxiv.org/abs/hep-th/9901001>
"""


def test_markdown_table() -> None:
    report = parse_report_text(MARKDOWN, name="md.md")
    assert report.layout == "markdown"
    assert report.path == "md.md"
    assert report.title == "A *Markdown* Report"
    assert (report.author, report.date, report.abstract) == ("Someone", "2026-07-07", "Short.")
    assert report.question == "Does it work?"
    assert [(c.text, c.mark, c.confidence) for c in report.claims] == [
        ("Water is wet.", True, 0.91),
        ("Pipes | bars are escaped.", False, 0.10),
        ("A claim with a percentage", True, 0.45),
    ]
    assert not any(c.truncated for c in report.claims)
    assert report.stated == StatedCounts(3, 3, 1, 7.5)
    assert [(r.arxiv_id, r.version, r.title) for r in report.references] == [
        ("2104.08645", 2, "Robust training"),
        ("hep-th/9901001", None, None),
    ]


def test_extra_whitespace_and_space_padded_rows() -> None:
    text = (
        "  Title  \n\n  5 Extracted Claims  \n  Claim \t Verified \t Confidence  \n"
        "  First claim. \t ✓ \t 0.5  \n\n"
        "Second claim padded with spaces.    ×    0.25\n"
        "\nReferences\n\n\n-   <https://arxiv.org/pdf/2505.18673v1>  \n"
    )
    report = parse_report_text(text)
    assert report.layout == "text"
    assert report.title == "Title"
    assert [(c.text, c.mark, c.confidence) for c in report.claims] == [
        ("First claim.", True, 0.5),
        ("Second claim padded with spaces.", False, 0.25),
    ]
    assert [(r.arxiv_id, r.version) for r in report.references] == [("2505.18673", 1)]
    assert report.stated == StatedCounts()


def test_malformed_rows_are_kept_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    text = TABLE + (
        "No confidence here.\t✓\n"
        "Unknown mark.\t?\t0.3\n"
        "Bad confidence.\t×\thigh\n"
        "not a row at all\n"
        "Last.\t✓\t0.9\n"
        "\nSome closing prose without tabs.\n"
    )
    with caplog.at_level(logging.WARNING, logger="synth.audit.parse"):
        report = parse_report_text(text, name="r.txt")
    assert [(c.index, c.text, c.mark, c.confidence) for c in report.claims] == [
        (1, "No confidence here.", True, None),
        (2, "Unknown mark.", None, 0.3),
        (3, "Bad confidence.", False, None),
        (4, "Last.", True, 0.9),
    ]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 4
    assert all(message.startswith("r.txt") for message in warned)
    assert any("line 7 is not a claims-table row" in message for message in warned)


def test_table_with_verdict_and_paper_columns_without_outer_pipes() -> None:
    text = (
        "T\n\n## 5 Extracted Claims\n\n"
        "Claim | Verdict | Confidence | Paper\n--- | --- | --- | ---\n"
        "A. | SUPPORTED | 0.2 | 2104.08645v2\nB. | REFUTED | 0.3 | arXiv:hep-th/9901001\n"
    )
    report = parse_report_text(text)
    assert report.layout == "markdown"
    assert [(c.mark, c.verdict, c.paper) for c in report.claims] == [
        (True, "SUPPORTED", "2104.08645v2"),
        (False, "REFUTED", "hep-th/9901001"),
    ]


def test_conflicting_stated_counts_prefer_results(caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "T\n\n2 Methodology\n\nSearch yielded 5 papers.\n\n3 Results\n\n6 papers retrieved.\n\n"
        + TABLE
        + "A.\t✓\t0.2\n"
    )
    with caplog.at_level(logging.WARNING, logger="synth.audit.parse"):
        report = parse_report_text(text)
    assert report.stated == StatedCounts(papers_retrieved=6)
    assert "states papers_retrieved as 5 and 6; using 6" in caplog.text


@pytest.mark.parametrize(
    ("text", "truncated"),
    [
        ("x" * 119 + ".", True),  # exactly 120, even with a full stop
        ("x" * 114 + " y", True),  # 116 without closing punctuation
        ("x" * 115, True),
        ("x" * 121, True),
        ("x" * 118 + ".", False),
        ("x" * 116 + '?")', False),
        ("x" * 114, False),
        ("Cut short…", True),
        ("Cut short...", True),
    ],
)
def test_truncation_rule(text: str, truncated: bool) -> None:
    report = parse_report_text(TABLE + f"{text}\t✓\t0.5\n")
    assert report.claims[0].truncated is truncated


def test_truncation_at_the_115_boundary() -> None:
    report = parse_report_text(TABLE + "".join(f"{'x' * n}\t✓\t0.5\n" for n in (114, 115, 116)))
    assert [c.truncated for c in report.claims] == [False, True, True]


def test_synth_json_report(tmp_path: Path) -> None:
    data = {
        "question": "Does intermediate training help?",
        "title": "JSON report",
        "papers": [
            {"arxiv_id": "2104.08645v2", "title": "Robust XLT", "authors": ["A"], "year": 2021},
            {"arxiv_id": "2005.13013", "version": 3, "title": "STILTs", "year": 2020},
            {"arxiv_id": "math.GT/0309136v1", "title": "Old style", "year": 2003},
        ],
        "claims": [
            {
                "text": "Robust training helps.",
                "paper": "2104.08645v2",
                "section": "Results",
                "page": 4,
                "verdict": "SUPPORTED",
                "confidence": 0.87,
                "evidence": [{"sentence": "It helps.", "score": 0.87}],
            },
            {"text": "It hurts.", "paper": "2005.13013", "verdict": "REFUTED", "confidence": 0.7},
            {"text": "Unclear. " * 20, "paper": None, "verdict": "NOT_ENOUGH_INFO"},
        ],
        "stats": {"papers_retrieved": 13, "claims_extracted": 3, "claims_verified": 1},
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    report = parse_report(path)
    assert report.layout == "json"
    assert (report.title, report.question) == ("JSON report", "Does intermediate training help?")
    assert [(c.index, c.mark, c.verdict, c.paper, c.confidence) for c in report.claims] == [
        (1, True, "SUPPORTED", "2104.08645v2", 0.87),
        (2, False, "REFUTED", "2005.13013", 0.7),
        (3, False, "NOT_ENOUGH_INFO", None, None),
    ]
    assert not any(c.truncated for c in report.claims)  # JSON keeps claims whole
    assert (report.listed_claims, report.listed_verified, report.listed_references) == (3, 1, 3)
    assert [(r.arxiv_id, r.version, r.title, r.url) for r in report.references] == [
        ("2104.08645", 2, "Robust XLT", "https://arxiv.org/abs/2104.08645v2"),
        ("2005.13013", 3, "STILTs", "https://arxiv.org/abs/2005.13013v3"),
        ("math.GT/0309136", 1, "Old style", "https://arxiv.org/abs/math.GT/0309136v1"),
    ]
    assert report.stated == StatedCounts(13, 3, 1, None)


def test_json_without_stats_or_papers() -> None:
    report = parse_report_text('{"claims": [{"text": "A.", "verdict": "supported"}]}')
    assert report.claims[0].mark is True and report.claims[0].verdict == "SUPPORTED"
    assert report.references == [] and report.stated == StatedCounts()


def test_module_docstring_example() -> None:
    result = doctest.testmod(parse_module)
    assert (result.attempted, result.failed) == (2, 0)


# --- errors --------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    message = one_line_error(parse_report, tmp_path / "nope.txt")
    assert "nope.txt does not exist" in message and "expected" in message


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in one_line_error(parse_report, tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    message = one_line_error(parse_report, path)
    assert "empty.txt is empty" in message and "expected" in message


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        bytes(range(128, 256)),
    ],
)
def test_binary_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "report.bin"
    path.write_bytes(content)
    message = one_line_error(parse_report, path)
    assert "report.bin is" in message and "expected" in message


def test_text_without_claims_table(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("A title\n\nAbstract\n\nNothing here.\n\n5 Extracted Claims\n\nNone.\n")
    message = one_line_error(parse_report, path)
    assert message.startswith(f"{path} has no claims table: expected a '5 Extracted Claims'")
    assert "Markdown table" in message and "JSON" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"claims": [', "is not valid JSON"),
        ('{"question": "q", "papers": []}', "not synth's report"),
        ("just one line", "has no claims table"),
        ("\x00\x01", "is binary"),
        ("   ", "is empty"),
    ],
)
def test_text_errors(text: str, fragment: str) -> None:
    assert fragment in one_line_error(parse_report_text, text)


def test_a_claim_too_long_to_be_one_claim_is_refused():
    from synth.audit.parse import MAX_CLAIM_CHARS

    long_claim = "BERT improves results. " * (MAX_CLAIM_CHARS // 20)
    text = (
        "# Report\n\n| # | Claim | Verified | Confidence |\n|---|---|---|---|\n"
        f"| 1 | {long_claim} | ✓ | 0.9 |\n\n## References\n1. https://arxiv.org/abs/1810.04805\n"
    )
    with pytest.raises(ReportParseError, match="longer than"):
        parse_report_text(text)
