"""synth.corpus: a local folder of PDFs instead of arXiv."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.corpus import CorpusEntry, scan_corpus
from synth.errors import ConfigError


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_bytes(b"%PDF-1.5\n")


def test_ids_come_from_file_names(tmp_path):
    _touch(
        tmp_path,
        "1810.04805.pdf",
        "1810.04805v2.pdf",
        "hep-th_9901001v1.pdf",
        "math.GT_0309136.pdf",
        "my notes.pdf",
        "UPPER.PDF",
    )
    (tmp_path / "README.txt").write_text("not a paper")
    (tmp_path / "nested").mkdir()
    _touch(tmp_path / "nested", "2104.12255.pdf")

    entries = scan_corpus(tmp_path)

    assert [(e.arxiv_id, e.version, e.path.name) for e in entries] == [
        ("1810.04805", None, "1810.04805.pdf"),
        ("1810.04805", 2, "1810.04805v2.pdf"),
        (None, None, "UPPER.PDF"),
        ("hep-th/9901001", 1, "hep-th_9901001v1.pdf"),
        ("math.GT/0309136", None, "math.GT_0309136.pdf"),
        (None, None, "my notes.pdf"),
    ]
    assert all(e.path.parent == tmp_path for e in entries)


def test_shared_pdfs_all_have_ids(pdf_dir):
    entries = scan_corpus(pdf_dir)

    assert len(entries) == len(list(pdf_dir.glob("*.pdf")))
    assert all(isinstance(e, CorpusEntry) for e in entries)
    assert all(e.arxiv_id == e.path.stem and e.version is None for e in entries)


def test_missing_folder(tmp_path):
    with pytest.raises(ConfigError, match="does not exist") as info:
        scan_corpus(tmp_path / "nowhere")
    assert "\n" not in str(info.value)


def test_file_instead_of_folder(tmp_path):
    _touch(tmp_path, "1810.04805.pdf")
    with pytest.raises(ConfigError, match="is not a folder"):
        scan_corpus(tmp_path / "1810.04805.pdf")


def test_folder_without_pdfs(tmp_path):
    (tmp_path / "notes.txt").write_text("no papers here")
    with pytest.raises(ConfigError, match="holds no PDF") as info:
        scan_corpus(tmp_path)
    assert "\n" not in str(info.value)
