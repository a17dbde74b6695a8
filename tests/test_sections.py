"""Section headings of the real shared PDFs against the table written down from the PDFs.

``tests/fixtures/headings.json`` lists every paper's headings; the stored papers (what
``synth papers --json`` prints) must carry exactly those names, so that a method section is
never filed under "Introduction".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from synth.extract.fonts import (
    StyledLine,
    add_font_headings,
    font_heading_texts,
    needs_fonts,
    styled_lines,
)
from synth.extract.layout import Heading, find_headings
from synth.store.papers import list_papers

TABLE = json.loads((Path(__file__).parent / "fixtures" / "headings.json").read_text())["papers"]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@pytest.fixture(scope="module")
def stored_sections(corpus_db) -> dict[str, list[str]]:
    _, engine = corpus_db
    with Session(engine) as session:
        return {row["arxiv_id"]: row["sections"][1:] for row in list_papers(session)}


def test_every_shared_pdf_is_in_the_table(stored_sections):
    assert set(stored_sections) == set(TABLE)


@pytest.mark.parametrize("arxiv_id", sorted(TABLE))
def test_section_names_match_the_papers_headings(stored_sections, arxiv_id):
    expected = [_key(name) for _, name in TABLE[arxiv_id]]
    assert [_key(name) for name in stored_sections[arxiv_id]] == expected


def test_unnumbered_experiment_subsections_come_from_fonts(stored_sections):
    # StarSpace (AAAI style) sets its experiment subsections in bold without numbers.
    names = stored_sections["1709.03856"]
    at = names.index("Experiments")
    assert names[at + 1 : at + 3] == [
        "Text Classification",
        "Content-based Document Recommendation",
    ]


def test_heading_broken_over_two_lines_is_joined():
    lines = ["Abstract", "Text.", "1 Introduction", "Body.", "2 ELMo: Embeddings from Language"]
    found = find_headings([*lines, "Models", "Unlike most widely used word embeddings (Pen-"])
    assert found[4].name == "ELMo: Embeddings from Language Models"
    # a short heading does not wrap: the next short line is a heading of its own
    found = find_headings(["Abstract", "Text.", "1 Introduction", "Body.", "2 Experiments"])
    assert found[4].name == "Experiments"


def test_a_run_in_acknowledgements_heading_is_a_section_of_its_own():
    # UniLM (1905.03197) sets "Acknowledgement" in bold at the start of its paragraph's line.
    lines = [
        "Abstract",
        "Text.",
        "4 Conclusion",
        "We propose UNILM.",
        "Acknowledgement We would like to acknowledge Shiyue Zhang for the helpful",
        "talks.",
    ]
    found = find_headings(lines)
    assert found[4] == Heading(
        None,
        "Acknowledgement",
        "body",
        1,
        "We would like to acknowledge Shiyue Zhang for the helpful",
    )
    assert 5 not in found and 3 not in found


def test_a_paper_with_unnumbered_headings_asks_for_fonts():
    intro_only = {
        0: Heading(None, "Abstract", "abstract"),
        5: Heading(None, "Introduction", "body"),
    }
    assert needs_fonts(intro_only, 400)
    numbered = {0: Heading(None, "Abstract", "abstract")}
    numbered |= {i * 40: Heading(str(i), f"Part {i}", "body") for i in range(1, 9)}
    assert not needs_fonts(numbered, 360)


def test_font_headings_are_bold_short_lines_and_join_two_line_headings():
    body = [StyledLine("We train the model on all of the data we have.", 10.0, False)] * 30
    pages = [
        [
            *body,
            StyledLine("SummaRuNNer", 12.0, True),
            StyledLine("Link Prediction: Embedding Multi-relation", 10.0, True),
            StyledLine("Knowledge Graphs", 10.0, True),
            StyledLine("Collaborative Filtering-based Recommendation with", 10.0, True),
            StyledLine("Table 2: Results.", 10.0, True),
        ]
    ]
    texts = font_heading_texts(pages)
    assert "SummaRuNNer" in texts and "Knowledge Graphs" in texts
    assert "Collaborative Filtering-based Recommendation with" not in texts
    assert "Table 2: Results." not in texts
    lines = ["Abstract", "x", "SummaRuNNer", "text", "Link Prediction: Embedding Multi-relation"]
    found = add_font_headings(
        {0: Heading(None, "Abstract", "abstract")}, [*lines, "Knowledge Graphs"], texts, 0
    )
    assert found[2].name == "SummaRuNNer"
    assert found[4].name == "Link Prediction: Embedding Multi-relation Knowledge Graphs"


@pytest.mark.slow
def test_fonts_alone_find_most_headings_of_a_numbered_paper(pdf_dir):
    # The font pass is a fallback; on a paper whose numbered headings are known it must see
    # (nearly) all of them as bold or large lines, numbers included.
    texts = {_key(t) for t in font_heading_texts(styled_lines(pdf_dir / "1810.04805.pdf"))}
    expected = [f"{n} {name}" for n, name in TABLE["1810.04805"] if n]
    found = [h for h in expected if _key(h) in texts]
    assert len(found) >= 0.8 * len(expected), sorted(set(expected) - set(found))
