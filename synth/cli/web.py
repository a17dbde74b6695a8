"""The web app's command: ``synth serve``."""

from __future__ import annotations

from typing import Annotated

import typer

from synth.cli._common import CorpusOpt, DbOpt, ModelOpt, app, build_settings


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1, this machine).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).", min=1, max=65535)] = None,
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    db: DbOpt = None,
) -> None:
    """Browse, search, audit and label claims in the browser.

    Listens on 127.0.0.1 unless --host says otherwise; any other address needs an access
    token in SYNTH_SERVE__TOKEN, which every write (labels, jobs, uploads) must then carry.
    Reports started from the browser read --corpus (else they search arXiv).

    Example: synth serve --port 8000 --corpus ../shared/data/arxiv/pdfs
    """
    import uvicorn

    from synth.web.app import check_serve_settings, create_app

    settings = build_settings(model=model, db=db)
    given = {"host": host, "port": port, "corpus": corpus}
    serve_settings = settings.serve.model_copy(
        update={k: v for k, v in given.items() if v is not None}
    )
    settings = settings.model_copy(update={"serve": serve_settings})
    check_serve_settings(settings)  # before the database is opened
    web_app = create_app(settings)
    shown = f"[{serve_settings.host}]" if ":" in serve_settings.host else serve_settings.host
    typer.echo(f"synth: serving on http://{shown}:{serve_settings.port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(web_app, host=serve_settings.host, port=serve_settings.port, log_level="warning")
