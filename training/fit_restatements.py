"""Fit and measure the pair model that decides when two sentences of a paper state one finding.

``tests/fixtures/key_findings.json`` gives, for every shared paper, its key findings and the
other sentences of the paper that restate each (written down from the PDFs). Pairs of
sentences of one finding are restatements; pairs of sentences of two different findings of
the same paper are not (the hard case: one paper, one topic, distinct results). Each pair gets
the features of :func:`synth.claims.pair_model.pair_features` (the same code the product runs),
with word weights from the paper's own sentences (its PDF ingested into a throw-away database).

A logistic regression is fitted on the training papers; its regularisation and its decision
threshold are chosen by grouped cross-validation (by paper): the highest out-of-fold recall at
pair precision >= ``--min-precision`` (merging two distinct findings hides one of them, so
precision comes first). Pairs whose figures conflict are never one finding (the product's veto,
:func:`synth.claims.pair_model.figures_conflict`), here as in the product: the threshold is
chosen, and the figures are measured, with that veto applied. The papers of the claim
classifier's test split are never fitted or tuned on; their figures are the ones reported.
It also sets the floor of P(claim) (the claim classifier's) at which a sentence the classifier
did not keep may be listed as a kept claim's restatement: the highest that keeps
``KEEP`` of the training papers' written-down finding sentences that pass the hard rules (a
restatement states a finding; set-up details that share its words stay out), so it is re-run
after ``training/claims_classifier.py`` refits the classifier.
Writes ``synth/models/restate-lr/model.json`` (the artifact) and
``training/claims/restate_eval.json`` (the figures). Run from the repository root::

    python training/fit_restatements.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sqlmodel import Session, select

from synth.claims.extract import claim_probabilities
from synth.claims.naming import introduction, model_name
from synth.claims.pair_model import (
    FEATURES,
    MODEL_FILE,
    figures_conflict,
    figures_shared,
    pair_features,
    paper_idf,
    telling_figures,
)
from synth.embed import embed
from synth.ingest import ingest
from synth.settings import Settings
from synth.store import open_database
from synth.store.models import Paper
from synth.store.nli_cache import cached_reader
from synth.store.papers import paper_sentences

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import test_paper  # noqa: E402
from measure_key_findings import same_sentence  # noqa: E402

FINDINGS = ROOT / "tests" / "fixtures" / "key_findings.json"
PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
EVAL = ROOT / "training" / "claims" / "restate_eval.json"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
# Share of the written-down finding sentences the restatement floor keeps: nearly all, so the
# floor drops what is plainly no claim and never decides between plausible ones.
KEEP = 0.95


def pairs_of(findings: list[dict]) -> list[tuple[str, str, int]]:
    """(sentence, sentence, same finding?) for every pair of one paper's finding sentences."""
    tagged = [
        (" ".join(s.split()), k)
        for k, f in enumerate(findings)
        for s in [f["sentence"], *f.get("also_stated", [])]
    ]
    return [(a, b, int(i == j)) for (a, i), (b, j) in itertools.combinations(tagged, 2) if a != b]


def paper_rows(pairs: list[tuple[str, str, int]], sentences: list[str]) -> np.ndarray:
    """One row of :data:`FEATURES` per pair (the shared figure computed for every pair)."""
    texts = sorted({t for a, b, _ in pairs for t in (a, b)})
    at = {t: k for k, t in enumerate(texts)}
    vectors = embed(texts)
    feats = pair_features(texts, vectors, texts, vectors, paper_idf([*sentences, *texts]))
    figures = [telling_figures(t) for t in texts]
    rows = []
    for a, b, _ in pairs:
        i, j = at[a], at[b]
        values = {k: float(feats[k][i, j]) for k in FEATURES}
        values["figure"] = float(figures_shared(figures[i], figures[j]))
        rows.append([values[k] for k in FEATURES])
    return np.array(rows)


def conflicts(pairs: list[tuple[str, str, int]]) -> np.ndarray:
    """Whether each pair's figures conflict (vetoed as one finding, whatever the model says)."""
    return np.array([figures_conflict(telling_figures(a), telling_figures(b)) for a, b, _ in pairs])


def finding_probabilities(rows, paper: Paper, findings: list[dict], reader) -> list[float]:
    """P(claim) of the paper's written-down finding sentences that pass the hard rules."""
    probabilities = claim_probabilities(
        rows, model_name(paper.title, paper.abstract, introduction(rows)), None, reader
    )
    written = [s for f in findings for s in [f["sentence"], *f.get("also_stated", [])]]
    return [
        p for i, p in probabilities.items() if any(same_sentence(rows[i].text, w) for w in written)
    ]


def restatement_floor(probabilities: list[float]) -> float:
    """The highest P(claim) floor that keeps ``KEEP`` of ``probabilities``."""
    ranked = sorted(probabilities)
    return ranked[int(len(ranked) * (1 - KEEP))] if ranked else 0.0


def load_pairs() -> tuple[dict[str, list], dict[str, list[float]]]:
    """Per split, (paper, feature rows, labels, figure conflicts) for every paper of the
    fixture, and the claim probabilities of its finding sentences."""
    papers = json.loads(FINDINGS.read_text())["papers"]
    out: dict[str, list] = {"train": [], "test": []}
    probabilities: dict[str, list[float]] = {"train": [], "test": []}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.in_folder(Path(tmp))
        engine = open_database(settings)
        with Session(engine) as session:
            ingest(session, settings, corpus=PDFS)
            for paper in session.exec(select(Paper).order_by(Paper.arxiv_id)).all():
                if paper.arxiv_id not in papers:
                    continue
                rows = paper_sentences(session, [paper.id])[paper.id]
                sentences = [r.text for r in rows]
                pairs = pairs_of(papers[paper.arxiv_id])
                split = "test" if test_paper(paper.arxiv_id) else "train"
                probabilities[split] += finding_probabilities(
                    rows, paper, papers[paper.arxiv_id], cached_reader(session)
                )
                y = np.array([p[2] for p in pairs])
                features = paper_rows(pairs, sentences)
                out[split].append((paper.arxiv_id, features, y, conflicts(pairs)))
    return out, probabilities


def best_threshold(prob: np.ndarray, y: np.ndarray, min_precision: float) -> tuple[float, float]:
    """(recall, threshold): the highest recall at precision >= ``min_precision``."""
    best = (0.0, 1.0)
    for t in np.unique(prob):
        pred = prob >= t
        tp = int((pred & (y == 1)).sum())
        if tp / pred.sum() >= min_precision and tp / y.sum() > best[0]:
            best = (tp / y.sum(), float(t))
    return best


def measure(pred: np.ndarray, y: np.ndarray) -> dict:
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--min-precision", type=float, default=0.8)
    args = ap.parse_args()
    data, probabilities = load_pairs()
    floor = restatement_floor(probabilities["train"])
    x = {k: np.vstack([d[1] for d in v]) for k, v in data.items()}
    y = {k: np.concatenate([d[2] for d in v]) for k, v in data.items()}
    vetoed = {k: np.concatenate([d[3] for d in v]) for k, v in data.items()}
    groups = np.concatenate([[d[0]] * len(d[2]) for d in data["train"]])
    cv = {}
    for c in C_GRID:
        oof = np.zeros(len(y["train"]))
        for tr, te in GroupKFold(n_splits=5).split(x["train"], y["train"], groups):
            lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
            oof[te] = lr.fit(x["train"][tr], y["train"][tr]).predict_proba(x["train"][te])[:, 1]
        oof[vetoed["train"]] = 0.0
        recall, threshold = best_threshold(oof, y["train"], args.min_precision)
        cv[c] = {"recall": round(recall, 3), "threshold": threshold, "oof": oof}
        print(f"C={c}: out-of-fold recall {recall:.3f} at precision >= {args.min_precision}")
    c = max(C_GRID, key=lambda k: (cv[k]["recall"], -k))
    lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x["train"], y["train"])
    threshold = cv[c]["threshold"]
    coef = dict(zip(FEATURES, lr.coef_[0].round(4).tolist(), strict=True))
    spec = {
        "about": "training/fit_restatements.py: logistic regression over synth.claims.pair_model "
        "features, fitted on the restatements of tests/fixtures/key_findings.json (training "
        "papers); a pair is one finding when its logit >= threshold_logit",
        "coef": coef,
        "intercept": round(float(lr.intercept_[0]), 4),
        "threshold_logit": round(float(np.log(threshold / (1 - threshold))), 4),
        "C": c,
        "min_precision": args.min_precision,
        "restatement_floor": round(floor, 4),
    }
    MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_FILE.write_text(json.dumps(spec, indent=2) + "\n")
    figures = {
        "about": "training/fit_restatements.py on tests/fixtures/key_findings.json",
        "min_precision": args.min_precision,
        "pairs": {
            k: {
                "all": len(v),
                "restatements": int(v.sum()),
                "figures_conflict": {
                    "restatements": int((vetoed[k] & (v == 1)).sum()),
                    "distinct_findings": int((vetoed[k] & (v == 0)).sum()),
                },
            }
            for k, v in y.items()
        },
        "cross_validated": {str(k): {"recall": v["recall"]} for k, v in cv.items()},
        "chosen_C": c,
        "train_out_of_fold": measure(cv[c]["oof"] >= threshold, y["train"]),
        "test": measure(
            (lr.predict_proba(x["test"])[:, 1] >= threshold) & ~vetoed["test"], y["test"]
        ),
        "coef": coef,
        "restatement_floor": {
            "floor": round(floor, 4),
            "keep": KEEP,
            "kept": {
                k: {"of": len(v), "kept": sum(p >= floor for p in v)}
                for k, v in probabilities.items()
            },
        },
    }
    EVAL.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: figures[k] for k in ("chosen_C", "train_out_of_fold", "coef")}))


if __name__ == "__main__":
    main()
