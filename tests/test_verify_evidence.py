"""Candidate evidence never includes the claim's own sentence or a copy of it."""

from __future__ import annotations

from synth.embed import embed
from synth.verify.evidence import Passage, is_copy, normalise, select_candidates

CLAIM = "BERT advances the state of the art for eleven NLP tasks."


def test_normalise_ignores_case_punctuation_and_spacing():
    assert (
        normalise("BERT, advances  the State-of-the-art!") == "bert advances the state of the art"
    )


def test_copies_are_recognised():
    assert is_copy(CLAIM, CLAIM)
    assert is_copy(CLAIM, "BERT advances the state-of-the-art for eleven NLP tasks")
    assert is_copy(CLAIM, "In short, BERT advances the state of the art for eleven NLP tasks.")
    assert not is_copy(CLAIM, "BERT is pre-trained on BooksCorpus and English Wikipedia.")


def test_own_sentence_and_copies_are_excluded():
    passages = [
        Passage(CLAIM, 1, "1810.04805", 1, sentence_id=10),
        Passage(CLAIM.replace("NLP", "N.L.P."), 1, "1810.04805", 9, sentence_id=99),
        Passage(
            "BERT obtains new state-of-the-art results on eleven tasks.", 1, "1810.04805", 1, 11
        ),
        Passage("ELMo representations are deep.", 2, "1802.05365", 2, 20),
    ]
    vectors = embed([p.text for p in passages])
    claim_vector = embed([CLAIM])[0]
    chosen = select_candidates(
        claim_vector, passages, vectors, k=3, exclude_sentence_id=10, exclude_copies_of=CLAIM
    )
    ids = [p.sentence_id for p, _ in chosen]
    assert 10 not in ids and 99 not in ids
    assert ids[0] == 11  # the closest genuine evidence comes first
    assert all(sim <= 1.0 for _, sim in chosen)


def test_audited_claims_may_match_their_source_verbatim():
    passages = [Passage(CLAIM, 1, "1810.04805", 1, sentence_id=10)]
    chosen = select_candidates(embed([CLAIM])[0], passages, embed([CLAIM]), k=1)
    assert [p.sentence_id for p, _ in chosen] == [10]


def test_the_premise_the_model_reads_never_holds_the_claim(pdf_dir):
    """Circularity through context: a pronoun sentence after the claim's own sentence, and the
    neighbours of an evidence window, must not bring the claim back into the premise."""
    from synth.extract import extract_pdf
    from synth.verify.evidence import Neighbour, text_passages

    document = extract_pdf(pdf_dir / "1810.04805.pdf")
    sentences = [s.text for s in document.sentences]
    # A real pronoun sentence of the paper and the sentence before it, read as a claim.
    i = next(i for i, s in enumerate(sentences[1:], 1) if s.startswith(("It ", "This ", "They ")))
    claim = sentences[i - 1]
    sentences = sentences[max(0, i - 15) : i + 15]  # a stretch of the paper around them
    i = sentences.index(claim) + 1
    passages = text_passages(sentences, "1810.04805")
    for p in passages:
        assert p.before is None or isinstance(p.before, Neighbour)
    pronoun = passages[i]
    assert claim in pronoun.nli_text and claim in pronoun.window()  # unprotected, it leaks
    vectors = embed([p.nli_text for p in passages])
    chosen = select_candidates(
        embed([claim])[0], passages, vectors, k=len(passages), exclude_copies_of=claim
    )
    for p, _ in chosen:
        for premise in (p.nli_text, p.window()):
            assert not any(is_copy(claim, part) for part in _sentences_of(premise, sentences))
    assert any(p.text == pronoun.text for p, _ in chosen)  # kept, without the claim


def _sentences_of(premise: str, sentences: list[str]) -> list[str]:
    return [s for s in sentences if s in premise]
