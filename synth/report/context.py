"""Everything a report shows, computed in Python so templates only present it.

Every number in a report is measured in the run (papers found, downloaded, parsed, failed;
claims by verdict); nothing is estimated or scored by hand. Each claim carries its verdict, a
confidence that is the probability of that verdict, and its best evidence with reference
number and page. Every paper used gets a numbered reference with title, authors, year and link.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np

from synth import __version__
from synth.claims import quotable
from synth.embed import embed
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, Verdict

LABEL_NAMES = {SUPPORTED: "supported", REFUTED: "refuted", NOT_ENOUGH_INFO: "not enough info"}


@dataclass(frozen=True)
class Reference:
    number: int
    arxiv_id: str
    version: int | None
    title: str
    authors: list[str]
    year: int | None

    @property
    def url(self) -> str:
        if self.arxiv_id.startswith("local:"):
            return ""
        suffix = f"v{self.version}" if self.version else ""
        return f"https://arxiv.org/abs/{self.arxiv_id}{suffix}"

    @property
    def author_line(self) -> str:
        if not self.authors:
            return "Unknown authors"
        if len(self.authors) > 3:
            return f"{self.authors[0]} et al."
        return ", ".join(self.authors)


@dataclass(frozen=True)
class EvidenceView:
    text: str
    ref: int | None
    arxiv_id: str
    page: int | None
    label: str
    score: float
    cross_paper: bool
    tier: str = ""  # see synth.verify.tiers
    premise: str = ""  # exactly what the NLI model read
    with_neighbours: bool = False  # the score is of the sentence read with its neighbours

    @property
    def tier_name(self) -> str:
        return TIER_NAMES.get(self.tier, self.tier.replace("_", " "))


TIER_NAMES = {
    "quoted": "quoted source",
    "restatement": "restatement in the same paper (not support)",
    "citation": "citation of other work",
    "body": "body of the same paper",
    "same_paper": "same paper",
    "cross_paper": "another paper",
    "source": "cited source",
}


@dataclass(frozen=True)
class RestatementView:
    """Another place where the claim's paper states the same finding (not evidence)."""

    text: str
    section: str
    page: int | None

    @classmethod
    def of(cls, row: dict) -> RestatementView:
        return cls(str(row.get("text", "")), str(row.get("section") or ""), row.get("page"))


@dataclass(frozen=True)
class ClaimView:
    number: int
    text: str
    original: str
    ref: int
    arxiv_id: str
    section: str
    page: int | None
    kind: str
    verdict: str
    confidence: float
    reason: str
    evidence: list[EvidenceView]
    restatements: list[RestatementView] = field(default_factory=list)

    @property
    def verdict_name(self) -> str:
        return LABEL_NAMES[self.verdict]

    @property
    def decontextualised(self) -> bool:
        return self.text != self.original

    @property
    def restated_in(self) -> str:
        """Where else the paper states the finding (see :func:`places_text`)."""
        return places_text(self.restatements)


def places_text(restatements: Sequence[RestatementView]) -> str:
    """Where else the paper states a finding, each place once, in reading order, with how many
    sentences it holds when more than one: "Introduction p. 1; 6 Conclusion p. 9 (2 sentences)".
    Two sentences of one section and page would otherwise read as the same place twice."""
    counts: dict[str, int] = {}
    for r in restatements:
        place = f"{r.section or 'unknown section'}" + (f" p. {r.page}" if r.page else "")
        counts[place] = counts.get(place, 0) + 1
    return "; ".join(p + (f" ({n} sentences)" if n > 1 else "") for p, n in counts.items())


@dataclass
class ReportView:
    title: str
    author: str
    date: str
    question: str
    abstract: str
    introduction: list[str]
    methodology: list[str]
    results: list[str]
    limitations: list[str]
    claims: list[ClaimView]
    references: list[Reference]
    stats: dict
    run_id: int | None = None
    extra: dict = field(default_factory=dict)


def references_for(papers) -> list[Reference]:
    return [
        Reference(i, p.arxiv_id, p.version, p.title, list(p.authors), p.year)
        for i, p in enumerate(papers, start=1)
    ]


def claim_views(result, refs: dict[str, int], evidence_per_claim: int = 2) -> list[ClaimView]:
    views = []
    for n, ((claim, paper), verdict) in enumerate(
        zip(result.claims, result.verdicts, strict=True), start=1
    ):
        views.append(
            ClaimView(
                number=n,
                text=claim.text,
                original=claim.original,
                ref=refs[paper.arxiv_id],
                arxiv_id=paper.arxiv_id,
                section=claim.sentence.section or claim.sentence.section_kind,
                page=claim.sentence.page,
                kind=claim.kind,
                verdict=verdict.verdict,
                confidence=round(verdict.confidence, 2),
                reason=verdict.reason,
                evidence=evidence_views(verdict, refs, evidence_per_claim),
                restatements=[
                    RestatementView(r.text, r.section or "", r.page) for r in claim.restatements
                ],
            )
        )
    return views


def evidence_views(verdict: Verdict, refs: dict[str, int], limit: int) -> list[EvidenceView]:
    """The best ``limit`` evidence sentences, each labelled by what it shows for the verdict."""
    views = []
    for e in verdict.evidence[:limit]:
        label, prob, with_neighbours = e.shown_for(verdict.verdict)
        views.append(
            EvidenceView(
                text=e.passage.text,
                ref=refs.get(e.passage.paper_key),
                arxiv_id=e.passage.paper_key,
                page=e.passage.page,
                label=label,
                score=round(prob, 2),
                cross_paper=e.cross_paper,
                tier=e.tier,
                premise=e.premise,
                with_neighbours=with_neighbours,
            )
        )
    return views


EmbedFn = Callable[[Sequence[str]], np.ndarray]


def summary_claims(
    claims: list[ClaimView], question: str, limit: int, embed_fn: EmbedFn = embed
) -> list[ClaimView]:
    """The strongest supported findings that answer the question, one per paper first.

    ``embed_fn`` embeds texts; a stored run passes the database's embedding cache, which
    already holds its claims, so re-rendering it needs no model.
    """
    # Findings only: a supported method description or contribution list is no answer.
    supported = [c for c in claims if c.verdict == SUPPORTED and quotable(c.text, c.kind)]
    if not supported:
        return []
    vectors = embed_fn([question, *[c.text for c in supported]])
    relevance = vectors[1:] @ vectors[0]
    score = np.array([c.confidence for c in supported]) * 0.5 + relevance
    order = [supported[i] for i in np.argsort(-score)]
    picked: list[ClaimView] = []
    for c in order:  # one per paper first, then the rest
        if c.ref not in {p.ref for p in picked}:
            picked.append(c)
    picked += [c for c in order if c not in picked]
    return picked[:limit]


def abstract_text(
    question: str, stats: dict, claims: list[ClaimView], limit: int, embed_fn: EmbedFn = embed
) -> str:
    by = stats["claims_by_verdict"]
    parts = [
        f"This report asks: {question.strip()} "
        f"Of {stats['papers_found']} candidate papers, the {stats['papers_read']} most relevant "
        f"were read in full and {stats['claims']} claims were extracted from them. Checked "
        f"against the other passages of these papers, {by[SUPPORTED]} claims are supported, "
        f"{by[REFUTED]} refuted and {by[NOT_ENOUGH_INFO]} could not be decided."
    ]
    best = summary_claims(claims, question, limit, embed_fn)
    if best:
        parts.append("The strongest supported findings:")
        parts += [f"{c.text.rstrip('.')} [{c.ref}]." for c in best]
    else:
        parts.append("No claim was supported strongly enough to be summarised here.")
    return " ".join(parts)


def methodology_text(stats: dict, settings) -> list[str]:
    where = (
        f"arXiv was searched with the query {stats['query']!r}"
        if stats.get("query")
        else "a local folder of PDFs stood in for arXiv"
    )
    return [
        f"Search: {where}; {stats['papers_found']} candidate papers were found and ranked by the "
        "similarity of their title and abstract to the question (all-MiniLM-L6-v2 embeddings).",
        f"Reading: the top {stats['papers_read']} papers were read in full with pypdf "
        f"({stats['papers_downloaded']} downloaded, {stats['papers_parsed']} parsed in this run, "
        f"{stats['papers_already_stored']} already stored from the same file, "
        f"{stats['papers_failed']} failed).",
        "Claims: the sentences that a classifier fitted on hand-labelled paper sentences reads "
        "as the paper's own findings, results or contributions (not method details, background, "
        "pointers, table or caption text), each finding once with its restatements listed; at "
        f"most {settings.claims.max_per_paper} per paper, complete sentences.",
        f"Verification: each claim was checked with the NLI cross-encoder {stats['model']} "
        f"against the {settings.verify.candidates} most similar sentences of the run's papers "
        "(each also read with its neighbouring sentences), never against the sentence it came "
        "from or a copy of it, in any premise. " + decision_text(stats),
    ]


def decision_text(stats: dict) -> str:
    """How verdicts were decided, with the figures measured for this model (never typed)."""
    measured = stats.get("decision_eval")
    if not measured:
        th = stats["thresholds"]
        return (
            f"A claim is supported when P(entailment) >= {th['support']}, refuted when "
            f"P(contradiction) >= {th['refute']}, otherwise not enough info (threshold rule: "
            "no decision has been fitted for this model, so confidences are not calibrated)."
        )
    return (
        "The verdict is decided from all of a claim's evidence (best and second-best scores, "
        "windows, figure checks, similarity, subject overlap, tiers) by a model fitted on "
        f"development claims; the confidence is calibrated (ECE {measured['ece']:.2f} on "
        f"{measured['n']} held-out claims). A restatement of the claim in its own paper is shown "
        "but never counts as support; contradiction needs evidence about the same subject."
    )


def per_paper(claims: list[ClaimView], refs: list[Reference]) -> list[str]:
    """One line per paper: how many of its claims each verdict got."""
    lines = []
    for ref in refs:
        mine = [c for c in claims if c.ref == ref.number]
        counts = {v: sum(c.verdict == v for c in mine) for v in LABEL_NAMES}
        detail = ", ".join(f"{n} {LABEL_NAMES[v]}" for v, n in counts.items())
        lines.append(
            f"[{ref.number}] {ref.author_line} ({ref.year or 'n.d.'}): "
            f"{len(mine)} claims ({detail})."
        )
    return lines


def results_text(stats: dict, claims: list[ClaimView], refs: list[Reference]) -> list[str]:
    by, cross = stats["claims_by_verdict"], stats["claims_cross_paper"]
    lines = [
        f"{stats['papers_read']} paper{'' if stats['papers_read'] == 1 else 's'} read; "
        f"{stats['claims']} claims extracted: "
        f"{by[SUPPORTED]} supported, {by[REFUTED]} refuted, {by[NOT_ENOUGH_INFO]} not enough info.",
        f"{cross} {'verdict rests' if cross == 1 else 'verdicts rest'} on evidence from another "
        "paper than the claim's own (cross-paper corroboration or contradiction).",
        *per_paper(claims, refs),
    ]
    if stats["failures"]:
        names = ", ".join(f["paper"] for f in stats["failures"])
        lines.append(f"Papers that could not be read: {names}.")
    return lines


def limitations_text(stats: dict) -> list[str]:
    lines = [
        "Claims and verdicts are produced automatically; read the quoted evidence before "
        "relying on a verdict. Evidence comes only from the papers read in this run, so "
        "'not enough info' means these papers do not settle the claim, not that it is false.",
        "The verifier sees one evidence sentence at a time: claims that need several sentences, "
        "a table or a figure to be confirmed tend to come out as not enough info.",
        "Text is extracted from PDFs: equations, tables and unusual layouts can garble sentences.",
    ]
    if stats["papers_failed"]:
        lines.append(f"{stats['papers_failed']} papers could not be read and are not covered.")
    measured = stats.get("decision_eval")
    if measured:
        per = measured["per_verdict"]
        rates = ", ".join(
            f"{LABEL_NAMES[v]} {per[v]['precision']:.0%}" for v in LABEL_NAMES if v in per
        )
        lines.append(  # "what" starts with the count: "1203 development claims (...)"
            f"This verifier's verdicts were right this often: {rates} (precision per verdict, "
            f"measured by training/fit_decision.py on {measured['what']})."
        )
    return lines


def build_view(result, settings) -> ReportView:
    """The report of a pipeline run (:class:`synth.pipeline.RunResult`)."""
    from synth.pipeline import run_stats

    refs = references_for(result.papers)
    numbers = {r.arxiv_id: r.number for r in refs}
    return assemble_view(
        question=result.question,
        stats=run_stats(result),
        claims=claim_views(result, numbers),
        refs=refs,
        settings=settings,
        day=report_day(result.run),
        run_id=result.run.run_id if result.run else None,
    )


def report_day(run) -> date:
    """The day a report is dated: its run's (UTC, as stored), so a report rebuilt from the
    database later, or just after midnight, carries the same date; today for an unstored run."""
    if run is not None and run.created_at is not None:
        return run.created_at.date()
    return datetime.now(UTC).date()


def assemble_view(
    *,
    question: str,
    stats: dict,
    claims: list[ClaimView],
    refs: list[Reference],
    settings,
    day: date,
    run_id: int | None,
    embed_fn: EmbedFn = embed,
) -> ReportView:
    """A report from its parts: shared by a fresh run and a run read back from the database."""
    title = question.strip().rstrip("?").strip()
    return ReportView(
        title=f"{title[:1].upper()}{title[1:]}: a verified synthesis of {len(refs)} papers",
        author=f"synth {__version__}, automated literature synthesis",
        date=day.strftime("%B %-d, %Y"),
        question=question.strip(),
        abstract=abstract_text(question, stats, claims, settings.report.summary_claims, embed_fn),
        introduction=[
            f"Research question: {question.strip()}",
            "This report gathers what the most relevant papers claim on this question and "
            "checks each claim against the text of the papers, so that every statement below "
            "can be traced to a sentence and a page.",
        ],
        methodology=methodology_text(stats, settings),
        results=results_text(stats, claims, refs),
        limitations=limitations_text(stats),
        claims=claims,
        references=refs,
        stats=stats,
        run_id=run_id,
    )
