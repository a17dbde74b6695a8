"""One error handler: synth's error tree, bad parameters and unknown paths as pages or JSON.

=====================================  ======
error                                  status
=====================================  ======
NotFoundError, unknown path            404
ConfigError, ReportParseError          400
BusyError                              409
bad parameter or id (validation)       422
RetrieveError (arXiv)                  502
any other SynthError, any bug          500
=====================================  ======

Paths under ``/api/`` get JSON (``{"error", "message", "hint", "kind", "id"}``), others a page.
A bug is logged with its traceback and shown as a one-line 500, never as the traceback.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from synth.errors import (
    BusyError,
    ConfigError,
    NotFoundError,
    ReportParseError,
    RetrieveError,
    SynthError,
)

logger = logging.getLogger(__name__)

STATUS = [
    (NotFoundError, 404),
    (BusyError, 409),
    (ConfigError, 400),
    (ReportParseError, 400),
    (RetrieveError, 502),
    (SynthError, 500),
]
TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 409: "Busy", 413: "Too large"}
TITLES |= {422: "Bad parameter", 500: "Server error", 502: "arXiv unreachable"}


def status_of(exc: SynthError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def _answer(request: Request, status: int, body: dict) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(body, status_code=status)
    web = request.app.state.web
    title = TITLES.get(status, "Error")
    return web.page(request, "page_error.html.j2", status, title=title, status=status, e=body)


async def synth_error(request: Request, exc: SynthError) -> Response:
    body = {"error": type(exc).__name__, "message": exc.message, "hint": exc.hint}
    if isinstance(exc, NotFoundError):
        body |= {"kind": exc.kind, "id": exc.id}
    return _answer(request, status_of(exc), body)


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = [
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
        for e in exc.errors()
    ]
    body = {"error": "ValidationError", "message": "; ".join(problems), "hint": None}
    body["details"] = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
    return _answer(request, 422, body)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "")
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"nothing at {request.url.path}"
    body = {"error": TITLES.get(exc.status_code, "Error"), "message": message, "hint": None}
    return _answer(request, exc.status_code, body)


async def bug(request: Request, exc: Exception) -> Response:
    logger.exception("error serving %s", request.url.path)
    body = {
        "error": "InternalError",
        "message": f"the server failed on this request ({type(exc).__name__})",
        "hint": "the server's log has the details",
    }
    return _answer(request, 500, body)


def install(app: FastAPI) -> None:
    app.add_exception_handler(SynthError, synth_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, bug)
