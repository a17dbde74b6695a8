"""Claim extraction on the real shared PDFs: whole sentences, the papers' central findings."""

from __future__ import annotations

import numpy as np
import pytest
from sqlmodel import Session, select

from synth.claims import (
    about_others,
    classify,
    decontextualise,
    extract_claims,
    is_claim_shaped,
    looks_garbled,
    model_name,
)
from synth.embed import embed
from synth.store.models import Paper
from synth.store.papers import paper_sentences


def test_model_name_from_title_or_abstract():
    assert model_name("BERT: Pre-training of Deep Bidirectional Transformers", "") == "BERT"
    abstract = "We introduce a new type of deep contextualized word representation (ELMo) that..."
    assert model_name("Deep contextualized word representations", abstract) == "ELMo"
    assert model_name("The Ubuntu Dialogue Corpus", "This paper introduces a dataset.") is None


def test_decontextualise_names_the_model_and_keeps_the_rest():
    text = "Our model outperforms the previous best system by 4 points."
    assert (
        decontextualise(text, "XLNet") == "XLNet outperforms the previous best system by 4 points."
    )
    assert decontextualise(text, None) == text
    # where the paper shows it is not part of the claim (1710.04087, 1905.03197)
    assert (
        decontextualise("In Table 1, we observe that our method even outperforms a baseline.", "X")
        == "X even outperforms a baseline."
    )
    assert decontextualise("As shown in Table 9, fastText helps.", None) == "fastText helps."
    assert decontextualise("Table 2 lists the results.", None) == "Table 2 lists the results."


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("BERT obtains a GLUE score of 80.5%, a 7.7% absolute improvement.", "result"),
        (
            "We show that pre-trained representations reduce the need for engineered models.",
            "finding",
        ),
        ("We introduce a new language representation model called BERT.", "contribution"),
        ("The weather in the experiments was pleasant throughout the summer.", None),
    ],
)
def test_classify(sentence, kind):
    assert classify(sentence)[0] == kind


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Language model pre-training has shown to be effective (Dai and Le, 2015).", True),
        ("Smith et al. (2017) found that dropout helps small models.", True),
        ("Earlier systems relied on bilingual lexicons [12, 14].", True),
        ("We outperform the model of Peters et al. (2018) by 2 points.", False),
        ("BERT improves on ELMo (Peters et al., 2018) on all tasks.", False),
        ("Pre-training helps on all eleven tasks.", False),
        # A figure of the paper's, then the cited result it beats (1802.05365).
        (
            "A five member ensemble pushes the overall accuracy to 89.3%, exceeding the "
            "previous ensemble best of 88.9% (Gong et al., 2018).",
            False,
        ),
        ("ELMo (Peters et al., 2018) reaches 85.8%, exceeding CoVe.", True),
        # a figure before the cited work's comparison may be theirs too: still theirs
        ("ELMo improves over CoVe by 2 points and outperforms GPT (Radford et al., 2018).", True),
        ("Pre-trained models have been shown to outperform baselines (Dai and Le, 2015).", True),
        # A cited work as the subject: theirs despite "our", unless "we" follows (1902.01718,
        # 1801.06146).
        (
            "Most relevant to our task, Nogueira and Cho (2019) showed impressive gains in "
            "using BERT for query-based passage reranking.",
            True,
        ),
        (
            "While Loshchilov and Hutter (2017) use multiple annealing cycles, we generally "
            "found one cycle to work best.",
            False,
        ),
    ],
)
def test_sentences_about_cited_work_are_not_the_papers_claims(sentence, expected):
    assert about_others(sentence, "BERT") is expected


@pytest.mark.parametrize(
    "text",
    [
        "We observe that sentence level transfer learning can achieve surprisingly good task Model "
        "SST 1k SST 2k SST 4k Sentence & Word Embedding Transfer Learning Baselines.",
        "In Table 3, we also observe a strong gain in accuracy SemEval 2017 en-es en-de Table 4: "
        "Cross-lingual wordsim task.",
        "Machine translation baselines 81.9 - 77.8 75.9 - - 70.7 76.6 61.6 were reported.",
        "The best scores are highlighted in bold. but this approach is still limited to short "
        "documents.",
        "64.1% Multiple sentence reasoning There is anaphora, or higher-level fusion of multiple "
        "sentences is required.",
        # 1602.03483 in the default report: a caption's tail joined to the next sentence
        "Models are grouped according to training data as indicated in Table 3. this may be a "
        "more important trait of FastSent than the marginal improvement on the SICK task.",
        # 1506.06726 and 1710.04087: a caption ending in ")" or a symbol, then a sentence's tail
        "Med r is the median rank (low is good). when other features are used, recursive nets "
        "with dynamic pooling works better.",
        "Their results are marked with the symbol \u2020. provides a strong and robust gain in "
        "performance across all language pairs, with up to 7.2% in en-eo.",
        # 1710.04087 in the default report: the break falls before a parenthesis
        "The quality of the generated dictionary has a significant impact on the BLEU score. "
        "(up to 15%) on sentence retrieval using bag-of-words embeddings, which is consistent "
        "with the gain observed on the word retrieval task.",
        # 1702.03859 in the default report: a table's column headers run into its note
        "Precision Mikolov et al. Dinu et al. CCA SVD + inverted softmax + dimensionality "
        "reduction reduction following CCA, to enable a fair comparison with our SVD procedure.",
        # 1506.08909, 1611.01603, 1704.00051 in a question-answering report: a word hyphenated
        # at a column's end, an error-analysis table, a table's legend
        "This is in contrast to recent systems using a slot-filling represen-We observe that "
        "fundamental breakthroughs have been achieved.",
        'Prediction: "Super Bowl 50", Answer: "L" Multi-sentence 2 Context: "Over the next '
        'several years the network was enhanced."',
        "Top-1 exact-match accuracy (in %, using SQuAD eval script). +Fine-tune (DS): Document "
        "Reader models trained on SQuAD and fine-tuned on each DS training set.",
    ],
)
def test_text_with_tables_spliced_in_is_garbled(text):
    assert looks_garbled(text)


def test_ordinary_sentences_are_not_garbled():
    assert not looks_garbled("Table 2 shows that BERT outperforms ELMo by 4.5 points on GLUE.")
    assert not looks_garbled("We use the Adam optimizer with a learning rate of 0.001.")
    assert not looks_garbled("As shown in Table 3, the gain is 2.5. It holds on all sets.")
    # a stop after an abbreviation or initials is not a sentence break
    assert not looks_garbled("Unlike Peters et al. the model is fine-tuned, i.e. end to end.")
    assert not looks_garbled("Contextual models (e.g. ELMo, approx. 94M parameters) help.")
    assert not looks_garbled("The U.S. team reports results similar to ours.")
    assert not looks_garbled("The results are strong... but the gains vary across tasks.")
    assert not looks_garbled("A state-of-the-art model on non-English data reaches 70.0% EM.")
    # a cited year in parentheses, and authors cited with their years, are prose
    assert not looks_garbled("We follow Lample et al. (2018b) and Conneau et al. (2018a) here.")
    assert not looks_garbled("It matches prior work (see Dinu et al. and Smith et al., 2017).")
    assert not looks_garbled("It uses the method of Smith et al. (2017) in Section 4.")


def test_fragments_are_not_claims():
    assert not is_claim_shaped("and the results in Table 2")
    assert not is_claim_shaped("Does pretraining help transfer across languages in practice?")
    assert not is_claim_shaped("x = W h + b , y = softmax ( x ) , z = 0.5 * y + 1 .")


def test_a_sentence_may_open_with_a_name_written_in_lower_case():
    assert is_claim_shaped("fastText and StarSpace are both efficient compared to deep models.")
    assert not is_claim_shaped("and fastText and StarSpace are both efficient compared to CNNs.")


CENTRAL = {
    # arXiv id: words of a central finding stated in the paper's abstract
    "1810.04805": ("eleven", "state-of-the-art"),
    "1901.07291": ("XNLI", "4.9%"),
    "1802.05365": ("six", "challenging NLP problems"),
    "1801.06146": ("18-24%", "six text classification tasks"),
    "1906.08237": ("20 tasks", "BERT"),
}


def _paper_claims(session, settings, arxiv_id: str):
    """A stored paper's sentences and the claims a report extracts from them (no question)."""
    paper = session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).one()
    rows = paper_sentences(session, [paper.id])[paper.id]
    claims = extract_claims(
        rows,
        title=paper.title,
        abstract=paper.abstract,
        embed_fn=embed,
        question_vector=None,
        limit=settings.claims.max_per_paper,
        dedup_threshold=settings.claims.dedup_threshold,
    )
    return rows, claims


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(CENTRAL))
def test_central_findings_are_extracted_as_whole_sentences(corpus_db, arxiv_id):
    settings, engine = corpus_db
    with Session(engine) as session:
        rows, claims = _paper_claims(session, settings, arxiv_id)
    assert 3 <= len(claims) <= settings.claims.max_per_paper
    texts = {r.text for r in rows}
    for c in claims:
        assert c.original in texts  # a sentence of the paper, exactly, never cut
        assert c.sentence.section_kind != "references"
        assert c.original[0].isupper() and c.original.rstrip().endswith((".", "!"))
    words = CENTRAL[arxiv_id]
    assert any(all(w in c.original for w in words) for c in claims), [c.original for c in claims]
    vectors = embed([c.original for c in claims])
    sims = vectors @ vectors.T
    assert (sims[~np.eye(len(claims), dtype=bool)] < 0.95).all()  # near-duplicates merged


@pytest.mark.slow
def test_restatements_listed_are_plausible_claims_each_listed_once(corpus_db):
    """1702.03859 prints "We set ns = 12800 in the inverted softmax." three times; a set-up
    detail that shares a finding's words is no restatement of it, nor is one sentence worth
    listing twice."""
    from synth.claims import claim_probabilities, introduction, model_name
    from synth.claims.pair_model import load_restatement_floor

    settings, engine = corpus_db
    with Session(engine) as session:
        rows, claims = _paper_claims(session, settings, "1702.03859")
        paper = session.exec(select(Paper).where(Paper.arxiv_id == "1702.03859")).one()
    assert sum(r.text == "We set ns = 12800 in the inverted softmax." for r in rows) >= 2
    listed = [r for c in claims for r in c.restatements]
    assert listed
    assert not any("We set ns" in r.text for r in listed)
    texts = [" ".join(r.text.lower().split()) for r in listed]
    assert len(texts) == len(set(texts))
    p = claim_probabilities(rows, model_name(paper.title, paper.abstract, introduction(rows)))
    by_id = {row.id: p.get(i, 0.0) for i, row in enumerate(rows)}
    kept = {c.sentence.id for c in claims}
    floor = load_restatement_floor()
    assert 0.0 < floor < 0.5
    # restatements found among the sentences the classifier did not keep reach the floor
    # (those it kept and grouped reach its threshold)
    assert all(by_id[r.sentence_id] >= floor for r in listed if r.sentence_id not in kept)


@pytest.mark.slow
def test_model_named_in_the_introduction_is_the_papers_name(corpus_db):
    """ELMo's abstract never says "ELMo" ("we call them ELMo" is in the introduction); a
    sentence naming it is the paper's own though it cites what it beats. The Ubuntu corpus
    paper names no model of its own."""
    from synth.claims import introduction

    _settings, engine = corpus_db
    with Session(engine) as session:
        papers = {p.arxiv_id: p for p in session.exec(select(Paper)).all()}
        rows = paper_sentences(session, [p.id for p in papers.values()])
    names = {
        a: model_name(p.title, p.abstract, introduction(rows[p.id])) for a, p in papers.items()
    }
    assert model_name(papers["1802.05365"].title, papers["1802.05365"].abstract) is None
    assert (names["1802.05365"], names["1404.2188"], names["1509.00685"]) == (
        "ELMo",
        "DCNN",
        "ABS",
    )
    assert names["1506.08909"] is None
    beats = "Where comparisons are possible, ELMo outperforms CoVe (McCann et al., 2017)."
    assert about_others(beats, None) and not about_others(beats, names["1802.05365"])


@pytest.mark.slow
def test_subsections_take_their_top_level_sections_role(corpus_db):
    """BERT's "2.1 Feature-based Approaches" is related work (never claims); StarSpace's run-in
    "Text Classification" heading sits in "4 Experiments" (results, not method)."""
    from synth.claims import eligible, section_category

    _settings, engine = corpus_db
    with Session(engine) as session:
        ids = dict(session.exec(select(Paper.arxiv_id, Paper.id)).all())
        rows = paper_sentences(session, [ids["1810.04805"], ids["1709.03856"]])
    bert = [r for r in rows[ids["1810.04805"]] if r.section == "Feature-based Approaches"]
    assert bert and {r.parent for r in bert} == {"Related Work"}
    assert not any(eligible(r, "BERT") for r in bert)
    star = [r for r in rows[ids["1709.03856"]] if r.section == "Text Classification"]
    assert star and {r.parent for r in star} == {"Experiments"}
    assert {section_category(r.section, r.section_kind, r.parent) for r in star} == {"results"}
    top = [r for r in rows[ids["1709.03856"]] if r.section == "Introduction"]
    assert top and {r.parent for r in top} == {""}


@pytest.mark.slow
def test_key_findings_of_untouched_papers_are_found(corpus_db):
    """The findings a reader wrote down from the PDFs (tests/fixtures/key_findings.json) are
    among a paper's claims (or listed on one as restatements), on the papers the claim
    classifier never saw; training/measure_key_findings.py gives the full figures."""
    import json
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "training"))
    from claims_classifier import test_paper
    from measure_key_findings import score_paper

    settings, engine = corpus_db
    findings = json.loads((root / "tests" / "fixtures" / "key_findings.json").read_text())
    rows = []
    with Session(engine) as session:
        for arxiv_id in sorted(a for a in findings["papers"] if test_paper(a)):
            _, claims = _paper_claims(session, settings, arxiv_id)
            rows += score_paper(claims, findings["papers"][arxiv_id])
    found = sum(r["found"] for r in rows)
    assert len(rows) == 24 and found >= 18, [r["gist"] for r in rows if not r["found"]]
