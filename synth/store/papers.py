"""Writing and reading papers with their sections and sentences.

Re-ingesting a paper updates its row in place (keyed by arXiv id) and replaces its text, so a
paper is never stored twice, even when two synth processes store it at the same moment; claims
of earlier runs keep pointing at the paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from synth.extract import EXTRACTOR_VERSION
from synth.store.db import insert_or_ignore
from synth.store.models import Claim, Evidence, Paper, Section, Sentence, utcnow
from synth.store.relink import links_to_text, relink


@dataclass(frozen=True)
class PaperInfo:
    """Bibliographic facts about a paper, from arXiv or from the PDF itself."""

    arxiv_id: str
    version: int | None = None
    title: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    categories: tuple[str, ...] = ()
    abstract: str = ""


def find_paper(session: Session, arxiv_id: str) -> Paper | None:
    return session.exec(select(Paper).where(Paper.arxiv_id == arxiv_id)).first()


def find_by_hash(session: Session, sha256: str) -> Paper | None:
    """A stored paper extracted from exactly this file, so it need not be extracted again."""
    return session.exec(select(Paper).where(Paper.pdf_sha256 == sha256)).first()


def upsert_paper(session: Session, info: PaperInfo, doc, *, pdf_path: str, source: str) -> Paper:
    """Store ``doc`` (a :class:`synth.extract.Document`) as the text of ``info``'s paper.

    The text replaces any earlier text of the same paper; the caller commits.
    """
    paper = find_paper(session, info.arxiv_id) or _new_paper(session, info.arxiv_id)
    # Another process may have stored this paper since we looked: replace its text too.
    links = links_to_text(session, paper.id)
    _drop_text(session, paper.id)
    paper.updated_at = utcnow()
    paper.version = info.version
    paper.title = info.title
    paper.authors = list(info.authors)
    paper.year = info.year
    paper.categories = list(info.categories)
    paper.abstract = info.abstract or doc.abstract
    paper.pages = doc.pages
    paper.pdf_sha256 = doc.sha256
    paper.pdf_path = pdf_path
    paper.source = source
    paper.references = list(doc.references)
    paper.extractor = EXTRACTOR_VERSION
    session.flush()
    _add_text(session, paper.id, doc)
    session.flush()
    relink(session, paper.id, links)
    return paper


def _new_paper(session: Session, arxiv_id: str) -> Paper:
    """The paper's row, inserted unless another process inserted it first (no UNIQUE error)."""
    fresh = Paper(arxiv_id=arxiv_id)
    row = {c.name: getattr(fresh, c.name) for c in Paper.__table__.columns if c.name != "id"}
    insert_or_ignore(session, Paper, [row], "arxiv_id")
    paper = find_paper(session, arxiv_id)
    assert paper is not None  # inserted just now, by us or by the other process
    return paper


def update_info(session: Session, paper: Paper, info: PaperInfo) -> None:
    """Complete a stored paper's metadata (e.g. from arXiv after an offline ingest)."""
    for field in ("version", "title", "year", "abstract"):
        value = getattr(info, field)
        if value:
            setattr(paper, field, value)
    if info.authors:
        paper.authors = list(info.authors)
    if info.categories:
        paper.categories = list(info.categories)
    paper.updated_at = utcnow()
    session.add(paper)


def _drop_text(session: Session, paper_id: int) -> None:
    # Claims and evidence of earlier runs keep their own copy of the text; their links to the
    # old sentences are cleared before the sentences go (synth.store.relink moves them on).
    old = select(Sentence.id).where(Sentence.paper_id == paper_id)
    session.exec(update(Claim).where(Claim.sentence_id.in_(old)).values(sentence_id=None))
    session.exec(update(Evidence).where(Evidence.sentence_id.in_(old)).values(sentence_id=None))
    session.exec(delete(Sentence).where(Sentence.paper_id == paper_id))
    session.exec(delete(Section).where(Section.paper_id == paper_id))


def _add_text(session: Session, paper_id: int, doc) -> None:
    sections = [
        Section(
            paper_id=paper_id,
            ordinal=i,
            name=s.name,
            number=s.number,
            kind=s.kind,
            page=s.page,
            char_start=s.start,
            char_end=s.end,
        )
        for i, s in enumerate(doc.sections)
    ]
    session.add_all(sections)
    session.flush()
    session.add_all(
        Sentence(
            paper_id=paper_id,
            section_id=sections[s.section].id if 0 <= s.section < len(sections) else None,
            ordinal=i,
            text=s.text,
            page=s.page,
            char_start=s.start,
            char_end=s.end,
        )
        for i, s in enumerate(doc.sentences)
    )


@dataclass(frozen=True)
class SentenceRow:
    """A stored sentence with what the claim and evidence stages need to know about it."""

    id: int
    paper_id: int
    ordinal: int
    text: str
    page: int
    char_start: int
    char_end: int
    section: str
    section_kind: str
    parent: str = ""  # the top-level section a numbered subsection sits in ("5 Experiments")


def paper_sentences(session: Session, paper_ids: Sequence[int]) -> dict[int, list[SentenceRow]]:
    """Sentences of each paper in reading order, with their section's name, kind and parent."""
    rows = session.exec(
        select(Sentence, Section.name, Section.kind, Section.id)
        .join(Section, Sentence.section_id == Section.id, isouter=True)
        .where(Sentence.paper_id.in_(list(paper_ids)))
        .order_by(Sentence.paper_id, Sentence.ordinal)
    ).all()
    parents = section_parents(session, paper_ids)
    out: dict[int, list[SentenceRow]] = {pid: [] for pid in paper_ids}
    for sent, name, kind, section_id in rows:
        out[sent.paper_id].append(
            SentenceRow(
                id=sent.id,
                paper_id=sent.paper_id,
                ordinal=sent.ordinal,
                text=sent.text,
                page=sent.page,
                char_start=sent.char_start,
                char_end=sent.char_end,
                section=name or "",
                section_kind=kind or "body",
                parent=parents.get(section_id, ""),
            )
        )
    return out


def section_parents(session: Session, paper_ids: Sequence[int]) -> dict[int, str]:
    """Section id -> name of the top-level section it sits in ("5.2" -> "5 Experiments").

    A numbered subsection sits in the section of its first number; an unnumbered heading
    after a numbered one (a run-in "Text Classification" in "4 Experiments") in the last
    numbered section. Headings before any numbered one have no parent.
    """
    rows = session.exec(
        select(Section.id, Section.paper_id, Section.number, Section.name)
        .where(Section.paper_id.in_(list(paper_ids)))
        .where(Section.kind == "body")
        .order_by(Section.paper_id, Section.ordinal)
    ).all()
    out: dict[int, str] = {}
    top: dict[tuple[int, str], str] = {}
    last: dict[int, str] = {}
    for section_id, paper_id, number, name in rows:
        head, _, rest = (number or "").strip(".").partition(".")
        if head and not rest:
            top[(paper_id, head)] = last[paper_id] = name
        elif head and (paper_id, head) in top:
            out[section_id] = top[(paper_id, head)]
        elif not head and paper_id in last:
            out[section_id] = last[paper_id]
    return out


def list_papers(session: Session) -> list[dict]:
    """Every stored paper as a plain dict (``synth papers --json``)."""
    counts = dict(
        session.exec(select(Sentence.paper_id, func.count()).group_by(Sentence.paper_id)).all()
    )
    sections: dict[int, list[str]] = {}
    for pid, name in session.exec(
        select(Section.paper_id, Section.name).order_by(Section.paper_id, Section.ordinal)
    ).all():
        sections.setdefault(pid, []).append(name)
    return [
        {
            "arxiv_id": p.arxiv_id,
            "version": p.version,
            "title": p.title,
            "authors": p.authors,
            "year": p.year,
            "categories": p.categories,
            "pages": p.pages,
            "abstract": p.abstract,
            "sections": sections.get(p.id, []),
            "sentences": counts.get(p.id, 0),
            "references": len(p.references),
            "source": p.source,
            "pdf_sha256": p.pdf_sha256,
        }
        for p in session.exec(select(Paper).order_by(Paper.arxiv_id)).all()
    ]
