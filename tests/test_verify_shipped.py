"""The NLI model shipped inside the package: loads offline, gets clear cases right."""

from __future__ import annotations

import pytest

from synth.settings import SHIPPED_MODEL
from synth.verify.model import SHIPPED_MODEL_DIR, load_verifier

ENTAILED = [
    ("A man is playing a guitar on stage in front of a crowd.", "A man is playing an instrument."),
    (
        "BERT obtains new state-of-the-art results on eleven natural language processing tasks.",
        "BERT achieves state-of-the-art results on several NLP tasks.",
    ),
    # Dropping a modifier. Not "... among older adults": that needs "over 65" = "older", which
    # the model barely knows (P(entailment) 0.40 on torch, a tie with neutral on int8 ONNX).
    (
        "The vaccine reduced hospital admissions by half among adults over 65.",
        "The vaccine reduced hospital admissions among adults.",
    ),
    ("Two children are swimming in a lake on a sunny day.", "Kids are in the water."),
]
CONTRADICTED = [
    ("A man is playing a guitar on stage in front of a crowd.", "Nobody is playing any music."),
    (
        "Adding dropout improved accuracy on all six datasets.",
        "Adding dropout lowered accuracy on all six datasets.",
    ),
    (
        "Global temperatures have risen over the last century.",
        "Global temperatures have fallen over the last century.",
    ),
    ("The cat is sleeping on the sofa.", "The cat is running in the garden."),
]
UNRELATED = [
    # Not a photo caption: SNLI labels unrelated captions of one scene "contradiction".
    (
        "The corpus contains one million dialogues from Ubuntu chat logs.",
        "The stock market closed higher on Tuesday.",
    ),
    (
        "We train the model on Wikipedia for one million steps.",
        "Vitamin D supplements reduce the risk of influenza.",
    ),
    (
        "The corpus contains one million dialogues from Ubuntu chat logs.",
        "The authors thank the reviewers for their comments.",
    ),
    ("Two children are swimming in a lake on a sunny day.", "The children are siblings."),
]


@pytest.fixture(scope="module")
def shipped():
    assert (SHIPPED_MODEL_DIR / "config.json").exists(), "the shipped model is part of the package"
    return load_verifier(SHIPPED_MODEL)


def test_shipped_model_is_small_and_three_way(shipped):
    size = sum(f.stat().st_size for f in SHIPPED_MODEL_DIR.iterdir()) / 2**20
    assert size < 50
    assert sorted(shipped.labels) == ["contradiction", "entailment", "neutral"]
    assert (SHIPPED_MODEL_DIR / "README.md").read_text().startswith("# synth-nli-minilm")


@pytest.mark.parametrize(
    ("pairs", "label"),
    [(ENTAILED, "entailment"), (CONTRADICTED, "contradiction"), (UNRELATED, "neutral")],
)
def test_clear_cases(shipped, pairs, label):
    scores = shipped.predict(pairs)
    assert [s.label for s in scores] == [label] * len(pairs)
