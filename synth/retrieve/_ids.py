"""arXiv identifiers and the metadata synth keeps of a paper.

Users paste ids in every form arXiv prints them (``1810.04805v2``, ``arXiv:1810.04805``,
``hep-th/9901001``, abs and pdf URLs); :func:`parse_arxiv_id` reduces them all to one
``(id, version)`` pair so cache names and database keys agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from synth.errors import RetrieveError

ABS_URL = "https://arxiv.org/abs/{}"

_NEW_ID = r"\d{4}\.\d{4,5}"  # 0704.0001 onwards
_OLD_ID = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"  # hep-th/9901001, math.GT/0309136
_ID_RE = re.compile(rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>\d+))?")
_URL_RE = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<rest>.+?)(?:\.pdf)?/?"
)


@dataclass(frozen=True)
class PaperMeta:
    """What synth keeps of an arXiv search result; enough to cite and download the paper."""

    arxiv_id: str
    version: int | None
    title: str
    authors: list[str]
    year: int | None
    categories: list[str]
    abstract: str
    pdf_url: str | None = None
    published: datetime | None = None

    @property
    def abs_url(self) -> str:
        """The abstract page, pinned to the version that was read when it is known."""
        return ABS_URL.format(_versioned(self.arxiv_id, self.version))


def parse_arxiv_id(text: str) -> tuple[str, int | None]:
    """Split an arXiv id, ``arXiv:`` reference or abs/pdf URL into ``(id, version)``.

    Users paste ids in every form arXiv prints them; one parser keeps cache names and database
    keys the same whatever the form.

    Example:
        >>> parse_arxiv_id("https://arxiv.org/abs/1810.04805v2")
        ('1810.04805', 2)
        >>> parse_arxiv_id("hep-th/9901001")
        ('hep-th/9901001', None)

    Raises:
        RetrieveError: ``text`` is not an arXiv id.
    """
    candidate = text.strip()
    if url := _URL_RE.fullmatch(candidate):
        candidate = url["rest"]
    elif candidate[:6].lower() == "arxiv:":
        candidate = candidate[6:]
    match = _ID_RE.fullmatch(candidate)
    if match is None:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise RetrieveError(
            f"{shown!r} is not an arXiv id; expected e.g. 1810.04805, 1810.04805v2 "
            "or hep-th/9901001."
        )
    version = match["version"]
    return match["id"], int(version) if version else None


def _versioned(arxiv_id: str, version: int | None) -> str:
    return f"{arxiv_id}v{version}" if version is not None else arxiv_id
