"""Cue words and shape tests: what a claim sentence looks like, before any model is asked.

These are the cheap, explainable parts of claim extraction; the hard filters for sentence kinds
a researcher never cites as a finding live in :mod:`synth.claims.nonclaim`
(:func:`non_claim_reason`, re-exported here). The cue flags
(:func:`classify`) are features of the fitted classifier (:mod:`synth.claims.classifier`) and
name a kept claim's kind.
"""

from __future__ import annotations

import re

from synth.claims.nonclaim import non_claim_reason
from synth.extract.sentences import ABBREVIATIONS, LOWER_CASE_NAME

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

_OUR_THING = re.compile(
    r"\b[Oo]ur (proposed )?(model|method|approach|system|architecture|framework|technique)\b"
)
_THE_PROPOSED = re.compile(
    r"\b[Tt]he proposed (model|method|approach|system|architecture|framework)\b"
)


_CAPTION = re.compile(r"\b(?:Table|Figure|Fig\.)\s*\d+\s*:")
_NUMERIC_TOKEN = re.compile(r"^[-+]?\d+(?:[.,]\d+)*[%k]?$|^[-–—]$")
# Eight words in a row with no lower-case word between: column headers, not prose.
_CAPITALISED_RUN = re.compile(r"(?:(?:\b[A-Z][\w-]*|&|\b\d+[.,]?\d*[%k]?)\s+){8,}")


# A stop then a lower-case word: two pieces joined across a break ("Table 3. this may",
# "(low is good). when other", "highlighted in bold. but this approach") unless the stop ends
# an abbreviation, initials ("i.e.", "U.S.") or an ellipsis ("strong... but"). The lookbehind
# anchors the word at whitespace: a long run with no spaces would otherwise cost quadratic time.
_JOINED = re.compile(r"(?<!\S)(\S+)\. [a-z]")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]?")
# The same across a parenthesis: "has a significant impact on the BLEU score. (up to 15%) on
# sentence retrieval", "trained with 1.0 penalization. (a) and (b) shows" (a year is a citation).
_JOINED_PAREN = re.compile(r"(?<!\S)(\S+)\. \((?!\d{4}[a-z]?\))[^()]{1,40}\) [a-z]")
# "Precision Mikolov et al. Dinu et al. CCA SVD + inverted softmax": column headers naming
# methods by their authors, with no year (prose cites "Dinu et al. (2014)").
_BARE_ET_AL = re.compile(r"\bet al\.(?!,? \(?\d{4})")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# "64.1% Multiple sentence reasoning There is anaphora": a table cell run into prose.
_RUN_ON = re.compile(r"\b[a-z]{3,} (?:There|This|These|We|It|Our|They) [a-z]")
# "using a slot-filling represen-We observe that ...": a word hyphenated at a column's end and
# continued by another column's sentence.
_HYPHEN_JOIN = re.compile(r"\b[a-z]{3,}-(?:We|The|This|These|Our|In|It|An?)\s")
# An error-analysis table read as text ('Prediction: "Super Bowl 50", Answer: "L" ...'), and a
# table's legend ("Top-1 exact-match accuracy (in %, ...). +Fine-tune (DS): ...").
_TABLE_LABELS = re.compile(
    r"(?:\b(?:Prediction|Answer|Context|Question|Gold|Output|Input|Reference|Source|Target):"
    r"\s.*){2,}"
)
_LEGEND = re.compile(r"(?:^|\s)\+[A-Z][\w-]*(?: \([A-Z]+\))?:|\((?:in|as) %")


def _joined_at(stop: re.Match) -> bool:
    """Whether the word before a stop followed by a lower-case word ends a sentence there."""
    if stop[1].endswith("."):
        return False  # an ellipsis: "strong... but", "x1 ... x18"
    word = stop[1].lower().lstrip("([{\"'“")
    return bool(word) and word not in ABBREVIATIONS and not _INITIALS.fullmatch(word)


def looks_garbled(text: str) -> bool:
    """Text with a table or caption spliced in by PDF extraction ("... task Model SST 1k SST 2k
    ... Table 3: ..."), or two pieces of sentences joined across a column or page break:
    neither a claim nor usable evidence.
    """
    caption = _CAPTION.search(text)
    if caption and caption.start() > 0:
        return True
    joins = (*_JOINED.finditer(text), *_JOINED_PAREN.finditer(text))
    if any(map(_joined_at, joins)) or _RUN_ON.search(text) or _HYPHEN_JOIN.search(text):
        return True
    if _TABLE_LABELS.search(text) or _LEGEND.search(text):
        return True
    if len(_BARE_ET_AL.findall(text)) >= 2 and not _YEAR.search(text):
        return True
    tokens = text.split()
    numeric = sum(bool(_NUMERIC_TOKEN.match(t)) for t in tokens)
    if numeric >= 5 and numeric > 0.25 * len(tokens):
        return True
    return bool(_CAPITALISED_RUN.search(text))


_LOWER_CASE_NAME = re.compile(LOWER_CASE_NAME)  # "fastText and StarSpace are ..." may open one


def is_claim_shaped(text: str) -> bool:
    """A complete declarative sentence of reasonable length, not a fragment or formula."""
    words = text.split()
    if not 7 <= len(words) <= 80:
        return False
    if not (text[0].isupper() or text[0].isdigit() or _LOWER_CASE_NAME.match(text)):
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

    Nor is a result of the paper's compared with a cited one: "A five member ensemble pushes
    the overall accuracy to 89.3%, exceeding the previous ensemble best of 88.9% (Gong et al.,
    2018)" (a figure, then the comparison, then the citation).

    >>> about_others("ELMo (Peters et al., 2018) reaches 85.8%, exceeding CoVe.", None)
    True
    >>> about_others("It reaches 89.3%, exceeding the previous 88.9% (Gong et al., 2018).", None)
    False

    A cited work that is the subject of its clause makes the sentence theirs even when "our"
    appears, unless "we" follows it ("While Loshchilov and Hutter (2017) use several cycles, we
    found one to work best" is the paper's finding).

    >>> about_others("Like our work, Zhang et al. (2017) employed adversarial training.", None)
    True
    """
    citing = _CITATION_AS_SUBJECT.search(text)
    if citing and not _WE.search(text, citing.end()):
        return True  # "Most relevant to our task, Nogueira and Cho (2019) showed ..."
    cited = _CITATION.search(text)
    if not cited or _FIRST_PERSON.search(text) or (name and name in text):
        return False
    compared = _COMPARED.search(text, 0, cited.start())
    if compared and NUMBER.search(text, 0, compared.start()):
        return False  # "pushes accuracy to 89.3%, exceeding the previous best (Gong et al.)"
    own = _OWN_SUBJECT.match(text)
    if not own or cited.start() <= own.end():
        return True
    # "The model of Smith et al. ..." / "The model (Smith et al.) ...": the subject is theirs.
    return bool(_CITED_SUBJECT.match(text, own.end()))


# A cited work as the subject of a clause: "Smith et al. (2017) introduced", ", Nogueira and Cho
# (2019) showed", "recent work by Artetxe et al. (2017) used", "note that [12] proposed".
_CITATION_AS_SUBJECT = re.compile(
    r"(?:^|, |\bthat |\bby )(?:[A-Z][a-z]+(?: et al\.| and [A-Z][a-z]+)?,? \(\d{4}[a-z]?\)"
    r"|\[\d+(?:[,–-] ?\d+)*\]) (?:also |first |recently |further )?"
    r"(?:show|found|find|propos|report|demonstrat|introduc|observ|achiev|use|appl|present|argu|"
    r"suggest|employ|extend|train)\w*"
)
_WE = re.compile(r"\b[Ww]e\b")
# "than", "compared to", ...: a sentence that compares (a claim-classifier feature).
COMPARATIVE = re.compile(
    r"\b(?:than|over|compared (?:to|with)|versus|vs\.?|relative to)\b", re.IGNORECASE
)
# A comparison, in words or by a verb: a citation after it names the baseline, not the subject.
_COMPARED = re.compile(
    rf"\b(?:exceed|surpass|outperform|beat|improv)\w*|{COMPARATIVE.pattern}", re.IGNORECASE
)
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


def decontextualise(text: str, name: str | None) -> str:
    """The claim as it reads alone: no lead pointing at the paper's tables or figures (nor the
    "Answer: Yes," of a question the paper asks itself), and
    "our model"-style references replaced by the model's name; everything else kept.

    A reader of a report (and the NLI model reading the claim as a hypothesis) has no "Table
    1": the table is where the paper shows the result, not part of it.

    >>> decontextualise("As shown in Table 3, our model outperforms all systems.", "UNILM")
    'UNILM outperforms all systems.'
    >>> decontextualise("Table 1 shows that the adversarial approach is strong.", None)
    'The adversarial approach is strong.'
    >>> decontextualise("As shown in Figure 2, we find that attention helps.", None)
    'We find that attention helps.'
    >>> decontextualise("As shown in Table 3 and Figure 2, BERT wins.", None)
    'As shown in Table 3 and Figure 2, BERT wins.'
    >>> decontextualise("As shown in Figure 2, \u03bb = 0.1 works best.", None)
    '\u03bb = 0.1 works best.'
    >>> decontextualise("As shown in Table 1, a single model XLNet wins.", None)
    'A single model XLNet wins.'
    >>> decontextualise("As shown in Table 4, a = 2 works best.", None)
    'a = 2 works best.'
    >>> decontextualise("As shown in Table 4, a 2-layer model wins.", None)
    'A 2-layer model wins.'
    >>> decontextualise("As shown in Table 4, a and b are tied.", None)
    'a and b are tied.'
    >>> decontextualise("Answer: Yes, BERTBASE gains 1.0% with 1M steps.", None)
    'BERTBASE gains 1.0% with 1M steps.'
    """
    lead = _POINTER_LEAD.match(text)
    out = text
    rest = text[lead.end() :].lstrip() if lead else ""
    if rest:
        first, *after = rest.split(maxsplit=2)
        # "the model" -> "The model"; a symbol or a name stays as written ("λ", "k", "word2vec");
        # "a" is the article ("a single model", "a 2-layer model") unless an operator or a
        # conjunction follows it ("a = 2", "a and b are tied")
        article = first == "a" and bool(after) and not _NOT_AFTER_ARTICLE.match(after[0])
        plain = first.isascii() and first.isalpha() and first.islower()
        plain = plain and (len(first) > 1 or article)
        out = rest[0].upper() + rest[1:] if plain else rest
    if not name:
        return out
    out = _OUR_THING.sub(name, out)
    return _THE_PROPOSED.sub(name, out)


_NOT_AFTER_ARTICLE = re.compile(r"[=<>+*/≤≥≈−,;:)]|(?:and|or)\b")
# "As shown in Table 3, ", "Table 1 shows that ", "In Table 1, we observe that ": where the paper
# shows a result, leading the sentence that states it.
_SHOWN_IN = r"(?:Table|Figure|Fig\.|Tab\.)s? \d+[a-z]?(?:(?:,| and) \d+[a-z]?)*(?: \([^)]{1,12}\))?"
_POINTER_LEAD = re.compile(
    rf"(?:(?:As (?:shown|seen|reported|illustrated) in|According to) {_SHOWN_IN}, |"
    rf"{_SHOWN_IN} (?:shows|demonstrates|indicates|confirms|reveals|illustrates|suggests) that |"
    rf"In {_SHOWN_IN},? we (?:also )?(?:observe|see|find|note|notice) that |"
    # the answer to a question the paper asks itself ("Question: ...? Answer: Yes, BERT ...")
    r"Answer: (?:(?:Yes|No), )?)"
)


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
