"""Exports: claims as CSV or JSON, a run's references as BibTeX."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence

from sqlmodel import Session, select

from synth.errors import NotFoundError
from synth.store.models import Paper, Run, RunPaper

CSV_FIELDS = (
    "id",
    "run",
    "paper",
    "section",
    "page",
    "kind",
    "verdict",
    "confidence",
    "model",
    "text",
)
_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def claims_csv(rows: Sequence[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def claims_json(rows: Sequence[dict]) -> str:
    return json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n"


def bibtex_escape(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def cite_key(paper: Paper) -> str:
    """``surname`` + year + first title word, ASCII only: ``devlin2018bert``."""
    surname = paper.authors[0].split()[-1] if paper.authors else "anon"
    first = next((w for w in re.findall(r"[A-Za-z]+", paper.title) if len(w) > 3), "paper")
    raw = f"{surname}{paper.year or ''}{first}".lower()
    return unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode() or paper.arxiv_id


def bibtex_entry(paper: Paper) -> str:
    on_arxiv = not paper.arxiv_id.startswith("local:")
    version = f"v{paper.version}" if paper.version else ""
    fields = {
        "title": "{" + bibtex_escape(paper.title) + "}",  # double braces keep capitals
        "author": bibtex_escape(" and ".join(paper.authors)) if paper.authors else None,
        "year": str(paper.year) if paper.year else None,
        "eprint": paper.arxiv_id if on_arxiv else None,
        "archivePrefix": "arXiv" if on_arxiv else None,
        "primaryClass": paper.categories[0] if paper.categories else None,
        "url": f"https://arxiv.org/abs/{paper.arxiv_id}{version}" if on_arxiv else None,
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{{cite_key(paper)},\n{body}\n}}\n"


def run_bibtex(session: Session, run_id: int) -> str:
    """BibTeX of every paper a run used, in rank order; keys made unique with a suffix."""
    if session.get(Run, run_id) is None:
        raise NotFoundError(f"no run with id {run_id}; list runs with: synth runs")
    papers = session.exec(
        select(Paper)
        .join(RunPaper, RunPaper.paper_id == Paper.id)
        .where(RunPaper.run_id == run_id)
        .order_by(RunPaper.rank)
    ).all()
    entries, seen = [], set()
    for p in papers:
        entry = bibtex_entry(p)
        key = cite_key(p)
        if key in seen:
            entry = entry.replace(f"{{{key},", f"{{{key}{len(seen)},", 1)
        seen.add(key)
        entries.append(entry)
    return "\n".join(entries)
