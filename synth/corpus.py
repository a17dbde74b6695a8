"""A local folder of PDFs as the paper source, for working without arXiv (``--corpus DIR``).

Files named after their arXiv id (``1810.04805.pdf``, ``1810.04805v2.pdf``, old-style
``hep-th_9901001v1.pdf`` with ``_`` for ``/``, as :func:`synth.retrieve.download_pdf` names its
cache) keep that id; any other PDF is still read, and its id may be found in the PDF's arXiv
stamp later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from synth.errors import ConfigError, RetrieveError
from synth.retrieve import parse_arxiv_id

__all__ = ["CorpusEntry", "scan_corpus"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CorpusEntry:
    """One PDF of a local corpus and the arXiv id its file name gives, if any."""

    arxiv_id: str | None
    version: int | None
    path: Path


def scan_corpus(folder: Path) -> list[CorpusEntry]:
    """The PDFs directly inside ``folder``, sorted by file name.

    Sub-folders are not searched, so a corpus is exactly what ``ls DIR/*.pdf`` shows.

    Example:
        >>> [entry.arxiv_id for entry in scan_corpus(Path("papers"))]  # doctest: +SKIP
        ['1810.04805', 'hep-th/9901001', None]

    Raises:
        ConfigError: ``folder`` does not exist, is not a folder, or holds no PDF.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(f"Corpus folder {folder} {what}; pass --corpus a folder of PDFs.")
    pdfs = sorted(
        (path for path in folder.iterdir() if path.suffix.lower() == ".pdf" and path.is_file()),
        key=lambda path: path.name,
    )
    if not pdfs:
        raise ConfigError(
            f"Corpus folder {folder} holds no PDF; add files such as 1810.04805v2.pdf."
        )
    entries = [CorpusEntry(*_id_from_name(path.stem), path) for path in pdfs]
    unnamed = sum(entry.arxiv_id is None for entry in entries)
    logger.info(
        "corpus %s: %d PDFs, %d without an arXiv id in the name", folder, len(entries), unnamed
    )
    return entries


def _id_from_name(stem: str) -> tuple[str | None, int | None]:
    # Only the first "_" can stand for "/": archive names never contain one.
    for candidate in (stem, stem.replace("_", "/", 1)):
        try:
            return parse_arxiv_id(candidate)
        except RetrieveError:
            continue
    return None, None
