"""Sentences a researcher never cites as a finding, whatever their cue words.

Hard filters of claim extraction, each named by the reason it gives (roadmap, pointer to a
table, notation, acknowledgement, bullet, set-up detail, evaluation protocol, experiment
description, dataset statistics, release note, web address, hypothesis, future work,
background). Every rule was
checked against all sentences of the shared PDFs for findings it would drop before it was
added; a rule that describes how work was done or where a resource is yields when the sentence
also reports a gain, so the classifier decides those.
"""

from __future__ import annotations

import re

# Sentences a researcher never cites as a finding, whatever their cue words.
_NON_CLAIM = (
    (
        "roadmap",
        re.compile(
            r"^(?:In|The rest of|The remainder of)\b[^.]{0,40}?\b(?:[Ss]ection|[Cc]hapter|"
            r"[Aa]ppendix|paper is organi[sz]ed)|"
            r"\b(?:[Ss]ection|[Ss]ec\.|[Aa]ppendix) [\dA-Z]+(?:\.\d+)* "
            r"(?:describes|presents|introduces|discusses|concludes|gives|reviews|shows how|"
            r"details|covers)|"
            r"^(?:In this section|Below,? we(?! (?:show|find|demonstrate|observe) that)|"
            r"(?:Next,? we|We (?:then|first|now)) (?:describe|"
            r"present|discuss|review|turn|detail|explain))\b|"
            r"^(?:In what follows|In the following|Hereafter),? we (?:first |then |now )?"
            r"(?:describe|present|discuss|review|report|detail|explain|compare|give)\w*\b"
            r"(?![^.]*\bthat\b)|"
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
            r",? we (?:report|present|show|list|summari[sz]e|give|exhibit|display|plot|compare|"
            r"investigate|study|examine|analy[sz]e|explore|provide|evaluate)\b"
            r"(?! that\b)|"
            # "We show the test error rates on the larger datasets in Table 3.": a sentence whose
            # only news is where the numbers are; one that says what they show is left alone.
            r"^(?:Here,? |Finally,? )?[Ww]e (?:also )?(?:report|present|show|list|summari[sz]e|"
            r"give|provide|display|plot|include)\w* "
            r"(?![^.]*\b(?:that|outperform\w*|improv\w*|better|worse|gains?)\b)[^.]{0,140}\bin "
            r"(?:[Tt]ables?|[Ff]igures?|[Ff]igs?\.|[Tt]ab\.|(?:the )?[Aa]ppendix)\s*[\dA-Z]*"
            r"(?:\.\d+)?(?: and \d+)?\s*\.?$|"
            # "This shows the MNLI accuracy after fine-tuning ...": a caption's description.
            r"^(?:This|It|The (?:figure|table|plot|graph)) (?:shows|plots|lists|reports|depicts|"
            r"illustrates) the (?:[\w-]+ ){0,3}(?:accurac(?:y|ies)|scores?|results?|performance|"
            r"error rates?|F1|BLEU|perplexit(?:y|ies)|numbers|curves?|distribution|values?)\b"
        ),
    ),
    (
        "notation",
        re.compile(
            r"\b(?:Eqn?s?\.|Equations?) ?\(?\d+\)?[^.]{0,60}?\b(?:denotes?|represents?|is the|"
            r"where)\b|^(?:Let|Suppose|Denote|Given) [^.]{0,40}?\b(?:denote|be |be$)|"
            r"\bwhere [^ ]{1,6} (?:is|are|denotes?) (?:the|a)\b|\b[a-zA-Z]\s*∈\s*R|"
            # "tokens {q1,...,ql}", "Parameter t is the actual length of ..."
            r"\{\s*\w+\s*,\s*(?:\.\.\.|…)|^Parameters? [a-zA-Z]\w{0,2} (?:is|are|denotes?)\b"
        ),
    ),
    (
        "acknowledgement",
        re.compile(
            r"\b(?:we (?:would (?:also )?like to |wish to )?(?:also )?(?:thank|acknowledge)\b|"
            r"we are grateful|gratefully acknowledge|thanks? (?:also )?(?:to )?(?-i:[A-Z])|"
            r"(?:helpful|insightful|valuable|fruitful) (?:discussions?|comments|feedback|"
            r"suggestions)|"
            r"(?:was|is) (?:partially |partly )?(?:supported|funded) by|equal contribution|"
            r"(?:spent|designed and implemented|was responsible for)\b[^.]{0,80}\b(?:days|nights|"
            r"code ?base|tensor2tensor)|work (?:was )?(?:performed|done) while)",
            re.IGNORECASE,
        ),
    ),
    (
        # "On the SICK dataset, each point represents a sentence pair and points are colored
        # ...": how to read a figure, a caption's text.
        "caption",
        re.compile(
            r"\beach (?:point|dot|line|bar|curve|cell) (?:represents|corresponds|shows|denotes)\b"
            r"|\b(?:points|dots|lines|bars) are colou?red\b|\bin the (?:left|right|top|bottom|"
            r"middle|upper|lower) (?:column|panel|row|plot|figure|half)\b|"
            # "For example, in the 3rd review in Figure 2b), it seems that ...": a figure's example
            r"^For (?:example|instance),? [^.]{0,40}\bin (?:Figure|Fig\.|Table)s? ?\d",
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
            r"(?:of|to|with|for) \d|"
            # "increased in length to a dimension of d = 60", "a minimal preprocessing step"
            r"(?:dimension(?:ality)?|hidden size|embedding size|hidden units?) of "
            r"(?:[a-z] ?= ?)?\d|preprocessing step\b|"
            r"we (?:apply|perform|use) (?:a |the )?(?:\w+ )?preprocessing\b|"
            # "We set ns = 12800 in the inverted softmax.", "In our experiments, we use λ = 0":
            # a value assigned, as the sentence's opening ("When we fix α = 0.5, accuracy
            # drops ..." is a finding)
            r"^(?:[^,.]{0,40}, )?we (?:set|use|used|fix|fixed|choose|chose|select|selected)\b"
            r"[^.=]{0,40}= ?-?\d)",
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
            r"^The (?:performance |evaluation )?metrics? (?:is|are|varies|vary|differs?)\b|"
            # "For fair comparison, we set the dimension ...", "For reference, the best human
            # evaluator scores 31.7 ROUGE-1.": how the comparison is made, or a reference point.
            r"\bfor (?:a )?fair(?:er)? comparison\b|^(?:For|As a) (?:reference|comparison),|"
            r"\bevaluation uses\b|"
            r"^For (?:these|this|our|all) experiments?,? we (?:look at|use|report|measure|"
            r"evaluate|consider)\b|"
            # "We use the F1 version of ROUGE [25] as the evaluation metric for both datasets."
            r"\bas (?:the|our) (?:\w+ )?(?:evaluation )?metrics?\b|^We (?:use|used|adopt|employ|"
            r"follow)\b[^.]{0,80}\bevaluation (?:metrics?|protocol|script|setup|procedure)\b",
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
            r"^(?:(?:Our|The|All|Both) )?(?:[\w-]+ ){0,3}(?:code|models?|data ?sets?|"
            r"implementation|software|weights|checkpoints|embeddings|dictionaries)\b[^.]{0,60}\b"
            r"(?:is|are|will be) (?:made )?(?:publicly |freely |openly |now )?"
            r"(?:available|released)\b|"
            r"\b(?:code|models?|data ?sets?|implementation|software|weights|checkpoints|these|"
            r"it)\b[^.]{0,40}\bavailable (?:at|from|on|to download)\b|"
            # "We make all code for training ... publicly available", "We open-source our models."
            r"\bwe (?:also )?(?:make|made|have made|will make|release|released|have released|"
            r"will release|open-?source)\b[^.]{0,100}\b(?:available|public(?:ly)?|open-?source)\b|"
            r"^we (?:also )?(?:release|open-?source) (?:our|the|all)\b|"
            r"\bwill be (?:released|made (?:publicly )?available) (?:shortly|soon|later|upon)\b",
            re.IGNORECASE,
        ),
    ),
    # A web address ("Downloaded from https://github.com/..."): a footnote or a resource, unless
    # the sentence also reports a gain (left to the classifier). A bare one ("over-
    # 12wikipedia.org/wiki/Cronbach's_alpha") is a footnote the PDF's layout spliced in.
    (
        "web address",
        re.compile(
            r"https?://|\bgithub\.(?:com|io)\b|[\w-]\.(?:org|com|net|io|edu|gov)/\S",
            re.IGNORECASE,
        ),
    ),
    # "We evaluate the quality of our approach on six different tasks ...", "We also conduct
    # experiments following the data split of [51]": what was tried, not what was found (left
    # to the classifier when it also reports a gain).
    (
        "experiment description",
        re.compile(
            # ... and no outcome in the same breath ("... and found that", "showing that")
            r"^(?![^.]*\b(?:that|found|finding|reveal\w*|show\w*|demonstrat\w*|suggest\w*|"
            r"indicat\w*|confirm\w*)\b)"
            r"(?:(?:Finally|Next|Then|Further|Furthermore|Additionally|In addition|Lastly),? )?"
            r"We (?:also |finally |then |further |additionally )?(?:describe|evaluated?|"
            r"investigated?|examined?|explored?|study|studied|test|tested|run|ran|conduct|"
            r"conducted|perform|performed) (?!that\b)[^.]*?(?:experiments?|comparisons?|"
            r"the (?:effectiveness|performance|impact|effect|role|quality)|whether|how)\b"
        ),
    ),
    # "We hypothesize that this gain is due to ...": a guess, not something the paper shows.
    ("hypothesis", re.compile(r"\bwe (?:hypothesi[sz]e|conjecture|speculate)\b", re.IGNORECASE)),
    (
        "future work",
        re.compile(
            r"\b(?:future work|in the future|as a next step|we would like to (?:further )?"
            r"(?:improve|extend|explore|investigate|study|apply)|we (?:plan|intend) to|we hope|"
            r"we will (?:also )?"
            r"(?:conduct|explore|investigate|study|extend|apply|release|consider|try|look)|"
            r"(?:more|further|additional) (?:studies|work|research|analys[ie]s|experiments|"
            r"investigations?) (?:is|are|will be) (?:needed|required|necessary)|"
            # "Many variations have yet to be explored", "We are exploring reranking models",
            # "a fruitful direction for further exploration", "only scratches the surface".
            r"(?:is|are|remains?|have) yet to be (?:explored|investigated|studied|seen)|"
            r"remains? to be (?:explored|investigated|studied|seen)|"
            r"we are (?:currently )?(?:exploring|investigating|working on)|"
            r"(?:direction|avenue)s? (?:for|of) (?:future|further) "
            r"(?:work|research|exploration|study)|"
            r"scratch(?:es)? the surface|left (?:for|to) future)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "Recent empirical improvements due to transfer learning have demonstrated ...": the
        # state of the field, not this paper's finding (a sentence with "we" is left alone).
        "background",
        re.compile(
            # "It has been known for many years that ...", "Previous work has also shown ...".
            r"^(?:Recent(?:ly)?|In recent years|Over the (?:past|last) (?:few )?(?:years|decade)|"
            r"One (?:generally|usually|often|typically|commonly) (?:finds|observes|sees)|"
            r"It (?:has (?:long )?been |is (?:well[- ]|widely |generally )?)(?:known|established|"
            r"shown|observed|argued|demonstrated|reported)|"
            r"(?:Previous|Prior|Existing|Earlier|Past|Much) (?:work|works|studies|research|"
            r"approaches|methods|efforts)|(?:Many|Several|Some|Most) (?:previous |prior |recent |"
            r"existing )?(?:works|studies|researchers|authors|approaches))"
            r"\b(?![^.]*\b(?:[Ww]e|[Oo]ur|[Uu]s)\b)"
        ),
    ),
)
_RESULT_WORDS = re.compile(
    r"\b(?:outperform\w*|improv\w*|achiev\w*|better|worse|gains?|state[- ]of[- ]the[- ]art)\b",
    re.IGNORECASE,
)
# "... saved our model anytime the performance improved": a training procedure's condition.
# Only a negated or development-set improvement is a condition; "When the batch is larger the
# model improves accuracy" still reports a gain.
_CONDITION = re.compile(
    r"\b(?:if|when|whenever|until|anytime|once)\b[^.,;]{0,60}?(?:\b(?:not|no longer|stops?|"
    r"stopped) improv\w*|\bimprov\w* (?:on|for) the (?:dev|development|validation)\b)",
    re.IGNORECASE,
)
# "(lower is better)": how to read a metric, not a result.
_READING_NOTE = re.compile(
    r"\((?:the )?(?:lower|higher|smaller|larger|less|more) (?:is|are) better\)", re.IGNORECASE
)
_LEFT_TO_CLASSIFIER = frozenset(
    {"setup", "evaluation protocol", "dataset description", "web address", "experiment description"}
)
# "We propose an unsupervised criterion that ... can be used ... to select the best
# hyper-parameters": a contribution that names a set-up word is still a contribution. It opens
# the sentence and gives no value ("We introduce a warm-up of 4000 steps" is set-up).
_CONTRIBUTION = re.compile(
    r"^(?:[^,.]{0,40}, )?[Ww]e (?:propose|introduce|present) (?:a|an|the|our)\b(?!.*\d)"
)


def non_claim_reason(text: str) -> str | None:
    """Why ``text`` is not a claim a researcher would cite, or ``None`` if no rule says so.

    A set-up, evaluation-protocol, dataset-statistics or web-address sentence that also reports
    an improvement ("with a learning rate of 0.1 the model improves ...", not "until the loss
    stops improving") is left to the classifier rather than dropped, and so is a set-up word in
    a contribution ("We propose a criterion ... to select the best hyper-parameters").

    >>> non_claim_reason("In Section 3 we present a large set of experiments.")
    'roadmap'
    >>> non_claim_reason("In what follows, we present the results on word translation in Table 1.")
    'roadmap'
    >>> non_claim_reason("The scores of all systems are shown in Table 2.")
    'pointer'
    >>> non_claim_reason("BERT outperforms ELMo by 4 points on GLUE.") is None
    True
    >>> non_claim_reason("We set ns = 12800 in the inverted softmax.")
    'setup'
    >>> non_claim_reason("We propose a criterion to select the best hyper-parameters.") is None
    True
    >>> non_claim_reason("When we fix a = 0.5, the error falls to 3%.") is None
    True
    >>> non_claim_reason("Here we present our training details: a batch size of 64.")
    'setup'
    """
    for reason, pattern in _NON_CLAIM:
        if pattern.search(text):
            if reason in _LEFT_TO_CLASSIFIER and _RESULT_WORDS.search(
                _READING_NOTE.sub("", _CONDITION.sub("", text))
            ):
                continue
            if reason == "setup" and _CONTRIBUTION.search(text):
                continue
            return reason
    return None
