"""Measure the quotation check's rules on planted-error reports; write their precision.

The confidence synth gives a quoted (SUPPORTED) or misquoted (REFUTED) audit verdict is the
precision of that rule measured here, not a number typed by hand. The development reports are
seed-style reports written for the tests with a file of expected verdicts beside each
(``tests/fixtures/audit_planted/dev_*.txt`` and ``tests/fixtures/planted_report.txt``); the
held-back report (``heldout_*.txt``) is never used here, only evaluated by the tests.

A rule's precision is (right + 1) / (fired + 2) (Laplace's rule of succession): on a few dozen
claims a rule that was never wrong has not earned a confidence of 1.0. The quotation check is
pure text alignment, so no model runs; the papers are read from the database, ingested from the
corpus folder first when missing.

Usage::

    python training/measure_quotes.py --corpus ../shared/data/arxiv/pdfs
    python training/measure_quotes.py --corpus DIR --no-write \
        --reports tests/fixtures/audit_planted/heldout_*.txt
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from sqlmodel import Session

from synth.audit import parse_report
from synth.audit.check import obtain_papers, quote_sources
from synth.settings import Settings
from synth.store import open_database
from synth.store.papers import paper_sentences
from synth.verify.quote import MISQUOTE, QUOTED, RULES_FILE, match_quote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DEV = [*sorted((FIXTURES / "audit_planted").glob("dev_*.txt")), FIXTURES / "planted_report.txt"]
OUT = ROOT / "synth" / "models" / RULES_FILE
RIGHT = {QUOTED: "SUPPORTED", MISQUOTE: "REFUTED"}


def expected_of(report: Path) -> list[dict]:
    return json.loads(report.with_suffix(".expected.json").read_text(encoding="utf-8"))


def measure(reports: list[Path], corpus: Path, database_url: str | None) -> dict:
    """Per rule: how often it fired and how often its verdict was the expected one."""
    folder = Path(tempfile.mkdtemp(prefix="synth-quotes-"))
    settings = Settings(
        data_dir=folder,
        database_url=database_url or f"sqlite:///{folder / 'synth.db'}",
        offline=True,
    )
    counts = {QUOTED: [0, 0], MISQUOTE: [0, 0]}
    rows = []
    with Session(open_database(settings)) as session:
        for report in reports:
            parsed = parse_report(report)
            papers, _, _ = obtain_papers(session, settings, parsed.references, corpus=corpus)
            sources = quote_sources(papers, paper_sentences(session, [p.id for p in papers]))
            for claim, want in zip(parsed.claims, expected_of(report), strict=True):
                m = match_quote(claim.text, sources, truncated=claim.truncated)
                if m.kind in counts:
                    counts[m.kind][0] += 1
                    counts[m.kind][1] += RIGHT[m.kind] == want["verdict"]
                rows.append((report.name, claim.index, want["verdict"], m.kind, "; ".join(m.diff)))
    for name, index, want, kind, diff in rows:
        print(f"{name:34} {index:3} {want:16} {kind:11} {diff}")
    out = {kind: round((right + 1) / (fired + 2), 3) for kind, (fired, right) in counts.items()} | {
        "n": {kind: fired for kind, (fired, _) in counts.items()},
        "right": {kind: right for kind, (_, right) in counts.items()},
        "claims": len(rows),
        "reports": [str(r.relative_to(ROOT)) for r in reports],
        "estimate": "(right + 1) / (fired + 2)",
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with the papers' PDFs")
    parser.add_argument("--db", help="database URL with the papers (default: a temporary one)")
    parser.add_argument("--reports", type=Path, nargs="*", help="reports (default: development)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {OUT.name}")
    args = parser.parse_args()
    result = measure(args.reports or DEV, args.corpus, args.db)
    print(json.dumps(result))
    if not args.no_write:
        OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
