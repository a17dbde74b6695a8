"""The HTML pages: each a few lines over :mod:`synth.web.views` and a template.

Forms post with the app's CSRF token and answer with a redirect (303), so reloading a page
never repeats a write.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from sqlmodel import Session

from synth.errors import NotFoundError, ReportParseError
from synth.labels import add_label, agreement
from synth.query import paper_detail
from synth.store.papers import list_papers
from synth.web import views
from synth.web.app import db_session, state_of
from synth.web.security import TOKEN_COOKIE, check_write, presented_token, same_secret
from synth.web.views import MAX_ID, ClaimQuery

router = APIRouter(include_in_schema=False)
DB = Annotated[Session, Depends(db_session)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
MEDIA = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html"}
MEDIA["json"] = "application/json"


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _local(url: str | None, fallback: str) -> str:
    """Only redirect to a path of this site (no open redirect to another host)."""
    return url if url and url.startswith("/") and not url.startswith("//") else fallback


@router.get("/")
def home() -> RedirectResponse:
    return _see("/runs")


@router.get("/runs")
def runs(request: Request, session: DB) -> Response:
    web = state_of(request)
    return web.page(
        request,
        "page_runs.html.j2",
        runs=views.runs(session),
        jobs=[j.as_dict() for j in web.jobs.all()[:5]],
        corpus=str(web.settings.serve.corpus or ""),
    )


@router.get("/runs/{run_id}")
def run(request: Request, run_id: Id, session: DB) -> Response:
    web = state_of(request)
    page = views.run_page(session, run_id, web.settings)
    return web.page(request, "page_run.html.j2", run=page, r=page["report"], formats=MEDIA)


@router.get("/runs/{run_id}/report")
def run_report(
    request: Request,
    run_id: Id,
    session: DB,
    format: Annotated[str, Query(pattern="^(text|markdown|html|json)$")] = "html",
) -> Response:
    """The stored run's report as a file, exactly as ``synth report --run ID`` writes it."""
    text = views.rendered_report(session, run_id, state_of(request).settings, format)
    return PlainTextResponse(text, media_type=MEDIA[format])


@router.get("/claims")
def claims(request: Request, q: Annotated[ClaimQuery, Query()], session: DB) -> Response:
    web = state_of(request)
    table = views.claims_page(session, q, web.settings.serve.page_size)
    return web.page(
        request, "page_claims.html.j2", t=table, q=q, **views.choices(session), here=q.url(q.page)
    )


@router.get("/claims/{claim_id}")
def claim(request: Request, claim_id: Id, session: DB) -> Response:
    web = state_of(request)
    return web.page(request, "page_claim.html.j2", c=views.claim_page(session, claim_id))


@router.post("/claims/{claim_id}/labels")
def label(
    request: Request,
    claim_id: Id,
    session: DB,
    label: Annotated[str, Form(pattern="^(supported|refuted|nei)$")],
    csrf: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str | None, Form()] = None,
) -> RedirectResponse:
    check_write(request, csrf)
    add_label(session, claim_id, label, note)
    return _see(_local(next, f"/claims/{claim_id}"))


@router.get("/agreement")
def agreement_page(
    request: Request, session: DB, run: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> Response:
    web = state_of(request)
    return web.page(request, "page_agreement.html.j2", a=agreement(session, run), run=run)


@router.get("/papers")
def papers(request: Request, session: DB) -> Response:
    return state_of(request).page(request, "page_papers.html.j2", papers=list_papers(session))


@router.get("/papers/{arxiv_id:path}")
def paper(request: Request, arxiv_id: str, session: DB) -> Response:
    web = state_of(request)
    return web.page(request, "page_paper.html.j2", p=paper_detail(session, arxiv_id))


@router.post("/jobs/report")
def report_job(
    request: Request,
    question: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_write(request, csrf)
    web = state_of(request)
    job = views.start_report(web.jobs, web.settings, question, web.verifier)
    return _see(f"/jobs/{job.id}")


@router.post("/jobs/audit")
async def audit_job(
    request: Request,
    report: Annotated[bytes, File(description="the report file")],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Audit an uploaded report: read into memory, size-checked, parsed; never saved as a file."""
    check_write(request, csrf)
    web = state_of(request)
    if len(report) > web.settings.serve.max_upload_bytes:
        raise HTTPException(413, f"the file is over {web.settings.serve.max_upload_bytes} bytes")
    try:
        text = report.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportParseError("the file is not UTF-8 text", hint="upload a report") from exc
    job = views.start_audit(web.jobs, web.settings, text, "uploaded report", web.verifier)
    return _see(f"/jobs/{job.id}")


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: Id) -> Response:
    web = state_of(request)
    found = web.jobs.get(job_id)
    if found is None:
        raise NotFoundError(kind="job", id=job_id)
    return web.page(request, "page_job.html.j2", job=found.as_dict())


@router.get("/login")
def login_form(request: Request) -> Response:
    web = state_of(request)
    return web.page(request, "page_login.html.j2", logged_in=presented_token(request) is not None)


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=500)],
    csrf: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Keep the access token in an HTTP-only, same-site cookie, so forms can write."""
    web = state_of(request)
    if web.token is None or not same_secret(token, web.token) or csrf != web.csrf:
        raise HTTPException(403, "wrong token")
    response = _see("/runs")
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response
