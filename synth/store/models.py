"""The database schema: papers and their text, runs, claims, verifications and human labels.

One table per thing a researcher asks about. Verifications never overwrite each other: a claim
re-checked with another model gains a row, so models can be compared side by side. The schema
is created and upgraded by the Alembic migrations in ``db/`` (see :func:`synth.store.migrate`);
these classes must stay in step with them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Paper(SQLModel, table=True):
    """A paper, identified by its arXiv id; re-ingesting updates this row."""

    id: int | None = Field(default=None, primary_key=True)
    arxiv_id: str = Field(index=True, unique=True, description="arXiv id without version")
    version: int | None = None
    title: str = ""
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    year: int | None = None
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    abstract: str = Field(default="", sa_column=Column(Text, nullable=False))
    pages: int = 0
    pdf_sha256: str | None = Field(default=None, index=True)
    pdf_path: str | None = None
    source: str = Field(default="arxiv", description="arxiv | corpus")
    references: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    extractor: int = Field(
        default=0,
        sa_column_kwargs={"server_default": "0"},
        description="synth.extract.EXTRACTOR_VERSION of the stored text (0: before versions)",
    )
    ingested_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Section(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", index=True, ondelete="CASCADE")
    ordinal: int
    name: str
    number: str | None = None
    kind: str = Field(description="title | abstract | body | references")
    page: int
    char_start: int
    char_end: int


class Sentence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", index=True, ondelete="CASCADE")
    section_id: int | None = Field(default=None, foreign_key="section.id", ondelete="CASCADE")
    ordinal: int = Field(description="position in the paper, from 0")
    text: str = Field(sa_column=Column(Text, nullable=False))
    page: int
    char_start: int
    char_end: int


class Run(SQLModel, table=True):
    """One ``synth report`` or ``synth audit``: its question, settings and counts."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="report", description="report | audit")
    question: str = Field(sa_column=Column(Text, nullable=False))
    model: str
    settings: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    stats: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class RunPaper(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "paper_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="run.id", index=True, ondelete="CASCADE")
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")
    rank: int
    score: float


class Claim(SQLModel, table=True):
    """A claim: a paper's sentence (decontextualised) or a claim read from someone's report."""

    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = Field(default=None, foreign_key="run.id", index=True, ondelete="CASCADE")
    paper_id: int | None = Field(default=None, foreign_key="paper.id", index=True)
    sentence_id: int | None = Field(default=None, foreign_key="sentence.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    original: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(default="finding", description="result | finding | method | contribution")
    section: str | None = None
    page: int | None = None
    char_start: int | None = None
    char_end: int | None = None
    restatements: list[dict] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
        description="the paper's other statements of this finding: sentence_id, text, section, "
        "page (where else it is said; never evidence for it)",
    )
    created_at: datetime = Field(default_factory=utcnow)


class Verification(SQLModel, table=True):
    """One model's verdict on one claim; several models' verdicts sit side by side."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True, ondelete="CASCADE")
    model: str = Field(index=True)
    verdict: str = Field(index=True, description="SUPPORTED | REFUTED | NOT_ENOUGH_INFO")
    confidence: float = Field(index=True)
    reason: str = ""
    thresholds: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class Evidence(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    verification_id: int = Field(foreign_key="verification.id", index=True, ondelete="CASCADE")
    sentence_id: int | None = Field(default=None, foreign_key="sentence.id")
    paper_id: int | None = Field(default=None, foreign_key="paper.id")
    rank: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    page: int | None = None
    label: str = Field(description="the NLI label of this pair")
    score: float = Field(description="probability of that label")
    probs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    cross_paper: bool = False
    tier: str = Field(
        default="",
        sa_column=Column(String, nullable=False, server_default=""),
        description="restatement | citation | body | same_paper | cross_paper | source | quoted",
    )
    premise: str = Field(
        default="",
        sa_column=Column(Text, nullable=False, server_default=""),
        description="exactly what the NLI model read",
    )


class HumanLabel(SQLModel, table=True):
    __tablename__ = "human_label"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True, ondelete="CASCADE")
    label: str = Field(description="SUPPORTED | REFUTED | NOT_ENOUGH_INFO")
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class NliCache(SQLModel, table=True):
    """NLI logits already computed, keyed by a hash of the verifier's identity (weights,
    backend, token limit) and the pair.

    A report on papers already read, an audit run again, a re-verification with the same model:
    each asks the model only about pairs it has not seen. Raw logits (before calibration), so a
    re-fitted calibration applies to cached pairs too.
    """

    __tablename__ = "nli_cache"

    key: str = Field(primary_key=True, description="sha1 of verifier identity, premise, hypothesis")
    logits: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class EmbeddingCache(SQLModel, table=True):
    """Sentence embeddings already computed, keyed by a hash of the model and the text.

    Reports and audits on stored papers then embed only what is new (a claim, a changed
    premise) instead of every sentence again.
    """

    __tablename__ = "embedding_cache"

    key: str = Field(primary_key=True, description="sha1 of model name and text")
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
