"""Human labels of claims and agreement: model vs model, model vs human (Cohen's kappa).

Labels are kept, never overwritten: the newest label of a claim is its current one, and each
model's newest verdict is the one compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from synth.errors import NotFoundError
from synth.query import normalise_verdict, unindexed
from synth.store.models import Claim, HumanLabel, Verification


def latest_labels(session: Session, claim_ids: list[int]) -> dict[int, str]:
    """The newest human label of each of ``claim_ids`` that has one."""
    if not claim_ids:
        return {}
    newest = (
        select(func.max(HumanLabel.id))
        .where(HumanLabel.claim_id.in_(claim_ids))
        .group_by(HumanLabel.claim_id)
    )
    rows = session.exec(
        select(HumanLabel.claim_id, HumanLabel.label).where(HumanLabel.id.in_(newest))
    ).all()
    return dict(rows)


def add_label(session: Session, claim_id: int, label: str, note: str = "") -> HumanLabel:
    """Record a human judgement of a claim, with the time; earlier labels are kept."""
    if session.get(Claim, claim_id) is None:
        raise NotFoundError(kind="claim", id=claim_id)
    row = HumanLabel(claim_id=claim_id, label=normalise_verdict(label), note=note)
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def cohen_kappa(confusion: Mapping[tuple[str, str], int]) -> float | None:
    """Cohen's kappa from counts of (label of rater a, label of rater b) pairs.

    None when it is undefined: fewer than two items, or a single label used by both raters.

    >>> cohen_kappa({("SUPPORTED", "SUPPORTED"): 3, ("REFUTED", "REFUTED"): 1,
    ...              ("SUPPORTED", "REFUTED"): 1})
    0.5455
    """
    n = sum(confusion.values())
    labels = {label for pair, count in confusion.items() if count for label in pair}
    if n < 2 or len(labels) < 2:
        return None
    a, b = Counter(), Counter()
    for (x, y), count in confusion.items():
        a[x] += count
        b[y] += count
    observed = sum(count for (x, y), count in confusion.items() if x == y) / n
    expected = sum(a[k] * b[k] for k in labels) / (n * n)
    return round((observed - expected) / (1 - expected), 4)


def _compare(confusion: Mapping[tuple[str, str], int]) -> dict:
    n = sum(confusion.values())
    agree = sum(count for (x, y), count in confusion.items() if x == y)
    return {
        "n": n,
        "agree": agree,
        "accuracy": round(agree / n, 4) if n else None,
        "kappa": cohen_kappa(confusion),
    }


def _newest_of_its_model(v):
    """Correlated subquery: id of the newest verification by ``v``'s model of ``v``'s claim."""
    x = aliased(Verification)
    return (
        select(func.max(x.id))
        .where(x.claim_id == v.claim_id, unindexed(x.model) == v.model)
        .correlate(v)
        .scalar_subquery()
    )


def _in_run(q, claim_id, run: int | None):
    if run is None:
        return q
    return q.join(Claim, Claim.id == claim_id).where(Claim.run_id == run)


def agreement(session: Session, run: int | None = None) -> dict:
    """Model-vs-model and model-vs-human agreement over the claims both have judged.

    Each model's newest verdict of a claim and the newest human label count. Pairs are counted
    in the database, so only the confusion counts reach Python.

    Example:
        >>> agreement(session)["model_vs_model"]  # doctest: +SKIP
        [{'a': 'model-a', 'b': 'model-b', 'n': 10, 'agree': 7, 'accuracy': 0.7, 'kappa': 0.5455}]
    """
    a, b = aliased(Verification, name="a"), aliased(Verification, name="b")
    pairs = (
        select(a.model, b.model, a.verdict, b.verdict, func.count())
        .join(b, (b.claim_id == a.claim_id) & (a.model < b.model))
        .where(a.id == _newest_of_its_model(a), b.id == _newest_of_its_model(b))
        .group_by(a.model, b.model, a.verdict, b.verdict)
    )
    by_pair: dict[tuple[str, str], Counter] = {}
    for m1, m2, v1, v2, count in session.execute(_in_run(pairs, a.claim_id, run)):
        by_pair.setdefault((m1, m2), Counter())[v1, v2] = count

    v = aliased(Verification, name="v")
    newest_labels = select(func.max(HumanLabel.id)).group_by(HumanLabel.claim_id)
    vs_human = (
        select(v.model, HumanLabel.label, v.verdict, func.count())
        .join(v, v.claim_id == HumanLabel.claim_id)
        .where(HumanLabel.id.in_(newest_labels), v.id == _newest_of_its_model(v))
        .group_by(v.model, HumanLabel.label, v.verdict)
    )
    by_model: dict[str, Counter] = {}
    for model, label, verdict, count in session.execute(
        _in_run(vs_human, HumanLabel.claim_id, run)
    ):
        by_model.setdefault(model, Counter())[label, verdict] = count

    models = select(Verification.model).distinct()
    labelled = select(func.count(HumanLabel.claim_id.distinct()))
    return {
        "models": sorted(session.execute(_in_run(models, Verification.claim_id, run)).scalars()),
        "human_labels": session.execute(_in_run(labelled, HumanLabel.claim_id, run)).scalar_one(),
        "model_vs_model": [
            {"a": m1, "b": m2, **_compare(by_pair[m1, m2])} for m1, m2 in sorted(by_pair)
        ],
        "model_vs_human": [{"model": m, **_compare(by_model[m])} for m in sorted(by_model)],
    }
