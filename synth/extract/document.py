"""The result types of the extraction stage: plain frozen dataclasses, no behaviour.

Every offset is a character index into :attr:`Document.text`, so a later stage can quote a
sentence, find its section and page, and show the surrounding text without re-reading the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_KINDS = ("title", "abstract", "body", "references")


@dataclass(frozen=True)
class Section:
    """A span of :attr:`Document.text` that starts at a heading (or the title block).

    Attributes:
        name: Heading text without its number, e.g. ``"Introduction"``; the paper title for the
            title block.
        number: ``"3"``, ``"3.1"``, ``"A"``, ``"IV"`` or ``None`` for unnumbered headings.
        kind: One of ``"title"``, ``"abstract"``, ``"body"``, ``"references"``.
        page: 1-based page where the section starts.
        start: Offset of the section's first character (its heading line).
        end: Offset one past its last character.
    """

    name: str
    number: str | None
    kind: str
    page: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of the abstract or body; ``Document.text[start:end] == text``."""

    text: str
    page: int
    start: int
    end: int
    section: int  # index into Document.sections


@dataclass(frozen=True)
class PdfMetadata:
    """What the PDF says about itself: the arXiv stamp, the first page and the info dictionary."""

    arxiv_id: str | None = None
    version: int | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    categories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """A paper turned into clean text, sections, sentences and bibliography entries."""

    sha256: str
    pages: int
    text: str
    abstract: str
    sections: list[Section]
    sentences: list[Sentence]
    references: list[str]
    metadata: PdfMetadata

    def section_text(self, index: int) -> str:
        """The text of ``sections[index]``, heading included."""
        section = self.sections[index]
        return self.text[section.start : section.end]
