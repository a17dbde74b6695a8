"""Benchmark the extraction stage on real arXiv PDFs: text artifacts and speed.

Usage::

    python benchmarks/extract.py [PDF_DIR] [--limit N]

PDF_DIR defaults to ``../shared/data/arxiv/pdfs`` relative to the project root. Prints, per
1,000 words, the artifacts left in plain pypdf ``extract_text()`` output (before) and in
``Document.text`` (after); the time of extraction + clean-up against raw extraction, measured
file by file in the same run; and pages per second with 1 and 2 worker processes.

"Broken hyphens" counts a word ending in ``-`` followed by a lower-case word whose joined form is
a word of the same document (no system dictionary is installed, so the document's own
vocabulary is the dictionary), plus in-word hyphens ``a-b`` that occur only once while ``ab`` is
used elsewhere in the document (a line-break hyphen wrongly kept).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from synth.extract import extract_many, raw_page_texts
from synth.extract.clean import count_artifacts
from synth.extract.core import build_document
from synth.extract.hyphens import build_vocabulary
from synth.extract.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
WORD = re.compile(r"[A-Za-z]+")
BREAK_PAIR = re.compile(r"([A-Za-z]+)-\s+([a-z]+)")
IN_WORD = re.compile(r"(?<![A-Za-z-])([A-Za-z]+)-([a-z]+)(?![A-Za-z-])")
LINE_BREAK = re.compile(r"([A-Za-z]+)-\n([a-z]+)")


def broken_hyphens(text: str, vocabulary: Counter[str]) -> int:
    """Line-break hyphens left in ``text``, judged by the document's own vocabulary."""
    spaced = sum(1 for a, b in BREAK_PAIR.findall(text) if vocabulary.get((a + b).lower(), 0) > 0)
    in_word = Counter(f"{a}-{b}".lower() for a, b in IN_WORD.findall(text))
    kept = sum(
        1
        for word, count in in_word.items()
        if count == 1 and vocabulary.get(word.replace("-", ""), 0) > 0
    )
    return spaced + kept


def reading_order(text: str, vocabulary: Counter[str]) -> tuple[int, int]:
    """Line-end hyphenations whose joined or hyphenated form the document uses elsewhere.

    If pypdf interleaved the two columns line by line, the line after ``repre-`` would come from
    the other column and almost no pair would form a word of the paper.
    """
    pairs = LINE_BREAK.findall(text)
    confirmed = sum(
        1
        for a, b in pairs
        if vocabulary.get((a + b).lower(), 0) or vocabulary.get(f"{a}-{b}".lower(), 0)
    )
    return confirmed, len(pairs)


def artifacts(text: str, vocabulary: Counter[str]) -> Counter[str]:
    counts = Counter(count_artifacts(text))
    counts["broken_hyphens"] = broken_hyphens(text, vocabulary)
    counts["words"] = len(WORD.findall(text))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf_dir", nargs="?", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    args = parser.parse_args(argv)
    paths = sorted(args.pdf_dir.glob("*.pdf"))[: args.limit or None]
    if not paths:
        print(f"no PDFs in {args.pdf_dir}", file=sys.stderr)
        return 1

    before, after, order = Counter(), Counter(), Counter()
    t_raw = t_read = t_build = 0.0
    pages = 0
    for index, path in enumerate(paths):
        # alternate which goes first so caches and background load favour neither
        for step in (0, 1) if index % 2 == 0 else (1, 0):
            start = time.perf_counter()
            if step == 0:
                raw_pages = raw_page_texts(path)
                t_raw += time.perf_counter() - start
            else:
                raw = read_pdf(path)
                middle = time.perf_counter()
                doc = build_document(raw)
                t_read += middle - start
                t_build += time.perf_counter() - middle

        pages += doc.pages
        raw_text = "\n".join(raw_pages)
        raw_lines = [line.strip() for line in raw_text.splitlines() if line.strip()]
        raw_vocabulary = build_vocabulary(raw_lines)
        before += artifacts(raw_text, raw_vocabulary)
        confirmed, pairs = reading_order(raw_text, raw_vocabulary)
        order += Counter(confirmed=confirmed, pairs=pairs)
        after += artifacts(doc.text, Counter(w.lower() for w in WORD.findall(doc.text)))

    print(f"files: {len(paths)}, pages: {pages}")
    print(f"words: before {before['words']:,}, after {after['words']:,}")
    print()
    print(f"{'artifacts per 1,000 words':<28}{'before':>10}{'after':>10}")
    for key in ("ligatures", "broken_hyphens", "split_diacritics", "short_lines"):
        b = 1000 * before[key] / max(before["words"], 1)
        a = 1000 * after[key] / max(after["words"], 1)
        print(f"{key:<28}{b:>10.3f}{a:>10.3f}   (counts {before[key]} -> {after[key]})")
    share = order["confirmed"] / max(order["pairs"], 1)
    verdict = "columns come in reading order" if share > 0.5 else "columns may be interleaved"
    print(
        f"reading order: {order['confirmed']}/{order['pairs']} line-end hyphenations in raw "
        f"extract_text() join into a word the paper uses elsewhere ({share:.0%}: {verdict})"
    )
    print()
    total = t_read + t_build
    print(f"raw extract_text():            {t_raw:7.2f} s")
    print(
        f"extract_pdf (read + clean-up): {total:7.2f} s"
        f"  (read {t_read:.2f} s, clean-up {t_build:.2f} s)"
    )
    print(f"ratio extract_pdf / raw:       {total / t_raw:7.3f}")
    print()
    for workers in (1, 2):
        start = time.perf_counter()
        done = sum(1 for _ in extract_many(paths, workers=workers))
        elapsed = time.perf_counter() - start
        print(f"workers={workers}: {done} files, {pages / elapsed:6.1f} pages/s ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
