"""Generate NLI training pairs aimed at the verifier's costly mistakes (FactCC-style rules).

Each family rewrites one sentence of a scientific abstract (SciFact corpus, CSAbstruct train)
into a hypothesis whose label follows from the rewrite itself, so no annotator is needed:

contradiction
    ``number`` (a figure changed), ``unit`` (seconds -> minutes, % -> points ...), ``scale``
    (340M -> 340K, 3x -> 30x), ``negation`` (a "not" inserted or removed), ``antonym``
    (increases/decreases, outperforms/underperforms, higher/lower ...), ``swap`` (a model or
    dataset name replaced by another name from the same abstract).
entailment
    ``copy`` (the sentence itself, the premise read in its window), ``truncate`` (cut at a word
    boundary), ``drop_clause`` (a parenthetical or subordinate clause removed), ``our_model``
    ("our model" -> the name the abstract gives it), ``paraphrase`` (light synonym rewrite).
neutral
    ``added_clause`` (a clause from another abstract appended), ``other_paper`` (the most
    similar sentence of another abstract, by TF-IDF).

Premises are the source sentence alone or, half of the time, with its neighbours (a window),
so the model learns to read the evidence windows that synth gives it. Rows carry ``doc`` (the
source abstract), so splits are by document; ``held_out`` documents (10%, by hash) form the
per-family evaluation slice ``dev_gen.jsonl`` and never reach training.

Usage::

    python training/generate.py --out training/splits   # writes train_gen.jsonl, dev_gen.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

SEED = 13
CONTRA, ENT, NEU = "contradiction", "entailment", "neutral"


@dataclass(frozen=True)
class Doc:
    key: str
    sentences: list[str]


@dataclass(frozen=True)
class GenPair:
    premise: str
    hypothesis: str
    label: str
    source: str  # gen_<family>
    doc: str


# ---------------------------------------------------------------------------------- sources


def scifact_docs(root: Path, exclude: set[int]) -> Iterator[Doc]:
    """SciFact corpus abstracts, minus the documents any evaluation split cites."""
    for line in (root / "nli/scifact/corpus.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if int(r["doc_id"]) not in exclude and len(r["abstract"]) >= 3:
            yield Doc(f"scifact:{r['doc_id']}", [s.strip() for s in r["abstract"]])


def csabstruct_docs(root: Path) -> Iterator[Doc]:
    """CSAbstruct train abstracts (computer science: models, datasets, scores)."""
    for line in (root / "sentences/csabstruct/train.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        yield Doc(f"csabstruct:{r['abstract_id']}", [s.strip() for s in r["sentences"]])


def is_held_out(doc_key: str, fraction: float = 0.1) -> bool:
    digest = hashlib.sha1(doc_key.encode()).digest()
    return digest[0] / 256 < fraction


# --------------------------------------------------------------------------- contradictions

_NUM = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)")
_YEAR = re.compile(r"^(19|20)\d\d$")


def change_number(s: str, rng: random.Random) -> str | None:
    """One figure changed to a clearly different value in the same format."""
    nums = [m for m in _NUM.finditer(s) if not _YEAR.match(m.group(1))]
    if not nums:
        return None
    m = rng.choice(nums)
    raw = m.group(1)
    value = float(raw)
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    for _ in range(10):
        factor = rng.choice([0.5, 0.6, 0.7, 0.8, 1.25, 1.4, 1.5, 2.0, 3.0])
        new = value * factor if value else rng.randint(1, 9)
        if decimals == 0:
            new = round(new)
        text = f"{new:.{decimals}f}"
        if text != raw and float(text) != value:
            return s[: m.start()] + text + s[m.end() :]
    return None


_UNITS = [
    ["milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months", "years"],
    ["ms", "s", "min", "h"],
    ["mg", "g", "kg"],
    ["μg", "mg", "g"],
    ["mm", "cm", "m", "km"],
    ["KB", "MB", "GB", "TB"],
    ["%", " percentage points"],
]
_UNIT_RE = re.compile(
    r"(?<=\d)(\s?)(milliseconds|seconds|minutes|hours|days|weeks|months|years|ms|min|mg|kg|"
    r"μg|mm|cm|km|KB|MB|GB|TB|%)(?![\w])"
)


def change_unit(s: str, rng: random.Random) -> str | None:
    """A figure's unit replaced by another of its kind: 5 seconds is not 5 minutes."""
    found = list(_UNIT_RE.finditer(s))
    if not found:
        return None
    m = rng.choice(found)
    unit = m.group(2)
    for scale in _UNITS:
        if unit in scale:
            other = rng.choice([u for u in scale if u != unit])
            space = "" if other.startswith(" ") or other == "%" else (m.group(1) or " ")
            if unit == "%" and other.startswith(" "):
                space = ""
            return s[: m.start()] + space + other + s[m.end() :]
    return None


_SCALE_RE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?(\s?)(K|M|B|k|x|×|-fold| thousand| million| billion)(?![\w])"
)
_SCALES = {
    "K": ["M", "B"],
    "k": ["M", "B"],
    "M": ["K", "B"],
    "B": ["M", "K"],
    "x": ["0x"],
    "×": ["0×"],
    "-fold": ["0-fold"],
    " thousand": [" million"],
    " million": [" thousand", " billion"],
    " billion": [" million"],
}


def change_scale(s: str, rng: random.Random) -> str | None:
    """A scale suffix changed: 340M parameters is not 340K, 3x is not 30x."""
    found = list(_SCALE_RE.finditer(s))
    if not found:
        return None
    m = rng.choice(found)
    return s[: m.start(1)] + m.group(1) + rng.choice(_SCALES[m.group(2)]) + s[m.end() :]


_AUX = re.compile(r"\b(is|are|was|were|can|could|does|do|did|has|have|had|will|would|should)\b")
_NOT = re.compile(r"\b(is|are|was|were|can|could|does|do|did|has|have|had|will|would) not\b")
_DO_VERB = re.compile(
    r"\b(improves|increases|reduces|outperforms|requires|affects|predicts|causes|achieves|"
    r"improve|increase|reduce|outperform|require|affect|predict|cause|achieve|"
    r"improved|increased|reduced|outperformed|required|affected|predicted|caused|achieved)\b"
)
_BASE = {
    "improves": "improve", "increases": "increase", "reduces": "reduce",
    "outperforms": "outperform", "requires": "require", "affects": "affect",
    "predicts": "predict", "causes": "cause", "achieves": "achieve",
}  # fmt: skip


def negate(s: str, rng: random.Random) -> str | None:
    """Polarity flipped: a "not" removed when present, otherwise inserted."""
    m = _NOT.search(s)
    if m:
        return s[: m.start()] + m.group(1) + s[m.end() :]
    m = _AUX.search(s)
    if m and rng.random() < 0.6:
        return s[: m.end()] + " not" + s[m.end() :]
    m = _DO_VERB.search(s)
    if not m:
        return None
    verb = m.group(1)
    if verb.endswith("ed"):
        base = verb[:-1] if verb.endswith(("ved", "sed", "ced", "ted")) else verb[:-2]
        if verb in ("caused", "reduced", "achieved", "improved", "increased", "required"):
            base = verb[:-1]
        return s[: m.start()] + "did not " + base + s[m.end() :]
    if verb in _BASE:
        return s[: m.start()] + "does not " + _BASE[verb] + s[m.end() :]
    return s[: m.start()] + "do not " + verb + s[m.end() :]


_ANTONYMS = [
    ("increase", "decrease"), ("increases", "decreases"), ("increased", "decreased"),
    ("higher", "lower"), ("better", "worse"), ("more", "less"), ("larger", "smaller"),
    ("outperforms", "underperforms"), ("outperform", "underperform"),
    ("outperformed", "underperformed"), ("improves", "degrades"), ("improved", "worsened"),
    ("improve", "degrade"), ("positive", "negative"), ("positively", "negatively"),
    ("enhanced", "reduced"), ("promotes", "inhibits"), ("promote", "inhibit"),
    ("upregulated", "downregulated"), ("up-regulated", "down-regulated"),
    ("faster", "slower"), ("longer", "shorter"), ("greater", "smaller"),
    ("significant", "insignificant"), ("effective", "ineffective"), ("superior", "inferior"),
    ("high", "low"), ("strong", "weak"), ("strongly", "weakly"), ("before", "after"),
    ("all", "none of the"), ("always", "never"), ("rises", "falls"), ("gains", "losses"),
    ("benefit", "harm"), ("beneficial", "harmful"), ("associated", "unassociated"),
    ("relying entirely on", "relying on recurrent layers instead of"),
    ("maximum", "minimum"), ("most", "least"), ("best", "worst"),
]  # fmt: skip
_ANTONYM_OF = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS}
_ANTONYM_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ANTONYM_OF), key=len, reverse=True)) + r")\b"
)


def swap_antonym(s: str, rng: random.Random) -> str | None:
    """A comparative or direction word replaced by its opposite."""
    found = [m for m in _ANTONYM_RE.finditer(s) if m.group(1) not in ("all", "before")]
    if not found:
        found = list(_ANTONYM_RE.finditer(s))
    if not found:
        return None
    m = rng.choice(found)
    return s[: m.start()] + _ANTONYM_OF[m.group(1)] + s[m.end() :]


_NAME = re.compile(r"\b([A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9-]*|[A-Z]{2,}[a-z]*)\b")
_NOT_NAMES = {"CI", "OR", "HR", "RR", "US", "UK", "II", "III", "IV", "DNA", "RNA", "IQR", "SD"}


def doc_names(doc: Doc) -> list[str]:
    names = Counter(m.group(1) for s in doc.sentences for m in _NAME.finditer(s))
    return [n for n in names if n not in _NOT_NAMES and len(n) >= 2]


def swap_name(s: str, rng: random.Random, names: list[str]) -> str | None:
    """A model or dataset name replaced by another name the same abstract uses."""
    here = [m for m in _NAME.finditer(s) if m.group(1) in names]
    if not here:
        return None
    m = rng.choice(here)
    old = m.group(1).lower()
    others = [n for n in names if n not in s and old not in n.lower() and n.lower() not in old]
    if not others:
        return None
    return s[: m.start()] + rng.choice(others) + s[m.end() :]


# ------------------------------------------------------------------------------ entailments


def truncate(s: str, rng: random.Random) -> str | None:
    """The sentence cut at a word boundary, as reports cut claims at 120 characters."""
    words = s.rstrip(".").split()
    if len(words) < 12:
        return None
    cut = rng.randint(max(6, len(words) // 2), len(words) - 2)
    head = words[:cut]
    while head and head[-1].lower() in {"not", "no", "than", "of", "the", "a", "an", "to", "by"}:
        head = head[:-1]
    if len(head) < 6:
        return None
    return " ".join(head).rstrip(",;:")


_PAREN = re.compile(r"\s*\([^()]{2,80}\)")
_CLAUSE = re.compile(
    r",\s*(which|who|where|while|although|whereas|as well as)\b[^,]{4,120}(,|(?=\.$))"
)


def drop_clause(s: str, rng: random.Random) -> str | None:
    """A parenthetical or subordinate clause removed: the rest is still stated."""
    for pattern in (_CLAUSE, _PAREN):
        found = list(pattern.finditer(s))
        if found:
            m = rng.choice(found)
            end = "," if m.group(0).endswith(",") and pattern is _CLAUSE else ""
            out = s[: m.start()] + end + s[m.end() :]
            out = re.sub(r"\s+([,.;])", r"\1", out).replace(",.", ".")
            return out if out != s and len(out.split()) >= 5 else None
    return None


_OUR = re.compile(r"\b[Oo]ur (?:proposed )?(model|method|approach|system|framework|algorithm)\b")


_INTRODUCES = re.compile(r"\b(we (propose|present|introduce|call)|called|named|dubbed|termed)\b")


def introduced_name(doc: Doc, names: list[str]) -> str | None:
    """The name an abstract gives its own model ("we propose X", "called X")."""
    for sentence in doc.sentences:
        m = _INTRODUCES.search(sentence)
        if m:
            after = [n for n in names if n in sentence[m.end() : m.end() + 80]]
            if after:
                return after[0]
    return None


def our_model(s: str, rng: random.Random, name: str | None) -> str | None:
    """ "Our model" replaced by the name the abstract gives its model."""
    m = _OUR.search(s)
    if not m or not name or name in s:
        return None
    return s[: m.start()] + name + s[m.end() :]


_SYNONYMS = {
    "show": "demonstrate", "shows": "demonstrates", "showed": "demonstrated",
    "use": "employ", "uses": "employs", "used": "employed", "using": "employing",
    "significantly": "substantially", "approximately": "about", "method": "approach",
    "methods": "approaches", "results": "findings", "obtain": "achieve", "obtains": "achieves",
    "large": "big", "however": "nevertheless", "novel": "new", "propose": "introduce",
    "proposed": "introduced", "we": "the authors", "We": "The authors", "study": "work",
    "examined": "investigated", "assess": "evaluate", "patients": "subjects",
    "reduced": "lowered", "increased": "raised", "important": "key", "task": "problem",
}  # fmt: skip
_SYN_RE = re.compile(r"\b(" + "|".join(map(re.escape, _SYNONYMS)) + r")\b")


def paraphrase(s: str, rng: random.Random) -> str | None:
    """A light rewrite with synonyms; the meaning is unchanged."""
    found = list(_SYN_RE.finditer(s))
    if not found:
        return None
    chosen = {m.start() for m in rng.sample(found, min(len(found), rng.randint(1, 3)))}
    return _SYN_RE.sub(lambda m: _SYNONYMS[m.group(1)] if m.start() in chosen else m.group(1), s)


# -------------------------------------------------------------------------------- neutrals


def add_clause(s: str, rng: random.Random, other: str) -> str | None:
    """The sentence with a clause from another abstract appended: that part is unsupported."""
    tail = other.rstrip(".").split(",")[0]
    if len(tail.split()) < 5:
        return None
    tail = tail[0].lower() + tail[1:] if not tail[:2].isupper() else tail
    return f"{s.rstrip('.')}, and {tail}."


# ------------------------------------------------------------------------------- assembling

Family = Callable[..., str | None]
CONTRA_FAMILIES: dict[str, Family] = {
    "number": change_number,
    "unit": change_unit,
    "scale": change_scale,
    "negation": negate,
    "antonym": swap_antonym,
}
ENT_FAMILIES: dict[str, Family] = {
    "truncate": truncate,
    "drop_clause": drop_clause,
    "paraphrase": paraphrase,
}


def premise_for(doc: Doc, i: int, rng: random.Random) -> str:
    """The sentence alone, or half of the time with its neighbours (an evidence window)."""
    if rng.random() < 0.5:
        return doc.sentences[i]
    lo, hi = max(0, i - 1), min(len(doc.sentences), i + 2)
    return " ".join(doc.sentences[lo:hi])


def pairs_for_doc(doc: Doc, rng: random.Random, pool: list[str]) -> list[GenPair]:
    """Up to one pair per family from one abstract (sentences chosen at random)."""
    out: list[GenPair] = []
    names = doc_names(doc)
    order = list(range(len(doc.sentences)))

    def emit(family: str, label: str, i: int, hyp: str | None, premise: str | None = None):
        if (hyp and hyp.strip() != doc.sentences[i].strip()) or (hyp and family == "copy"):
            out.append(
                GenPair(premise or premise_for(doc, i, rng), hyp, label, f"gen_{family}", doc.key)
            )

    families: list[tuple[str, str, Callable[[str], str | None]]] = [
        (name, CONTRA, lambda s, f=f: f(s, rng)) for name, f in CONTRA_FAMILIES.items()
    ]
    families += [("swap", CONTRA, lambda s: swap_name(s, rng, names))]
    families += [(name, ENT, lambda s, f=f: f(s, rng)) for name, f in ENT_FAMILIES.items()]
    own = introduced_name(doc, names)
    families += [("our_model", ENT, lambda s: our_model(s, rng, own))]
    families += [("added_clause", NEU, lambda s: add_clause(s, rng, rng.choice(pool)))]
    for family, label, fn in families:
        rng.shuffle(order)
        for i in order:
            s = doc.sentences[i]
            if len(s.split()) < 6 or len(s) > 400:
                continue
            hyp = fn(s)
            if hyp:
                emit(family, label, i, hyp)
                break
    if rng.random() < 0.5:  # a verbatim copy read inside its window
        i = rng.randrange(len(doc.sentences))
        lo, hi = max(0, i - 1), min(len(doc.sentences), i + 2)
        emit("copy", ENT, i, doc.sentences[i], " ".join(doc.sentences[lo:hi]))
    return out


def other_paper_pairs(docs: list[Doc], rng: random.Random, n: int) -> list[GenPair]:
    """Neutral pairs: a sentence and the most similar sentence of another abstract (TF-IDF)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    items = [(d.key, s) for d in docs for s in d.sentences if len(s.split()) >= 8]
    rng.shuffle(items)
    items = items[: max(n * 8, 2000)]
    vec = TfidfVectorizer(stop_words="english", min_df=2).fit([s for _, s in items])
    matrix = vec.transform([s for _, s in items])
    out = []
    for a in range(min(n, len(items))):
        sims = (matrix @ matrix[a].T).toarray().ravel()
        sims[a] = -1
        for b in sims.argsort()[::-1][:5]:
            if items[b][0] != items[a][0] and 0.15 < sims[b] < 0.6:
                out.append(GenPair(items[b][1], items[a][1], NEU, "gen_other_paper", items[a][0]))
                break
    return out


def generate(docs: list[Doc], seed: int = SEED, other_paper: int = 2000) -> list[GenPair]:
    rng = random.Random(seed)
    pool = [s for d in docs for s in d.sentences if len(s.split()) >= 8]
    out: list[GenPair] = []
    for doc in docs:
        out += pairs_for_doc(doc, rng, pool)
    out += other_paper_pairs(docs, rng, other_paper)
    return out


def eval_doc_ids(root: Path) -> set[int]:
    """SciFact documents cited by claims that any evaluation split may use: never generated from.

    That is every document cited by a SciFact claim in ``training/data.py``'s dev split (old
    claim-id split) and every document cited by the dev claims file; cheap to over-exclude.
    """
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from data import scifact_dev_claim_ids

    out: set[int] = set()
    dev_ids = scifact_dev_claim_ids(root / "nli")
    for line in (root / "nli/scifact/claims_train.jsonl").open(encoding="utf-8"):
        c = json.loads(line)
        if c["id"] in dev_ids:
            out |= {int(d) for d in c.get("cited_doc_ids", [])}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("training/splits"))
    ap.add_argument("--scifact-docs", type=int, default=2500)
    ap.add_argument("--csabstruct-docs", type=int, default=1668)
    args = ap.parse_args()
    rng = random.Random(SEED)
    sf = list(scifact_docs(args.data, eval_doc_ids(args.data)))
    rng.shuffle(sf)
    docs = sf[: args.scifact_docs] + list(csabstruct_docs(args.data))[: args.csabstruct_docs]
    pairs = generate(docs)
    train = [p for p in pairs if not is_held_out(p.doc)]
    dev = [p for p in pairs if is_held_out(p.doc)]
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train_gen", train), ("dev_gen", dev)):
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for p in rows:
                fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
        print(name, len(rows), dict(Counter(p.source for p in rows)))


if __name__ == "__main__":
    main()
