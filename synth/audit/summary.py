"""What an audit found, as plain data: per-claim rows, the summary, and the JSON document.

A claim none of whose cited papers could be obtained was not checked: its row says so
(``checked: false``) and it counts neither for nor against agreement with the report's marks.
"""

from __future__ import annotations

from synth.verify.quote import MISQUOTE, MISQUOTE_KINDS, NONE
from synth.verify.verdict import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, VERDICTS


def evidence_json(verdict, refs: dict[str, int], limit: int = 2) -> list[dict]:
    """The best ``limit`` evidence sentences, each labelled by what it shows for the verdict."""
    rows = []
    for e in verdict.evidence[:limit]:
        label, prob, with_neighbours = e.shown_for(verdict.verdict)
        rows.append(
            {
                "text": e.passage.text,
                "paper": e.passage.paper_key,
                "ref": refs.get(e.passage.paper_key),
                "page": e.passage.page,
                "label": label,
                "score": round(prob, 2),
                "with_neighbours": with_neighbours,
                "tier": getattr(e, "tier", "") or None,
                "premise": getattr(e, "premise", "") or e.passage.text,
            }
        )
    return rows


def quote_json(match) -> dict:
    """What the quotation check found: the source sentence and the word-level changes."""
    source = match.source
    return {
        "kind": match.kind,
        "source": source.text if source else None,
        "paper": source.paper if source else None,
        "page": source.page if source else None,
        "diff": list(match.diff),
        "misquote": list(match.reasons) if match.kind == MISQUOTE else [],
        "similarity": round(match.similarity / 100, 2),
    }


def claim_rows(result) -> list[dict]:
    """One row per audited claim: what the report says beside what synth finds."""
    from synth.audit.check import disagrees
    from synth.verify.quote import QuoteMatch

    refs = {r.arxiv_id: r.index for r in result.parsed.references if r.arxiv_id}
    quotes = result.quotes or [QuoteMatch(NONE) for _ in result.verdicts]
    checked = bool(result.papers)
    rows = []
    for claim, full, verdict, quote in zip(
        result.parsed.claims, result.full_texts, result.verdicts, quotes, strict=True
    ):
        rows.append(
            {
                "index": claim.index,
                "text": claim.text,
                "full_text": full or claim.text,
                "truncated": claim.truncated,
                "recovered": full is not None,
                "report_mark": claim.mark,
                "report_confidence": claim.confidence,
                "report_verdict": claim.verdict,
                "verdict": verdict.verdict,
                "confidence": round(verdict.confidence, 2),
                "reason": verdict.reason,
                "disagrees": disagrees(claim.mark, verdict.verdict) if checked else None,
                "evidence": evidence_json(verdict, refs),
                "checked": checked,
                "quote": quote_json(quote),
            }
        )
    return rows


def summarise(result) -> dict:
    """Agreement, the claims the report gets wrong, and stated against listed counts."""
    rows = claim_rows(result)
    checked = [r for r in rows if r["checked"]]
    marked = [r for r in checked if r["report_mark"] is not None]
    agree = [r for r in marked if not r["disagrees"]]
    by = {v: sum(r["verdict"] == v for r in rows) for v in VERDICTS}
    stated = result.parsed.stated
    listed_verified = sum(1 for r in rows if r["report_mark"])
    return {
        "claims": len(rows),
        "claims_by_verdict": by,
        "marked": len(marked),
        "agreement": len(agree),
        "agreement_rate": round(len(agree) / len(marked), 3) if marked else None,
        # claims nothing could check are "unchecked", never "unsupported"
        "marked_verified_but_refuted": [
            r["index"] for r in checked if r["report_mark"] and r["verdict"] == REFUTED
        ],
        "marked_verified_but_unsupported": [
            r["index"] for r in checked if r["report_mark"] and r["verdict"] == NOT_ENOUGH_INFO
        ],
        "marked_unverified_but_supported": [
            r["index"] for r in checked if r["report_mark"] is False and r["verdict"] == SUPPORTED
        ],
        "unchecked": sum(not r["checked"] for r in rows),
        "misquotes": [r["index"] for r in rows if r["quote"]["kind"] == MISQUOTE],
        "misquotes_by_kind": {
            kind: sum(kind in r["quote"]["misquote"] for r in rows) for kind in MISQUOTE_KINDS
        },
        "quoted": [r["index"] for r in rows if r["quote"]["kind"] == "quoted"],
        "truncated": sum(r["truncated"] for r in rows),
        "truncated_recovered": sum(r["recovered"] for r in rows),
        "references": len(result.parsed.references),
        "references_obtained": len(result.papers),
        "references_missing": [
            {
                "reference": m.ref.url or m.ref.arxiv_id,
                "arxiv_id": m.ref.arxiv_id,
                "reason": m.reason,
            }
            for m in result.missing
        ],
        "stated_vs_listed": {
            "papers_retrieved": {
                "stated": stated.papers_retrieved,
                "listed": len(result.parsed.references),
            },
            "claims_extracted": {"stated": stated.claims_extracted, "listed": len(rows)},
            "claims_verified": {"stated": stated.claims_verified, "listed": listed_verified},
            "quality_score": {"stated": stated.quality_score, "listed": None},
        },
        "model": result.model,
        "thresholds": result.thresholds.as_dict(),
    }


def audit_json(result) -> dict:
    """The stable JSON document of an audit (documented in the README)."""
    return {
        "report": result.parsed.path,
        "layout": result.parsed.layout,
        "title": result.parsed.title,
        "run_id": result.run.run_id if result.run else None,
        "references": [
            {
                "index": r.index,
                "url": r.url,
                "arxiv_id": r.arxiv_id,
                "version": r.version,
                "obtained": any(p.arxiv_id == r.arxiv_id for p in result.papers),
            }
            for r in result.parsed.references
        ],
        "claims": claim_rows(result),
        "summary": summarise(result),
    }
