"""Fuzzing the parsers that read text synth did not write: reports, figures, sentences.

A fixed budget keeps CI time flat and results reproducible: each test runs a set number of
examples, derandomised (the same examples every run), with no per-example deadline (the
machine may be busy). A failure prints the smallest input that breaks the property.
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from synth.audit.parse import ParsedReport, parse_report_text
from synth.errors import ReportParseError

from conftest import ROOT

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PLANTED = (ROOT / "tests" / "fixtures" / "planted_report.txt").read_text(encoding="utf-8")
GOLDEN_JSON = json.loads((ROOT / "tests" / "golden" / "report" / "report.json").read_text())

# Numbers a hostile or broken report may hold; json.dumps writes NaN/Infinity as Python does.
weird_numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e400, -1e400, 2**63, -(2**63) - 1, 0.5, -1]),
)
json_leaves = st.one_of(st.none(), st.booleans(), weird_numbers, st.text(max_size=40))
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


def _parses_or_refuses(text: str) -> ParsedReport | None:
    """The importer's contract: a ParsedReport, or ReportParseError; never anything else."""
    try:
        report = parse_report_text(text, name="fuzz")
    except ReportParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert isinstance(report, ParsedReport)
    for value in vars(report.stated).values():
        assert value is None or (isinstance(value, int | float) and math.isfinite(value))
    return report


@FUZZ
@given(st.text(max_size=2000))
@example("{")
@example('{"claims": []}')
@example('{"claims": [], "stats": {"papers_found": NaN, "claims": 1e400}}')
def test_any_text_parses_or_is_refused_in_one_line(text):
    _parses_or_refuses(text)


@FUZZ
@given(
    stats=st.dictionaries(
        st.sampled_from(["papers_found", "papers_read", "claims", "quality_score", "supported"]),
        weird_numbers,
    ),
    claim=st.dictionaries(
        st.sampled_from(["text", "verdict", "confidence", "paper", "ref", "page", "evidence"]),
        json_values,
    ),
    papers=json_values,
)
def test_synth_json_with_hostile_values(stats, claim, papers):
    document = {**GOLDEN_JSON, "stats": stats, "papers": papers}
    document["claims"] = [*GOLDEN_JSON["claims"][:2], claim]
    _parses_or_refuses(json.dumps(document))


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(PLANTED)),
    noise=st.text(max_size=80),
    at=st.integers(min_value=0, max_value=len(PLANTED)),
)
def test_damaged_text_report(cut, noise, at):
    """The planted report truncated anywhere, with noise spliced in anywhere."""
    damaged = PLANTED[:cut]
    at = min(at, len(damaged))
    _parses_or_refuses(damaged[:at] + noise + damaged[at:])


# --- figures and sentences ------------------------------------------------------------------

figure_text = st.text(
    alphabet=st.sampled_from(list("0123456789.,-−–+eExX×^{}%()[] kKMBmsgh ofuntime")),
    max_size=120,
) | st.text(max_size=200)


@pytest.fixture(scope="module")
def figures():
    return pytest.importorskip("synth.figures")


@FUZZ
@given(text=figure_text, other=figure_text)
@example(text="1e400 times 10^999 and -0.5-0.3 k", other="5,000,000,000M")
def test_figures_parse_anything_into_consistent_spans(figures, text, other):
    found = figures.parse(text)
    previous_end = 0
    for figure in found:
        assert previous_end <= figure.start < figure.end <= len(text)
        previous_end = figure.end
        assert isinstance(figure.value, float | int)
    assert figures.status(text, other) in (figures.OK, figures.MISSING, figures.DIFFERS)
    assert figures.status(text, text) == figures.OK or any(math.isnan(f.value) for f in found)
    masked = figures.mask(text)
    assert isinstance(masked, str)
    figures.changes(text, other)


@FUZZ
@given(st.text(max_size=600))
@example("Fig. 2. e.g. It works.\n\n(Devlin et al., 2019). A")
def test_sentence_spans_are_ordered_trimmed_and_inside_the_text(text):
    from synth.extract.sentences import split_spans

    previous_end = 0
    for start, end in split_spans(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
