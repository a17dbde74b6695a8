"""Commands that write documents: report and audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from synth.cli._common import (
    CorpusOpt,
    DbOpt,
    ModelOpt,
    app,
    build_settings,
    open_session,
    write_output,
)


@app.command()
def report(
    question: Annotated[
        str | None, typer.Argument(help="The research question (not with --run).")
    ] = None,
    run: Annotated[
        int | None,
        typer.Option("--run", help="Re-render stored run ID from the database instead.", min=1),
    ] = None,
    max_papers: Annotated[int | None, typer.Option(help="Papers read in full.", min=1)] = None,
    corpus: CorpusOpt = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="text | markdown | html | json")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE.")] = None,
    model: ModelOpt = None,
    db: DbOpt = None,
) -> None:
    """Search, read, extract claims, verify them and write a report.

    Example: synth report "How does cross-lingual pretraining help transfer?" --corpus pdfs/

    With --run ID, the stored run is rendered again from the database (nothing is redone):
    synth report --run 3 --format html -o run3.html
    """
    from synth.cli._progress import BarProgress
    from synth.pipeline import run_report
    from synth.report import build_view, format_for, render

    if (question is None) == (run is None):
        raise typer.BadParameter("give either a QUESTION or --run ID")
    settings = build_settings(model=model, db=db)
    chosen = format_for(fmt, output)
    if run is not None:
        from synth.report.stored import load_view

        with open_session(settings) as session:
            write_output(render(load_view(session, run, settings), chosen), output)
        return
    with open_session(settings) as session:
        result = run_report(
            session,
            settings,
            question,
            corpus=corpus,
            max_papers=max_papers,
            progress=BarProgress(),
        )
        view = build_view(result, settings)
    write_output(render(view, chosen), output)


@app.command()
def audit(
    report_file: Annotated[Path, typer.Argument(help="Report: seed text/Markdown or synth JSON.")],
    corpus: CorpusOpt = None,
    model: ModelOpt = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="text | markdown | html | json")
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE.")] = None,
    db: DbOpt = None,
) -> None:
    """Re-check every claim of a report against the papers it cites.

    Compares the report's marks and confidences with synth's verdicts, recovers claims cut
    short, and checks the counts the report states against what it lists. References that
    cannot be obtained are named; their claims come out NOT_ENOUGH_INFO.

    Example: synth audit report.txt --corpus pdfs/ --format markdown -o audit.md
    """
    from synth.audit import parse_report
    from synth.audit.check import audit_report
    from synth.audit.summary import audit_json
    from synth.cli._progress import BarProgress
    from synth.report.render import format_for, render_audit

    settings = build_settings(model=model, db=db)
    chosen = format_for(fmt, output)
    parsed = parse_report(report_file)
    with open_session(settings) as session:
        result = audit_report(session, settings, parsed, corpus=corpus, progress=BarProgress())
        document = audit_json(result)
    write_output(render_audit(document, chosen), output)
