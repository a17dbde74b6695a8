"""Cue words and shape tests: what a claim sentence looks like, before any model is asked.

These are the cheap, explainable parts of claim extraction. :func:`non_claim_reason` names the
sentence kinds a researcher never cites as a finding (roadmap, pointer to a table, notation,
footnote, acknowledgement, set-up detail); they are hard filters. The cue flags
(:func:`classify`) are features of the fitted classifier (:mod:`synth.claims.classifier`) and
name a kept claim's kind.
"""

from __future__ import annotations

import re

from synth.extract.sentences import ABBREVIATIONS

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
# Sections that hold other people's work or no findings. "related" alone would also drop
# "Semantic relatedness" (an experiment), so related-work headings are matched whole.
_EXCLUDED_SECTIONS = re.compile(
    r"\brelated (?:work|research|literature|approach|stud|method|model)|^related$|background|"
    r"acknowledg|reference|appendix|prior work|previous work"
)

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
    r"(this|which) (shows|suggests|indicates|demonstrates|means|illustrates|establishes|"
    r"confirms|implies)|as a result|"
    r"(performs?|performed|works?|worked) (similarly|comparably|better|worse|best|well|poorly|"
    r"robustly)|(is|are|was|were) (un)?able to|"
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


def _named_weight(name: str) -> float | None:
    """The weight a heading's words give, or None when they say nothing."""
    key = name.strip().lower()
    if _EXCLUDED_SECTIONS.search(key):
        return 0.0
    if key in SECTION_WEIGHT:
        return SECTION_WEIGHT[key]
    return next((weight for hint, weight in _SECTION_HINTS if hint in key), None)


_CAPTION = re.compile(r"\b(?:Table|Figure|Fig\.)\s*\d+\s*:")
_NUMERIC_TOKEN = re.compile(r"^[-+]?\d+(?:[.,]\d+)*[%k]?$|^[-–—]$")
# Eight words in a row with no lower-case word between: column headers, not prose.
_CAPITALISED_RUN = re.compile(r"(?:(?:\b[A-Z][\w-]*|&|\b\d+[.,]?\d*[%k]?)\s+){8,}")


# A stop then a lower-case word: two pieces joined across a break ("Table 3. this may",
# "(low is good). when other", "symbol †. provides") unless the stop ends an abbreviation,
# initials ("i.e.", "U.S.") or an ellipsis ("... highlighted in bold. but this approach").
_JOINED = re.compile(r"(\S+)\. [a-z]")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]?")
# "64.1% Multiple sentence reasoning There is anaphora": a table cell run into prose.
_RUN_ON = re.compile(r"\b[a-z]{3,} (?:There|This|These|We|It|Our|They) [a-z]")


def _joined_at(stop: re.Match) -> bool:
    """Whether the word before a stop followed by a lower-case word ends a sentence there."""
    word = stop[1].lower().lstrip("([{\"'“").rstrip(".")
    return bool(word) and word not in ABBREVIATIONS and not _INITIALS.fullmatch(word)


def looks_garbled(text: str) -> bool:
    """Text with a table or caption spliced in by PDF extraction ("... task Model SST 1k SST 2k
    ... Table 3: ..."), or two pieces of sentences joined across a column or page break:
    neither a claim nor usable evidence.
    """
    caption = _CAPTION.search(text)
    if caption and caption.start() > 0:
        return True
    if any(map(_joined_at, _JOINED.finditer(text))) or _RUN_ON.search(text):
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
    """A sentence reporting cited work, not the paper's own: citations and no "we" or name.

    A sentence whose subject is the paper's own ("The network achieves ... over the baseline
    of Go et al. (2009)") only cites what it compares with: the citation comes after the
    subject, so it is the paper's claim.

    >>> about_others("BERT (Devlin et al., 2019) obtains 80.5 on GLUE.", "XLNet")
    True
    >>> about_others("The network cuts the error by 25% over Go et al. (2009).", None)
    False
    >>> about_others("The model of Smith et al. (2017) reaches 80%.", None)
    True
    """
    cited = _CITATION.search(text)
    if not cited or _FIRST_PERSON.search(text) or (name and name in text):
        return False
    own = _OWN_SUBJECT.match(text)
    if not own or cited.start() <= own.end():
        return True
    # "The model of Smith et al. ..." / "The model (Smith et al.) ...": the subject is theirs.
    return bool(_CITED_SUBJECT.match(text, own.end()))


_CITED_SUBJECT = re.compile(
    r"\s*(?:\(|\[|of\b|by\b|from\b|in\b|proposed\b|introduced\b|described\b|used\b)"
)
# "The network ...", "On the test set, the model ...", "This difference ...": the paper's own.
_OWN_SUBJECT = re.compile(
    r"^(?:(?:On|In|For|With) [^,]{1,60}, )?(?:[Tt]he|This|These|Its) (?:[\w-]+ ){0,2}?"
    r"(?:network|model|method|approach|system|dataset|corpus|architecture|framework|"
    r"difference|results?|findings?|experiments?|embeddings?|representations?)s?\b"
)


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


# Sentences a researcher never cites as a finding, whatever their cue words.
_NON_CLAIM = (
    (
        "roadmap",
        re.compile(
            r"^(?:In|The rest of|The remainder of)\b[^.]{0,40}?\b(?:[Ss]ection|[Cc]hapter|"
            r"[Aa]ppendix|paper is organi[sz]ed)|"
            r"\b(?:[Ss]ection|[Ss]ec\.|[Aa]ppendix) [\dA-Z]+(?:\.\d+)* "
            r"(?:describes|presents|introduces|discusses|concludes|gives|reviews|shows how)|"
            r"^(?:In this section|Below,? we(?! (?:show|find|demonstrate|observe) that)|"
            r"(?:Next,? we|We (?:then|first|now)) (?:describe|"
            r"present|discuss|review|turn|detail|explain))\b|"
            r"^We (?:also )?(?:describe|present|introduce|discuss|detail|review|explain)\b"
            r"[^.]{0,60}\bin (?:[Ss]ection|[Ss]ec\.|[Aa]ppendix|[Cc]hapter) [\dA-Z]+(?:\.\d+)*\.?$"
        ),
    ),
    (
        "pointer",
        re.compile(
            r"\b(?:are|is) (?:shown|given|listed|reported|presented|summari[sz]ed|displayed|"
            r"plotted|illustrated|visuali[sz]ed) in (?:Table|Figure|Fig\.|Tab\.|Appendix|Section)|"
            r"^(?:See|Please refer to|For (?:more|further) details)|"
            r"^The\b[^.]{0,40}\b(?:column|row|panel|curve)s? (?:lists?|shows?|reports?|gives?|"
            r"contains?|presents?|compares?)\b|"
            r"^(?:Table|Figure|Fig\.) \d+[a-z]? (?:shows|lists|reports|presents|summari[sz]es|"
            r"compares|gives|contains|illustrates|plots)\b(?! that\b)|"
            r"^(?:We|Results are) (?:report|present|show|list|summari[sz]e|give|exhibit|display|"
            r"plot)\w* (?:the |our )?(?:results|numbers|scores|performance)[^.]{0,30}\bin "
            r"(?:[Tt]ables?|[Ff]igures?|[Ff]igs?\.)|"
            r"^In (?:[Tt]ables?|[Ff]igures?|[Ff]igs?\.|[Tt]ab\.) [\dA-Z]+(?:(?:,| and) [\dA-Z]+)*"
            r",? we (?:report|present|show|list|summari[sz]e|give|exhibit|display|plot|compare)\b"
            r"(?! that\b)"
        ),
    ),
    (
        "notation",
        re.compile(
            r"\b(?:Eqn?s?\.|Equations?) ?\(?\d+\)?[^.]{0,60}?\b(?:denotes?|represents?|is the|"
            r"where)\b|^(?:Let|Suppose|Denote|Given) [^.]{0,40}?\b(?:denote|be |be$)|"
            r"\bwhere [^ ]{1,6} (?:is|are|denotes?) (?:the|a)\b|\b[a-zA-Z]\s*∈\s*R"
        ),
    ),
    (
        "acknowledgement",
        re.compile(
            r"\b(?:we (?:thank|are grateful|gratefully acknowledge)|thanks? (?:to )?[A-Z]|"
            r"(?:was|is) (?:partially |partly )?(?:supported|funded) by|equal contribution|"
            r"(?:spent|designed and implemented|was responsible for)\b[^.]{0,80}\b(?:days|nights|"
            r"code ?base|tensor2tensor)|work (?:was )?(?:performed|done) while)",
            re.IGNORECASE,
        ),
    ),
    ("bullet", re.compile(r"[•●▪◦]|^\s*(?:\(?[ivx]{1,4}\)|\d\))\s")),
    (
        "setup",
        re.compile(
            r"\b(?:batch size|learning rate|dropout (?:rate|probability)|epochs?\b|"
            r"hyper-?parameters?|optimi[sz]er|warm-?up steps|beam (?:size|width)|"
            r"we (?:use|used|adopt|follow|set|train|trained|tokeni[sz]e)\b[^.]{0,50}\b"
            r"(?:of|to|with|for) \d)",
            re.IGNORECASE,
        ),
    ),
    (
        # "We report the mean of those predicted ranks and the hits@10.": how results are given,
        # not a result (a sentence that also reports a gain is left to the classifier).
        "evaluation protocol",
        re.compile(
            r"\bwe (?:also )?report (?:the )?(?:\w+ )?(?:experiments|results|accurac(?:y|ies)|"
            r"scores|mean|median|average|percentage|number|performance)\b|"
            r"\b(?:accuracy|results|scores?|performance|F1) (?:is|are) reported "
            r"(?:for|on|as|across)\b|"
            r"^The (?:performance |evaluation )?metrics? (?:is|are|varies|vary|differs?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "The training set consists of 4076 sentence pairs": what the data is, not a finding.
        "dataset description",
        re.compile(
            r"\b(?:consists? of|contains?|comprises?|comes with) (?:about |around |roughly |over |"
            r"approximately |~|∼)?[\d,.]+ ?(?:[KMBkm]|million|billion|thousand)? (?:[\w-]+ )?"
            r"(?:tokens|words|sentences|documents|pairs|examples|articles|questions|images|types|"
            r"instances|samples|reviews|utterances|dialogues|users|items|labels|classes|books)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "The code and pre-trained models are available at https://...": a release note.
        "availability",
        re.compile(
            r"^(?:(?:Our|The|All|Both) )?(?:[\w-]+ )?(?:code|models?|data ?sets?|implementation|"
            r"software|weights|checkpoints|embeddings|dictionaries)\b[^.]{0,60}\b"
            r"(?:is|are|will be) (?:publicly |freely |openly |now )?(?:available|released)\b|"
            r"\bavailable (?:at|from|on|to download)\b|https?://|\bgithub\.(?:com|io)\b",
            re.IGNORECASE,
        ),
    ),
    # "We hypothesize that this gain is due to ...": a guess, not something the paper shows.
    ("hypothesis", re.compile(r"\bwe (?:hypothesi[sz]e|conjecture|speculate)\b", re.IGNORECASE)),
    (
        "future work",
        re.compile(
            r"\b(?:future work|in the future|we (?:plan|intend) to|we hope|we will (?:also )?"
            r"(?:conduct|explore|investigate|study|extend|apply|release|consider|try|look)|"
            r"(?:more|further|additional) (?:studies|work|research|analys[ie]s|experiments|"
            r"investigations?) (?:is|are|will be) (?:needed|required|necessary))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "Recent empirical improvements due to transfer learning have demonstrated ...": the
        # state of the field, not this paper's finding (a sentence with "we" is left alone).
        "background",
        re.compile(
            r"^(?:Recent(?:ly)?|In recent years|Over the (?:past|last) (?:few )?(?:years|decade))"
            r"\b(?![^.]*\b(?:[Ww]e|[Oo]ur)\b)"
        ),
    ),
)
_RESULT_WORDS = re.compile(
    r"\b(?:outperform\w*|improv\w*|achiev\w*|better|worse|gains?|state[- ]of[- ]the[- ]art)\b",
    re.IGNORECASE,
)
# "... saved our model anytime the performance improved": a training procedure's condition.
_CONDITION = re.compile(r"\b(?:if|when|whenever|until|anytime|once)\b[^.,;]{0,60}", re.IGNORECASE)
_LEFT_TO_CLASSIFIER = frozenset({"setup", "evaluation protocol", "dataset description"})


def non_claim_reason(text: str) -> str | None:
    """Why ``text`` is not a claim a researcher would cite, or ``None`` if no rule says so.

    A set-up or evaluation-protocol sentence that also reports an improvement ("with a learning
    rate of 0.1 the model improves ...", not "until the loss stops improving") is left to the
    classifier rather than dropped.

    >>> non_claim_reason("In Section 3 we present a large set of experiments.")
    'roadmap'
    >>> non_claim_reason("The scores of all systems are shown in Table 2.")
    'pointer'
    >>> non_claim_reason("BERT outperforms ELMo by 4 points on GLUE.") is None
    True
    """
    for reason, pattern in _NON_CLAIM:
        if pattern.search(text):
            if reason in _LEFT_TO_CLASSIFIER and _RESULT_WORDS.search(_CONDITION.sub("", text)):
                continue
            return reason
    return None


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


FINDING_KINDS = frozenset({"result", "finding"})


def quotable(text: str, kind: str) -> bool:
    """Whether a claim may be quoted as a finding in a report's abstract.

    Results and findings only (not contributions or methods), never text a rule marks as a
    non-claim or garbled (claims of older runs were chosen before these rules existed), and
    never a sentence that opens with a pronoun pointing back ("This was achieved using ..."):
    quoted alone it does not say what it is about.

    >>> quotable("BERT obtains 80.5% on GLUE, a 7.7 point absolute improvement.", "result")
    True
    >>> quotable("The contributions of our paper are as follows: • We demonstrate X.", "finding")
    False
    >>> quotable("This was achieved using a dictionary of 5k words, improving accuracy.", "result")
    False
    """
    return (
        kind in FINDING_KINDS
        and non_claim_reason(text) is None
        and not looks_garbled(text)
        and not PRONOUN_START.match(text)
    )


# "This ...", "It ...", "Such ...": a sentence that leans on the one before it.
PRONOUN_START = re.compile(r"^(?:This|These|That|Those|It|They|Such)\b")
