"""Claim-level verification: tiers, same-subject contradiction, the decision, eval-claims."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.errors import ConfigError
from synth.verify.claim_eval import (
    expected_calibration_error,
    gold_label,
    read_claims,
    read_corpus,
)
from synth.verify.decision import features, refute_strength, support_strength
from synth.verify.evidence import Passage
from synth.verify.model import NliScores
from synth.verify.tiers import (
    BODY,
    CITATION,
    CROSS_PAPER,
    RESTATEMENT,
    SAME_PAPER,
    SOURCE,
    cites_other_work,
    subject_overlap,
    tier_of,
)
from synth.verify.verdict import (
    FIGURES_CONFLICT,
    FIGURES_OK,
    NOT_ENOUGH_INFO,
    REFUTED,
    ScoredEvidence,
    Thresholds,
    decide,
)

from conftest import NLI, need

CLAIM = "XLM obtains 75.1% accuracy on XNLI, a new state of the art."


def scored(text, e, n, c, *, tier, subject=1.0, sim=0.8, own=False, figures=FIGURES_OK):
    raw = NliScores(e, n, c)
    return ScoredEvidence(
        passage=Passage(text, 1, "1901.07291", 3),
        raw=raw,
        scores=raw,
        similarity=sim,
        figures=figures,
        cross_paper=tier == CROSS_PAPER,
        premise=text,
        tier=tier,
        subject=subject,
        own_paper=own,
    )


def test_tiers_tell_restatements_citations_and_body_apart():
    abstract = "XLM obtains 75.1% accuracy on XNLI, a new state of the art."
    conclusion = "We showed that XLM obtains 75.1% accuracy on XNLI, a new state of the art."
    assert tier_of(CLAIM, "1901.07291", conclusion, "1901.07291", "body 7 Conclusion", 0.95) == (
        RESTATEMENT
    )
    results = "Table 2 shows XLM at 75.1 on XNLI against 71.5 for the previous best."
    assert tier_of(CLAIM, "1901.07291", results, "1901.07291", "body 5 Results", 0.6) == BODY
    assert tier_of(CLAIM, "1901.07291", results, "1901.07291", "abstract Abstract", 0.6) == (
        SAME_PAPER
    )
    citing = "XLM (Lample and Conneau, 2019) obtains 75.1% on XNLI."
    assert cites_other_work(citing)
    assert tier_of(CLAIM, "1901.07291", citing, "1911.02116", "body", 0.9) == CITATION
    assert tier_of(CLAIM, "1901.07291", abstract, "1911.02116", "body", 0.9) == CROSS_PAPER
    # a sentence claim extraction grouped with the claim is a restatement, in whatever words
    intro = "A key contribution of our work is a new objective that improves XNLI accuracy."
    assert tier_of(CLAIM, "1901.07291", intro, "1901.07291", "body 1 Introduction", 0.6) == (
        SAME_PAPER
    )
    assert (
        tier_of(CLAIM, "1901.07291", intro, "1901.07291", "body 1 Introduction", 0.6, listed=True)
        == RESTATEMENT
    )


def test_a_restatement_never_supports_and_another_subject_never_refutes():
    restated = scored(CLAIM, 0.99, 0.01, 0.0, tier=RESTATEMENT)
    assert support_strength(restated) == 0.0
    other = "Mikolov et al. report a word translation precision of 33.8% on EN-ES."
    assert subject_overlap(CLAIM, other) == 0.0
    unrelated = scored(other, 0.02, 0.1, 0.88, tier=CITATION, subject=0.0)
    assert refute_strength(unrelated) == 0.0
    same = scored("XLM reaches 71.5% on XNLI.", 0.02, 0.1, 0.88, tier=SAME_PAPER)
    cross = scored("XLM reaches 71.5% on XNLI.", 0.02, 0.1, 0.88, tier=CROSS_PAPER)
    assert refute_strength(cross) < refute_strength(same) == pytest.approx(0.88)
    f = features(CLAIM, [restated, unrelated])
    assert f["support"] == pytest.approx(0.02)  # only the unrelated sentence's entailment
    assert f["refute"] == 0.0 and f["restated"] == 1.0


def test_a_paper_never_refutes_its_own_claim():
    """The NLI model reads some paraphrases as contradictions ("transfer learning using sentence
    embeddings tends to outperform word level transfer" against "the sentence level embeddings
    surpass ... word level embeddings alone"), and figures of two settings as a conflict."""
    paraphrase = scored(
        "XLM sets a new state of the art on XNLI.", 0.1, 0.1, 0.8, tier=BODY, own=True
    )
    assert not paraphrase.can_refute and refute_strength(paraphrase) == 0.0
    other_setting = scored(
        "XLM obtains 71.5% accuracy on XNLI zero-shot.",
        0.0,
        0.2,
        0.8,
        tier=BODY,
        own=True,
        figures=FIGURES_CONFLICT,
    )
    assert refute_strength(other_setting) == 0.0
    audited = scored("XLM sets a new state of the art on XNLI.", 0.1, 0.1, 0.8, tier=SOURCE)
    assert refute_strength(audited) == pytest.approx(0.8)  # a cited source may refute a report
    cross = scored("XLM does not improve on XNLI.", 0.1, 0.1, 0.8, tier=CROSS_PAPER)
    assert cross.can_refute
    thresholds = Thresholds(support=0.6, refute=0.6)
    assert decide([paraphrase, other_setting], thresholds).verdict == NOT_ENOUGH_INFO
    assert decide([paraphrase, audited], thresholds).verdict == REFUTED
    f = features(CLAIM, [paraphrase])
    assert f["refute"] == 0.0 and f["raw_contradiction"] == pytest.approx(0.8)


def test_another_paper_supports_only_a_claim_about_its_subject():
    # 1803.11175 "supported" by 1506.06726 in a default report before the rule
    claim = "Our results demonstrate that DANs achieve strong baseline performance on text tasks."
    other = "Tuning the representations, even on small datasets, is likely to perform better."
    assert support_strength(scored(other, 0.8, 0.1, 0.1, tier=CROSS_PAPER, subject=0.0)) == 0.0
    about = "DANs are strong baselines for text classification."
    assert support_strength(scored(about, 0.8, 0.1, 0.1, tier=CROSS_PAPER)) == pytest.approx(0.8)
    # within the claim's own paper the subject is the paper's: no names needed
    assert support_strength(scored(other, 0.8, 0.1, 0.1, tier=BODY, subject=0.0)) == 0.8
    assert subject_overlap(claim, other) == 0.0


def test_expected_calibration_error():
    assert expected_calibration_error([0.9] * 10, [True] * 9 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.9] * 10, [False] * 10) == pytest.approx(0.9)


def test_gold_labels_follow_scifact():
    evidence = {"12": [{"sentences": [1], "label": "SUPPORT"}], "13": [{"label": "CONTRADICT"}]}
    assert gold_label(evidence, "12") == "SUPPORTED"
    assert gold_label(evidence, "13") == "REFUTED"
    assert gold_label(evidence, "14") == "NOT_ENOUGH_INFO"
    with pytest.raises(ConfigError):
        gold_label({"1": [{"label": "MAYBE"}]}, "1")


@pytest.fixture(scope="module")
def scifact_slice(tmp_path_factory):
    """Ten real SciFact training claims and the abstracts they cite."""
    root = need(NLI / "scifact")
    claims = [json.loads(line) for line in (root / "claims_train.jsonl").open()][:10]
    wanted = {str(d) for c in claims for d in c["cited_doc_ids"]}
    corpus = [
        line for line in (root / "corpus.jsonl").open() if str(json.loads(line)["doc_id"]) in wanted
    ]
    folder = tmp_path_factory.mktemp("scifact")
    (folder / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    (folder / "corpus.jsonl").write_text("".join(corpus))
    return folder, claims


def test_read_claims_pairs_each_claim_with_each_cited_document(scifact_slice):
    folder, claims = scifact_slice
    units = read_claims(folder / "claims.jsonl", read_corpus(folder / "corpus.jsonl"))
    assert len(units) == sum(len(c["cited_doc_ids"]) for c in claims)
    assert all(u.sentences for u in units)


@pytest.mark.slow
def test_eval_claims_end_to_end(scifact_slice):
    folder, _ = scifact_slice
    result = CliRunner().invoke(
        app, ["eval-claims", str(folder / "claims.jsonl"), "--corpus", str(folder / "corpus.jsonl")]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) == {"n", "accuracy", "macro_f1", "ece", "claims_per_s"}
    assert summary["n"] == len(
        read_claims(folder / "claims.jsonl", read_corpus(folder / "corpus.jsonl"))
    )
    assert 0.0 <= summary["ece"] <= 1.0 and summary["claims_per_s"] > 0
    assert any(line.startswith("confusion") for line in lines)


def test_eval_claims_names_a_missing_document(tmp_path):
    (tmp_path / "corpus.jsonl").write_text('{"doc_id": 1, "title": "t", "abstract": ["A."]}\n')
    (tmp_path / "claims.jsonl").write_text('{"id": 1, "claim": "c", "cited_doc_ids": [2]}\n')
    with pytest.raises(ConfigError, match="cites 2, not in corpus"):
        read_claims(tmp_path / "claims.jsonl", read_corpus(tmp_path / "corpus.jsonl"))
