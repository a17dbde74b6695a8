"""The JSON API under ``/api/``: the same reads and writes as the pages (see ``/openapi.json``).

Writes take JSON bodies (a cross-site form cannot send JSON) and, when the server has a token,
``Authorization: Bearer TOKEN``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from sqlmodel import Session

from synth.errors import NotFoundError
from synth.labels import add_label, agreement
from synth.query import paper_detail
from synth.report.render import to_json
from synth.store.papers import list_papers
from synth.web import views
from synth.web.app import db_session, state_of
from synth.web.security import check_write
from synth.web.views import MAX_ID, ClaimQuery

router = APIRouter(prefix="/api", tags=["api"])
DB = Annotated[Session, Depends(db_session)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


class LabelIn(BaseModel):
    label: Literal["supported", "refuted", "nei"]
    note: str = Field("", max_length=2000)


class ReportJobIn(BaseModel):
    question: str = Field(min_length=1, max_length=1000)


class AuditJobIn(BaseModel):
    name: str = Field("report.md", max_length=200, description="shown in messages only")
    text: str = Field(min_length=1, description="the report: synth JSON, text or Markdown")


@router.get("/runs")
def runs(session: DB) -> list[dict]:
    """Every run, newest first, with claim counts by verdict."""
    return views.runs(session)


@router.get("/runs/{run_id}")
def run(request: Request, run_id: Id, session: DB) -> dict:
    """A report run as the stable report JSON (rebuilt from the database); an audit's summary."""
    page = views.run_page(session, run_id, state_of(request).settings)
    if page["report"] is not None:
        return to_json(page["report"])
    return {k: v for k, v in page.items() if k != "report"}


@router.get("/claims")
def claims(request: Request, q: Annotated[ClaimQuery, Query()], session: DB) -> dict:
    """Claims with their newest verdict: the CLI's filters, sorted, one page at a time."""
    return views.claims_page(session, q, state_of(request).settings.serve.page_size)


@router.get("/claims/{claim_id}")
def claim(claim_id: Id, session: DB) -> dict:
    """One claim: every model's verdict, evidence in context, human labels."""
    return views.claim_page(session, claim_id)


@router.post("/claims/{claim_id}/labels", status_code=201)
def label(request: Request, claim_id: Id, body: LabelIn, session: DB) -> dict:
    """Record a human judgement, exactly as ``synth label`` does."""
    check_write(request)
    row = add_label(session, claim_id, body.label, body.note)
    return {"claim_id": claim_id, "label": row.label, "note": row.note, "id": row.id} | {
        "created_at": row.created_at.isoformat()
    }


@router.get("/agreement")
def agreement_(session: DB, run: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> dict:
    """Model-vs-model and model-vs-human agreement (counts, accuracy, Cohen's kappa)."""
    return agreement(session, run)


@router.get("/papers")
def papers(session: DB) -> list[dict]:
    return list_papers(session)


@router.get("/papers/{arxiv_id:path}")
def paper(arxiv_id: str, session: DB) -> dict:
    return paper_detail(session, arxiv_id)


@router.post("/jobs/report", status_code=202)
def report_job(request: Request, body: ReportJobIn) -> dict:
    """Start a report (one job at a time per database; 409 when one is running)."""
    check_write(request)
    web = state_of(request)
    return views.start_report(web.jobs, web.settings, body.question, web.verifier).as_dict()


@router.post("/jobs/audit", status_code=202)
def audit_job(request: Request, body: AuditJobIn) -> dict:
    """Start an audit of a report given as text (synth JSON, plain text or Markdown)."""
    check_write(request)
    web = state_of(request)
    if len(body.text.encode()) > web.settings.serve.max_upload_bytes:
        from fastapi import HTTPException

        raise HTTPException(413, "the report is larger than the server accepts")
    return views.start_audit(web.jobs, web.settings, body.text, body.name, web.verifier).as_dict()


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: Id) -> dict:
    """A job's state: status, stage, progress, and the run it stored when done."""
    found = state_of(request).jobs.get(job_id)
    if found is None:
        raise NotFoundError(kind="job", id=job_id)
    return found.as_dict()
