"""Claim extraction without an LLM: the sentences in which a paper states what it found.

A sentence is a claim candidate when it sits in a section that reports findings (abstract,
introduction, results, discussion, conclusion) and carries a cue of a finding, a result
(numbers, comparisons), a contribution or a method. Candidates are scored by those cues, kept
whole (never cut), lightly decontextualised ("our model" -> the model's name, when the paper
names it; the original sentence is kept too), and near-duplicates (an abstract sentence restated
in the conclusion) are merged, keeping the first statement.

Example:
    >>> claims = extract_claims(rows, title="BERT: ...", ...)  # doctest: +SKIP
    >>> [c.kind for c in claims]  # doctest: +SKIP
    ['result', 'contribution', ...]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from synth.store.papers import SentenceRow

# Section names (lower case, number stripped) whose sentences may be claims, with a weight.
SECTION_WEIGHT = {
    "abstract": 1.0,
    "introduction": 0.6,
    "conclusion": 0.9,
    "conclusions": 0.9,
    "discussion": 0.7,
    "results": 0.8,
    "experiments": 0.6,
    "experimental results": 0.8,
    "evaluation": 0.6,
    "analysis": 0.5,
    "summary": 0.8,
}
_SECTION_HINTS = (
    ("conclu", 0.9),
    ("result", 0.8),
    ("discussion", 0.7),
    ("experiment", 0.6),
    ("evaluat", 0.6),
    ("analys", 0.5),
    ("introduc", 0.6),
    ("summary", 0.8),
    ("ablation", 0.5),
    ("finding", 0.8),
)
_EXCLUDED_SECTIONS = ("related", "background", "acknowledg", "reference", "appendix", "prior work")

RESULT_CUES = re.compile(
    r"\b(outperform\w*|improv\w*|achiev\w*|state[- ]of[- ]the[- ]art|surpass\w*|exceed\w*|"
    r"better than|worse than|higher|lower|gains?|reduc\w*|increas\w*|decreas\w*|"
    r"accuracy|F1|BLEU|ROUGE|perplexity|error rate|absolute|relative|points?)\b",
    re.IGNORECASE,
)
FINDING_CUES = re.compile(
    r"\b(we (find|found|show|showed|demonstrate\w*|observe\w*|report|confirm\w*|establish\w*)|"
    r"(results|experiments|analys[ie]s|findings) "
    r"(show|indicate|suggest|demonstrate|reveal|confirm)\w*|"
    r"(this|which) (shows|suggests|indicates|demonstrates)|"
    r"is (effective|beneficial|crucial|critical)|"
    r"leads? to|enables?|significantly|consistently|substantially)\b",
    re.IGNORECASE,
)
CONTRIBUTION_CUES = re.compile(
    r"\b(we (propose|introduce|present|describe|develop|release|make available)|"
    r"(this|our) (paper|work) (proposes|introduces|presents|shows)|our contributions?|"
    r"(is|are) (publicly )?available)\b",
    re.IGNORECASE,
)
METHOD_CUES = re.compile(
    r"\b(we (use|train|apply|fine-tune|pre-train|employ|adopt|leverage|extend|combine)\w*|"
    r"(is|are) trained (on|with)|consists? of|based on)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*(?:\s?%)?")
_CITATION_ONLY = re.compile(r"^\s*\(?[A-Z][a-z]+ et al\.|^\s*\[\d+")
_FIRST_PERSON = re.compile(r"\b(we|our|us)\b", re.IGNORECASE)
# "(Peters et al., 2018)", "(Dai and Le, 2015; ...)", "Smith et al. (2017)", "[12]", "[3, 4]"
_CITATION = re.compile(
    r"\([A-Z][^()]{0,80}?\d{4}[a-z]?\)|[A-Z][a-z]+ et al\.,? \(?\d{4}|\[\d+(?:[,–-] ?\d+)*\]"
)

_NAME_PATTERNS = (
    re.compile(
        r"\b(?:called|named|dubbed|which we call|we call it|we term)\s+([A-Z][\w-]*[A-Z0-9][\w-]*)"
    ),
    re.compile(
        r"\b(?:introduce|propose|present)\w*\s+(?:a |an |the )?[^.]{0,80}?"
        r"\(([A-Z][\w-]*[A-Z][\w-]*)\)"
    ),
)
_OUR_THING = re.compile(
    r"\b[Oo]ur (proposed )?(model|method|approach|system|architecture|framework|technique)\b"
)
_THE_PROPOSED = re.compile(
    r"\b[Tt]he proposed (model|method|approach|system|architecture|framework)\b"
)


@dataclass(frozen=True)
class ExtractedClaim:
    """A claim with everything needed to find it again in its paper."""

    text: str  # decontextualised
    original: str  # the sentence exactly as in the paper
    kind: str  # result | finding | contribution | method
    score: float
    sentence: SentenceRow


def section_weight(name: str, kind: str) -> float:
    """How likely a section is to state the paper's own findings (0 = never a claim)."""
    if kind == "abstract":
        return SECTION_WEIGHT["abstract"]
    if kind in ("title", "references"):
        return 0.0
    key = name.strip().lower()
    if any(x in key for x in _EXCLUDED_SECTIONS):
        return 0.0
    if key in SECTION_WEIGHT:
        return SECTION_WEIGHT[key]
    for hint, weight in _SECTION_HINTS:
        if hint in key:
            return weight
    return 0.25  # method and model sections: only strongly cued sentences make it


_CAPTION = re.compile(r"\b(?:Table|Figure|Fig\.)\s*\d+\s*:")
_NUMERIC_TOKEN = re.compile(r"^[-+]?\d+(?:[.,]\d+)*[%k]?$|^[-–—]$")
# Eight words in a row with no lower-case word between: column headers, not prose.
_CAPITALISED_RUN = re.compile(r"(?:(?:\b[A-Z][\w-]*|&|\b\d+[.,]?\d*[%k]?)\s+){8,}")


def looks_garbled(text: str) -> bool:
    """Text with a table or caption spliced in by PDF extraction ("... task Model SST 1k SST 2k
    ... Table 3: ..."): neither a claim nor usable evidence.
    """
    caption = _CAPTION.search(text)
    if caption and caption.start() > 0:
        return True
    tokens = text.split()
    numeric = sum(bool(_NUMERIC_TOKEN.match(t)) for t in tokens)
    if numeric >= 5 and numeric > 0.25 * len(tokens):
        return True
    return bool(_CAPITALISED_RUN.search(text))


def is_claim_shaped(text: str) -> bool:
    """A complete declarative sentence of reasonable length, not a fragment or formula."""
    words = text.split()
    if not 7 <= len(words) <= 80:
        return False
    if not text[0].isupper() and not text[0].isdigit():
        return False
    if not text.rstrip().endswith((".", "!")):
        return False
    if text.rstrip().endswith("?"):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters / max(1, len(text)) < 0.6 or looks_garbled(text):  # tables and equations
        return False
    return not _CITATION_ONLY.match(text)


def about_others(text: str, name: str | None) -> bool:
    """A sentence reporting cited work, not the paper's own: citations and no "we" or name."""
    if not _CITATION.search(text) or _FIRST_PERSON.search(text):
        return False
    return not (name and name in text)


def classify(text: str) -> tuple[str | None, float]:
    """The claim kind a sentence's cues point to, and the cue strength."""
    numbers = len(NUMBER.findall(text))
    result = len(RESULT_CUES.findall(text))
    if result and numbers:
        return "result", 1.0 + 0.1 * min(numbers, 3)
    if FINDING_CUES.search(text):
        return "finding", 0.9
    if CONTRIBUTION_CUES.search(text):
        return "contribution", 0.8
    if result >= 2 or (result and _FIRST_PERSON.search(text)):
        return "result", 0.7
    if METHOD_CUES.search(text) and _FIRST_PERSON.search(text):
        return "method", 0.5
    return None, 0.0


def model_name(title: str, abstract: str) -> str | None:
    """The name the paper gives its model, if it gives one ("BERT", "XLNet", "ELMo")."""
    head = title.split(":", 1)[0].strip() if ":" in title else ""
    if head and len(head.split()) == 1 and any(ch.isupper() for ch in head[1:]):
        return head
    for pattern in _NAME_PATTERNS:
        m = pattern.search(abstract)
        if m:
            name = m.group(1)
            # "(XLMs)" names the family; the model is "XLM".
            plural = name.endswith("s") and name[:-1].isupper()
            return name[:-1] if plural else name
    return None


def decontextualise(text: str, name: str | None) -> str:
    """Replace "our model"-style references by the model's name; keep everything else."""
    if not name:
        return text
    out = _OUR_THING.sub(name, text)
    return _THE_PROPOSED.sub(name, out)


def candidates(sentences: Sequence[SentenceRow], name: str | None) -> list[ExtractedClaim]:
    """Every sentence that qualifies as a claim, scored, in reading order."""
    out = []
    for s in sentences:
        weight = section_weight(s.section, s.section_kind)
        if weight == 0.0 or not is_claim_shaped(s.text) or about_others(s.text, name):
            continue
        kind, cue = classify(s.text)
        if kind is None:
            continue
        if weight < 0.5 and cue < 0.9:
            continue
        text = decontextualise(s.text, name)
        out.append(ExtractedClaim(text, s.text, kind, round(weight * cue, 4), s))
    return out


def merge_duplicates(
    claims: Sequence[ExtractedClaim], vectors: np.ndarray, threshold: float
) -> list[tuple[int, ExtractedClaim]]:
    """Drop claims that restate an earlier one (cosine >= threshold), keeping the earlier.

    Returns ``(index into claims, claim)`` of the survivors. A survivor takes the higher score
    of the two plus a bonus, since a claim a paper restates is one of its central claims.
    """
    out: list[tuple[int, ExtractedClaim]] = []
    for i, claim in enumerate(claims):
        dup = next(
            (n for n, (k, _) in enumerate(out) if float(vectors[i] @ vectors[k]) >= threshold),
            None,
        )
        if dup is None:
            out.append((i, claim))
        else:
            k, kept = out[dup]
            out[dup] = (k, replace(kept, score=max(kept.score, claim.score) + 0.1))
    return out


def select_claims(
    claims: Sequence[ExtractedClaim],
    relevance: np.ndarray | None,
    limit: int,
) -> list[ExtractedClaim]:
    """The ``limit`` strongest claims, relevance to the question weighing in, in reading order."""
    if relevance is not None and len(relevance) == len(claims):
        scored = [
            (c.score + float(r), i) for i, (c, r) in enumerate(zip(claims, relevance, strict=True))
        ]
    else:
        scored = [(c.score, i) for i, c in enumerate(claims)]
    best = sorted(scored, reverse=True)[:limit]
    return [claims[i] for _, i in sorted(best, key=lambda t: t[1])]


def extract_claims(
    sentences: Sequence[SentenceRow],
    *,
    title: str,
    abstract: str,
    embed_fn,
    question_vector: np.ndarray | None,
    limit: int,
    dedup_threshold: float,
) -> list[ExtractedClaim]:
    """The paper's claims: candidates, merged near-duplicates, the strongest ``limit`` of them."""
    found = candidates(sentences, model_name(title, abstract))
    if not found:
        return []
    vectors = embed_fn([c.original for c in found])
    merged = merge_duplicates(found, vectors, dedup_threshold)
    relevance = None
    if question_vector is not None:
        relevance = vectors[[i for i, _ in merged]] @ question_vector
    return select_claims([c for _, c in merged], relevance, limit)
