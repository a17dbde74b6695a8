"""A paper's claims: eligible sentences, the classifier's verdict, one claim per finding.

Steps, each a small function:

1. :func:`eligible`: hard rules drop what is never a claim (reference lists, related work and
   acknowledgement sections, fragments, text with a table spliced in, sentences about cited
   work, roadmap, pointers, notation, set-up details).
2. :func:`candidates`: the fitted classifier (:mod:`synth.claims.classifier`) keeps the
   sentences it finds claim-worthy from their text, section and position.
3. :func:`one_per_finding`: restatements of one finding are grouped
   (:mod:`synth.claims.restate`); the clearest statement is kept and the others are listed on
   it as :class:`Restatement` (where else the paper says it: not independent evidence).
4. :func:`select_claims`: the strongest ``limit``, relevance to the question weighing in.
5. :func:`with_restatements`: the paper's other sentences that restate a kept claim are listed
   on it too, if the classifier finds them plausible claims (a restatement states a finding).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from synth.claims.classifier import ClaimClassifier, load_classifier
from synth.claims.cues import (
    about_others,
    classify,
    decontextualise,
    is_claim_shaped,
)
from synth.claims.features import Place
from synth.claims.naming import introduction, model_name
from synth.claims.nonclaim import non_claim_reason
from synth.claims.pair_model import load_restatement_floor, paper_idf
from synth.claims.restate import restated_by, restatement_groups
from synth.claims.sections import section_admits
from synth.claims.sentence_model import PairLogits
from synth.store.papers import SentenceRow

EmbedFn = Callable[[list[str]], np.ndarray]
RESTATED_BONUS = 0.1  # a finding the paper states more than once is one of its central ones


@dataclass(frozen=True)
class Restatement:
    """Another sentence of the same paper that states a kept claim's finding."""

    sentence_id: int
    text: str
    section: str
    page: int


@dataclass(frozen=True)
class ExtractedClaim:
    """A claim with everything needed to find it again in its paper.

    ``restatements`` are the paper's other statements of the same finding: the verification
    stage shows them as "restatement" evidence, never as independent support.
    """

    text: str  # decontextualised
    original: str  # the sentence exactly as in the paper
    kind: str  # result | finding | contribution | method
    score: float
    sentence: SentenceRow
    probability: float = 1.0  # P(claim) from the classifier
    restatements: tuple[Restatement, ...] = ()


def eligible(sentence: SentenceRow, name: str | None) -> bool:
    """Whether the hard rules let ``sentence`` reach the classifier at all."""
    text = sentence.text
    return (
        section_admits(text, sentence.section, sentence.section_kind, sentence.parent)
        and is_claim_shaped(text)
        and not about_others(text, name)
        and non_claim_reason(text) is None
    )


def places(sentences: Sequence[SentenceRow]) -> list[Place]:
    """Each sentence's place in its paper (``sentences`` is the whole paper, in order)."""
    by_section: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_section.setdefault(f"{s.section_kind}/{s.section}", []).append(i)
    out = []
    for i, s in enumerate(sentences):
        members = by_section[f"{s.section_kind}/{s.section}"]
        within = members.index(i) / max(1, len(members) - 1)
        out.append(Place(s.section, s.section_kind, i / max(1, len(sentences)), within, s.parent))
    return out


def claim_probabilities(
    sentences: Sequence[SentenceRow],
    name: str | None,
    classifier: ClaimClassifier | None = None,
    reader: PairLogits | None = None,
) -> dict[int, float]:
    """P(claim) of every sentence the hard rules let through, by index in ``sentences``."""
    model = classifier or load_classifier()
    where = places(sentences)
    chosen = [i for i, s in enumerate(sentences) if eligible(s, name)]
    if not chosen:
        return {}
    texts = [sentences[i].text for i in chosen]
    probs = model.probability(texts, [where[i] for i in chosen], reader)
    return {i: float(p) for i, p in zip(chosen, probs, strict=True)}


def candidates(
    sentences: Sequence[SentenceRow],
    name: str | None,
    embed_fn: EmbedFn,
    classifier: ClaimClassifier | None = None,
    reader: PairLogits | None = None,
    probabilities: Mapping[int, float] | None = None,
) -> tuple[list[ExtractedClaim], np.ndarray]:
    """The sentences the classifier keeps as claims, in reading order, with their embeddings
    (only kept sentences are embedded here). ``reader`` computes the classifier's reader
    logits (:func:`synth.store.nli_cache.cached_reader` caches them; default: uncached);
    ``probabilities`` are :func:`claim_probabilities`' when already computed."""
    model = classifier or load_classifier()
    if probabilities is None:
        probabilities = claim_probabilities(sentences, name, model, reader)
    out = []
    for i, p in probabilities.items():
        if p < model.threshold:
            continue
        s = sentences[i]
        kind = classify(s.text)[0] or "finding"
        text = decontextualise(s.text, name)
        out.append(ExtractedClaim(text, s.text, kind, round(float(p), 4), s, round(float(p), 4)))
    if not out:
        return [], np.zeros((0, 0), dtype=np.float32)
    return out, embed_fn([c.original for c in out])


def _in_abstract(claim: ExtractedClaim) -> bool:
    return claim.sentence.section_kind == "abstract"


def one_per_finding(
    claims: Sequence[ExtractedClaim],
    vectors: np.ndarray,
    idf: Mapping[str, float],
    merge_above: float = 1.01,
) -> tuple[list[ExtractedClaim], np.ndarray]:
    """The clearest statement of each finding, carrying the paper's other statements of it.

    The clearest is the abstract's, when the abstract states it: there the authors put each
    finding in its most general, self-contained form ("XLNet outperforms BERT on 20 tasks"
    rather than "According to Table 3, XLNet achieves new state-of-the-art results on all the
    considered datasets"). Otherwise it is the one the classifier is surest of; on a tie, the
    earlier.
    """
    texts = [c.original for c in claims]
    clearest = sorted(
        range(len(claims)),
        key=lambda i: (not _in_abstract(claims[i]), -claims[i].probability, i),
    )
    rank = {i: r for r, i in enumerate(clearest)}
    groups = restatement_groups(texts, vectors, idf, merge_above=merge_above, priority=clearest)
    out, rows = [], []
    for group in groups:
        best = min(group, key=rank.__getitem__)
        kept = claims[best]
        others = _other_statements(kept, [claims[i] for i in group if i != best])
        bonus = RESTATED_BONUS if others else 0.0
        out.append(replace(kept, score=round(kept.score + bonus, 4), restatements=others))
        rows.append(best)
    order = sorted(range(len(out)), key=lambda k: rows[k])
    return [out[k] for k in order], vectors[[rows[k] for k in order]]


def _other_statements(
    kept: ExtractedClaim, group: Sequence[ExtractedClaim]
) -> tuple[Restatement, ...]:
    """The group's other sentences as restatements of ``kept``, each wording once: a PDF may
    print a sentence twice, and its copy is not another place the paper states the finding
    (verification leaves copies of a claim's sentence out by their text).

    >>> from synth.store.papers import SentenceRow
    >>> def claim(i, text):
    ...     row = SentenceRow(i, 1, i, text, 1, 0, len(text), "Results", "body")
    ...     return ExtractedClaim(text, text, "finding", 0.9, row)
    >>> [r.sentence_id for r in _other_statements(claim(1, "BERT wins."),
    ...     [claim(2, "BERT  wins."), claim(3, "BERT is best."), claim(4, "BERT is best.")])]
    [3]
    """
    seen = {_words(kept.original)}
    out = []
    for c in group:
        if _words(c.original) not in seen:
            seen.add(_words(c.original))
            out.append(Restatement(c.sentence.id, c.original, c.sentence.section, c.sentence.page))
    return tuple(out)


def select_claims(
    claims: Sequence[ExtractedClaim],
    relevance: np.ndarray | None,
    limit: int,
) -> list[ExtractedClaim]:
    """The ``limit`` strongest claims, relevance to the question weighing in, in reading order."""
    return [claims[i] for i in _strongest(claims, relevance, limit)]


def _strongest(
    claims: Sequence[ExtractedClaim], relevance: np.ndarray | None, limit: int
) -> list[int]:
    """Indices of :func:`select_claims`' choice, in reading order."""
    if relevance is not None and len(relevance) == len(claims):
        scored = [
            (c.score + float(r), i) for i, (c, r) in enumerate(zip(claims, relevance, strict=True))
        ]
    else:
        scored = [(c.score, i) for i, c in enumerate(claims)]
    return sorted(i for _, i in sorted(scored, reverse=True)[:limit])


def extract_claims(
    sentences: Sequence[SentenceRow],
    *,
    title: str,
    abstract: str,
    embed_fn: EmbedFn,
    question_vector: np.ndarray | None,
    limit: int,
    dedup_threshold: float,
    reader: PairLogits | None = None,
) -> list[ExtractedClaim]:
    """The paper's claims: classified, one per finding, the strongest ``limit`` of them.

    Claims at cosine ``dedup_threshold`` or more are always merged; others when the pair model
    (:mod:`synth.claims.pair_model`) finds they state one finding.
    """
    name = model_name(title, abstract, introduction(sentences))
    probabilities = claim_probabilities(sentences, name, reader=reader)
    found, vectors = candidates(sentences, name, embed_fn, probabilities=probabilities)
    if not found:
        return []
    idf = paper_idf([s.text for s in sentences])
    merged, vectors = one_per_finding(found, vectors, idf, merge_above=dedup_threshold)
    relevance = vectors @ question_vector if question_vector is not None else None
    chosen = _strongest(merged, relevance, limit)
    kept = [merged[i] for i in chosen]
    # Restatements among the paper's other sentences are looked for only for the claims kept
    # (they do not change which are kept). Sentences the classifier weighed stay out of
    # "other" either way.
    floor = load_restatement_floor()
    plausible = [s for i, s in enumerate(sentences) if probabilities.get(i, -1.0) >= floor]
    return with_restatements(kept, vectors[chosen], plausible, embed_fn, idf, merged)


def with_restatements(
    claims: Sequence[ExtractedClaim],
    vectors: np.ndarray,
    plausible: Sequence[SentenceRow],
    embed_fn: EmbedFn,
    idf: Mapping[str, float],
    candidates: Sequence[ExtractedClaim] = (),
) -> list[ExtractedClaim]:
    """Add the paper's other statements of each claim's finding ("BERT advances the state of
    the art for eleven NLP tasks." in the introduction restates the abstract's result).

    They are looked for among ``plausible``: the sentences the hard rules let through and the
    classifier, though it did not keep them, finds plausible claims (P(claim) at the floor
    ``training/fit_restatements.py`` sets). A restatement states a finding, so a set-up detail
    that shares the finding's words ("We set ns = 12800 in the inverted softmax.") is none.
    ``candidates`` (all the classifier kept, ``claims`` among them) are never "other", nor is
    a sentence whose words repeat one already weighed (a PDF may print a sentence twice).
    """
    weighed = candidates or claims  # the claims are among the candidates
    taken = {c.sentence.id for c in weighed} | {
        r.sentence_id for c in weighed for r in c.restatements
    }
    seen = {_words(c.original) for c in weighed} | {
        _words(r.text) for c in weighed for r in c.restatements
    }
    others = []
    for s in plausible:
        if s.id not in taken and _words(s.text) not in seen:
            seen.add(_words(s.text))
            others.append(s)
    if not others:
        return list(claims)
    found = restated_by(
        [c.original for c in claims],
        vectors,
        [s.text for s in others],
        embed_fn([s.text for s in others]),
        idf,
    )
    out = list(claims)
    for i, js in found.items():
        extra = tuple(Restatement(s.id, s.text, s.section, s.page) for s in (others[j] for j in js))
        out[i] = replace(out[i], restatements=out[i].restatements + extra)
    return out


def _words(text: str) -> str:
    """A sentence's words, case and spacing aside (to spot one sentence printed twice)."""
    return " ".join(text.lower().split())
