"""Does the NLI model help tell restatements of one finding from distinct findings?

Same pairs and features as ``training/fit_restatements.py`` (the shipped pair model's), plus
the shipped verifier's P(entailment) and P(contradiction) both ways, the min and max of the
entailments. Logistic regressions with and without the NLI features are scored by grouped
cross-validation (by paper) on the training papers only: recall at pair precision 0.55, 0.66,
0.75 and 0.9. The test papers are not read. Writes ``training/claims/restate_model_eval.json``.
Run from the repository root::

    python training/claims/try_restate_model.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from synth.verify.model import load_verifier

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
from fit_restatements import FINDINGS, best_threshold, load_pairs, pairs_of  # noqa: E402

from synth.claims.pair_model import FEATURES  # noqa: E402

OUT = ROOT / "training" / "claims" / "restate_model_eval.json"
PRECISIONS = (0.55, 0.66, 0.75, 0.9)


def nli_rows(pairs: list[tuple[str, str, int]], verifier) -> np.ndarray:
    fwd = verifier.predict([(a, b) for a, b, _ in pairs])
    bwd = verifier.predict([(b, a) for a, b, _ in pairs])
    rows = []
    for f, g in zip(fwd, bwd, strict=True):
        low, high = sorted((f.entailment, g.entailment))
        rows.append([f.entailment, g.entailment, low, high, f.contradiction, g.contradiction])
    return np.array(rows)


def cv_recalls(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float) -> dict[str, float]:
    oof = np.zeros(len(y))
    for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x[tr], y[tr])
        oof[te] = lr.predict_proba(x[te])[:, 1]
    return {f"P>={p}": round(best_threshold(oof, y, p)[0], 3) for p in PRECISIONS}


def main() -> None:
    papers = json.loads(FINDINGS.read_text())["papers"]
    train = load_pairs()["train"]
    verifier = load_verifier()
    x = np.vstack([rows for _, rows, _ in train])
    nli = np.vstack([nli_rows(pairs_of(papers[paper]), verifier) for paper, _, _ in train])
    y = np.concatenate([labels for _, _, labels in train])
    groups = np.concatenate([[paper] * len(labels) for paper, _, labels in train])
    out = {"about": __doc__.splitlines()[0], "features": list(FEATURES), "recall": {}}
    for c in (0.1, 1.0, 3.0):
        out["recall"][f"pair model C={c}"] = cv_recalls(x, y, groups, c)
        out["recall"][f"pair model + NLI C={c}"] = cv_recalls(np.hstack([x, nli]), y, groups, c)
    OUT.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["recall"], indent=1))


if __name__ == "__main__":
    main()
