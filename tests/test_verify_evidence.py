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
