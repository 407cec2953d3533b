"""Quantity extraction for German and English: every number expression with an interval.

A figure is an interval: ``low``/``high`` (``None`` = unbounded) around a representative ``value``.
``extract`` runs an ordered list of small finders over one scan of a sentence (``FINDERS``: vague
quantities, zero claims, scientific notation, fractions, digits, number words), then joins scales, ranges,
changes and tallies, then attaches units, currencies, ages and hedges. Every word list comes from
``rules/lexicon`` (numbers.yml, units.yml, vague.yml, hedges.yml). Dates, years, clock times, calibres,
model names, link ids, page and section numbers are recognised and left out: they are no claims.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import simplemma
import yaml
from text_to_num import text2num

from reconcile.dates import MONTH_RE
from reconcile.lexicon import Lexicon, default_rules_dir, load_lexicon
from reconcile.literals import FastPattern, Prefiltered, fold
from reconcile.units import canonical

__all__ = ["RawQuantity", "extract", "parse_number", "rounding_unit", "hedge_interval", "noun_after",
           "CHANGE", "FINDERS"]

CHANGE = {"approx": "~", "just_below": "<", "just_above": ">", "above": ">", "at_least": ">", "up_to": "<",
          "below": "<"}


@dataclass
class RawQuantity:
    """A quantity as found in a string, before it is mapped to document offsets.

    ``kind``: number | word | range | vague | zero | fraction | from (the old value of a change, "von 19
    auf 16": 19) | tally (one side of a score or vote, "134-to-63") | calibre | decade (an age by its
    decade, "in their 70s": 70 to 79). ``unit_canonical``/``value_canonical``:
    the figure in its class's canonical unit (metres, kilograms, degrees Celsius ...); None for counts,
    percent and money (money stays in its currency). ``direction``: "decrease" for a percentage decline
    written with a minus ("minus 7,9 Prozent", "ein Minus von 4,7 Prozent", "-2.4%"), whose ``value`` is
    then its magnitude (7.9), as for "schrumpfte um 7,9 Prozent"; None otherwise. Levels keep their sign
    ("minus 5 Grad", "minus-8 yards", a negative interest rate).
    """

    start: int
    end: int
    surface: str
    value: float
    low: float | None
    high: float | None
    unit: str | None
    hedge: str | None
    change: str
    kind: str
    unit_class: str
    unit_canonical: str | None = None
    value_canonical: float | None = None
    direction: str | None = None


# --------------------------------------------------------------------------- numbers

def parse_number(s: str, lang: str | None, scaled: bool = False) -> float | None:
    """Parse digits in German or English style: ``11.000``, ``11,000``, ``5,5``, ``5.5``, ``1 000``.

    A single separator followed by exactly three digits is a thousands separator, unless it is the
    language's decimal mark before a scale word (``1.250 million`` in English).
    """
    s = s.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2009", " ").replace("’", "'")
    for sep in (" ", "'"):
        if sep in s:
            s = s.replace(sep, "")
    dec = "," if lang == "de" else "."
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s)
    if len(set(seps)) == 2:
        last = max(s.rfind(","), s.rfind("."))
        intpart = re.sub(r"[.,]", "", s[:last])
        return float(f"{intpart}.{s[last + 1:]}")
    sep = seps[0]
    groups = s.split(sep)
    if len(groups) > 2:
        if all(len(g) == 3 for g in groups[1:]) or (
                sep == "," and len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1])):
            return float("".join(groups))  # 1,234,567 or the Indian 12,34,567
        return None
    head, tail = groups
    if len(tail) == 3 and not (scaled and sep == dec) and head != "0":
        return float(head + tail)
    return float(f"{head}.{tail}")


def rounding_unit(value: float) -> float:
    """The unit a figure is rounded to: its last non-zero digit's place, capped at its group and 20%."""
    v = abs(value)
    if v == 0:
        return 1.0
    if abs(v - round(v)) > 1e-9:
        decimals = len(repr(v).split(".")[1]) if "." in repr(v) else 0
        return 10.0 ** -min(decimals, 6)
    iv = int(round(v))
    place = 1
    while iv % (place * 10) == 0 and place * 10 <= iv:
        place *= 10
    group = 1000 ** int(math.log(v, 1000) + 1e-9) if v >= 1000 else 1
    unit = min(place, group) if group > 1 else place
    unit = min(unit, max(1.0, 0.2 * v))
    return float(unit)


def hedge_interval(value: float, kind: str | None, lex: Lexicon,
                   integral: bool = True) -> tuple[float | None, float | None]:
    """The interval a hedge makes of a figure (see rules/lexicon/hedges.yml)."""
    if kind is None:
        return value, value
    unit = rounding_unit(value)
    step = 1.0 if integral and float(value).is_integer() else 0.0
    if kind == "approx":
        half = max(unit / 2, lex.rounding_min_relative * abs(value))
        return value - half, value + half
    if kind == "just_below":
        return value - unit, value
    if kind == "just_above":
        return value, value + unit
    if kind == "above":
        return value + step, None
    if kind == "at_least":
        return value, None
    if kind == "up_to":
        return 0.0, value
    if kind == "below":
        return 0.0, value - step
    return value, value


def _clean(v: float) -> float:
    """Undo binary float noise of scaling (4.1 x 10^6 is 4,100,000, not 4,099,999.9999999995)."""
    r = round(v)
    return float(r) if abs(v - r) <= 1e-9 * max(1.0, abs(v)) else float(f"{v:.12g}")


# --------------------------------------------------------------------------- lexicon-derived patterns

def _alt(words: Any) -> str:
    """One regex alternation of literal words, longest first (so "mehr als" wins over "mehr")."""
    return "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: len(str(w)), reverse=True))


def _words_re(words: Any) -> str:
    """An alternation of words whose spaces match any white space run."""
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+")
                    for w in sorted(words, key=lambda w: len(str(w)), reverse=True))


@dataclass(frozen=True)
class _Pats:
    """Everything the finders of one language read from the lexicon, compiled once per lexicon."""

    cfg: dict[str, Any]
    rx: dict[str, re.Pattern[str]]
    en_values: dict[str, int]
    scales: dict[str, float]
    measures: dict[str, tuple[str, str]]  # written unit (lower case) -> (pint name, class)
    measures_exact: dict[str, tuple[str, str]]  # case-sensitive symbols ("kW", "PS")
    candidates: tuple[re.Pattern[str], ...]  # what any quantity starts with
    word_candidates: tuple[FastPattern, ...]  # the candidates after the first (a digit), searched fast
    other_words: Prefiltered  # the word candidates after the number words: one test of all their literals
    not_numbers_de: frozenset[str]  # German words the number morphemes spell that are no number
    free_short_scales: frozenset[str]  # short scale words that scale a number standing alone ("5 bn")
    fast: dict[str, FastPattern] = field(default_factory=dict)  # ``rx`` searched fast (``reconcile.literals``)


def _numbers_cfg(lex: Lexicon) -> dict[str, Any]:
    data = lex.raw.get("numbers")
    if not data:  # a lexicon built before numbers.yml existed: read the packaged file
        data = yaml.safe_load((default_rules_dir() / "lexicon" / "numbers.yml").read_text(encoding="utf-8"))
    return dict(data)


def _measure_tables(lex: Lexicon) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    low: dict[str, tuple[str, str]] = {}
    exact: dict[str, tuple[str, str]] = {}
    for cls, table in (lex.raw["units"].get("measures") or {}).items():
        for written, unit in table.items():
            exact[str(written)] = (str(unit), str(cls))
            low.setdefault(str(written).lower(), (str(unit), str(cls)))
    return low, exact


def _unit_sources(lex: Lexicon, lang: str, scales: dict[str, float]) -> dict[str, str]:
    """Patterns of what stands around a number: hedges, scale words, currencies, percent, units, ages."""
    cfg = _numbers_cfg(lex)
    long_scales = [s for s in scales if len(s.rstrip(".")) > 2]
    short_scales = [s for s in scales if len(s.rstrip(".")) <= 2]
    cur_words = [c for c in lex.currencies if len(c) > 1 and c[0].isalpha() and not c.isupper()]
    cur_syms = [c for c in lex.currencies if c not in cur_words]
    _, exact_m = _measure_tables(lex)
    short = set(lex.raw["units"].get("short_measures") or [])
    return {
        "hedge": rf"(?:^|(?<=[\s(„\"'–-]))({_alt(lex.hedges.get(lang, {}))})\s+$",
        "scale": rf"^[”\"]?\s?(?:({_alt(long_scales)})(?![\w])|({_alt(short_scales)})(?![\w]))",
        "cur_after": rf"^\s?({_alt(cur_words + [c for c in cur_syms if c.isalpha()])})(?![\w])",
        "cur_before": rf"(?<![A-Za-z])({_alt(cur_syms)})\s?$",
        "percent": rf"^\s?(?:{_words_re(lex.percent)})(?![\w])",
        "measure_long": rf"^[\s-]?(?:{_words_re([u for u in exact_m if u not in short])})(?![\w])",
        "measure_short": rf"^ ?(?:{_alt(short)})(?![\w/²])",
        "age_after": rf"^(?:{_words_re(cfg['age']['after'])})",
        "age_before": rf"\b(?:{_words_re(cfg['age']['before'])})\s+$",
    }


def _number_sources(lex: Lexicon, lang: str) -> dict[str, str]:
    """Patterns of the numbers themselves: vague quantities, zero claims, number words, fractions."""
    cfg = _numbers_cfg(lex)
    w, en, fr, zero, v = cfg["words"], cfg["words"]["en"], cfg["fractions"], cfg["zero"][lang], lex.vague
    several = v.get("several", {}).get("words", {}).get(lang, []) + v.get("few", {}).get("words", {}).get(lang, [])
    vs = {k.lower() for k in v.get("scales", {}).get(lang, {})}
    plurals, prefixes = v.get("plural_words", {}), v.get("plural_prefixes", {})
    en_all = _alt({**en["units"], **en["tens"], **en["multipliers"]})
    de_morph = _alt(w["de"]["morphemes"])
    de_whole = rf"(?:{de_morph})+(?:{re.escape(w['de']['half'])}(?:{de_morph})*)?"
    halves = _words_re(cfg.get("and_a_half", {}).get(lang, []) or ["(?!)"])
    one = _alt(en["articles"] + [k for k, v in en["units"].items() if v == 1])  # "a", "one": before "dozen and a half"
    of_ = _alt(cfg.get("vague_of_after", []) or ["(?!)"])  # "dozens of", "thousands of": the word is part of the figure
    return {
        "vague_plural": (rf"(?<![\w-])(?:({_alt(prefixes['de'])})|({_words_re(prefixes['en'])})\s+)?"
                         rf"({_alt(plurals['de'])}|{_alt(plurals['en'])})[nr]?(?![\w-])(?:\s+(?:{of_})\b)?"),
        "vague_several": rf"(?<![\w-])({_alt(several)})\s+({_alt(vs)})(?![\w-])(?:\s+(?:{of_})\b)?",
        "handful": rf"(?<![\w-])({_words_re(v.get('handful', {}).get('words', {}).get(lang, []))})(?![\w-])",
        "zero": (rf"(?<![\w-])(?:{_words_re(zero['phrases'])}|(?:{_words_re(zero['subjects'])})"
                 rf"(?=(?:\s+[\w-]+){{0,5}}?\s+(?:{_words_re(zero['harm'])})\b))(?![\w-])"),
        "zero_words": rf"(?<![\w-])(?:{_words_re(zero['phrases'] + zero['subjects'])})",
        "en_seq": (rf"\b(?:(?:{_alt(en['articles'])})\s+(?=(?:{_alt(en['dozen'] + list(en['multipliers']))})\b))?"
                   rf"(?:(?:{en_all})(?:-(?:{en_all}))?|{_alt(en['dozen'])})"
                   rf"(?:(?:\s+(?:{_alt(en['conjunctions'])})\s+|\s+|-)(?:{en_all}|{_alt(en['dozen'])}))*\b"),
        "de_word": rf"(?<![\w-])({de_whole})(-?)(?![\w])",
        # a number word that ``_find_words_de`` keeps: not a listed non-number ("ein", "und"), not ending in
        # "und"; led by a set of its first letters, so that ``re`` skips ahead to them
        "de_word_kept": (rf"(?=[{''.join(sorted({m[0].lower() for m in w['de']['morphemes']}))}])(?<![\w-])"
                         rf"(?!(?:{_alt(w['de']['not_numbers'])})(?!\w))({de_whole})(?<!{re.escape(w['de']['and'])})"
                         rf"-?(?!\w)"),
        "fraction_word": (rf"(?<![\w-])(?:({_alt(list(en['units']) + w['de']['morphemes'] + en['articles'])}"
                          rf"|{_alt(w['de']['articles'])})[\s-]+)?({_alt(fr[lang])})(?![\w])"),
        # fraction words found by their denominators first: the full pattern is slow to scan
        "denominator": rf"(?<!\w)(?:{_alt(fr[lang])})(?![\w])",
        "glyph": rf"({_alt(fr['glyphs'])})",
        # "two and a half", "7 and a half": the number and its half; "a decade and a half": the article, the
        # unit (checked by ``_measure_at``) and its half
        "half_after_number": (rf"(?<![\w.,-])(\d{{1,3}}|{_alt(list(en['units']) + list(en['tens']))})"
                              rf"\s+(?:{halves})(?![\w-])"),
        "half_after_scale": (rf"(?<![\w-])(?:{one})"
                             rf"\s+({_alt(en['dozen'] + list(en['multipliers']))})\s+(?:{halves})(?![\w-])"),
        "dozen_after": rf"\s+(?:{_alt(en['dozen'])})(?![\w-])",  # matched where a figure ends
        "half_after_unit": (rf"(?<![\w-])(?:{one})"
                            rf"\s+(?=[^\W\d])(.{{1,30}}?)\s+(?:{halves})(?![\w-])"),
        "de_one": rf"(?<![\w-])({_alt(w['de']['one_before'])})\s+(?=(?:{_alt(w['de']['one_scales'])})\b)",
        "de_special": rf"(?<![\w-])({_alt(w['de']['special'])})(?![\w])",
    }


def _context_sources(lex: Lexicon, lang: str) -> dict[str, str]:
    """Patterns of the context that joins figures or tells a number that is no claim."""
    cfg = _numbers_cfg(lex)
    refs = cfg["reference_before"]
    windows = lex.raw["units"].get("duration_windows") or {}
    decades = cfg.get("age_decades", {}) or {}
    approx = [w for w, kind in lex.hedges.get(lang, {}).items() if kind == "approx"] or ["(?!)"]
    return {
        "range_mid": rf"^\s?(?:{_alt(cfg['range_mid'][lang])})\s?",
        # "zwischen 10 und 15", and with an approximation inside ("between about 40 and 50": the range 40-50)
        "between": rf"\b(?:{_alt(cfg['between'][lang])})\s+(?:(?:{_words_re(approx)})\s+)?$",
        "change_new": rf"^\s(?:{_alt(cfg['change_words'].get('de_new', []))})\s$",
        "change_before": (rf"\b(?:{_alt(cfg['change_words'][lang])})\s+(?:\w+\s+)?"  # "rose from (about) 310 to"
                          rf"(?:{_alt(cfg['change_words']['from'])})\s+(?:(?:{_words_re(approx)})\s+)?$"),
        "reference_noun": rf"^\s+(?:{_alt(cfg['reference_nouns'])})\b",
        "page": (rf"(?:(?<![\w.])(?:{_alt([r for r in refs if r[0].isalpha()])})"
                 rf"|{_alt([r for r in refs if not r[0].isalpha()])})\s*$"),
        "year_before": rf"\b(?:{_words_re(cfg['year_before'])})\s*$",
        "year_after": rf"^\s*(?:{_alt(cfg['year_after'])})\b",
        "ordinal_after": rf"^\.\s+(?:[a-zäöüß]|(?:{_alt(cfg['ordinal_after'])})\b)",
        "calibre_after": rf"^\s?(?:{_alt(cfg['calibre_after'])})\b",
        "inch_calibre": (rf"(?=[.\d])(?<![\w,])\.?(\d{{2,3}})"
                         rf"(?:\s?(?:{_alt(cfg.get('inch_calibre_after', []) or ['(?!)'])}))(?![\w])"),
        # ".357 revolver", "a. 357 revolver" (as feeds tokenise it): the point after a space, the start or a lone letter
        "inch_calibre_weapon": (rf"(?:(?<![^\s])|(?<=(?<!\w)\w))\.\s?(\d{{2,3}})\s+"
                                rf"(?:{_alt(cfg.get('inch_calibre_weapons', []) or ['(?!)'])})(?![\w])"),
        "age_decade": (rf"(?<![\w-])(?:{_words_re(decades.get('before', {}).get(lang, []) or ['(?!)'])})"
                       rf"\s+([1-9])0(?:{_alt(decades.get('after', []) or ['(?!)'])})(?![\w])"),
        "clock": rf"(?=\d)(?<![\d.,])\d{{1,2}}(?:[:.]\d{{2}})?\s?(?:{_words_re(cfg['clock_after'])})(?![\w])",
        "minus": rf"(?:(?<![\w-])(?:{_alt(cfg['minus'])})[\s-]|(?<![\w\d.,)-])[-−–])$",
        "one_not_before": rf"^\s+(?:{_alt(cfg['words']['en']['one_not_before'])})\b",
        "one_not_after": rf"(?<![\w-])(?:{_alt(cfg['words']['en']['one_not_after'])})\s*$",
        "definite_before": rf"\b(?:{_alt(cfg['definite_articles'])})\s+$",
        "en_plural": rf"^[a-z]+(?:{_alt(cfg['noun_phrase']['en_plural_endings'])})$",
        "decade_after": rf"^(?:{_alt(cfg['decade_after'])})(?![\w])",
        "month_day": rf"\b(?:{MONTH_RE})\.?\s+\d{{1,2}}(?:{_alt(cfg['ordinal_suffixes'])})?\b",
        "zip": rf"\b[A-Z]{{2}}\s\d{{5}}(?:-\d{{4}})?\b|\b(?:{_alt(cfg['zip_prefixes'])})-\d{{4,5}}\b",
        "tally": rf"(?=\d)(?<![\w.,])(\d+)(?:{_alt(cfg['tally_glued'])})(\d+)(?![\w])",
        "cents_gap": rf"^\s*(?:(?:{_alt(cfg['cents']['joiners'])})\s+)?$",
        "cents_after": rf"^\s*(?:(?:{_alt(cfg['cents']['words'])})\b|[.,;!?)]|$)",
        # "ein Minus von (rund) 3 Prozent": a negative figure named by a noun, a hedge of up to two words between
        "minus_noun": rf"(?<![\w-])(?:{_words_re(cfg.get('minus_noun', {}).get(lang, []) or ['(?!)'])})"
                      r"\s+(?:[^\W\d]+\s+){0,2}$",
        # "Einlagezins von minus 0,5 Prozent": a negative percentage that is a level, not a decline
        "signed_percent_level": rf"(?:{_words_re(cfg.get('signed_percent_levels', {}).get(lang, []) or ['(?!)'])})"
                                rf"[\w-]*\s+(?:[^\W\d]+\s+){{0,3}}(?:[-−–]\s?|(?:{_alt(cfg['minus'])})[\s-]|[^\W\d]+\s+)?$",
        # "seit über 30 Jahren", "in den letzten drei Monaten", "eight years ago": a duration that dates another
        "window_before": rf"(?<![\w-])(?:{_words_re(windows.get('before', {}).get(lang, []) or ['(?!)'])})"
                         r"\s+(?:[^\W\d]+\s+){0,2}$",
        "window_after": rf"^\s*(?:{_words_re(windows.get('after', {}).get(lang, []) or ['(?!)'])})(?![\w])",
    }


# patterns matched case-sensitively: "Won" the currency and "won" the verb, "m" metres and "M",
# "3. Platz" an ordinal and "16. Derweil" a sentence end
_CASED = ("cur_after", "measure_short", "ordinal_after", "zip", "decade_after", "en_plural")


@lru_cache(maxsize=16)  # per lexicon and language (lexicons hash by identity)
def _patterns(lex: Lexicon, lang: str) -> _Pats:
    cfg = _numbers_cfg(lex)
    en = cfg["words"]["en"]
    scales = dict(lex.scales.get("en" if lang == "de" else "de", {}))
    scales.update(lex.scales.get(lang, {}))
    low_m, exact_m = _measure_tables(lex)
    rx = {**_unit_sources(lex, lang, scales), **_number_sources(lex, lang), **_context_sources(lex, lang)}
    compiled = {k: re.compile(p, 0 if k in _CASED else re.I) for k, p in rx.items()}
    _digit_led(compiled["clock"])  # ``_excluded_spans`` runs it where runs of digits start
    # every vague quantity holds one of these stems ("mehrere Tausend", "Zehntausende", "dozens", "a handful")
    v = lex.vague
    stems = {k.lower()[:6] for lg in ("de", "en") for k in v.get("scales", {}).get(lg, {})}
    stems |= {w for ws in v.get("plural_words", {}).values() for w in ws}
    stems |= {str(x).lower().split()[-1][:6] for x in v.get("handful", {}).get("words", {}).get(lang, [])}
    compiled["vague_any"] = re.compile(_alt({x.lower() for x in stems}))  # searched in lower case: 7x faster than re.I
    # anything a quantity can start with: searched one pattern after another (one alternation of all of them
    # tries every branch at every position, which is slower); most sentences have a digit and stop at once
    candidates = tuple(compiled[k] if k != "digit" else re.compile(r"\d") for k in (
        "digit", "de_word" if lang == "de" else "en_seq", "vague_plural", "vague_several", "de_special",
        "zero_words", "handful", "glyph", "denominator", "de_one"))
    skip = frozenset(x.lower() for x in cfg["words"]["de"]["not_numbers"])
    en_values = {**en["units"], **en["tens"], **en["multipliers"]}
    free = frozenset(str(x).lower() for x in cfg["free_short_scales"])
    return _Pats(cfg, compiled, en_values, scales, low_m, exact_m, candidates,
                 tuple(FastPattern(rx) for rx in candidates[1:]), Prefiltered(candidates[2:]), skip, free,
                 {k: FastPattern(rx) for k, rx in compiled.items()})


# --------------------------------------------------------------------------- the scan

@dataclass
class _Core:
    """A number found by a finder, before scales, ranges and units."""

    start: int
    end: int
    value: float
    kind: str


@dataclass
class _Scan:
    """One sentence under extraction: what the finders found so far, and where."""

    text: str
    lang: str
    lex: Lexicon
    p: _Pats
    excluded: list[tuple[int, int]]
    folded: str = ""  # ``literals.fold(text)``: a pattern whose words it lacks is not run
    digit_starts: list[int] = field(default_factory=list)  # where runs of digits start (``_finditer_at``)
    cores: list[_Core] = field(default_factory=list)
    done: list[RawQuantity] = field(default_factory=list)  # complete figures (vague, zero, fractions)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def free(self, a: int, b: int) -> bool:
        """Nothing found yet overlaps [a, b)."""
        return not _overlaps(a, b, self.taken) and not _overlaps(a, b, self.excluded)

    def add_done(self, q: RawQuantity) -> None:
        """Keep a complete figure and mark its span taken, so no later finder reads it again."""
        self.done.append(q)
        self.taken.append((q.start, q.end))


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


_DIGIT_RUN = re.compile(r"\d+")
# a pattern led by (?=\d) and a look-behind that excludes a digit: every match starts where a run of digits does
_DIGIT_LED = re.compile(r"\(\?=\\d\)\(\?<!(?:\\[dw]|\[[^\]]*\\[dw][^\]]*\])\)")


def _digit_led(rx: re.Pattern[str]) -> re.Pattern[str]:
    r"""``rx``, checked to be led by a digit (``(?=\d)(?<![\d...])``), so ``_finditer_at`` may run it."""
    if not _DIGIT_LED.match(rx.pattern):
        raise ValueError(f"not a digit-led pattern: {rx.pattern[:40]}")
    return rx


def _search(p: _Pats, key: str, window: str) -> re.Match[str] | None:
    """``p.rx[key].search(window)``, run as the pattern's case-free twin on the folded window: the same match,
    faster (1.5-3x, "change_before" 16x) for the case-insensitive word patterns searched before a figure."""
    return p.fast[key].search(window, fold(window))


def _digit_starts(text: str) -> list[int]:
    """Where each run of digits of ``text`` starts: the only places a digit-led pattern can match."""
    return [m.start() for m in _DIGIT_RUN.finditer(text)]


def _finditer_at(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a digit-led pattern, tried only where runs of digits start (``starts``):
    the same matches, without ``re`` trying the look-behind at every position of the sentence."""
    end = 0
    for at in starts:
        if at >= end:
            m = rx.match(text, at)
            if m:
                yield m
                end = m.end()


_HAS_DIGIT = re.compile(r"\d")
_FOLDED_APART = ("\u0130", "\u0131", "\u017f")  # letters ``fold`` maps that ``str.lower`` keeps
_FOUR_DIGITS = re.compile(r"\d{4}")
# patterns that open with a look-behind start with (?=\d): re then skips to the next digit instead of
# trying the look-behind at every position (3x faster on news text)
_DIGITS = _digit_led(re.compile(r"(?=\d)(?<![\d.,])(\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?"  # Indian grouping: 12,34,567.89
                     r"|\d{1,3}(?:[.,\u202f\u00a0\u2009' ’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"))
# "80, 000" as tokenisers leave it
_SPACED_THOUSANDS = _digit_led(re.compile(r"(?=\d)(?<![\d.,])\d{1,3}(?:, \d{3})+(?![\d,.])"))
_DATE_NUM = re.compile(r"(?=\d)(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d])")
_DATE_ISO = re.compile(r"(?=\d)(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_DATE_SLASH = re.compile(r"(?=\d)(?<![\d/])\d{1,2}/\d{1,2}/\d{2,4}(?![\d/])")
_TIME = re.compile(r"(?=\d)(?<![\d.])\d{1,2}:\d{2}(?![\d])")
_DAY_MONTH = re.compile(rf"(?=\d)(?<!\d)\d{{1,2}}\.?\s+(?:{MONTH_RE})\b\.?", re.I)
_MONTH_YEAR = re.compile(rf"\b(?:{MONTH_RE})\.?\s+(\d{{4}})\b", re.I)
_MONTH_ANY = re.compile(rf"\b(?:{MONTH_RE})", re.I)
_FAST_MONTHS = tuple(FastPattern(rx) for rx in (_MONTH_ANY, _digit_led(_DAY_MONTH), _MONTH_YEAR))
_PHONE = re.compile(r"(?=[+(\d])(?<![\w.,])\+?\(?\d{2,5}\)?[ /-]\d{3,}(?:[ /-]\d{2,})+(?![\w])")
_LINKID = re.compile(r"[!#]\d+|(?<![\d\s])/\d+|\[\d+\]")
_ATTACHED_BEFORE = re.compile(r"[A-Za-zÄÖÜäöü][-‑]?$")
_COMPOUND_AFTER = re.compile(r"^[-‑](?:[a-zäöüß]|[A-ZÄÖÜ][a-zäöüß])")
_ATTACHED_AFTER = re.compile(r"^[-‑]?[A-Za-zÄÖÜäöü]")
_SCI = re.compile(r"(?=\d)(?<![\w.,])(\d+(?:[.,]\d+)?)\s?[×x*]\s?10\^?([−-]?\d{1,3})(?![\d])")
_SLASH_FRACTION = re.compile(r"(?=\d)(?<![\w./])(?:(\d{1,3})\s)?([1-9])/(2|3|4|5|8|10|16)(?![\d/])")

_POINT_MONTH = re.compile(rf"^\.\s*(?:{MONTH_RE})\b", re.I)  # "5. Mai": a date
_COLON_DIGIT = re.compile(r"^:\d")
_MONTH_WORD = re.compile(rf"^(?:{MONTH_RE})\b", re.I)
_DIGIT_COLON = re.compile(r"\d:$")
_DIGIT_EXCLUDED = tuple(FastPattern(_digit_led(rx)) for rx in (_DATE_NUM, _DATE_ISO, _DATE_SLASH, _TIME))
_FAST_EXCLUDED = tuple(FastPattern(rx) for rx in (_LINKID, _PHONE))


def _excluded_spans(text: str, p: _Pats, folded: str, starts: list[int]) -> list[tuple[int, int]]:
    """Dates, clock times, phone numbers and link ids: digits that are never figures of a claim
    (``starts``: where the runs of digits start)."""
    spans: list[tuple[int, int]] = []
    if not starts:
        return spans
    for fp in _DIGIT_EXCLUDED:  # each is run only if the text holds its punctuation (".", ":", "/", ...)
        if fp.possible(text, folded):
            spans.extend((m.start(), m.end()) for m in _finditer_at(fp.rx, text, starts))
    link, phone = _FAST_EXCLUDED
    spans.extend((m.start(), m.end()) for m in link.finditer(text, folded))
    if len(starts) >= 3:  # a phone number holds three runs of digits or more ("030 123 4567")
        spans.extend((m.start(), m.end()) for m in phone.finditer(text, folded))
    if _FOUR_DIGITS.search(text):  # a postal code has four or five digits
        spans.extend((m.start(), m.end()) for m in p.rx["zip"].finditer(text))
    if p.fast["clock"].possible(text, folded):
        spans.extend((m.start(), m.end()) for m in _finditer_at(p.rx["clock"], text, starts))
    month_any, day_month, month_year = _FAST_MONTHS
    if month_any.search(text, folded):  # most sentences name no month: skip the three month patterns
        if day_month.possible(text, folded):
            spans.extend((m.start(), m.end()) for m in _finditer_at(day_month.rx, text, starts))
        spans.extend((m.start(), m.end()) for m in p.fast["month_day"].finditer(text, folded))
        spans.extend((m.start(1), m.end(1)) for m in month_year.finditer(text, folded))
    return spans


_YEAR_RANGE = re.compile(r"^\s?[-–]\s?\d{3,4}(?!\d)")
_NEXT_WORD = re.compile(r"\s*([^\s]+)")
_NUMBER_OR_STOP = re.compile(r"^[\d.,]+|^[.,;:!?)\]]")
_TWO_WORD_NAME = re.compile(r"\s*\S+\s+[A-ZÄÖÜ][a-zäöüß]+\b")
_DIGIT_END = re.compile(r"\d\s*$")


def _is_year(scan: _Scan, start: int, end: int) -> bool:
    """A four-digit number that names a year: after "seit", "in", before a decade suffix or punctuation."""
    text = scan.text
    token = text[start:end]
    if not _FOUR_DIGITS.fullmatch(token) or not 1000 <= int(token) <= 2100:
        return False
    rx = scan.p.rx
    if _search(scan.p, "year_before", text[max(0, start - 20):start]) or rx["decade_after"].match(text[end:end + 8]) \
            or rx["year_after"].match(text[end:end + 12]):
        return True
    if _measure_at(scan, end) or scan.p.rx["percent"].match(text[end:end + 12]) \
            or scan.p.rx["cur_after"].match(text[end:end + 12]):
        return False  # "2000ft", "2000 Euro", "1990 Prozent" are figures
    rng = _YEAR_RANGE.match(text[end:end + 12])
    if rng and _measure_at(scan, end + rng.end()):
        return False  # "1500 - 1800 calories": a range of figures, not of years
    nxt = _NEXT_WORD.match(text[end:end + 30])
    if not nxt:
        return True
    word = nxt.group(1)
    if _NUMBER_OR_STOP.match(word):
        return True
    if scan.lang == "de":
        # a count is followed by a capitalised noun that is not a month, an acronym or a name of two words
        # ("2000 Soldaten"; but "1933 Adolf Hitler", "2020 PDF")
        name = _TWO_WORD_NAME.match(text[end:end + 40])
        return not (word[:1].isupper() and not word.isupper() and not name
                    and not _MONTH_WORD.match(word))
    return not rx["en_plural"].match(word)  # "2000 troops": a count before a plural noun


# --------------------------------------------------------------------------- finders

@lru_cache(maxsize=16)
def _vague_scales(lex: Lexicon, lang: str) -> dict[str, float]:
    """Scale words of vague quantities ("mehrere Tausend") of both languages."""
    scales = lex.vague.get("scales", {})
    out = {k.lower(): float(v) for k, v in scales.get("en" if lang == "de" else "de", {}).items()}
    out.update({k.lower(): float(v) for k, v in scales.get(lang, {}).items()})
    return out


@lru_cache(maxsize=16)
def _few_words(lex: Lexicon, lang: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lex.vague.get("few", {}).get("words", {}).get(lang, []))


def _vague(scan: _Scan, start: int, end: int, cfg: dict[str, Any], scale: float) -> None:
    text = scan.text
    scan.add_done(RawQuantity(start, end, text[start:end], cfg["value"] * scale, cfg["low"] * scale,
                              cfg["high"] * scale - 1, None, "vague", "~", "vague", "count"))


def find_vague(scan: _Scan) -> None:
    """Vague quantities: "mehrere Tausend", "Zehntausende", "dozens of", "a handful of"."""
    v, text, rx = scan.lex.vague, scan.text, scan.p.rx
    if not rx["vague_any"].search(text.lower()):
        return
    vscales = _vague_scales(scan.lex, scan.lang)
    few = _few_words(scan.lex, scan.lang)
    fast, folded = scan.p.fast, scan.folded
    for m in fast["vague_several"].finditer(text, folded):
        cfg = v["few"] if m.group(1).lower() in few else v["several"]
        _vague(scan, m.start(), m.end(), cfg, vscales.get(m.group(2).lower(), 0.0))
    for m in fast["handful"].finditer(text, folded):
        if scan.free(m.start(), m.end()):
            _vague(scan, m.start(), m.end(), v["handful"], 1.0)
    for m in fast["vague_plural"].finditer(text, folded):
        scale = _plural_scale(scan, m)
        if scale and scan.free(m.start(), m.end()):
            _vague(scan, m.start(), m.end(), v["plural"], scale)


def _plural_scale(scan: _Scan, m: re.Match[str]) -> float:
    """The scale of a vague plural ("Hunderttausende": 100,000), 0 where it is a number's scale word."""
    v = scan.lex.vague
    before = scan.text[max(0, m.start() - 14):m.start()]
    word, prefix = m.group(3).lower(), (m.group(1) or m.group(2) or "").lower()
    german = word in v["plural_words"]["de"]
    base = float(v["plural_words"]["de" if german else "en"][word])
    times = {re.sub(r"\s+", " ", str(k)).lower(): float(x) for lg in ("de", "en")
             for k, x in v["plural_prefixes"][lg].items()}.get(re.sub(r"\s+", " ", prefix), 1.0)
    if german and not prefix:
        if base >= 10**6 and re.search(r"[\d\w]\s*$", before):
            return 0  # "10 Millionen", "sechs Millionen": the scale word of a number
        if m.group(3)[0].islower():
            return 0  # German nouns are capitalised: lower-case "tausende" is rare, skip the odd token
    if not german and not prefix and base >= 10**6 and re.search(r"\d\s*$", before):
        return 0  # "5 millions"
    return base * times


def find_zero(scan: _Scan) -> None:
    """Zero claims: "no one was killed", "keine Verletzten" are figures of 0."""
    fast = scan.p.fast
    if not fast["zero_words"].search(scan.text, scan.folded):
        return
    for m in fast["zero"].finditer(scan.text, scan.folded):
        if scan.free(m.start(), m.end()):
            scan.add_done(RawQuantity(m.start(), m.end(), m.group(), 0.0, 0.0, 0.0, None, None, "=", "zero",
                                      "count"))


def find_scientific(scan: _Scan) -> None:
    """Scientific notation: "6.02×10^23", "1.6×10−19"."""
    for m in _SCI.finditer(scan.text) if "10" in scan.text else ():
        mant = parse_number(m.group(1), scan.lang)
        if mant is None or not scan.free(m.start(), m.end()):
            continue
        val = float(f"{mant}e{m.group(2).replace('−', '-')}")
        scan.cores.append(_Core(m.start(), m.end(), val, "number"))
        scan.taken.append((m.start(), m.end()))


def find_fractions(scan: _Scan) -> None:
    """Fractions in digits and glyphs: "3/4 cup" (0.75), "10 1/2" (10.5), "½", "2½"."""
    text, p = scan.text, scan.p
    for m in _SLASH_FRACTION.finditer(text) if "/" in text else ():
        num, den = int(m.group(2)), int(m.group(3))
        if num < den and scan.free(m.start(), m.end()):
            whole = float(m.group(1)) if m.group(1) else 0.0
            scan.cores.append(_Core(m.start(), m.end(), whole + num / den, "number"))
            scan.taken.append((m.start(), m.end()))
    glyphs = p.cfg["fractions"]["glyphs"]
    for g in p.rx["glyph"].finditer(text) if any(ch in text for ch in glyphs) else ():
        wm = re.search(r"(\d+)\s?$", text[max(0, g.start() - 6):g.start()])
        start = g.start() - len(wm.group(0)) if wm else g.start()
        if scan.free(start, g.end()):
            val = (float(wm.group(1)) if wm else 0.0) + float(glyphs[g.group(1)])
            scan.cores.append(_Core(start, g.end(), val, "number"))
            scan.taken.append((start, g.end()))


def find_halves(scan: _Scan) -> None:
    """"two and a half years" (2.5), "a decade and a half" (1.5 decades, 15 years), "a dozen and a half" (18): the
    half joins the number, the scale word or the unit before it, so it is no share of its own ("a half" alone is
    50 %)."""
    fast = scan.p.fast
    _half_after_scale(scan)
    for m in fast["half_after_number"].finditer(scan.text, scan.folded):
        digits = m.group(1)[0].isdigit()
        if not scan.free(m.start(), m.end()) or (digits and not _digits_are_figure(scan, m.start(1), m.end(1))):
            continue
        value = float(m.group(1)) if digits else _word_value(m.group(1), scan)
        if value is None:
            continue
        value, end = value + 0.5, m.end()
        sm = scan.p.rx["scale"].match(scan.text[end:])
        word = (sm.group(1) or "").lower() if sm else ""
        dozen = scan.p.rx["dozen_after"].match(scan.text, end)
        if sm and not digits and word in scan.p.en_values:  # "two and a half million": words take their scale here
            value, end = value * scan.p.en_values[word], end + sm.end()
        elif dozen:  # "two and a half dozen": 30
            value, end = value * 12, dozen.end()
        scan.cores.append(_Core(m.start(), end, value, "number" if digits else "word"))
        scan.taken.append((m.start(), end))
    for m in fast["half_after_unit"].finditer(scan.text, scan.folded):
        meas = _measure_at(scan, m.start(1) - 1)
        if meas is None or m.start(1) - 1 + meas[0] != m.end(1) or not scan.free(m.start(), m.end()):
            continue  # "a half", "an hour and a half": only a unit of measure stands between
        q = RawQuantity(m.start(), m.end(), m.group(), 1.5, 1.5, 1.5, meas[1], None, "=", "word", meas[2])
        if meas[2] == "duration" and _dates_another(scan, q, m.end()):
            scan.taken.append(m.span())  # "a decade and a half ago" dates another figure and states none
            continue
        _unit_multiple(scan, q, m.group(1))
        q.unit_canonical, factor = canonical(meas[1], scan.lex)
        q.value_canonical = factor(q.value) if q.unit_canonical is not None else None
        scan.add_done(q)


def _half_after_scale(scan: _Scan) -> None:
    """"a dozen and a half" (18), "a million and a half" (1,500,000): one and a half of the scale word."""
    for m in scan.p.fast["half_after_scale"].finditer(scan.text, scan.folded):
        if scan.free(m.start(), m.end()):
            word = m.group(1).lower()
            scale = 12.0 if word in scan.p.cfg["words"]["en"]["dozen"] else float(scan.p.en_values[word])
            scan.cores.append(_Core(m.start(), m.end(), 1.5 * scale, "word"))
            scan.taken.append(m.span())


def find_shares(scan: _Scan) -> None:
    """Shares in words, as a percentage of one decimal: "two-thirds" (66.7), "ein Viertel" (25)."""
    if not scan.p.fast["denominator"].search(scan.text, scan.folded):
        return
    dens = {str(w).lower(): int(d) for w, d in scan.p.cfg["fractions"][scan.lang].items()}
    for m in scan.p.fast["fraction_word"].finditer(scan.text, scan.folded):
        num = _word_value(m.group(1), scan) if m.group(1) else None
        if m.group(1) is None and scan.p.rx["scale"].match(scan.text[m.end():]):
            num = 1.0  # "half million", "quarter million"
        den = dens.get(m.group(2).lower())
        if num is None or den is None or num >= den or not scan.free(m.start(), m.end()):
            continue
        if scan.p.rx["scale"].match(scan.text[m.end():]):
            scan.cores.append(_Core(m.start(), m.end(), num / den, "number"))  # "three quarters billion"
            scan.taken.append(m.span())
            continue
        share = round(100.0 * num / den, 1)
        scan.add_done(RawQuantity(m.start(), m.end(), m.group(), share, share, share, "%", None, "=", "fraction",
                                  "percent"))


def _word_value(word: str, scan: _Scan) -> float | None:
    low = word.lower()
    if low in scan.p.cfg["words"]["en"]["articles"] or low in scan.p.cfg["words"]["de"]["articles"]:
        return 1.0
    if scan.lang == "en":
        return float(scan.p.en_values[low]) if low in scan.p.en_values else None
    try:
        return float(text2num(low, "de"))
    except ValueError:
        return None


def find_calibres(scan: _Scan) -> None:
    """Inch calibres: ".38 caliber", "357-calibre", ".357 revolver" are 0.38 and 0.357 (inch), one weapon's property."""
    fast = scan.p.fast
    for m in [*fast["inch_calibre"].finditer(scan.text, scan.folded),
              *fast["inch_calibre_weapon"].finditer(scan.text, scan.folded)]:
        if scan.free(m.start(), m.end()):
            digits = m.group(1)
            value = int(digits) / 10 ** len(digits)
            scan.add_done(RawQuantity(m.start(1), m.end(), scan.text[m.start(1):m.end()], value, value, value,
                                      "caliber", None, "=", "calibre", "calibre"))


def find_digits(scan: _Scan) -> None:
    """Numbers written in digits, with their sign; years, references, model names and calibres left out."""
    text, p = scan.text, scan.p
    if scan.lang == "en":
        for m in _finditer_at(_SPACED_THOUSANDS, text, scan.digit_starts):
            if scan.free(m.start(), m.end()):
                scan.cores.append(_Core(m.start(), m.end(), float(m.group().replace(", ", "")), "number"))
                scan.taken.append(m.span())
    for m in _finditer_at(_DIGITS, text, scan.digit_starts):
        s, e = m.span()
        if not scan.free(s, e) or not _digits_are_figure(scan, s, e):
            continue
        parsed = parse_number(m.group(1), scan.lang, bool(p.rx["scale"].match(text[e:])))
        if parsed is None:
            continue
        neg = _search(p, "minus", text[max(0, s - 7):s])
        if neg and not _DIGIT_END.search(text[max(0, s - len(neg.group(0)) - 3):s - len(neg.group(0))]):
            s -= len(neg.group(0))
            parsed = -parsed
        scan.cores.append(_Core(s, e, parsed, "number"))


def _digits_are_figure(scan: _Scan, s: int, e: int) -> bool:
    """Digits at [s, e) that state a figure: not glued into a name, not a reference, a year or a calibre."""
    text, rx = scan.text, scan.p.rx
    before, after = text[max(0, s - 25):s], text[e:e + 30]
    if _LINKID.search(text[max(0, s - 1):e]) or rx["calibre_after"].match(after) or _search(scan.p, "page", before):
        return False
    if _ATTACHED_BEFORE.search(before) and not _search(scan.p, "cur_before", before) \
            and not _search(scan.p, "minus", before):
        return False  # "A320", "MiG-29"; but "RM49", "US$210", "minus-8"
    if _ATTACHED_AFTER.match(after) and not (
            _COMPOUND_AFTER.match(after) or rx["scale"].match(after) or rx["percent"].match(after)
            or rx["cur_after"].match(after)
            or _measure_at(scan, e) or rx["age_after"].match(after)):
        return False  # "5G", "3D"; but "48-page", "2.0l", "15kW", "5bn", "101jährige"
    if rx["ordinal_after"].match(after) or _POINT_MONTH.match(after):
        return False
    if _COLON_DIGIT.match(after) or _DIGIT_COLON.search(before):
        return False
    return not _is_year(scan, s, e)


def find_words(scan: _Scan) -> None:
    """Numbers written as words, by language: "dreieinhalbtausend", "seventy two", "three dozen"."""
    if scan.lang == "de":
        _find_words_de(scan)
    else:
        _find_words_en(scan)


def _is_reference(scan: _Scan, start: int, end: int) -> bool:
    """"zwischen den zwei Ländern", "the two sides": a small number that refers to things already named."""
    rx = scan.p.rx
    return bool(rx["reference_noun"].match(scan.text[end:end + 20])
                and rx["definite_before"].search(scan.text[max(0, start - 6):start]))


def _find_words_de(scan: _Scan) -> None:
    text, p = scan.text, scan.p
    w = p.cfg["words"]["de"]
    half = w["half"]
    kept = "de_word" if any(ch in text for ch in _FOLDED_APART) else "de_word_kept"  # see ``_kept_de_word``
    for m in p.fast[kept].finditer(text, scan.folded):
        word = m.group(1).lower()
        if _skipped_de_word(word, p) or not scan.free(m.start(), m.end()) or \
                _is_reference(scan, m.start(), m.start() + len(m.group(1))):
            continue
        if m.group(1)[0].isupper() and not (m.start() == 0 or re.search(r"[.!?:„\"(]\s*$", text[:m.start()])):
            continue  # a capitalised word inside a sentence is a noun ("die Acht", "Elf")
        try:
            if half in word:
                stem, rest = word.split(half, 1)
                val = (float(text2num(stem, "de")) + 0.5) * (float(text2num(rest, "de")) if rest else 1.0)
            else:
                val = float(text2num(word, "de"))
        except ValueError:
            continue
        scan.cores.append(_Core(m.start(), m.start() + len(m.group(1)), val, "word"))
    for m in p.fast["de_one"].finditer(text, scan.folded):
        if scan.free(m.start(1), m.end(1)):
            scan.cores.append(_Core(m.start(1), m.end(1), 1.0, "word"))
    for m in p.fast["de_special"].finditer(text, scan.folded):
        if scan.free(m.start(), m.end()):
            scan.cores.append(_Core(m.start(), m.end(), float(w["special"][m.group(1).lower()]), "word"))


def _en_value(words: list[str], p: _Pats) -> float | None:
    """The value of a run of English number words ("two hundred and five", "three dozen")."""
    en = p.cfg["words"]["en"]
    total, cur = 0, 0
    for wd in words:
        if wd in en["articles"] or wd in en["conjunctions"]:
            cur = cur or (1 if wd in en["articles"] else cur)
        elif wd in en["dozen"]:
            cur = (cur or 1) * 12
        elif wd in en["units"] or wd in en["tens"]:
            cur += p.en_values[wd]
        elif wd in en["multipliers"] and p.en_values[wd] < 1000:  # "two hundred": multiplies what went before
            cur = (cur or 1) * p.en_values[wd]
        elif wd in en["multipliers"]:
            total += (cur or 1) * p.en_values[wd]
            cur = 0
        else:
            return None
    return float(total + cur) or None


def _find_words_en(scan: _Scan) -> None:
    text, p = scan.text, scan.p
    en = p.cfg["words"]["en"]
    for m in p.fast["en_seq"].finditer(text, scan.folded):
        if not scan.free(m.start(), m.end()) or _is_reference(scan, m.start(), m.end()):
            continue
        words = re.findall(r"[a-z]+", m.group(0).lower())
        val = _en_value(words, p)
        if val is None:
            continue
        if len(words) == 1 and p.en_values.get(words[0]) == 1 and not p.rx["scale"].match(text[m.end():]) and (
                p.rx["one_not_before"].match(text[m.end():]) or not re.match(r"^[\s-]+[a-z]", text[m.end():])
                or p.rx["one_not_after"].search(text[max(0, m.start() - 12):m.start()])):
            continue  # "one of them", "no one", "the one who": a pronoun
        if not any(wd in en["units"] or wd in en["tens"] or wd in en["articles"] or wd in en["dozen"]
                   for wd in words):
            continue  # a bare "million" after digits belongs to the digits
        scan.cores.append(_Core(m.start(), m.end(), val, "word"))


def find_age_decades(scan: _Scan) -> None:
    """An age by its decade: "in their 70s" is 70 to 79 years (a range of ages, its middle the value)."""
    for m in scan.p.fast["age_decade"].finditer(scan.text, scan.folded):
        if scan.free(m.start(1), m.end()):
            low = float(int(m.group(1)) * 10)
            scan.add_done(RawQuantity(m.start(1), m.end(), scan.text[m.start(1):m.end()], low + 4.5, low, low + 9,
                                      "year", None, "~", "decade", "age"))


FINDERS: tuple[Callable[[_Scan], None], ...] = (find_vague, find_zero, find_scientific, find_halves, find_shares,
                                               find_fractions, find_calibres, find_age_decades, find_digits,
                                               find_words)


# --------------------------------------------------------------------------- scales, ranges, changes

def _scale_after(scan: _Scan, core: _Core, end: int) -> tuple[float, int]:
    """The scale word after a number ("5,5 Milliarden", "£2.3m") and where it ends; (1, end) if none."""
    text = scan.text
    sm = scan.p.rx["scale"].match(text[end:])
    if not sm:
        return 1.0, end
    word = (sm.group(1) or sm.group(2)).lower()
    if core.kind == "word" and scan.lang == "en" and word in scan.p.en_values:
        return 1.0, end  # the word parser took "two million" whole
    if sm.group(2):  # a short scale ("m", "bn", "k") only glued after a currency, or bn/mn/tn
        money = _search(scan.p, "cur_before", text[max(0, core.start - 4):core.start]) or \
            scan.p.rx["cur_after"].match(text[end + sm.end():end + sm.end() + 12])
        glued = not text[end:end + 1].isspace()
        if not (money and (glued or len(word) > 1)) and word not in scan.p.free_short_scales:
            return 1.0, end
    return scan.p.scales.get(word, 1.0), end + sm.end()


def _combine(scan: _Scan) -> list[RawQuantity]:
    """Turn the cores into figures: scale words, ranges ("12.000 bis 14.000"), changes and tallies."""
    cores = sorted(scan.cores, key=lambda c: c.start)
    found: list[RawQuantity] = []
    i = 0
    while i < len(cores):
        c = cores[i]
        scale, end = _scale_after(scan, c, c.end)
        value = _clean(c.value * scale)
        q = RawQuantity(c.start, end, "", value, value, value, None, None, "=", c.kind, "count")
        if i + 1 < len(cores):
            nxt = cores[i + 1]
            joined = _join(scan, c, q, scale, nxt, found)
            if joined:
                i += 2
                continue
        found.append(q)
        i += 1
    for q in found:
        q.surface = scan.text[q.start:q.end]
    return found


_BETWEEN_REACH = 40  # how far before a range's first figure its "zwischen" / "between" (and a hedge) may stand


def _join(scan: _Scan, c: _Core, q: RawQuantity, scale: float, nxt: _Core, found: list[RawQuantity]) -> bool:
    """Join a figure with the next one into a range, or mark a change or a tally; True when both are placed."""
    text, rx = scan.text, scan.p.rx
    gap_from = q.end if scale == 1.0 else c.end
    gap = text[gap_from:nxt.start]
    pm, meas = rx["percent"].match(gap), _measure_at(scan, gap_from)
    if pm or meas:  # "3% and 4%", "10 km to 12 km": a range only when both figures have the unit
        if not (rx["percent"].match(text[nxt.end:]) if pm else _measure_at(scan, nxt.end) == meas):
            return False
        gap = gap[pm.end() if pm else meas[0]:]  # type: ignore[index]
    money = _search(scan.p, "cur_before", gap)
    if money and money.start() > 0:  # "$450,000 to $2.1 million": both figures in the currency
        if not _search(scan.p, "cur_before", text[max(0, c.start - 4):c.start]):
            return False
        gap = gap[:money.start()]
    connector = gap.strip().lower()
    between = rx["between"].search(text[max(0, c.start - _BETWEEN_REACH):c.start])
    changed = _search(scan.p, "change_before", text[max(0, c.start - 40):c.start])
    nscale, nend = _scale_after(scan, nxt, nxt.end)
    new = RawQuantity(nxt.start, nend, "", _clean(nxt.value * nscale), 0, 0, None, None, "=", nxt.kind, "count")
    new.low = new.high = new.value
    words = scan.p.cfg["change_words"]
    if rx["change_new"].match(gap) or (changed and connector in words["to"]):
        q.kind = "from"  # "von 19 auf 16 Prozent", "rose from 310 to 342": the old value and the new
        found.extend([q, new])
        return True
    lead = 1 if c.kind == "word" and gap.startswith("-") and gap[1:].strip() else 0  # "zehn- bis zwölftausend"
    mid = rx["range_mid"].match(gap[lead:] + " ")
    if not (mid and mid.end() >= len(gap) - lead and len(gap) <= 6 and connector):
        return False
    shared = nscale if scale == 1.0 and c.value < nxt.value else 1.0  # "zwischen 5 und 6 Millionen"
    lo_v = c.value * (scale if scale != 1.0 else shared)
    hi_v = new.value
    if connector in scan.p.cfg["range_needs_between"] and not between and not (
            connector in scan.p.cfg.get("range_either", []) and _adjacent_round(lo_v, hi_v)):
        return False  # "5 und 6" are two figures; "40 or 50 of them" an approximate range
    if c.kind == "word" and text[c.end:c.end + 1] == "-" and nxt.kind == "word":
        for tail, mult in scan.p.cfg["words"]["de"]["range_tails"].items():
            if text[nxt.start:nxt.end].lower().endswith(tail) and lo_v < hi_v / mult:
                lo_v *= mult
    if lo_v >= hi_v:
        if (connector == "-" or connector in words["to"]) and c.kind == nxt.kind == "number" and not between:
            q.kind = new.kind = "tally"  # "52-48", "134-to-63": a score or a vote, two figures
            found.extend([q, new])
            return True
        return False
    start = c.start - len(text[max(0, c.start - _BETWEEN_REACH):c.start]) + between.start() if between else c.start
    rq = RawQuantity(start, nend, "", (lo_v + hi_v) / 2, lo_v, hi_v, None, None, "~", "range", "count")
    cur = _search(scan.p, "cur_before", text[max(0, c.start - 4):c.start])
    if cur and between:  # "from $450,000 to ...": the currency stands inside the range
        rq.unit, rq.unit_class = _currency(scan.lex, cur.group(1)), "money"
    found.append(rq)
    return True




def _last_place(value: float) -> float:
    """The place of an integer's last non-zero digit: 40 -> 10, 25 -> 1, 300 -> 100."""
    iv, place = int(abs(value)), 1
    while iv and iv % (place * 10) == 0:
        place *= 10
    return float(place)


def _adjacent_round(lo: float, hi: float) -> bool:
    """Two figures joined by "or" that estimate one ("40 or 50", "two or three", "five or ten"): integers, the
    second larger but at most twice the first, apart by at most the last non-zero place of either."""
    if lo <= 0 or not (float(lo).is_integer() and float(hi).is_integer()) or not lo < hi <= 2 * lo:
        return False
    return hi - lo <= max(_last_place(lo), _last_place(hi))


def _tallies(scan: _Scan) -> None:
    """"134-to-63": two numbers joined by "-to-", which the digit finder leaves as glued words."""
    glued = scan.p.cfg["tally_glued"]
    for m in scan.p.rx["tally"].finditer(scan.text) if any(g in scan.text for g in glued) else ():
        if scan.free(m.start(), m.end()):
            for g in (1, 2):
                v = float(m.group(g))
                scan.add_done(RawQuantity(m.start(g), m.end(g), m.group(g), v, v, v, None, None, "=", "tally",
                                          "count"))


# --------------------------------------------------------------------------- units and hedges

def _measure_at(scan: _Scan, end: int) -> tuple[int, str, str] | None:
    """A unit of measure right after a number: (its length, pint unit, class), or None."""
    after = scan.text[end:end + 30]
    for key in ("measure_long", "measure_short"):
        m = scan.p.rx[key].match(after)
        if m:
            written = m.group(0).strip(" -")
            hit = scan.p.measures_exact.get(written) or scan.p.measures.get(re.sub(r"\s+", " ", written.lower()))
            if hit:
                return m.end(), hit[0], hit[1]
    return None


@lru_cache(maxsize=8)
def _currencies_lower(lex: Lexicon) -> dict[str, str]:
    return {k.lower(): v for k, v in lex.currencies.items()}


def _currency(lex: Lexicon, written: str) -> str:
    """The currency code of a written currency ("US$", "euros", "usd")."""
    return lex.currencies.get(written) or _currencies_lower(lex)[written.lower()]


_M_CODE_AFTER = re.compile(r"^\s?M([A-Z]{3})(?![\w])")  # "30 MUSD", "120 MEUR": millions of a currency
_M_CODE_BEFORE = re.compile(r"(?<![A-Za-z])M([A-Z]{3})\s?$")  # "MAUD 60"
_DETACHED_MINUS = re.compile(r"(?:^|\s)[-−]\s$")


def _rescale(q: RawQuantity, factor: float) -> None:
    q.value = _clean(q.value * factor)
    q.low = None if q.low is None else _clean(q.low * factor)
    q.high = None if q.high is None else _clean(q.high * factor)


def _attach_money(scan: _Scan, q: RawQuantity) -> bool:
    """A currency after or before the figure, with a scale word after the currency ("75 USD million")."""
    text, rx, lex = scan.text, scan.p.rx, scan.lex
    after, before = text[q.end:q.end + 40], text[max(0, q.start - 5):q.start]
    mc, mb = _M_CODE_AFTER.match(after), _M_CODE_BEFORE.search(before)
    cm, cb = rx["cur_after"].match(after), _search(scan.p, "cur_before", before)
    if mc and mc.group(1) in lex.currencies or mb and mb.group(1) in lex.currencies:
        code = mc.group(1) if mc else mb.group(1)  # type: ignore[union-attr]
        q.unit, q.unit_class = lex.currencies[code], "money"
        if mc:
            q.end += mc.end()
        else:
            q.start -= len(before) - mb.start()  # type: ignore[union-attr]
        _rescale(q, 1e6)
        return True
    if cm:
        q.unit, q.unit_class, q.end = _currency(lex, cm.group(1)), "money", q.end + cm.end()
        sm = rx["scale"].match(text[q.end:])
        if sm and sm.group(1) and q.value == q.high:
            _rescale(q, scan.p.scales.get(sm.group(1).lower(), 1.0))
            q.end += sm.end()
        return True
    if cb:
        q.unit, q.unit_class = _currency(lex, cb.group(1)), "money"
        q.start -= len(before) - cb.start()
        return True
    return False


def _attach_unit(scan: _Scan, q: RawQuantity) -> None:
    """Percent, currency, age or a unit of measure after (or a currency before) the figure."""
    text, rx = scan.text, scan.p.rx
    after = text[q.end:q.end + 40]
    pm, am = rx["percent"].match(after), rx["age_after"].match(after)
    if pm:
        q.unit, q.unit_class, q.end = "%", "percent", q.end + pm.end()
    elif _attach_money(scan, q):
        pass
    elif am or _search(scan.p, "age_before", text[max(0, q.start - 16):q.start]):
        q.unit, q.unit_class = "year", "age"
        q.end += am.end() if am else 0
    else:
        meas = _measure_at(scan, q.end)
        if meas and not (meas[2] == "duration" and _dates_another(scan, q, q.end + meas[0])):
            q.unit, q.unit_class = meas[1], meas[2]
            _unit_multiple(scan, q, text[q.end:q.end + meas[0]])
            q.end += meas[0]
            minus = _DETACHED_MINUS.search(text[max(0, q.start - 3):q.start])
            if q.unit_class == "temperature" and q.value > 0 and minus:
                _rescale(q, -1.0)  # "- 20 degrees fahrenheit"
                q.start -= 2
            q.unit_canonical, factor = canonical(meas[1], scan.lex)
            if q.unit_canonical is not None:
                q.value_canonical = factor(q.value)
    q.surface = text[q.start:q.end]


def _unit_multiple(scan: _Scan, q: RawQuantity, written: str) -> None:
    """A written unit that counts several of its unit ("zwei Jahrzehnte": 20 years; units.yml ``multiples``)."""
    factor = (scan.lex.raw["units"].get("multiples") or {}).get(written.strip(" -"))
    if factor:
        _rescale(q, float(factor))


def _dates_another(scan: _Scan, q: RawQuantity, end: int) -> bool:
    """A duration inside a time window ("seit über 30 Jahren", "eight years ago"): it dates another figure.

    Such a figure keeps no unit, so the claims stage drops it as a count of time (``non_claim_classes``);
    any other duration ("46 to 57 months in prison", "Geltungsdauer von vier Wochen") is a figure of its own.
    """
    rx = scan.p.rx
    return bool(_search(scan.p, "window_before", scan.text[max(0, q.start - 40):q.start])
                or rx["window_after"].match(scan.text[end:end + 20]))


def _attach_minus_noun(scan: _Scan, q: RawQuantity) -> None:
    """"ein Minus von 3 Prozent": the figure is negative (-3 %), its interval and change mirrored (a
    percentage turns back into a decline by ``_percent_declines``)."""
    if q.kind not in ("number", "word", "range") or q.value <= 0:
        return
    if not _search(scan.p, "minus_noun", scan.text[max(0, q.start - 40):q.start]):
        return
    _negate(q)


def _negate(q: RawQuantity) -> None:
    """The figure's sign turned: value, interval (its bounds swapped) and change mirrored."""
    q.value, q.low, q.high = -q.value, None if q.high is None else -q.high, None if q.low is None else -q.low
    q.change = {">": "<", "<": ">"}.get(q.change, q.change)
    if q.value_canonical is not None:
        q.value_canonical = -q.value_canonical


def _percent_declines(scan: _Scan, found: list[RawQuantity]) -> None:
    """A negative percentage is a decline ("minus 10,1 Prozent", "ein Minus von 4,7 Prozent", "-2.4%"): its
    magnitude with ``direction="decrease"``, as "schrumpfte um 10,1 Prozent" is written; a percentage
    level after a word of ``numbers.yml`` ``signed_percent_levels`` ("Einlagezins von minus 0,5 Prozent")
    keeps its sign, as do the levels of other units ("minus 5 Grad")."""
    level = scan.p.fast["signed_percent_level"]
    for q in found:
        if q.unit_class != "percent" or q.value >= 0 or (q.high is not None and q.high > 0):
            continue
        before = scan.text[max(0, q.start - 40):q.start]
        if level.search(before, scan.folded[max(0, q.start - 40):q.start]):
            continue
        _negate(q)
        q.direction = "decrease"




def _money_parts(scan: _Scan, found: list[RawQuantity]) -> list[RawQuantity]:
    """"15 dollars 50", "thirteen dollars and forty-five cents": one amount, the second figure its cents."""
    out: list[RawQuantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.unit_class == "money" and q.unit is None and q.kind in ("number", "word")
                and 0 < q.value < 100 and float(q.value).is_integer() and prev.value == prev.high
                and scan.p.rx["cents_gap"].match(scan.text[prev.end:q.start]) and not _search(scan.p, "cur_before",
                    scan.text[max(0, prev.start - 5):prev.start + 1])):
            cents = scan.p.rx["cents_after"].match(scan.text[q.end:q.end + 8])
            if cents:
                _rescale(prev, 1.0)
                prev.value = prev.low = prev.high = _clean(prev.value + q.value / 100)
                cent_word = cents.group().strip().startswith(tuple(scan.p.cfg["cents"]["words"]))
                prev.end = q.end + (cents.end() if cent_word else 0)
                prev.surface = scan.text[prev.start:prev.end]
                continue
        out.append(q)
    return out


_FROM_LOW_END = frozenset({"above", "at_least", "just_above"})


def _attach_hedge(scan: _Scan, q: RawQuantity) -> None:
    """A hedge before the figure ("rund", "more than") turns the point into its interval.

    A bound before a range bounds it from the range's near end: "more than ten or fifteen" is more than ten,
    "up to 10 or 15" up to 15. An approximation before a range ("rund 10 bis 15") adds nothing to it.
    """
    if q.kind in ("vague", "zero", "from", "tally", "calibre"):
        if q.kind == "vague":
            q.hedge = next((w for w in _vague_hedges(scan.lex, scan.lang) if q.surface.lower().startswith(w)), "vague")
        return
    hm = _search(scan.p, "hedge", scan.text[max(0, q.start - 30):q.start])
    if not hm:
        return
    hkind = scan.lex.hedges[scan.lang].get(hm.group(1).lower())
    end = q.low if hkind in _FROM_LOW_END else q.high
    if not hkind or (q.kind == "range" and (hkind == "approx" or end is None)):
        return
    if q.kind == "range" and end is not None:
        q.value = end
    q.hedge = hm.group(1)
    q.low, q.high = hedge_interval(q.value, hkind, scan.lex, q.unit_class != "percent")
    q.change = CHANGE.get(hkind, "=")


@lru_cache(maxsize=16)
def _vague_hedges(lex: Lexicon, lang: str) -> tuple[str, ...]:
    """The words that open a vague quantity ("mehrere", "a few"): the vague figure's hedge."""
    v = lex.vague
    words = [w.lower() for k in ("several", "few", "handful") for w in v.get(k, {}).get("words", {}).get(lang, [])]
    return tuple(sorted(words, key=len, reverse=True))


def _carry_units(found: list[RawQuantity]) -> None:
    """The old value of a change or the first side of a tally takes the unit of the other ("von 19 auf 16 %")."""
    for a, b in zip(found, found[1:]):
        if a.kind in ("from", "tally") and a.unit is None and b.unit is not None:
            a.unit, a.unit_class = b.unit, b.unit_class
            a.unit_canonical = b.unit_canonical
            if b.value_canonical is not None and b.value:
                a.value_canonical = a.value * b.value_canonical / b.value


# --------------------------------------------------------------------------- extraction

def _words_may_hold_figure(text: str, folded: str, lang: str, p: _Pats) -> bool:
    """May a sentence without digits hold a figure? Only if a word candidate matches it; a German number
    word counts only if ``_find_words_de`` would not skip it ("und", "ein": most German sentences hold them).
    The other candidates are searched only when the text holds one of their literals (most hold none)."""
    for i, fp in enumerate(p.word_candidates):
        if i == 0 and lang == "de":
            if _kept_de_word(text, folded, p):
                return True
        elif i == 1 and not p.other_words.any_present(text, folded):
            return False
        elif fp.search(text, folded):
            return True
    return False




def _kept_de_word(text: str, folded: str, p: _Pats) -> bool:
    """Does ``text`` hold a German number word that ``_find_words_de`` keeps? One search of ``de_word_kept``
    (its case-free twin, on the folded text), not every ``de_word`` match tested: most sentences hold "und"
    or "ein". A text with a letter that folding changes apart from lower-casing takes the long way."""
    twin = p.fast["de_word_kept"].twin
    if twin is None or any(ch in text for ch in _FOLDED_APART):
        fp = p.fast["de_word"]
        return any(not _skipped_de_word(m.group(1), p) for m in fp.finditer(text, folded))
    return twin.search(folded) is not None


def _skipped_de_word(word: str, p: _Pats) -> bool:
    """A match of the German number-word pattern that is no number ("und", "ein", "tausendund")."""
    low = word.lower()
    return low in p.not_numbers_de or low.endswith(p.cfg["words"]["de"]["and"])


def extract(text: str, lang: str | None, lex: Lexicon | None = None) -> list[RawQuantity]:
    """All quantities in ``text`` (a sentence or a whole view), in order of their start."""
    lex = lex or load_lexicon()
    lang = lang if lang in ("de", "en") else "en"
    p = _patterns(lex, lang)
    folded = fold(text)
    if not p.candidates[0].search(text) and not _words_may_hold_figure(text, folded, lang, p):
        return []
    starts = _digit_starts(text)
    scan = _Scan(text, lang, lex, p, _excluded_spans(text, p, folded, starts), folded=folded, digit_starts=starts)
    _tallies(scan)
    for finder in FINDERS:
        finder(scan)
    found = _combine(scan) + scan.done
    found.sort(key=lambda q: q.start)
    for q in found:
        if q.kind not in ("fraction", "zero", "calibre", "decade"):
            _attach_unit(scan, q)
    found = _money_parts(scan, found)
    for q in found:
        _attach_hedge(scan, q)
        _attach_minus_noun(scan, q)
    _carry_units(found)
    _percent_declines(scan, found)
    return found


# --------------------------------------------------------------------------- counted noun


def _packaged_numbers() -> dict[str, Any]:
    """The packaged numbers.yml, for the helpers that claims.py calls without a lexicon."""
    return dict(yaml.safe_load((default_rules_dir() / "lexicon" / "numbers.yml").read_text(encoding="utf-8")) or {})


_STOP = {lang: frozenset(words) for lang, words in _packaged_numbers()["noun_stop"].items()}
_DE_ADJECTIVE = re.compile(rf"(?:{_alt(_packaged_numbers()['noun_phrase']['de_adjective_endings'])})$")
_EN_VERB = re.compile(rf"^[a-z]{{3,}}(?:{_alt(_packaged_numbers()['noun_phrase']['en_verb_endings'])})$")
# "die beiden", "these three": a reference to things already counted (claims.py imports it by this name)
_ARTICLE_BEFORE = re.compile(rf"\b(?:{_alt(_packaged_numbers().get('reference_words', []))})\s+$", re.I)


_NOUN_TOKEN = re.compile(r"[\w][\w\-‑]*")
_HYPHEN_GAP = re.compile(r"^[\s\-‑]*$")


def noun_after(text: str, pos: int, lang: str, limit: int = 60) -> tuple[str | None, str | None, list[str], int]:
    """The counted noun phrase right after ``pos``: (surface, head lemma, modifier lemmas, end offset)."""
    seg = text[pos:pos + limit]
    tokens = [(m.start() + pos, m.end() + pos, m.group()) for m in _NOUN_TOKEN.finditer(seg)]
    stop = _STOP["de" if lang == "de" else "en"]
    mods: list[str] = []
    words: list[str] = []
    end = pos
    prev_end = pos
    for s, e, w in tokens[:5]:
        if not _HYPHEN_GAP.match(text[prev_end:s]):
            break
        low = w.lower()
        if lang == "de":
            if w[:1].isupper():
                words.append(w)
                end = e
                break
            if low in stop or not _DE_ADJECTIVE.search(low):
                break
            mods.append(w)
        else:
            if low in stop or (words and _EN_VERB.match(w)):
                break  # a preposition, an auxiliary or a verb in the past ("tourists visited") ends the phrase
            words.append(w)
            end = e
        prev_end = e
        if len(words) >= 3:
            break
    if not words:
        return None, None, [], pos
    return _noun_lemmas(text, pos, end, words, mods, lang)


def _noun_lemmas(text: str, pos: int, end: int, words: list[str], mods: list[str],
                 lang: str) -> tuple[str | None, str | None, list[str], int]:
    head = words[-1]
    if lang == "en" and len(words) > 1:
        mods = words[:-1]
    lemma = simplemma.lemmatize(head, lang=lang)
    if lang == "en" and lemma == head and len(head) > 4 and head.endswith("s") and not head.endswith("ss"):
        lemma = head[:-3] + "y" if head.endswith("ies") else head[:-1]  # plurals simplemma does not know
    if lang == "de":
        lemma = lemma[:1].upper() + lemma[1:]
    mod_lemmas = [simplemma.lemmatize(m, lang=lang) for m in mods]
    return text[pos:end].strip(), lemma, mod_lemmas, end
