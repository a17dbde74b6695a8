"""One settings object for the whole pipeline, nested by stage.

Values come from keyword arguments, then ``SYNTH_*`` environment variables (nested fields with a
double underscore: ``SYNTH_VERIFY__BATCH_SIZE=32``), then the defaults below. Two settings are used
so often they sit at the top level: ``SYNTH_DATABASE_URL`` and ``SYNTH_NLI_MODEL``.

Settings are never mutated by the pipeline; a variant is a copy::

    settings = Settings()
    offline = settings.model_copy(update={"database_url": "sqlite:///tmp.db"})
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir, user_data_dir
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path(user_data_dir("synth", appauthor=False))
DEFAULT_CACHE_DIR = Path(user_cache_dir("synth", appauthor=False))
ARXIV_API_URL = "https://export.arxiv.org/api/query"
SHIPPED_MODEL = "synth-nli-minilm"  # resolved to the weights inside the package
# Measured with benchmarks/nli_throughput.py on 2 idle CPU cores: batch 8 runs 90 pairs/s,
# 16 runs 83, 64 runs 60 (padding and cache misses outweigh the per-batch overhead saved).
NLI_BATCH_SIZE = 8


class RetrieveSettings(BaseModel):
    """arXiv search and PDF download."""

    delay_seconds: float = Field(
        3.0, description="Pause between arXiv API requests (arXiv's terms)."
    )
    page_size: int = Field(100, description="Results per arXiv API page.")
    retries: int = Field(
        5, description="Attempts per request on 429/503/time-out before giving up."
    )
    backoff_initial: float = Field(3.0, description="First back-off wait in seconds; doubles.")
    backoff_max: float = Field(120.0, description="Longest single back-off wait in seconds.")
    timeout: float = Field(60.0, description="HTTP time-out in seconds for one read.")
    api_url: str = Field(
        ARXIV_API_URL,
        description="arXiv's export API (or a mirror or proxy): search, metadata, reachability.",
    )
    deadline: float = Field(
        300.0,
        description="Longest one API page or one PDF may take in seconds, retries and back-off "
        "included; a server that sends a few bytes at a time is cut off.",
    )
    backoff_total_max: float = Field(
        300.0,
        description="Most seconds of back-off (Retry-After included) spent on one request "
        "before giving up.",
    )
    cache_dir: Path = Field(
        DEFAULT_CACHE_DIR / "pdfs", description="Downloaded PDFs, named <arxiv_id>v<version>.pdf."
    )


class ExtractSettings(BaseModel):
    """PDF text extraction."""

    workers: int = Field(2, description="Processes extracting PDFs in parallel (pypdf is slow).")
    min_sentence_chars: int = Field(
        20, description="Shorter fragments are not stored as sentences."
    )


class ClaimSettings(BaseModel):
    """Claim extraction from paper text."""

    max_per_paper: int = Field(12, description="Claims kept per paper, strongest first.")
    dedup_threshold: float = Field(
        0.88, description="Cosine similarity above which two claims of a paper are merged."
    )


class VerifySettings(BaseModel):
    """NLI verification of claims against evidence."""

    batch_size: int = Field(
        NLI_BATCH_SIZE,
        description="Pairs per forward pass of the torch backend, sorted by length (the ONNX "
        "backend runs each pair alone).",
    )
    max_length: int = Field(256, description="Token limit of a premise/hypothesis pair.")
    backend: Literal["auto", "torch", "onnx"] = Field(
        "auto",
        description="What runs the NLI model: the int8 ONNX file beside the weights (onnx, about "
        "3x faster on CPU), the torch model (torch), or ONNX when the model folder has a "
        "current file and torch otherwise (auto).",
    )
    candidates: int = Field(8, description="Evidence sentences per claim scored by the NLI model.")
    support_threshold: float = Field(
        0.6, description="P(entailment) at or above which a claim is SUPPORTED."
    )
    refute_threshold: float = Field(
        0.6, description="P(contradiction) at or above which a claim is REFUTED."
    )


class ReportSettings(BaseModel):
    """Report generation."""

    max_papers: int = Field(10, description="Papers read in full per report.")
    candidate_papers: int = Field(30, description="Search results ranked before reading.")
    summary_claims: int = Field(5, description="Supported claims quoted in the abstract.")


class ServeSettings(BaseModel):
    """The web app (``synth serve``)."""

    host: str = Field("127.0.0.1", description="Address to listen on; loopback by default.")
    port: int = Field(8000, description="Port to listen on.")
    token: SecretStr | None = Field(
        None,
        description="Required for every write (labels, jobs, uploads) when set; synth serve "
        "refuses to listen on a non-loopback address without one.",
    )
    max_upload_bytes: int = Field(2_000_000, description="Largest report file an audit accepts.")
    corpus: Path | None = Field(
        None, description="Folder of PDFs that reports started from the browser read."
    )
    page_size: int = Field(50, description="Claims per page of the claims table.")


class Settings(BaseSettings):
    """All of synth's settings; see each section for its fields."""

    model_config = SettingsConfigDict(
        env_prefix="SYNTH_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    data_dir: Path = Field(DEFAULT_DATA_DIR, description="Where the default SQLite database lives.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: a SQLite file in data_dir."
    )
    nli_model: str = Field(
        SHIPPED_MODEL,
        description="NLI cross-encoder: Hugging Face id, local path, or the shipped one.",
    )
    offline: bool = Field(False, description="Never touch the network (arXiv, model hub).")
    retrieve: RetrieveSettings = Field(default_factory=RetrieveSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    claims: ClaimSettings = Field(default_factory=ClaimSettings)
    verify: VerifySettings = Field(default_factory=VerifySettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)

    @classmethod
    def in_folder(cls, folder: Path) -> Settings:
        """Offline settings keeping everything (database, data, PDF cache) inside ``folder``:
        a throw-away run over a local corpus, as tests and measurement scripts make."""
        return cls(
            data_dir=folder / "data",
            database_url=f"sqlite:///{folder / 'synth.db'}",
            offline=True,
            retrieve=RetrieveSettings(cache_dir=folder / "cache", delay_seconds=0),
        )

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the default SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'synth.db'}"
