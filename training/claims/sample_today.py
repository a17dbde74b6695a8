"""Draw another batch of body sentences to label, from today's extraction.

Why: 1,012 labelled sentences (733 of them on the training papers) are few for the claim
classifier, and the 261 of the untouched papers give its precision and recall error bars of
about +-0.06. ``sample_sentences.py`` drew batches 1-2 from the extraction of the time; the
labels have since been re-pointed at today's (``align_labels.py``), so this batch is drawn from
today's extraction directly: ``PER_PAPER`` sentences per paper, uniformly at random, outside
the reference list and the sentences already labelled, each row filled in by
:func:`align_labels.align` exactly as the existing rows are. The papers of the test split are
drawn too; their labels only ever measure. Batch 4 (``--batch 4 --train-only``) adds labels
to the training papers only: the test split stays the one every earlier figure was measured on.

Run from the repository root (writes ``/tmp/claims_to_label.jsonl``, unlabelled)::

    python training/claims/sample_today.py [--batch 3] [--train-only]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from align_labels import LABELS, PDFS, align, current_rows
from claims_classifier import test_paper
from sample_sentences import OUT, PER_PAPER, paper_seed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=3, help="batch number (also seeds the draw)")
    ap.add_argument("--train-only", action="store_true", help="skip the test split's papers")
    args = ap.parse_args()
    papers = current_rows(PDFS)
    labelled = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    done = {(r["paper"], r["sentence"]) for r in labelled}
    drawn = []
    for paper, (sentences, where, name) in sorted(papers.items()):
        if args.train_only and test_paper(paper):
            continue
        pool = [
            i
            for i, s in enumerate(sentences)
            if s.section_kind != "references" and (paper, s.text) not in done
        ]
        rng = random.Random(paper_seed(paper) + args.batch)
        for i in sorted(rng.sample(pool, min(PER_PAPER, len(pool)))):
            row = {"paper": paper, "sentence_index": i, "sentence": sentences[i].text}
            drawn.append({**align(row, sentences, where, name), "batch": args.batch})
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in drawn))
    print(f"{len(drawn)} sentences of {len(papers)} papers -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
