"""Tolerance intervals by stated precision and hedge direction (``reconcile.intervals``)."""

from __future__ import annotations

import math

import pytest

from reconcile.intervals import bounds, compatible, load_fx, precision, tolerance
from reconcile.lexicon import load_lexicon
from reconcile.model import Claim


def _c(value: float, surface: str, hedge: str | None = None, low: float | None = None, high: float | None = None,
       lang: str = "en") -> Claim:
    return Claim(id="c", document="d", start=0, end=1, surface=surface, value=value,
                 low=value if low is None and hedge is None else low, high=value if high is None and hedge is None
                 else high, unit=None, unit_class="money", hedge=hedge, change="=", counted=None, counted_text=None,
                 modifiers=[], subject=None, predicate=None, attribution=None, modality="asserted", as_of=None,
                 cumulative=False, sentence="", sentence_start=0, language=lang)


LEX = load_lexicon()


@pytest.mark.parametrize("claim,inside,outside", [
    (_c(12_500_000, "$12.5 million"), [12_450_000, 12_480_000, 12_549_999], [12_440_000, 12_550_000]),
    (_c(2_400_000_000, "2.4 billion"), [2_350_000_000], [2_340_000_000, 2_450_000_000]),
    (_c(43_000, "$43,000"), [43_350, 42_500], [43_500, 42_400]),
    (_c(11_000, "11.000", lang="de"), [10_500, 11_499], [11_500, 10_499]),
    (_c(48, "48"), [48], [47, 49]),
    # a hedge points from the figure as rounded: "nearly $31 million" reaches half a million above it, no further
    (_c(31_000_000, "$31 million", hedge="nearly", low=30_000_000, high=31_000_000), [30_870_000, 31_400_000],
     [31_500_000, 29_900_000]),
    (_c(250_000, "$250,000", hedge="more than", low=250_001), [250_000, 10**9], [249_999]),  # a bound stops at X
    (_c(10_000, "10.000", hedge="knapp", low=9_000, high=10_000, lang="de"), [9_750, 10_400], [10_500, 8_900]),
    (_c(12.5, "12,50 Prozent", lang="de"), [12.5], [12.51]),
])
def test_tolerance_by_stated_precision_and_hedge(claim, inside, outside):
    lo, hi = tolerance(claim, LEX)
    for x in inside:
        assert lo <= x < hi, (claim.surface, x, lo, hi)
    for x in outside:
        assert not lo <= x < hi, (claim.surface, x, lo, hi)


def test_the_claims_own_bounds_are_untouched():
    c = _c(43_000, "$43,000")
    tolerance(c, LEX)
    assert (c.low, c.high) == (43_000, 43_000) and bounds(c) == (43_000, 43_000)
    assert bounds(_c(10, "10", hedge="more than", low=11)) == (11, math.inf)


def test_precision_reads_the_written_decimals():
    assert precision(_c(12_500_000, "$12.50 million")) == pytest.approx(10_000)
    assert precision(_c(11_000, "11,000")) == 1000
    assert precision(_c(5_587.75, "$5,587.75")) == pytest.approx(0.01)


def test_compatible_is_half_open():
    assert not compatible((9_500, 10_500), (10_500, 11_500))
    assert compatible((9_500, 10_501), (10_500, 11_500))
    assert compatible((11_000, 11_000), (10_500, 11_500))


def test_reference_rates_name_their_source():
    fx = load_fx()
    assert "European Central Bank" in fx.source and 0 < fx.spread < 0.2
    f = fx.factor("EUR", "USD", "2012")
    assert f is not None and 1.2 < f < 1.4
    assert fx.factor("USD", "USD", None) == 1.0 and fx.factor("XYZ", "USD", "2012") is None


def test_conversions_use_the_year_spread_and_say_where_the_rate_comes_from():
    """The spread of a conversion is that year's, of both currencies; the description names rate, year, source."""
    fx = load_fx()
    assert fx.spread_for("EUR", "USD", "2012") == pytest.approx(fx.spreads["2012"]["USD"])
    assert fx.spread_for("GBP", "USD", "2012") == pytest.approx(fx.spreads["2012"]["USD"] + fx.spreads["2012"]["GBP"])
    assert fx.spread_for("EUR", "EUR", "2012") == 0.0
    text = fx.describe("USD", "EUR", "2012")
    assert "2012 annual mean" in text and "European Central Bank" in text and f"{fx.rates['2012']['USD']:.4g}" in text
    assert fx.year_for("1990") == min(fx.rates) and fx.describe("XYZ", "EUR", "2012").endswith("no reference rate")
