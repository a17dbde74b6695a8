"""The ``synth`` command line: parse arguments, build settings, call the library, print.

Library errors (:class:`synth.errors.SynthError`) become one line ``ErrorName: message`` on
stderr and exit status 1; nothing else is caught, so real bugs keep their traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from synth.errors import SynthError
from synth.settings import Settings

app = typer.Typer(
    name="synth",
    help="Literature synthesis and claim verification over arXiv papers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="NLI cross-encoder: Hugging Face id or local folder (default: SYNTH_NLI_MODEL "
        "or the model shipped with synth).",
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy database URL (default: SYNTH_DATABASE_URL or SQLite)."),
]


def build_settings(model: str | None = None, db: str | None = None, **extra) -> Settings:
    """Settings from the environment, with command-line values on top."""
    overrides = {k: v for k, v in {"nli_model": model, "database_url": db, **extra}.items() if v}
    return Settings(**overrides)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command("eval-nli")
def eval_nli(
    file: Annotated[Path, typer.Argument(help="JSON lines {premise, hypothesis, label}.")],
    model: ModelOpt = None,
    batch_size: Annotated[int, typer.Option(help="Pairs per forward pass.")] = 64,
) -> None:
    """Measure an NLI model on labelled pairs: per-class precision/recall, accuracy, macro-F1.

    Labels are entailment|neutral|contradiction, or entailment|not_entailment (then a 3-way
    model's entailment is scored against the rest). The last line is one JSON object.

    Example: synth eval-nli pairs.jsonl --model cross-encoder/nli-deberta-v3-base
    """
    from synth.verify.evaluate import evaluate, read_examples
    from synth.verify.model import load_verifier

    settings = build_settings(model)
    examples = read_examples(file)
    verifier = load_verifier(settings.nli_model, batch_size, settings.verify.max_length)
    result = evaluate(verifier, examples, progress=sys.stderr.isatty())
    typer.echo(f"model: {settings.nli_model}   file: {file}   pairs: {result.n}")
    typer.echo(f"{'label':15s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}")
    for c in result.per_class:
        typer.echo(f"{c.label:15s} {c.precision:9.3f} {c.recall:7.3f} {c.f1:6.3f} {c.support:8d}")
    typer.echo(
        f"accuracy {result.accuracy:.4f}   macro-F1 {result.macro_f1:.4f}   "
        f"{result.pairs_per_s:.1f} pairs/s"
    )
    typer.echo(json.dumps(result.summary()))


CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Folder of <arxiv_id>.pdf files standing in for arXiv (offline use).",
        file_okay=False,
    ),
]


def _session(settings: Settings):
    from sqlmodel import Session

    from synth.store import open_database

    return Session(open_database(settings))


def _write(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="arXiv query, e.g. 'ti:transformer AND cat:cs.CL'.")],
    max_results: Annotated[int, typer.Option("--max", help="Most results to list.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Search arXiv and list the papers found (id, version, year, title, authors).

    Example: synth search "all:cross-lingual AND all:pretraining" --max 5
    """
    from synth.retrieve import search as arxiv_search

    settings = build_settings()
    papers = arxiv_search(query, max_results, settings=settings.retrieve)
    if as_json:
        rows = [
            {
                "arxiv_id": p.arxiv_id,
                "version": p.version,
                "title": p.title,
                "authors": p.authors,
                "year": p.year,
                "categories": p.categories,
                "abstract": p.abstract,
                "url": p.abs_url,
            }
            for p in papers
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not papers:
        typer.echo("No papers found; try fewer or broader terms.")
        return
    for p in papers:
        authors = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
        typer.echo(f"{p.arxiv_id}v{p.version or '?'}  {p.year or '----'}  {p.title}  ({authors})")


@app.command()
def ingest(
    arxiv_ids: Annotated[list[str] | None, typer.Argument(help="arXiv ids to ingest.")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Ingest the top results.")] = None,
    max_results: Annotated[int, typer.Option("--max", help="Papers for --query.")] = 10,
    corpus: CorpusOpt = None,
    db: DbOpt = None,
) -> None:
    """Download (or read from --corpus), extract and store papers; re-ingesting updates.

    Example: synth ingest 1810.04805 1901.07291    |    synth ingest --corpus papers/
    """
    from synth.cli_progress import BarProgress
    from synth.ingest import ingest as run_ingest

    if not arxiv_ids and not query and corpus is None:
        raise typer.BadParameter("give arXiv ids, --query, or --corpus DIR")
    settings = build_settings(db=db)
    with _session(settings) as session:
        result = run_ingest(
            session,
            settings,
            ids=arxiv_ids or (),
            query=query,
            max_results=max_results,
            corpus=corpus,
            progress=BarProgress(),
        )
    for f in result.failures:
        typer.echo(f"failed: {f.name}: {f.message}", err=True)
    typer.echo(
        f"{result.found} found, {result.parsed} parsed, {result.unchanged} unchanged, "
        f"{result.failed} failed"
    )


@app.command()
def papers(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
) -> None:
    """List the ingested papers.

    Example: synth papers --json
    """
    from synth.store.papers import list_papers

    with _session(build_settings(db=db)) as session:
        rows = list_papers(session)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        typer.echo("No papers yet; add some with: synth ingest --corpus DIR  or  synth ingest ID")
    for r in rows:
        typer.echo(
            f"{r['arxiv_id']}v{r['version'] or '?'}  {r['year'] or '----'}  {r['pages']:>3}p "
            f"{r['sentences']:>5} sentences  {r['title']}"
        )


@app.command()
def report(
    question: Annotated[str, typer.Argument(help="The research question.")],
    max_papers: Annotated[int | None, typer.Option(help="Papers read in full.")] = None,
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
    """
    from synth.cli_progress import BarProgress
    from synth.pipeline import run_report
    from synth.report import build_view, format_for, render

    settings = build_settings(model=model, db=db)
    chosen = format_for(fmt, output)
    with _session(settings) as session:
        result = run_report(
            session,
            settings,
            question,
            corpus=corpus,
            max_papers=max_papers,
            progress=BarProgress(),
        )
        view = build_view(result, settings)
    _write(render(view, chosen), output)


def main() -> None:
    """Console entry point: run the app, turning SynthError into a one-line message."""
    try:
        app(standalone_mode=False)
    except SynthError as exc:
        typer.echo(f"{type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
