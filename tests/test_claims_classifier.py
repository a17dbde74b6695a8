"""Which sentences become claims: hard rules, the shipped classifier, one claim per finding.

The classifier is the committed artifact (``synth/models/claims-lr``), the embeddings the real
MiniLM model and the NLI model the shipped one: nothing here is faked.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sqlmodel import Session, select

from synth.claims import (
    Place,
    candidates,
    extract_claims,
    hand_features,
    load_classifier,
    non_claim_reason,
    quotable,
    restatement_groups,
)
from synth.claims.pair_model import FEATURES, PairModel, paper_idf
from synth.claims.restate import MOST_LISTED, restated_by
from synth.embed import embed
from synth.store.models import Paper
from synth.store.papers import SentenceRow, paper_sentences

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "training" / "claims" / "body_labels.jsonl"
FIGURES = ROOT / "training" / "claims" / "figures.json"


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("In Section 3, we present a large set of experiments on four tasks.", "roadmap"),
        ("The remainder of this paper is organized as follows.", "roadmap"),
        ("The scores of all the models on the test set are shown in Table 2.", "pointer"),
        ("Table 4 lists the hyper-parameters of every model we trained.", "pointer"),
        ("In Eqn. (6), the term Wchj represents the salience of the sentence.", "notation"),
        ("Let x denote the input sequence and y the output sequence.", "notation"),
        (
            "Lukasz and Aidan spent countless long days designing various parts of and "
            "implementing tensor2tensor.",
            "acknowledgement",
        ),
        ("We thank the anonymous reviewers for their helpful comments.", "acknowledgement"),
        ("We use a batch size of 64 and train for 10 epochs.", "setup"),
        ("In future work we plan to apply the model to speech.", "future work"),
        ("We will also conduct more experiments on end applications.", "future work"),
        # Both were quoted as "strongest supported findings" in the default report's abstract.
        (
            "We hope that our results will catalyze new developments in transfer learning for NLP.",
            "future work",
        ),
        (
            "Finally, while we have provided a series of analyses and ablations, more studies "
            "are required to better understand what knowledge a pretrained language model "
            "captures.",
            "future work",
        ),
        # open questions and work in progress (1506.06726, 1902.01718 in the shared PDFs)
        (
            "Many variations have yet to be explored, including (a) deep encoders and decoders.",
            "future work",
        ),
        ("We are exploring reranking models that integrate more relevance signals.", "future work"),
        ("This seems a fruitful direction for further exploration.", "future work"),
        ("In table 3 we present the dependence of precision @1 on word frequency.", "pointer"),
        ("We exhibit our results in table 4, where we evaluate our method.", "pointer"),
        ("We describe datasets and the adopted neural models in Section 3.", "roadmap"),
        ("The “increase” column lists the absolute and relative improvements.", "pointer"),
        (
            "Recent empirical improvements due to transfer learning with language models have "
            "demonstrated that rich, unsupervised pre-training is an integral part of many "
            "language understanding systems.",
            "background",
        ),
        (
            "The training set consists of 4076 sentence pairs and the test set has 1725.",
            "dataset description",
        ),
        (
            "Gigaword contains around 9.5 million news articles from news services.",
            "dataset description",
        ),
        (
            "We hypothesize that this gain is due to the co-occurrence statistics of Wikipedia.",
            "hypothesis",
        ),
        (
            "The code and pre-trained models are available at https://github.com/x/y.",
            "availability",
        ),
        ("Our code, embeddings and dictionaries are publicly available.", "availability"),
        ("Downloaded from https://github.com/ryankiros/skip-thoughts", "web address"),
        ("Accuracy is reported for all evaluations except STS Bench.", "evaluation protocol"),
        (
            "The performance metric varies across tasks: accuracy for SNLI, F1 for SQuAD.",
            "evaluation protocol",
        ),
        # how results are given, and a training procedure whose condition mentions improving
        ("We report the mean of those predicted ranks and the hits@10.", "evaluation protocol"),
        ("For MR, CR and SUBJ we report accuracies; for MRPC, accuracy/F1.", "evaluation protocol"),
        # how the comparison is made fair, and a reference point (1709.03856, 1509.00685)
        (
            "For fair comparison, we set the dimension of all embedding models to be 300.",
            "evaluation protocol",
        ),
        ("For reference, the best human evaluator scores 31.7 ROUGE-1.", "evaluation protocol"),
        ("We use the F1 version of ROUGE [25] as the evaluation metric.", "evaluation protocol"),
        (
            "The DUC evaluation uses ROUGE-1, ROUGE-2 and ROUGE-L, all of which we report.",
            "evaluation protocol",
        ),
        # a question-answering report's non-claims (1611.01603, 1506.06726, 1509.00685, 1506.08909)
        ("Let {x1,...xT} and {q1,...qJ} represent the words of the context and query.", "notation"),
        (
            "Parameter t is the actual length of that dialogue, and n is a random number.",
            "notation",
        ),
        (
            "On the SICK dataset, each point represents a sentence pair and points are colored.",
            "caption",
        ),
        (
            "As a next step we would like to further improve the grammaticality of the summaries.",
            "future work",
        ),
        (
            "Results should not be compared; baselines on the new set will be released shortly.",
            "availability",
        ),
        # a language-modelling report's (1404.2188, 1509.00685)
        (
            "The randomly initialised word embeddings are increased to a dimension of d = 60.",
            "setup",
        ),
        ("We apply a minimal preprocessing step using PTB tokenization and lower-casing.", "setup"),
        (
            "For these experiments we look at the perplexity of the system on validation data.",
            "evaluation protocol",
        ),
        # a sentence-embedding report's (1803.11175, 1703.03130)
        (
            "Our pre-trained sentence encoding models are made freely available on TF Hub.",
            "availability",
        ),
        (
            "One generally finds that specifically trained sentence embeddings perform better.",
            "background",
        ),
        (
            "However in the right column, the model shows more variations between different hops.",
            "caption",
        ),
        (
            "For example, in the 3rd review in Figure 2b), a lot of focus is spent on one factor.",
            "caption",
        ),
        # a footnote's bare address spliced into a sentence by the layout (1602.03483)
        (
            "To our knowledge, there are no existing benchmarks that over- "
            "12wikipedia.org/wiki/Cronbach's_alpha come this.",
            "web address",
        ),
        # how to read a metric is not a gain (1801.06146), and a pointer that says what a
        # table examines (1901.07291)
        (
            "For consistency, we report all results as error rates (lower is better).",
            "evaluation protocol",
        ),
        (
            "In Table 4, we investigate the impact of cross-lingual language modeling.",
            "pointer",
        ),
        (
            "We trained for 15 epochs and saved our model anytime the performance improved on "
            "the development set.",
            "setup",
        ),
        # where the numbers are, a caption's description, thanks, a release note and the
        # state of the field, as the shared PDFs word them (1801.06146, 1810.04805, 1905.03197,
        # 1602.03483, 1801.06146, 1810.04805)
        (
            "We show the test error rates on the larger AG and DBpedia datasets in Table 3.",
            "pointer",
        ),
        ("This shows the MNLI accuracy after fine-tuning for k steps.", "pointer"),
        (
            "We would like to acknowledge Shiyue Zhang for the helpful discussions.",
            "acknowledgement",
        ),
        ("Thanks also to Marek Rei for helpful discussion and comments.", "acknowledgement"),
        ("We make all code for training these new models publicly available.", "availability"),
        ("We open-source our pretrained models and code.", "availability"),
        (
            "It has been known for many years that increasing the model size will lead to "
            "continual improvements on large-scale tasks.",
            "background",
        ),
        (
            "Previous work has also shown that different layers encode different information.",
            "background",
        ),
        (
            "We evaluated the effectiveness of skip-thought vectors as an off-the-shelf sentence "
            "representation with linear classifiers across 8 tasks.",
            "experiment description",
        ),
        (
            "We finally describe experiments on the English-Esperanto low-resource language pair.",
            "experiment description",
        ),
    ],
)
def test_rules_name_what_is_never_a_claim(sentence, reason):
    assert non_claim_reason(sentence) == reason


@pytest.mark.parametrize(
    "sentence",
    [
        "BERT obtains new state-of-the-art results on eleven natural language processing tasks.",
        "We show that the higher-level LSTM states capture context-dependent aspects of meaning.",
        "With a learning rate of 0.1, the model improves accuracy by 2 points over the baseline.",
        "In Table 2, we show that our approach outperforms all baselines on every dataset.",
        "We report results that improve on the previous best by 3.1 BLEU on WMT'16.",
        # a finding that cites its table, and a preview of a finding, are not pointers/roadmaps
        "Table 4 shows that LEAR embeddings get high weights compared to the source embeddings.",
        "Below we show that this pseudo dictionary is sufficient to translate with high precision.",
        "With only 100 labeled examples, ULMFiT matches training from scratch on 100x more data.",
        "Transfer learning is most helpful when limited training data is available for the task.",
        "ULMFiT matches training from scratch when only 100 labelled examples are available.",
        "When the batch size is larger the model improves accuracy by 3 points.",
        "Thanks to its bidirectional context, BERT outperforms GPT on every GLUE task.",
        "For a fair comparison, XLNet outperforms BERT by a large margin on all tasks.",
        # a table cited for what it shows, a caption's inference, the paper's own observation
        "We show in Table 3 that ULMFiT reduces the error on AG by 23.7%.",
        "We show large improvements on all six datasets in Table 3.",
        "This shows the importance of pretraining both the encoder and the decoder.",
        "It was observed that the model still underfits the data at the end of training.",
        "Previous work used only the last layer, but we find that all layers help.",
        # a result worded around exploration, not an open question
        "We found that exploring more of the search space improved BLEU by 2 points.",
        # experiments described with their outcome
        "We evaluate the impact of pretraining and find it improves BLEU by 4 points.",
        "We study how BERT represents syntax, finding that lower layers encode it.",
        "We perform ablation experiments which reveal that the attention mechanism is crucial.",
        "In the following, we present evidence that BERT encodes syntax.",
        # a section's preview of its finding (1802.05365, a key finding's restatement)
        "Sec. 5.3 explores the information captured in biLMs to show that syntax is captured "
        "at lower layers.",
    ],
)
def test_rules_leave_findings_alone(sentence):
    assert non_claim_reason(sentence) is None


def _rows(texts: list[tuple[str, str]]) -> list[SentenceRow]:
    """A small paper: (section, text) pairs, in order."""
    kind = {"Abstract": "abstract"}
    return [
        SentenceRow(i, 1, i, text, 1, 0, len(text), section, kind.get(section, "body"))
        for i, (section, text) in enumerate(texts)
    ]


def test_classifier_keeps_findings_and_drops_description():
    rows = _rows(
        [
            ("Abstract", "We introduce a new model for reading comprehension."),
            ("1 Introduction", "Question answering is a long-standing goal of AI research."),
            ("3 Model", "The encoder is a two-layer bidirectional LSTM with 300 hidden units."),
            ("3 Model", "The fields we used include question title, question content and answer."),
            ("5 Results", "Our model outperforms all previous approaches on SQuAD by 3.5 F1."),
            ("6 Conclusion", "We find that memory-less attention is clearly better than dynamic."),
        ]
    )
    kept, vectors = candidates(rows, None, embed)
    texts = [c.original for c in kept]
    assert rows[4].text in texts and rows[5].text in texts
    assert rows[1].text not in texts and rows[2].text not in texts and rows[3].text not in texts
    assert vectors.shape == (len(kept), 384)
    assert all(0.0 < c.probability <= 1.0 for c in kept)


@pytest.mark.parametrize(
    "text",
    [
        # findings stated as a consequence or a comparison, with no "we show" or figures
        "This means that the BERT reader is unable to take advantage of these passages.",
        "As a result, XLNet is able to cover more dependencies than BERT.",
        "The NBoW performs similarly to the non-neural n-gram based classifiers.",
    ],
)
def test_consequences_and_comparisons_read_as_findings(text):
    model = load_classifier()
    place = [Place("5 Results", "body", 0.7, 0.5)]
    assert model.probability([text], place)[0] >= model.threshold
    plain = "The reader reads these passages one at a time from left to right."
    assert model.probability([plain], place)[0] < model.threshold


def test_a_finding_the_abstract_states_is_kept_in_the_abstracts_words():
    """Two statements of one finding (identical vectors): the abstract's is kept, even when the
    classifier is surer of the body's, and the body's is listed as its restatement."""
    from synth.claims import ExtractedClaim, one_per_finding

    rows = _rows(
        [
            ("Abstract", "XLNet outperforms BERT on 20 tasks, often by a large margin."),
            ("5 Results", "According to Table 3, XLNet beats BERT on all 20 of these tasks."),
        ]
    )
    claims = [
        ExtractedClaim(r.text, r.text, "result", 1.0, r, probability=p)
        for r, p in zip(rows, (0.90, 0.97), strict=True)
    ]
    kept, vectors = one_per_finding(
        claims, np.ones((2, 4)) / 2.0, paper_idf([r.text for r in rows])
    )
    assert [c.original for c in kept] == [rows[0].text]
    assert [r.text for r in kept[0].restatements] == [rows[1].text]
    assert vectors.shape == (1, 4)


def test_section_and_position_change_the_verdict():
    # The same sentence is likelier a claim in the conclusion than in the model section.
    model = load_classifier()
    text = ["The model captures long-range dependencies between words."]
    late = model.probability(text, [Place("6 Conclusion", "body", 0.95, 0.5)])
    middle = model.probability(text, [Place("3 Model", "body", 0.35, 0.5)])
    assert late[0] > middle[0]
    assert hand_features(text, [Place("3 Model", "body", 0.35, 0.5)]).shape == (1, 23)


def test_paraphrased_restatements_are_grouped_distinct_findings_are_not():
    texts = [
        "The Transformer is based solely on attention mechanisms, dispensing with recurrence "
        "and convolutions entirely.",
        "The Transformer achieves 28.4 BLEU on the WMT 2014 English-to-German translation task.",
        "The Transformer eschews recurrence and instead relies entirely on an attention "
        "mechanism to draw global dependencies between input and output.",
    ]
    groups = restatement_groups(texts, embed(texts), paper_idf(texts))
    assert [0, 2] in groups and [1] in groups


def test_two_results_with_different_figures_are_never_one_finding():
    # XLM (1901.07291): two results in one paper's words; the same figure rounded is one.
    texts = [
        "On unsupervised machine translation, we obtain 34.3 BLEU on WMT'16 German-English.",
        "On supervised machine translation, we obtain 38.5 BLEU on WMT'16 Romanian-English.",
        "We reach a new state of the art of 34.3 BLEU on WMT'16 German-English.",
    ]
    vectors = embed(texts)
    everything = _cosine_only(0.5)  # these sentences' cosines are all above 0.5
    assert (vectors @ vectors.T).min() > 0.5
    assert restatement_groups(texts, vectors, paper_idf(texts), everything) == [[0, 2], [1]]
    rounded = ["ULMFiT reduces the error by 68% on IMDb.", "On IMDb the error falls by 67.8%."]
    v = embed(rounded)
    assert (v @ v.T).min() > 0.5
    assert restatement_groups(rounded, v, paper_idf(rounded), everything) == [[0, 1]]
    # XLM again: a small whole number may be the other's figure rounded ("9" of "9.1"), but two
    # small counts never make a match
    gain = [
        "We obtain 34.3 BLEU on WMT'16 German-English, improving the previous state of the art "
        "by more than 9 BLEU.",
        "In German-English, our best model outperforms the previous unsupervised approach by "
        "more than 9.1 BLEU, and 13.3 BLEU if we only consider neural unsupervised approaches.",
    ]
    v = embed(gain)
    assert (v @ v.T).min() > 0.5
    assert restatement_groups(gain, v, paper_idf(gain), everything) == [[0, 1]]
    counts = ["With 2 layers we reach 34.3 BLEU.", "With 2 layers we reach 38.5 BLEU."]
    v = embed(counts)
    assert restatement_groups(counts, v, paper_idf(counts), everything) == [[0], [1]]
    # a small number written with decimals is a measured figure, not a count: 3.0 is not 3.2
    decimals = ["Pretraining adds 3.0 points on XNLI.", "Pretraining adds 3.2 points on XNLI."]
    v = embed(decimals)
    assert restatement_groups(decimals, v, paper_idf(decimals), everything) == [[0], [1]]
    # nor does a small number round a figure of another kind: 4 BLEU is not 3.6% accuracy
    kinds = [
        "With TLM we get a boost of 3.6% accuracy, improving the state of the art to 75.1%.",
        "With TLM we obtain 34.3 BLEU, improving the state of the art by more than 4 BLEU.",
    ]
    v = embed(kinds)
    assert (v @ v.T).min() > 0.5
    assert restatement_groups(kinds, v, paper_idf(kinds), everything) == [[0], [1]]


def _cosine_only(threshold: float) -> PairModel:
    """A pair model reading the cosine only: one finding at cosine >= ``threshold``."""
    coef = dict.fromkeys(FEATURES, 0.0)
    return PairModel(coef | {"cos": 10.0}, -10.0 * threshold, 0.0)


def test_groups_form_around_their_clearest_statement_not_through_chains():
    # b is close to both a and c, a and c are far apart: a chain a-b-c would merge a and c.
    angle = np.deg2rad([0.0, 40.0, 80.0])
    vectors = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    texts = ["a", "b", "c"]
    model = _cosine_only(0.7)  # cos 40 degrees = 0.77, cos 80 degrees = 0.17
    assert restatement_groups(texts, vectors, {}, model) == [[0, 1], [2]]
    assert restatement_groups(texts, vectors, {}, model, priority=[1, 0, 2]) == [[0, 1, 2]]
    assert restatement_groups(texts, vectors, {}, model, priority=[2, 1, 0]) == [[0], [1, 2]]


def test_a_claim_lists_only_its_likeliest_restatements():
    claim = np.array([[1.0, 0.0]])
    angle = np.deg2rad(np.arange(1, 8) * 5.0)  # 7 sentences ever further from the claim
    others = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    found = restated_by(["c"], claim, list("abcdefg"), others, {}, _cosine_only(0.5))
    assert found == {0: list(range(MOST_LISTED))}


@pytest.mark.slow
def test_a_finding_restated_in_the_papers_own_words_is_grouped(corpus_db):
    # 1702.03859 (tests/fixtures/key_findings.json): abstract and introduction state one
    # finding in the same terms; the paper's other findings share its topic, not its words.
    root = Path(__file__).resolve().parent
    findings = json.loads((root / "fixtures" / "key_findings.json").read_text())["papers"]
    orthogonal, *others = findings["1702.03859"]
    texts = [orthogonal["sentence"], orthogonal["also_stated"][0]] + [f["sentence"] for f in others]
    _settings, engine = corpus_db
    with Session(engine) as session:
        paper = session.exec(select(Paper).where(Paper.arxiv_id == "1702.03859")).one()
        sentences = [r.text for r in paper_sentences(session, [paper.id])[paper.id]]
    groups = restatement_groups(texts, embed(texts), paper_idf(sentences))
    assert [0, 1] in groups
    assert sum(len(g) == 1 for g in groups) == len(others)


def test_only_findings_are_quoted_in_a_report_abstract():
    assert quotable("XLNet outperforms BERT on 20 tasks, often by a large margin.", "result")
    assert not quotable("We introduce a new language representation model.", "contribution")
    assert not quotable("The scores are shown in Table 2, where our model does best.", "result")


@pytest.mark.slow
def test_restatements_are_listed_on_the_kept_claim(corpus_db):
    settings, engine = corpus_db
    with Session(engine) as session:
        paper = session.exec(select(Paper).where(Paper.arxiv_id == "1810.04805")).one()
        rows = paper_sentences(session, [paper.id])[paper.id]
    claims = extract_claims(
        rows,
        title=paper.title,
        abstract=paper.abstract,
        embed_fn=embed,
        question_vector=None,
        limit=50,
        dedup_threshold=settings.claims.dedup_threshold,
    )
    by_id = {r.id: r for r in rows}
    restated = [c for c in claims if c.restatements]
    assert restated, "BERT states its central results in abstract, introduction and conclusion"
    kept_ids = {c.sentence.id for c in claims}
    for claim in restated:
        for r in claim.restatements:
            assert r.sentence_id not in kept_ids  # listed once, never kept as a second claim
            assert by_id[r.sentence_id].text == r.text
            assert (by_id[r.sentence_id].section, by_id[r.sentence_id].page) == (r.section, r.page)


def test_the_claims_kept_and_their_grouped_restatements_do_not_depend_on_the_limit(corpus_db):
    """With 6 of BERT's claims kept, they are among those kept with no limit, with the same
    restatements found among the candidates: restatements among the paper's other sentences are
    looked for only for the claims kept, and that changes nothing about which are kept."""
    settings, engine = corpus_db
    with Session(engine) as session:
        paper = session.exec(select(Paper).where(Paper.arxiv_id == "1810.04805")).one()
        rows = paper_sentences(session, [paper.id])[paper.id]

    def claims(limit):
        return extract_claims(
            rows,
            title=paper.title,
            abstract=paper.abstract,
            embed_fn=embed,
            question_vector=None,
            limit=limit,
            dedup_threshold=settings.claims.dedup_threshold,
        )

    few = claims(6)
    everything = {c.sentence.id: c for c in claims(200)}
    assert set(everything) >= {c.sentence.id for c in few}
    others = {s.text for s in rows} - {c.original for c in everything.values()}
    for c in few:
        grouped = {r.sentence_id for r in c.restatements if r.text not in others}
        assert grouped == {
            r.sentence_id for r in everything[c.sentence.id].restatements if r.text not in others
        }


def _labelled_test_split() -> list[dict]:
    import sys

    sys.path.insert(0, str(ROOT / "training"))
    from claims_classifier import load_body, test_paper

    return [r for r in load_body() if test_paper(r["paper"])]


def test_shipped_classifier_reproduces_its_reported_figures():
    """The README's precision and recall, recomputed from the artifact and the untouched papers."""
    import sys

    sys.path.insert(0, str(ROOT / "training"))
    from claims_classifier import body_place, passes_rules, scores

    rows = _labelled_test_split()
    model = load_classifier()
    probs = model.probability([r["sentence"] for r in rows], [body_place(r) for r in rows])
    kept = np.array([passes_rules(r) for r in rows]) & (probs >= model.threshold)
    measured = scores(kept, np.array([r["label"] for r in rows]))
    reported = json.loads(FIGURES.read_text())["test"]
    # int8 arithmetic is exact on every CPU (synth.onnx_run asks for the exact kernel where VNNI
    # is missing), but float rounding around it may move a sentence sitting on the threshold.
    assert all(abs(measured[k] - reported[k]) <= 1 for k in ("tp", "fp", "fn")), (
        measured,
        reported,
    )
    # well above keeping every sentence the rules let through
    rules_only = json.loads(FIGURES.read_text())["test_rules_only"]
    assert measured["precision"] >= rules_only["precision"] + 0.2, (measured, rules_only)


def test_test_papers_were_never_trained_on():
    figures = json.loads(FIGURES.read_text())
    test_papers = {r["paper"] for r in _labelled_test_split()}
    assert set(figures["data"]["hand_labelled_test"]["papers"]) == test_papers
    train = [json.loads(line) for line in LABELS.read_text().splitlines()]
    train_papers = {r["paper"] for r in train} - test_papers
    assert figures["data"]["hand_labelled_train"]["papers"] == len(train_papers)


@pytest.mark.slow
def test_the_shipped_pair_model_gives_the_published_restatement_figures(corpus_db):
    """training/claims/restate_eval.json (quoted by the README) is what synth/models/restate-lr
    gives on the untouched papers' restatement pairs, read from the ingested PDFs."""
    import sys

    sys.path.insert(0, str(ROOT / "training"))
    from claims_classifier import test_paper
    from fit_restatements import EVAL, conflicts, measure, pairs_of, paper_rows

    from synth.claims.pair_model import load_pair_model

    model = load_pair_model()
    findings = json.loads((ROOT / "tests" / "fixtures" / "key_findings.json").read_text())
    _settings, engine = corpus_db
    preds, gold = [], []
    with Session(engine) as session:
        for paper in session.exec(select(Paper).order_by(Paper.arxiv_id)).all():
            if paper.arxiv_id not in findings["papers"] or not test_paper(paper.arxiv_id):
                continue
            pairs = pairs_of(findings["papers"][paper.arxiv_id])
            rows = paper_rows(
                pairs, [r.text for r in paper_sentences(session, [paper.id])[paper.id]]
            )
            logits = model.logits(dict(zip(FEATURES, rows.T, strict=True)))
            preds += list((logits >= model.threshold) & ~conflicts(pairs))
            gold += [y for *_, y in pairs]
    published = json.loads(EVAL.read_text())["test"]
    assert measure(np.array(preds), np.array(gold)) == published


def test_the_reader_reads_a_finding_as_likelier_a_claim_than_a_method_detail():
    from synth.claims.sentence_model import claim_logits

    finding = "Our model outperforms all previous approaches on SQuAD by 3.5 F1."
    detail = "The encoder is a two-layer bidirectional LSTM with 300 hidden units."
    logits = claim_logits([finding, detail], ["5 Results", "5 Results"])
    assert logits[0] > logits[1] + 1.0, logits
    # each sentence runs alone: its score does not depend on what it is scored with
    assert claim_logits([detail], ["5 Results"])[0] == pytest.approx(logits[1], abs=1e-6)


def test_the_readers_stacking_logits_are_out_of_fold_for_training_papers_only():
    """The logistic regression is fitted on reader logits from fold models that never saw the
    sentence's paper; no test paper's sentence may be among them."""
    import sys

    sys.path.insert(0, str(ROOT / "training"))
    from claims_classifier import READER_OOF, load_body, row_key, test_paper

    logits = json.loads(READER_OOF.read_text())["logits"]
    rows = [r for r in load_body() if not test_paper(r["paper"])]
    assert set(logits) <= {row_key(r) for r in rows}
    assert not any(test_paper(key.split(":")[0]) for key in logits)
    # every label the shipped reader was fine-tuned with has its logit (batch 6 is newer:
    # it waits for a reader trained with it, see the claims-lr model card)
    assert {row_key(r) for r in rows if r.get("batch", 1) <= 5} <= set(logits)


def test_a_classifier_fitted_on_other_features_is_refused(tmp_path):
    from synth.claims.classifier import MODEL_DIR, read_classifier
    from synth.errors import ModelError

    shipped = ROOT / "synth" / "models" / MODEL_DIR
    meta = json.loads((shipped / "model.json").read_text())
    meta["features"] = meta["features"][:-1]  # an artifact from before the reader
    (tmp_path / "model.json").write_text(json.dumps(meta))
    (tmp_path / "weights.npz").write_bytes((shipped / "weights.npz").read_bytes())
    with pytest.raises(ModelError, match="rebuild it with"):
        read_classifier(tmp_path)


def test_a_missing_reader_says_how_to_get_it_back(tmp_path, monkeypatch):
    from synth.claims import sentence_model
    from synth.errors import ModelError

    monkeypatch.setattr(sentence_model, "model_folder", lambda: tmp_path)
    sentence_model._runner.cache_clear()
    try:
        with pytest.raises(ModelError, match=r"claims_finetune\.py"):
            sentence_model.claim_logits(["We find that X beats Y."], ["5 Results"])
    finally:
        sentence_model._runner.cache_clear()


def test_the_reader_reads_each_sentence_once_through_the_database(tmp_path, monkeypatch):
    """A second extraction of the same paper asks the reader nothing: its logits are cached
    with the NLI scores, keyed by the reader's own identity, and are the same numbers."""
    from synth.claims.sentence_model import claim_logits, reader_logits
    from synth.settings import Settings
    from synth.store import nli_cache, open_database

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    asked: list[int] = []

    def counting(pairs):
        asked.append(len(pairs))
        return reader_logits(pairs)

    texts = ["We find that X beats Y by 3 points.", "The encoder has two layers."]
    with Session(open_database(settings)) as session:
        first = claim_logits(texts, ["5 Results"] * 2, nli_cache.cached_reader(session))
        monkeypatch.setattr(nli_cache, "reader_logits", counting)  # counts, still the real model
        again = claim_logits(texts, ["5 Results"] * 2, nli_cache.cached_reader(session))
        assert asked == [] and np.allclose(first, again)
        claim_logits(
            [*texts, "A new sentence."], ["5 Results"] * 3, nli_cache.cached_reader(session)
        )
    assert asked == [1]  # the counter is in place: only the new sentence was read
    assert np.allclose(first, claim_logits(texts, ["5 Results"] * 2))
