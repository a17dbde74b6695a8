"""The same storage code on PostgreSQL (migrations, tsvector search, queries).

Runs when SYNTH_TEST_POSTGRES_URL names an empty database it may fill, e.g.
``postgresql+psycopg://postgres@/synth_test?host=/tmp/pg&port=55432``; skipped otherwise.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from synth.query import ClaimFilter, list_claims
from synth.store import has_fulltext, make_engine, migrate
from synth.store.models import Claim, Paper, Run, Verification

URL = os.environ.get("SYNTH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    not URL, reason="set SYNTH_TEST_POSTGRES_URL to a PostgreSQL database to run these"
)


@pytest.fixture
def pg_engine():
    engine = make_engine(URL)
    with engine.begin() as conn:
        SQLModel.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(engine)
    yield engine
    engine.dispose()


def test_migrations_and_fulltext_on_postgres(pg_engine):
    assert has_fulltext(pg_engine)
    migrate(pg_engine)  # a no-op the second time


def test_claims_search_uses_tsvector(pg_engine):
    with Session(pg_engine) as session:
        paper = Paper(arxiv_id="1901.07291", title="XLM")
        run = Run(question="q", model="m")
        session.add_all([paper, run])
        session.flush()
        texts = [
            "Cross-lingual pretraining improves XNLI accuracy by 4.9%.",
            "Monolingual models transfer poorly.",
            "Pretrained cross-lingual models help unsupervised translation.",
        ]
        for t in texts:
            claim = Claim(run_id=run.id, paper_id=paper.id, text=t, original=t)
            session.add(claim)
            session.flush()
            session.add(
                Verification(claim_id=claim.id, model="m", verdict="SUPPORTED", confidence=0.9)
            )
        session.commit()
        rows = list_claims(session, ClaimFilter(search="cross-lingual pretrained"))
        assert {r["text"] for r in rows} == {texts[0], texts[2]}  # stemmed, both words
        assert list_claims(session, ClaimFilter(search="monolingual"))[0]["text"] == texts[1]


def test_reextraction_moves_links_on_postgres(pg_engine, pdf_dir):
    """Claims and their restatements follow their sentences when a paper is read again
    (the JSON column is rewritten in Python: PostgreSQL's json type has no equality)."""
    from test_store import reextraction_moves_links

    from synth.extract import extract_pdf

    with Session(pg_engine) as session:
        reextraction_moves_links(session, extract_pdf(pdf_dir / "1810.04805.pdf"))
