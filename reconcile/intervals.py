"""Interval arithmetic on claims: the one place where a figure's bounds are computed.

Two notions, kept apart:

- ``bounds``: the claim's own ``low``/``high`` as the quantities stage wrote them (``None`` = open), as floats
  with infinities. The report shows these; they are never changed here.
- ``tolerance``: the interval a figure is *compatible* with, by its stated precision: "$12.5 million" covers
  [12.45, 12.55) million, "11.000" covers [10.500, 11.500), and a hedge widens it in its direction ("nearly",
  "knapp", "fast", "almost" reach just below; "more than", "über" above; whole numbers below 100 are exact), from
  the figure as rounded: "nearly X" reaches up to half X's rounding unit above X; "more than X" stops at X.
  Agreement and conflict are judged on these, half-open: two figures are compatible when some true value
  could have been rounded to both.

Amounts in different currencies are compared in one currency at reference rates of the publication year
(``rules/lexicon/fx.yml``: annual means of the ECB's daily reference rates, written by ``bench/fx_rates.py``),
with the spread of that year's daily rates around the mean added to the tolerance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reconcile.lexicon import Lexicon, LexiconError, deep_merge, default_rules_dir
from reconcile.model import Claim
from reconcile.quantities import rounding_unit

__all__ = ["bounds", "precision", "tolerance", "compatible", "Interval", "FxRates", "load_fx", "read_lexicon_file",
           "claim_year", "hedge_kind"]

Interval = tuple[float, float]

_NUMBER = re.compile(r"\d[\d.,' \u00a0\u202f]*\d|\d")
# hedge kinds (rules/lexicon/hedges.yml) and which way each one reaches from the stated figure
_BELOW_KINDS = {"just_below", "up_to", "below"}
_ABOVE_KINDS = {"just_above", "above", "at_least"}


def bounds(c: Claim, tolerance: float = 0.0) -> Interval:
    """The claim's own interval (``None`` as infinity), widened by a relative ``tolerance`` of its value."""
    lo = c.low if c.low is not None else -math.inf
    hi = c.high if c.high is not None else math.inf
    if tolerance:
        lo -= abs(c.value) * tolerance
        hi += abs(c.value) * tolerance
    return lo, hi


def _stated_decimals(surface: str, language: str) -> int | None:
    """Digits written after the decimal mark ("12.50 million": 2), or None when the figure has none."""
    m = None
    for m in _NUMBER.finditer(surface):
        pass
    if m is None:
        return None
    token = m.group(0).replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    mark = "," if language == "de" else "."
    if mark not in token:
        return None
    tail = token.rsplit(mark, 1)[1]
    if not tail.isdigit() or (len(tail) == 3 and token.count(mark) == 1 and not re.search(r"[A-Za-z]", surface)
                              and ("," if mark == "." else ".") not in token):
        return None  # "11,000" in English or "11.000" in German: a thousands separator, not decimals
    return len(tail)


def precision(c: Claim) -> float:
    """The rounding unit of the figure as written: its stated decimals times its scale, else its last digit.

    Whole numbers below 100 are read as exact ("zehn Verletzte", "48 pages"): small counts are not rounded.
    """
    unit = 1.0 if float(c.value).is_integer() and abs(c.value) < 100 else rounding_unit(c.value)
    decimals = _stated_decimals(c.surface, c.language)
    if decimals is None or c.value == 0:
        return unit
    m = None
    for m in _NUMBER.finditer(c.surface):
        pass
    assert m is not None  # decimals were found in a number of the surface
    digits = re.sub(r"[^\d]", "", m.group(0))
    written = int(digits) / 10 ** decimals if digits else 0.0
    scale = abs(c.value) / written if written else 1.0
    return max(10.0 ** -decimals * scale, 1e-12)


def hedge_kind(c: Claim, lex: Lexicon | None) -> str | None:
    """The kind of the figure's hedge in ``rules/lexicon/hedges.yml`` ("up_to", "approx", ...), or None."""
    if not c.hedge or lex is None:
        return None
    return lex.hedges.get(c.language, {}).get(c.hedge.lower())


def tolerance(c: Claim, lex: Lexicon | None = None, rate_spread: float = 0.0) -> Interval:
    """The half-open interval [lo, hi) of true values the figure is compatible with (see the module doc).

    ``rate_spread`` widens it by a relative amount (a currency conversion's uncertainty).
    """
    v = c.value
    half = precision(c) / 2
    kind = hedge_kind(c, lex)
    if kind == "approx":  # a stated approximation: rounded as a round figure is, at least by min_relative
        rel = lex.rounding_min_relative if lex is not None else 0.02
        half = max(half, rounding_unit(v) / 2, rel * abs(v))
        lo, hi = v - half, v + half
    elif kind in _BELOW_KINDS or kind in _ABOVE_KINDS:
        # the hedge says on which side of the stated figure the value lies: "nearly", "knapp" just below it,
        # "more than", "über" above it; "up to" and "at least" include the figure, as rounded
        reach = max(rounding_unit(v), 2 * half)
        lo, hi = {"just_below": (v - reach, v), "up_to": (-math.inf, v + half), "below": (-math.inf, v),
                  "just_above": (v, v + reach), "above": (v, math.inf),
                  "at_least": (v - half, math.inf)}[kind]
        if kind in ("up_to", "below") and c.low is not None:
            lo = min(c.low, v)
        # "nearly", "knapp", "gut" say the value is close to the figure, which is itself rounded: they reach half
        # its rounding unit past it ("nearly $100 billion" and "over $100 billion" agree); "more than", "unter"
        # are bounds and stop at the figure
        if kind == "just_below":
            hi = v + half
        elif kind == "just_above":
            lo = v - half
    elif c.low is not None and c.high is not None and c.low == c.high == v:
        lo, hi = v - half, v + half
    else:  # a range or a vague quantity: its own interval, its ends rounded as written
        lo, hi = bounds(c)
        if c.hedge is None:  # a range "sechs bis sieben Millionen"
            lo -= rounding_unit(lo) / 2 if math.isfinite(lo) else 0.0
            hi += rounding_unit(hi) / 2 if math.isfinite(hi) else 0.0
        elif math.isfinite(hi):
            hi = math.nextafter(hi, math.inf)
    if rate_spread:
        lo -= abs(v) * rate_spread
        hi += abs(v) * rate_spread
    return lo, hi


def compatible(a: Interval, b: Interval) -> bool:
    """Two half-open intervals share a value (a point interval [x, x] counts as the value x)."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return lo < hi or (lo == hi and (a[0] == a[1] or b[0] == b[1]))


def claim_year(c: Claim, published: str | None = None) -> str | None:
    """The year a figure speaks of: its as-of date, else the document's publication date."""
    when = c.as_of or published
    return when[:4] if when and when[:4].isdigit() else None


@dataclass(frozen=True)
class FxRates:
    """Reference rates per year: units of each currency per one unit of ``base``, each year's spreads, the source."""

    base: str
    rates: dict[str, dict[str, float]]  # year -> currency -> rate
    spread: float  # the widening for a year or currency without a listed spread
    source: str
    spreads: dict[str, dict[str, float]] = field(default_factory=dict)  # year -> currency -> widening

    def year_for(self, year: str | None) -> str | None:
        """The listed year whose rates convert a figure of ``year``: that year, else the nearest one listed."""
        if not self.rates:
            return None
        years = sorted(self.rates)
        return year if year in self.rates else min(years, key=lambda k: abs(int(k) - int(year or years[-1])))

    def factor(self, unit: str, target: str, year: str | None) -> float | None:
        """How many ``target`` one ``unit`` is worth in ``year`` (the nearest year listed), or None."""
        if unit == target:
            return 1.0
        y = self.year_for(year)
        if y is None:
            return None
        table = {self.base: 1.0, **self.rates[y]}
        if unit not in table or target not in table:
            return None
        return table[target] / table[unit]

    def spread_for(self, unit: str, target: str, year: str | None) -> float:
        """How far a conversion at the annual mean can be off: the spreads of both currencies in that year."""
        y = self.year_for(year)
        listed = self.spreads.get(y or "", {})
        return sum(0.0 if cur == self.base else listed.get(cur, self.spread) for cur in {unit, target})

    def describe(self, unit: str, target: str, year: str | None) -> str:
        """The conversion in words, with its rate, year and source ("USD to EUR at 1.2848 per EUR, 2012 mean")."""
        f = self.factor(unit, target, year)
        y = self.year_for(year)
        if f is None or y is None:
            return f"{unit} to {target}: no reference rate"
        return f"{unit} to {target} at {1 / f:.4g} {unit} per {target} ({y} annual mean of the {self.source_name})"

    @property
    def source_name(self) -> str:
        """The source's first clause ("European Central Bank, euro foreign exchange reference rates")."""
        return self.source.split("(")[0].strip().rstrip(";,") or "listed reference rates"


def read_lexicon_file(name: str, dirs: tuple[str, ...]) -> dict[str, Any]:
    """``lexicon/<name>.yml`` of the packaged rules merged with each user folder's copy, key by key."""
    merged: dict[str, Any] = {}
    for d in (str(default_rules_dir()), *dirs):
        p = Path(d) / "lexicon" / f"{name}.yml"
        if not p.is_file():
            continue
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise LexiconError(f"{p}: cannot read lexicon file: {exc}") from exc
        if data is None:
            continue
        if not isinstance(data, dict):
            raise LexiconError(f"{p}: a lexicon file must be a mapping at the top level")
        merged = deep_merge(merged, data)
    return merged


def _year_tables(data: dict[str, Any], key: str) -> dict[str, dict[str, float]]:
    """``rates`` or ``spreads`` of fx.yml: year -> currency -> positive number (a spread may be 0), checked."""
    out: dict[str, dict[str, float]] = {}
    for year, table in (data.get(key) or {}).items():
        ok = isinstance(table, dict) and all(isinstance(v, (int, float)) and (v > 0 if key == "rates" else 0 <= v < 1)
                                             for v in table.values())
        if not ok:
            what = "positive numbers" if key == "rates" else "numbers between 0 and 1"
            raise LexiconError(f"fx.yml: {key}.{year} must map currency codes to {what}")
        out[str(year)] = {str(k): float(v) for k, v in table.items()}
    return out


@lru_cache(maxsize=8)
def load_fx(dirs: tuple[str, ...] = ()) -> FxRates:
    """The reference rates of ``rules/lexicon/fx.yml`` (and user overrides), checked for shape."""
    data = read_lexicon_file("fx", dirs)
    spread = data.get("spread", 0.05)
    if not isinstance(spread, (int, float)) or not 0 <= spread < 1:
        raise LexiconError("fx.yml: spread must be a number between 0 and 1")
    return FxRates(str(data.get("base", "EUR")), _year_tables(data, "rates"), float(spread),
                   str(data.get("source", "")), _year_tables(data, "spreads"))
