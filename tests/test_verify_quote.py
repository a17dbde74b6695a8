"""The quotation check on real sentences of the shared papers (copied here: no PDFs needed)."""

from __future__ import annotations

import pytest

from synth.verify.quote import MISQUOTE, NONE, PARAPHRASE, QUOTED, Source, match_quote

# Sentences as synth extracts them from the shared PDFs (BiDAF, MUSE, DrQA, BERT, XLM, USE).
BIDAF = "1611.01603"
SOURCES = [
    Source("The training process takes roughly 20 hours on a single Titan X GPU.", BIDAF, 6),
    Source(
        "BIDAF (ensemble) achieves an EM score of 73.3 and an F1 score of 81.1, outperforming "
        "all previous approaches.",
        BIDAF,
        6,
    ),
    Source(
        "Our work treats Wikipedia as a collection of articles and does not rely on its internal "
        "graph structure.",
        "1704.00051",
        1,
    ),
    Source(
        "We find that transfer learning using sentence embeddings tends to outperform word level "
        "transfer.",
        "1803.11175",
        1,
    ),
    Source(
        "Our experiments show that Document Retriever outperforms the built-in Wikipedia search "
        "engine and that Document Reader reaches state-of-the-art results on the very "
        "competitive SQuAD benchmark (Rajpurkar et al., 2016).",
        "1704.00051",
        2,
    ),
    Source(
        "In this work, we show that we can build a bilingual dictionary between two languages "
        "without using any parallel corpora, by aligning monolingual word embedding spaces in an "
        "unsupervised way.",
        "1710.04087",
        1,
    ),
    Source(
        "It obtains new state-of-the-art results on eleven natural language processing tasks, "
        "including pushing the GLUE benchmark to 80.4% (7.6% absolute improvement), MultiNLI "
        "accuracy to 86.7% (5.6% absolute improvement).",
        "1810.04805",
        1,
    ),
    Source(
        "On unsupervised machine translation, we obtain 34.3 BLEU on WMT’16 German-English, "
        "improving the previous state of the art by more than 9 BLEU.",
        "1901.07291",
        1,
    ),
    Source(
        "On a standard word translation retrieval benchmark, using 200k vocabularies, our method "
        "reaches 66.2% accuracy on English-Italian while the best supervised approach is at "
        "63.7%.",
        "1710.04087",
        2,
    ),
]


def check(claim: str, truncated: bool = False):
    return match_quote(claim, SOURCES, truncated=truncated)


def test_verbatim_copy_is_quoted():
    m = check(SOURCES[3].text)
    assert m.kind == QUOTED and m.source == SOURCES[3] and m.diff == ()


def test_copy_cut_at_120_characters_is_quoted_and_completed():
    cut = SOURCES[5].text[:120].rstrip()
    m = check(cut, truncated=True)
    assert m.kind == QUOTED and m.completed == SOURCES[5].text


def test_copy_cut_mid_word_with_ellipsis_is_quoted():
    m = check(
        "... we can build a bilingual dictionary between two languages without using any par..."
    )
    assert m.kind == QUOTED and m.completed == SOURCES[5].text


def test_dropped_first_words_and_a_name_for_a_pronoun_are_quoted():
    m = check("BERT pushes the GLUE benchmark to 80.4%, a 7.6% absolute improvement.")
    assert m.kind == QUOTED
    m = check(
        "On unsupervised machine translation, XLM obtains 34.3 BLEU on WMT’16 German-English."
    )
    assert m.kind == QUOTED and m.diff == ("we -> XLM",)


@pytest.mark.parametrize(
    ("claim", "reason", "diff"),
    [
        (
            "The training process takes roughly 20 minutes on a single Titan X GPU.",
            "unit",
            "20 hours -> 20 minutes",
        ),
        (
            "BIDAF (ensemble) achieves an EM score of 77.3 and an F1 score of 81.1.",
            "figure",
            "73.3 -> 77.3",
        ),
        (
            "On a standard word translation retrieval benchmark, using 20k vocabularies, our "
            "method reaches 66.2% accuracy on English-Italian",
            "figure",
            "200k -> 20k",
        ),
        (
            "Our work treats Wikipedia as a collection of articles and relies on its internal "
            "graph structure.",
            "negation",
            "- does not",
        ),
        (
            "We find that transfer learning using sentence embeddings tends to underperform word "
            "level transfer.",
            "antonym",
            "outperform -> underperform",
        ),
        (
            "Our experiments show that Document Retriever outperforms the built-in Wikipedia "
            "search engine and that Document Reader reaches state-of-the-art results on the very "
            "competitive TriviaQA benchmark.",
            "name",
            "SQuAD -> TriviaQA",
        ),
        (
            "BERT pushes the GLUE benchmark to 85.1%, a 7.6% absolute improvement.",
            "figure",
            "80.4% -> 85.1%",
        ),
    ],
)
def test_changed_copies_are_misquotes_with_the_diff(claim, reason, diff):
    m = check(claim)
    assert m.kind == MISQUOTE, m
    assert reason in m.reasons and m.diff[0] == diff


def test_a_unit_written_otherwise_is_no_misquote():
    sources = [Source("Decoding takes about 0.5 hours on a single GPU for the base model.", "x")]
    m = match_quote("Decoding takes about 30 minutes on a single GPU for the base model.", sources)
    assert m.kind != MISQUOTE


def test_a_reworded_claim_is_a_paraphrase_for_nli():
    m = check(
        "XLM reaches 34.3 BLEU on WMT'16 German-English without supervision, beating the best "
        "earlier approach by over 9 BLEU."
    )
    assert m.kind == PARAPHRASE and m.source == SOURCES[7]


def test_an_unrelated_claim_has_no_source():
    m = check("The authors released a mobile application that translates sign language.")
    assert m.kind == NONE and m.source is None


def test_short_claims_and_no_sources_are_not_matched():
    assert check("BERT works.").kind == NONE
    assert match_quote("The training process takes roughly 20 hours.", []).kind == NONE


# The issue's examples (Transformer abstract and training sentences, as the paper prints them).
TRANSFORMER = [
    Source(
        "We propose a new simple network architecture, the Transformer, based solely on attention "
        "mechanisms, dispensing with recurrence and convolutions entirely.",
        "1706.03762",
        1,
    ),
    Source(
        "On the WMT 2014 English-to-French translation task, our model establishes a new "
        "single-model state-of-the-art BLEU score of 41.8 after training for 3.5 days on eight "
        "GPUs, a small fraction of the training costs of the best models from the literature.",
        "1706.03762",
        1,
    ),
    Source("Decoding a batch of sentences takes about 5 seconds on one GPU.", "1706.03762", 8),
]


@pytest.mark.parametrize(
    ("claim", "truncated", "kind", "diff"),
    [
        (TRANSFORMER[0].text, False, QUOTED, None),
        (
            "The Transformer is based solely on attention mechanisms, relying on recurrence and "
            "convolutions entirely.",
            False,
            MISQUOTE,
            "dispensing with -> relying on",
        ),
        ("...to about 5 minutes on one GPU.", True, MISQUOTE, "5 seconds -> 5 minutes"),
        (TRANSFORMER[1].text[:120].rstrip(), True, QUOTED, None),
        (
            "On the WMT 2014 English-to-French translation task, our model establishes a new "
            "single-model state-of-the-art BLEU score of 38.1",
            True,
            MISQUOTE,
            "41.8 -> 38.1",
        ),
        (  # cut inside the changed figure: "38" is still not "41.8"
            "On the WMT 2014 English-to-French translation task, our model establishes a new "
            "single-model state-of-the-art BLEU score of 38",
            True,
            MISQUOTE,
            "41.8 -> 38",
        ),
    ],
)
def test_the_issue_examples(claim, truncated, kind, diff):
    m = match_quote(claim, TRANSFORMER, truncated=truncated)
    assert m.kind == kind, m
    if diff:
        assert m.diff[0] == diff
    if kind == QUOTED and truncated:
        assert m.completed == TRANSFORMER[1].text


def test_an_acronym_for_the_words_it_stands_for_is_no_swap():
    sources = [
        Source(
            "Our model achieves the state-of-the-art results in Stanford Question Answering "
            "Dataset and CNN/DailyMail cloze test.",
            BIDAF,
        )
    ]
    m = match_quote(
        "BiDAF achieves the state-of-the-art results in SQuAD and CNN/DailyMail.", sources
    )
    assert m.kind == QUOTED, m
