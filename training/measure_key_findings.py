"""Does claim extraction find the findings a researcher would cite, once each?

``tests/fixtures/key_findings.json`` lists 4 key findings of every shared arXiv paper, written
down from the PDFs by reading them (each with the paper's own sentence and the other sentences
that restate it). This script ingests the PDFs into a throw-away database, runs the same
extraction as ``synth report`` (classifier, one claim per finding with the pair model,
the report's claims-per-paper limit, no question) and counts, per finding:

* found: a kept claim is one of the finding's sentences, or lists one as a restatement;
* repeated: more than one kept claim states it (restatements not merged);
* merged with another: a kept claim that states or lists it states or lists another finding
  too (two distinct findings taken for one; the other is then hidden as a "restatement").

Papers in the claim classifier's untouched test split (``claims_classifier.test_paper``) are
reported apart; only the training papers' misses are printed, so tuning never looks at the test
papers. Writes ``training/claims/key_findings_eval.json``. Run from the repository root::

    python training/measure_key_findings.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz
from sqlmodel import Session, select

from synth.claims import extract_claims
from synth.ingest import ingest
from synth.settings import Settings
from synth.store import open_database
from synth.store.models import Paper
from synth.store.nli_cache import cached_reader
from synth.store.papers import paper_sentences
from synth.store.vectors import cached_embed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))
from claims_classifier import test_paper  # noqa: E402

FINDINGS = ROOT / "tests" / "fixtures" / "key_findings.json"
PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
OUT = ROOT / "training" / "claims" / "key_findings_eval.json"
SAME = 90  # rapidfuzz ratio at which two renderings of one sentence are the same sentence


def same_sentence(a: str, b: str) -> bool:
    """Whether two strings are one sentence (whitespace, ligatures and hyphens aside)."""
    a, b = " ".join(a.split()), " ".join(b.split())
    return a == b or fuzz.ratio(a, b) >= SAME


def states(claim, sentences: list[str]) -> tuple[bool, bool]:
    """(the claim is one of ``sentences``, the claim lists one of them as a restatement)."""
    own = any(same_sentence(claim.original, s) for s in sentences)
    listed = any(same_sentence(r.text, s) for r in claim.restatements for s in sentences)
    return own, listed


def score_paper(claims, findings: list[dict]) -> list[dict]:
    """Per finding: found, how many kept claims state it, and whether a kept claim that states
    or lists it states or lists another finding too (two findings merged into one claim)."""
    # hits[k][c]: (claim c is one of finding k's sentences, claim c lists one of them)
    hits = [
        [states(c, [f["sentence"], *f.get("also_stated", [])]) for c in claims] for f in findings
    ]
    covered = [sum(any(row[c]) for row in hits) for c in range(len(claims))]
    return [
        {
            "gist": f["gist"],
            "found": any(own or listed for own, listed in row),
            "claims_stating_it": sum(own for own, _ in row),
            "merged_with_another": any(
                any(hit) and n > 1 for hit, n in zip(row, covered, strict=True)
            ),
        }
        for f, row in zip(findings, hits, strict=True)
    ]


def summary(rows: list[dict]) -> dict:
    found = sum(r["found"] for r in rows)
    return {
        "findings": len(rows),
        "found": found,
        "recall": round(found / len(rows), 3) if rows else 0.0,
        "repeated": sum(r["claims_stating_it"] > 1 for r in rows),
        "merged_with_another": sum(r["merged_with_another"] for r in rows),
    }


def main() -> None:
    started = time.perf_counter()
    papers_findings = json.loads(FINDINGS.read_text())["papers"]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.in_folder(Path(tmp))
        engine = open_database(settings)
        per_paper: dict[str, list[dict]] = {}
        claims_per_paper: dict[str, int] = {}
        with Session(engine) as session:
            ingest(session, settings, corpus=PDFS)
            for paper in session.exec(select(Paper).order_by(Paper.arxiv_id)).all():
                if paper.arxiv_id not in papers_findings:
                    continue
                rows = paper_sentences(session, [paper.id])[paper.id]
                claims = extract_claims(
                    rows,
                    title=paper.title,
                    abstract=paper.abstract,
                    embed_fn=lambda texts: cached_embed(session, texts),
                    question_vector=None,
                    limit=settings.claims.max_per_paper,
                    dedup_threshold=settings.claims.dedup_threshold,
                    reader=cached_reader(session),
                )
                claims_per_paper[paper.arxiv_id] = len(claims)
                per_paper[paper.arxiv_id] = score_paper(claims, papers_findings[paper.arxiv_id])
    split = {"train": [], "test": []}
    for arxiv_id, rows in per_paper.items():
        split["test" if test_paper(arxiv_id) else "train"] += rows
        if not test_paper(arxiv_id):
            for r in rows:
                if not r["found"] or r["claims_stating_it"] > 1 or r["merged_with_another"]:
                    print(
                        f"{arxiv_id}: found={r['found']} x{r['claims_stating_it']} "
                        f"merged={r['merged_with_another']}: {r['gist']}"
                    )
    result = {
        "about": "training/measure_key_findings.py on tests/fixtures/key_findings.json",
        "claims_per_paper_limit": Settings().claims.max_per_paper,
        "claims_per_paper": claims_per_paper,
        "train_papers": summary(split["train"]),
        "test_papers": summary(split["test"]),
        "all": summary(split["train"] + split["test"]),
        "per_paper": per_paper,
        "seconds": round(time.perf_counter() - started, 1),
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    # The test papers' figures are in the file, not printed: tuning reads the training papers.
    print(json.dumps({k: result[k] for k in ("train_papers", "seconds")}))


if __name__ == "__main__":
    main()
