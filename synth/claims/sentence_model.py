"""The fine-tuned MiniLM sentence reader: how claim-like a sentence reads, in its section.

A MiniLM-L6 classifier fine-tuned on the hand-labelled body sentences of the shared PDFs
(``training/claims_finetune.py``). It reads the pair (section heading, sentence) and gives
logit(claim) - logit(other); that number is one feature of the claim classifier
(:mod:`synth.claims.classifier`), beside the place and cue features, since on its own it is
less precise than the stack (``training/claims/figures.json``). The shipped folder,
``synth/models/claims-minilm/``, holds the config, the tokenizer and the int8 ONNX file only
(22 MB); it runs through the same runner as the NLI model (:class:`synth.verify.onnx.OnnxRunner`),
one sentence alone per worker, so a sentence's score never depends on its batch-mates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from synth.errors import ModelError

MODEL_DIR = "claims-minilm"
PairLogits = Callable[[Sequence[tuple[str, str]]], np.ndarray]
MAX_TOKENS = 96  # 97% of the labelled sentences with their heading fit (the rest lose words)


def pair_of(section: str, sentence: str) -> tuple[str, str]:
    """The model's input for a sentence: its section heading first (numbering kept, as the
    PDF prints it), then the sentence."""
    return " ".join(section.split()) or "Body", " ".join(sentence.split())


def model_folder() -> Path:
    return Path(str(resources.files("synth") / "models" / MODEL_DIR))


@cache
def _runner():
    from synth.verify.onnx import OnnxRunner, onnx_path

    folder = model_folder()
    if onnx_path(folder) is None:
        raise ModelError(
            f"the claim reader's ONNX file is missing from {folder}; reinstall synth "
            "(pip install -e .) or rebuild it with: python training/claims_finetune.py"
        )
    return OnnxRunner(folder, max_length=MAX_TOKENS)


def reader_logits(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Raw logits (other, claim) of (heading, sentence) pairs from the shipped int8 file."""
    return _runner().logits(pairs)


@cache
def reader_identity() -> str:
    """What decides the reader's logits (weights file and token limit): a cache key's prefix."""
    from synth.onnx_run import file_digest

    runner = _runner()
    return f"{MODEL_DIR}:{file_digest(runner.path)[:16]}:{MAX_TOKENS}"


def claim_logits(
    sentences: Sequence[str], sections: Sequence[str], logits_fn: PairLogits | None = None
) -> np.ndarray:
    """logit(claim) - logit(other) of each sentence (float32, one per sentence).
    ``logits_fn`` computes raw pair logits (default :func:`reader_logits`; the pipeline passes
    one through the database's score cache, so a paper's sentences are read once, ever).

    Raises:
        ModelError: the shipped model folder is missing or damaged, or onnxruntime is absent.
    """
    if not sentences:
        return np.zeros(0, dtype=np.float32)
    pairs = [pair_of(h, s) for h, s in zip(sections, sentences, strict=True)]
    logits = np.asarray((logits_fn or reader_logits)(pairs))
    return logits[:, 1] - logits[:, 0]
