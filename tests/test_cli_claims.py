"""The claim commands end to end: claims, claims show, label, reverify, runs, bibtex, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from synth.cli import app, main
from synth.errors import NotFoundError
from synth.extract import extract_pdf
from synth.store.models import Claim, HumanLabel, Paper, Sentence, Verification
from synth.store.papers import PaperInfo, upsert_paper
from synth.store.runs import ClaimRecord, save_run, save_verification
from synth.verify.evidence import Passage
from synth.verify.model import NliScores
from synth.verify.verdict import (
    NOT_ENOUGH_INFO,
    REFUTED,
    SUPPORTED,
    ScoredEvidence,
    Thresholds,
    Verdict,
)

from conftest import make_tiny_nli_model

runner = CliRunner()


def verdict(label: str, confidence: float, evidence: str, paper: Paper) -> Verdict:
    """A verdict with one piece of evidence, as the verifier would return it."""
    scores = NliScores(entailment=confidence, neutral=1 - confidence, contradiction=0.0)
    ev = ScoredEvidence(
        passage=Passage(evidence, paper.id, paper.arxiv_id, 2),
        raw=scores,
        scores=scores,
        similarity=0.8,
        figures="ok",
        cross_paper=False,
    )
    return Verdict(label, confidence, "test", [ev])


@pytest.fixture
def db(settings, session: Session) -> dict:
    """A stored report over two papers with three claims; claim 1 re-verified by model-b."""
    bert = Paper(
        arxiv_id="1810.04805",
        version=2,
        title="BERT: Pre-training & Fine-tuning",
        authors=["Jacob Devlin", "Ming-Wei Chang"],
        year=2018,
        categories=["cs.CL"],
    )
    xlm = Paper(arxiv_id="1901.07291", title="Cross-lingual Language Model Pretraining", year=2019)
    session.add_all([bert, xlm])
    session.commit()
    texts = [
        "BERT improves GLUE by a wide margin.",
        "Cross-lingual pretraining helps low-resource languages.",
        "Masked language models need no labels.",
    ]
    stored = save_run(
        session,
        kind="report",
        question="How does pretraining help?",
        model="model-a",
        settings={},
        stats={"claims_by_verdict": {SUPPORTED: 2, REFUTED: 1}},
        papers=[(xlm.id, 0.9), (bert.id, 0.7)],
        claims=[
            ClaimRecord(t, t, paper_id=(bert if i != 1 else xlm).id) for i, t in enumerate(texts)
        ],
        verdicts=[
            verdict(SUPPORTED, 0.9, "GLUE rises to 80.5.", bert),
            verdict(REFUTED, 0.8, "No gains for low-resource languages.", xlm),
            verdict(SUPPORTED, 0.7, "Pretraining is self-supervised.", bert),
        ],
        thresholds=Thresholds(),
    )
    for cid, label in zip(stored.claim_ids, (SUPPORTED, NOT_ENOUGH_INFO, SUPPORTED), strict=True):
        save_verification(
            session,
            cid,
            verdict(label, 0.65, "second opinion", bert),
            model="model-b",
            thresholds=Thresholds(),
        )
    session.commit()
    return {"url": settings.database_url, "run": stored.run_id, "claims": stored.claim_ids}


def invoke(db: dict, *args: str):
    """Run ``synth ARGS --db URL`` in-process."""
    return runner.invoke(app, [*args, "--db", db["url"]])


def test_claims_csv_lists_newest_verdicts(db):
    result = invoke(db, "claims", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["id"]) for r in rows] == sorted(db["claims"], reverse=True)
    assert {r["model"] for r in rows} == {"model-b"}
    assert [r["verdict"] for r in rows] == [SUPPORTED, NOT_ENOUGH_INFO, SUPPORTED]


def test_claims_filters_and_formats(db, tmp_path):
    result = invoke(db, "claims", "--model", "model-a", "--verdict", "refuted", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["id"] == db["claims"][1] and row["paper"] == "1901.07291"

    result = invoke(db, "claims", "--search", 'cross-lingual "languages"', "--format", "json")
    assert [r["id"] for r in json.loads(result.stdout)] == [db["claims"][1]]

    result = invoke(db, "claims", "--paper", "1810.04805", "--min-confidence", "0.6")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all("1810.04805" in line for line in lines)

    out = tmp_path / "claims.csv"
    result = invoke(db, "claims", "--run", str(db["run"]), "--limit", "1", "-o", str(out))
    assert result.exit_code == 0
    result = invoke(db, "claims", "--limit", "1", "--format", "csv", "-o", str(out))
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == 1

    assert "No claims match." in invoke(db, "claims", "--search", "zebra").stdout
    result = invoke(db, "claims", "--format", "xml")
    assert result.exit_code == 2 and "unknown format 'xml'" in result.output


def test_claims_show_prints_every_models_verdict(db):
    cid = db["claims"][0]
    result = invoke(db, "claims", "show", str(cid))
    assert result.exit_code == 0, result.output
    detail = json.loads(result.stdout)
    assert detail["id"] == cid and detail["paper"] == "1810.04805"
    assert [v["model"] for v in detail["verifications"]] == ["model-a", "model-b"]
    assert detail["verifications"][0]["evidence"][0]["text"] == "GLUE rises to 80.5."


def test_label_is_recorded_and_shown(db, session):
    cid = db["claims"][2]
    result = invoke(db, "label", str(cid), "refuted", "--note", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"claim {cid}: REFUTED at ")
    (label,) = session.exec(select(HumanLabel)).all()
    assert (label.claim_id, label.label, label.note) == (cid, REFUTED, "x")
    shown = json.loads(invoke(db, "claims", "show", str(cid)).stdout)
    assert shown["labels"][0]["note"] == "x"


def test_claims_agreement(db):
    invoke(db, "label", str(db["claims"][0]), "supported")
    result = invoke(db, "claims", "--agreement")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["models"] == ["model-a", "model-b"] and out["human_labels"] == 1
    (pair,) = out["model_vs_model"]
    assert (pair["n"], pair["agree"]) == (3, 2)
    assert [(r["model"], r["agree"]) for r in out["model_vs_human"]] == [
        ("model-a", 1),
        ("model-b", 1),
    ]


def test_runs_lists_runs(db, settings):
    result = invoke(db, "runs")
    assert result.exit_code == 0, result.output
    assert "report" in result.stdout and "3 claims" in result.stdout
    assert "How does pretraining help?" in result.stdout


def test_runs_on_an_empty_database(tmp_path):
    result = runner.invoke(app, ["runs", "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code == 0 and "No runs yet" in result.stdout


def test_bibtex_of_a_run(db):
    result = invoke(db, "bibtex", str(db["run"]))
    assert result.exit_code == 0, result.output
    bib = result.stdout
    assert bib.count("@misc{") == 2
    assert bib.index("1901.07291") < bib.index("1810.04805")  # rank order
    assert "title = {{BERT: Pre-training \\& Fine-tuning}}" in bib
    assert "author = {Jacob Devlin and Ming-Wei Chang}" in bib


def test_unknown_claim_is_a_not_found_error(db):
    result = invoke(db, "claims", "show", "999")
    assert result.exit_code == 1
    assert isinstance(result.exception, NotFoundError)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["claims", "show", "999"], "NotFoundError: no claim with id 999"),
        (["label", "999", "refuted"], "NotFoundError: no claim with id 999"),
        (["bibtex", "999"], "NotFoundError: no run with id 999"),
        (["claims", "--verdict", "maybe"], "ConfigError: unknown verdict 'maybe'"),
        (["claims", "--search", "!!"], "ConfigError: --search needs at least one word"),
    ],
)
def test_main_turns_library_errors_into_one_line(db, monkeypatch, capsys, args, message):
    monkeypatch.setattr(sys, "argv", ["synth", *args, "--db", db["url"]])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err


def test_console_script_unknown_claim_exits_1_with_one_line(db):
    synth = shutil.which("synth")
    if synth is None:
        pytest.skip("the synth console script is not installed (pip install -e .)")
    done = subprocess.run(
        [synth, "claims", "show", "999", "--db", db["url"]], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("NotFoundError: no claim with id 999")
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.fixture
def ingested(session: Session, pdf_dir: Path) -> Paper:
    """One real paper with its sections and sentences."""
    path = pdf_dir / "1602.03483.pdf"
    doc = extract_pdf(path)
    m = doc.metadata
    info = PaperInfo(m.arxiv_id, m.version, m.title, tuple(m.authors), m.year, tuple(m.categories))
    paper = upsert_paper(session, info, doc, pdf_path=str(path), source="corpus")
    session.commit()
    return paper


@pytest.mark.slow
def _sentences(session, paper: Paper) -> list[Sentence]:
    return session.exec(
        select(Sentence).where(Sentence.paper_id == paper.id).order_by(Sentence.ordinal)
    ).all()


def _stored_report(session, paper: Paper, claims: list[ClaimRecord], verdicts: list[Verdict]):
    """A report run of ``paper`` as an older model left it."""
    return save_run(
        session,
        kind="report",
        question="sentence representations",
        model="old-model",
        settings={},
        stats={},
        papers=[(paper.id, 1.0)],
        claims=claims,
        verdicts=verdicts,
        thresholds=Thresholds(),
    )


def test_reverify_keeps_old_verdicts_and_adds_the_new_models(settings, session, ingested, tmp_path):
    sentences = _sentences(session, ingested)
    # claims without figures, so the figures rule cannot turn the tiny model's answer around
    picked = [s for s in sentences[10:] if not any(ch.isdigit() for ch in s.text)][:2]
    assert len(picked) == 2
    stored = _stored_report(
        session,
        ingested,
        [
            ClaimRecord(s.text, s.text, paper_id=ingested.id, sentence_id=s.id, page=s.page)
            for s in picked
        ],
        [
            verdict(SUPPORTED, 0.9, sentences[3].text, ingested),
            verdict(REFUTED, 0.8, sentences[4].text, ingested),
        ],
    )
    labels = {0: "contradiction", 1: "entailment", 2: "neutral"}
    # (entailment: a paper's own sentences never refute its claims in words, see can_refute)
    model = make_tiny_nli_model(tmp_path / "tiny", labels, favour="entailment")
    db = {"url": settings.database_url}

    result = invoke(db, "reverify", "--run", str(stored.run_id), "--model", str(model))
    assert result.exit_code == 0, result.output
    assert f"2 claims re-verified with {model}: 2 SUPPORTED; 1 changed verdict" in result.stdout

    session.expire_all()
    for cid, old in zip(stored.claim_ids, (SUPPORTED, REFUTED), strict=True):
        rows = session.exec(
            select(Verification).where(Verification.claim_id == cid).order_by(Verification.id)
        ).all()
        assert [(v.model, v.verdict) for v in rows] == [("old-model", old), (str(model), SUPPORTED)]
        assert rows[1].thresholds == {"support": 0.6, "refute": 0.6}
        claim = session.get(Claim, cid)
        detail = json.loads(invoke(db, "claims", "show", str(cid)).stdout)
        newest = detail["verifications"][1]["evidence"]
        assert newest, "the new verdict keeps its evidence"
        assert all(e["text"] != claim.text for e in newest)  # never its own sentence
    listed = json.loads(invoke(db, "claims", "--format", "json").stdout)
    assert {r["model"] for r in listed} == {str(model)}


def test_reverify_never_counts_a_stored_restatement_as_support(
    settings, session, ingested, tmp_path
):
    """Re-checking a stored claim keeps its listed restatements out of its support."""
    sentences = _sentences(session, ingested)
    claim = next(s for s in sentences[10:] if not any(ch.isdigit() for ch in s.text))
    others = tuple(
        {"sentence_id": s.id, "text": s.text, "section": None, "page": s.page}
        for s in sentences
        if s.id != claim.id
    )
    record = ClaimRecord(
        claim.text,
        claim.text,
        paper_id=ingested.id,
        sentence_id=claim.id,
        page=claim.page,
        restatements=others,
    )
    stored = _stored_report(
        session, ingested, [record], [verdict(SUPPORTED, 0.9, sentences[3].text, ingested)]
    )
    labels = {0: "contradiction", 1: "entailment", 2: "neutral"}
    model = make_tiny_nli_model(tmp_path / "tiny", labels, favour="entailment")
    db = {"url": settings.database_url}
    result = invoke(db, "reverify", "--run", str(stored.run_id), "--model", str(model))
    assert result.exit_code == 0, result.output
    detail = json.loads(invoke(db, "claims", "show", str(stored.claim_ids[0])).stdout)
    newest = detail["verifications"][1]
    assert newest["evidence"] and {e["tier"] for e in newest["evidence"]} == {"restatement"}
    assert newest["verdict"] == NOT_ENOUGH_INFO


def test_reverify_needs_a_model_and_a_known_run(db):
    assert invoke(db, "reverify").exit_code != 0
    result = invoke(db, "reverify", "--run", "999", "--model", "some/model")
    assert isinstance(result.exception, NotFoundError)
