"""Re-point the hand labels at the sentences today's extraction produces.

Why: the labels in ``training/claims/body_labels.jsonl`` were drawn from an older extraction
(see ``sample_sentences.py``); heading detection and the sentence splitter have changed since,
so in 11 of the 23 papers the labelled sentences sit at other indices, in other sections, or
are split differently. The classifier must be fitted on the places it sees at run time, so each
label is matched to today's sentence of its paper with the same text (rapidfuzz ratio >=
``SAME``) and takes that sentence's index, section, parent section, page and positions (as
:func:`synth.claims.extract.places` computes them). A label whose sentence no longer exists in
that form (split or joined differently) is kept but marked ``"aligned": false``, and the
classifier leaves it out. The text and index the label was given to stay as ``labelled_text``
and ``labelled_index`` when they differ, so running this again starts from them. The reader's
out-of-fold logits (``training/claims/finetune_oof.json``, keyed by paper and sentence index)
follow their sentences to the new indices, so the stacked classifier can be refitted without
fine-tuning the reader again.

Run from the repository root (rewrites the labels file in place, same order)::

    python training/claims/align_labels.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from synth.claims import Place, introduction, model_name
from synth.claims.extract import places
from synth.ingest import ingest
from synth.settings import Settings
from synth.store import open_database
from synth.store.models import Paper
from synth.store.papers import SentenceRow, paper_sentences

ROOT = Path(__file__).resolve().parents[2]
PDFS = ROOT.parent / "shared" / "data" / "arxiv" / "pdfs"
LABELS = ROOT / "training" / "claims" / "body_labels.jsonl"
READER_OOF = ROOT / "training" / "claims" / "finetune_oof.json"
SAME = 90


def current_rows(pdfs: Path) -> dict[str, tuple[list[SentenceRow], list[Place], str | None]]:
    """Each paper's sentences, their places and its model name as today's ingest has them."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.in_folder(Path(tmp))
        with Session(open_database(settings)) as session:
            ingest(session, settings, corpus=pdfs)
            papers = session.exec(select(Paper)).all()
            sentences = paper_sentences(session, [p.id for p in papers])
            return {
                p.arxiv_id: (
                    sentences[p.id],
                    places(sentences[p.id]),
                    model_name(p.title, p.abstract, introduction(sentences[p.id])),
                )
                for p in papers
            }


def align(row: dict, sentences: list[SentenceRow], where: list[Place], name: str | None) -> dict:
    """``row`` re-pointed at its sentence in ``sentences`` (or marked unaligned)."""
    text = row.get("labelled_text", row["sentence"])
    old_index = row.get("labelled_index", row["sentence_index"])
    found = process.extract(
        text, [s.text for s in sentences], scorer=fuzz.ratio, score_cutoff=SAME, limit=None
    )
    out = {k: v for k, v in row.items() if k not in ("aligned", "labelled_text")}
    if not found:
        return {**out, "sentence": text, "aligned": False}
    # A paper may say one sentence twice (introduction and conclusion): the nearest copy.
    best = max(score for _, score, _ in found)
    i = min((j for _, score, j in found if score >= best - 2), key=lambda j: abs(j - old_index))
    s, place = sentences[i], where[i]
    out.update(
        sentence_index=i,
        section=s.section,
        section_kind=s.section_kind,
        parent_section=s.parent,
        page=s.page,
        position=round(place.position, 4),
        section_position=round(place.section_position, 4),
        model_name=name,
        sentence=s.text,
    )
    if s.text != text:
        out["labelled_text"] = text
    if i != old_index:
        out["labelled_index"] = old_index
    return out


def rekeyed(logits: dict[str, float], before: list[dict], after: list[dict]) -> dict[str, float]:
    """The reader's logits keyed by each label's new sentence index instead of its old one (a
    label without today's sentence loses its logit: the classifier leaves it out)."""
    out = {}
    for old, new in zip(before, after, strict=True):
        key = f"{old['paper']}:{old['sentence_index']}"
        if key in logits and new.get("aligned", True):
            out[f"{new['paper']}:{new['sentence_index']}"] = logits[key]
    return out


def main() -> None:
    papers = current_rows(PDFS)
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    aligned = [align(r, *papers[r["paper"]]) for r in rows]
    LABELS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in aligned))
    pairs = list(zip(aligned, rows, strict=True))
    moved = sum(a["sentence_index"] != r["sentence_index"] for a, r in pairs)
    if moved and READER_OOF.exists():
        oof = json.loads(READER_OOF.read_text())
        oof["logits"] = rekeyed(oof["logits"], rows, aligned)
        READER_OOF.write_text(json.dumps(oof, indent=1) + "\n")
    lost = sum(a.get("aligned") is False for a in aligned)
    print(f"{len(rows)} labels: {moved} re-pointed, {lost} without today's sentence (left out)")


if __name__ == "__main__":
    main()
