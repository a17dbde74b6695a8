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
        pytest.skip(f"needs {path.relative_to(ROOT.parent)} (the shared data folder beside the repo)")
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
