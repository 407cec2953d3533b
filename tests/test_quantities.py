from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.claims import document_quantities, extract_claims
from reconcile.ingest import parse_text
from reconcile.quantities import extract, parse_number

CASES = [
    ("de", "rund 10.000 Soldaten", 10000, 9500, 10500, "~"),
    ("de", "mehr als 10 Millionen Granaten", 1e7, 1e7 + 1, None, ">"),
    ("de", "bis zu 5,5 Milliarden US-Dollar", 5.5e9, 0, 5.5e9, "<"),
    ("de", "mindestens 6.000 Soldaten", 6000, 6000, None, ">"),
    ("de", "mehrere Tausend Tote", 3000, 2000, 9999, "~"),
    ("de", "Hunderttausende Tote", 200000, 200000, 999999, "~"),
    ("de", "zehn- bis zwölftausend Soldaten", 11000, 10000, 12000, "~"),
    ("de", "zwischen 5 und 6 Millionen Euro", 5.5e6, 5e6, 6e6, "~"),
    ("de", "fünfeinhalb Milliarden Euro", 5.5e9, 5.5e9, 5.5e9, "="),
    ("de", "eine Million Menschen", 1e6, 1e6, 1e6, "="),
    ("de", "2 Mio. Euro", 2e6, 2e6, 2e6, "="),
    ("de", "3 Mrd. Dollar", 3e9, 3e9, 3e9, "="),
    ("de", "zwölftausend Soldaten", 12000, 12000, 12000, "="),
    ("en", "about 11,000 troops", 11000, 10500, 11500, "~"),
    ("en", "$5.5bn in sales", 5.5e9, 5.5e9, 5.5e9, "="),
    ("en", "1.3 million people", 1.3e6, 1.3e6, 1.3e6, "="),
    ("en", "several thousand soldiers", 3000, 2000, 9999, "~"),
    ("en", "10,000-12,000 troops", 11000, 10000, 12000, "~"),
    ("en", "three hundred soldiers", 300, 300, 300, "="),
    ("en", "a dozen tanks", 12, 12, 12, "="),
    ("en", "fewer than 500 people", 500, 0, 499, "<"),
    ("en", "at least 6,000 soldiers", 6000, 6000, None, ">"),
]


def test_cases():
    for lang, text, value, low, high, change in CASES:
        qs = extract(text, lang)
        assert len(qs) == 1, (text, qs)
        q = qs[0]
        assert abs(q.value - value) < 1e-6 * max(1, value), (text, q)
        assert (q.low is None) == (low is None) and (q.high is None) == (high is None), (text, q)
        if low is not None:
            assert abs(q.low - low) < 1e-6 * max(1, low), (text, q)
        if high is not None:
            assert abs(q.high - high) < 1e-6 * max(1, high), (text, q)
        assert q.change == change, (text, q)


def test_percent_and_currency_units():
    assert extract("5,5 Prozent", "de")[0].unit == "%"
    assert extract("10 Millionen Euro", "de")[0].unit == "EUR"


NON_CLAIMS = ["am 17.06.2025", "am 30.6.25", "am 4. Juni", "im Jahr 1945", "122-mm-Geschosse", "die MiG-29",
              "Hwasong-11-Klasse", "/Suedkorea/!6088546", "[1]", "um 10:30 Uhr", "auf Seite 12", "seit 2023",
              "im Dezember 2024", "18 Jun 2025"]


def test_non_claims_are_not_quantities():
    for t in NON_CLAIMS:
        assert extract(t, "de") == [], t


def test_year_then_count():
    qs = extract("im Jahr 2024 1.500 russische Touristen", "de")
    assert [q.value for q in qs] == [1500]


def _fmt(n: int, lang: str) -> str:
    s = f"{n:,}"
    return s.replace(",", ".") if lang == "de" else s


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from(["de", "en"]))
def test_integers_round_trip(n, lang):
    q = extract(f"Es waren {_fmt(n, lang)} Menschen" if lang == "de" else f"There were {_fmt(n, lang)} people", lang)
    assert len(q) == 1 and q[0].value == n and q[0].low == n and q[0].high == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=9),
       st.sampled_from(["de", "en"]),
       st.sampled_from([("Millionen", "million", 10**6), ("Milliarden", "billion", 10**9)]),
       st.sampled_from([None, "approx", "above"]))
def test_decimals_with_scales_and_hedges(whole, frac, lang, scale, hedge):
    word = scale[0] if lang == "de" else scale[1]
    sep = "," if lang == "de" else "."
    hedge_word = {None: "", "approx": "rund " if lang == "de" else "about ",
                  "above": "mehr als " if lang == "de" else "more than "}[hedge]
    currency = "Euro" if lang == "de" else "euros"
    text = f"{hedge_word}{whole}{sep}{frac} {word} {currency}"
    qs = extract(text, lang)
    assert len(qs) == 1, (text, qs)
    expected = (whole + frac / 10) * scale[2]
    assert abs(qs[0].value - expected) < 1e-6 * expected
    if hedge is None:
        assert qs[0].low == qs[0].value == qs[0].high
    elif hedge == "approx":
        assert qs[0].low < expected < qs[0].high
    else:
        assert qs[0].low > expected and qs[0].high is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["de", "en"]))
def test_extraction_never_crashes(text, lang):
    for q in extract(text, lang):
        assert 0 <= q.start <= q.end <= len(text)


def test_parse_number_styles():
    assert parse_number("11.000", "de") == 11000
    assert parse_number("11,000", "en") == 11000
    assert parse_number("5,5", "de") == 5.5
    assert parse_number("5.5", "en") == 5.5
    assert parse_number("1.234.567,5", "de") == 1234567.5


# --------------------------------------------------------------------------- case files, one per finder

CASE_DIR = Path(__file__).parent / "data" / "quantities"
FILE_CASES = [(f.stem, i, c) for f in sorted(CASE_DIR.glob("*.yml"))
              for i, c in enumerate(yaml.safe_load(f.read_text(encoding="utf-8")))]


def _same(got: object, want: object) -> bool:
    if want is None or got is None:
        return got is want
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and abs(float(got) - float(want)) <= 1e-6 * max(1.0, abs(float(want)))
    return bool(got == want)


@pytest.mark.parametrize("name,index,case", FILE_CASES, ids=[f"{n}-{i}" for n, i, _ in FILE_CASES])
def test_case_files(name, index, case):
    """Each case: the quantities of a sentence in order, with the fields the case names."""
    qs = extract(case["text"], case["lang"])
    assert len(qs) == len(case["expect"]), (case["text"], qs)
    for q, want in zip(qs, case["expect"]):
        assert q.surface == case["text"][q.start:q.end]
        for key, value in want.items():
            assert _same(getattr(q, key), value), (case["text"], key, getattr(q, key), value)


def test_every_finder_has_a_case_file():
    names = {f.stem for f in CASE_DIR.glob("*.yml")}
    assert {"vague", "zero", "digits", "words", "fractions", "ranges", "units", "hedges", "non_claims"} <= names


# --------------------------------------------------------------------------- offsets as feeds deliver text

_SPACE = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\f", "\t", " \n", "\u00ad"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Es", "kamen", "rund", "12.000", "10", "Prozent", "Menschen", "und",
                                           "3,5", "Millionen", "Euro", "mehr", "als", "zwei", "bis", "15"]),
                          _SPACE), min_size=1, max_size=14))
def test_claim_surface_is_the_text_at_its_offsets(words):
    """However feeds space a figure (no-break, thin, doubled spaces, form feeds, soft hyphens), a claim's
    surface is exactly the document text between its offsets."""
    text = "Bericht. " + "".join(w + s for w, s in words) + "."
    doc = parse_text(text, "d", "d.txt")
    doc.language = "de"
    for c in extract_claims(doc):
        assert c.surface == text[c.start:c.end], (text, c.surface)
    for q, s, e in document_quantities(doc):
        assert 0 <= s <= e <= len(text)


_DIGIT_TEXT = st.text(alphabet="0123456789 .,:/-–abcUhr", min_size=0, max_size=40)


@settings(max_examples=300, deadline=None)
@given(_DIGIT_TEXT)
def test_digit_led_patterns_match_where_re_does(text):
    """The digit-led patterns, tried only where runs of digits start, find what ``finditer`` finds."""
    from reconcile.quantities import _DIGIT_EXCLUDED, _DIGITS, _SPACED_THOUSANDS, _digit_starts, _finditer_at

    starts = _digit_starts(text)
    for rx in (_DIGITS, _SPACED_THOUSANDS, *(fp.rx for fp in _DIGIT_EXCLUDED)):
        assert [m.span() for m in _finditer_at(rx, text, starts)] == [m.span() for m in rx.finditer(text)]


def test_only_digit_led_patterns_run_at_digit_starts():
    """A pattern that may match before a digit ("(?=\\d)" alone) is refused, not run wrongly."""
    import re

    from reconcile.quantities import _digit_led

    with pytest.raises(ValueError):
        _digit_led(re.compile(r"(?=\d)\d+"))
    assert _digit_led(re.compile(r"(?=\d)(?<![\w.])\d+"))


@pytest.mark.parametrize("text,lang,expected", [
    ("Sie sagte und ging, ein Hund bellte.", "de", []),
    ("Und dann kamen drei Kinder.", "de", [("drei", 3.0)]),
    ("Er kam um 10:30 Uhr am 5. Mai 2020 mit 1.200 Euro.", "de", [("1.200 Euro", 1200.0)]),
    ("At 3:15 pm on 12/05/2020, 1,200 people and 80, 000 fans came.", "en", [("1,200", 1200.0), ("80, 000", 80000.0)]),
])
def test_skipped_number_words_and_excluded_digits(text, lang, expected):
    """"und" and "ein" alone make no figure; clock times and dates stay out, the figures beside them stay in."""
    assert [(q.surface, q.value) for q in extract(text, lang)] == expected


_DE_PIECES = ["und", "ein", "eine", "einer", "zwanzig", "drei", "tausend", "einhalb", "elf", "Elfmeter", "Hilfen",
              "Corona", "DREI", "Zwölf", "acht", "x", "ſ", "4"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DE_PIECES), st.sampled_from(["", " ", "-", ", ", "- "])), max_size=8))
def test_kept_german_number_words_are_the_de_word_matches_not_skipped(parts):
    """``de_word_kept`` finds exactly the ``de_word`` matches that ``_skipped_de_word`` keeps, and the digitless
    test answers as testing each of those matches would."""
    from reconcile.lexicon import load_lexicon
    from reconcile.literals import fold
    from reconcile.quantities import _kept_de_word, _patterns, _skipped_de_word

    text = "".join(w + sep for w, sep in parts)
    p = _patterns(load_lexicon(), "de")
    kept = [m.span() for m in p.fast["de_word"].finditer(text, fold(text)) if not _skipped_de_word(m.group(1), p)]
    if "ſ" not in text:  # a letter folding changes apart from lower case: the long way is taken
        assert [m.span() for m in p.fast["de_word_kept"].finditer(text, fold(text))] == kept
    assert _kept_de_word(text, fold(text), p) == bool(kept)
