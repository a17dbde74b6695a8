"""Would rhetorical-role scores from the shared abstract sets help the claim classifier?

CSAbstruct labels 14.7k sentences of CS abstracts as background / objective / method / result /
other, and scientific_claims labels 11.7k biomedical abstract sentences as claim or not. Used
directly as training rows they lower the classifier's cross-validated AUC (see
``claims_classifier.py``). This script tries them as *features* instead: a logistic regression
over frozen MiniLM embeddings (the ones ``synth.embed`` already computes) predicts each body
sentence's role and claim-ness, and those log-probabilities join the cue and place features.

It measures, on the same folds and untouched test papers as ``claims_classifier.py``: the
shipped features (place, cues and the fine-tuned reader's logit) alone, with role scores, with
role and claim scores, and with raw embeddings.
Writes ``training/claims/role_features_eval.json``. Run from the repository root (about 5
minutes on 2 cores, most of it embedding)::

    python training/claims/try_role_features.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
import claims_classifier as cc  # noqa: E402

from synth.embed import embed  # noqa: E402

OUT = ROOT / "training" / "claims" / "role_features_eval.json"
ROLES = ("background", "objective", "method", "result", "other")


def public_rows() -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """(CSAbstruct sentences, role ids, scientific_claims sentences, claim labels)."""
    roles_t, roles_y, claims_t, claims_y = [], [], [], []
    for line in (cc.SHARED / "csabstruct" / "train.jsonl").read_text().splitlines():
        item = json.loads(line)
        for s, role in zip(item["sentences"], item["labels"], strict=True):
            roles_t.append(s)
            roles_y.append(ROLES.index(role.lower()))
    for name in ("train_labels.json", "validation_labels.json"):
        for line in (cc.SHARED / "scientific_claims" / name).read_text().splitlines():
            item = json.loads(line)
            claims_t += item["sentences"]
            claims_y += [int(y) for y in item["labels"]]
    return roles_t, np.array(roles_y), claims_t, np.array(claims_y)


def evaluate(x: np.ndarray, y, ok, groups, train, c: float) -> dict:
    """Grouped-CV threshold and AUC on the training papers, then the untouched papers (the
    folds, fit and threshold of ``claims_classifier.py``)."""
    xt, yt, okt, gt = x[train], y[train], ok[train], groups[train]
    oof = cc.cross_validate((None, None), (xt, yt), gt, c, 0.0)
    t = cc.threshold_for(oof, yt, okt)
    p = cc.fit(xt, yt, np.ones(len(yt)), c).probability_of(x[~train])
    test_ok = ok[~train]
    return {
        "C": c,
        "threshold": t,
        "cv_auc": round(float(roc_auc_score(yt[okt], oof[okt])), 3),
        "cv": cc.scores(okt & (oof >= t), yt),
        "test_auc": round(float(roc_auc_score(y[~train][test_ok], p[test_ok])), 3),
        "test": cc.scores(test_ok & (p >= t), y[~train]),
    }


def main() -> None:
    body = cc.load_body()
    roles_t, roles_y, claims_t, claims_y = public_rows()
    vectors = embed([r["sentence"] for r in body])
    role_model = LogisticRegression(max_iter=3000).fit(embed(roles_t), roles_y)
    claim_model = LogisticRegression(max_iter=3000).fit(embed(claims_t), claims_y)
    role = role_model.predict_log_proba(vectors)
    claim = claim_model.decision_function(vectors)[:, None]
    shipped, y, ok = cc.body_data(body)
    groups = np.array([r["paper"] for r in body])
    train = np.array([not cc.test_paper(r["paper"]) for r in body])
    variants = {
        "shipped": (shipped, json.loads(cc.FIGURES.read_text())["chosen"]["C"]),
        "shipped+roles": (np.hstack([shipped, role]), 0.01),
        "shipped+roles+claim": (np.hstack([shipped, role, claim]), 0.01),
        "shipped+embeddings": (np.hstack([shipped, vectors]), 0.01),
    }
    results = {k: evaluate(x, y, ok, groups, train, c) for k, (x, c) in variants.items()}
    OUT.write_text(json.dumps({"about": __doc__.splitlines()[0], **results}, indent=2) + "\n")
    for k, r in results.items():
        print(k, r["cv_auc"], r["cv"]["f1"], r["test_auc"], r["test"])


if __name__ == "__main__":
    main()
