"""Load an NLI cross-encoder and turn its logits into named probabilities.

NLI models disagree on label order: cross-encoder/nli-deberta-v3-base puts contradiction first,
MoritzLaurer's mDeBERTa puts entailment first, joeddav/xlm-roberta-large-xnli uses upper case,
and some heads are 2-way (entailment / not_entailment). So labels are always read from the
model's ``config.id2label`` and never assumed by position.

Two backends compute the logits: the int8 ONNX file next to the weights (``onnx/model_int8.onnx``,
made by ``training/export_onnx.py``; about 3x faster on CPU) and the torch model through
sentence-transformers. ``auto`` takes ONNX when the folder has a current file and torch otherwise;
labels, calibration and softmax are then applied by the same code, so both give ``NliScores`` of
the same form.

Calibration: a model's ``config.json`` may carry ``"synth_calibration": {"weight": [...],
"bias": [...]}`` (one value per label, in the model's output order), applied to the logits before
the softmax as ``logits * weight + bias`` by both backends. A calibration already folded into the
classifier layer (``training/calibrate_model.py``'s temperature, recorded under ``temperature``,
or any entry with ``"folded": true``) is part of the weights and is not applied again.

Example:
    >>> verifier = load_verifier("synth-nli-minilm")            # doctest: +SKIP
    >>> verifier.predict([("A dog runs in a park.", "An animal is outside.")])[0].label
    'entailment'
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

from synth.errors import ModelError
from synth.onnx_run import onnxruntime_available, weights_digest
from synth.settings import NLI_BATCH_SIZE, SHIPPED_MODEL
from synth.verify.onnx import OnnxRunner, onnx_path

logger = logging.getLogger(__name__)

ENTAILMENT, NEUTRAL, CONTRADICTION, NOT_ENTAILMENT = (
    "entailment",
    "neutral",
    "contradiction",
    "not_entailment",
)
SHIPPED_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "nli-minilm-l6"

_NOT_ENT = re.compile(r"^(not|non)[\s_-]*entail")


def canonical_label(name: str) -> str | None:
    """The NLI label a model's label name stands for, or None if it names none.

    >>> canonical_label("ENTAILMENT"), canonical_label("not_entailment"), canonical_label("LABEL_0")
    ('entailment', 'not_entailment', None)
    """
    key = name.strip().lower()
    if _NOT_ENT.match(key):
        return NOT_ENTAILMENT
    if key.startswith("entail"):
        return ENTAILMENT
    if key.startswith("neutral"):
        return NEUTRAL
    if key.startswith("contradict"):
        return CONTRADICTION
    return None


def label_order(id2label: dict[int, str]) -> list[str]:
    """Canonical labels in the model's output order; raises ModelError when unusable."""
    names = [id2label[i] for i in sorted(id2label)]
    labels = [canonical_label(n) for n in names]
    valid = {
        frozenset({ENTAILMENT, NEUTRAL, CONTRADICTION}),
        frozenset({ENTAILMENT, NOT_ENTAILMENT}),
    }
    if None in labels or len(set(labels)) != len(labels) or frozenset(labels) not in valid:
        raise ModelError(
            f"the model's labels {names} are not NLI labels; use a cross-encoder whose "
            "config.id2label names entailment/neutral/contradiction or entailment/not_entailment"
        )
    return labels  # type: ignore[return-value]


@dataclass(frozen=True)
class NliScores:
    """Probabilities of one premise/hypothesis pair.

    For a 2-way model ``neutral`` and ``contradiction`` are None and ``not_entailment`` is set.
    """

    entailment: float
    neutral: float | None = None
    contradiction: float | None = None

    @property
    def not_entailment(self) -> float:
        return 1.0 - self.entailment

    @property
    def label(self) -> str:
        """The most probable label (``not_entailment`` for a 2-way model's rest)."""
        if self.neutral is None or self.contradiction is None:
            return ENTAILMENT if self.entailment >= 0.5 else NOT_ENTAILMENT
        options = {
            ENTAILMENT: self.entailment,
            NEUTRAL: self.neutral,
            CONTRADICTION: self.contradiction,
        }
        return max(options, key=options.__getitem__)

    def as_dict(self) -> dict[str, float]:
        out = {ENTAILMENT: round(self.entailment, 4)}
        if self.neutral is not None and self.contradiction is not None:
            out[NEUTRAL] = round(self.neutral, 4)
            out[CONTRADICTION] = round(self.contradiction, 4)
        else:
            out[NOT_ENTAILMENT] = round(self.not_entailment, 4)
        return out


def resolve_model(name: str) -> str:
    """A model name as CrossEncoder should load it: the shipped weights, a folder, or a hub id."""
    if name in (SHIPPED_MODEL, "", "default"):
        if not (SHIPPED_MODEL_DIR / "config.json").exists():
            raise ModelError(
                f"the shipped NLI model is missing from {SHIPPED_MODEL_DIR}; reinstall synth "
                "(pip install -e .) or pass --model with a Hugging Face id or model folder"
            )
        return str(SHIPPED_MODEL_DIR)
    path = Path(name).expanduser()
    looks_like_path = name.startswith((".", "/", "~")) or path.exists()
    if looks_like_path:
        if not path.is_dir():
            raise ModelError(f"model folder {name} does not exist; check the path given to --model")
        if not (path / "config.json").exists():
            raise ModelError(
                f"{name} is not a model folder (no config.json); point --model at a folder "
                "saved with save_pretrained, or at a Hugging Face id"
            )
        return str(path.resolve())
    return name


def calibration_of(entry: object, num_labels: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The (weight, bias) to apply to a model's logits, from its config's ``synth_calibration``.

    None when the model has none or it is folded into the weights already (see module docs).

    >>> calibration_of({"weight": [1, 2, 1], "bias": [0, 0.5, 0]}, 3)[1].tolist()
    [0.0, 0.5, 0.0]
    >>> calibration_of({"temperature": 1.86, "bias": [0, 0, 0]}, 3) is None
    True
    """
    if not isinstance(entry, dict) or "weight" not in entry or entry.get("folded"):
        return None
    weight = np.asarray(entry["weight"], dtype=np.float64).reshape(-1)
    bias = np.asarray(entry.get("bias", np.zeros(num_labels)), dtype=np.float64).reshape(-1)
    if weight.shape != (num_labels,) or bias.shape != (num_labels,):
        raise ModelError(
            f"the model's synth_calibration has {weight.size} weights and {bias.size} biases for "
            f"{num_labels} labels; fix config.json or remove the synth_calibration entry"
        )
    return weight, bias


BACKENDS = ("auto", "torch", "onnx")


def choose_backend(path_or_id: str, requested: str) -> str:
    """``torch`` or ``onnx`` for a resolved model, as ``requested`` (auto, torch or onnx) asks.

    ``auto`` takes ONNX only when the folder has an int8 file made from the weights beside it
    and onnxruntime is installed; otherwise it logs why and takes torch. ``onnx`` insists (the
    runner raises ModelError with the fix).
    """
    if requested not in BACKENDS:
        raise ModelError(
            f"unknown verifier backend {requested!r}; set SYNTH_VERIFY__BACKEND to one of "
            f"{', '.join(BACKENDS)}"
        )
    if requested != "auto":
        return requested
    path = onnx_path(path_or_id) if Path(path_or_id).is_dir() else None
    if path is None:
        return "torch"
    if not onnxruntime_available():
        logger.warning("onnxruntime is not installed; running %s with torch", path_or_id)
        return "torch"
    return "onnx"


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class Verifier:
    """An NLI cross-encoder that scores (premise, hypothesis) pairs.

    Loads once. The torch backend batches pairs sorted by length, so padding is spent only on
    pairs of similar size; the ONNX backend runs each pair alone, so that its int8 arithmetic
    gives a pair the same answer whatever else is checked with it.

    Args:
        model: the shipped model's name, a local folder or a Hugging Face id.
        batch_size: pairs per forward pass of the torch backend (ONNX runs each pair alone).
        max_length: token limit per pair; longer premises are truncated.
        backend: ``auto`` (int8 ONNX when the folder has a current file, else torch), ``torch``
            or ``onnx``; see :func:`choose_backend`.

    Example:
        >>> Verifier(backend="torch").backend  # doctest: +SKIP
        'torch'
    """

    def __init__(
        self,
        model: str = SHIPPED_MODEL,
        *,
        batch_size: int = NLI_BATCH_SIZE,
        max_length: int = 256,
        backend: str = "auto",
    ) -> None:
        self.name = model
        self.batch_size = batch_size
        self.max_length = max_length
        path = resolve_model(model)
        self._path = path
        self.backend = choose_backend(path, backend)
        self._encoder = None
        self._runner: OnnxRunner | None = None
        if self.backend == "onnx":
            runner = OnnxRunner(path, max_length=max_length, allow_stale=backend == "auto")
            if runner.stale:
                # auto with a file older than the weights: the weights are the truth.
                logger.warning(
                    "the ONNX file %s is stale (%s); using torch", runner.path, runner.stale
                )
                self.backend = "torch"
            else:
                self._runner = runner
        if self._runner is not None:
            config = self._runner.config
            id2label = {int(k): v for k, v in config.get("id2label", {}).items()}
            calibration = config.get("synth_calibration")
        else:
            self._encoder = _load_cross_encoder(path, max_length)
            id2label = self._encoder.config.id2label
            calibration = getattr(self._encoder.config, "synth_calibration", None)
        self.labels = label_order(id2label)
        self.two_way = NOT_ENTAILMENT in self.labels
        self.calibration = calibration_of(calibration, len(self.labels))
        logger.info("NLI model %s runs on %s", model, self.backend)

    @cached_property
    def identity(self) -> str:
        """What decides this verifier's raw logits for a pair: the weights (their SHA-256 for a
        local folder, else the hub id), the backend and the token limit. Cached scores are
        keyed by it (:mod:`synth.store.nli_cache`)."""
        weights = weights_digest(self._path) if Path(self._path).is_dir() else self._path
        return f"{weights}|{self.backend}|{self.max_length}"

    def raw_logits(
        self, pairs: Sequence[tuple[str, str]], *, show_progress: bool = False
    ) -> np.ndarray:
        """The model's own logits (float32, no calibration), one row per pair in input order."""
        if not pairs:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        if self._runner is not None:
            raw = self._runner.logits(pairs)
        else:
            import torch

            raw = self._encoder.predict(
                [[p, h] for p, h in pairs],
                batch_size=self.batch_size,
                show_progress_bar=show_progress,
                activation_fn=torch.nn.Identity(),
                convert_to_numpy=True,
            )
        return np.asarray(raw, dtype=np.float32).reshape(len(pairs), -1)

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        """Raw logits with the model's calibration applied."""
        out = np.asarray(raw, dtype=np.float64)
        if self.calibration is not None:
            weight, bias = self.calibration
            out = out * weight + bias
        return out

    def logits(
        self, pairs: Sequence[tuple[str, str]], *, show_progress: bool = False
    ) -> np.ndarray:
        """The model's logits (calibration applied), one row per pair in input order."""
        return self.calibrated(self.raw_logits(pairs, show_progress=show_progress))

    def predict(
        self, pairs: Sequence[tuple[str, str]], *, show_progress: bool = False
    ) -> list[NliScores]:
        """Probabilities for each (premise, hypothesis) pair, in input order.

        Example:
            >>> Verifier().predict([("Cats sleep.", "Dogs bark.")])[0].label  # doctest: +SKIP
            'neutral'
        """
        if not pairs:
            return []
        return self.scores_of(self.raw_logits(pairs, show_progress=show_progress))

    def scores_of(self, raw: np.ndarray) -> list[NliScores]:
        """The probabilities that raw logits (one row per pair) stand for."""
        probs = _softmax(self.calibrated(raw))
        col = {label: i for i, label in enumerate(self.labels)}
        if self.two_way:
            return [NliScores(entailment=float(row[col[ENTAILMENT]])) for row in probs]
        return [
            NliScores(
                entailment=float(row[col[ENTAILMENT]]),
                neutral=float(row[col[NEUTRAL]]),
                contradiction=float(row[col[CONTRADICTION]]),
            )
            for row in probs
        ]


def _load_cross_encoder(path_or_id: str, max_length: int):
    import torch
    from sentence_transformers import CrossEncoder

    local = Path(path_or_id).is_dir()
    offline = os.environ.get("HF_HUB_OFFLINE") == "1"
    try:
        return CrossEncoder(
            path_or_id,
            max_length=max_length,
            local_files_only=local or offline,
            # The shipped weights are fp16 on disk; CPUs compute fp32 far faster and more exactly.
            model_kwargs={"dtype": torch.float32},
        )
    except Exception as exc:  # transformers raises OSError, ValueError, HF hub errors...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = (
            "the model folder is damaged; re-save it or pass another --model"
            if local
            else "it is not a local folder and the Hugging Face hub could not provide it "
            "(offline?); download it where you have internet and pass --model PATH"
        )
        raise ModelError(f"cannot load NLI model {path_or_id!r}: {hint} ({first[:200]})") from exc


@cache
def load_verifier(
    model: str = SHIPPED_MODEL,
    batch_size: int = NLI_BATCH_SIZE,
    max_length: int = 256,
    backend: str = "auto",
) -> Verifier:
    """The verifier for ``model``, loaded once per process (per backend asked for)."""
    logger.info("loading NLI model %s", model)
    return Verifier(model, batch_size=batch_size, max_length=max_length, backend=backend)
