"""The web app over a database with a real run: pages, JSON API, labels, jobs, safety.

One report on two shared PDFs with the shipped model is made once for the module; the app is
driven through Starlette's TestClient (in-process HTTP, no network).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, select

from synth.errors import BusyError, ConfigError
from synth.store.models import HumanLabel, Run
from synth.web import create_app
from synth.web.jobs import JobManager

from conftest import SMALL_QUESTION as QUESTION

LOCAL = "http://127.0.0.1"
SYNTH = [sys.executable, "-c", "from synth.cli import main; main()"]


@pytest.fixture(scope="module")
def stored(small_run):
    """Settings (claims table pages of 5), engine and run result of one real two-paper report."""
    settings, engine, result = small_run
    assert result.run is not None and len(result.claims) >= 6
    serve = settings.serve.model_copy(update={"page_size": 5})
    return settings.model_copy(update={"serve": serve}), engine, result


@pytest.fixture(scope="module")
def client(stored):
    settings, engine, _ = stored
    app = create_app(settings, engine=engine)
    with TestClient(app, base_url=LOCAL) as c:
        c.csrf = app.state.web.csrf
        c.app_ = app
        yield c


def _claim_ids(client, **params) -> list[int]:
    return [r["id"] for r in client.get("/api/claims", params=params).json()["items"]]


def test_every_page_renders(client, stored):
    result = stored[2]
    run_id = result.run.run_id
    claim_id = result.run.claim_ids[0]
    arxiv_id = result.papers[0].arxiv_id
    pages = {
        "/runs": QUESTION,
        f"/runs/{run_id}": "5 Extracted Claims",
        "/claims": 'data-claim-id="',
        f"/claims/{claim_id}": "<mark>",
        "/agreement": "Model vs human",
        "/papers": arxiv_id,
        f"/papers/{arxiv_id}": "Claims (",
        "/login": "needs no token",
    }
    for url, expected in pages.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert expected in page.text, url
        assert "/static/synth.js" in page.text and "cdn" not in page.text.lower()
    assert client.get("/static/synth.js").status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/runs"


def test_run_page_and_report_run_are_rebuilt_from_the_database(client, stored):
    from synth.report import build_view, render

    settings, _, result = stored
    original = render(build_view(result, settings), "markdown")
    again = client.get(f"/runs/{result.run.run_id}/report", params={"format": "markdown"})
    assert again.text == original
    report = client.get(f"/api/runs/{result.run.run_id}").json()
    assert report["run_id"] == result.run.run_id
    assert len(report["claims"]) == len(result.claims)

    cli = subprocess.run(
        [
            *SYNTH,
            "report",
            "--run",
            str(result.run.run_id),
            "--format",
            "markdown",
            "--db",
            settings.resolved_database_url,
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == original


def test_claims_filter_sort_and_pages(client, stored):
    result = stored[2]
    rows = client.get("/api/claims", params={"verdict": "nei"}).json()["items"]
    assert rows and {r["verdict"] for r in rows} == {"NOT_ENOUGH_INFO"}

    by_conf = client.get("/api/claims", params={"sort": "confidence"}).json()["items"]
    confidences = [r["confidence"] for r in by_conf]
    assert confidences == sorted(confidences, reverse=True)

    first = client.get("/api/claims", params={"sort": "oldest"}).json()
    assert len(first["items"]) == 5 and first["next"]
    second = client.get(first["next"].replace("/claims", "/api/claims")).json()
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    assert first["items"][0]["id"] == min(result.run.claim_ids)

    ranged = client.get("/api/claims", params={"min_confidence": 0.5, "max_confidence": 0.9})
    assert all(0.5 <= r["confidence"] <= 0.9 for r in ranged.json()["items"])
    word = result.claims[0][0].text.split()[-1].strip(".,;")
    found = _claim_ids(client, search=word, run=result.run.run_id)
    assert found

    page = client.get("/claims", params={"verdict": "supported", "run": "", "paper": ""})
    assert page.status_code == 200  # empty form fields mean "any"
    assert '<option value="supported" selected>' in page.text


def test_claim_page_shows_evidence_in_its_context(client, stored):
    result = stored[2]
    claim_id = result.run.claim_ids[0]
    detail = client.get(f"/api/claims/{claim_id}").json()
    evidence = detail["verifications"][0]["evidence"]
    assert evidence and any(e["before"] or e["after"] for e in evidence)
    assert {"tier", "premise", "label", "score", "page", "paper"} <= set(evidence[0])
    page = client.get(f"/claims/{claim_id}").text
    marked = re.findall(r"<mark>(.*?)</mark>", page, re.S)
    assert len(marked) >= len(evidence)
    assert 'class="ctx"' in page
    assert detail["text"][:40].replace("'", "&#39;") in page or detail["text"][:20] in page


def test_labels_from_form_and_api_are_stored_like_synth_label(client, stored):
    _, engine, result = stored
    a, b = result.run.claim_ids[:2]
    form = {"label": "refuted", "note": "<script>alert(1)</script>", "csrf": client.csrf}
    done = client.post(f"/claims/{a}/labels", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/claims/{a}"
    answer = client.post(f"/api/claims/{b}/labels", json={"label": "supported"})
    assert answer.status_code == 201 and answer.json()["label"] == "SUPPORTED"
    with Session(engine) as session:
        rows = session.exec(select(HumanLabel).where(HumanLabel.claim_id.in_([a, b]))).all()
    assert {(r.claim_id, r.label) for r in rows} >= {(a, "REFUTED"), (b, "SUPPORTED")}

    page = client.get(f"/claims/{a}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    agreement = client.get("/api/agreement").json()
    assert agreement["human_labels"] >= 2
    assert "synth-nli-minilm" in client.get("/agreement").text
    listed = client.get("/api/claims", params={"sort": "oldest"}).json()["items"]
    assert any(r["human"] for r in listed)


def test_writes_without_csrf_or_from_another_site_are_refused(client, stored):
    claim_id = stored[2].run.claim_ids[0]
    assert client.post(f"/claims/{claim_id}/labels", data={"label": "nei"}).status_code == 403
    forged = client.post(
        f"/api/claims/{claim_id}/labels",
        content=json.dumps({"label": "nei"}),
        headers={"content-type": "text/plain"},
    )
    assert forged.status_code in (403, 422)
    foreign = client.post(
        f"/api/claims/{claim_id}/labels",
        json={"label": "nei"},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert client.get("/runs", headers={"host": "evil.example"}).status_code == 400


def test_bad_ids_and_parameters_give_pages_not_tracebacks(client):
    for url, status in [
        ("/claims/abc", 422),
        ("/claims/0", 422),
        ("/claims/99999999999999999999999", 422),
        ("/claims/999999", 404),
        ("/runs/999999", 404),
        ("/papers/0000.00000", 404),
        ("/claims?min_confidence=2", 422),
        ("/claims?verdict=maybe", 422),
        ("/claims?sort=random", 422),
        ("/claims?page=0", 422),
        ("/claims?search=%21%21", 400),
        ("/runs/1/report?format=pdf", 422),
        ("/no/such/page", 404),
    ]:
        page = client.get(url)
        assert page.status_code == status, url
        assert "Traceback" not in page.text and "<h1>" in page.text, url
    missing = client.get("/api/claims/999999").json()
    assert missing == {
        "error": "NotFoundError",
        "message": "no claim with id 999999",
        "hint": None,
        "kind": "claim",
        "id": 999999,
    }
    assert client.get("/api/claims", params={"run": "x"}).status_code == 422
    spec = client.get("/openapi.json").json()
    assert {"/api/runs", "/api/claims", "/api/claims/{claim_id}"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/claims/{claim_id}/labels"]


def test_audit_of_an_uploaded_report_runs_as_a_job(client, stored):
    settings, engine, result = stored
    report = client.get(f"/runs/{result.run.run_id}/report", params={"format": "json"}).text
    upload = {"report": ("report.json", report.encode(), "application/json")}
    done = client.post(
        "/jobs/audit", files=upload, data={"csrf": client.csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    job_id = int(done.headers["location"].rsplit("/", 1)[1])
    job = client.app_.state.web.jobs.wait(job_id, timeout=600)
    assert job.status == "done", job.error
    state = client.get(f"/api/jobs/{job_id}").json()
    # Stages are only those the audit needed (quoted claims need no NLI pass).
    assert state["percent"] == 100 and state["run_id"] and isinstance(state["stages"], list)
    assert "Audit:" in client.get(f"/runs/{state['run_id']}").text
    assert f'href="/runs/{state["run_id"]}"' in client.get(f"/jobs/{job_id}").text
    with Session(engine) as session:
        assert session.get(Run, state["run_id"]).kind == "audit"

    too_big = {"report": ("big.md", b"x" * (settings.serve.max_upload_bytes + 1), "text/plain")}
    big = client.post("/jobs/audit", files=too_big, data={"csrf": client.csrf})
    assert big.status_code == 413
    junk = {"report": ("notes.txt", b"just some words, no claims table", "text/plain")}
    assert client.post("/jobs/audit", files=junk, data={"csrf": client.csrf}).status_code == 400


def test_one_job_at_a_time_per_database(stored):
    jobs = JobManager(stored[1])
    release = threading.Event()
    first = jobs.submit("report", "slow", lambda session, progress: release.wait(30) and None)
    with pytest.raises(BusyError, match=f"job {first.id}"):
        jobs.submit("report", "second", lambda session, progress: None)
    release.set()
    assert jobs.wait(first.id, 30).status == "done"
    second = jobs.submit("report", "after", lambda session, progress: 7)
    assert jobs.wait(second.id, 30).run_id == 7


def test_busy_answer_is_409(client, stored):
    web = client.app_.state.web
    release = threading.Event()
    web.jobs.submit("report", "holding", lambda session, progress: release.wait(30) and None)
    try:
        busy = client.post("/api/jobs/report", json={"question": "anything?"})
        assert busy.status_code == 409 and "still running" in busy.json()["message"]
    finally:
        release.set()


def test_off_loopback_needs_a_token(stored):
    settings, engine, result = stored
    public = settings.serve.model_copy(update={"host": "0.0.0.0"})
    with pytest.raises(ConfigError, match="without an access token"):
        create_app(settings.model_copy(update={"serve": public}), engine=engine)

    guarded = public.model_copy(update={"token": SecretStr("s3cret-token")})
    app = create_app(settings.model_copy(update={"serve": guarded}), engine=engine)
    with TestClient(app, base_url="http://synth.example") as c:
        claim_id = result.run.claim_ids[0]
        url = f"/api/claims/{claim_id}/labels"
        assert c.get("/runs").status_code == 200  # reads stay open
        assert c.post(url, json={"label": "nei"}).status_code == 403
        bearer = {"authorization": "Bearer s3cret-token"}
        assert c.post(url, json={"label": "nei"}, headers=bearer).status_code == 201
        csrf = app.state.web.csrf
        assert c.post("/login", data={"token": "wrong", "csrf": csrf}).status_code == 403
        c.post("/login", data={"token": "s3cret-token", "csrf": csrf})
        form = {"label": "nei", "csrf": csrf}
        ok = c.post(f"/claims/{claim_id}/labels", data=form, follow_redirects=False)
        assert ok.status_code == 303


def test_serve_refuses_a_public_address_without_a_token(tmp_path):
    env = {"SYNTH_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [*SYNTH, "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "ConfigError: refusing to serve on 0.0.0.0 without an access token; set "
        "SYNTH_SERVE__TOKEN to a long random string, or serve on 127.0.0.1"
    ]
    assert not (tmp_path / "x.db").exists()  # refused before opening anything


def test_stored_and_shown_settings_hold_no_password(client, stored):
    from synth.store.runs import save_run
    from synth.verify.verdict import Thresholds

    settings, engine, _ = stored
    secret = settings.model_dump(mode="json") | {
        "database_url": "postgresql+psycopg://ann:hunter2@db.example/synth"
    }
    with Session(engine) as session:
        run = save_run(
            session,
            kind="audit",
            question="password check",
            model="m",
            settings=secret,
            stats={"claims_by_verdict": {}},
            papers=[],
            claims=[],
            verdicts=[],
            thresholds=Thresholds(0.6, 0.6),
        )
        stored_url = session.get(Run, run.run_id).settings["database_url"]
    assert "hunter2" not in stored_url and "***" in stored_url
    page = client.get(f"/runs/{run.run_id}").text
    assert "db.example" in page and "hunter2" not in page


@pytest.mark.slow
def test_report_from_a_question_runs_as_a_job(client):
    form = {"question": "Which sentence representations transfer best?", "csrf": client.csrf}
    started = client.post("/jobs/report", data=form, follow_redirects=False)
    assert started.status_code == 303
    job_id = int(started.headers["location"].rsplit("/", 1)[1])
    assert "<progress" in client.get(f"/jobs/{job_id}").text
    job = client.app_.state.web.jobs.wait(job_id, timeout=900)
    assert job.status == "done", job.error
    assert {"Extracting claims", "Verifying claims"} <= set(job.stages)
    page = client.get(f"/runs/{job.run_id}").text
    assert "Which sentence representations transfer best" in page
