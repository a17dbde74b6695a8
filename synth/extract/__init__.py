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

# The version of what extraction makes of a PDF (sections, sentences, cleaning). Raise it with
# any change that alters a paper's stored text: a paper stored by an older version is read
# again from the same file at its next ingest, so an improvement reaches databases that
# already hold the paper (the claims of earlier runs keep their own copy of their text).
EXTRACTOR_VERSION = 4

__all__ = [
    "EXTRACTOR_VERSION",
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
