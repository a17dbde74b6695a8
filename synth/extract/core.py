"""The extraction stage: PDF file in, :class:`Document` out, one file or a batch.

``build_document`` is the pure part (page texts in, document out) so it can be tested and timed
apart from pypdf; ``extract_pdf`` adds reading, ``extract_many`` runs files in worker processes.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from synth.errors import ExtractError
from synth.extract.clean import (
    STAMP,
    find_footnotes,
    fix_characters,
    is_debris,
    remove_page_furniture,
    strip_footnote_mark,
)
from synth.extract.document import Document, Section, Sentence
from synth.extract.fonts import add_font_headings, font_heading_texts, needs_fonts, styled_lines
from synth.extract.hyphens import build_vocabulary, hyphen_prefixes, join_lines
from synth.extract.layout import Heading, find_headings, split_references
from synth.extract.metadata import build_metadata
from synth.extract.pdf import RawPdf, read_pdf
from synth.extract.sentences import split_spans
from synth.settings import ExtractSettings

log = logging.getLogger(__name__)

_ONE_TOKEN = re.compile(r"^\S+$")  # a footnote that is only a link adds no sentence
_FRONT_MATTER_END = ("(Dated:", "Dated:", "(Received", "Received", "PACS", "Keywords")


@dataclass
class _Part:
    """A section while it is assembled: its heading and its lines with their pages."""

    heading: Heading
    page: int
    lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    notes: list[tuple[tuple[str, ...], int]] = field(default_factory=list)


def _page_lines(raw: RawPdf) -> list[list[str]]:
    """Each page's character-fixed lines of 3+ characters, without the stamp and furniture."""
    pages = []
    for number, text in enumerate(raw.texts, start=1):
        lines = []
        for line in fix_characters(text).split("\n"):
            line = " ".join(line.split())
            if number == 1 and "arXiv:" in line:
                line = STAMP.sub("", line).strip()
            if line:
                lines.append(line)
        pages.append(lines)
    pages = remove_page_furniture(pages)
    return [[line for line in lines if len(line) > 2] for lines in pages]


def _split_front_matter(front: list[str], title: str | None) -> tuple[int, int | None]:
    """How many front lines are the title, and where an unlabelled abstract starts (or None)."""
    title_key = "".join((title or "").split()).casefold()
    consumed, prefix = 0, ""
    for line in front[:4]:
        prefix += "".join(line.split()).casefold()
        if not title_key or not title_key.startswith(prefix):
            break
        consumed += 1
    abstract = None
    body = front[consumed:]
    if len(body) >= 3:
        start = 0
        for i, line in enumerate(body):
            if line.startswith(_FRONT_MATTER_END):
                start = i + 1
        longest = max(len(line) for line in body)
        for i in range(start, len(body) - 1):
            if len(body[i]) >= 0.8 * longest and len(body[i + 1]) >= 0.6 * longest:
                abstract = consumed + i
                break
    return consumed, abstract


def _collect_parts(
    lines: list[str], pages: list[int], headings: dict[int, Heading], page_starts: list[int]
) -> tuple[_Part, list[_Part]]:
    """Walk the lines once: front matter, then one part per heading, footnotes set aside."""
    first = min(headings, default=len(lines))
    protected = frozenset(headings)
    skip: dict[int, tuple[int, str, tuple[str, ...]]] = {}
    next_number = 1
    for page_index, lo in enumerate(page_starts):
        hi = page_starts[page_index + 1] if page_index + 1 < len(page_starts) else len(lines)
        lo = max(lo, first + 1)
        if lo >= hi:
            continue
        local_protected = frozenset(i - lo for i in protected if lo <= i < hi)
        notes, next_number = find_footnotes(lines[lo:hi], next_number, protected=local_protected)
        for note in notes:
            skip[lo + note.start] = (lo + note.end, note.marker, note.lines)
            if note.marker.isdigit():
                strip_footnote_mark(lines, note.marker, page_starts[page_index], lo + note.start)
    front = _Part(Heading(None, "Title", "title", 0), 1)
    for index in range(first):
        if not is_debris(lines[index]):
            front.lines.append(lines[index])
            front.pages.append(pages[index])
    parts: list[_Part] = []
    index = first
    while index < len(lines):
        if index in skip:
            end, marker, note_lines = skip[index]
            if marker.isdigit() and parts and not _ONE_TOKEN.match(" ".join(note_lines)):
                parts[-1].notes.append((note_lines, pages[index]))
            index = end
            continue
        heading = headings.get(index)
        if heading is not None:
            parts.append(_Part(heading, pages[index]))
            if heading.rest:
                parts[-1].lines.append(heading.rest)
                parts[-1].pages.append(pages[index])
            if heading.lines:
                index += heading.lines
                continue
        part = parts[-1]
        # tables and figure labels are dropped from prose, never from the bibliography
        if part.heading.kind == "references" or not is_debris(lines[index]):
            part.lines.append(lines[index])
            part.pages.append(pages[index])
        index += 1
    return front, parts


class _Writer:
    """Appends sections to the document text, keeping offsets, pages and sentences."""

    def __init__(self, min_sentence_chars: int) -> None:
        self.chunks: list[str] = []
        self.length = 0
        self.sections: list[Section] = []
        self.sentences: list[Sentence] = []
        self.min_chars = min_sentence_chars

    def add(
        self,
        name: str,
        number: str | None,
        kind: str,
        heading: str,
        body: str,
        line_starts: Sequence[int],
        line_pages: Sequence[int],
        page: int,
    ) -> None:
        if self.chunks:
            self.chunks.append("\n\n")
            self.length += 2
        start = self.length
        text = f"{heading}\n{body}" if heading and body else heading or body
        self.chunks.append(text)
        self.length += len(text)
        body_start = start + len(text) - len(body)
        self.sections.append(Section(name, number, kind, page, start, self.length))
        if kind not in ("abstract", "body") or not body:
            return
        for s, e in split_spans(body):
            if e - s < self.min_chars:
                continue
            line = max(bisect_right(line_starts, s) - 1, 0)
            self.sentences.append(
                Sentence(
                    body[s:e],
                    line_pages[line],
                    body_start + s,
                    body_start + e,
                    len(self.sections) - 1,
                )
            )

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def build_document(
    raw: RawPdf,
    *,
    settings: ExtractSettings | None = None,
    font_headings: Callable[[], set[str]] | None = None,
) -> Document:
    """Turn pypdf's page texts (and page 1's font runs) into a :class:`Document`.

    ``font_headings`` provides the texts of lines set as headings (bold or large); it is called
    only when the headings found from text alone look like a missed outline (see
    :mod:`synth.extract.fonts`), since reading fonts is slow.
    """
    settings = settings or ExtractSettings()
    page_lines = _page_lines(raw)
    lines = [line for page in page_lines for line in page]
    pages = [number for number, page in enumerate(page_lines, 1) for _ in page]
    page_starts, total = [], 0
    for page in page_lines:
        page_starts.append(total)
        total += len(page)
    vocabulary = build_vocabulary(lines)
    prefixes = hyphen_prefixes(vocabulary)
    headings = find_headings(lines)
    if font_headings is not None and needs_fonts(headings, len(lines)):
        abstract = next((i for i, h in headings.items() if h.kind == "abstract"), 0)
        headings = add_font_headings(headings, lines, font_headings(), abstract)
    front_part, parts = _collect_parts(lines, pages, headings, page_starts)
    metadata = build_metadata(raw, front_part.lines)
    front = front_part.lines
    title_lines, abstract_at = _split_front_matter(front, metadata.title)
    # without any heading, or without an abstract heading, take them out of the front matter
    cut, heading = None, None
    if not parts and len(front) > title_lines:
        cut, heading = title_lines, Heading(None, "Body", "body", 0)
    elif abstract_at is not None and not any(p.heading.kind == "abstract" for p in parts):
        cut, heading = abstract_at, Heading(None, "Abstract", "abstract", 0)
    if cut is not None and heading is not None:
        part = _Part(heading, front_part.pages[cut], front[cut:], front_part.pages[cut:])
        parts.insert(0, part)
        front = front[:cut]
    writer = _Writer(settings.min_sentence_chars)
    title = metadata.title or (front[0] if front else "")
    block = "\n".join([title, *front[title_lines:]]) if title else "\n".join(front)
    if block:
        writer.add(title or "Title", None, "title", block, "", [0], [1], 1)
    abstract = ""
    references: list[str] = []
    for part in parts:
        heading = part.heading
        if heading.kind == "references":
            entries = split_references(part.lines, vocabulary, prefixes)
            references.extend(entries)
            body, starts, body_pages = "\n".join(entries), [0], [part.page]
        else:
            body, starts = join_lines(part.lines, vocabulary, prefixes)
            body_pages = list(part.pages)
            for note_lines, page in part.notes:
                note = join_lines(note_lines, vocabulary, prefixes)[0]
                starts.append(len(body) + 1)
                body_pages.append(page)
                body = f"{body}\n{note}" if body else note
        label = heading.name if not heading.number else f"{heading.number} {heading.name}"
        writer.add(
            heading.name, heading.number, heading.kind, label, body, starts, body_pages, part.page
        )
        if heading.kind == "abstract" and not abstract:
            abstract = body.split("\n", 1)[0]
    return Document(
        sha256=raw.sha256,
        pages=len(raw.texts),
        text=writer.text,
        abstract=abstract,
        sections=writer.sections,
        sentences=writer.sentences,
        references=references,
        metadata=metadata,
    )


def extract_pdf(path: Path, *, settings: ExtractSettings | None = None) -> Document:
    """Extract a paper's clean text, sections, sentences, bibliography and metadata.

    Example:
        >>> doc = extract_pdf(Path("1810.04805.pdf"))  # doctest: +SKIP
        >>> doc.metadata.arxiv_id, doc.sections[1].name
        ('1810.04805', 'Abstract')

    Raises:
        ExtractError: the file is empty, not a PDF, truncated, corrupt, encrypted, has no pages
            or no text; the message names the file and what to do.
    """
    path = Path(path)
    return build_document(
        read_pdf(path),
        settings=settings,
        font_headings=lambda: font_heading_texts(styled_lines(path)),
    )


def _extract_one(path: Path, settings: ExtractSettings | None) -> Document | ExtractError:
    """Worker: never raises, so one bad file cannot stop a batch."""
    try:
        return extract_pdf(path, settings=settings)
    except ExtractError as exc:
        return exc
    except Exception as exc:  # a bug or pypdf crash on one file must not end the batch
        log.exception("unexpected failure extracting %s", path)
        reason = " ".join(str(exc).split())[:160]
        return ExtractError(
            f"{path} could not be extracted ({type(exc).__name__}: {reason}); report this file."
        )


def extract_many(
    paths: Sequence[Path], *, workers: int = 2, settings: ExtractSettings | None = None
) -> Iterator[tuple[Path, Document | ExtractError]]:
    """Extract many PDFs, yielding ``(path, Document or ExtractError)`` as each finishes.

    With ``workers > 1`` files are spread over a process pool (pypdf is CPU-bound pure Python),
    so results come in completion order. Failures are yielded, never raised.

    Example:
        >>> for path, result in extract_many(sorted(Path("pdfs").glob("*.pdf"))):  # doctest: +SKIP
        ...     if isinstance(result, ExtractError):
        ...         print("skipped:", result)
    """
    paths = [Path(p) for p in paths]
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield path, _extract_one(path, settings)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
        futures = {pool.submit(_extract_one, path, settings): path for path in paths}
        for future in as_completed(futures):
            path = futures[future]
            try:
                yield path, future.result()
            except BrokenProcessPool as exc:
                yield (
                    path,
                    ExtractError(f"{path}: the worker process died ({exc}); retry with workers=1."),
                )
