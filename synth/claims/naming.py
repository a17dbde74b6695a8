"""The name a paper gives its own model ("BERT", "XLNet", "ELMo", "DCNN").

Why it matters: a sentence that names the paper's model is the paper's own even when it cites
what it is compared with ("ELMo outperforms CoVe (McCann et al., 2017)"), and "our model" in a
claim reads as the name in a report. Many papers name their model only in the introduction
("For this reason, we call them ELMo (Embeddings from Language Models) representations") or
where they describe it, so the body's first sentences are read too, after the title and the
abstract. There only a first-person naming counts ("we call", "we term"): the body also names
other people's models and metrics ("the so-called hubness problem").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from synth.store.papers import SentenceRow

_MIXED_CASE = r"([A-Z][\w-]*[A-Z0-9][\w-]*)"  # "ELMo", "BERT", "XLNet"
# "the Dynamic Convolutional Neural Network (DCNN)": the acronym is the name.
_SPELLED_OUT = (
    r"(?:the |a |an )?(?:[A-Z][\w-]*\s+(?:(?:of|from|for|and|with|to)\s+)?){1,6}"
    r"\(([A-Z][\w-]*[A-Z][\w-]*)\)"
)
# A name ends its clause ("we call them ELMo (Embeddings ...)", "... (ABS), incorporates"):
# "we call the BERT encoder once per query" and "we call BM25 to retrieve" name nothing.
_ENDS = r"(?=\s*(?:[,.;:(]|$)|\s+(?:representations?|vectors?|embeddings?)\b)"
_ABSTRACT_PATTERNS = (
    re.compile(r"\b(?:called|named|dubbed|which we call|we call it|we term)\s+" + _MIXED_CASE),
    # only a naming of the paper's own thing: "a dataset called the Stanford Natural Language
    # Inference (SNLI) corpus" names no model
    re.compile(r"\b(?:dubbed|which we call|we call it|we term it)\s+" + _SPELLED_OUT),
    re.compile(
        r"\b(?:introduce|propose|present)\w*\s+(?:a |an |the )?[^.]{0,80}?"
        r"\(([A-Z][\w-]*[A-Z][\w-]*)\)"
    ),
)
# "we call them ELMo", "We call this model the Sequential Denoising Autoencoder (SDAE)",
# "which we call Attention-Based Summarization (ABS)"; not "We call this task Natural Language
# Inference (NLI)" (a task, not the paper's model).
_FIRST_PERSON_NAMING = re.compile(
    r"\b[Ww]e (?:call|term|name|dub)\s+(?:(?:it|them|(?:this|these|our) (?:model|network|"
    r"architecture|approach|method|system|framework|encoders?|representations?))\s+)?"
    r"(?:" + _SPELLED_OUT + r"|(?:the )?" + _MIXED_CASE + _ENDS + r")"
)
INTRODUCTION_SENTENCES = 150  # the introduction and the model's section, in practice


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    if not m:
        return None
    name = next(g for g in m.groups() if g)
    # "(XLMs)" names the family; the model is "XLM".
    return name[:-1] if name.endswith("s") and name[:-1].isupper() else name


def model_name(title: str, abstract: str, introduction: Iterable[str] = ()) -> str | None:
    """The name the paper gives its model, if it gives one.

    >>> model_name("BERT: Pre-training of Deep Bidirectional Transformers", "")
    'BERT'
    >>> model_name("", "We describe an architecture dubbed the Dynamic Convolutional "
    ...            "Neural Network (DCNN) that we adopt.")
    'DCNN'
    >>> model_name("Deep contextualized word representations", "We introduce a new type.",
    ...            ["For this reason, we call them ELMo (Embeddings from Language Models)."])
    'ELMo'
    >>> model_name("", "", ["A metric, the so-called CSLS, expands the space."]) is None
    True
    >>> model_name("", "a dataset called the Stanford Natural Language Inference (SNLI) corpus",
    ...            ["We call this task Natural Language Inference (NLI).",
    ...             "We call the BERT encoder once per query."]) is None
    True
    """
    head = title.split(":", 1)[0].strip() if ":" in title else ""
    if head and len(head.split()) == 1 and any(ch.isupper() for ch in head[1:]):
        return head
    for pattern in _ABSTRACT_PATTERNS:
        if name := _found(pattern, abstract):
            return name
    for sentence in introduction:
        if name := _found(_FIRST_PERSON_NAMING, sentence):
            return name
    return None


def introduction(rows: Sequence[SentenceRow]) -> list[str]:
    """The text of the body's first sentences: a paper names its model in the introduction
    or where it describes the model ("We call this model the Sequential Denoising Autoencoder
    (SDAE)" is SDAE's 71st sentence)."""
    return [s.text for s in rows if s.section_kind == "body"][:INTRODUCTION_SENTENCES]
