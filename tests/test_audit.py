"""Audits: the seeds (papers unavailable) and planted-error reports over the shared PDFs.

The planted-error reports of ``fixtures/audit_planted`` run through the real audit: the shared
PDFs as ``--corpus``, the shipped NLI model, SQLite in a temporary folder. ``dev_*`` was used
to tune the quotation check; ``heldout_*`` never was.
"""

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
    assert all("could not be checked" in c["reason"] for c in doc["claims"])
    assert all(c["checked"] is False and c["disagrees"] is None for c in doc["claims"])
    summary = doc["summary"]
    assert summary["unchecked"] == len(doc["claims"]) and summary["marked"] == 0
    assert summary["agreement_rate"] is None and summary["misquotes"] == []
    # an unchecked claim is no evidence against the report's mark
    assert summary["marked_verified_but_unsupported"] == []
    assert summary["marked_verified_but_refuted"] == []
    stated = doc["summary"]["stated_vs_listed"]
    assert stated["papers_retrieved"]["listed"] == len(parsed.references)
    assert stated["quality_score"]["listed"] is None  # nothing in the report backs it
    for fmt in ("text", "markdown", "html"):
        rendered = render_audit(doc, fmt).lower()
        assert "references" in rendered and "not checked" in rendered
        assert "not_enough_info 1.00" not in rendered  # no confidence for what nothing checked
        assert f"{len(doc['claims'])} of them not checked" in rendered


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


PLANTED_DIR = FIXTURES / "audit_planted"
AUDIT_PLANTED = sorted(PLANTED_DIR.glob("*.txt"))


@pytest.fixture(scope="module", params=[p.name for p in AUDIT_PLANTED])
def planted_audit(request, corpus_db, pdf_dir):
    settings, engine = corpus_db
    path = PLANTED_DIR / request.param
    with Session(engine) as session:
        result = audit_report(session, settings, parse_report(path), corpus=pdf_dir)
        doc = audit_json(result)
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return doc, expected


@pytest.mark.slow
def test_reverifying_an_audit_runs_the_quotation_check_again(planted_audit, corpus_db):
    """synth reverify on an audit decides quotes and misquotes as the audit did (a misquote is
    refuted by the rule, not left to NLI), each as a new verification beside the old one."""
    from sqlmodel import select

    from synth.audit.reverify import reverify
    from synth.store.models import Claim, Verification

    doc, _expected = planted_audit
    settings, engine = corpus_db
    with Session(engine) as session:
        result = reverify(session, settings, run_id=doc["run_id"])
        claims = session.exec(
            select(Claim).where(Claim.run_id == doc["run_id"]).order_by(Claim.id)
        ).all()
        latest = []
        for claim in claims:
            rows = session.exec(
                select(Verification)
                .where(Verification.claim_id == claim.id)
                .order_by(Verification.id)
            ).all()
            assert len(rows) >= 2  # the audit's verdict is kept beside the new one
            latest.append(rows[-1])
    assert result.claims == len(doc["claims"])
    for c, v in zip(doc["claims"], latest, strict=True):
        if c["quote"]["kind"] in ("quoted", "misquote"):
            assert (v.verdict, v.reason) == (c["verdict"], c["reason"]), (c["index"], v.reason)


@pytest.mark.slow
def test_planted_audit_verdicts(planted_audit):
    doc, expected = planted_audit
    got = {c["index"]: c["verdict"] for c in doc["claims"]}
    wrong = [
        (e["index"], e["planted"], got[e["index"]])
        for e in expected
        if got[e["index"]] != e["verdict"]
    ]
    # 13 planted claims per report; the NLI model decides the paraphrased and invented ones, and
    # on dev_qa_crosslingual it misses two (the same on torch and on ONNX, each pair run alone:
    # P(entailment) 0.42 for "can be downloaded freely from TF Hub" from "made freely available
    # for download and on TF Hub", 0.55 for an invented training method from a sentence about
    # BiDAF's attention). Batched int8 scores had passed both, by their batch-mates' noise.
    assert len(expected) - len(wrong) >= 11, wrong


@pytest.mark.slow
def test_planted_audit_finds_misquotes_with_the_diff(planted_audit):
    doc, expected = planted_audit
    claims = {c["index"]: c for c in doc["claims"]}
    planted = [e for e in expected if "misquote" in e]
    for e in planted:
        quote = claims[e["index"]]["quote"]
        assert quote["kind"] == "misquote", (e, quote)
        assert e["misquote"] in quote["misquote"], (e, quote)
        assert any(e["diff"] in d for d in quote["diff"]), (e, quote)
        assert claims[e["index"]]["verdict"] == "REFUTED"
        assert claims[e["index"]]["evidence"][0]["text"] == quote["source"]
    summary = doc["summary"]
    assert set(summary["misquotes"]) == {e["index"] for e in planted}
    for kind in {e["misquote"] for e in planted}:
        assert summary["misquotes_by_kind"][kind] == sum(e["misquote"] == kind for e in planted)
    text = render_audit(doc, "text")
    assert all(e["diff"] in text for e in planted)


@pytest.mark.slow
def test_planted_audit_quotations_are_supported_and_completed(planted_audit):
    doc, expected = planted_audit
    claims = {c["index"]: c for c in doc["claims"]}
    for e in expected:
        if e["planted"] in ("verbatim", "cut at 120"):
            c = claims[e["index"]]
            assert c["quote"]["kind"] == "quoted" and c["verdict"] == SUPPORTED, c
            assert c["reason"].startswith("quoted")
        if "full_text" in e:
            assert claims[e["index"]]["full_text"] == e["full_text"]


def test_quote_verdicts_take_the_measured_precision_or_say_it_is_missing():
    from synth.audit.check import quote_verdict
    from synth.verify.quote import Source, match_quote, rule_precision

    source = Source("The training process takes roughly 20 hours on a single Titan X GPU.", "x", 6)
    misquote = match_quote(
        "The training process takes roughly 20 minutes on a single GPU.", [source]
    )
    quoted = match_quote(source.text, [source])
    measured = rule_precision()
    assert measured is not None and 0.5 < measured["misquote"] < 1 and measured["n"]["quoted"] > 0
    v = quote_verdict(misquote, measured)
    assert v.verdict == "REFUTED" and v.confidence == measured["misquote"]
    assert "20 hours -> 20 minutes" in v.reason and v.evidence[0].passage.text == source.text
    assert quote_verdict(quoted, measured).verdict == SUPPORTED
    fallback = quote_verdict(quoted, None)
    assert fallback.confidence == 0.5 and "not measured" in fallback.reason
