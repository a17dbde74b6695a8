"""Sentence splitters compared: synth's own (``synth.extract.sentences``) against pysbd.

Two measurements, both printed and written to ``benchmarks/sentences.json``:

1. **Gold boundaries**: the abstracts of CSAbstruct (test) and of the scientific-claims set
   (test), whose sentences were split by people. Each abstract's sentences are joined with a
   space and split again; a gold sentence counts as found when a splitter returns it exactly.
2. **The shared PDFs' text**: every abstract and body section of the shared arXiv PDFs as
   synth extracts it, split by both; defects per 1,000 sentences: a bullet inside a sentence,
   a sentence that starts in lower case (a sentence cut in two or joined across a break), a
   caption ("Table 3:") after the start, more than 80 words (several sentences run together),
   and fewer than 4 words (a fragment). Time per 1,000 sentences too.

Run from the repository root (needs ``pip install pysbd`` and ../shared)::

    python benchmarks/sentences.py
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from synth.extract import extract_pdf, split_spans

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "sentences.json"
_CAPTION = re.compile(r"\b(?:Table|Figure|Fig\.)\s*\d+\s*:")
Splitter = Callable[[str], list[str]]


def synth_split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]


def pysbd_split() -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)

    def split(text: str) -> list[str]:
        # a newline is a paragraph or heading break for both splitters
        return [
            s.strip() for part in text.split("\n") for s in segmenter.segment(part) if s.strip()
        ]

    return split


def gold_abstracts() -> list[list[str]]:
    out = []
    for line in (DATA / "sentences" / "csabstruct" / "test.jsonl").read_text().splitlines():
        out.append(json.loads(line)["sentences"])
    path = DATA / "sentences" / "scientific_claims" / "test_labels.json"
    for line in path.read_text().splitlines():
        out.append(json.loads(line)["sentences"])
    return out


def gold_scores(split: Splitter, abstracts: list[list[str]]) -> dict:
    found = returned = gold = 0
    for sentences in abstracts:
        sentences = [" ".join(s.split()) for s in sentences]
        pieces = split(" ".join(sentences))
        found += len(set(sentences) & set(pieces))
        returned += len(pieces)
        gold += len(sentences)
    recall, precision = found / gold, found / returned
    return {
        "gold_sentences": gold,
        "recall": round(recall, 4),
        "precision": round(precision, 4),
        "f1": round(2 * recall * precision / (recall + precision), 4),
    }


def pdf_texts() -> list[str]:
    texts = []
    for path in sorted((DATA / "arxiv" / "pdfs").glob("*.pdf")):
        doc = extract_pdf(path)
        for section in doc.sections:
            if section.kind in ("abstract", "body"):
                body = doc.section_text(doc.sections.index(section)).split("\n", 1)
                texts.append(body[1] if len(body) > 1 else "")
    return texts


def defects(split: Splitter, texts: list[str]) -> dict:
    started = time.perf_counter()
    sentences = [s for t in texts for s in split(t)]
    seconds = time.perf_counter() - started
    per_k = 1000 / max(1, len(sentences))
    counts = {
        "bullet_inside": sum("•" in s for s in sentences),
        "starts_lower_case": sum(s[:1].islower() for s in sentences),
        "caption_inside": sum(bool(m and m.start() > 0) for m in map(_CAPTION.search, sentences)),
        "over_80_words": sum(len(s.split()) > 80 for s in sentences),
        "under_4_words": sum(len(s.split()) < 4 for s in sentences),
    }
    return {
        "sentences": len(sentences),
        **{f"{k}_per_1000": round(v * per_k, 1) for k, v in counts.items()},
        "ms_per_1000_sentences": round(1000 * seconds * per_k, 1),
    }


def main() -> None:
    splitters: dict[str, Splitter] = {"synth": synth_split, "pysbd": pysbd_split()}
    abstracts = gold_abstracts()
    texts = pdf_texts()
    result = {
        name: {"gold": gold_scores(fn, abstracts), "pdfs": defects(fn, texts)}
        for name, fn in splitters.items()
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    for name, r in result.items():
        print(name, json.dumps(r))


if __name__ == "__main__":
    main()
