"""Commands over the claim database: claims, claims show, label, reverify, runs, bibtex."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from synth.cli._common import (
    MAX_ID,
    DbOpt,
    ModelOpt,
    app,
    build_settings,
    non_blank,
    open_session,
    unit_interval,
    write_output,
)

claims_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(claims_app, name="claims")
FORMATS = ("table", "json", "csv")


@claims_app.callback()
def claims(
    ctx: typer.Context,
    paper: Annotated[str | None, typer.Option(help="Only claims of this arXiv id.")] = None,
    run: Annotated[
        int | None, typer.Option(help="Only claims of this run.", min=1, max=MAX_ID)
    ] = None,
    verdict: Annotated[str | None, typer.Option(help="supported | refuted | nei")] = None,
    min_confidence: Annotated[
        float | None, typer.Option(help="Lowest confidence shown (0-1).", callback=unit_interval)
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Words the claim must contain.", callback=non_blank)
    ] = None,
    model: Annotated[str | None, typer.Option(help="Verdicts of this model only.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
    limit: Annotated[int, typer.Option(help="Most claims listed; 0 for all.", min=0)] = 100,
    agreement: Annotated[
        bool, typer.Option("--agreement", help="Model-vs-model and model-vs-human agreement.")
    ] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE.")] = None,
    db: DbOpt = None,
) -> None:
    """List stored claims with their newest verdict, filtered; export as CSV or JSON.

    Subcommand: synth claims show ID (one claim with every model's verdict and evidence).

    Example: synth claims --verdict refuted --search "cross-lingual" --format csv -o out.csv
    """
    if ctx.invoked_subcommand:
        return
    if fmt not in FORMATS:  # before the database is opened, not after the query
        raise typer.BadParameter(f"unknown format {fmt!r}; use table, json or csv")
    from synth.export import claims_csv, claims_json
    from synth.labels import agreement as compute_agreement
    from synth.query import ClaimFilter, list_claims

    with open_session(build_settings(db=db)) as session:
        if agreement:
            write_output(json.dumps(compute_agreement(session, run), indent=2) + "\n", output)
            return
        rows = list_claims(
            session,
            ClaimFilter(paper, run, verdict, min_confidence, search, model, limit or None),
        )
    if fmt == "json":
        write_output(claims_json(rows), output)
    elif fmt == "csv":
        write_output(claims_csv(rows), output)
    else:
        lines = [
            f"{r['id']:>6}  {r['verdict']:<15} {r['confidence']:.2f}  {r['paper'] or '-':<12} "
            f"{r['text']}"
            for r in rows
        ]
        write_output("\n".join(lines) + "\n" if lines else "No claims match.\n", output)


@claims_app.command("show")
def show(
    claim_id: Annotated[int, typer.Argument(help="Claim id from synth claims.", min=1, max=MAX_ID)],
    db: DbOpt = None,
) -> None:
    """One claim with every model's verdict, all its evidence and its human labels (JSON).

    Example: synth claims show 42
    """
    from synth.query import claim_detail

    with open_session(build_settings(db=db)) as session:
        typer.echo(json.dumps(claim_detail(session, claim_id), indent=2, ensure_ascii=False))


@app.command()
def label(
    claim_id: Annotated[int, typer.Argument(help="Claim id.", min=1, max=MAX_ID)],
    judgement: Annotated[str, typer.Argument(help="supported | refuted | nei")],
    note: Annotated[str, typer.Option(help="Why, for the record.")] = "",
    db: DbOpt = None,
) -> None:
    """Record a human judgement of a claim (kept with the time; earlier labels stay).

    Example: synth label 42 refuted --note "Table 3 gives 80.4, not 85.1"
    """
    from synth.labels import add_label

    with open_session(build_settings(db=db)) as session:
        row = add_label(session, claim_id, judgement, note)
        typer.echo(f"claim {claim_id}: {row.label} at {row.created_at.isoformat()}")


@app.command()
def reverify(
    model: ModelOpt = None,
    run: Annotated[
        int | None, typer.Option(help="Only this run (default: all runs).", min=1, max=MAX_ID)
    ] = None,
    db: DbOpt = None,
) -> None:
    """Verify stored claims again with another model; earlier verdicts are kept beside it.

    Example: synth reverify --run 3 --model cross-encoder/nli-deberta-v3-base
    """
    from synth.audit.reverify import reverify as run_reverify
    from synth.cli._progress import BarProgress

    if not model:
        raise typer.BadParameter("--model is required: the model to verify with")
    settings = build_settings(model=model, db=db)
    with open_session(settings) as session:
        result = run_reverify(session, settings, run_id=run, progress=BarProgress())
    counts = ", ".join(f"{v} {k}" for k, v in sorted(result.by_verdict.items()))
    typer.echo(
        f"{result.claims} claims re-verified with {model}: {counts or 'none'}; "
        f"{result.changed} changed verdict"
    )


@app.command()
def runs(db: DbOpt = None) -> None:
    """List the stored runs (reports and audits) with their counts.

    Example: synth runs
    """
    from synth.store.runs import list_runs

    with open_session(build_settings(db=db)) as session:
        rows = list_runs(session)  # newest first, as the web app lists them
        for r in reversed(rows):
            when = r["created_at"][:16].replace("T", " ")
            question = r["question"][:70]
            typer.echo(f"{r['id']:>4}  {r['kind']:<6} {when}  {r['claims']:>3} claims  {question}")
        if not rows:
            typer.echo('No runs yet; make one with: synth report "QUESTION" --corpus DIR')


@app.command()
def bibtex(
    run_id: Annotated[int, typer.Argument(help="Run id from synth runs.", min=1, max=MAX_ID)],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE.")] = None,
    db: DbOpt = None,
) -> None:
    """The references of a run as BibTeX.

    Example: synth bibtex 3 -o refs.bib
    """
    from synth.export import run_bibtex

    with open_session(build_settings(db=db)) as session:
        write_output(run_bibtex(session, run_id), output)
