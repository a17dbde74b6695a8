"""Exports: claims as CSV and JSON read back to the same rows; a run's papers as BibTeX."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlmodel import Session

from synth.errors import NotFoundError
from synth.export import CSV_FIELDS, claims_csv, claims_json, run_bibtex
from synth.query import ClaimFilter, list_claims
from synth.store.models import Claim, Paper, Run, RunPaper, Verification

TEXTS = [
    "Plain claim without anything special.",
    'A claim with "quotes", commas, and a semicolon; too.',
    "Multi-line\nclaim with a newline and a tab\there.",
    "Unicode: naïve Bayes reaches 95 % on café reviews — ≥ 0.9 F₁.",
    "=SUM(A1:A3) looks like a formula but is text.",
]


@pytest.fixture
def rows(session: Session) -> list[dict]:
    paper = Paper(arxiv_id="1810.04805", title="BERT")
    run = Run(kind="report", question="q", model="m")
    session.add_all([paper, run])
    session.flush()
    for i, text in enumerate(TEXTS):
        claim = Claim(
            run_id=run.id,
            paper_id=paper.id if i % 2 else None,
            text=text,
            original=text,
            section="Results" if i % 2 else None,
            page=i if i % 2 else None,
        )
        session.add(claim)
        session.flush()
        verdict = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")[i % 3]
        session.add(
            Verification(claim_id=claim.id, model="m", verdict=verdict, confidence=0.5 + i / 10)
        )
    session.commit()
    out = list_claims(session, ClaimFilter())
    assert len(out) == len(TEXTS)
    return out


def test_csv_reads_back_to_the_same_rows(rows):
    parsed = list(csv.DictReader(io.StringIO(claims_csv(rows), newline="")))
    assert list(parsed[0]) == list(CSV_FIELDS)
    expected = [{k: "" if r[k] is None else str(r[k]) for k in CSV_FIELDS} for r in rows]
    assert parsed == expected
    assert {p["text"] for p in parsed} == set(TEXTS)


def test_csv_of_no_rows_is_just_the_header():
    assert claims_csv([]).strip() == ",".join(CSV_FIELDS)


def test_json_reads_back_to_the_same_rows(rows):
    out = claims_json(rows)
    assert json.loads(out) == rows
    assert "naïve" in out  # not \u-escaped
    assert json.loads(claims_json([])) == []


def add_run(session: Session, papers: list[Paper], ranks: list[int]) -> int:
    run = Run(kind="report", question="q", model="m")
    session.add_all([run, *papers])
    session.flush()
    session.add_all(
        RunPaper(run_id=run.id, paper_id=p.id, rank=r, score=1.0 - r / 10)
        for p, r in zip(papers, ranks, strict=True)
    )
    session.commit()
    return run.id


def entries(bib: str) -> list[tuple[str, dict[str, str]]]:
    """(key, fields) of each entry; fields are one per line as synth writes them."""
    out = []
    for m in re.finditer(r"@misc\{([^,\s]+),\n(.*?)\n\}", bib, re.S):
        fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", m.group(2), re.M))
        out.append((m.group(1), fields))
    return out


def test_bibtex_has_one_escaped_entry_per_paper_in_rank_order(session):
    special = Paper(
        arxiv_id="2001.00001",
        version=2,
        title="Fast & Accurate: 100% of_tokens {Matter}",
        authors=["Ada Lovelace", "Jean-Pierre Müller", "R&D Team"],
        year=2020,
        categories=["cs.CL", "cs.LG"],
    )
    bert = Paper(
        arxiv_id="1810.04805",
        version=1,
        title="BERT: Pre-training of Deep Bidirectional Transformers",
        authors=["Jacob Devlin", "Ming-Wei Chang"],
        year=2018,
        categories=["cs.CL"],
    )
    local = Paper(arxiv_id="local:abc123", title="A Local Paper", authors=[], year=None)
    run_id = add_run(session, [special, bert, local], ranks=[1, 0, 2])
    bib = run_bibtex(session, run_id)
    assert bib.count("@misc{") == 3
    (k1, f1), (k2, f2), (k3, f3) = entries(bib)
    assert f1["title"] == "{BERT: Pre-training of Deep Bidirectional Transformers}"
    assert f1["author"] == "Jacob Devlin and Ming-Wei Chang"
    assert (f1["year"], f1["eprint"], f1["archivePrefix"]) == ("2018", "1810.04805", "arXiv")
    assert f1["url"] == "https://arxiv.org/abs/1810.04805v1"
    assert f1["primaryClass"] == "cs.CL"
    assert k1 == "devlin2018bert"
    assert f2["title"] == r"{Fast \& Accurate: 100\% of\_tokens \{Matter\}}"
    assert f2["author"] == r"Ada Lovelace and Jean-Pierre Müller and R\&D Team"
    assert f2["url"] == "https://arxiv.org/abs/2001.00001v2"
    assert "title = {{Fast" in bib  # double braces keep the capitals
    assert "eprint" not in f3 and "url" not in f3 and "author" not in f3
    assert f3["title"] == "{A Local Paper}"
    assert k3 == "anonlocal"
    assert len({k1, k2, k3}) == 3


def test_bibtex_keys_are_unique_when_papers_would_share_one(session):
    def paper(arxiv_id: str, author: str) -> Paper:
        return Paper(arxiv_id=arxiv_id, title="Deep Learning", authors=[author], year=2020)

    papers = [
        paper("2001.00001", "Ann Smith"),
        paper("2001.00002", "Bob Jones"),
        paper("2001.00003", "Cy Smith"),
        paper("2001.00004", "Dee Smith"),
        paper("2001.00005", "Eve Jones"),
    ]
    bib = run_bibtex(session, add_run(session, papers, ranks=[0, 1, 2, 3, 4]))
    keys = [k for k, _ in entries(bib)]
    assert keys == [
        "smith2020deep",
        "jones2020deep",
        "smith2020deep2",
        "smith2020deep3",
        "jones2020deep2",
    ]


@pytest.mark.parametrize(
    ("authors", "key"),
    [
        (["Conan O'Brien"], "obrien2021graph"),
        (["Martin Luther King, Jr."], "king2021graph"),
        (["José Núñez-García"], "nunezgarcia2021graph"),
        ([""], "anon2021graph"),
        (["  "], "anon2021graph"),
        (["李小龙"], "anon2021graph"),
        ([], "anon2021graph"),
    ],
)
def test_bibtex_keys_are_plain_ascii_whatever_the_author(session, authors, key):
    p = Paper(arxiv_id="2101.00001", title="Graph Networks", authors=authors, year=2021)
    ((found, _),) = entries(run_bibtex(session, add_run(session, [p], ranks=[0])))
    assert found == key


def test_bibtex_of_unknown_run_is_not_found(session):
    with pytest.raises(NotFoundError, match="no run with id 42"):
        run_bibtex(session, 42)


def test_bibtex_of_run_without_papers_is_empty(session):
    assert run_bibtex(session, add_run(session, [], ranks=[])) == ""
