"""The quotation check: which source sentence a claim was copied from, and what was changed.

Reports quote their sources: whole sentences, sentences cut at 120 characters, sentences
without their first words ("In this paper, ..."), "our model" written out as the model's name.
For such a copy the question is not what an NLI model makes of it but whether it is faithful,
and that is a matter of alignment, not inference. So before any model runs, every audited claim
is aligned word by word with the sentences of the papers it cites (candidates found with
rapidfuzz, then a word-level alignment with difflib) and classified:

``quoted``
    A verbatim or cut-off copy; differences are only case, punctuation, hyphenation, articles,
    a cut last word, or a self-reference ("our model", "we") written out as a name.
``misquote``
    A copy with a change a reader would call a misquote: other figures, units or scales
    (through :mod:`synth.figures`, so "0.5 h" for "30 minutes" is no change), polarity
    (a negation inserted or removed, an antonym: better/worse, relies on/dispenses with...),
    or names swapped (a model, dataset or metric replaced by another).
``paraphrase``
    The claim aligns with a source sentence but is reworded beyond that: NLI decides.
``none``
    No source sentence: NLI decides, and without entailing evidence the claim is NEI.

Example:
    >>> src = [Source("Training takes 5 seconds per batch on one GPU.", "1234.5678", 3)]
    >>> m = match_quote("Training takes 5 minutes per batch on one GPU.", src)
    >>> m.kind, m.diff, m.reasons
    ('misquote', ('5 seconds -> 5 minutes',), ('unit',))
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from rapidfuzz import fuzz, process

from synth import figures
from synth.verify._quote_words import (
    FILLER,
    NEGATIONS,
    REPORTING,
    SELF,
    acronym,
    antonym,
    number_word_change,
    stem,
)

QUOTED, MISQUOTE, PARAPHRASE, NONE = "quoted", "misquote", "paraphrase", "none"
MISQUOTE_KINDS = ("figure", "unit", "scale", "negation", "antonym", "name")

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_ELLIPSIS = re.compile(r"^\s*(?:\.\.\.|…)\s*|\s*(?:\.\.\.|…)\s*$")

MIN_WORDS = 4
"""Shorter claims are not matched: four words are too few to tell a quotation from chance."""
COPY_COVERAGE = 0.6
"""Share of the claim's words found in order in a source sentence for the claim to be a copy."""
QUOTE_COVERAGE = 0.8
"""... and for it to be a quotation (the rest being harmless edits)."""
PARAPHRASE_SCORE = 60.0
"""rapidfuzz partial-ratio from which the closest sentence counts as the claim's paraphrase."""
MAX_OTHER_EDITS = 0.3
"""A misquote is a copy with a change: at most this share of its words otherwise reworded."""


@dataclass(frozen=True)
class Source:
    """A candidate source sentence: its text and where it is (paper key, page, sentence id)."""

    text: str
    paper: str
    page: int | None = None
    sentence_id: int | None = None
    paper_id: int | None = None


@dataclass(frozen=True)
class QuoteMatch:
    """What the quotation check found for one claim.

    Attributes:
        kind: ``quoted``, ``misquote``, ``paraphrase`` or ``none``.
        source: The aligned source sentence (None for ``none``).
        similarity: rapidfuzz partial-ratio of the claim against the source (0-100).
        coverage: Share of the claim's words matched in order in the source.
        diff: Word-level changes, source -> claim ("5 seconds -> 5 minutes", "+ not").
        reasons: For a misquote, what was changed (figure, unit, scale, negation, antonym, name).
        completed: For a cut quotation, the whole source sentence.
    """

    kind: str
    source: Source | None = None
    similarity: float = 0.0
    coverage: float = 0.0
    diff: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    completed: str | None = None

    @property
    def reason(self) -> str | None:
        return ", ".join(self.reasons) or None


@dataclass(frozen=True)
class _Tokens:
    norm: list[str]  # lower case, for what the words say
    stems: list[str]  # without inflections, for the alignment ("pushes" = "pushing")
    spans: list[tuple[int, int]]
    text: str

    def original(self, i: int, j: int) -> str:
        return self.text[self.spans[i][0] : self.spans[j - 1][1]] if j > i else ""


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return text.replace("“", '"').replace("”", '"')


def _tokens(text: str) -> _Tokens:
    text = _clean(text)
    found = list(_TOKEN.finditer(text))
    words = [m.group(0).lower() for m in found]
    return _Tokens(words, [stem(w) for w in words], [m.span() for m in found], text)


def _is_name(token: str, first: bool) -> bool:
    """A model, dataset or metric name: BERT, XLNet, SQuAD, WMT'16, F1; Transformer mid-text."""
    if any(c.isdigit() for c in token) and any(c.isalpha() for c in token):
        return True
    if sum(c.isupper() for c in token) >= 2:
        return True
    return token[:1].isupper() and not first


def _names(tok: _Tokens, i: int, j: int) -> set[str]:
    return {
        tok.text[a:b].lower()
        for k, (a, b) in enumerate(tok.spans[i:j], start=i)
        if _is_name(tok.text[a:b], k == 0)
    }


def _parenthetical(tok: _Tokens, i: int, j: int) -> bool:
    """Whether words i..j are a whole parenthesis or bracket: "(biLM)", "[12]", "(Kim, 2014)"."""
    start, end = tok.spans[i][0], tok.spans[j - 1][1]
    before, after = tok.text[:start].rstrip()[-1:], tok.text[end:].lstrip()[:1]
    inner = tok.text[start:end]
    return before in "([" and after in ")]" and bool(before) and not re.search(r"[()\[\]]", inner)


def _aside(claim: _Tokens, cs: tuple[int, int], src: _Tokens, ss: tuple[int, int]) -> bool:
    """A parenthesis dropped, written otherwise, or a citation added: "(biLM)", "[12]"."""
    c_par = cs[1] > cs[0] and _parenthetical(claim, *cs)
    s_par = ss[1] > ss[0] and _parenthetical(src, *ss)
    if s_par:
        return cs[1] == cs[0] or c_par
    if c_par and ss[1] == ss[0]:
        return all(w.isdigit() or _is_name(w, False) for w in claim.original(*cs).split())
    return False


def _capitalised(tok: _Tokens, i: int, j: int) -> bool:
    return any(tok.text[a:b][:1].isupper() for a, b in tok.spans[i:j])


def _swapped(claim: _Tokens, cs: tuple[int, int], src: _Tokens, ss: tuple[int, int], s) -> bool:
    """Whether a name was replaced by another ("SQuAD" -> "TriviaQA"), not by a self-reference.

    A name for "our model" or "we" is how reports write a quotation; a name for a capitalised
    word that is not a self-reference ("The Transformer" -> "The LSTM") is a swap.
    """
    c_names, s_names = _names(claim, *cs), _names(src, *ss)
    if not c_names or c_names == s_names or not (s_names or _capitalised(src, *ss)):
        return False
    if acronym(claim.original(*cs), src.original(*ss)):
        return False  # "SQuAD" for "Stanford Question Answering Dataset"
    return bool(s_names) or s[0] not in SELF


def _negations(tok: _Tokens, i: int, j: int) -> int:
    """Negations among words i..j; "not only ... but also" is no negation."""
    words = tok.norm
    return sum(
        (w in NEGATIONS or w.endswith("n't"))
        and not (w == "not" and k + 1 < len(words) and words[k + 1] in ("only", "just", "merely"))
        for k, w in enumerate(words[i:j], start=i)
    )


def _benign(c: list[str], s: list[str], c_names: set[str], s_names: set[str]) -> bool:
    """Whether a changed stretch is something a faithful quotation may change."""
    if "".join(c) == "".join(s):  # hyphenation, "pre training" / "pretraining"
        return True
    if not s and all(w in FILLER for w in c):  # "The authors show that ..."
        return True
    if not c and all(w in FILLER or w in SELF or w in s_names for w in s):
        return True  # dropped "In this paper, we", "(biLM), which is"
    if s and all(w in SELF for w in s) and (c_names or all(w in SELF for w in c)):
        return True  # "our model" -> "BERT", "we" -> "the authors"
    if len(c) == 1 and len(s) == 1:
        if c[0] in REPORTING and s[0] in REPORTING:
            return True
        same = difflib.SequenceMatcher(None, c[0], s[0]).ratio()
        # Spelling variants ("modelling", "summarisation") share their start; "million" and
        # "billion", "inductive" and "deductive" do not.
        return same >= 0.8 and len(c[0]) >= 5 and c[0][:3] == s[0][:3] and not c[0].isdigit()
    return False


def _figure_reason(a: str, b: str) -> str:
    fa, fb = figures.parse(a), figures.parse(b)
    if fa and fb and fa[0].unit != fb[0].unit:
        return "unit"
    if fa and fb and fa[0].scale != fb[0].scale:
        return "scale"
    return "figure"


def _compare(claim: _Tokens, src: _Tokens, cut: bool) -> dict:
    """Word-level alignment of a claim with one source sentence, and what its changes are."""
    last = claim.stems[-1]
    # A cut claim's last word may be cut too ("par" for "parallel"); a cut number is kept, as
    # "38" cut from "38.1" still differs from the source's "41.8".
    dropped = last not in src.stems and (
        not last[0].isdigit() or any(w.startswith(last) for w in src.norm)
    )
    n = len(claim.norm) - 1 if cut and dropped else len(claim.norm)
    c_words = claim.norm[:n]
    ops = difflib.SequenceMatcher(None, claim.stems[:n], src.stems, autojunk=False).get_opcodes()
    while ops and ops[0][0] == "insert":  # source words before the quotation starts
        ops = ops[1:]
    while ops and ops[-1][0] == "insert":  # ... and after it ends (a cut copy)
        ops = ops[:-1]
    # A claim that starts inside a sentence replaces its first words by as many of its own
    # ("BERT pushes" for "It obtains ..., including pushing"): compare with as many.
    if ops and ops[0][0] == "replace" and ops[0][4] - ops[0][3] > ops[0][2] - ops[0][1]:
        tag, i1, i2, j1, j2 = ops[0]
        ops[0] = (tag, i1, i2, j2 - (i2 - i1), j2)
    if ops and ops[-1][0] == "replace" and ops[-1][4] - ops[-1][3] > ops[-1][2] - ops[-1][1]:
        tag, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (tag, i1, i2, j1, j1 + (i2 - i1))
    matched = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    coverage = matched / max(1, len(c_words))
    reasons: list[str] = []
    wrong: list[str] = []  # the changes that make a misquote, shown first
    diff: list[str] = []
    other = 0  # claim words reworded beyond what a quotation may change
    edited = 0  # words of both sides in such rewordings, to rank candidate sources
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        c, s = c_words[i1:i2], src.norm[j1:j2]
        subject = k == 0 and i1 == 0 and all(_is_name(w, False) for w in claim.text.split()[:1])
        c_text, s_text = claim.original(i1, i2), src.original(j1, j2)
        # Figures are compared with a word of context each side: "20 hours" -> "20 minutes".
        c_ctx = claim.original(max(0, i1 - 1), min(len(c_words), i2 + 1))
        s_ctx = src.original(max(0, j1 - 1), min(len(src.norm), j2 + 1))
        changed = [(a, b) for a, b in figures.changes(s_ctx, c_ctx) if a and b]
        c_names, s_names = _names(claim, i1, i2), _names(src, j1, j2)
        shown = f"{s_text} -> {c_text}" if c and s else (f"+ {c_text}" if c else f"- {s_text}")
        edited += len(c) + len(s)
        short = len(c) <= 4 and len(s) <= 4  # a longer stretch is rewording, not a swap
        if changed:
            reasons += [_figure_reason(a, b) for a, b in changed]
            shown = "; ".join(f"{a} -> {b}" for a, b in changed)
        elif _negations(claim, i1, i2) != _negations(src, j1, j2) and len(c) <= 6 >= len(s):
            reasons.append("negation")
        elif short and c and s and antonym(" ".join(c), " ".join(s)):
            reasons.append("antonym")
        elif number := number_word_change(c, s):
            reasons.append(number)
        elif short and _swapped(claim, (i1, i2), src, (j1, j2), s):
            reasons.append("name")
        elif (
            _benign(c, s, c_names, s_names)
            or (subject and c_names and len(c) == 1)
            or _aside(claim, (i1, i2), src, (j1, j2))
            or acronym(c_text, s_text)
        ):
            edited -= len(c) + len(s)
            if any(w not in FILLER for w in c + s):
                diff.append(shown)
            continue
        else:
            other += max(len(c), 1)
            diff.append(shown)
            continue
        wrong.append(shown)
    return {
        "coverage": coverage,
        "matched": matched,
        "reasons": tuple(dict.fromkeys(reasons)),
        "diff": tuple(wrong + diff),
        "other": other / max(1, len(c_words)),
        "edited": edited,
    }


RULES_FILE = "quote_rules.json"
"""Measured precision of each rule, written by ``training/measure_quotes.py`` in synth/models."""


def rule_precision() -> dict | None:
    """{"quoted": p, "misquote": p, ...} as measured on the planted-error development reports.

    None when the file is absent (a source checkout before the first measurement): callers then
    say in the verdict that the confidence is not measured.
    """
    path = resources.files("synth") / "models" / RULES_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _candidates(text: str, pool: Sequence[str], limit: int) -> list[tuple[int, float]]:
    """Indices of the sentences most like the claim: partial alignment and shared words."""
    found: set[int] = set()
    for scorer in (fuzz.partial_ratio, fuzz.token_set_ratio):
        found |= {i for _, _, i in process.extract(text, pool, scorer=scorer, limit=limit)}
    scored = [(i, float(fuzz.partial_ratio(text, pool[i]))) for i in found]
    return sorted(scored, key=lambda kv: -kv[1])


def match_quote(claim: str, sources: Sequence[Source], *, truncated: bool = False) -> QuoteMatch:
    """The source sentence ``claim`` was copied from, and whether the copy is faithful.

    Args:
        claim: The claim as printed; a trailing or leading ellipsis marks a cut.
        sources: Candidate sentences (every sentence of the cited papers).
        truncated: The report cut the claim (its last word may be incomplete).
    """
    text = _ELLIPSIS.sub("", claim).strip()
    cut = truncated or text != claim.strip()
    ctoks = _tokens(text)
    if len(ctoks.norm) < MIN_WORDS or not sources:
        return QuoteMatch(NONE)
    pool = [" ".join(_tokens(s.text).norm) for s in sources]
    query = " ".join(ctoks.norm)
    best: tuple | None = None
    for i, similarity in _candidates(query, pool, limit=8):
        stoks = _tokens(sources[i].text)
        if len(stoks.norm) < MIN_WORDS:
            continue
        got = _compare(ctoks, stoks, cut)
        # Most words matched and fewest reworded wins; on a tie the faithful reading (no
        # misquote reasons), then the shorter source (one sentence rather than two joined).
        key = (
            got["matched"] - got["edited"] / 2,
            -len(got["reasons"]),
            -len(sources[i].text),
            similarity,
        )
        if best is None or key > best[0]:
            best = (key, i, similarity, got)
    if best is None:
        return QuoteMatch(NONE)
    _, i, similarity, got = best
    source = sources[i]
    if got["coverage"] >= COPY_COVERAGE and got["reasons"] and got["other"] <= MAX_OTHER_EDITS:
        return QuoteMatch(
            MISQUOTE, source, similarity, got["coverage"], got["diff"], got["reasons"]
        )
    if got["coverage"] >= QUOTE_COVERAGE and not got["reasons"] and got["other"] == 0:
        completed = source.text if cut else None
        return QuoteMatch(QUOTED, source, similarity, got["coverage"], got["diff"], (), completed)
    if similarity >= PARAPHRASE_SCORE:
        return QuoteMatch(PARAPHRASE, source, similarity, got["coverage"], got["diff"])
    return QuoteMatch(NONE, None, similarity, got["coverage"])
