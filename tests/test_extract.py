"""Tests of synth.extract: clean-up helpers, document assembly, bad files, the real arXiv PDFs."""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from synth.errors import ExtractError
from synth.extract import (
    Document,
    build_document,
    clean_text,
    extract_many,
    extract_pdf,
    fix_characters,
    keep_hyphen,
    raw_page_texts,
    split_spans,
)
from synth.extract.clean import (
    LIGATURES,
    count_artifacts,
    find_footnotes,
    is_debris,
    remove_page_furniture,
)
from synth.extract.layout import find_headings, split_references, title_case
from synth.extract.pdf import RawPdf

GOLDEN = Path(__file__).parent / "golden" / "extract"

# arXiv id: (version, pages, title, start of abstract, end of abstract), from MANIFEST.md and the
# papers themselves (the manifest abbreviates 1506.08909's title and adds "(XLM)"-style tags).
PAPERS = {
    "1111.2011": (
        2,
        8,
        "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit",
        "Theoretical description of anisotropic systems",
        "theory describing a single node.",
    ),
    "1404.2188": (
        1,
        11,
        "A Convolutional Neural Network for Modelling Sentences",
        "The ability to accurately represent sentences",
        "respect to the strongest baseline.",
    ),
    "1506.01066": (
        2,
        10,
        "Visualizing and Understanding Neural Models in NLP",
        "While neural networks have been successfully applied",
        "semantic properties of deep networks.",
    ),
    "1506.06726": (
        1,
        11,
        "Skip-Thought Vectors",
        "We describe an approach for unsupervised learning",
        "make our encoder publicly available.",
    ),
    "1506.08909": (
        3,
        10,
        "The Ubuntu Dialogue Corpus: A Large Dataset for Research in Unstructured Multi-Turn "
        "Dialogue Systems",
        "This paper introduces the Ubuntu Dialogue Corpus",
        "selecting the best next response.",
    ),
    "1509.00685": (
        2,
        11,
        "A Neural Attention Model for Abstractive Sentence Summarization",
        "Summarization based on text extraction is inherently limited",
        "compared with several strong baselines.",
    ),
    "1602.03483": (
        1,
        11,
        "Learning Distributed Representations of Sentences from Unlabelled Data",
        "Unsupervised methods for learning distributed representations",
        "domain portability and performance.",
    ),
    "1611.01603": (
        6,
        13,
        "Bi-Directional Attention Flow for Machine Comprehension",
        "Machine comprehension (MC), answering a query",
        "and CNN/DailyMail cloze test.",
    ),
    "1702.03859": (
        1,
        10,
        "Offline bilingual word vectors, orthogonal transformations and the inverted softmax",
        "Usually bilingual word vectors are trained",
        "with a precision @1 of 68%.",
    ),
    "1703.03130": (
        1,
        15,
        "A Structured Self-attentive Sentence Embedding",
        "This paper proposes a new model for extracting an interpretable sentence embedding",
        "in all of the 3 tasks.",
    ),
    "1704.00051": (
        2,
        10,
        "Reading Wikipedia to Answer Open-Domain Questions",
        "This paper proposes to tackle open-domain question answering",
        "system on this challenging task.",
    ),
    "1709.03856": (
        5,
        9,
        "StarSpace: Embed All The Things!",
        "We present StarSpace, a general-purpose neural embedding model",
        "cases where those methods are not.",
    ),
    "1710.04087": (
        3,
        14,
        "Word Translation Without Parallel Data",
        "State-of-the-art methods for learning cross-lingual word embeddings",
        "dictionaries are publicly available.",
    ),
    "1801.06146": (
        5,
        12,
        "Universal Language Model Fine-tuning for Text Classification",
        "Inductive transfer learning has greatly impacted computer vision",
        "our pretrained models and code.",
    ),
    "1802.05365": (
        2,
        15,
        "Deep contextualized word representations",
        "We introduce a new type of deep contextualized word representation",
        "types of semi-supervision signals.",
    ),
    "1803.11175": (
        2,
        7,
        "Universal Sentence Encoder",
        "We present models for encoding sentences into embedding vectors",
        "for download and on TF Hub.",
    ),
    "1804.07983": (
        2,
        12,
        "Dynamic Meta-Embeddings for Improved Sentence Representations",
        "While one of the first steps in many NLP systems",
        "word embeddings in NLP systems.",
    ),
    "1810.04805": (
        1,
        14,
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "We introduce a new language representation model called BERT",
        "outperforming human performance by 2.0.",
    ),
    "1901.07291": (
        1,
        10,
        "Cross-lingual Language Model Pretraining",
        "Recent studies have demonstrated the efficiency of generative pretraining",
        "will be made publicly available.",
    ),
    "1902.01718": (
        2,
        6,
        "End-to-End Open-Domain Question Answering with BERTserini",
        "We demonstrate an end-to-end question answering system",
        "in identifying answer spans.",
    ),
    "1905.03197": (
        3,
        14,
        "Unified Language Model Pre-training for Natural Language Understanding and Generation",
        "This paper presents a new UNIfied pre-trained Language Model (UNILM)",
        "available at https://github.com/microsoft/unilm.",
    ),
    "1906.08237": (
        1,
        18,
        "XLNet: Generalized Autoregressive Pretraining for Language Understanding",
        "With the capability of modeling bidirectional contexts",
        "sentiment analysis, and document ranking.",
    ),
    "1911.11423": (
        2,
        10,
        "Single Headed Attention RNN: Stop Thinking With Your Head",
        "The leading approaches in language modeling",
        "Take that Sesame Street.",
    ),
}
GOLDEN_PAPERS = ["1810.04805", "1901.07291", "1506.01066"]
SPLIT_ACCENTS = re.compile("[\u00a8\u00b4\u02c6\u02dc\u02c7\u00b8\u02d8\u02d9\u02da\u02dd\u00af]")
BROKEN_HYPHEN = re.compile(r"\b([A-Za-z]+)- ([a-z]+)")
WORD = re.compile(r"[A-Za-z]+")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "ﬁne-tuning with ﬂexible eﬀects, ﬃne, ﬄe, ﬅ, ﬆ",
            "fine-tuning with flexible effects, ffine, ffle, ft, st",
        ),
        ("Universit¨at Montr´eal", "Universität Montréal"),
        ("Teˇsanovi´c and Herv´e J´egou", "Tešanović and Hervé Jégou"),
        ("Franc¸ois and C¸ aglar", "François and Çaglar"),  # accent after the letter
        ("Jos´ e", "José"),  # accent then a space
        ("ˇSediv`y", "Šedivỳ"),
        ("a `quoted' word", "a `quoted' word"),  # a backtick is left alone
    ],
)
def test_fix_characters(raw: str, clean: str) -> None:
    fixed = fix_characters(raw)
    assert fixed == clean
    assert count_artifacts(fixed)["ligatures"] == 0
    assert count_artifacts(fixed)["split_diacritics"] == 0


@pytest.mark.parametrize(
    ("left", "right", "vocabulary", "keep"),
    [
        ("How", "ever", {"however": 2}, False),
        ("repre", "sentation", {"representation": 1}, False),
        ("fine", "tuning", {"fine-tuning": 3}, True),
        ("state-of-the", "art", {}, True),
        ("pre", "trained", {"trained": 2}, True),
        ("cross", "lingual", {}, True),
        ("BERT", "based", {}, True),
        ("use", "ful", {"use": 4}, False),
        ("general", "purpose", {"general": 1}, True),
        ("con", "text", {"text": 9}, False),
    ],
)
def test_keep_hyphen(left: str, right: str, vocabulary: dict[str, int], keep: bool) -> None:
    assert keep_hyphen(left, right, vocabulary) is keep


def test_clean_text_joins_lines_and_hyphens_from_own_vocabulary() -> None:
    text = (
        "How-\never, a state-of-the-\nart model is ﬁne-\ntuned; fine-tuned models,\nhowever, win."
    )
    assert clean_text(text) == (
        "However, a state-of-the-art model is fine-tuned; fine-tuned models, however, win."
    )
    assert clean_text("reducing the error by 18-\n24% on") == "reducing the error by 18-24% on"


def test_remove_page_furniture_drops_headers_page_numbers_and_venue_lines() -> None:
    pages = [
        ["Published as a conference paper at ICLR 2017", "Title", "Body one.", "1"],
        ["Published as a conference paper at ICLR 2017", "Body two.", "2"],
        ["Published as a conference paper at ICLR 2017", "Body three.", "Page 3 of 4"],
        ["Published as a conference paper at ICLR 2017", "Body four.", "4"],
    ]
    assert remove_page_furniture(pages) == [
        ["Title", "Body one."],
        ["Body two."],
        ["Body three."],
        ["Body four."],
    ]


def test_running_header_is_removed_even_when_unknown() -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    bodies = [[f"{w} {v} text." for v in words[i : i + 4]] for i, w in enumerate(words[:5])]
    pages = [["The Single Headed Attention RNN", *body, str(n)] for n, body in enumerate(bodies, 2)]
    assert remove_page_furniture(pages) == bodies


def test_find_footnotes_keeps_the_interrupted_sentence_apart() -> None:
    lines = [
        "named entity recognition (Tjong",
        "1Will be released before the end of October 2018.",
        "Kim Sang, 2003). Next sentence.",
        "7Throughout this work, a “sentence” can be an arbitrary",
        "span of contiguous text.",
    ]
    notes, following = find_footnotes(lines, 1)
    assert [(n.start, n.end, n.marker) for n in notes] == [(1, 2, "1")]
    assert following == 2  # "7" is too far from the expected 2: not a footnote


@pytest.mark.parametrize(
    ("line", "debris"),
    [
        ("7", True),
        ("SQuAD 80.8 84.7 85.0 85.2", True),
        ("Trm Trm Trm Trm", True),
        ("en fr es de el bg ru", True),
        ("et al., 2018).", False),
        ("of 80.4% and 86.7%.", False),
        ("(Tjong Kim Sang and De Meul-", False),
    ],
)
def test_is_debris(line: str, debris: bool) -> None:
    assert is_debris(line) is debris


def test_find_headings_numbered_unnumbered_and_rejected() -> None:
    lines = [
        "Title of the paper",
        "1 David R. Cheriton School of Computer Science",  # affiliation above the abstract
        "Abstract",
        "We study things.",
        "1 Introduction",
        "Text.",
        "1. We introduce a list item",  # another numbering style
        "2 Related Work",
        "3 An unrelated method of the same name exists for deep",  # too long, a footnote
        "2.1 k-Max Pooling",
        "2.2 Results on the",
        "Test Set",
        "4 Conclusion",  # skips 3: allowed once
        "Acknowledgments",
        "References",
        "A Smith. 2019. Something.",
        "A Error Analysis",
        "A.1 Fine tuning biLM",
    ]
    found = {i: (h.number, h.name, h.kind) for i, h in find_headings(lines).items()}
    assert found == {
        2: (None, "Abstract", "abstract"),
        4: ("1", "Introduction", "body"),
        7: ("2", "Related Work", "body"),
        9: ("2.1", "k-Max Pooling", "body"),
        10: ("2.2", "Results on the Test Set", "body"),
        12: ("4", "Conclusion", "body"),
        13: (None, "Acknowledgments", "body"),
        14: (None, "References", "references"),
        16: ("A", "Error Analysis", "body"),
        17: ("A.1", "Fine tuning biLM", "body"),
    }


def test_find_headings_roman_and_capitals() -> None:
    lines = [
        "I. INTRODUCTION",
        "Text.",
        "II. THE MODEL",
        "A. Ordered Phase",
        "B. Disordered phase",
        "III. RESULTS",
    ]
    found = {i: (h.number, h.name) for i, h in find_headings(lines).items()}
    assert found == {
        0: ("I", "Introduction"),
        2: ("II", "The Model"),
        3: ("A", "Ordered Phase"),
        4: ("B", "Disordered phase"),
        5: ("III", "Results"),
    }


def test_title_case_only_touches_capitals() -> None:
    assert (
        title_case("WORD TRANSLATION WITHOUT PARALLEL DATA")
        == "Word Translation Without Parallel Data"
    )
    assert (
        title_case("Deep contextualized word representations")
        == "Deep contextualized word representations"
    )


def test_split_references_author_year_and_bracketed() -> None:
    acl = [
        "Jacob Devlin, Ming-Wei Chang, Kenton Lee, and Kristina",
        "Toutanova. 2018. BERT: Pre-training of deep bidirec-",
        "tional transformers. arXiv preprint.",
        "Katrin Erk. 2012. Vector space models of word meaning.",
        "Language and Linguistics Compass, 6(10):635–653.",
        "Kenton Lee, Luheng He, Mike Lewis, and Luke S.",
        "Zettlemoyer. 2017. End-to-end neural coreference. In EMNLP.",
    ]
    entries = split_references(acl, Counter({"bidirectional": 2}))
    assert entries == [
        "Jacob Devlin, Ming-Wei Chang, Kenton Lee, and Kristina Toutanova. 2018. BERT: "
        "Pre-training of deep bidirectional transformers. arXiv preprint.",
        "Katrin Erk. 2012. Vector space models of word meaning. Language and Linguistics "
        "Compass, 6(10):635–653.",
        "Kenton Lee, Luheng He, Mike Lewis, and Luke S. Zettlemoyer. 2017. End-to-end neural "
        "coreference. In EMNLP.",
    ]
    bracketed = ["[1] A. One. Title one.", "Venue, 2019.", "[2] B. Two. Title.", "[3] C. Three. T."]
    assert len(split_references(bracketed, Counter())) == 3


def test_split_spans_knows_abbreviations_initials_and_decimals() -> None:
    text = (
        "We follow Peters et al. (2018) and use e.g. BERT with a rate of 0.5 (see Fig. 2). "
        "A. M. Rush proposed it, i.e. the model vs. others in Sec. 3. It works! Does it? "
        "Yes.\nA new line."
    )
    sentences = [text[s:e] for s, e in split_spans(text)]
    assert sentences == [
        "We follow Peters et al. (2018) and use e.g. BERT with a rate of 0.5 (see Fig. 2).",
        "A. M. Rush proposed it, i.e. the model vs. others in Sec. 3.",
        "It works!",
        "Does it?",
        "Yes.",
        "A new line.",
    ]


def test_split_spans_ends_a_sentence_before_a_lower_case_name() -> None:
    # 1709.03856: "fastText" opens a sentence; an ellipsis before "x18" ends none.
    text = (
        "We measure the training speed in Table 3. fastText and StarSpace are both efficient. "
        "It reads the input x1 ... x18. The i.e. fp16 case stays."
    )
    assert [text[s:e] for s, e in split_spans(text)] == [
        "We measure the training speed in Table 3.",
        "fastText and StarSpace are both efficient.",
        "It reads the input x1 ... x18.",
        "The i.e. fp16 case stays.",
    ]


def test_split_spans_breaks_at_bullets_and_leaves_them_out() -> None:
    text = (
        "BERT is the first fine-tuning based model to do so. • BERT advances the state of the "
        "art for eleven NLP tasks. •We release the code."
    )
    assert [text[s:e] for s, e in split_spans(text)] == [
        "BERT is the first fine-tuning based model to do so.",
        "BERT advances the state of the art for eleven NLP tasks.",
        "We release the code.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 1710.04087, page 8, as pypdf reads it: a bold run-in heading, then the paragraph
        (
            "Refinement: closing the gap with supervised approaches The refinement step brings "
            "an additional gain. Note: we use The Pile corpus here.",
            [
                "Refinement: closing the gap with supervised approaches",
                "The refinement step brings an additional gain.",
                "Note: we use The Pile corpus here.",
            ],
        ),
        # 1801.06146 and 1602.03483 as pypdf reads them: bold run-in headings with no colon
        (
            "Concat pooling The signal in text classification tasks is often contained in a few "
            "words.",
            [
                "Concat pooling",
                "The signal in text classification tasks is often contained in a few words.",
            ],
        ),
        (
            "Different objectives yield different representations It may seem obvious.",
            ["Different objectives yield different representations", "It may seem obvious."],
        ),
        (
            "Partial Prediction While the objective has several benefits, it converges slowly.",
            [
                "Partial Prediction",
                "While the objective has several benefits, it converges slowly.",
            ],
        ),
        # 1901.07291: a heading run into a paragraph that opens with a pointer
        (
            "Low-resource language model In Table 4, we investigate the impact of pretraining.",
            [
                "Low-resource language model",
                "In Table 4, we investigate the impact of pretraining.",
            ],
        ),
        # 1710.04087 and 1704.00051: a heading run into a paragraph that opens on its table
        (
            "Adversarial approach Table 1 shows that the adversarial approach provides a strong "
            "system.",
            [
                "Adversarial approach",
                "Table 1 shows that the adversarial approach provides a strong system.",
            ],
        ),
        ("Results Table 6 presents the results.", ["Results", "Table 6 presents the results."]),
        # 1802.05365: "Taken together" opens the paragraph
        (
            "Implications for supervised tasks Taken together, these experiments confirm it.",
            ["Implications for supervised tasks", "Taken together, these experiments confirm it."],
        ),
        # 1801.06146 and 1704.00051: a paragraph that opens on a preposition
        (
            "Impact of bidirectionality At the cost of training a second model, ensembling brings "
            "a boost.",
            [
                "Impact of bidirectionality",
                "At the cost of training a second model, ensembling brings a boost.",
            ],
        ),
        # an opener followed by a comma
        (
            "Analysis Interestingly, the model does well.",
            ["Analysis", "Interestingly, the model does well."],
        ),
        # a sentence's own start, or its end cut before a variable ("A embedding"): one piece
        ("We set The result is presented in Table 5.", None),
        ("As shown in Table 2, the gain holds.", None),
        ("The first sentence receives the A embedding.", None),
        ("See Appendix A for the examples of the error modes.", None),
    ],
)
def test_split_spans_ends_a_run_in_heading_where_the_paragraph_starts(text, expected) -> None:
    assert [text[s:e] for s, e in split_spans(text)] == (expected or [text])


def test_a_footnote_number_after_the_stop_ends_the_sentence_and_belongs_to_neither() -> None:
    # 1602.03483 as pypdf reads it; a decimal ("0.81") and a section number stay whole
    text = (
        "Consistency is 0.81 (just above \u2018acceptable\u2019).12 Table 6 shows that it is far "
        "higher. We tuned it on the validation set (see Section 3.2).8 We also tried a variant."
    )
    assert [text[s:e] for s, e in split_spans(text)] == [
        "Consistency is 0.81 (just above \u2018acceptable\u2019).",
        "Table 6 shows that it is far higher.",
        "We tuned it on the validation set (see Section 3.2).",
        "We also tried a variant.",
    ]
    # a capitalised label with its number is no footnote
    label = "As in Exp.2 The model converges."
    assert [label[s:e] for s, e in split_spans(label)] == [label]


def test_an_abbreviation_in_capitals_is_a_name_not_an_abbreviation() -> None:
    # "MR" is the movie-review dataset; "Mr." still never ends a sentence.
    text = "The combination is effective, particularly on MR. This gives a new baseline. Mr. Li."
    assert [text[s:e] for s, e in split_spans(text)] == [
        "The combination is effective, particularly on MR.",
        "This gives a new baseline.",
        "Mr. Li.",
    ]


# --- document assembly without a PDF ----------------------------------------------------------

SYNTHETIC_PAGES = [
    "\n".join(
        [
            "Running Header of the Paper",
            "A Study of Things",
            "Alice Smith Bob Jones",
            "Abstract",
            "We study how ﬁne-tuning of pre-",
            "trained models works. Our re-",
            "sults show gains.",
            "1 Introduction",
            "Language models are use-",
            "ful for many tasks (Smith",
            "∗ Equal contribution.",
            "et al., 2020). We use them every single day.",
            "arXiv:2001.00001v2  [cs.CL]  1 Jan 2020",
            "1",
        ]
    ),
    "\n".join(
        [
            "Running Header of the Paper",
            "2 Method",
            "Our method is simple.1 We fine-tune a pre-trained",
            "model on the target",
            "1We release our code under an open licence.",
            "task. The results are in Table 1.",
            "2",
        ]
    ),
    "\n".join(
        [
            "Running Header of the Paper",
            "References",
            "Alice Smith and Bob Jones. 2020. A study of",
            "things. In Proceedings of ACL.",
            "Carol White. 2019. Another paper. In EMNLP.",
            "3",
        ]
    ),
]


@pytest.fixture(scope="module")
def synthetic() -> Document:
    return build_document(RawPdf("0" * 64, SYNTHETIC_PAGES))


def test_build_document_metadata_and_sections(synthetic: Document) -> None:
    meta = synthetic.metadata
    assert (meta.arxiv_id, meta.version, meta.year, meta.categories) == (
        "2001.00001",
        2,
        2020,
        ["cs.CL"],
    )
    assert meta.title == "A Study of Things"
    assert [(s.number, s.name, s.kind, s.page) for s in synthetic.sections] == [
        (None, "A Study of Things", "title", 1),
        (None, "Abstract", "abstract", 1),
        ("1", "Introduction", "body", 1),
        ("2", "Method", "body", 2),
        (None, "References", "references", 3),
    ]
    assert (
        synthetic.abstract
        == "We study how fine-tuning of pre-trained models works. Our results show gains."
    )
    assert "Running Header" not in synthetic.text
    assert "arXiv:" not in synthetic.text


def test_build_document_sentences_skip_footnotes_and_references(synthetic: Document) -> None:
    texts = [s.text for s in synthetic.sentences]
    assert "Language models are useful for many tasks (Smith et al., 2020)." in texts
    assert "Our method is simple." in texts
    assert "We fine-tune a pre-trained model on the target task." in texts
    assert "We release our code under an open licence." in texts  # the footnote, on its own
    assert not any("Equal contribution" in t or "Carol White" in t for t in texts)
    assert synthetic.references == [
        "Alice Smith and Bob Jones. 2020. A study of things. In Proceedings of ACL.",
        "Carol White. 2019. Another paper. In EMNLP.",
    ]
    pages = {s.text: s.page for s in synthetic.sentences}
    assert pages["We use them every single day."] == 1
    assert pages["The results are in Table 1."] == 2
    _check_offsets(synthetic)


def test_build_document_without_headings_or_prose() -> None:
    text = "A Plain Note\nIt has no headings at all, only prose.\nA second sentence follows it."
    plain = build_document(RawPdf("0" * 64, [text]))
    assert [(s.name, s.kind) for s in plain.sections] == [
        ("A Plain Note", "title"),
        ("Body", "body"),
    ]
    assert [s.text for s in plain.sentences] == [
        "It has no headings at all, only prose.",
        "A second sentence follows it.",
    ]
    _check_offsets(plain)
    debris = build_document(RawPdf("0" * 64, ["1\n2\n3"]))
    assert (debris.text, debris.sections, debris.sentences) == ("", [], [])


def _check_offsets(doc: Document) -> None:
    for sentence in doc.sentences:
        assert doc.text[sentence.start : sentence.end] == sentence.text
        assert 1 <= sentence.page <= doc.pages
        section = doc.sections[sentence.section]
        assert section.kind in ("abstract", "body")
        assert section.start <= sentence.start < sentence.end <= section.end
    for before, after in zip(doc.sections, doc.sections[1:], strict=False):
        assert before.end <= after.start
        assert before.page <= after.page


# --- bad files ----------------------------------------------------------------------------------


def _corrupt(path: Path, pdf_dir: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")


def _truncated(path: Path, pdf_dir: Path) -> None:
    data = (pdf_dir / "1810.04805.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path, pdf_dir: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path, pdf_dir: Path) -> None:
    path.write_text("<html><body>Rate limit exceeded</body></html>\n")


def _encrypted(path: Path, pdf_dir: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    writer.write(path)


def _no_pages(path: Path, pdf_dir: Path) -> None:
    PdfWriter().write(path)


BAD_FILES = {
    "corrupt": (_corrupt, "corrupt"),
    "truncated": (_truncated, "truncated"),
    "empty": (_empty, "empty"),
    "text": (_text, "not a PDF"),
    "encrypted": (_encrypted, "encrypted"),
    "no-pages": (_no_pages, "no pages"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_raises_one_line_extract_error(kind: str, tmp_path: Path, pdf_dir: Path) -> None:
    make, words = BAD_FILES[kind]
    path = tmp_path / f"{kind}.pdf"
    make(path, pdf_dir)
    with pytest.raises(ExtractError) as info:
        extract_pdf(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert words in message
    assert re.search(r"download it again|decrypt|OCR|retry", message)


def _damage(data: bytes, seed: int, places: int = 9) -> bytes:
    """``data`` with random bytes written over ``places`` runs of 1-39 bytes."""
    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(places):
        at = rnd.randrange(len(out))
        for i in range(at, min(len(out), at + rnd.randrange(1, 40))):
            out[i] = rnd.randrange(256)
    return bytes(out)


DAMAGED_TITLES = {
    "1602.03483": "Learning Distributed Representations of Sentences from Unlabelled Data",
    "1911.11423": "Single Headed Attention RNN: Stop Thinking With Your Head",
}


@pytest.mark.parametrize("arxiv_id", sorted(DAMAGED_TITLES))
def test_damaged_pdf_keeps_its_title_or_has_none(arxiv_id, tmp_path: Path, pdf_dir: Path):
    # Damage in 9 places once made page 1 unreadable and a body line ("dition as proposed by
    # ...") the title, or raised pypdf's NotImplementedError past the one-line error.
    data = (pdf_dir / f"{arxiv_id}.pdf").read_bytes()
    outcomes = Counter()
    for seed in range(6):
        path = tmp_path / f"{seed}.pdf"
        path.write_bytes(_damage(data, seed))
        try:
            doc = extract_pdf(path)
        except ExtractError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)
            outcomes["error"] += 1
            continue
        assert doc.metadata.title in (DAMAGED_TITLES[arxiv_id], None), seed
        outcomes["title" if doc.metadata.title else "no title"] += 1
    assert outcomes["title"] >= 3, outcomes  # most damage misses page 1's title


def test_missing_file_raises_extract_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="Cannot read"):
        extract_pdf(tmp_path / "nowhere.pdf")


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path: Path, pdf_dir: Path) -> None:
    writer = PdfWriter()
    writer.add_page(PdfReader(pdf_dir / "1902.01718.pdf").pages[0])
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "open.pdf"
    writer.write(path)
    doc = extract_pdf(path)
    assert doc.metadata.arxiv_id == "1902.01718"


def test_extract_many_yields_every_file_despite_bad_ones(tmp_path: Path, pdf_dir: Path) -> None:
    bad = []
    for kind in ("corrupt", "empty", "text"):
        path = tmp_path / f"{kind}.pdf"
        BAD_FILES[kind][0](path, pdf_dir)
        bad.append(path)
    good = [pdf_dir / "1902.01718.pdf", pdf_dir / "1803.11175.pdf"]
    results = dict(extract_many([bad[0], *good, *bad[1:]], workers=2))
    assert set(results) == {*bad, *good}
    assert all(isinstance(results[p], ExtractError) for p in bad)
    assert [results[p].metadata.arxiv_id for p in good] == ["1902.01718", "1803.11175"]


def test_pypdf_warnings_are_demoted_to_debug(
    tmp_path: Path, pdf_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = (pdf_dir / "1902.01718.pdf").read_bytes()
    at = data.rindex(b"startxref")
    offset = re.match(rb"startxref\s+(\d+)", data[at:])
    assert offset
    path = tmp_path / "bad-xref.pdf"  # pypdf repairs it and complains
    path.write_bytes(data[:at] + b"startxref\n1" + data[at + offset.end() :])
    # What a user's logging set-up sees: a handler on the root logger. (pytest >= 9.2 also hooks
    # caplog onto non-propagating loggers, so caplog alone cannot tell routed from printed.)
    seen_at_root: list[logging.LogRecord] = []
    root_handler = logging.Handler()
    root_handler.emit = seen_at_root.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(root_handler)
    try:
        with caplog.at_level(logging.DEBUG, logger="synth.extract.pdf"):
            assert extract_pdf(path).metadata.arxiv_id == "1902.01718"
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert not [r for r in seen_at_root if r.name.startswith("pypdf")]
    assert any(
        r.name == "synth.extract.pdf" and r.levelno == logging.DEBUG and "pypdf" in r.getMessage()
        for r in seen_at_root
    )


def test_raw_page_texts_is_plain_pypdf(pdf_dir: Path) -> None:
    texts = raw_page_texts(pdf_dir / "1902.01718.pdf")
    assert len(texts) == 6
    assert "arXiv:1902.01718v2" in texts[0]


# --- the real arXiv PDFs ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus(pdf_dir: Path) -> dict[str, Document]:
    """Every shared PDF extracted once (about 10 s per worker-core)."""
    paths = sorted(pdf_dir.glob("*.pdf"))
    results = {path.stem: result for path, result in extract_many(paths, workers=2)}
    failed = {k: v for k, v in results.items() if not isinstance(v, Document)}
    assert not failed
    return results


@pytest.mark.slow
def test_corpus_is_complete(corpus: dict[str, Document]) -> None:
    assert sorted(corpus) == sorted(PAPERS)


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(PAPERS))
def test_paper_metadata(arxiv_id: str, corpus: dict[str, Document]) -> None:
    version, pages, title, _, _ = PAPERS[arxiv_id]
    doc = corpus[arxiv_id]
    assert doc.pages == pages
    assert (doc.metadata.arxiv_id, doc.metadata.version) == (arxiv_id, version)
    assert _key(doc.metadata.title or "") == _key(title)
    assert doc.metadata.year is not None and 2011 <= doc.metadata.year <= 2019
    assert doc.metadata.categories
    assert doc.metadata.authors
    assert re.fullmatch(r"[0-9a-f]{64}", doc.sha256)


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(PAPERS))
def test_paper_abstract_is_complete_and_clean(arxiv_id: str, corpus: dict[str, Document]) -> None:
    _, _, _, start, end = PAPERS[arxiv_id]
    abstract = corpus[arxiv_id].abstract
    assert abstract.startswith(start)
    assert abstract.endswith(end)
    assert "\n" not in abstract
    assert not any(ch in abstract for ch in LIGATURES)
    assert not SPLIT_ACCENTS.search(abstract)
    assert not BROKEN_HYPHEN.search(abstract)


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(PAPERS))
def test_paper_structure(arxiv_id: str, corpus: dict[str, Document]) -> None:
    doc = corpus[arxiv_id]
    kinds = [s.kind for s in doc.sections]
    assert kinds[:2] == ["title", "abstract"]
    assert kinds.count("references") == 1
    assert any(s.name.casefold() == "introduction" for s in doc.sections)
    assert len(doc.sentences) > 80
    _check_offsets(doc)


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(PAPERS))
def test_paper_references_are_kept_apart(arxiv_id: str, corpus: dict[str, Document]) -> None:
    doc = corpus[arxiv_id]
    assert len(doc.references) >= 15
    (refs,) = [s for s in doc.sections if s.kind == "references"]
    sentences = "\n".join(s.text for s in doc.sentences)
    assert not any(refs.start <= s.start < refs.end for s in doc.sentences)
    for entry in doc.references:
        assert entry[:60] not in sentences


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", sorted(PAPERS))
def test_paper_text_has_no_artifacts(arxiv_id: str, corpus: dict[str, Document]) -> None:
    doc = corpus[arxiv_id]
    counts = count_artifacts(doc.text)
    assert counts["ligatures"] == counts["split_diacritics"] == counts["short_lines"] == 0
    assert f"arXiv:{arxiv_id}v" not in doc.text
    vocabulary = {w.lower() for w in WORD.findall(doc.text)}
    broken = [m for m in BROKEN_HYPHEN.finditer(doc.text) if (m[1] + m[2]).lower() in vocabulary]
    assert len(broken) * 1000 < len(WORD.findall(doc.text))
    assert not any(len(s.text.strip()) <= 2 for s in doc.sentences)


@pytest.mark.slow
@pytest.mark.parametrize("arxiv_id", GOLDEN_PAPERS)
def test_abstract_matches_golden_file(arxiv_id: str, corpus: dict[str, Document]) -> None:
    expected = (GOLDEN / f"{arxiv_id}.abstract.txt").read_text(encoding="utf-8").strip()
    assert corpus[arxiv_id].abstract == expected


@pytest.mark.slow
def test_known_details(corpus: dict[str, Document]) -> None:
    bert = corpus["1810.04805"]
    assert bert.metadata.authors[:2] == ["Jacob Devlin", "Ming-Wei Chang"]
    assert [s.number for s in bert.sections if s.name == "SQuAD v1.1"] == ["4.2"]
    assert corpus["1111.2011"].metadata.categories == ["cond-mat.str-el"]
    assert "Tešanović" in corpus["1111.2011"].metadata.authors[-1]
    xlm = corpus["1901.07291"].text
    assert "Sorbonne Universités" in xlm
    # the footnote that pypdf puts inside "(Socher et al., 2013)" is taken out of the sentence
    assert "(Socher et al., 2013)" in xlm
