"""Figures as a reader reads them: values with their units, scales, ranges and signs.

One parser for every stage that compares numbers (claims, verdicts, the audit's quotation
check). A figure is a number with what it counts: "5 seconds" and "5 minutes" are different
figures, "0.5 h" and "30 min" the same one, "340M" is 340,000,000, "3x" a ratio, "1e-4" a
small number, "-2.1" negative, "5-10 ms" a range. Unit conversions are pint's, not ours.
Numbers that are not measurements are left out: names ("GPT-2", "ResNet-50", "WMT'16"),
citations ("[12]"), pointers ("Table 2", "Section 3.1") and years ("in 2019", "(Devlin et al.,
2019)", "WMT 2014"); a four-digit number is a year only where it reads as one.

Example:
    >>> [f.display for f in parse("It trains in 0.5 h, 3x faster, with 340M parameters.")]
    ['0.5 h', '3x', '340M']
    >>> same_value(parse("about 30 minutes")[0], parse("0.5 hours")[0])
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

OK, MISSING, DIFFERS = "ok", "missing", "differs"

_SCALES = {
    "k": 1e3, "K": 1e3, "thousand": 1e3, "M": 1e6, "million": 1e6, "m": None,
    "B": 1e9, "bn": 1e9, "billion": 1e9, "trillion": 1e12, "T": 1e12,
}  # fmt: skip
# Unit words as written -> pint unit names. Only units a reader would convert between.
_UNITS = {
    "ms": "millisecond", "msec": "millisecond", "milliseconds": "millisecond",
    "millisecond": "millisecond", "s": "second", "sec": "second", "secs": "second",
    "second": "second", "seconds": "second", "min": "minute", "mins": "minute",
    "minute": "minute", "minutes": "minute", "h": "hour", "hr": "hour", "hrs": "hour",
    "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
    "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year",
    "μs": "microsecond", "us": "microsecond", "ns": "nanosecond",
    "mg": "milligram", "g": "gram", "kg": "kilogram", "μg": "microgram", "ug": "microgram",
    "mm": "millimeter", "cm": "centimeter", "km": "kilometer", "nm": "nanometer",
    "ml": "milliliter", "mL": "milliliter", "l": "liter", "L": "liter",
    "KB": "kilobyte", "kB": "kilobyte", "MB": "megabyte", "GB": "gigabyte",
    "TB": "terabyte", "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "GHz": "gigahertz", "W": "watt", "kW": "kilowatt", "mmHg": "millimeter_Hg",
}  # fmt: skip
_PERCENT = r"%|percent\b|per\s?cent\b|percentage points?\b|pp\b|points?\b"
_MULT = r"x(?![\w])|×(?!\s?\d)|-fold\b|\s?fold\b|times\b"
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SCI = r"(?:[eE][-+−]?\d+|\s?[x×]\s?10\^?\{?[-−]?\d+\}?)"
_UNIT_ALT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_SCALE_ALT = "|".join(
    sorted(map(re.escape, (k for k, v in _SCALES.items() if v)), key=len, reverse=True)
)

_FIGURE = re.compile(
    rf"(?P<sign>[-−–]|\bminus\s)?(?P<num>{_NUM})(?P<sci>{_SCI})?"
    rf"(?:\s?(?:-|–)\s?(?P<hi>{_NUM}))?"
    rf"(?:(?P<scale>\s?(?:{_SCALE_ALT})(?![\w]))?)"
    rf"(?:\s?(?P<pct>{_PERCENT}))?"
    rf"(?:\s?(?P<mult>{_MULT}))?"
    rf"(?:\s?(?P<unit>{_UNIT_ALT})(?![\w]))?"
)
# A number glued to a name ("GPT-2", "L6", "x86", "WMT'16", "[12]") is part of the name.
_GLUED_BEFORE = re.compile(r"[\w'’\[/.^]$|[A-Za-z]-$")
_POINTER = re.compile(
    r"\b(Table|Tab|Figure|Fig|Section|Sec|Eq|Eqn|Equation|Appendix|Algorithm|Alg|Chapter|"
    r"Line|Step|Theorem|Lemma|Definition|Layer|Rule|Task|Phase|Stage|Version|Round|Experiment)"
    r"s?\.?\s*\(?$",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"(\b(in|since|from|until|till|by|during|before|after|of|early|late|mid|circa|year|"
    r"published|released)\s+|et al\.?,?\s*|\(\s*|[A-Z][A-Za-z]+[\s-]|,\s*)$"
)


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence.

    ``value`` is in base units (seconds, grams, bytes...) with its scale applied; ``unit`` is
    the canonical unit ("second", "percent", "times") or None for a bare count; ``kind`` is
    the dimension compared: "time", "mass", "percent", "ratio", "number"...
    """

    value: float
    upper: float | None  # the top of a range, in the same base units
    decimals: int
    scale: float  # base units per written unit ("340M": 1e6; "5 minutes": 60)
    unit: str | None
    kind: str
    display: str
    start: int
    end: int

    @property
    def tolerance(self) -> float:
        """Half a unit of the last digit written, in base units: "9" covers 9.1, "9.0" not."""
        return 0.5 * 10.0**-self.decimals * self.scale + 1e-12


@cache
def _registry():
    import pint

    return pint.UnitRegistry()


@cache
def _to_base(unit: str) -> tuple[float, str]:
    """(factor to base units, dimension name) of a pint unit."""
    ureg = _registry()
    q = ureg.Quantity(1.0, unit).to_base_units()
    dims = str(q.dimensionality)
    names = {"[time]": "time", "[mass]": "mass", "[length]": "length", "[length] ** 3": "volume"}
    if unit.endswith("byte"):
        return float(ureg.Quantity(1.0, unit).to("byte").magnitude), "data"
    if unit.endswith("hertz"):
        return float(q.magnitude), "frequency"
    return float(q.magnitude), names.get(dims, dims)


def _is_year(text: str, m: re.Match[str]) -> bool:
    raw = m.group("num")
    if not re.fullmatch(r"(1[89]|20)\d\d", raw) or any(
        m.group(g) for g in ("sci", "pct", "mult", "scale")
    ):
        return False
    after = text[m.end("num") : m.end("num") + 2]
    if after.startswith("s") or after.startswith(")") or after.startswith("a)"):
        return True
    if m.group("hi") and re.fullmatch(r"(1[89]|20)\d\d", m.group("hi")):
        return True
    return bool(_YEAR_BEFORE.search(text[max(0, m.start() - 30) : m.start()]))


def _figure(text: str, m: re.Match[str]) -> Figure | None:
    raw = m.group("num")
    before = text[max(0, m.start() - 30) : m.start()]
    if _GLUED_BEFORE.search(before) or _POINTER.search(before) or _is_year(text, m):
        return None
    if text[m.end("num") : m.end("num") + 1].isalpha() and not any(
        m.group(g) for g in ("scale", "pct", "mult", "unit", "sci")
    ):
        return None  # "3rd", "2D", "4th"
    value = float(raw.replace(",", ""))
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    upper = float(m.group("hi").replace(",", "")) if m.group("hi") else None
    if m.group("sci"):
        exp = re.search(r"[-−]?\d+\}?$", m.group("sci")).group(0).strip("}").replace("−", "-")
        if abs(int(exp)) > 300:  # "1e400" overflows a float; no measurement is that size
            return None
        value *= 10.0 ** int(exp)
    factor, unit, kind = 1.0, None, "number"
    if m.group("scale"):
        factor = _SCALES[m.group("scale").strip()] or 1.0
    if m.group("pct"):
        unit, kind = "percent", "percent"
    elif m.group("mult"):
        unit, kind = "times", "ratio"
    elif m.group("unit"):
        unit = _UNITS[m.group("unit")]
        base, kind = _to_base(unit)
        factor *= base
    if kind == "number" and factor == 1.0 and not decimals and _counts_things(text, m.end()):
        kind = "count"
    sign = -1.0 if m.group("sign") else 1.0
    return Figure(
        value=sign * value * factor,
        upper=upper * factor if upper is not None else None,
        decimals=decimals,
        scale=factor,
        unit=unit,
        kind=kind,
        display=m.group(0).strip(),
        start=m.start(),
        end=m.end(),
    )


_NEXT_WORD = re.compile(r"\s+([a-z]{2,})\b")
_NOT_PLURAL = re.compile(r"(?:ss|us|is|ys)$|^(?:was|has|does|as|its|this|thus|plus|versus)$")


def _counts_things(text: str, end: int) -> bool:
    """Whether a whole number is followed by a plural noun ("20 tasks", "8 GPUs" is not read
    as one): a count of things, which no score or percentage restates."""
    m = _NEXT_WORD.match(text, end)
    return bool(m) and m.group(1).endswith("s") and not _NOT_PLURAL.search(m.group(1))


def parse(text: str) -> list[Figure]:
    """Every figure of ``text`` that states a measurement, in order."""
    return [f for m in _FIGURE.finditer(text) if (f := _figure(text, m)) is not None]


_LOOSE = ({"number", "percent"},)


def comparable(a: Figure, b: Figure) -> bool:
    """Whether two figures measure the same kind of thing. A bare number may be a score or a
    percentage ("68" and "68%"), or a count ("18 of 20 tasks"); a count of things ("20
    tasks") is never a score ("3.6 points") nor a fraction."""
    if {a.kind, b.kind} == {"number", "count"}:
        return not a.decimals and not b.decimals
    return a.kind == b.kind or {a.kind, b.kind} in _LOOSE


def same_value(claimed: Figure, given: Figure) -> bool:
    """Whether ``given`` states the claim's figure, at the precision the claim writes it."""
    if not comparable(claimed, given):
        return False
    if given.upper is not None and claimed.upper is None:
        return given.value - claimed.tolerance <= claimed.value <= given.upper + claimed.tolerance
    if claimed.upper is not None and given.upper is not None:
        return (
            abs(claimed.value - given.value) <= claimed.tolerance
            and abs(claimed.upper - given.upper) <= claimed.tolerance
        )
    return abs(claimed.value - given.value) <= claimed.tolerance


def agree(claimed: Figure, given: Figure) -> bool:
    """Whether two figures are one value up to the rounding either writes it with: a paper
    gives "67.8% precision" in its results and "68% precision" in its introduction, and
    neither contradicts the other (a claim's own precision alone would call them two values).
    """
    return same_value(claimed, given) or same_value(given, claimed)


def status(claim: str, evidence: str) -> str:
    """How the evidence stands to the claim's figures.

    ``ok``: the claim states no figure, or the evidence states every one of them;
    ``differs``: a claimed figure is missing but the evidence gives another figure of the same
    kind (seconds for minutes, another score) and at least as many figures: other values,
    possibly for the same thing;
    ``missing``: the evidence says nothing of that kind, or fewer figures than the claim: less
    detail, not other values.
    """
    claimed, given = parse(claim), parse(evidence)
    unmatched = [c for c in claimed if not any(agree(c, g) for g in given)]
    if not unmatched:
        return OK
    spare = [g for g in given if not _used(g, claimed)]
    if len(given) >= len(claimed) and any(comparable(c, g) for c in unmatched for g in spare):
        return DIFFERS
    return MISSING


def _used(given: Figure, claimed: list[Figure]) -> bool:
    return any(agree(c, given) for c in claimed)


def changes(source: str, copy: str) -> list[tuple[str, str]]:
    """(as in the source, as in the copy) for figures a copy states differently, in order.

    Figures are paired by position among figures of the same kind; a copy that converts a unit
    correctly ("0.5 h" for "30 minutes") is no change.
    """
    a, b = parse(source), parse(copy)
    out = []
    for fa, fb in zip(a, b, strict=False):
        if not agree(fa, fb):
            out.append((fa.display, fb.display))
    if len(b) > len(a):
        out += [("", fb.display) for fb in b[len(a) :]]
    return out


def mask(text: str, placeholder: str = "N") -> str:
    """The text with every figure replaced by one placeholder, to compare what it says."""
    figures = parse(text)
    for f in reversed(figures):
        text = text[: f.start] + placeholder + text[f.end :]
    return text


def has_figures(text: str) -> bool:
    return bool(parse(text))
