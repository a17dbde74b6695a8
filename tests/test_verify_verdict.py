"""Verdict rules: figures, thresholds, and confidences that agree with the verdict."""

from __future__ import annotations

import pytest

from synth import figures
from synth.verify.evidence import Passage
from synth.verify.model import NliScores
from synth.verify.verdict import (
    FIGURES_CONFLICT,
    FIGURES_DIFFER,
    FIGURES_MISSING,
    FIGURES_OK,
    NOT_ENOUGH_INFO,
    REFUTED,
    SUPPORTED,
    ScoredEvidence,
    Thresholds,
    adjust,
    decide,
    figure_status,
)

CLAIM = "BERT obtains a GLUE score of 80.5%, a 7.7% absolute improvement."


def evidence(e, n, c, *, figures=FIGURES_OK, same=0.0, cross=False, sim=0.8, text="evidence"):
    raw = NliScores(e, n, c)
    return ScoredEvidence(
        passage=Passage(text, 1, "1810.04805", 3),
        raw=raw,
        scores=adjust(raw, figures, same),
        similarity=sim,
        figures=figures,
        cross_paper=cross,
    )


def test_numbers_ignores_years_names_and_citations():
    text = (
        "In 2018, GPT-2 and BERT [12] reached 80.5% on GLUE with 340M parameters and 1,000 steps."
    )
    assert {f.value for f in figures.parse(text)} == {80.5, 340e6, 1000.0}


def test_figure_status():
    changed = "BERT obtains a GLUE score of 85.1%, a 7.7% absolute improvement."
    assert figure_status(changed, CLAIM) == FIGURES_DIFFER
    assert figure_status(CLAIM, CLAIM) == FIGURES_OK
    assert figure_status(CLAIM, "BERT obtains a high GLUE score.") == FIGURES_MISSING
    assert figure_status("BERT is bidirectional.", CLAIM) == FIGURES_OK
    # Rounded in the claim, exact in the evidence: the same figure.
    assert figure_status("BERT gains more than 9 points.", "BERT gains 9.1 points.") == FIGURES_OK
    assert (
        figure_status(
            "XLNet wins on 18 tasks: 7 GLUE, 3 reading, 7 classification.",
            "XLNet wins on 18 of 20 tasks.",
        )
        == FIGURES_MISSING
    )


def test_masking_leaves_only_the_statement():
    assert figures.mask(CLAIM) == "BERT obtains a GLUE score of N, a N absolute improvement."


def test_conflict_turns_same_statement_into_contradiction():
    s = adjust(NliScores(0.8, 0.15, 0.05), FIGURES_CONFLICT, same_statement=0.9)
    assert s.entailment == 0 and s.contradiction == pytest.approx(0.9)
    assert s.label == "contradiction"


@pytest.mark.parametrize("status", [FIGURES_MISSING, FIGURES_DIFFER])
def test_unattested_figures_cannot_entail(status):
    s = adjust(NliScores(0.8, 0.15, 0.05), status)
    assert s.entailment == 0 and s.neutral == pytest.approx(0.95)
    assert s.contradiction == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ((0.9, 0.05, 0.05), SUPPORTED),
        ((0.05, 0.1, 0.85), REFUTED),
        ((0.4, 0.5, 0.1), NOT_ENOUGH_INFO),
        ((0.55, 0.0, 0.45), NOT_ENOUGH_INFO),
    ],
)
def test_decide_by_thresholds(scores, verdict):
    result = decide([evidence(*scores), evidence(0.1, 0.8, 0.1)], Thresholds(0.6, 0.6))
    assert result.verdict == verdict


DISTRIBUTIONS = [
    (e, c) for e in (0.0, 0.3, 0.6, 0.61, 0.99) for c in (0.0, 0.3, 0.6, 0.99) if e + c <= 1
]


@pytest.mark.parametrize(("e", "c"), DISTRIBUTIONS)
def test_confidence_agrees_with_verdict(e, c):
    result = decide([evidence(e, 1 - e - c, c)], Thresholds(0.6, 0.6))
    if result.verdict in (SUPPORTED, REFUTED):
        assert result.confidence >= 0.5
    if result.verdict == SUPPORTED:
        assert result.confidence == pytest.approx(e)
    if result.verdict == REFUTED:
        assert result.confidence == pytest.approx(c)
    if result.verdict == NOT_ENOUGH_INFO:
        assert result.confidence == pytest.approx(1 - max(e, c))


def test_changed_number_is_refuted_even_when_the_model_says_entailment():
    conflict = evidence(0.95, 0.03, 0.02, figures=FIGURES_CONFLICT, same=0.93)
    result = decide([conflict], Thresholds(0.6, 0.6))
    assert result.verdict == REFUTED
    assert "different figures" in result.reason


def test_cross_paper_support_is_reported():
    result = decide([evidence(0.9, 0.05, 0.05, cross=True)], Thresholds())
    assert result.verdict == SUPPORTED and "another paper" in result.reason


def test_no_candidates_is_not_enough_info():
    assert decide([], Thresholds()).verdict == NOT_ENOUGH_INFO


def test_a_verdicts_confidence_is_rounded_as_it_will_be_stored():
    """0.674963 shows as 0.67 but was stored as 0.675 (shown 0.68): a report and its rebuild
    from the database must show the same figure."""
    from synth.verify.verdict import Verdict

    assert Verdict("supported", 0.674963, "entailed").confidence == 0.675


def test_evidence_is_shown_with_its_probability_rounded_as_it_will_be_stored():
    """The same for an evidence sentence's probability (0.594996 would show as 0.59 in the
    report and as 0.60 once rebuilt from the database)."""
    e = evidence(0.594996, 0.2, 0.205004)
    assert e.shown_for(SUPPORTED) == ("entailment", 0.595, False)
