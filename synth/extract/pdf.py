"""Reading PDFs with pypdf: bytes in; page texts, first-page text runs and info out.

Error policy (after pypdf's own): a file that cannot give a usable document raises
:class:`~synth.errors.ExtractError` with a one-line message naming the file and what to do; a
page that fails on its own is logged as a warning and read as empty; pypdf's complaints about
fonts and damaged objects are routed to this module's logger at debug level, where they stay
unless the user asks for them.

Only page 1 is read with a ``visitor_text`` callback (for font sizes: the title is the largest
text): pypdf parses every figure's content stream when a visitor is given, which costs about
half again the plain extraction time, so the other pages use plain ``extract_text()``.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any, NamedTuple

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from synth.errors import ExtractError

log = logging.getLogger(__name__)

_HEADER_WINDOW = 1024
_EOF_WINDOW = 2048
_BOLD_MARKERS = ("bold", "medi", "semibold", "cmbx", "black", "heavy", "demi")
# Everything pypdf may raise on a damaged file besides its own errors.
# NotImplementedError: pypdf's answer to a filter name it does not know, which is what a damaged
# stream dictionary reads as ("Unsupported filter /Flate=W..."): a damaged file, not a bug.
_READ_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    NotImplementedError,
)


class Span(NamedTuple):
    """A run of text on page 1 as pypdf's visitor reports it."""

    text: str
    size: float  # effective font size in points
    y: float  # baseline height from the bottom of the page
    bold: bool


@dataclass(frozen=True)
class RawPdf:
    """What pypdf gives for one file, before any clean-up."""

    sha256: str
    texts: list[str]
    spans: list[Span] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)


class _ToDebug(logging.Handler):
    """Re-log pypdf's records at debug level under this module's logger."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("pypdf (%s): %s", record.levelname.lower(), record.getMessage())


def route_pypdf_logging() -> None:
    """Send the ``pypdf`` logger's records to this module at debug level, once.

    pypdf warns about every odd font encoding; users of synth cannot act on those, so they are
    demoted instead of printed by the root logger's last-resort handler.
    """
    pypdf_logger = logging.getLogger("pypdf")
    if not any(isinstance(handler, _ToDebug) for handler in pypdf_logger.handlers):
        pypdf_logger.addHandler(_ToDebug())
    pypdf_logger.propagate = False


route_pypdf_logging()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _read_bytes(path: Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ExtractError(
            f"Cannot read {path}: {exc.strerror or _one_line(exc)}; check the path and permissions."
        ) from exc
    if not data:
        raise ExtractError(f"{path} is empty (0 bytes); download it again.")
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise ExtractError(
            f"{path} is not a PDF (no %PDF- header; perhaps an HTML error page); download it again."
        )
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise ExtractError(f"{path} is truncated (no %%EOF at the end); download it again.")
    return data


def _open(path: Path, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            _decrypt(path, reader)
        pages = len(reader.pages)
    except ExtractError:
        raise
    except _READ_ERRORS as exc:
        raise ExtractError(
            f"{path} is a corrupt PDF ({type(exc).__name__}: {_one_line(exc)}); download it again."
        ) from exc
    if pages == 0:
        raise ExtractError(f"{path} has no pages; download it again.")
    return reader


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Open PDFs encrypted with an empty user password, as viewers do; refuse the rest."""
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        raise ExtractError(
            f"{path} is encrypted and needs the 'cryptography' package; pip install cryptography."
        ) from exc
    if not opened:
        raise ExtractError(
            f"{path} is encrypted with a password; decrypt it (e.g. qpdf --decrypt) and retry."
        )


def _is_bold(font: Any) -> bool:
    try:
        name = str(font.get("/BaseFont", "")).lower()
    except AttributeError:
        return False
    return any(marker in name for marker in _BOLD_MARKERS)


def _first_page(page: Any) -> tuple[str, list[Span]]:
    """Extract page 1 once, collecting font size, height and weight of each text run."""
    spans: list[Span] = []
    bold_cache: dict[int, bool] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text or text.isspace():
            return
        scale_tm = (tm[2] * tm[2] + tm[3] * tm[3]) ** 0.5
        scale_cm = (cm[2] * cm[2] + cm[3] * cm[3]) ** 0.5
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        key = id(font)
        if key not in bold_cache:
            bold_cache[key] = _is_bold(font)
        spans.append(Span(text, round(size * scale_tm * scale_cm, 1), round(y, 1), bold_cache[key]))

    return page.extract_text(visitor_text=visit), spans


def _page_texts(path: Path, reader: PdfReader) -> tuple[list[str], list[Span]]:
    texts: list[str] = []
    spans: list[Span] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            if number == 1:
                text, spans = _first_page(page)
            else:
                text = page.extract_text()
        except (*_READ_ERRORS, RecursionError, ZeroDivisionError) as exc:
            log.warning("%s: page %d could not be read (%s); it is left empty.", path, number, exc)
            text = ""
        texts.append(text or "")
    if not any(text.strip() for text in texts):
        raise ExtractError(
            f"{path} has no extractable text (a scanned PDF?); run OCR on it and retry."
        )
    return texts, spans


def _info(reader: PdfReader) -> dict[str, str]:
    try:
        metadata = reader.metadata or {}
        return {str(key): str(value) for key, value in metadata.items() if value is not None}
    except _READ_ERRORS as exc:
        log.debug("PDF info dictionary unreadable: %s", exc)
        return {}


def read_pdf(path: Path) -> RawPdf:
    """Read every page's text, page 1's text runs and the info dictionary.

    Raises:
        ExtractError: the file is missing, empty, not a PDF, truncated, corrupt, encrypted with
            a password, has no pages or has no text layer.
    """
    data = _read_bytes(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reader = _open(path, data)
        texts, spans = _page_texts(path, reader)
        info = _info(reader)
    for warning in caught:
        log.debug("pypdf warning for %s: %s", path, warning.message)
    return RawPdf(hashlib.sha256(data).hexdigest(), texts, spans, info)


def raw_page_texts(path: Path) -> list[str]:
    """Plain ``page.extract_text()`` of every page: the baseline the benchmark compares with.

    Raises:
        ExtractError: as :func:`read_pdf`.
    """
    data = _read_bytes(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path, data)
        return [page.extract_text() or "" for page in reader.pages]
