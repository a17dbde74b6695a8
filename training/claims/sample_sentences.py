"""Sample more body sentences of the shared arXiv PDFs for hand-labelling as claim / not-claim.

Why: the claim classifier (``training/claims_classifier.py``) is fitted on
``training/claims/body_labels.jsonl``, and 14 labelled sentences per paper are too few. This
script draws another batch to label, each sentence with the fields the existing rows have.

Which extraction: the existing rows were made with synth's extraction as it was before commit
096115e (that commit also added heading detection from fonts and changed the sentence splitter,
which renumbers the sentences of 11 of the 23 papers). So that is the extraction used here,
unchanged: ``git archive EXTRACTED_AT synth`` into a temporary folder, and its
``synth.extract.extract_pdf`` run in a child process. Each paper's sentences then become
:class:`synth.store.papers.SentenceRow` exactly as ingest stores them and
:func:`synth.store.papers.paper_sentences` reads them back (no section: "" and "body"), and
today's :func:`synth.claims.extract.places` and :func:`synth.claims.model_name` give the place
and model name (the title and abstract an offline ingest stores). One difference, again as in
the existing rows: ``section_position`` counts within each stored section, where ``places``
merges sections of the same name (1804.07983 has two "Results"). Every existing row's fields
are checked against this before anything is written. Reference-list sentences and sentences
labelled in an earlier batch are never drawn.

Run from the repository root (writes ``/tmp/claims_to_label.jsonl``, unlabelled)::

    python training/claims/sample_sentences.py
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
LABELS = ROOT / "training" / "claims" / "body_labels.jsonl"
OUT = Path("/tmp/claims_to_label.jsonl")
EXTRACTED_AT = "096115e^"  # the extraction the existing labels were made with
BATCH = 2  # the batch drawn; rows of earlier batches (no "batch" field: batch 1) are excluded
PER_PAPER = 30
SEED = 2026
CHECKED = ("section", "section_kind", "page", "position", "section_position", "model_name")


def paper_seed(paper: str) -> int:
    """The paper's own seed: fixed by its id, so one paper's draw never depends on another's."""
    return SEED + int(hashlib.sha1(paper.encode()).hexdigest(), 16)


def extract_child(paths: list[str]) -> None:
    """In the child process (old synth first on the path): one JSON line per PDF."""
    from synth.extract import extract_pdf

    for name in paths:
        path = Path(name)
        doc = extract_pdf(path)
        sections = {i: (s.name, s.kind) for i, s in enumerate(doc.sections)}
        rows = [
            [s.text, s.page, s.section, *sections.get(s.section, ("", "body"))]
            for s in doc.sentences
        ]
        title = doc.metadata.title or path.stem
        print(
            json.dumps({"paper": path.stem, "title": title, "abstract": doc.abstract, "rows": rows})
        )


def extracted() -> list[dict]:
    """Every corpus PDF extracted by synth as of ``EXTRACTED_AT``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", EXTRACTED_AT, "synth"],
        check=True,
        capture_output=True,
    ).stdout
    pdfs = sorted(str(p) for p in PDFS.glob("*.pdf"))
    with tempfile.TemporaryDirectory() as tree:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        env = {**os.environ, "PYTHONPATH": tree}
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--extract", *pdfs],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=tree,
        ).stdout
    return [json.loads(line) for line in out.splitlines()]


def paper_rows() -> dict[str, list[dict]]:
    """Every sentence of every corpus paper as a label row (without label), in reading order."""
    from synth.claims import introduction, model_name
    from synth.claims.extract import places
    from synth.store.papers import SentenceRow

    out: dict[str, list[dict]] = {}
    for paper in extracted():
        rows = [
            SentenceRow(i, 0, i, text, page, 0, 0, section, kind)
            for i, (text, page, _, section, kind) in enumerate(paper["rows"])
        ]
        # Places per section as stored (by section row), so two sections of one name
        # ("Results" twice) are two sections, as in the existing labels.
        by_row = [
            replace(s, section=str(row[2]), section_kind="")
            for s, row in zip(rows, paper["rows"], strict=True)
        ]
        name = model_name(paper["title"], paper["abstract"], introduction(rows))
        out[paper["paper"]] = [
            {
                "paper": paper["paper"],
                "sentence_index": s.ordinal,
                "section": s.section,
                "section_kind": s.section_kind,
                "page": s.page,
                "position": round(place.position, 4),
                "section_position": round(place.section_position, 4),
                "model_name": name,
                "sentence": s.text,
            }
            for s, place in zip(rows, places(by_row), strict=True)
        ]
    return out


def mismatches(rows: dict[str, list[dict]], labelled: list[dict]) -> list[str]:
    """The labelled rows whose fields differ from what is read now, with the fields that do."""
    out = []
    for old in labelled:
        sentences = rows.get(old["paper"], [])
        i = old["sentence_index"]
        new = sentences[i] if i < len(sentences) else None
        diff = (
            ["missing"] if new is None else [k for k in (*CHECKED, "sentence") if new[k] != old[k]]
        )
        if diff:
            out.append(f"{old['paper']}#{i}: {', '.join(diff)}")
    return out


def sample(rows: dict[str, list[dict]], labelled: list[dict]) -> list[dict]:
    """``PER_PAPER`` non-reference sentences per paper not labelled in an earlier batch, drawn
    uniformly at random (so the draw of ``BATCH`` is the same before and after it is labelled)."""
    done = {(r["paper"], r["sentence_index"]) for r in labelled if r.get("batch", 1) < BATCH}
    out = []
    for paper, sentences in sorted(rows.items()):
        pool = [
            r
            for r in sentences
            if r["section_kind"] != "references" and (paper, r["sentence_index"]) not in done
        ]
        drawn = random.Random(paper_seed(paper)).sample(pool, min(PER_PAPER, len(pool)))
        out += sorted(drawn, key=lambda r: r["sentence_index"])
    return out


def main() -> None:
    if sys.argv[1:2] == ["--extract"]:
        extract_child(sys.argv[2:])
        return
    rows = paper_rows()
    labelled = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    wrong = mismatches(rows, labelled)
    if wrong:
        sys.exit("existing labels differ from this extraction:\n" + "\n".join(wrong))
    print(f"all {len(labelled)} labelled rows match", file=sys.stderr)
    drawn = sample(rows, labelled)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in drawn))
    print(f"{len(drawn)} sentences of {len(rows)} papers -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
