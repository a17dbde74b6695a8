"""The web app: one :func:`create_app` that owns the engine, templates, jobs and verifier.

Nothing lives in module globals: two apps over two databases can run in one process (the tests
do). Routes are thin and call the library (:mod:`synth.query`, :mod:`synth.labels`,
:mod:`synth.store.runs`, :mod:`synth.report`, :mod:`synth.pipeline`, :mod:`synth.audit`), as the
command line does.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.middleware.trustedhost import TrustedHostMiddleware

from synth import __version__
from synth.errors import ConfigError
from synth.report.render import make_environment
from synth.settings import Settings
from synth.store import open_database
from synth.web.jobs import JobManager
from synth.web.security import LOOPBACK_NAMES, BodyLimit, is_loopback

STATIC_PACKAGE = ("synth.web", "static")


@dataclass
class WebState:
    """What the app owns, reached from a request as ``request.app.state.web``."""

    settings: Settings
    engine: Engine
    templates: Environment
    jobs: JobManager
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _verifier: Any = None

    @property
    def token(self) -> str | None:
        token = self.settings.serve.token
        return token.get_secret_value() if token else None

    def verifier(self):
        """The settings' NLI model, loaded on first use (a job's first step, not start-up)."""
        if self._verifier is None:
            from synth.verify.model import load_verifier

            v = self.settings.verify
            self._verifier = load_verifier(
                self.settings.nli_model, v.batch_size, v.max_length, backend=v.backend
            )
        return self._verifier

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def page(self, request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
        """A page rendered from ``templates/<name>`` with what every page shows."""
        html = self.templates.get_template(name).render(
            csrf=self.csrf,
            token_required=self.token is not None,
            path=request.url.path,
            version=__version__,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)


def state_of(request: Request) -> WebState:
    return request.app.state.web


def db_session(request: Request) -> Iterator[Session]:
    """A session per request, on the app's engine."""
    with state_of(request).session() as session:
        yield session


def check_serve_settings(settings: Settings) -> None:
    """Refuse to listen beyond this machine without an access token for writes."""
    if not is_loopback(settings.serve.host) and settings.serve.token is None:
        raise ConfigError(
            f"refusing to serve on {settings.serve.host} without an access token",
            hint="set SYNTH_SERVE__TOKEN to a long random string, or serve on 127.0.0.1",
        )


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    """The web app over the database of ``settings``.

    Example:
        >>> app = create_app(Settings(database_url="sqlite:///synth.db"))  # doctest: +SKIP
        >>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
    """
    from synth.web import api, errors, pages

    check_serve_settings(settings)
    engine = engine or open_database(settings)
    app = FastAPI(
        title="synth",
        version=__version__,
        description="Claims of the literature, their verdicts and evidence, and human labels.",
        docs_url=None,  # Swagger UI would load scripts from a CDN; /openapi.json stays
        redoc_url=None,
    )
    app.state.web = WebState(
        settings=settings,
        engine=engine,
        templates=make_environment(),
        jobs=JobManager(engine),
    )
    if is_loopback(settings.serve.host):
        # A page on another site cannot reach this server through a DNS name it controls.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK_NAMES, "testserver"])
    # An upload may be its report plus the form around it; anything larger is refused unread.
    app.add_middleware(BodyLimit, limit=settings.serve.max_upload_bytes + 64_000)
    app.mount("/static", StaticFiles(packages=[STATIC_PACKAGE]), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    errors.install(app)
    return app
