"""Storage: migrations match the models, re-ingesting updates in place, FTS stays in step."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from synth.errors import StoreError
from synth.extract import extract_pdf
from synth.settings import Settings
from synth.store import Claim, Paper, Section, Sentence, has_fulltext, make_engine, migrate
from synth.store.db import MIGRATIONS_DIR, include_object
from synth.store.models import Evidence, Verification
from synth.store.papers import PaperInfo, list_papers, upsert_paper


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    assert has_fulltext(engine)


def test_migrate_twice_is_a_no_op(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert current == head


def test_unusable_database_url_is_one_line_error(tmp_path):
    with pytest.raises(StoreError) as err:
        make_engine("nosuchdialect://x")
    assert "SQLAlchemy URL" in str(err.value) and "\n" not in str(err.value)


def test_database_in_a_file_where_a_folder_should_be(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises((StoreError, OSError)):
        migrate(make_engine(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}"))


@pytest.fixture(scope="module")
def bert_doc(pdf_dir: Path):
    return extract_pdf(pdf_dir / "1810.04805.pdf")


def test_reingest_updates_and_never_duplicates(session: Session, bert_doc):
    info = PaperInfo("1810.04805", 1, "BERT", ("Jacob Devlin",), 2018)
    first = upsert_paper(session, info, bert_doc, pdf_path="a.pdf", source="corpus")
    session.commit()
    claim = Claim(
        paper_id=first.id,
        sentence_id=session.exec(select(Sentence.id)).first(),
        text="t",
        original="t",
    )
    session.add(claim)
    session.commit()
    n_sentences = len(session.exec(select(Sentence)).all())
    second = upsert_paper(
        session, PaperInfo("1810.04805", 2, "BERT v2"), bert_doc, pdf_path="b.pdf", source="arxiv"
    )
    session.commit()
    assert second.id == first.id
    assert len(session.exec(select(Paper)).all()) == 1
    assert len(session.exec(select(Sentence)).all()) == n_sentences == len(bert_doc.sentences)
    assert len(session.exec(select(Section)).all()) == len(bert_doc.sections)
    session.refresh(claim)
    # the claim survives, linked to the new copy of its sentence
    assert session.get(Sentence, claim.sentence_id).text == bert_doc.sentences[0].text
    assert session.get(Paper, first.id).version == 2


def test_reextraction_moves_claims_and_restatements_to_the_new_sentences(session, bert_doc):
    """A changed extractor stores new sentence rows: a claim's own sentence and its
    restatements must follow their text, or re-verification takes a restatement for support."""
    reextraction_moves_links(session, bert_doc)


def reextraction_moves_links(session: Session, bert_doc) -> None:
    """The re-extraction check, for any database (``test_postgres.py`` runs it there too)."""
    info = PaperInfo("1810.04805", 1, "BERT")
    paper = upsert_paper(session, info, bert_doc, pdf_path="a.pdf", source="corpus")
    session.commit()
    rows = session.exec(select(Sentence).order_by(Sentence.ordinal)).all()
    own, restated, gone = ((r.id, r.text) for r in (rows[40], rows[90], rows[0]))
    claim = Claim(
        paper_id=paper.id,
        sentence_id=own[0],
        text=own[1],
        original=own[1],
        restatements=[
            {"sentence_id": restated[0], "text": restated[1], "section": "x", "page": 1},
            {"sentence_id": gone[0], "text": gone[1], "section": "y", "page": 1},
            # an id an earlier synth left stale: the restatement's own text finds its sentence
            {"sentence_id": 10**6, "text": rows[60].text, "section": "z", "page": 2},
        ],
    )
    session.add(claim)
    session.commit()
    # the new extractor no longer produces the first sentence: every later one gets a new row
    changed = replace(bert_doc, sentences=bert_doc.sentences[1:])
    upsert_paper(session, info, changed, pdf_path="a.pdf", source="corpus")
    session.commit()
    session.refresh(claim)

    def text_of(sentence_id: int) -> str:
        # from the table: SQLite reuses the deleted rows' ids, and the session's objects
        return session.exec(select(Sentence.text).where(Sentence.id == sentence_id)).one()

    assert claim.sentence_id != own[0] and text_of(claim.sentence_id) == own[1]
    moved, dropped, repaired = claim.restatements
    assert text_of(repaired["sentence_id"]) == repaired["text"]
    assert moved["sentence_id"] != restated[0] and text_of(moved["sentence_id"]) == restated[1]
    assert "sentence_id" not in dropped and dropped["text"] == gone[1]


def test_list_papers_reports_sections_and_counts(session: Session, bert_doc):
    upsert_paper(session, PaperInfo("1810.04805", 1, "BERT"), bert_doc, pdf_path="a", source="x")
    session.commit()
    (row,) = list_papers(session)
    assert row["arxiv_id"] == "1810.04805" and row["pages"] == bert_doc.pages
    assert row["sentences"] == len(bert_doc.sentences)
    assert "Introduction" in row["sections"] and "References" in row["sections"]


def test_fulltext_index_follows_inserts_updates_and_deletes(session: Session):
    session.add(Claim(text="Cross-lingual pretraining improves XNLI accuracy.", original="x"))
    session.commit()
    claim = session.exec(select(Claim)).one()

    def hits(word: str) -> int:
        sql = text("SELECT count(*) FROM claim_fts WHERE claim_fts MATCH :q")
        return session.exec(sql.bindparams(q=word)).scalar()

    assert hits("pretraining") == 1
    claim.text = "Monolingual models do well."
    session.add(claim)
    session.commit()
    assert hits("pretraining") == 0 and hits("monolingual") == 1
    session.delete(claim)
    session.commit()
    assert hits("monolingual") == 0


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path):
    s = Settings(data_dir=tmp_path, database_url=None)
    assert s.resolved_database_url == f"sqlite:///{tmp_path / 'synth.db'}"


def test_cached_embeddings_match_and_are_computed_once(session: Session, monkeypatch):
    import numpy as np

    from synth import embed as embed_module
    from synth.store import vectors
    from synth.store.models import EmbeddingCache

    texts = ["BERT is bidirectional.", "ELMo uses a biLM.", "BERT is bidirectional."]
    first = vectors.cached_embed(session, texts)
    direct = embed_module.embed(texts)
    assert np.allclose(first, direct, atol=2e-3)
    assert len(session.exec(select(EmbeddingCache)).all()) == 2  # one row per distinct text

    def fail(_texts):
        raise AssertionError("cached texts must not be embedded again")

    monkeypatch.setattr(vectors, "embed", fail)
    assert np.array_equal(vectors.cached_embed(session, texts[:2]), first[:2])


def test_cached_nli_scores_match_and_are_computed_once(session: Session, monkeypatch):
    """The real shipped verifier through the database: the same scores as asking it directly,
    one row per distinct pair, nothing asked twice, and another backend is another key."""
    from synth.store.models import NliCache
    from synth.store.nli_cache import CachedVerifier
    from synth.verify.model import load_verifier

    verifier = load_verifier()
    pairs = [
        ("BERT obtains 80.5 on GLUE.", "BERT scores 80.5 on GLUE."),
        ("ELMo uses a biLSTM language model.", "ELMo relies on convolution only."),
        ("BERT obtains 80.5 on GLUE.", "BERT scores 80.5 on GLUE."),
    ]
    cached = CachedVerifier(session, verifier)
    first = cached.predict(pairs)
    assert first == verifier.predict(pairs)  # exact: a pair's score is batch-invariant
    assert len(session.exec(select(NliCache)).all()) == 2
    assert cached.name == verifier.name and cached.labels == verifier.labels

    def fail(*_args, **_kwargs):
        raise AssertionError("cached pairs must not be scored again")

    monkeypatch.setattr(verifier, "raw_logits", fail)
    assert cached.predict(pairs[1::-1]) == first[1::-1]
    monkeypatch.undo()
    torch_verifier = load_verifier(backend="torch")
    assert torch_verifier.identity != verifier.identity
    CachedVerifier(session, torch_verifier).predict(pairs[:1])
    assert len(session.exec(select(NliCache)).all()) == 3


def test_downgrade_and_upgrade_keep_the_stored_text(tmp_path, bert_doc):
    """Downgrades rebuild SQLite tables (batch mode): with the foreign keys a synth engine
    switches on, dropping ``paper`` would cascade into its sentences. Run as the README says,
    through the alembic command line, every row survives down to 0003 and back."""
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{tmp_path / 'synth.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        info = PaperInfo("1810.04805", 1, "BERT")
        paper = upsert_paper(session, info, bert_doc, pdf_path="a", source="x")
        session.flush()
        sentence = session.exec(select(Sentence)).first()
        claim = Claim(paper_id=paper.id, sentence_id=sentence.id, text="t", original="t")
        session.add(claim)
        session.flush()
        verdict = Verification(claim_id=claim.id, model="m", verdict="SUPPORTED", confidence=0.9)
        session.add(verdict)
        session.flush()
        session.add(
            Evidence(
                verification_id=verdict.id,
                sentence_id=sentence.id,
                rank=0,
                text="e",
                label="entailment",
                score=0.9,
            )
        )
        session.commit()
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"), cmd_opts=None)
    config.cmd_opts = type("Opts", (), {"x": [f"url={url}"]})()

    def counts() -> tuple:
        with make_engine(url).connect() as conn:
            n = [
                conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                for table in ("sentence", "claim", "verification", "evidence")
            ]
            return *n, conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    rows = (len(bert_doc.sentences), 1, 1, 1)
    command.downgrade(config, "0003")  # rebuilds claim (0005) and evidence (0004) on the way
    assert counts() == (*rows, "0003")
    command.upgrade(config, "head")
    assert counts() == (*rows, ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head())
