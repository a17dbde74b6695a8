"""The int8 ONNX backend of the shipped model: picked by default, agrees with torch, fails clearly.

Nothing here hard-codes a logit: the shipped weights are retrained from time to time and the
ONNX file re-exported with them, so the tests compare the two backends with each other and with
labels a human would give.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from synth.errors import ModelError
from synth.settings import SHIPPED_MODEL, Settings
from synth.verify.model import SHIPPED_MODEL_DIR, Verifier, calibration_of, load_verifier
from synth.verify.onnx import ONNX_FILE

from conftest import NLI, make_tiny_nli_model, need

CLEAR = [
    ("A man is playing a guitar on stage in front of a crowd.", "A man is playing an instrument."),
    ("Two children are swimming in a lake on a sunny day.", "Kids are in the water."),
    (
        "Adding dropout improved accuracy on all six datasets.",
        "Adding dropout lowered accuracy on all six datasets.",
    ),
    ("The cat is sleeping on the sofa.", "The cat is running in the garden."),
    (
        "We train the model on Wikipedia for one million steps.",
        "Vitamin D supplements reduce the risk of influenza.",
    ),
]
CLEAR_LABELS = ["entailment", "entailment", "contradiction", "contradiction", "neutral"]


def real_pairs(n: int) -> list[tuple[str, str]]:
    """The first ``n`` SNLI dev pairs: real text, a fixed sample."""
    path = need(NLI / "snli" / "snli_dev.jsonl")
    pairs = []
    with path.open() as f:
        for line in f:
            row = json.loads(line)
            pairs.append((row["premise"], row["hypothesis"]))
            if len(pairs) == n:
                break
    return pairs


@pytest.fixture(scope="module")
def onnx_verifier():
    assert (SHIPPED_MODEL_DIR / ONNX_FILE).exists(), "the int8 file ships with the model"
    return load_verifier(SHIPPED_MODEL, backend="onnx")


@pytest.fixture(scope="module")
def torch_verifier():
    return load_verifier(SHIPPED_MODEL, backend="torch")


def test_default_backend_is_the_shipped_int8_file():
    assert Settings().verify.backend == "auto"
    assert Verifier().backend == "onnx"
    size = (SHIPPED_MODEL_DIR / ONNX_FILE).stat().st_size / 2**20
    assert size < 30


def test_clear_cases_on_onnx(onnx_verifier):
    assert [s.label for s in onnx_verifier.predict(CLEAR)] == CLEAR_LABELS


def test_scores_have_the_same_form_on_both_backends(onnx_verifier, torch_verifier):
    a, b = onnx_verifier.predict(CLEAR[:2]), torch_verifier.predict(CLEAR[:2])
    assert [s.as_dict().keys() for s in a] == [s.as_dict().keys() for s in b]
    for x, y in zip(a, b, strict=True):
        assert abs(x.entailment - y.entailment) < 0.15
        assert x.neutral + x.entailment + x.contradiction == pytest.approx(1.0)


@pytest.mark.slow
def test_onnx_agrees_with_torch_on_real_pairs(onnx_verifier, torch_verifier):
    pairs = real_pairs(300)
    a = [s.label for s in onnx_verifier.predict(pairs)]
    b = [s.label for s in torch_verifier.predict(pairs)]
    assert np.mean(np.equal(a, b)) >= 0.95


def test_a_pairs_onnx_score_does_not_depend_on_the_pairs_checked_with_it(onnx_verifier):
    # Dynamic int8 quantisation scales activations over the whole input tensor: in a batch, a
    # pair's score moved with its batch-mates (labels changed for 3.8% of real pairs).
    pairs = real_pairs(40)
    together = onnx_verifier.logits(pairs)
    alone = np.vstack([onnx_verifier.logits([pair]) for pair in pairs])
    reordered = onnx_verifier.logits(pairs[::-1])[::-1]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, reordered)


def test_env_forces_torch(monkeypatch):
    monkeypatch.setenv("SYNTH_VERIFY__BACKEND", "torch")
    v = Settings().verify
    assert v.backend == "torch"
    assert load_verifier(SHIPPED_MODEL, v.batch_size, v.max_length, backend=v.backend).backend == (
        "torch"
    )


def test_unknown_backend_is_a_model_error():
    with pytest.raises(ModelError, match="SYNTH_VERIFY__BACKEND"):
        Verifier(backend="tensorrt")


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory) -> Path:
    """The shipped folder, weights and ONNX file included, to alter without touching it."""
    return Path(shutil.copytree(SHIPPED_MODEL_DIR, tmp_path_factory.mktemp("m") / "model"))


def test_damaged_onnx_file_is_a_one_line_model_error(tmp_path, shipped_copy):
    folder = Path(shutil.copytree(shipped_copy, tmp_path / "damaged"))
    (folder / ONNX_FILE).write_bytes(b"not an onnx graph")
    for backend in ("auto", "onnx"):
        with pytest.raises(ModelError) as info:
            Verifier(str(folder), backend=backend)
        message = str(info.value)
        assert "damaged" in message and "export_onnx.py" in message and "\n" not in message
    assert Verifier(str(folder), backend="torch").backend == "torch"


def test_stale_onnx_file_is_never_used_silently(tmp_path):
    """An ONNX file exported from other weights: auto takes torch, onnx refuses."""
    folder = make_tiny_nli_model(
        tmp_path / "tiny", {0: "entailment", 1: "neutral", 2: "contradiction"}
    )
    (folder / ONNX_FILE).parent.mkdir()
    shutil.copy(SHIPPED_MODEL_DIR / ONNX_FILE, folder / ONNX_FILE)
    assert Verifier(str(folder)).backend == "torch"
    with pytest.raises(ModelError, match="stale"):
        Verifier(str(folder), backend="onnx")


def test_missing_onnx_file_when_asked_for_is_a_model_error(tmp_path):
    folder = make_tiny_nli_model(tmp_path / "tiny", {0: "entailment", 1: "not_entailment"})
    assert Verifier(str(folder)).backend == "torch"
    with pytest.raises(ModelError, match=r"export_onnx\.py"):
        Verifier(str(folder), backend="onnx")


def test_folded_calibration_is_not_applied_twice():
    config = json.loads((SHIPPED_MODEL_DIR / "config.json").read_text())
    entry = config.get("synth_calibration")
    if entry is not None and "weight" not in entry:
        assert calibration_of(entry, 3) is None  # a temperature folded into the classifier
    assert calibration_of({"weight": [1, 1, 1], "bias": [0, 0, 0], "folded": True}, 3) is None
    with pytest.raises(ModelError, match="synth_calibration"):
        calibration_of({"weight": [1, 1], "bias": [0, 0]}, 3)


def test_calibration_in_config_is_applied_by_both_backends(
    shipped_copy, onnx_verifier, torch_verifier
):
    """``logits * weight + bias`` from config.json, before the softmax, on either backend."""
    config_path = shipped_copy / "config.json"
    config = json.loads(config_path.read_text())
    weight, bias = [0.5, 2.0, 1.5], [0.3, -0.2, 0.1]
    config["synth_calibration"] = {"weight": weight, "bias": bias}
    config_path.write_text(json.dumps(config))
    for backend, plain in (("onnx", onnx_verifier), ("torch", torch_verifier)):
        calibrated = Verifier(str(shipped_copy), backend=backend)
        assert calibrated.backend == backend
        expected = plain.logits(CLEAR) * np.array(weight) + np.array(bias)
        np.testing.assert_allclose(calibrated.logits(CLEAR), expected, rtol=1e-5, atol=1e-5)
    # A bias that makes one label win must win on both backends, read by name.
    neutral = next(i for i, name in config["id2label"].items() if name == "neutral")
    config["synth_calibration"] = {
        "weight": [1.0, 1.0, 1.0],
        "bias": [50.0 if str(i) == str(neutral) else 0.0 for i in range(3)],
    }
    config_path.write_text(json.dumps(config))
    for backend in ("onnx", "torch"):
        scores = Verifier(str(shipped_copy), backend=backend).predict(CLEAR)
        assert {s.label for s in scores} == {"neutral"}
