"""Section roles: which sections may hold a paper's own claims, and what role each plays.

The role comes from the heading's words ("Conclusion", "5 Experiments"); a heading that says
nothing ("5.2 SQuAD") takes its top-level section's. Related work, background,
acknowledgements, references and appendices hold no claims, except that a paper sometimes
states its own result inside its related work, in the first person (:func:`section_admits`).
"""

from __future__ import annotations

import re

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
# Sections that hold other people's work, or no findings. "related" alone would also drop
# "Semantic relatedness" (an experiment), so related-work headings are matched whole.
_RELATED = (
    r"\brelated (?:work|research|literature|approach|stud|method|model)|^related$|background|"
    r"prior work|previous work"
)
_NO_FINDINGS = r"acknowledg|reference|appendix"
_RELATED_WORK = re.compile(_RELATED)
_EXCLUDED_SECTIONS = re.compile(f"{_RELATED}|{_NO_FINDINGS}")
_NEVER_ADMITTED = re.compile(_NO_FINDINGS)


def section_weight(name: str, kind: str, parent: str = "") -> float:
    """How likely a section is to state the paper's own findings (0 = never a claim).

    A subsection inherits from its top-level section (``parent``): "2.1 Dialogue Datasets"
    under "2 Related Work" is related work, "5.2 SQuAD" under "5 Experiments" holds results.

    >>> section_weight("Dialogue Datasets", "body", parent="Related Work")
    0.0
    """
    if kind == "abstract":
        return SECTION_WEIGHT["abstract"]
    if kind in ("title", "references"):
        return 0.0
    own = _named_weight(name)  # a heading that names its role keeps it ("Conclusion")
    if own is not None:
        return own
    inherited = _named_weight(parent) if parent and parent != name else None
    return inherited if inherited is not None else 0.25  # model and method sections


# A related-work section holds other people's work, but papers state their own results there
# too, in the first person: "In our work, we show that StarSpace can be used for this task as
# well, outperforming several methods". "This method improves ..." there is the cited work's,
# and "Our work can be seen as an instance of ..." is no result.
_OWN_RESULT = re.compile(
    r"\b[Ww]e (?:show|find|found|demonstrate|observe|obtain|achieve)\b|"
    r"\b[Oo]ur (?:work|method|model|approach|findings?|results?|experiments?)\b[^.]{0,80}?\b"
    r"(?:shows?|outperform\w*|improv\w*|is consistent|match\w*|achiev\w*)"
)


def section_admits(text: str, name: str, kind: str, parent: str = "") -> bool:
    """Whether ``text``'s section lets it be a claim: any section of non-zero
    :func:`section_weight`, and a related-work section when the sentence states the paper's
    own result in the first person.

    >>> section_admits("In our work, we show that it matches TransE.", "Related Work", "body")
    True
    >>> section_admits("This method improves over phrase-based systems by 2 BLEU.",
    ...                "Related Work", "body")
    False
    >>> section_admits("We show that it works.", "Background", "body", parent="Appendix B")
    False
    """
    if section_weight(name, kind, parent) > 0:
        return True
    headings = [h.strip().lower() for h in (name, parent) if h.strip()]
    return (
        kind == "body"
        and any(_RELATED_WORK.search(h) for h in headings)
        and not any(_NEVER_ADMITTED.search(h) for h in headings)
        and bool(_OWN_RESULT.search(text))
    )


def _named_weight(name: str) -> float | None:
    """The weight a heading's words give, or None when they say nothing."""
    key = name.strip().lower()
    if _EXCLUDED_SECTIONS.search(key):
        return 0.0
    if key in SECTION_WEIGHT:
        return SECTION_WEIGHT[key]
    return next((weight for hint, weight in _SECTION_HINTS if hint in key), None)


# Section categories the classifier sees, from the heading's name (first hint that matches).
SECTION_CATEGORIES = ("abstract", "introduction", "method", "results", "conclusion", "other")
_CATEGORY_HINTS = (
    ("conclu", "conclusion"),
    ("summary", "conclusion"),
    ("discussion", "conclusion"),
    ("result", "results"),
    ("experiment", "results"),
    ("evaluat", "results"),
    ("analys", "results"),
    ("ablation", "results"),
    ("finding", "results"),
    ("introduc", "introduction"),
    ("related work", "other"),
    ("related research", "other"),
    ("related literature", "other"),
    ("background", "other"),
    ("prior work", "other"),
    ("previous work", "other"),
    ("acknowledg", "other"),
    ("appendix", "other"),
    ("supplement", "other"),
)


def section_category(name: str, kind: str, parent: str = "") -> str:
    """The coarse role of a section, one of :data:`SECTION_CATEGORIES`.

    A heading whose words say nothing takes its top-level section's role (``parent``): a
    results subsection named after its dataset ("5.2 SQuAD" in "5 Experiments") is results.
    Anything still not recognised is a "method" section (model, approach, data, set-up): most
    papers' unnamed middle sections describe what was done, not what was found.

    >>> section_category("5.2 Results on SQuAD", "body"), section_category("3 Model", "body")
    ('results', 'method')
    >>> section_category("SQuAD v1.1", "body", parent="Experiments")
    'results'
    """
    if kind == "abstract":
        return "abstract"
    if kind != "body":
        return "other"
    return _named_category(name) or (parent and _named_category(parent)) or "method"


def _named_category(name: str) -> str | None:
    key = name.lower()
    return next((cat for hint, cat in _CATEGORY_HINTS if hint in key), None)
