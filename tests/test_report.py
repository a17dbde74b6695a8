"""The main job on the real shared PDFs: claims, non-circular verdicts, seed-style reports."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace

import pytest
from sqlmodel import Session, select

from synth.embed import embed
from synth.figures import has_figures
from synth.figures import parse as parse_figures
from synth.report import build_view, render
from synth.report.stored import load_view
from synth.store.models import Claim, Evidence, Run, Sentence, Verification
from synth.verify.check import ClaimToCheck, verify_claims
from synth.verify.decision import MIN_EVIDENCE, refute_strength, support_strength
from synth.verify.evidence import normalise
from synth.verify.model import load_verifier
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, Thresholds

pytestmark = pytest.mark.slow

SEED_HEADINGS = [
    "Abstract",
    "1 Introduction",
    "2 Methodology",
    "3 Results",
    "4 Limitations",
    "5 Extracted Claims",
    "References",
]


def test_claims_are_whole_sentences_of_their_papers(report_run):
    _settings, engine, result = report_run
    assert len(result.papers) == 5 and len(result.claims) >= 15
    with Session(engine) as session:
        for claim, paper in result.claims:
            stored = session.get(Sentence, claim.sentence.id)
            assert stored.paper_id == paper.id and stored.text == claim.original
            assert claim.original[0].isupper() and claim.original.endswith((".", "!"))


def test_no_evidence_is_its_own_claim(report_run):
    _, _, result = report_run
    for (claim, _), verdict in zip(result.claims, result.verdicts, strict=True):
        assert verdict.evidence, claim.text
        for e in verdict.evidence:
            assert e.passage.sentence_id != claim.sentence.id
            assert normalise(e.passage.text) != normalise(claim.original)


def test_a_listed_restatement_is_never_support(report_run):
    """A sentence the report lists under "also stated in" is not also shown as the claim's
    support: extraction judged it the same finding, so it shows nothing new."""
    _, _, result = report_run
    listed = 0
    for (claim, _), verdict in zip(result.claims, result.verdicts, strict=True):
        restated = {r.sentence_id for r in claim.restatements}
        for e in verdict.evidence:
            if e.passage.sentence_id in restated:
                listed += 1
                assert e.tier == "restatement", (claim.text, e.passage.text)
    assert listed  # the papers do restate some claims among their evidence candidates


def test_verdict_and_confidence_agree(report_run):
    _, _, result = report_run
    seen = {v.verdict for v in result.verdicts}
    assert SUPPORTED in seen  # the papers do back some of their own claims
    for v in result.verdicts:
        # The confidence is the calibrated probability that the verdict is right; a decided
        # verdict rests on evidence that says so, shown first (never a restatement).
        assert 0.0 < v.confidence <= 1.0
        if v.verdict == SUPPORTED:
            assert v.evidence[0].tier != "restatement"
            assert support_strength(v.evidence[0]) >= MIN_EVIDENCE
        if v.verdict == REFUTED:
            assert refute_strength(v.evidence[0]) >= MIN_EVIDENCE


def test_evidence_is_listed_with_what_it_shows_for_the_verdict(report_run):
    """A supported claim's evidence is listed with its P(entailment), a refuted one's with its
    P(contradiction), as the verdict counted it (with the neighbouring sentences when they gave
    the higher score), never with the sentence's own top label: "SUPPORTED 0.70" beside
    "neutral 0.56" reads as a contradiction. The stored run renders the same."""
    settings, engine, result = report_run
    view = build_view(result, settings)
    with Session(engine) as session:
        stored = load_view(session, result.run.run_id, settings)
    windows = 0
    for claim, again, verdict in zip(view.claims, stored.claims, result.verdicts, strict=True):
        assert [(e.label, e.score, e.with_neighbours) for e in claim.evidence] == [
            (e.label, e.score, e.with_neighbours) for e in again.evidence
        ]
        if verdict.verdict not in (SUPPORTED, REFUTED) or not claim.evidence:
            continue
        first, best = claim.evidence[0], verdict.evidence[0]
        if verdict.verdict == SUPPORTED:
            alone = best.scores.entailment
            window = best.window.entailment if best.window and best.figures == "ok" else 0.0
            assert first.label == "entailment"
        else:
            alone = best.refute_prob
            window = (best.window.contradiction or 0.0) if best.window else 0.0
            assert first.label == "contradiction"
        assert first.score == round(max(alone, window), 2)
        assert first.with_neighbours == (window > alone)
        windows += first.with_neighbours
    text = render(view, "markdown")
    assert ("read with its neighbouring sentences" in text) == bool(windows)


def _change_first_number(text: str) -> str:
    """The claim with its first figure (as synth reads figures: not a year, name or pointer)
    changed."""
    first = parse_figures(text)[0]
    m = re.search(r"\d+(?:\.\d+)?", text[first.start : first.end])
    start, end = first.start + m.start(), first.start + m.end()
    value = m.group(0)
    changed = f"{float(value) + 7.3:.1f}" if "." in value else str(int(value) + 7)
    return text[:start] + changed + text[end:]


def test_changed_numbers_are_never_supported(report_run):
    settings, engine, result = report_run
    numeric = [(c, p) for c, p in result.claims if has_figures(c.text)]
    assert numeric, "the run should extract claims with figures"
    changed = [_change_first_number(c.text) for c, _ in numeric]
    with Session(engine) as session:
        from synth.pipeline import passages_of
        from synth.store.papers import paper_sentences

        sentences = paper_sentences(session, [p.id for p in result.papers])
    passages = passages_of(result.papers, sentences)
    verdicts = verify_claims(
        [
            ClaimToCheck(t, p.arxiv_id, c.sentence.id, c.original)
            for t, (c, p) in zip(changed, numeric, strict=True)
        ],
        embed(changed),
        passages,
        embed([p.nli_text for p in passages]),
        load_verifier(settings.nli_model),
        thresholds=Thresholds(settings.verify.support_threshold, settings.verify.refute_threshold),
        candidates=settings.verify.candidates,
    )
    assert all(v.verdict in (REFUTED, NOT_ENOUGH_INFO) for v in verdicts)


def test_run_is_stored_with_claims_verdicts_and_evidence(report_run):
    _, engine, result = report_run
    with Session(engine) as session:
        run = session.get(Run, result.run.run_id)
        assert run.kind == "report" and run.stats["claims"] == len(result.claims)
        claims = session.exec(select(Claim).where(Claim.run_id == run.id)).all()
        assert len(claims) == len(result.claims)
        for claim in claims:
            (v,) = session.exec(select(Verification).where(Verification.claim_id == claim.id))
            ev = session.exec(select(Evidence).where(Evidence.verification_id == v.id)).all()
            assert ev and all(e.text for e in ev)


def test_restatements_are_stored_and_shown_never_as_evidence(report_run):
    settings, engine, result = report_run
    restated = [(c, p) for c, p in result.claims if c.restatements]
    assert restated, "the 5 papers state some finding twice (abstract and conclusion)"
    with Session(engine) as session:
        stored = {
            c.sentence_id: c
            for c in session.exec(select(Claim).where(Claim.run_id == result.run.run_id))
        }
        for claim, paper in restated:
            rows = stored[claim.sentence.id].restatements
            assert [r["sentence_id"] for r in rows] == [r.sentence_id for r in claim.restatements]
            for row in rows:
                sentence = session.get(Sentence, row["sentence_id"])
                assert sentence.paper_id == paper.id and sentence.text == row["text"]
                assert row["sentence_id"] != claim.sentence.id
        stored_view = load_view(session, result.run.run_id, settings)
    view = build_view(result, settings)
    assert [c.restatements for c in stored_view.claims] == [c.restatements for c in view.claims]
    doc = json.loads(render(view, "json"))
    for c, (claim, _) in zip(doc["claims"], result.claims, strict=True):
        assert [r["text"] for r in c["restatements"]] == [r.text for r in claim.restatements]
    text = render(view, "text")
    assert text.count("Also stated in:") == len(restated)


def test_text_report_has_seed_layout_full_claims_and_references(report_run):
    settings, _, result = report_run
    view = build_view(result, settings)
    text = render(view, "text")
    lines = [line.strip() for line in text.splitlines()]
    positions = [lines.index(h) for h in SEED_HEADINGS]
    assert positions == sorted(positions)
    flat = " ".join(text.split())
    for c in view.claims:
        assert " ".join(c.text.split()) in flat  # never cut
    cited = {c.ref for c in view.claims} | {e.ref for c in view.claims for e in c.evidence}
    for ref in view.references:
        assert f"[{ref.number}] " in text and f"https://arxiv.org/abs/{ref.arxiv_id}" in text
    assert cited <= {r.number for r in view.references}
    assert "quality score" not in text.lower()
    assert f"{view.stats['claims']} claims" in text


def test_markdown_and_json_reports(report_run):
    settings, _, result = report_run
    view = build_view(result, settings)
    md = render(view, "markdown")
    assert md.startswith("# ") and "## 5 Extracted Claims" in md and "## References" in md
    doc = json.loads(render(view, "json"))
    assert set(doc) >= {"question", "papers", "claims", "stats"}
    assert {"arxiv_id", "title", "authors", "year"} <= set(doc["papers"][0])
    claim = doc["claims"][0]
    assert {"text", "paper", "section", "page", "verdict", "confidence", "evidence"} <= set(claim)
    assert {"text", "paper", "page", "label", "score"} <= set(claim["evidence"][0])


def test_html_escapes_markup_from_paper_text(report_run, corpus_db):
    settings, engine, result = report_run
    with Session(engine) as session:
        sentence = session.exec(select(Sentence).where(Sentence.text.contains("<"))).first()
    assert sentence is not None
    view = build_view(result, settings)
    view.claims[0] = replace(view.claims[0], text=sentence.text + " <script>x</script>")
    page = render(view, "html")
    assert "<script>x</script>" not in page
    assert html.escape(sentence.text, quote=False) in page.replace("&#34;", '"')


def test_a_place_holding_several_restatements_is_named_once_with_their_count():
    from synth.report.context import RestatementView, places_text

    rows = [
        RestatementView("A.", "Abstract", 1),
        RestatementView("B.", "6 Conclusion", 6),
        RestatementView("C.", "Abstract", 1),
        RestatementView("D.", "", None),
    ]
    assert places_text(rows) == "Abstract p. 1 (2 sentences); 6 Conclusion p. 6; unknown section"
