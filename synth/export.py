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
_NON_KEY = re.compile(r"[^a-z0-9]")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


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


def _key_part(value: str) -> str:
    """Lower-case ASCII letters and digits only: BibTeX keys break on quotes, commas, spaces."""
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_KEY.sub("", ascii_.lower())


def _surname(authors: Sequence[str]) -> str:
    words = authors[0].replace(",", " ").split() if authors else []
    while words and _key_part(words[-1]) in _NAME_SUFFIXES:  # "Martin Luther King, Jr."
        words.pop()
    return _key_part(words[-1]) if words else ""


def cite_key(paper: Paper) -> str:
    """``surname`` + year + first title word, ASCII letters and digits: ``devlin2018bert``."""
    first = next((w for w in re.findall(r"[A-Za-z]+", paper.title) if len(w) > 3), "paper")
    return f"{_surname(paper.authors) or 'anon'}{paper.year or ''}{first.lower()}"


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """One ``@misc`` entry; ``key`` defaults to :func:`cite_key`."""
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
    return f"@misc{{{key or cite_key(paper)},\n{body}\n}}\n"


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
    entries: list[str] = []
    used: set[str] = set()
    for p in papers:
        # a shared key gets the first free suffix 2, 3, ...: "smith2020deep2"
        base = key = cite_key(p)
        n = 1
        while key in used:
            n += 1
            key = f"{base}{n}"
        used.add(key)
        entries.append(bibtex_entry(p, key))
    return "\n".join(entries)
