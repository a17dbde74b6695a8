"""Commands about papers and models: eval-nli, search, ingest, papers."""

from __future__ import annotations

import json
import sys
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
)
from synth.settings import NLI_BATCH_SIZE


@app.command("eval-nli")
def eval_nli(
    file: Annotated[Path, typer.Argument(help="JSON lines {premise, hypothesis, label}.")],
    model: ModelOpt = None,
    batch_size: Annotated[
        int, typer.Option(help="Pairs per forward pass.", min=1)
    ] = NLI_BATCH_SIZE,
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
    verifier = load_verifier(
        settings.nli_model,
        batch_size,
        settings.verify.max_length,
        backend=settings.verify.backend,
    )
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


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="arXiv query, e.g. 'ti:transformer AND cat:cs.CL'.")],
    max_results: Annotated[int, typer.Option("--max", help="Most results to list.", min=1)] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Search arXiv and list the papers found (id, version, year, title, authors).

    Example: synth search "all:cross-lingual AND all:pretraining" --max 5
    """
    from synth.ingest import require_arxiv
    from synth.retrieve import search as arxiv_search

    settings = build_settings()
    require_arxiv(settings)
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
    max_results: Annotated[int, typer.Option("--max", help="Papers for --query.", min=1)] = 10,
    corpus: CorpusOpt = None,
    db: DbOpt = None,
) -> None:
    """Download (or read from --corpus), extract and store papers; re-ingesting updates.

    Example: synth ingest 1810.04805 1901.07291    |    synth ingest --corpus papers/
    """
    from synth.cli._progress import BarProgress
    from synth.ingest import ingest as run_ingest

    if not arxiv_ids and not query and corpus is None:
        raise typer.BadParameter("give arXiv ids, --query, or --corpus DIR")
    settings = build_settings(db=db)
    with open_session(settings) as session:
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

    with open_session(build_settings(db=db)) as session:
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
