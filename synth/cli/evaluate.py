"""``synth eval-claims``: claim-level verification measured the way the field measures it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from synth.cli._common import ModelOpt, app, build_settings


@app.command("eval-claims")
def eval_claims(
    claims: Annotated[Path, typer.Argument(help="SciFact-format claims (JSON lines).")],
    corpus: Annotated[
        Path, typer.Option("--corpus", help="SciFact-format corpus: doc_id, title, abstract[].")
    ],
    model: ModelOpt = None,
) -> None:
    """Verify each (claim, cited document) and score the verdicts against the gold labels.

    Prints per-verdict precision/recall/F1, the confusion matrix, accuracy, macro-F1, the
    expected calibration error of the confidence (10 bins) and claims/s; the last line is
    one JSON object {"n", "accuracy", "macro_f1", "ece", "claims_per_s"}.

    Example: synth eval-claims claims_dev.jsonl --corpus corpus.jsonl
    """
    from synth.verify.claim_eval import read_claims, read_corpus, score, verify_units
    from synth.verify.model import load_verifier

    settings = build_settings(model)
    units = read_claims(claims, read_corpus(corpus))
    verifier = load_verifier(
        settings.nli_model, settings.verify.batch_size, settings.verify.max_length
    )
    verdicts, seconds = verify_units(units, verifier, settings, progress=sys.stderr.isatty())
    result = score(units, verdicts, seconds)
    typer.echo(
        f"model: {settings.nli_model}   claims file: {claims}   (claim, document): {result.n}"
    )
    typer.echo(f"{'verdict':16s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}")
    for label, m in result.per_label.items():
        typer.echo(
            f"{label:16s} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} "
            f"{int(m['support']):8d}"
        )
    names = list(result.confusion)
    typer.echo("confusion (rows gold, columns predicted): " + " / ".join(names))
    for gold in names:
        row = " ".join(f"{result.confusion[gold][p]:6d}" for p in names)
        typer.echo(f"{gold:16s} {row}")
    typer.echo(
        f"accuracy {result.accuracy:.4f}   macro-F1 {result.macro_f1:.4f}   "
        f"ECE {result.ece:.4f}   {result.claims_per_s:.2f} claims/s"
    )
    typer.echo(json.dumps(result.summary()))
