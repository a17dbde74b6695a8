"""Measure (and, when one is good enough, fit) when two sentences of a paper state one finding.

``tests/fixtures/key_findings.json`` gives, for every shared paper, its key findings and the
other sentences of the paper that restate each (written down from the PDFs). Pairs of
sentences of one finding are restatements; pairs of sentences of two different findings of
the same paper are not (the hard case: one paper, one topic, distinct results). For each pair
this script computes what :func:`synth.claims.restate.restatement_groups` reads (embedding
cosine, the shipped verifier's P(entailment) both ways, a shared figure, the share of content
words) and picks the thresholds with the
highest recall at pair precision >= ``MIN_PRECISION`` on the training papers (merging two
distinct findings hides one of them, so precision comes first). When no rule of the grid
reaches that precision, the shipped rule (:class:`synth.claims.restate.RestateThresholds`)
stays and is only measured. The papers of the claim classifier's test split are only measured.
Writes ``training/claims/restate_eval.json``. Run from the repository root::

    python training/fit_restatements.py
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np

from synth.claims.restate import RestateThresholds, content_words, same_figure, word_share
from synth.embed import embed
from synth.settings import Settings
from synth.verify.model import load_verifier

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import test_paper  # noqa: E402

FINDINGS = ROOT / "tests" / "fixtures" / "key_findings.json"
EVAL = ROOT / "training" / "claims" / "restate_eval.json"
MIN_PRECISION = 0.95


def pairs_of(findings: list[dict]) -> list[tuple[str, str, int]]:
    """(sentence, sentence, same finding?) for every pair of one paper's finding sentences."""
    tagged = [
        (" ".join(s.split()), k)
        for k, f in enumerate(findings)
        for s in [f["sentence"], *f.get("also_stated", [])]
    ]
    return [(a, b, int(i == j)) for (a, i), (b, j) in itertools.combinations(tagged, 2) if a != b]


def measure(rows: np.ndarray, rule: dict) -> dict:
    """Pair precision and recall of ``rule`` over rows (cosine, forward, backward, shared
    figure, content-word share, label)."""
    cos, fwd, bwd, figure, share, y = rows.T
    both, either = np.minimum(fwd, bwd), np.maximum(fwd, bwd)
    near = cos >= rule["near"]
    pred = (cos >= rule["same"]) | (near & (both >= rule["entail"]))
    pred |= near & (either >= rule["entail_one_way"])
    pred |= (cos >= rule["figures_near"]) & (figure > 0)
    pred |= (cos >= rule["wording_near"]) & (share >= rule["wording_share"])
    tp, fp = int((pred & (y == 1)).sum()), int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def grid() -> list[dict]:
    return [
        {
            "same": s,
            "near": n,
            "entail": e,
            "entail_one_way": o,
            "figures_near": f,
            "wording_near": wn,
            "wording_share": ws,
        }
        for s in (0.8, 0.84, 0.88, 0.92)
        for n in (0.4, 0.5, 0.6, 0.7)
        for e in (0.2, 0.35, 0.5)
        for o in (0.6, 0.8, 0.9, 1.01)
        for f in (0.3, 0.4, 0.5, 1.01)
        for wn in (0.3, 0.4, 0.5, 1.01)
        for ws in (0.5, 0.6, 0.7)
    ]


def features(pairs: list[tuple[str, str, int]], verifier) -> np.ndarray:
    texts = sorted({t for a, b, _ in pairs for t in (a, b)})
    vectors = dict(zip(texts, embed(texts), strict=True))
    cos = [float(vectors[a] @ vectors[b]) for a, b, _ in pairs]
    fwd = [s.entailment for s in verifier.predict([(a, b) for a, b, _ in pairs])]
    bwd = [s.entailment for s in verifier.predict([(b, a) for a, b, _ in pairs])]
    figure = [same_figure(a, b) for a, b, _ in pairs]
    share = [word_share(content_words(a), content_words(b)) for a, b, _ in pairs]
    return np.array([cos, fwd, bwd, figure, share, [y for *_, y in pairs]], dtype=float).T


def main() -> None:
    papers = json.loads(FINDINGS.read_text())["papers"]
    settings = Settings()
    v = settings.verify
    verifier = load_verifier(settings.nli_model, v.batch_size, v.max_length, backend=v.backend)
    split: dict[str, list] = {"train": [], "test": []}
    for arxiv_id, findings in sorted(papers.items()):
        split["test" if test_paper(arxiv_id) else "train"] += pairs_of(findings)
    rows = {name: features(pairs, verifier) for name, pairs in split.items()}
    results = [(rule, measure(rows["train"], rule)) for rule in grid()]
    ok = [r for r in results if r[1]["precision"] >= MIN_PRECISION]
    shipped = RestateThresholds()
    rule = {
        "same": shipped.same,
        "near": shipped.near,
        "entail": shipped.entail,
        "entail_one_way": 1.01,  # never: the shipped rule needs entailment both ways
        "figures_near": shipped.figures_near,
        "wording_near": shipped.wording_near,
        "wording_share": shipped.wording_share,
    }
    if ok:
        rule = max(ok, key=lambda r: (r[1]["recall"], r[1]["precision"]))[0]
    frontier = []
    for r, m in sorted(results, key=lambda z: (-z[1]["precision"], -z[1]["recall"])):
        if not frontier or m["recall"] > frontier[-1]["train"]["recall"]:
            frontier.append({"rule": r, "train": m})
    figures = {
        "about": "training/fit_restatements.py on tests/fixtures/key_findings.json",
        "min_precision": MIN_PRECISION,
        "pairs": {k: {"all": len(r), "restatements": int(r[:, -1].sum())} for k, r in rows.items()},
        "grid_reaches_min_precision": bool(ok),
        "rule": rule,
        "train": measure(rows["train"], rule),
        "test": measure(rows["test"], rule),
        "train_frontier": frontier,
    }
    EVAL.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: figures[k] for k in ("rule", "train", "test")}, indent=2))


if __name__ == "__main__":
    main()
