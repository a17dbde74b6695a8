"""End-to-end: a 10-paper report from cached PDFs, with each stage's time and peak memory.

"Cached PDFs" means the PDFs are on disk (as after a download) but not yet in the database, so
the run includes text extraction, model loading, claims, verification, storage and rendering.
A second run on the same database shows the cost once the text is stored.

Usage::

    python benchmarks/report_e2e.py [--papers 10] [--pdfs ../shared/data/arxiv/pdfs]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time

_START = time.perf_counter()

from pathlib import Path  # noqa: E402  (timing starts before the heavy imports)

from sqlmodel import Session  # noqa: E402

from synth.pipeline import run_report  # noqa: E402
from synth.report import build_view, render  # noqa: E402
from synth.settings import RetrieveSettings, Settings  # noqa: E402
from synth.store import open_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How does cross-lingual pretraining and transfer learning improve language models?"
PAPERS = [
    "1901.07291",
    "1810.04805",
    "1802.05365",
    "1801.06146",
    "1906.08237",
    "1905.03197",
    "1803.11175",
    "1710.04087",
    "1702.03859",
    "1804.07983",
    "1602.03483",
    "1506.06726",
]


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def run_once(settings: Settings, corpus: Path, n: int, label: str) -> None:
    start = time.perf_counter()
    with Session(open_database(settings)) as session:
        result = run_report(session, settings, QUESTION, corpus=corpus, max_papers=n)
        t = time.perf_counter()
        text = render(build_view(result, settings), "text")
        result.timings["render"] = time.perf_counter() - t
    wall = time.perf_counter() - start
    print(
        f"\n{label}: {len(result.papers)} papers read, {len(result.claims)} claims, "
        f"{len(text):,} characters of report"
    )
    for stage, seconds in result.timings.items():
        print(f"  {stage:<12} {seconds:6.1f} s")
    print(f"  {'total':<12} {wall:6.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--papers", type=int, default=10)
    ap.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared/data/arxiv/pdfs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        corpus.mkdir()
        for pid in PAPERS[: args.papers]:
            shutil.copy(args.pdfs / f"{pid}.pdf", corpus)
        settings = Settings(
            data_dir=folder,
            database_url=f"sqlite:///{folder / 'bench.db'}",
            offline=True,
            retrieve=RetrieveSettings(cache_dir=folder / "cache"),
        )
        print(f"imports: {time.perf_counter() - _START:.1f} s")
        run_once(settings, corpus, args.papers, "first run (extraction included)")
        first_wall = time.perf_counter() - _START
        run_once(settings, corpus, args.papers, "second run (text already stored)")
    own, kids = peak_mb()
    print(f"\nfirst report, process start to end: {first_wall:.1f} s (target <= 60 s)")
    print(
        f"peak memory: {own:.0f} MB main process, {kids:.0f} MB largest extraction worker "
        f"(target <= 2048 MB)"
    )


if __name__ == "__main__":
    main()
