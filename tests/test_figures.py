"""The figure parser on sentences as papers write them (quoted from the shared arXiv PDFs)."""

from __future__ import annotations

import pytest

from synth import figures
from synth.figures import DIFFERS, MISSING, OK


def displays(text: str) -> list[str]:
    return [f.display for f in figures.parse(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # 1602.03483
        ("The NMT models were trained for 72 hours.", [("72 hours", 72 * 3600, "time")]),
        (
            "The S(D)AE models were trained for one epoch (≈ 8 days).",
            [("8 days", 8 * 86400, "time")],
        ),
        # 1703.03130
        (
            "SNLI is a collection of 570k human-written English sentence pairs manually labeled.",
            [("570k", 570e3, "number")],
        ),
        (
            "It consists of 2.7M yelp reviews, we take the review as input.",
            [("2.7M", 2.7e6, "number")],
        ),
        # 1702.03859
        (
            "identifying the translation of an English sentence from a bag of 200k Italian "
            "candidate sentences with 68% precision.",
            [("200k", 200e3, "number"), ("68%", 68.0, "percent")],
        ),
        # 1710.04087: a matrix size is two figures, not one
        ("the mapping W has size 300×300.", [("300", 300, "number"), ("300", 300, "number")]),
    ],
)
def test_real_sentences(sentence, expected):
    got = [(f.display, f.value, f.kind) for f in figures.parse(sentence)]
    assert [(d, k) for d, _, k in got] == [(d, k) for d, _, k in expected]
    assert [v for _, v, _ in got] == pytest.approx([v for _, v, _ in expected])


def test_names_pointers_citations_and_years_are_not_figures():
    text = (
        "GPT-2 and ResNet-50 (Devlin et al., 2019) in Table 2 and Section 3.1 reach [12] "
        "on WMT'16 and WMT 2014 in 2018, as in the 1990s."
    )
    assert displays(text) == []


def test_four_digit_numbers_are_years_only_where_they_read_as_years():
    assert displays("We use 2048 hidden units.") == ["2048"]
    assert displays("Since 2017, transformers dominate.") == []


def test_scales_ratios_scientific_notation_negatives_and_ranges():
    text = "With a learning rate of 1e-4 over 10k steps it is 3x faster, a change of -2.1 points."
    values = [f.value for f in figures.parse(text)]
    assert values == pytest.approx([1e-4, 10e3, 3.0, -2.1])
    (r,) = figures.parse("latency of 5-10 ms")
    assert (r.value, r.upper) == pytest.approx((0.005, 0.010))


def test_units_are_converted_before_comparing():
    assert figures.status("training takes about 30 minutes", "training takes 0.5 h") == OK
    assert figures.status("trained in about 5 minutes", "trained in ~5 seconds") == DIFFERS
    assert figures.status("The NMT models were trained for 72 hours.", "trained for 3 days") == OK


def test_precision_of_the_claim_decides_a_match():
    assert figures.status("improves by more than 9 BLEU", "improving by 9.4 BLEU") == OK
    assert figures.status("reaches 41.8 BLEU", "reaches 38.1 BLEU on WMT") == DIFFERS


def test_a_figure_rounded_either_way_is_the_same_figure():
    # 1702.03859 states one result as "67.8% precision" (p. 8) and "68% precision" (p. 2)
    claim = "we are able to retrieve the correct translation with 67.8% precision."
    evidence = "identifying the translation of an English sentence with 68% precision."
    assert figures.status(claim, evidence) == OK
    assert figures.status(evidence, claim) == OK
    assert figures.status(claim, "identifying the translation with 61% precision.") == DIFFERS


def test_a_count_of_things_is_not_a_score():
    # 1906.08237: the abstract's task counts and the SQuAD section's F1 gains are not one figure
    claim = "XLNet outperforms BERT on 20 tasks and achieves state-of-the-art results on 18 tasks."
    assert [f.kind for f in figures.parse(claim)] == ["count", "count"]
    evidence = "XLNet substantially outperforms BERT by 3.6 and 7.0 points in F1 for v1.1 and v2.0."
    assert figures.status(claim, evidence) == MISSING
    assert figures.status(claim, "XLNet wins on 18 of 20 tasks.") == OK
    assert figures.status(claim, "XLNet beats BERT on 12 tasks, the best on 10 tasks.") == DIFFERS


def test_fewer_figures_in_the_evidence_is_missing_detail():
    claim = "XLNet wins on 18 tasks: 7 GLUE, 3 reading, 7 classification."
    assert figures.status(claim, "XLNet wins on 18 of 20 tasks.") == MISSING
    assert figures.status("It reaches 68% precision.", "It reaches a high precision.") == MISSING


def test_changes_name_what_a_copy_altered():
    source = "Training took 3.5 days on eight GPUs and reached 41.8 BLEU."
    assert figures.changes(source, source) == []
    assert figures.changes(
        source, "Training took 3.5 days on eight GPUs and reached 38.1 BLEU."
    ) == [("41.8", "38.1")]
    assert figures.changes(
        source, "Training took 3.5 hours on eight GPUs and reached 41.8 BLEU."
    ) == [("3.5 days", "3.5 hours")]
