"""What the pages and the JSON API show, computed in Python so templates only present it.

Each function takes a session and plain parameters, calls the library, and returns plain data;
a page and its JSON twin call the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlmodel import Session

from synth.audit import parse_report_text
from synth.errors import ConfigError
from synth.labels import latest_labels
from synth.query import (
    ClaimFilter,
    claim_detail,
    list_claims,
    list_models,
)
from synth.report.render import render
from synth.report.stored import load_view
from synth.settings import Settings
from synth.store.runs import get_run, list_runs, redact_settings
from synth.web.jobs import Job, JobManager, JobProgress

MAX_ID = 2**63 - 1  # database ids are signed 64-bit integers: a larger one is a typo
CONTEXT_SENTENCES = 2  # sentences shown on each side of an evidence sentence


def _blank_is_none(value: object) -> object:
    """An empty form field means "no filter", not a bad value."""
    return None if isinstance(value, str) and not value.strip() else value


Opt = BeforeValidator(_blank_is_none)
Verdict = Literal["supported", "refuted", "nei"]
Sort = Literal["newest", "oldest", "confidence", "-confidence", "paper"]


class ClaimQuery(BaseModel):
    """The claims table's filters, order and page, as query parameters (CLI option names)."""

    model_config = ConfigDict(extra="ignore")

    paper: Annotated[str | None, Opt] = Field(None, max_length=64, description="arXiv id")
    run: Annotated[int | None, Opt] = Field(None, ge=1, le=MAX_ID)
    verdict: Annotated[Verdict | None, Opt] = None
    min_confidence: Annotated[float | None, Opt] = Field(None, ge=0, le=1)
    max_confidence: Annotated[float | None, Opt] = Field(None, ge=0, le=1)
    search: Annotated[str | None, Opt] = Field(None, max_length=500, description="words")
    model: Annotated[str | None, Opt] = Field(None, max_length=500)
    sort: Sort = "newest"
    page: int = Field(1, ge=1, le=1_000_000)

    def filters(self) -> dict:
        """The non-empty parameters, for links that keep them."""
        return {k: v for k, v in self.model_dump().items() if v is not None and k != "page"}

    def url(self, page: int) -> str:
        return "/claims?" + urlencode({**self.filters(), "page": page})


def claims_page(session: Session, q: ClaimQuery, page_size: int) -> dict:
    """One page of the claims table, each row with its newest human label."""
    f = ClaimFilter(
        paper=q.paper,
        run=q.run,
        verdict=q.verdict,
        min_confidence=q.min_confidence,
        search=q.search,
        model=q.model,
        limit=page_size + 1,  # one more tells whether a next page exists, without a COUNT
        offset=(q.page - 1) * page_size,
        sort=q.sort,
        max_confidence=q.max_confidence,
    )
    rows = list_claims(session, f)
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    labels = latest_labels(session, [r["id"] for r in rows])
    for r in rows:
        r["human"] = labels.get(r["id"])
    return {
        "items": rows,
        "page": q.page,
        "page_size": page_size,
        "next": q.url(q.page + 1) if has_next else None,
        "previous": q.url(q.page - 1) if q.page > 1 else None,
    }


def claim_page(session: Session, claim_id: int) -> dict:
    """A claim in full; each evidence sentence with its neighbours, to be read in place."""
    detail = claim_detail(session, claim_id, context=CONTEXT_SENTENCES)
    for v in detail["verifications"]:
        for e in v["evidence"]:
            e["premise_differs"] = bool(e.get("premise")) and e["premise"] != e["text"]
    return detail


def run_page(session: Session, run_id: int, settings: Settings) -> dict:
    """A run: its report rebuilt from the database, or an audit's summary; with its settings."""
    run = get_run(session, run_id)
    out = {
        "id": run.id,
        "kind": run.kind,
        "question": run.question,
        "model": run.model,
        "created_at": run.created_at.isoformat(timespec="seconds"),
        "stats": run.stats,
        "settings": redact_settings(run.settings),  # rows stored before redaction existed
        "report": None,
    }
    if run.kind == "report":
        out["report"] = load_view(session, run_id, settings)
    return out


def rendered_report(session: Session, run_id: int, settings: Settings, fmt: str) -> str:
    return render(load_view(session, run_id, settings), fmt)


def runs(session: Session) -> list[dict]:
    return list_runs(session)


def choices(session: Session) -> dict:
    """What the claims table's filter menus offer."""
    return {"models": list_models(session), "runs": [r["id"] for r in list_runs(session)]}


def start_report(
    jobs: JobManager, settings: Settings, question: str, verifier: Callable[[], object]
) -> Job:
    """A report job on the server's corpus folder (or arXiv when none is configured).

    ``verifier`` loads the app's NLI model; it is called first, so a broken model fails the
    job before any paper is read.
    """
    from synth.pipeline import run_report

    question = question.strip()
    if not question:
        raise ConfigError("the question is empty", hint="type the research question")

    def work(session: Session, progress: JobProgress) -> int | None:
        verifier()
        corpus = settings.serve.corpus
        result = run_report(session, settings, question, corpus=corpus, progress=progress)
        return result.run.run_id if result.run else None

    return jobs.submit("report", question, work)


def start_audit(
    jobs: JobManager, settings: Settings, text: str, name: str, verifier: Callable[[], object]
) -> Job:
    """An audit job of a report given as text (parsed now, so a bad file fails at once)."""
    from synth.audit.check import audit_report

    parsed = parse_report_text(text, name=name)

    def work(session: Session, progress: JobProgress) -> int | None:
        verifier()
        corpus = settings.serve.corpus
        result = audit_report(session, settings, parsed, corpus=corpus, progress=progress)
        return result.run.run_id if result.run else None

    return jobs.submit("audit", name, work)
