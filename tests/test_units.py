from __future__ import annotations

import json

import pytest

from reconcile.lexicon import load_lexicon
from reconcile.quantities import extract
from reconcile.units import FACTORS_PATH, canonical, packaged_conversions


def test_generated_factors_are_pints():
    """The packaged table is what pint converts today (run `python -m reconcile.units` after editing units.yml)."""
    assert json.loads(FACTORS_PATH.read_text(encoding="utf-8")) == packaged_conversions(load_lexicon())


def test_every_packaged_measure_converts():
    lex = load_lexicon()
    table = json.loads(FACTORS_PATH.read_text(encoding="utf-8"))
    units = {str(v) for t in lex.raw["units"]["measures"].values() for v in t.values()}
    assert units <= set(table)


@pytest.mark.parametrize("unit,value,target,expected", [
    ("foot", 200, "meter", 60.96), ("degree_Fahrenheit", 98.6, "degree_Celsius", 37.0),
    ("mile / hour", 62, "kilometer / hour", 99.779328), ("acre", 1, "meter ** 2", 4046.87260987),
])
def test_canonical_values(unit, value, target, expected):
    got_unit, convert = canonical(unit, load_lexicon())
    assert got_unit == target and convert(value) == pytest.approx(expected)


def test_figures_of_one_dimension_compare_across_units():
    feet, metres = extract("It fell 200 feet, about 61 metres.", "en")
    assert feet.unit_canonical == metres.unit_canonical == "meter"
    assert abs(feet.value_canonical - metres.value_canonical) < 1


def test_money_stays_in_its_currency():
    q = extract("The fine was $250,000.", "en")[0]
    assert q.unit == "USD" and q.unit_canonical is None and q.value_canonical is None
