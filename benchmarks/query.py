"""Benchmark ``synth claims`` queries on a database of 100,000 claims.

Usage::

    python benchmarks/query.py [--claims N] [--papers N] [--workdir DIR] [--rebuild] [--no-cli]

Builds (once, then reuses) a SQLite database in WORKDIR (default: the system temp folder) with
N claims over ~1,000 papers and 200 runs: each claim has one verification, half of them a second
one by another model, three evidence rows per verification and 2% of claims a human label. Claim
text is drawn from the sentences of the shared PDFs (``../shared/data/arxiv/pdfs`` relative to
the project root, extracted once and cached in WORKDIR) or, without them, made up from a word
list. Rows go in with SQLAlchemy Core ``executemany``, so the FTS5 triggers fire as they do in
use.

Then it times each query through the library (median of ``--repeat`` runs, on a warm
connection) and, for a few of them, the whole command line in a subprocess (Python start-up
included), prints each time and the slowest, and exits 1 when a library query takes 1 s or
more.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from synth.labels import agreement
from synth.query import ClaimFilter, claim_detail, list_claims
from synth.store import make_engine, migrate
from synth.store.models import (
    Claim,
    Evidence,
    HumanLabel,
    Paper,
    Run,
    RunPaper,
    Verification,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "synth-bench-query"
TARGET_SECONDS = 1.0
SEARCH_WORD = "model"  # in about a fifth of the claims of either text source
MODELS = ("synth-nli-minilm", "cross-encoder/nli-deberta-v3-base")
VERDICTS = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
VERDICT_WEIGHTS = (0.35, 0.15, 0.50)
RUNS = 200
PAPERS_PER_RUN = 10
EVIDENCE_PER_VERIFICATION = 3
LABELLED_SHARE = 0.02
CHUNK = 20_000
SYNTHETIC_WORDS = (
    "model language transfer cross-lingual pretraining accuracy benchmark improves attention "
    "sentence representation translation encoder decoder layer training data corpus baseline "
    "results outperforms task fine-tuning zero-shot embedding neural network performance "
    "evaluation dataset GLUE XNLI BLEU score token vocabulary objective masked bidirectional"
).split()


def sentence_pool(pdf_dir: Path, cache: Path) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Sentences (40-300 characters) and (title, authors) of the shared PDFs, cached as JSON."""
    if cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        return data["sentences"], [tuple(p) for p in data["papers"]]
    paths = sorted(pdf_dir.glob("*.pdf"))
    if not paths:
        return [], []
    from synth.extract import ExtractError, extract_many

    sentences, papers = [], []
    print(f"extracting {len(paths)} PDFs from {pdf_dir} (once; cached in {cache})", flush=True)
    for _path, doc in extract_many(paths, workers=1):
        if isinstance(doc, ExtractError):
            continue
        sentences += [s.text for s in doc.sentences if 40 <= len(s.text) <= 300]
        papers.append((doc.metadata.title or "", list(doc.metadata.authors)))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"sentences": sentences, "papers": papers}), encoding="utf-8")
    return sentences, papers


def synthetic_sentence(rng: random.Random) -> str:
    words = rng.choices(SYNTHETIC_WORDS, k=rng.randint(8, 24))
    return " ".join(words).capitalize() + "."


def _insert(conn, table, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])


def build(engine: Engine, n_claims: int, n_papers: int, pdf_dir: Path, workdir: Path) -> None:
    """Fill a migrated, empty database with a realistic claim store."""
    rng = random.Random(0)
    sentences, real_papers = sentence_pool(pdf_dir, workdir / "sentences.json")
    source = "sentences of the shared PDFs" if sentences else "synthetic text"
    print(f"building {n_claims:,} claims over {n_papers:,} papers from {source}", flush=True)

    def sentence() -> str:
        return rng.choice(sentences) if sentences else synthetic_sentence(rng)

    start = datetime(2026, 1, 1, tzinfo=UTC)
    papers = []
    for i in range(n_papers):
        title, authors = real_papers[i] if i < len(real_papers) else ("", [])
        papers.append(
            {
                "id": i + 1,
                "arxiv_id": f"{17 + i % 8}{i % 12 + 1:02d}.{i:05d}",
                "version": 1,
                "title": title or " ".join(rng.choices(SYNTHETIC_WORDS, k=6)).title(),
                "authors": authors or [f"Author {i}", f"Second Author {i}"],
                "year": 2017 + i % 8,
                "categories": ["cs.CL"],
                "abstract": sentence(),
                "pages": 10,
                "pdf_sha256": f"{i:064x}",
                "pdf_path": f"/pdfs/{i}.pdf",
                "source": "corpus",
                "references": [],
                "ingested_at": start,
                "updated_at": start,
            }
        )
    runs, run_papers = [], []
    for r in range(RUNS):
        runs.append(
            {
                "id": r + 1,
                "kind": "report" if r % 4 else "audit",
                "question": f"Question {r}: {sentence()}",
                "model": MODELS[0],
                "settings": {},
                "stats": {"claims_by_verdict": {}},
                "created_at": start + timedelta(hours=r),
            }
        )
        for rank in range(PAPERS_PER_RUN):
            run_papers.append(
                {
                    "run_id": r + 1,
                    "paper_id": (r * 5 + rank) % n_papers + 1,
                    "rank": rank,
                    "score": 1.0 - rank / 20,
                }
            )
    claims, verifications, evidence, labels = [], [], [], []
    for c in range(1, n_claims + 1):
        run_id = (c - 1) * RUNS // n_claims + 1
        paper_id = ((run_id - 1) * 5 + rng.randrange(PAPERS_PER_RUN)) % n_papers + 1
        body = sentence()
        when = start + timedelta(seconds=c)
        claims.append(
            {
                "id": c,
                "run_id": run_id,
                "paper_id": paper_id,
                "sentence_id": None,
                "text": body,
                "original": body,
                "kind": rng.choice(("result", "finding", "method", "contribution")),
                "section": rng.choice(("Abstract", "Introduction", "Results", "Conclusion")),
                "page": rng.randint(1, 12),
                "char_start": 0,
                "char_end": len(body),
                "created_at": when,
            }
        )
        verdict = rng.choices(VERDICTS, VERDICT_WEIGHTS)[0]
        models = [(MODELS[0], verdict)]
        if c % 2 == 0:  # re-verified by a second model that mostly agrees
            second = verdict if rng.random() < 0.75 else rng.choice(VERDICTS)
            models.append((MODELS[1], second))
        for model, v in models:
            vid = len(verifications) + 1
            verifications.append(
                {
                    "id": vid,
                    "claim_id": c,
                    "model": model,
                    "verdict": v,
                    "confidence": round(rng.uniform(0.3, 1.0), 4),
                    "reason": "entailed by evidence from the same paper",
                    "thresholds": {"support": 0.6, "refute": 0.6},
                    "created_at": when,
                }
            )
            for rank in range(EVIDENCE_PER_VERIFICATION):
                evidence.append(
                    {
                        "verification_id": vid,
                        "sentence_id": None,
                        "paper_id": paper_id,
                        "rank": rank,
                        "text": sentence(),
                        "page": rng.randint(1, 12),
                        "label": "entailment",
                        "score": 0.9,
                        "probs": {"entailment": 0.9, "neutral": 0.05, "contradiction": 0.05},
                        "cross_paper": False,
                    }
                )
        if rng.random() < LABELLED_SHARE:
            labels.append(
                {
                    "claim_id": c,
                    "label": rng.choice(VERDICTS),
                    "note": "",
                    "created_at": when,
                }
            )
    t0 = time.perf_counter()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")  # a benchmark database, rebuilt at will
        for table, rows in (
            (Paper.__table__, papers),
            (Run.__table__, runs),
            (RunPaper.__table__, run_papers),
            (Claim.__table__, claims),
            (Verification.__table__, verifications),
            (Evidence.__table__, evidence),
            (HumanLabel.__table__, labels),
        ):
            _insert(conn, table, rows)
    print(
        f"inserted {len(papers):,} papers, {len(runs):,} runs, {len(claims):,} claims, "
        f"{len(verifications):,} verifications, {len(evidence):,} evidence rows, "
        f"{len(labels):,} human labels in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def report_line(name: str, times: list[float], note: str = "") -> str:
    med, low, high = statistics.median(times), min(times), max(times)
    spread = f"(min {low * 1000:7.1f}, max {high * 1000:7.1f})"
    return f"  {name:<58} {med * 1000:8.1f} ms  {spread}  {note}".rstrip()


def library_queries(session: Session) -> list[tuple[str, Callable[[], object]]]:
    paper = session.execute(
        select(Paper.arxiv_id)
        .join(Claim, Claim.paper_id == Paper.id)
        .group_by(Paper.id)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar_one()
    run = RUNS // 2
    word = SEARCH_WORD
    two_models = session.execute(
        select(Verification.claim_id)
        .where(Verification.model == MODELS[1])
        .order_by(Verification.id)
        .limit(1)
    ).scalar_one()

    def q(**kw) -> Callable[[], object]:
        return lambda: list_claims(session, ClaimFilter(**kw))

    return [
        ("claims (no filter)", q()),
        ("claims --verdict refuted", q(verdict="refuted")),
        ("claims --verdict nei --limit 0 (all)", q(verdict="nei", limit=None)),
        ("claims --min-confidence 0.95", q(min_confidence=0.95)),
        (f"claims --search {word}", q(search=word)),
        ("claims --search 'cross-lingual transfer'", q(search="cross-lingual transfer")),
        ("claims --search zzzunmatched", q(search="zzzunmatched")),
        (f"claims --paper {paper}", q(paper=paper)),
        (f"claims --run {run}", q(run=run)),
        (f"claims --model {MODELS[1]}", q(model=MODELS[1])),
        (
            "claims --model M2 --verdict refuted",
            q(model=MODELS[1], verdict="refuted"),
        ),
        (
            f"claims --run {run} --verdict supported --min-confidence 0.8",
            q(run=run, verdict="supported", min_confidence=0.8),
        ),
        (
            f"claims --paper {paper} --search {word} --verdict nei",
            q(paper=paper, search=word, verdict="nei"),
        ),
        (
            "claims --verdict refuted --min-confidence 0.99 --limit 0",
            q(verdict="refuted", min_confidence=0.99, limit=None),
        ),
        ("claims show ID", lambda: claim_detail(session, two_models)),
        ("claims --agreement", lambda: agreement(session)),
        (f"claims --agreement --run {run}", lambda: agreement(session, run)),
    ]


def run_cli(argv: list[str]) -> int:
    """Run one command line; the number of lines it printed."""
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr}")
    return done.stdout.count("\n")


def cli_command() -> list[str]:
    exe = shutil.which("synth")
    return [exe] if exe else [sys.executable, "-c", "from synth.cli import main; main()"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--papers", type=int, default=1_000)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--repeat", type=int, default=5, help="runs per library query")
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess timings")
    args = parser.parse_args(argv)

    db_path = args.workdir / f"claims-{args.claims}.db"
    if args.rebuild and db_path.exists():
        for p in args.workdir.glob(f"{db_path.name}*"):
            p.unlink()
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    fresh = not db_path.exists()
    migrate(engine)  # before timing: the CLI would otherwise pay for a pending migration
    with Session(engine) as session:
        if fresh or session.execute(select(func.count()).select_from(Claim)).scalar() == 0:
            build(engine, args.claims, args.papers, args.pdfs, args.workdir)
        n = session.execute(select(func.count()).select_from(Claim)).scalar()
        nv = session.execute(select(func.count()).select_from(Verification)).scalar()
        version = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    print(f"database {db_path}: {n:,} claims, {nv:,} verifications, schema {version}")

    print(f"\nlibrary (median of {args.repeat} runs, warm connection):")
    results: list[tuple[str, float]] = []
    with Session(engine) as session:
        for name, fn in library_queries(session):
            times, out = timed(fn, args.repeat)
            rows = len(out) if isinstance(out, list) else ""
            print(report_line(name, times, f"{rows} rows" if rows != "" else ""), flush=True)
            results.append((name, statistics.median(times)))

    if not args.no_cli:
        cmd = cli_command()
        print("\ncommand line (subprocess, Python start-up included; median of 3):")
        cli_runs = [
            ("synth --help (start-up only)", ["--help"]),
            (
                "synth claims --verdict refuted --format csv",
                ["claims", "--verdict", "refuted", "--format", "csv"],
            ),
            (
                f"synth claims --search {SEARCH_WORD} --limit 0",
                ["claims", "--search", SEARCH_WORD, "--limit", "0"],
            ),
            ("synth claims show 2", ["claims", "show", "2"]),
            ("synth claims --agreement", ["claims", "--agreement"]),
        ]
        cli_times = []
        for name, extra in cli_runs:
            argv = [*cmd, *extra] if extra == ["--help"] else [*cmd, *extra, "--db", url]
            times, lines = timed(lambda argv=argv: run_cli(argv), 3)
            print(report_line(name, times, f"{lines} lines of output"), flush=True)
            cli_times.append((name, statistics.median(times)))
        name, worst_cli = max(cli_times, key=lambda r: r[1])
        print(f"slowest command line: {name}: {worst_cli * 1000:.1f} ms")

    slowest, worst = max(results, key=lambda r: r[1])
    print(f"\nslowest library query: {slowest}: {worst * 1000:.1f} ms")
    if worst >= TARGET_SECONDS:
        print(f"target missed: every query should take < {TARGET_SECONDS:.0f} s")
        return 1
    print(f"target met: every library query < {TARGET_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
