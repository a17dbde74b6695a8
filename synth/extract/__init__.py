"""The extraction stage: arXiv PDFs to clean text, sections, sentences and references.

    >>> from synth.extract import extract_pdf
    >>> doc = extract_pdf(Path("1810.04805.pdf"))  # doctest: +SKIP
    >>> doc.metadata.title
    'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding'

Modules: ``pdf`` (pypdf reading, error mapping), ``clean`` (characters, page furniture,
footnotes, hyphenation), ``layout`` (headings, bibliography), ``metadata`` (title, authors,
stamp), ``sentences`` (splitting with offsets), ``core`` (assembly, batches).
"""

from synth.errors import ExtractError
from synth.extract.clean import clean_text, fix_characters
from synth.extract.core import build_document, extract_many, extract_pdf
from synth.extract.document import Document, PdfMetadata, Section, Sentence
from synth.extract.hyphens import keep_hyphen
from synth.extract.pdf import raw_page_texts
from synth.extract.sentences import split_spans

__all__ = [
    "Document",
    "ExtractError",
    "PdfMetadata",
    "Section",
    "Sentence",
    "build_document",
    "clean_text",
    "extract_many",
    "extract_pdf",
    "fix_characters",
    "keep_hyphen",
    "raw_page_texts",
    "split_spans",
]
