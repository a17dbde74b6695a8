"""Claim extraction without an LLM: the sentences in which a paper states what it found.

Hard rules drop what is never a claim, a small fitted classifier (logistic regression over the
sentence's place and cue words) keeps the claim-worthy sentences, and
restatements of one finding become one claim that lists where else the paper states it.

Example:
    >>> claims = extract_claims(rows, title="BERT: ...", ...)  # doctest: +SKIP
    >>> [c.kind for c in claims]  # doctest: +SKIP
    ['result', 'contribution', ...]

Modules: ``cues`` (cue words, shape tests), ``nonclaim`` (the non-claim rules), ``sections``
(section roles), ``naming`` (the paper's model name), ``features`` (classifier inputs),
``classifier`` (the fitted model), ``sentence_model`` (its MiniLM reader), ``pair_model``
(whether two sentences state one finding), ``restate`` (grouping restatements with it),
``extract`` (the steps put together).
"""

from synth.claims.classifier import ClaimClassifier, load_classifier
from synth.claims.cues import (
    NUMBER,
    about_others,
    classify,
    decontextualise,
    is_claim_shaped,
    looks_garbled,
    quotable,
)
from synth.claims.extract import (
    ExtractedClaim,
    Restatement,
    candidates,
    claim_probabilities,
    eligible,
    extract_claims,
    one_per_finding,
    select_claims,
)
from synth.claims.features import Place, hand_features
from synth.claims.naming import introduction, model_name
from synth.claims.nonclaim import non_claim_reason
from synth.claims.pair_model import paper_idf
from synth.claims.restate import restated_by, restatement_groups
from synth.claims.sections import section_admits, section_category, section_weight

__all__ = [
    "NUMBER",
    "ClaimClassifier",
    "ExtractedClaim",
    "Place",
    "Restatement",
    "about_others",
    "candidates",
    "claim_probabilities",
    "classify",
    "decontextualise",
    "eligible",
    "extract_claims",
    "hand_features",
    "introduction",
    "is_claim_shaped",
    "load_classifier",
    "looks_garbled",
    "model_name",
    "non_claim_reason",
    "one_per_finding",
    "paper_idf",
    "quotable",
    "restated_by",
    "restatement_groups",
    "section_admits",
    "section_category",
    "section_weight",
    "select_claims",
]
