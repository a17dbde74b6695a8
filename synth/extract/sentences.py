"""Sentence splitting with character offsets, tuned for scientific prose.

A rule-based splitter rather than a library: pysbd and NLTK's punkt need model/data downloads or
are unmaintained, and the hard cases in papers are few and known — abbreviations (``e.g.``,
``i.e.``, ``et al.``, ``Fig.``, ``Eq.``, ``Sec.``, ``vs.``), author initials (``M. Rush``) and
decimals (``0.5``, which never contain whitespace and so are never candidates).

A boundary is a ``.``, ``!`` or ``?`` (plus closing quotes/brackets) followed by whitespace and
an upper-case letter, digit or opening bracket/quote, unless the word before it is a known
abbreviation (written in lower or title case: "MR." is the dataset, "Mr." the title) or a single
capital letter; a newline is always a boundary, and so is a bullet (``•``), which is left out
of both sentences it separates. A run-in paragraph heading ("Refinement: closing the gap with
supervised approaches The refinement step ...", or with no colon: "Concat pooling The signal
...", "Adversarial approach Table 1 shows ...", "Impact of bidirectionality At the cost ...")
ends where the paragraph's first sentence starts. A footnote's number printed after a stop
(".12 Table 6 shows") ends the sentence and is left out. ``benchmarks/sentences.py`` measures
this splitter against pysbd.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ABBREVIATIONS = frozenset(
    """e.g eg i.e ie et al cf vs etc fig figs eq eqs eqn eqns sec secs sect tab tabs ref refs
    no nos vol pp ch chap app appx alg def thm lem prop cor approx resp dr mr mrs ms prof st jr
    sr inc ltd co corp dept univ jan feb mar apr jun jul aug sep sept oct nov dec proc conf
    """.split()
)
# A name written in lower case, with a capital or digit inside: "fastText", "word2vec", "mBERT".
LOWER_CASE_NAME = r"[a-z]+[A-Z0-9]"
# A footnote's number printed right after a sentence's stop: "(just above 'acceptable').12 Table
# 6 shows ...". The sentence ends at the stop; the number belongs to neither sentence. A decimal
# ("0.81") has a digit before its point, so it never matches.
_FOOTNOTE_MARK = r"(?<=[a-z)\]\"”’])\.\d{1,2}(?=\s+[\"“‘(\[]?[A-Z])"
# A sentence ends at a stop before a capital or a digit, or before such a name ("in Table 3.
# fastText and StarSpace are", "representations. context2vec uses"); not at the last dot of an
# ellipsis ("x1 ... x18").
_CANDIDATE = re.compile(
    rf"{_FOOTNOTE_MARK}|"
    rf"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|(?<!\.)\.(?=\s+{LOWER_CASE_NAME})|\n|\s*[•●▪]\s*"
)
_LEADING = "([{\"“‘'"
BULLETS = frozenset("•●▪")
# "Name: lower-case subtitle" and then a sentence's usual first word, with no stop between.
_OPENERS = "The|We|Our|This|These|In|Here|To|For|Given|Using|Unlike"
_RUN_IN_HEADING = re.compile(
    rf"[A-Z][\w-]*(?: [\w()-]+){{0,5}}: [a-z][\w -]{{2,80}}? (?=(?:{_OPENERS}) [a-z])"
)
# Other common first words of a paragraph, capitalised mid-sentence only after a heading.
_MORE_OPENERS = (
    "It|Many|Most|Some|All|Both|As|When|While|Although|However|Since|Finally|Overall|Taken|"
    "At|On|With|By|After|Despite|Moreover|Instead|Compared|Besides|Furthermore|Interestingly|"
    "Surprisingly"
)
# The same without a colon ("Concat pooling The signal ...", "Different objectives yield
# different representations It may seem ..."): a bold heading that pypdf runs into its paragraph.
_BARE_RUN_IN_HEADING = re.compile(
    rf"([A-Z][\w-]*)(?: [\w(),-]+){{0,6}}? (?=(?:{_OPENERS}|{_MORE_OPENERS}),? [a-z]|"
    r"In (?:Table|Figure|Fig\.|Section) \d|"  # "Low-resource language model In Table 4, we ..."
    # "Adversarial approach Table 1 shows that ..."
    r"(?:Table|Figure|Fig\.) \d+ (?:shows|reports|presents|lists|gives|compares|summari[sz]es) )"
)
# Not a heading: a sentence's own opening ("We set The ...") or its end cut before a variable.
_NOT_HEADING_FIRST = frozenset("We This These That It Here Note Then Thus Since See Why".split())
_NOT_HEADING_LAST = frozenset(
    """a an the of for with and or to in on by from via at as into between using is are was
    were be been has have set""".split()
)


def split_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence in ``text``, whitespace trimmed.

    >>> t = "We use BERT (Devlin et al., 2019), e.g. for QA. It works. Fig. 2 shows it."
    >>> [t[s:e] for s, e in split_spans(t)]
    ['We use BERT (Devlin et al., 2019), e.g. for QA.', 'It works.', 'Fig. 2 shows it.']
    """
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if match[0].strip() in BULLETS:
            yield from _trimmed(text, start, match.start())
            start = end
            continue
        if match[0] != "\n" and _is_abbreviation(text, match.start()):
            continue
        footnote = match[0][0] == "." and match[0][1:].isdigit()
        if footnote and _names_a_numbered_thing(text, match.start()):
            continue  # "Exp.2 The", "Lemma.1 Then": a label with its number, not a footnote
        yield from _trimmed(text, start, match.start() + 1 if footnote else end)
        start = end
    yield from _trimmed(text, start, len(text))


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = text.rfind(" ", 0, dot) + 1
    newline = text.rfind("\n", 0, dot) + 1
    word = text[max(word_start, newline) : dot].lstrip(_LEADING)
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "A. Rush", "J. M. Murray"
    return word.lower() in ABBREVIATIONS and not word.isupper()  # "on MR. This", "NO."


def _names_a_numbered_thing(text: str, dot: int) -> bool:
    """Whether the word before ``dot`` is capitalised ("Exp", "Lemma", "Supp"): a footnote
    mark follows an ordinary word ("studies.3") or a closing bracket or quote."""
    word = text[text.rfind(" ", 0, dot) + 1 : dot]
    return word[:1].isupper()


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    heading = _RUN_IN_HEADING.match(text, start, end) or _bare_heading(text, start, end)
    if heading:
        yield start, heading.end() - 1
        start = heading.end()
    yield start, end


def _bare_heading(text: str, start: int, end: int) -> re.Match[str] | None:
    """A run-in heading with no colon, unless its words read as a sentence's own start."""
    heading = _BARE_RUN_IN_HEADING.match(text, start, end)
    if heading is None or heading[1] in _NOT_HEADING_FIRST:
        return None
    last = heading[0].split()[-1].lower()
    return None if last in _NOT_HEADING_LAST else heading
