"""Audit a report: get its references, re-verify every claim, compare with what it says.

Claims from someone else's report are verified against all the papers it cites that can be
obtained (from the database, ``--corpus`` or arXiv). Unlike synth's own claims there is no
sentence to exclude: finding the claim in a cited paper is exactly the evidence wanted.

Quotation check first (:mod:`synth.verify.quote`): each claim is aligned with the sentences of
the cited papers. A faithful copy (whole or cut) is SUPPORTED as quoted, and a cut one is
completed from its source; a copy with other figures, units, polarity or names is REFUTED as a
misquote, with the changed words; only paraphrases and claims found nowhere go to NLI. The
confidence of a quoted or misquoted verdict is the rule's precision measured on planted-error
reports by ``training/measure_quotes.py`` (``synth/models/quote_rules.json``).

References that cannot be obtained are named; the claims then come out NOT_ENOUGH_INFO with the
reason, and the audit still completes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from sqlmodel import Session

from synth.audit.parse import ParsedReport, ReportReference
from synth.corpus import scan_corpus
from synth.errors import RetrieveError
from synth.ingest import IngestResult, arxiv_reachable, arxiv_sources, ingest_sources
from synth.ingest import Source as IngestSource
from synth.pipeline import passages_of, verify_against
from synth.progress import SILENT, Progress
from synth.retrieve import fetch_metadata
from synth.settings import Settings
from synth.store.models import Paper
from synth.store.papers import SentenceRow, find_paper, paper_sentences
from synth.store.runs import ClaimRecord, StoredRun, save_run
from synth.verify.check import ClaimToCheck
from synth.verify.evidence import Passage, normalise
from synth.verify.model import NliScores
from synth.verify.quote import (
    MISQUOTE,
    NONE,
    QUOTED,
    QuoteMatch,
    Source,
    match_quote,
    rule_precision,
)
from synth.verify.verdict import (
    FIGURES_DIFFER,
    FIGURES_OK,
    NOT_ENOUGH_INFO,
    REFUTED,
    SUPPORTED,
    ScoredEvidence,
    Thresholds,
    Verdict,
)

logger = logging.getLogger(__name__)
_EVIDENCE_FIELDS = {f.name for f in fields(ScoredEvidence)}


@dataclass(frozen=True)
class MissingReference:
    ref: ReportReference
    reason: str


@dataclass
class AuditResult:
    parsed: ParsedReport
    papers: list[Paper]
    missing: list[MissingReference]
    full_texts: list[str | None]  # recovered sentence of truncated claims
    verdicts: list[Verdict]
    model: str
    thresholds: Thresholds
    ingest: IngestResult = field(default_factory=IngestResult)
    run: StoredRun | None = None
    quotes: list[QuoteMatch] = field(default_factory=list)  # quotation check of each claim


def recover_full_text(truncated: str, sentences: Sequence[SentenceRow]) -> str | None:
    """The source sentence a cut claim is the beginning of, if exactly one matches.

    The last word of a cut claim may itself be cut, so it is dropped before matching.
    """
    words = normalise(truncated).split()
    if len(words) < 4:
        return None
    prefix = " ".join(words[:-1])
    matches = {s.text for s in sentences if normalise(s.text).startswith(prefix)}
    if len(matches) == 1:
        return matches.pop()
    if len(matches) > 1:  # the same sentence in abstract and body: take the longest
        return max(matches, key=len)
    # Reports sometimes drop the sentence's first words ("In this paper, ..."): look inside.
    inside = [s.text for s in sentences if prefix in normalise(s.text)]
    return max(inside, key=len) if inside else None


def quote_sources(papers: Sequence[Paper], sentences: dict[int, list[SentenceRow]]) -> list[Source]:
    """Every sentence of the papers as a candidate source, and each with the next one joined.

    Joined pairs catch a quotation of a sentence the PDF extraction split in two ("et al.").
    """
    out: list[Source] = []
    for paper in papers:
        rows = [s for s in sentences[paper.id] if s.section_kind != "title"]
        for i, s in enumerate(rows):
            out.append(Source(s.text, paper.arxiv_id, s.page, s.id, paper.id))
            if i + 1 < len(rows) and rows[i + 1].page == s.page:
                joined = f"{s.text} {rows[i + 1].text}"
                out.append(Source(joined, paper.arxiv_id, s.page, s.id, paper.id))
    return out


def quote_verdict(match: QuoteMatch, precision: dict | None) -> Verdict | None:
    """The verdict of a quoted or misquoted claim; None when NLI must decide.

    Its confidence is the rule's measured precision; without the measurements file the
    verdict is still given, at 0.5, and its reason says so.
    """
    if match.kind not in (QUOTED, MISQUOTE) or match.source is None:
        return None
    src = match.source
    where = f"{src.paper} p. {src.page}" if src.page is not None else src.paper
    p = precision.get(match.kind) if precision else None
    note = "" if p is not None else " (rule precision not measured: quote_rules.json missing)"
    p = 0.5 if p is None else float(p)
    if match.kind == QUOTED:
        verdict = SUPPORTED
        reason = f"quoted {'from' if match.diff else 'verbatim from'} {where}"
        if match.completed:
            reason += " (cut in the report; completed from the source)"
        if match.diff:
            reason += " with harmless edits: " + "; ".join(match.diff)
        scores = NliScores(entailment=p, neutral=0.0, contradiction=1.0 - p)
    else:
        verdict = REFUTED
        reason = f"misquote of {where} ({match.reason}): " + "; ".join(match.diff)
        scores = NliScores(entailment=1.0 - p, neutral=0.0, contradiction=p)
    passage = Passage(
        text=src.text,
        paper_id=src.paper_id,
        paper_key=src.paper,
        page=src.page,
        sentence_id=src.sentence_id,
    )
    # ``premise`` and ``tier`` arrive with the evidence tiers (issue 9, item 6); set them when
    # this ScoredEvidence has them.
    extra = {"premise": src.text, "tier": "quoted"}
    evidence = ScoredEvidence(
        passage=passage,
        raw=scores,
        scores=scores,
        similarity=match.similarity / 100.0,
        figures=FIGURES_DIFFER if "figure" in match.reasons else FIGURES_OK,
        cross_paper=False,
        **{k: v for k, v in extra.items() if k in _EVIDENCE_FIELDS},
    )
    return Verdict(verdict, p, reason + note, [evidence])


def obtain_papers(
    session: Session,
    settings: Settings,
    refs: Sequence[ReportReference],
    *,
    corpus: Path | None,
    progress: Progress = SILENT,
) -> tuple[list[Paper], list[MissingReference], IngestResult]:
    """The cited papers: stored ones as they are, the rest from the corpus or arXiv."""
    result = IngestResult(found=len(refs))
    papers: list[Paper] = []
    missing: list[MissingReference] = []
    wanted: list[ReportReference] = []
    for ref in refs:
        if not ref.arxiv_id:
            missing.append(MissingReference(ref, "the reference has no arXiv id"))
        elif (paper := find_paper(session, ref.arxiv_id)) is not None and paper.pdf_sha256:
            papers.append(paper)
        else:
            wanted.append(ref)
    if not wanted:
        return papers, missing, result
    if corpus is not None:
        by_id = {e.arxiv_id: e for e in scan_corpus(corpus) if e.arxiv_id}
        sources = []
        for ref in wanted:
            entry = by_id.get(ref.arxiv_id)
            if entry is None:
                missing.append(MissingReference(ref, f"not in the corpus folder {corpus}"))
            else:
                sources.append(IngestSource(entry.path, "corpus", entry.arxiv_id, entry.version))
    elif settings.offline or not arxiv_reachable(settings.retrieve.api_url):
        reason = "arXiv cannot be reached (offline); pass --corpus DIR with the PDFs"
        missing += [MissingReference(ref, reason) for ref in wanted]
        sources = []
    else:
        sources = _download(wanted, settings, result, missing, progress)
    ingest_sources(session, sources, settings, result, progress)
    for f in result.failures:
        ref = next((r for r in wanted if r.arxiv_id == f.name), None)
        if ref is not None:
            missing.append(MissingReference(ref, f.message))
    for arxiv_id in result.arxiv_ids:
        paper = find_paper(session, arxiv_id)
        if paper is not None and paper not in papers:
            papers.append(paper)
    return papers, missing, result


def _download(refs, settings, result, missing, progress) -> list[IngestSource]:
    try:
        metas = fetch_metadata(
            [f"{r.arxiv_id}v{r.version}" if r.version else r.arxiv_id for r in refs],
            settings=settings.retrieve,
        )
    except RetrieveError as exc:
        missing += [MissingReference(r, str(exc)) for r in refs]
        return []
    got = {m.arxiv_id for m in metas}
    missing += [
        MissingReference(r, "arXiv has no such paper") for r in refs if r.arxiv_id not in got
    ]
    return arxiv_sources(metas, settings, result, progress)


def audit_report(
    session: Session,
    settings: Settings,
    parsed: ParsedReport,
    *,
    corpus: Path | None = None,
    progress: Progress = SILENT,
) -> AuditResult:
    """Re-verify every claim of ``parsed`` against its cited papers and store the audit."""
    papers, missing, ingested = obtain_papers(
        session, settings, parsed.references, corpus=corpus, progress=progress
    )
    thresholds = Thresholds.of(settings.verify)
    sentences = paper_sentences(session, [p.id for p in papers])
    all_rows = [s for p in papers for s in sentences[p.id]]
    sources = quote_sources(papers, sentences)
    quotes = [match_quote(c.text, sources, truncated=c.truncated) for c in parsed.claims]
    full = [
        q.completed or (recover_full_text(c.text, all_rows) if c.truncated else None)
        for q, c in zip(quotes, parsed.claims, strict=True)
    ]
    texts = [f or c.text for f, c in zip(full, parsed.claims, strict=True)]
    if papers and parsed.claims:
        verdicts = quotes_then_nli(session, settings, quotes, texts, papers, sentences, progress)
    else:
        names = ", ".join(m.ref.arxiv_id or m.ref.url or "?" for m in missing) or "none listed"
        reason = (
            f"could not be checked: none of the report's references could be obtained ({names})"
        )
        verdicts = [Verdict(NOT_ENOUGH_INFO, 1.0, reason, []) for _ in texts]
        quotes = [QuoteMatch(NONE) for _ in texts]
    result = AuditResult(
        parsed, papers, missing, full, verdicts, settings.nli_model, thresholds, ingested
    )
    result.quotes = quotes
    result.run = _store(session, result, texts, settings)
    return result


def quotes_then_nli(
    session: Session,
    settings: Settings,
    quotes: Sequence[QuoteMatch],
    texts: Sequence[str],
    papers: Sequence[Paper],
    sentences: dict[int, list[SentenceRow]],
    progress: Progress = SILENT,
) -> list[Verdict]:
    """Each claim's verdict: the quotation check's when it decides (quoted or misquoted),
    else the NLI verification of ``texts[i]`` against the papers (audits and their reverify)."""
    precision = rule_precision()
    decided = [quote_verdict(q, precision) for q in quotes]
    rest = [i for i, v in enumerate(decided) if v is None]
    if rest:
        to_check = [ClaimToCheck(texts[i], None) for i in rest]
        passages = passages_of(papers, sentences)
        checked = verify_against(session, to_check, passages, settings, progress)
        for i, v in zip(rest, checked, strict=True):
            decided[i] = v
    return [v for v in decided if v is not None]


def disagrees(mark: bool | None, verdict: str) -> bool | None:
    """Whether the report's mark and synth's verdict disagree (None when there is no mark)."""
    if mark is None:
        return None
    return mark != (verdict == SUPPORTED)


def _store(session: Session, result: AuditResult, texts: list[str], settings) -> StoredRun:
    from synth.audit.summary import summarise

    records = [
        ClaimRecord(text=t, original=c.text, kind="audited")
        for t, c in zip(texts, result.parsed.claims, strict=True)
    ]
    return save_run(
        session,
        kind="audit",
        question=result.parsed.question or result.parsed.title or result.parsed.path,
        model=result.model,
        settings=settings.model_dump(mode="json"),
        stats=summarise(result),
        papers=[(p.id, 1.0) for p in result.papers],
        claims=records,
        verdicts=result.verdicts,
        thresholds=result.thresholds,
    )
