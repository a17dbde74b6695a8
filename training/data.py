"""Build the training and development splits for synth's NLI cross-encoder.

Reads the datasets in ``../shared/data/nli`` (see its MANIFEST.md), harmonises their labels to
``entailment | neutral | contradiction`` (3-way sets) or ``entailment | not_entailment`` (2-way
sets), and writes JSON-lines files ``{"premise", "hypothesis", "label", "source"}``.

Held out from training, so every number we report is on pairs the model never saw:
- ``dev_snli``: 1,500 SNLI dev pairs (the SNLI test split is withheld by the project).
- ``dev_scifact``: SciFact-style pairs built from 20% of SciFact train claims (split by claim id):
  gold rationale -> claim keeps its label, other sentences of the cited abstract -> neutral.
- ``dev_healthver``: HealthVer dev pairs of 30% of its topics (split by topic, so no evidence
  passage is shared with training).
- ``dev_climate``: Climate-FEVER pairs of 20% of claims (split by claim id).
- ``dev_sick``: SICK TEST (an official test split: measured, never trained on).
- ``dev_covidfact``, ``dev_rte``: the official 2-way dev splits (entail vs not).
- ``dev_lingnli`` (1,500 LingNLI validation pairs, MNLI-style), ``dev_anli`` (ANLI R1-R3 dev,
  adversarial: measured, never trained on), ``dev_gen`` (held-out documents of
  ``training/generate.py``'s rewrite families, scored per family).
Everything else that carries a train role in the MANIFEST goes into ``train.jsonl``, with the
human-labelled pairs of ``../shared/data/nli_more`` (LingNLI train, ConjNLI adversarial train,
counterfactually revised SNLI, TaxiNLI) and the generated ``gen_train.jsonl`` when present.

SciFact, split by cited document (``claims_scifact_fit.jsonl`` / ``claims_scifact_report.jsonl``,
SciFact-format claims for ``synth eval-claims``): the shipped v1 model was trained on 80% of the
claims by claim id, so a claim is clean only when none of its cited abstracts is cited by a
training claim. Clean claims are split by connected document groups into a half that fits the
claim-level decision and a half that only reports; claims of the old dev that share an abstract
with training go to the fitting half (never to the reporting half).

Usage::

    python training/data.py --data ../shared/data/nli --out training/splits
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

SEED = 13
csv.field_size_limit(10**8)


@dataclass(frozen=True)
class Pair:
    """One labelled premise/hypothesis pair."""

    premise: str
    hypothesis: str
    label: str
    source: str


THREE_WAY = {
    "entailment": "entailment",
    "supports": "entailment",
    "support": "entailment",
    "supported": "entailment",
    "neutral": "neutral",
    "not_enough_info": "neutral",
    "nei": "neutral",
    "contradiction": "contradiction",
    "refutes": "contradiction",
    "refute": "contradiction",
    "refuted": "contradiction",
    "contradict": "contradiction",
}


def harmonise(label: str) -> str:
    """Map a dataset's label spelling to synth's label names."""
    key = label.strip().lower()
    if key in ("not_entailment", "not entailment"):
        return "not_entailment"
    return THREE_WAY[key]


def _clean(text: str) -> str:
    # Add-One RTE marks the phrase of interest with HTML; MPE glues image ids to its premises.
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\d{6,}jpg\d", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _pair(premise: str, hypothesis: str, label: str, source: str) -> Pair | None:
    premise, hypothesis = _clean(premise), _clean(hypothesis)
    if not premise or not hypothesis:
        return None
    return Pair(premise, hypothesis, harmonise(label), source)


def read_csv_pairs(path: Path, source: str, p="premise", h="hypothesis", y="label") -> list[Pair]:
    """Rows of a CSV/TSV file with premise, hypothesis and label columns."""
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        pairs = [_pair(r[p], r[h], r[y], source) for r in rows]
    return [x for x in pairs if x]


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def snli(root: Path) -> list[Pair]:
    return [
        x
        for r in read_jsonl(root / "snli/snli_dev.jsonl")
        if (x := _pair(r["premise"], r["hypothesis"], r["label"], "snli"))
    ]


def sick(root: Path) -> tuple[list[Pair], list[Pair]]:
    """SICK TRAIN+TRIAL for training, TEST held out."""
    train, test = [], []
    with (root / "sick/SICK.txt").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            x = _pair(r["sentence_A"], r["sentence_B"], r["entailment_label"], "sick")
            if x:
                (test if r["SemEval_set"] == "TEST" else train).append(x)
    return train, test


def climate_fever(root: Path) -> dict[str, list[Pair]]:
    """Claim-evidence pairs grouped by claim id (DISPUTED only exists at claim level)."""
    groups: dict[str, list[Pair]] = {}
    for r in read_jsonl(root / "climate_fever/climate-fever.jsonl"):
        pairs = [
            _pair(e["evidence"], r["claim"], e["evidence_label"], "climate_fever")
            for e in r["evidences"]
        ]
        groups[str(r["claim_id"])] = [x for x in pairs if x]
    return groups


def healthver(root: Path) -> dict[str, list[Pair]]:
    """HealthVer dev pairs grouped by topic."""
    groups: dict[str, list[Pair]] = {}
    path = root / "healthver/healthver_dev.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            x = _pair(r["evidence"], r["claim"], r["label"], "healthver")
            if x:
                groups.setdefault(r["topic_ip"], []).append(x)
    return groups


def scifact_corpus(root: Path) -> dict[int, list[str]]:
    return {int(r["doc_id"]): r["abstract"] for r in read_jsonl(root / "scifact/corpus.jsonl")}


def scifact_pairs(
    claim: dict, corpus: dict[int, list[str]], rng: random.Random, negatives: int
) -> list[Pair]:
    """SciFact-style pairs for one claim.

    Each gold rationale (its sentences joined) entails or contradicts the claim; up to
    ``negatives`` other sentences of each cited abstract are neutral, since SciFact annotators
    found no evidence in them.
    """
    pairs: list[Pair] = []
    text = claim["claim"]
    used: dict[int, set[int]] = {}
    for doc_id, sets in claim["evidence"].items():
        abstract = corpus.get(int(doc_id), [])
        for ev in sets:
            idx = [i for i in ev["sentences"] if i < len(abstract)]
            used.setdefault(int(doc_id), set()).update(idx)
            if idx:
                premise = " ".join(abstract[i] for i in idx)
                pairs.append(Pair(_clean(premise), text, harmonise(ev["label"]), "scifact"))
    for doc_id in claim.get("cited_doc_ids", []):
        abstract = corpus.get(int(doc_id), [])
        others = [i for i in range(len(abstract)) if i not in used.get(int(doc_id), set())]
        for i in rng.sample(others, min(negatives, len(others))):
            pairs.append(Pair(_clean(abstract[i]), text, "neutral", "scifact"))
    return pairs


def scifact(root: Path, rng: random.Random, dev_fraction: float) -> tuple[list, list, set[str]]:
    """SciFact train claims split by claim id; returns (train, dev, dev claim texts)."""
    corpus = scifact_corpus(root)
    claims = list(read_jsonl(root / "scifact/claims_train.jsonl"))
    ids = sorted({c["id"] for c in claims})
    rng.shuffle(ids)
    dev_ids = set(ids[: int(len(ids) * dev_fraction)])
    train, dev = [], []
    for c in claims:
        is_dev = c["id"] in dev_ids
        # More neutrals in training teach the model that topical overlap is not entailment.
        pairs = scifact_pairs(c, corpus, rng, negatives=2 if is_dev else 3)
        (dev if is_dev else train).extend(pairs)
    dev_texts = {c["claim"].strip() for c in claims if c["id"] in dev_ids}
    return train, dev, dev_texts


def scifact_claim_level(root: Path, dev_texts: set[str]) -> list[dict]:
    """Claim-level SciFact dev: each claim with every sentence of its cited abstracts.

    Used to calibrate verdict thresholds on the whole rule (candidate selection, figures, NLI),
    not on single pairs. A claim's label is its evidence label, NEI when it has none.
    """
    corpus = scifact_corpus(root)
    out = []
    for c in read_jsonl(root / "scifact/claims_train.jsonl"):
        if c["claim"].strip() not in dev_texts:
            continue
        labels = {ev["label"] for sets in c["evidence"].values() for ev in sets}
        label = harmonise(labels.pop()) if len(labels) == 1 else ("neutral" if not labels else None)
        if label is None:  # mixed support and contradiction: no single verdict
            continue
        sentences = [s for d in c.get("cited_doc_ids", []) for s in corpus.get(int(d), [])]
        out.append({"claim": c["claim"], "label": label, "sentences": sentences})
    return out


def scifact_dev_claim_ids(root: Path, dev_fraction: float = 0.2) -> set[int]:
    """The claim ids of v1's SciFact dev split, by replaying ``build``'s random draws."""
    rng = random.Random(SEED)
    rng.shuffle(snli(root))
    split_groups(climate_fever(root), rng, 0.2)
    split_groups(healthver(root), rng, 0.3)
    ids = sorted({c["id"] for c in read_jsonl(root / "scifact/claims_train.jsonl")})
    rng.shuffle(ids)
    return set(ids[: int(len(ids) * dev_fraction)])


def scifact_doc_split(root: Path, dev_ids: set[int]) -> tuple[list[dict], list[dict]]:
    """(fit, report) SciFact-format claims with no cited abstract shared with training claims.

    Claims are grouped by shared cited documents (union-find), and whole groups go to one half.
    """
    claims = list(read_jsonl(root / "scifact/claims_train.jsonl"))
    seen = {int(d) for c in claims if c["id"] not in dev_ids for d in c.get("cited_doc_ids", [])}
    dev = [c for c in claims if c["id"] in dev_ids]
    clean = [c for c in dev if not seen & {int(d) for d in c.get("cited_doc_ids", [])}]
    dirty = [c for c in dev if c not in clean]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for c in clean:
        docs = [f"d{d}" for d in c.get("cited_doc_ids", [])] or [f"c{c['id']}"]
        for d in docs[1:]:
            parent[find(d)] = find(docs[0])
    groups: dict[str, list[dict]] = {}
    for c in clean:
        first = f"d{c['cited_doc_ids'][0]}" if c.get("cited_doc_ids") else f"c{c['id']}"
        groups.setdefault(find(first), []).append(c)
    keys = sorted(groups)
    random.Random(SEED).shuffle(keys)
    report = [c for k in keys[: len(keys) // 2] for c in groups[k]]
    fit = [c for k in keys[len(keys) // 2 :] for c in groups[k]] + dirty
    return fit, report


def nli_more(root: Path) -> list[Pair]:
    """Human-labelled pairs of ``nli_more``: LingNLI, ConjNLI, CAD-SNLI, TaxiNLI (train parts)."""
    more = root.parent / "nli_more"
    out: list[Pair] = []
    for path in sorted((more / "lingnli").glob("train_*.jsonl")):
        out += [
            x
            for r in read_jsonl(path)
            if (x := _pair(r["premise"], r["hypothesis"], r["label"], "lingnli"))
        ]
    conj = more / "conjnli/adversarial_train_15k.tsv"
    with conj.open(newline="", encoding="utf-8-sig") as fh:
        for r in csv.reader(fh, delimiter="\t"):
            if len(r) >= 3 and r[2].strip().lower() in THREE_WAY:
                out += [x for x in [_pair(r[0], r[1], r[2], "conjnli")] if x]
    for name in ("revised_combined_train.tsv", "original_train.tsv"):
        out += read_csv_pairs(more / "cad" / name, "cad", "sentence1", "sentence2", "gold_label")
    out += read_csv_pairs(more / "taxinli/taxinli10k.tsv", "taxinli", "prem", "hyp", "label")
    return out


def nli_more_dev(root: Path, rng: random.Random) -> dict[str, list[Pair]]:
    more = root.parent / "nli_more"
    ling = [
        x
        for path in sorted((more / "lingnli").glob("val_*.jsonl"))
        for r in read_jsonl(path)
        if (x := _pair(r["premise"], r["hypothesis"], r["label"], "lingnli"))
    ]
    rng.shuffle(ling)
    anli = [
        x
        for r in read_jsonl(more / "anli/val_anli.jsonl")
        if (
            x := _pair(
                r["premise"],
                r["hypothesis"],
                {"e": "entailment", "n": "neutral", "c": "contradiction"}.get(
                    r["label"], r["label"]
                ),
                "anli",
            )
        )
    ]
    return {"dev_lingnli": ling[:1500], "dev_anli": anli}


def fever(root: Path) -> list[Pair]:
    return [
        x
        for r in read_jsonl(root / "fever_nli/fever_rte_dev.jsonl")
        if (x := _pair(r["premise"], r["hypothesis"], r["label"], "fever"))
    ]


def split_groups(
    groups: dict[str, list[Pair]], rng: random.Random, dev_fraction: float
) -> tuple[list[Pair], list[Pair]]:
    """Split grouped pairs so no group straddles train and dev."""
    keys = sorted(groups)
    rng.shuffle(keys)
    n_dev = round(len(keys) * dev_fraction)
    dev = [x for k in keys[:n_dev] for x in groups[k]]
    train = [x for k in keys[n_dev:] for x in groups[k]]
    return train, dev


def build(root: Path) -> dict[str, list[Pair]]:
    """All splits, deterministic for a given data folder."""
    rng = random.Random(SEED)
    out: dict[str, list[Pair]] = {}

    snli_pairs = snli(root)
    rng.shuffle(snli_pairs)
    out["dev_snli"], snli_train = snli_pairs[:1500], snli_pairs[1500:]

    sick_train, out["dev_sick"] = sick(root)
    climate_train, out["dev_climate"] = split_groups(climate_fever(root), rng, 0.2)
    hv_train, out["dev_healthver"] = split_groups(healthver(root), rng, 0.3)
    sf_train, out["dev_scifact"], sf_dev_claims = scifact(root, rng, 0.2)

    # rte-scifact is built from SciFact claims: drop those whose claim is in our SciFact dev.
    sf_rte = [
        x
        for x in read_csv_pairs(
            root / "scifact/rte-scifact/train.tsv",
            "scifact_rte",
            "sentence1",
            "sentence2",
            "entailment",
        )
        if x.hypothesis not in sf_dev_claims
    ]
    cf = root / "covidfact/RTE-covidfact"
    out["dev_covidfact"] = read_csv_pairs(
        cf / "dev.tsv", "covidfact", "sentence1", "Sentence2", "entailment"
    )
    out["dev_rte"] = read_csv_pairs(root / "rte/dev.csv", "rte")

    out["train"] = (
        snli_train
        + read_csv_pairs(root / "mpe/train.csv", "mpe")
        + read_csv_pairs(root / "mpe/dev.csv", "mpe")
        + sick_train
        + climate_train
        + hv_train
        + sf_train
        + read_csv_pairs(root / "commitment_bank/train.csv", "cb")
        + read_csv_pairs(root / "commitment_bank/dev.csv", "cb")
        + read_csv_pairs(root / "fracas/train.csv", "fracas")
        + read_csv_pairs(root / "fracas/dev.csv", "fracas")
        # 2-way sets: trained with an entailment-vs-rest loss (see train_nli.py).
        + fever(root)
        + read_csv_pairs(root / "rte/train.csv", "rte")
        + read_csv_pairs(root / "add_one_rte/train.csv", "add_one_rte")
        + read_csv_pairs(root / "add_one_rte/dev.csv", "add_one_rte")
        + read_csv_pairs(cf / "train.tsv", "covidfact", "sentence1", "Sentence2")
        + sf_rte
    )
    if (root.parent / "nli_more").is_dir():
        out["train"] += nli_more(root)
        out.update(nli_more_dev(root, random.Random(SEED + 1)))
    rng.shuffle(out["train"])
    out["dev_scifact_claims"] = scifact_claim_level(root, sf_dev_claims)
    dev_ids = scifact_dev_claim_ids(root)
    out["claims_scifact_fit"], out["claims_scifact_report"] = scifact_doc_split(root, dev_ids)
    # Pair-level SciFact dev on the reporting half only (documents no training claim cites).
    report_texts = {c["claim"].strip() for c in out["claims_scifact_report"]}
    out["dev_scifact"] = [p for p in out["dev_scifact"] if p.hypothesis.strip() in report_texts]
    return out


def write_jsonl(path: Path, rows: Iterable[Pair | dict]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for p in rows:
            fh.write(json.dumps(p if isinstance(p, dict) else asdict(p), ensure_ascii=False) + "\n")
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/nli"))
    ap.add_argument("--out", type=Path, default=Path("training/splits"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, pairs in build(args.data).items():
        if name == "dev_scifact_claims":
            name = "claims_scifact"  # not a pair file: keep it out of the dev_*.jsonl glob
        if name.startswith("claims_scifact_"):
            write_jsonl(args.out / f"{name}.jsonl", pairs)
            print(f"{name:15s} {len(pairs):6d} claims")
            continue
        n = write_jsonl(args.out / f"{name}.jsonl", pairs)
        labels = Counter(p["label"] if isinstance(p, dict) else p.label for p in pairs)
        print(f"{name:15s} {n:6d}  {dict(labels)}")
        if name == "train":
            print("  by source:", dict(Counter(p.source for p in pairs)))


if __name__ == "__main__":
    main()
