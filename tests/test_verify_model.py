"""The verifier: labels read from id2label in any order, 2-way heads, clear load errors."""

from __future__ import annotations

import pytest

from synth.errors import ModelError
from synth.verify.model import (
    NliScores,
    Verifier,
    canonical_label,
    label_order,
    resolve_model,
)

from conftest import make_tiny_nli_model

THREE_WAY_ORDERS = [
    {0: "contradiction", 1: "entailment", 2: "neutral"},  # cross-encoder/nli-deberta-v3-base
    {0: "entailment", 1: "neutral", 2: "contradiction"},  # MoritzLaurer mDeBERTa xnli
    {0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"},  # joeddav/xlm-roberta-large-xnli
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ENTAILMENT", "entailment"),
        ("entailed", "entailment"),
        ("not_entailment", "not_entailment"),
        ("non-entailment", "not_entailment"),
        ("Neutral", "neutral"),
        ("CONTRADICTION", "contradiction"),
        ("LABEL_0", None),
    ],
)
def test_canonical_label(name, expected):
    assert canonical_label(name) == expected


def test_label_order_rejects_unnamed_labels():
    with pytest.raises(ModelError, match="not NLI labels"):
        label_order({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(ModelError):
        label_order({0: "entailment", 1: "entailment", 2: "neutral"})


@pytest.mark.parametrize("id2label", THREE_WAY_ORDERS)
@pytest.mark.parametrize("favour", ["entailment", "contradiction", "neutral"])
def test_three_way_labels_follow_config_not_position(tmp_path, id2label, favour):
    name = next(n for n in id2label.values() if n.lower() == favour)
    folder = make_tiny_nli_model(tmp_path / "m", id2label, favour=name)
    verifier = Verifier(str(folder))
    scores = verifier.predict([("A man plays a guitar.", "A person makes music.")])[0]
    assert not verifier.two_way
    assert scores.label == favour
    assert getattr(scores, favour) > 0.9
    total = scores.entailment + scores.neutral + scores.contradiction
    assert total == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize(
    "id2label",
    [{0: "entailment", 1: "not_entailment"}, {0: "not_entailment", 1: "entailment"}],
)
@pytest.mark.parametrize("favour", ["entailment", "not_entailment"])
def test_two_way_heads(tmp_path, id2label, favour):
    folder = make_tiny_nli_model(tmp_path / "m", id2label, favour=favour)
    verifier = Verifier(str(folder))
    scores = verifier.predict([("Cats sleep.", "Dogs bark."), ("x", "y")])
    assert verifier.two_way
    assert [s.label for s in scores] == [favour, favour]
    assert scores[0].neutral is None and scores[0].contradiction is None
    assert scores[0].not_entailment == pytest.approx(1 - scores[0].entailment)


def test_predict_keeps_input_order_for_pairs_of_different_length(tmp_path):
    folder = make_tiny_nli_model(tmp_path / "m", THREE_WAY_ORDERS[0])
    verifier = Verifier(str(folder), batch_size=2)
    pairs = [("short", "a"), ("a much longer premise " * 20, "b"), ("mid length text", "c")]
    together = verifier.predict(pairs)
    alone = [verifier.predict([p])[0] for p in pairs]
    for a, b in zip(together, alone, strict=True):
        assert a.entailment == pytest.approx(b.entailment, abs=1e-4)


def test_missing_model_folder_is_one_line_error(tmp_path):
    with pytest.raises(ModelError) as err:
        Verifier(str(tmp_path / "no-such-model"))
    assert "does not exist" in str(err.value) and "\n" not in str(err.value)


def test_broken_model_folder_is_one_line_error(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "config.json").write_text("{ not json")
    with pytest.raises(ModelError) as err:
        Verifier(str(folder))
    message = str(err.value)
    assert "cannot load NLI model" in message and "--model" in message and "\n" not in message


def test_folder_without_config_is_rejected(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"\0")
    with pytest.raises(ModelError, match=r"no config\.json"):
        resolve_model(str(tmp_path))


def test_unreachable_hub_id_is_one_line_error():
    with pytest.raises(ModelError) as err:
        Verifier("example-org/model-that-is-not-cached")
    assert "Hugging Face hub" in str(err.value) and "\n" not in str(err.value)


def test_scores_as_dict_names_the_labels():
    assert NliScores(0.7, 0.2, 0.1).as_dict() == {
        "entailment": 0.7,
        "neutral": 0.2,
        "contradiction": 0.1,
    }
    assert NliScores(0.25).as_dict() == {"entailment": 0.25, "not_entailment": 0.75}
