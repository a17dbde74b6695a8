"""Querying claims: filters, newest verdict per model, one claim in full, labels, agreement."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sklearn.metrics import cohen_kappa_score
from sqlmodel import Session, select

from synth.errors import ConfigError, NotFoundError
from synth.labels import add_label, agreement, cohen_kappa
from synth.query import (
    ClaimFilter,
    claim_detail,
    fts_query,
    list_claims,
    normalise_verdict,
)
from synth.store.models import Claim, Evidence, HumanLabel, Paper, Run, Verification

NEI = "NOT_ENOUGH_INFO"


def add_claim(
    session: Session,
    text: str,
    *,
    run: Run | None = None,
    paper: Paper | None = None,
    verdicts: list[tuple[str, str, float]] = (),
) -> Claim:
    """A claim with one verification per (model, verdict, confidence), oldest first."""
    claim = Claim(
        run_id=run.id if run else None,
        paper_id=paper.id if paper else None,
        text=text,
        original=text,
        section="Results",
        page=3,
    )
    session.add(claim)
    session.flush()
    for model, verdict, confidence in verdicts:
        v = Verification(claim_id=claim.id, model=model, verdict=verdict, confidence=confidence)
        session.add(v)
        session.flush()
        session.add(
            Evidence(
                verification_id=v.id,
                paper_id=paper.id if paper else None,
                rank=0,
                text=f"evidence for {text} by {model}",
                page=4,
                label="entailment",
                score=confidence,
                probs={"entailment": confidence},
            )
        )
    return claim


@pytest.fixture
def db(session: Session) -> dict:
    """Two papers, two runs, five claims; claim c2 was re-verified by model-b."""
    bert = Paper(arxiv_id="1810.04805", title="BERT", authors=["Jacob Devlin"], year=2018)
    xlm = Paper(arxiv_id="1901.07291", title="XLM", authors=["Guillaume Lample"], year=2019)
    report = Run(kind="report", question="cross-lingual transfer?", model="model-a")
    audit = Run(kind="audit", question="audit of a report", model="model-a")
    session.add_all([bert, xlm, report, audit])
    session.flush()
    a, b = "model-a", "model-b"
    c = {
        "c1": add_claim(
            session,
            "Cross-lingual transfer improves XNLI accuracy by 4.9 points.",
            run=report,
            paper=xlm,
            verdicts=[(a, "SUPPORTED", 0.91)],
        ),
        "c2": add_claim(
            session,
            "BERT obtains 80.5% on the GLUE benchmark.",
            run=report,
            paper=bert,
            verdicts=[(a, "REFUTED", 0.75), (b, "SUPPORTED", 0.66)],
        ),
        "c3": add_claim(
            session,
            "Masked language modelling helps transfer to new tasks.",
            run=report,
            paper=bert,
            verdicts=[(a, NEI, 0.55)],
        ),
        "c4": add_claim(
            session,
            "Monolingual models transfer poorly across languages.",
            run=audit,
            verdicts=[(a, "REFUTED", 0.95)],
        ),
        "c5": add_claim(
            session,
            "Cross-lingual pretraining needs parallel data.",
            run=audit,
            paper=xlm,
            verdicts=[(b, NEI, 0.4)],
        ),
    }
    session.commit()
    return {"ids": {k: v.id for k, v in c.items()}, "report": report.id, "audit": audit.id}


def names(db: dict, rows: list[dict]) -> list[str]:
    by_id = {v: k for k, v in db["ids"].items()}
    return [by_id[r["id"]] for r in rows]


def listed(session: Session, db: dict, **filters) -> list[str]:
    return names(db, list_claims(session, ClaimFilter(**filters)))


def test_no_filter_lists_newest_claims_first_with_newest_verdict(session, db):
    rows = list_claims(session, ClaimFilter())
    assert names(db, rows) == ["c5", "c4", "c3", "c2", "c1"]
    c2 = rows[3]
    assert (c2["verdict"], c2["confidence"], c2["model"]) == ("SUPPORTED", 0.66, "model-b")
    assert c2["paper"] == "1810.04805" and c2["run"] == db["report"]
    assert rows[1]["paper"] is None  # an audited claim without a paper
    assert set(c2) == {
        "id",
        "run",
        "paper",
        "section",
        "page",
        "kind",
        "text",
        "verdict",
        "confidence",
        "model",
    }


def test_model_picks_that_models_newest_verdict(session, db):
    rows = list_claims(session, ClaimFilter(model="model-a"))
    assert names(db, rows) == ["c4", "c3", "c2", "c1"]  # c5 has no verdict of model-a
    assert {r["model"] for r in rows} == {"model-a"}
    assert rows[2]["verdict"] == "REFUTED" and rows[2]["confidence"] == 0.75
    assert listed(session, db, model="model-b") == ["c5", "c2"]
    assert listed(session, db, model="no-such-model") == []


def test_paper_and_run_filters(session, db):
    assert listed(session, db, paper="1810.04805") == ["c3", "c2"]
    assert listed(session, db, paper="1901.07291") == ["c5", "c1"]
    assert listed(session, db, paper="0000.00000") == []
    assert listed(session, db, run=db["audit"]) == ["c5", "c4"]
    assert listed(session, db, run=db["report"]) == ["c3", "c2", "c1"]


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        ("supported", ["c2", "c1"]),
        ("SUPPORTED", ["c2", "c1"]),
        ("support", ["c2", "c1"]),
        ("refuted", ["c4"]),  # c2's older REFUTED verdict is not its current one
        ("nei", ["c5", "c3"]),
        ("not enough info", ["c5", "c3"]),
        ("NOT_ENOUGH_INFO", ["c5", "c3"]),
    ],
)
def test_verdict_filter_accepts_aliases(session, db, verdict, expected):
    assert listed(session, db, verdict=verdict) == expected


def test_verdict_filter_with_model_uses_that_models_verdict(session, db):
    assert listed(session, db, verdict="refuted", model="model-a") == ["c4", "c2"]


def test_unknown_verdict_is_a_config_error(session, db):
    with pytest.raises(ConfigError, match="supported, refuted or nei"):
        list_claims(session, ClaimFilter(verdict="maybe"))
    with pytest.raises(ConfigError):
        normalise_verdict("true")


def test_min_confidence_is_inclusive(session, db):
    assert listed(session, db, min_confidence=0.9) == ["c4", "c1"]
    assert listed(session, db, min_confidence=0.91) == ["c4", "c1"]
    assert listed(session, db, min_confidence=0.92) == ["c4"]
    assert listed(session, db, min_confidence=0.0) == ["c5", "c4", "c3", "c2", "c1"]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("transfer", ["c4", "c3", "c1"]),
        ("TRANSFERS", ["c4", "c3", "c1"]),  # case and stemming (porter)
        ("cross-lingual", ["c5", "c1"]),
        ("cross transfer", ["c1"]),  # every word required
        ('cross-lingual "transfer"', ["c1"]),
        ("80.5%", ["c2"]),
        ("XNLI)", ["c1"]),
        ("glue OR monolingual", []),  # OR is a word here, not an operator
        ('"unbalanced quote', []),
        ("NEAR(transfer languages)", []),
        ("transfer*", ["c4", "c3", "c1"]),
        ("col:transfer", []),
    ],
)
def test_search_matches_words_and_is_punctuation_safe(session, db, search, expected):
    assert listed(session, db, search=search) == expected


def test_search_without_words_is_a_config_error(session, db):
    with pytest.raises(ConfigError, match="at least one word"):
        list_claims(session, ClaimFilter(search="%-- !"))


def test_fts_query_quotes_every_word():
    assert fts_query('cross-lingual "transfer" AND') == '"cross" "lingual" "transfer" "AND"'


def test_combined_filters_and_limit(session, db):
    assert listed(session, db, run=db["report"], verdict="supported", search="cross") == ["c1"]
    assert listed(session, db, paper="1810.04805", min_confidence=0.6, model="model-a") == ["c2"]
    assert listed(session, db, limit=2) == ["c5", "c4"]
    assert len(listed(session, db, limit=None)) == 5


def test_claim_detail_lists_every_models_verdict_with_evidence_and_labels(session, db):
    cid = db["ids"]["c2"]
    add_label(session, cid, "supported", "Table 1 says 80.5")
    detail = claim_detail(session, cid)
    assert detail["id"] == cid and detail["run"] == db["report"]
    assert detail["paper"] == "1810.04805" and detail["paper_title"] == "BERT"
    assert detail["text"] == "BERT obtains 80.5% on the GLUE benchmark."
    assert (detail["section"], detail["page"]) == ("Results", 3)
    verdicts = [(v["model"], v["verdict"], v["confidence"]) for v in detail["verifications"]]
    assert verdicts == [("model-a", "REFUTED", 0.75), ("model-b", "SUPPORTED", 0.66)]
    for v in detail["verifications"]:
        (ev,) = v["evidence"]
        assert ev["text"] == f"evidence for {detail['text']} by {v['model']}"
        assert ev["paper"] == "1810.04805" and ev["page"] == 4 and ev["label"] == "entailment"
        datetime.fromisoformat(v["created_at"])
    (label,) = detail["labels"]
    assert label["label"] == "SUPPORTED" and label["note"] == "Table 1 says 80.5"


def test_unknown_claim_is_a_one_line_not_found_error(session, db):
    with pytest.raises(NotFoundError) as err:
        claim_detail(session, 999)
    assert "999" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(NotFoundError):
        add_label(session, 999, "refuted")


def test_add_label_records_time_and_keeps_earlier_labels(session, db):
    cid = db["ids"]["c1"]
    before = datetime.now(UTC)
    first = add_label(session, cid, "refuted", "wrong figure")
    second = add_label(session, cid, "nei")
    after = datetime.now(UTC)
    assert first.label == "REFUTED" and second.label == NEI
    assert before <= first.created_at <= second.created_at <= after
    stored = session.exec(select(HumanLabel).where(HumanLabel.claim_id == cid)).all()
    assert [(h.label, h.note) for h in stored] == [("REFUTED", "wrong figure"), (NEI, "")]
    with pytest.raises(ConfigError):
        add_label(session, cid, "yes")


S, R, N = "SUPPORTED", "REFUTED", NEI
MODEL_X = [S, S, S, R, R, N, N, S, R, N]
MODEL_Y = [S, S, R, R, N, N, N, S, S, N]  # 7 of 10 equal
HUMAN = [S, R, S, R, R, N, S, S]  # labels of the first 8 claims


@pytest.fixture
def judged(session: Session) -> dict:
    """Ten claims judged by two models, eight labelled by a human; one other run's claim."""
    run = Run(kind="audit", question="q", model="model-x")
    other = Run(kind="audit", question="q2", model="model-x")
    session.add_all([run, other])
    session.flush()
    ids = []
    for i, (x, y) in enumerate(zip(MODEL_X, MODEL_Y, strict=True)):
        # model-x first said the opposite of its final verdict: only the newest counts
        first = R if x != R else S
        claim = add_claim(
            session,
            f"claim {i}",
            run=run,
            verdicts=[("model-x", first, 0.5), ("model-y", y, 0.8), ("model-x", x, 0.7)],
        )
        ids.append(claim.id)
    for cid, label in zip(ids, HUMAN, strict=False):
        if label == S:  # a human who changed their mind: the newest label counts
            session.add(HumanLabel(claim_id=cid, label=N))
            session.flush()
        session.add(HumanLabel(claim_id=cid, label=label))
    stray = add_claim(session, "other run", run=other, verdicts=[("model-x", S, 0.9)])
    session.add(HumanLabel(claim_id=stray.id, label=R))
    session.commit()
    return {"run": run.id, "other": other.id}


def test_agreement_between_models_matches_sklearn(session, judged):
    result = agreement(session, run=judged["run"])
    assert result["models"] == ["model-x", "model-y"]
    (pair,) = result["model_vs_model"]
    assert (pair["a"], pair["b"], pair["n"], pair["agree"]) == ("model-x", "model-y", 10, 7)
    assert pair["accuracy"] == pytest.approx(0.7)
    expected = cohen_kappa_score(MODEL_X, MODEL_Y)
    assert pair["kappa"] == pytest.approx(expected, abs=1e-4)


def test_agreement_with_humans_matches_sklearn(session, judged):
    result = agreement(session, run=judged["run"])
    assert result["human_labels"] == len(HUMAN)  # the other run's label is not counted
    by_model = {row["model"]: row for row in result["model_vs_human"]}
    for model, verdicts in (("model-x", MODEL_X), ("model-y", MODEL_Y)):
        row = by_model[model]
        agree = sum(h == v for h, v in zip(HUMAN, verdicts, strict=False))
        assert (row["n"], row["agree"]) == (len(HUMAN), agree)
        assert row["accuracy"] == pytest.approx(agree / len(HUMAN), abs=1e-4)
        expected = cohen_kappa_score(HUMAN, verdicts[: len(HUMAN)])
        assert row["kappa"] == pytest.approx(expected, abs=1e-4)


def test_agreement_over_all_runs_includes_the_other_run(session, judged):
    result = agreement(session)
    assert result["human_labels"] == len(HUMAN) + 1
    by_model = {row["model"]: row for row in result["model_vs_human"]}
    assert by_model["model-x"]["n"] == len(HUMAN) + 1
    assert result["model_vs_model"][0]["n"] == 10  # model-y never saw the other run


def test_agreement_kappa_is_none_when_undefined(session):
    run = Run(kind="audit", question="q", model="m")
    session.add(run)
    session.flush()
    for i in range(3):
        add_claim(session, f"c{i}", run=run, verdicts=[("m1", S, 0.9), ("m2", S, 0.9)])
    session.commit()
    (pair,) = agreement(session)["model_vs_model"]
    assert pair["accuracy"] == 1.0 and pair["kappa"] is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (MODEL_X, MODEL_Y),
        ([S, S, R, R], [R, R, S, S]),  # always disagree: negative kappa
        ([S, R, N, S], [S, R, N, S]),  # perfect agreement
        ([S, S, S, S, R], [S, S, S, S, S]),  # one rater uses one label: kappa 0
        ([S] * 7 + [N] * 3, [S] * 5 + [N] * 5),
    ],
)
def test_cohen_kappa_equals_sklearn(a, b):
    confusion = Counter(zip(a, b, strict=True))
    assert cohen_kappa(confusion) == pytest.approx(cohen_kappa_score(a, b), abs=1e-4)


@pytest.mark.parametrize("confusion", [{}, {(S, S): 1}, {(S, S): 5}, {(S, R): 0, (S, S): 4}])
def test_cohen_kappa_is_none_when_undefined(confusion):
    assert cohen_kappa(confusion) is None


def test_agreement_of_an_empty_database(session):
    assert agreement(session) == {
        "models": [],
        "human_labels": 0,
        "model_vs_model": [],
        "model_vs_human": [],
    }
