"""How often does an NLI model call a paper's restatement of its own finding a contradiction?

The error class users see in reports: a claim "refuted" by its own paper saying the same thing
in other words ("sentence embeddings tend to outperform word level transfer" against "the
sentence level embeddings surpass ... word level embeddings alone"). A paper seldom contradicts
its own findings, so pairs of one paper's finding sentences make a labelled set for free:

- *restatements*: two sentences written down as stating the same key finding
  (``tests/fixtures/key_findings.json``): a right reading is entailment (at least one way) and
  never contradiction;
- *distinct findings*: sentences of two different findings of the same paper: neutral is right,
  contradiction is wrong (one paper's distinct results do not contradict each other).

Both directions of every pair are scored. Pairs whose figures conflict are left out (there a
contradiction reading can be fair). Figures per split of the claim classifier (the test
papers were never tuned on). Run from the repository root::

    python training/own_paper_pairs.py [--model DIR] [--backend torch|onnx] --out FILE.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from synth.claims.pair_model import figures_conflict, telling_figures
from synth.verify.model import SHIPPED_MODEL, load_verifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import test_paper  # noqa: E402
from fit_restatements import FINDINGS, pairs_of  # noqa: E402


def kept_pairs(findings: list[dict]) -> list[tuple[str, str, int]]:
    """The paper's finding-sentence pairs whose figures do not conflict."""
    return [
        p
        for p in pairs_of(findings)
        if not figures_conflict(telling_figures(p[0]), telling_figures(p[1]))
    ]


def rates(fwd: np.ndarray, bwd: np.ndarray) -> dict[str, float]:
    """Shares of pairs read as contradiction / entailment; rows are (c, e, n) probabilities."""
    contra = (fwd.argmax(1) == 0) | (bwd.argmax(1) == 0)
    entail = (fwd.argmax(1) == 1) | (bwd.argmax(1) == 1)
    return {
        "pairs": len(fwd),
        "contradiction_either_way": round(float(contra.mean()), 3),
        "entailment_either_way": round(float(entail.mean()), 3),
        "mean_p_contradiction": round(float(np.concatenate([fwd[:, 0], bwd[:, 0]]).mean()), 3),
    }


def probs(verifier, pairs: list[tuple[str, str]]) -> np.ndarray:
    scores = verifier.predict(pairs)
    return np.array([[s.contradiction, s.entailment, s.neutral] for s in scores])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", default=SHIPPED_MODEL)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    verifier = load_verifier(args.model, backend=args.backend)
    papers = json.loads(FINDINGS.read_text())["papers"]
    out: dict = {"about": __doc__.splitlines()[0], "model": args.model, "splits": {}}
    for split in ("train", "test"):
        pairs = [
            p
            for key, f in papers.items()
            if test_paper(key) == (split == "test")
            for p in kept_pairs(f)
        ]
        fwd = probs(verifier, [(a, b) for a, b, _ in pairs])
        bwd = probs(verifier, [(b, a) for a, b, _ in pairs])
        same = np.array([y == 1 for _, _, y in pairs])
        out["splits"][split] = {
            "restatements": rates(fwd[same], bwd[same]),
            "distinct_findings": rates(fwd[~same], bwd[~same]),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["splits"], indent=1))


if __name__ == "__main__":
    main()
