"""How often is a claim "supported" by another paper rightly, with and without the subject rule?

``training/results/cross_paper_support.jsonl`` holds every claim of four reports over the
shared PDFs (questions in ``QUESTIONS``) whose SUPPORTED verdict rested on a sentence of
another paper, before the subject rule, each labelled by hand: does the sentence back the
claim? Papers on one topic share their vocabulary, so the NLI model reads many sentences of
related work as entailing a claim about another method ("DANs achieve strong baseline
performance" "supported" by a sentence about sentiment-specific tuning). The rule: evidence from
another paper supports a claim only when it mentions what the claim is about
(:func:`synth.verify.tiers.subject_overlap` >= ``SAME_SUBJECT``, the bar contradiction already
had). On development claims (one source per claim) the same rule for *all* evidence cost much
more than it gained (``training/fit_decision.py``: support recall 0.35 -> 0.15), so it holds
for other papers only. Writes ``training/results/cross_paper_support.json``::

    python training/cross_paper_support.py
"""

from __future__ import annotations

import json
from pathlib import Path

from synth.verify.decision import SAME_SUBJECT
from synth.verify.tiers import subject_overlap

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "training" / "results" / "cross_paper_support.jsonl"
OUT = ROOT / "training" / "results" / "cross_paper_support.json"
QUESTIONS = (
    "How does cross-lingual pretraining help transfer learning?",
    "Which sentence embedding methods transfer best to downstream tasks?",
    "How do neural models summarise documents and answer questions over text?",
    "What makes attention effective for text classification and translation?",
)


def precision_recall(kept: list[bool], right: list[bool]) -> dict[str, float | int]:
    tp = sum(k and r for k, r in zip(kept, right, strict=True))
    return {
        "kept": sum(kept),
        "right": tp,
        "precision": round(tp / sum(kept), 3) if any(kept) else 1.0,
        "recall": round(tp / sum(right), 3) if any(right) else 1.0,
    }


def main() -> None:
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    right = [r["supports"] for r in rows]
    with_rule = [subject_overlap(r["claim"], r["evidence"]) >= SAME_SUBJECT for r in rows]
    result = {
        "about": __doc__.splitlines()[0],
        "questions": QUESTIONS,
        "pairs": len(rows),
        "without_rule": precision_recall([True] * len(rows), right),
        "with_rule": precision_recall(with_rule, right),
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
