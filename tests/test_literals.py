"""Literal prefilters: the literal of a pattern, and no sentence where the pattern matches but the filter says no."""

from __future__ import annotations

import re

import pytest

from reconcile.lexicon import load_lexicon
from reconcile.literals import _SAFE, FastPattern, case_free, fast_pattern, fold, literals_of, may_match


@pytest.mark.parametrize("pattern, flags, literal", [
    (r"\bzufolge\b", re.I, (("zufolge",), True)),
    (r"(?<!es\s)\bgab\b(?!\s+es\b)", re.I, (("gab",), True)),
    (r"\bnach Angaben (?:von|des)\b", re.I, (("nach angaben ",), True)),
    (r"\bsoll\b(?:(?!\bsoll\b).)*\bwerden\b", re.I, (("werden",), True)),  # the longer of two required runs
    (r"Prozent", 0, (("Prozent",), False)),  # case kept when the pattern keeps it
    (r"(?i)Prozent", 0, (("prozent",), True)),  # an inline flag counts
    (r"^\s*(?:wenn|falls)\b", re.I, (("falls", "wenn"), True)),  # one of the branches
    (r"laut|Zufolge", re.I, (("zufolge", "laut"), True)),
    (r"(?:laut|\d+)\s+Polizei", re.I, (("polizei",), True)),  # a branch without a literal: the run after
    (r"(?:laut|\d+)", re.I, None),  # a branch without a literal, nothing else
    (r"(?:ab)+c?", 0, (("ab",), False)),  # a repeat of at least one
    (r"(?:ab)*c?", 0, None),  # a repeat that may be empty
    (r"\bΜέτρα\b", re.I, None),  # a cased letter outside ASCII and the umlauts
    (r"[-‑]Informationen\b", re.I, (("informationen",), True)),
    (r"\b(?:einer|ein)\s+(?=Millionen|Million)", re.I, (("million",), True)),  # a look-ahead requires its text
    (r"(?<=\d)\s?(?!Euro)Prozent", 0, (("Prozent",), False)),  # a negative look-ahead requires nothing
    (r"[½¼]", 0, (("¼", "½"), False)),  # a set of characters: one of them
])
def test_literals_of(pattern: str, flags: int, literal: tuple[tuple[str, ...], bool] | None) -> None:
    assert literals_of(re.compile(pattern, flags)) == literal


def test_fold_matches_ignorecase_over_all_characters() -> None:
    """Every character that a case-insensitive literal letter matches folds to that letter (else the filter
    could say no where the pattern matches): "ſ" is an "s", "ı" and "İ" are an "i", "K" (Kelvin) is a "k"."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in sorted(_SAFE) + [chr(c) for c in range(32, 127) if not chr(c).isalpha()]:
        for ch in re.findall(re.escape(letter), everything, re.I):
            assert fold(ch) == letter, (letter, ch)
    assert fold("Der İnhalt, ſo GROẞ") == "der inhalt, so groß"
    # a character without case that may stand in a literal: no other character lower-cases to it
    for ch in everything:
        low = ch.lower()
        if len(low) == 1 and low != ch and not low.isalpha():
            assert not (low == low.upper()), (ch, low)


def test_user_patterns_always_run() -> None:
    class Timed:  # shaped like the lexicon's time-bounded user pattern (not an ``re.Pattern``)
        pattern, flags = "zufolge", re.I

    assert literals_of(Timed()) is None
    assert may_match(Timed(), "nichts", "nichts")


_SENTENCES = [
    "Der Polizei zufolge wurden 12 Menschen verletzt, sagte ein Sprecher.",
    "Nach Angaben des Ministeriums soll die Zahl bis Ende des Jahres auf 300 steigen werden.",
    "Laut NIS gehen die Geheimdienste davon aus, dass 11.000 Soldaten entsandt wurden.",
    "According to officials, 40 people were killed, the ministry SAID on Monday.",
    "The agency reportedly estimated 3,000 troops; it would send more, sources told Reuters.",
    "Es gab keine Verletzten. So Berichten zufolge die Feuerwehr.",
]


def test_never_says_no_where_a_cue_matches() -> None:
    """On sentences full of cues, a pattern that matches a sentence always passes its filter."""
    lex = load_lexicon()
    patterns = [rx for lg in ("de", "en") for rx in lex.att_after[lg] + lex.att_before[lg] + lex.cumulative[lg]]
    patterns += [rx for kinds in lex.modality.values() for pats in kinds.values() for rx in pats]
    hits = 0
    for text in _SENTENCES:
        for rx in patterns:
            if rx.search(text):
                hits += 1
                assert may_match(rx, text, fold(text)), (rx.pattern, text)
    assert hits > 20
    assert not may_match(re.compile(r"\bzufolge\b", re.I), "Die Polizei meldete 12 Verletzte.",
                         fold("Die Polizei meldete 12 Verletzte."))


@pytest.mark.parametrize("pattern, has_twin", [
    (r"(?<![\w-])(?:Millionen|Tausend)(?![\w])", True),
    (r"\b[A-ZÄÖÜ][a-z]+\b", True),  # a range of letters is spelt out folded
    (r"(?-i:Won)\b", False),  # a group that changes a flag
    (r"\bΜέτρα\b", False),  # a cased letter outside ASCII and the umlauts
    (r"(\w)\1", False),  # a back reference compares case
])
def test_case_free_twin(pattern: str, has_twin: bool) -> None:
    assert (case_free(re.compile(pattern, re.I)) is not None) is has_twin
    assert case_free(re.compile(pattern)) is None  # a case-sensitive pattern needs none


def test_fast_patterns_match_as_the_patterns_do() -> None:
    """Every packaged quantity pattern, run fast, finds the same matches (spans, groups, their text)."""
    from reconcile.quantities import _patterns

    texts = _SENTENCES + ["Rund ZWEITAUSEND Menschen, ein Viertel davon am 3. MÄRZ 2020 um 14 Uhr, Zehntausende.",
                          "Nobody was hurt; a handful of the Three Quarters million, ſeventy-two hundred in May 2021.",
                          "Die Vierzehn sagte: „Keine Verletzten“, dreieinhalb Millionen Euro, -4,5 Prozent."]
    twins = 0
    for lang in ("de", "en"):
        for rx in _patterns(load_lexicon(), lang).rx.values():
            fast = FastPattern(rx)
            twins += fast.twin is not None
            for text in texts:
                want = [(m.span(), m.regs, m.groups()) for m in rx.finditer(text)]
                assert [(m.span(), m.regs, m.groups()) for m in fast.finditer(text, fold(text))] == want, rx.pattern
                got = fast.search(text, fold(text))
                assert (got and got.span()) == (want[0][0] if want else None)
    assert twins > 40


def test_fast_pattern_is_built_once_and_matches_as_re_does() -> None:
    """One kept ``FastPattern`` per pattern, whether given as text (pysbd's rules) or compiled (the cues)."""
    rx = re.compile(r"\b(?:laut|according to)\s+(\w+)", re.I)
    assert fast_pattern(rx) is fast_pattern(rx)
    assert fast_pattern(r"(?<=\d)\.(?=\d)") is fast_pattern(r"(?<=\d)\.(?=\d)")
    assert fast_pattern(r"x", re.I).rx.flags & re.I and not fast_pattern(r"x").rx.flags & re.I
    text = "Laut Polizei kamen 3.5 Tausend, according to POLICE, laut ihr."
    assert [m.regs for m in fast_pattern(rx).finditer(text, fold(text))] == [m.regs for m in rx.finditer(text)]
    assert [m.span() for m in fast_pattern(r"(?<=\d)\.(?=\d)").finditer(text, fold(text))] == [(20, 21)]
