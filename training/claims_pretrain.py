"""Intermediate training of the claim reader on the shared labelled abstract sentences.

The reader (``training/claims_finetune.py``) learns from about 1,200 hand-labelled body
sentences; a classifier fine-tuned on so few examples is limited by what it has seen. The shared
sets hold 15k sentences labelled for nearly the same question (scientific_claims' expert claim
labels, CSAbstruct's result role, SciCite's citation sentences as non-claims; the loader is
``claims_classifier.load_public``). Fed to the logistic regression directly, they lowered its
cross-validated AUC (their abstracts read unlike paper bodies); here they only give the reader a
starting point, and the body labels have the last word. Writes
``training/runs/claims-pretrained/`` (gitignored); then::

    python training/claims_finetune.py --base training/runs/claims-pretrained --oof-only

About 10 minutes on two idle cores. Seeded.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import load_public  # noqa: E402
from claims_finetune import train  # noqa: E402

from synth.embed import model_dir  # noqa: E402

OUT = ROOT / "training" / "runs" / "claims-pretrained"


def main() -> None:
    from transformers import AutoTokenizer

    texts, where, labels = load_public()
    rows = [
        {"section": p.section, "sentence": t, "label": int(y)}
        for t, p, y in zip(texts, where, labels, strict=True)
    ]
    print(f"{len(rows)} sentences, {sum(labels)} claims", flush=True)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    model = train(rows, tokenizer, "pretrain", epochs=1)
    model.save_pretrained(OUT)
    tokenizer.save_pretrained(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
