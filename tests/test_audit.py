"""Audits: the seeds (papers unavailable) and a planted-error report over the shared PDFs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from synth.audit import parse_report
from synth.audit.check import audit_report
from synth.audit.summary import audit_json
from synth.report.render import render_audit
from synth.verify.verdict import NOT_ENOUGH_INFO, SUPPORTED

FIXTURES = Path(__file__).parent / "fixtures"
PLANTED = FIXTURES / "planted_report.txt"
EXPECTED = json.loads((FIXTURES / "planted_report.expected.json").read_text())


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_audit_completes_with_missing_references_named(seeds_dir, session, settings, seed):
    (path,) = seeds_dir.glob(f"{seed}_*.txt")
    parsed = parse_report(path)
    result = audit_report(session, settings, parsed)
    doc = audit_json(result)
    assert doc["claims"] and all(c["verdict"] == NOT_ENOUGH_INFO for c in doc["claims"])
    missing = {m["arxiv_id"] for m in doc["summary"]["references_missing"]}
    assert missing == {r.arxiv_id for r in parsed.references}
    assert all("offline" in m["reason"] for m in doc["summary"]["references_missing"])
    assert all(
        "none of the report's references could be obtained" in c["reason"] for c in doc["claims"]
    )
    stated = doc["summary"]["stated_vs_listed"]
    assert stated["papers_retrieved"]["listed"] == len(parsed.references)
    assert stated["quality_score"]["listed"] is None  # nothing in the report backs it
    for fmt in ("text", "markdown", "html"):
        assert "references" in render_audit(doc, fmt).lower()


def test_seed_audit_cli_exit_zero_with_corpus_lacking_the_papers(seeds_dir, pdf_dir, tmp_path):
    (path,) = seeds_dir.glob("000_*.txt")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from synth.cli import main; main()",
            "audit",
            str(path),
            "--corpus",
            str(pdf_dir),
            "--format",
            "json",
            "--db",
            f"sqlite:///{tmp_path / 'a.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    reasons = [m["reason"] for m in doc["summary"]["references_missing"]]
    assert reasons and all("not in the corpus folder" in r for r in reasons)


@pytest.fixture(scope="module")
def planted(corpus_db, pdf_dir):
    settings, engine = corpus_db
    with Session(engine) as session:
        result = audit_report(session, settings, parse_report(PLANTED), corpus=pdf_dir)
        return audit_json(result)


@pytest.mark.slow
def test_planted_errors_are_found(planted):
    got = {c["index"]: c["verdict"] for c in planted["claims"]}
    right = [e for e in EXPECTED if got[e["index"]] == e["verdict"]]
    wrong = [(e["index"], e["planted"], got[e["index"]]) for e in EXPECTED if e not in right]
    assert len(right) / len(EXPECTED) >= 0.9, wrong
    for e in EXPECTED:
        if e["planted"] == "changed number":
            assert got[e["index"]] != SUPPORTED, e


@pytest.mark.slow
def test_planted_report_summary(planted):
    s = planted["summary"]
    assert s["references_obtained"] == 4 and s["references_missing"] == []
    changed = [e["index"] for e in EXPECTED if e["planted"] == "changed number"]
    flagged = set(s["marked_verified_but_refuted"]) | set(s["marked_verified_but_unsupported"])
    assert set(changed) <= flagged
    assert s["stated_vs_listed"]["papers_retrieved"] == {"stated": 13, "listed": 4}
    assert s["stated_vs_listed"]["claims_extracted"] == {"stated": 20, "listed": 20}


@pytest.mark.slow
def test_truncated_claims_are_recovered_from_the_sources(planted):
    for e in EXPECTED:
        if e["planted"] == "cut at 120":
            row = planted["claims"][e["index"] - 1]
            assert row["truncated"] and row["recovered"]
            assert row["full_text"] == e["full_text"]
