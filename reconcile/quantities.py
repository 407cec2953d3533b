"""Quantity extraction for German and English: every number expression with an interval.

A figure is an interval: ``low``/``high`` (``None`` = unbounded) around a representative ``value``.
Hedges and vague quantities come from ``rules/lexicon`` (hedges.yml, vague.yml, units.yml).
Dates, years, times, calibres, model names, link ids, page and section numbers are recognised and
left out: they are not quantities of a claim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma
from text_to_num import text2num

from reconcile.dates import MONTH_RE
from reconcile.lexicon import Lexicon, load_lexicon

__all__ = ["RawQuantity", "extract", "parse_number", "rounding_unit", "hedge_interval", "noun_after",
           "CHANGE"]

CHANGE = {"approx": "~", "just_below": "<", "just_above": ">", "above": ">", "at_least": ">", "up_to": "<",
          "below": "<"}

_DE_MORPH = ("dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig|vierzig|fünfzig|"
             "sechzig|siebzig|achtzig|neunzig|hundert|tausend|eins|ein|zwei|drei|vier|fünf|sechs|sieben|acht|"
             "neun|zehn|elf|zwölf|und")
_DE_WORD = re.compile(rf"^(?:{_DE_MORPH})+(?:einhalb)?$")
# candidate German number words in running text, found in one scan (a Python loop over every word was slow)
_DE_WORD_IN_TEXT = re.compile(rf"(?<![\w-])((?:{_DE_MORPH})+(?:einhalb)?)(-?)(?![\w])", re.I)
_HAS_DIGIT = re.compile(r"\d")
_DE_SPECIAL = re.compile(r"(?<![\w-])(?:anderthalb|(?:eine|ein|einer)\s+(?:Million|Milliarde|Billion))")
_EN_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_MULT = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_EN_ALL = "|".join(sorted(list(_EN_UNITS) + list(_EN_TENS) + list(_EN_MULT), key=len, reverse=True))
_EN_SEQ = re.compile(rf"\b(?:(?:a|an)\s+(?=(?:dozen|hundred|thousand|million|billion)\b))?"
                     rf"(?:(?:{_EN_ALL})(?:-(?:{_EN_ALL}))?|dozen)"
                     rf"(?:(?:\s+and\s+|\s+|-)(?:{_EN_ALL}))*\b", re.I)

_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,\u202f\u00a0' ’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)")
_DATE_NUM = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d])")
_DATE_ISO = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_TIME = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?:\s*(?:Uhr|h|a\.m\.|p\.m\.|am|pm)\b)|(?<![\d.])\d{1,2}:\d{2}(?![\d])",
                   re.I)
_DAY_MONTH = re.compile(rf"(?<!\d)\d{{1,2}}\.?\s+(?:{MONTH_RE})\b\.?", re.I)
_MONTH_DAY = re.compile(rf"\b(?:{MONTH_RE})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)
_MONTH_YEAR = re.compile(rf"\b(?:{MONTH_RE})\.?\s+(\d{{4}})\b", re.I)
_LINKID = re.compile(r"[!#/]\d+|\[\d+\]")
_PAGE_BEFORE = re.compile(r"(?:\b(?:Seite|S\.|Nr\.|Nummer|Kapitel|Artikel|Absatz|Abs\.|Paragraf|Paragraph|Ziffer|"
                          r"page|p\.|pp\.|section|chapter|article|no\.|number|vol\.|Band|Heft|Folge|Episode|"
                          r"Platz|Rang|Kanal|Linie|Gleis|Tor|Zimmer|Raum|room|gate|line|platform|Uhr|um|at)|§)\s*$",
                          re.I)
_YEAR_BEFORE = re.compile(r"\b(?:im Jahr(?:e)?|seit|bis|von|vor|nach|ab|Jahr(?:e)?|in|since|until|by|from|of|"
                          r"year|Ende|Anfang|Mitte|Frühjahr|Sommer|Herbst|Winter|spring|summer|autumn|winter|"
                          r"early|late|mid|um|circa|ca\.|zwischen|between|and|und|bis zum|the|das|dem|des)\s*$", re.I)
_ORD_AFTER = re.compile(r"^\.\s+(?:[a-zäöüß]|Mal\b|Jahrestag|Platz|Stock|Runde|Spieltag|Liga|Klasse)")
_CALIBRE_AFTER = re.compile(r"^(?:-|\s)?(?:mm|Millimeter|cm|Zoll|Kaliber|inch)\b", re.I)
_ATTACHED_AFTER = re.compile(r"^[-‑]?[A-Za-zÄÖÜäöü]")
_ATTACHED_BEFORE = re.compile(r"[A-Za-zÄÖÜäöü][-‑]?$")
_PERCENT = re.compile(r"^\s?(?:%|Prozent\b|percent\b|per\s+cent\b|Prozentpunkte\b|percentage points\b)")
_DECADE_AFTER = re.compile(r"^(?:er\b|s\b|er-Jahre|’s|'s)")
_SPACE_TOKEN = re.compile(r"\S+")
_ARTICLE_BEFORE = re.compile(r"\b(?:die|den|der|dem|des|diese|diesen|the|these|those|all|alle|beiden|both)\s+$", re.I)


@dataclass
class RawQuantity:
    """A quantity as found in a string, before it is mapped to document offsets."""

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


# --------------------------------------------------------------------------- numbers

def parse_number(s: str, lang: str | None, scaled: bool = False) -> float | None:
    """Parse digits in German or English style: ``11.000``, ``11,000``, ``5,5``, ``5.5``, ``1 000``.

    A single separator followed by exactly three digits is a thousands separator, unless it is the
    language's decimal mark before a scale word (``1.250 million`` in English).
    """
    s = s.replace("\u202f", " ").replace("\u00a0", " ").replace("’", "'")
    for sep in (" ", "'"):
        if sep in s:
            s = s.replace(sep, "")
    dec = "," if lang == "de" else "."
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s)
    kinds = set(seps)
    if len(kinds) == 2:
        last = s.rfind(",") if s.rfind(",") > s.rfind(".") else s.rfind(".")
        intpart = re.sub(r"[.,]", "", s[:last])
        return float(f"{intpart}.{s[last + 1:]}")
    sep = seps[0]
    groups = s.split(sep)
    if len(groups) > 2:
        if all(len(g) == 3 for g in groups[1:]):
            return float("".join(groups))
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


# --------------------------------------------------------------------------- lexicon-derived patterns

@lru_cache(maxsize=8)  # per lexicon (lexicons hash by identity)
def _patterns(lex: Lexicon) -> dict[str, dict[str, re.Pattern[str]]]:
    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    out: dict[str, dict[str, re.Pattern[str]]] = {}
    for lang in ("de", "en"):
        hedges = lex.hedges.get(lang, {})
        scales = lex.scales.get(lang, {})
        long_scales = [w for w in scales if len(w.rstrip(".")) > 2]
        short_scales = [w for w in scales if len(w.rstrip(".")) <= 2]
        cur_words = [w for w in lex.currencies if len(w) > 1 and w[0].isalpha()]
        cur_syms = [w for w in lex.currencies if not w[0].isalpha() or w == "US$"]
        v = lex.vague
        vs = {k.lower(): val for k, val in v.get("scales", {}).get(lang, {}).items()}
        several = v.get("several", {}).get("words", {}).get(lang, [])
        few = v.get("few", {}).get("words", {}).get(lang, [])
        out[lang] = {
            "hedge": re.compile(rf"(?:^|(?<=[\s(„\"'–-]))({alt(list(hedges))})\s+$", re.I),
            "scale": re.compile(rf"^\s?(?:({alt(long_scales)})(?![\w])|({alt(short_scales)})(?![\w]))", re.I),
            "cur_after": re.compile(rf"^\s?({alt(cur_words)})(?![\w])"),
            "cur_before": re.compile(rf"({alt(cur_syms)})\s?$"),
            "range_mid": re.compile(r"^\s?(?:bis|to|–|-|—|and|und|or|oder)\s?" if lang == "en"
                                    else r"^\s?(?:bis|–|-|—|und|oder)\s?", re.I),
            "between": re.compile(r"\b(?:zwischen|between|von|from)\s+$", re.I),
            "vague_plural": re.compile(
                r"(?<![\w-])(?:(tens|hundreds)\s+of\s+(thousands|millions)|(hundert|zehn)?(tausende|millionen|milliarden)n?"
                r"|(dutzende|hunderte)n?|(thousands|hundreds|dozens|millions|billions))(?![\w-])(?:\s+of\b)?", re.I),
            "vague_several": re.compile(
                rf"(?<![\w-])({alt(several + few)})\s+({alt(list(vs))})(?![\w-])(?:\s+of\b)?", re.I),
        }
        # anything a quantity can start with, in one scan: most sentences have none and stop here
        words = _DE_WORD_IN_TEXT if lang == "de" else _EN_SEQ
        out[lang]["candidate"] = re.compile("|".join(f"(?:{p.pattern})" for p in (
            _HAS_DIGIT, words, out[lang]["vague_several"], out[lang]["vague_plural"], _DE_SPECIAL)), re.I)
    return out


# --------------------------------------------------------------------------- helpers

@lru_cache(maxsize=16)
def _vague_scales(lex: Lexicon, lang: str) -> dict[str, float]:
    """Scale words of vague quantities ("mehrere Tausend") of both languages, looked up once per lexicon."""
    scales = lex.vague.get("scales", {})
    out = {k.lower(): float(v) for k, v in scales.get(lang, {}).items()}
    out.update({k.lower(): float(v) for k, v in scales.get("en" if lang == "de" else "de", {}).items()})
    return out


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not _HAS_DIGIT.search(text):
        return spans  # every excluded form (dates, times, link ids) has a digit
    for rx in (_DATE_NUM, _DATE_ISO, _TIME, _DAY_MONTH, _MONTH_DAY, _LINKID):
        spans.extend((m.start(), m.end()) for m in rx.finditer(text))
    for m in _MONTH_YEAR.finditer(text):
        spans.append((m.start(1), m.end(1)))
    return spans


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def _is_year(text: str, start: int, end: int, lang: str) -> bool:
    token = text[start:end]
    if not re.fullmatch(r"\d{4}", token):
        return False
    y = int(token)
    if not 1000 <= y <= 2100:
        return False
    before = text[max(0, start - 20):start]
    after = text[end:end + 30]
    if _YEAR_BEFORE.search(before) or _DECADE_AFTER.match(after):
        return True
    nxt = re.match(r"\s*([^\s]+)", after)
    if not nxt:
        return True
    word = nxt.group(1)
    if re.match(r"^[\d.,]+", word) or re.match(r"^[.,;:!?)\]]", word):
        return True
    if lang == "de":
        # a count is followed by a capitalised noun that is not a month ("2000 Soldaten")
        return not (word[:1].isupper() and not re.match(rf"^(?:{MONTH_RE})\b", word, re.I))
    # English: "2000 troops" is a count; "2000 was" a year
    return not re.match(r"^[a-z]+s\b", word) or y >= 1900 and y <= 2100 and not re.match(r"^[a-z]+s$", word)


def noun_after(text: str, pos: int, lang: str, limit: int = 60) -> tuple[str | None, str | None, list[str], int]:
    """The counted noun phrase right after ``pos``: (surface, head lemma, modifier lemmas, end offset)."""
    seg = text[pos:pos + limit]
    tokens = [(m.start() + pos, m.end() + pos, m.group()) for m in re.finditer(r"[\w][\w\-‑]*", seg)]
    stop_de = {"bei", "in", "im", "an", "am", "auf", "nach", "mit", "von", "vom", "zu", "zur", "zum", "und", "oder",
               "aus", "für", "gegen", "durch", "über", "unter", "seit", "als", "wie", "die", "der", "das", "den"}
    stop_en = {"in", "at", "on", "to", "into", "from", "with", "by", "and", "or", "of", "for", "as", "the", "a",
               "an", "were", "was", "have", "had", "has", "are", "is", "be", "been", "who", "that", "which",
               "around", "near", "across", "over", "under", "after", "before", "during", "since", "per", "within",
               "along", "among", "between", "behind", "outside", "inside", "toward", "towards", "through", "via",
               "about", "than", "will", "would", "could", "can", "may", "might", "must", "should", "shall", "did",
               "do", "does", "said", "say", "says", "remain", "remained", "died", "fled", "left", "went", "came",
               "this", "last", "next", "each", "so", "more", "less"}
    mods: list[str] = []
    words: list[str] = []
    end = pos
    gap_ok = re.compile(r"^[\s\-‑]*$")
    prev_end = pos
    for s, e, w in tokens[:5]:
        if not gap_ok.match(text[prev_end:s]):
            break
        low = w.lower()
        if lang == "de":
            if w[:1].isupper():
                words.append(w)
                end = e
                break
            if low in stop_de or not re.search(r"(?:e|en|er|es|em)$", low):
                break
            mods.append(w)
        else:
            if low in stop_en or (words and re.match(r"^[a-z]{3,}ed$", w)):
                break  # a preposition, an auxiliary or a verb in the past ("tourists visited") ends the phrase
            words.append(w)
            end = e
        prev_end = e
        if len(words) >= 3:
            break
    if not words:
        return None, None, [], pos
    head = words[-1]
    if lang == "en" and len(words) > 1:
        mods = words[:-1]
    lemma = simplemma.lemmatize(head, lang=lang)
    if lang == "en" and lemma == head and len(head) > 4 and head.endswith("s") and not head.endswith("ss"):
        lemma = head[:-3] + "y" if head.endswith("ies") else head[:-1]  # plurals simplemma does not know
    if lang == "de":
        lemma = lemma[:1].upper() + lemma[1:]
    mod_lemmas = [simplemma.lemmatize(m, lang=lang) for m in mods]
    surface = text[pos:end].strip()
    return surface, lemma, mod_lemmas, end


def _clean(v: float) -> float:
    """Undo binary float noise of scaling (4.1 x 10^6 is 4,100,000, not 4,099,999.9999999995)."""
    r = round(v)
    return float(r) if abs(v - r) <= 1e-9 * max(1.0, abs(v)) else v


# --------------------------------------------------------------------------- extraction

def extract(text: str, lang: str | None, lex: Lexicon | None = None) -> list[RawQuantity]:
    """All quantities in ``text`` (a sentence or a whole view), in order of their start."""
    lex = lex or load_lexicon()
    lang = lang if lang in ("de", "en") else "en"
    pats = _patterns(lex)[lang]
    if not pats["candidate"].search(text):
        return []
    excluded = _excluded_spans(text)
    cores: list[tuple[int, int, float, str]] = []  # start, end, value, kind
    taken: list[tuple[int, int]] = []

    # vague quantities first, so that "mehrere Tausend" is not read as "Tausend"
    vague_cfg = lex.vague
    vscales = _vague_scales(lex, lang)
    vague_found: list[tuple[int, int, float, float, float]] = []
    for m in pats["vague_several"].finditer(text):
        word = m.group(1).lower()
        scale = vscales.get(m.group(2).lower(), 0.0)
        cfg = vague_cfg["few"] if word in [w.lower() for w in vague_cfg.get("few", {}).get("words", {}).get(lang, [])] \
            else vague_cfg["several"]
        vague_found.append((m.start(), m.end(), cfg["value"] * scale, cfg["low"] * scale, cfg["high"] * scale - 1))
    for m in pats["vague_plural"].finditer(text):
        if _overlaps(m.start(), m.end(), [(a, b) for a, b, *_ in vague_found]):
            continue
        g = m.group(0).lower()
        if m.group(1):  # tens/hundreds of thousands
            scale = ((10 if m.group(1).lower() == "tens" else 100)
                     * (1000 if m.group(2).lower() == "thousands" else 10**6))
        elif m.group(4):
            base = {"tausende": 1000, "millionen": 10**6, "milliarden": 10**9}[m.group(4).lower()]
            scale = base * {None: 1, "hundert": 100, "zehn": 10}[m.group(3).lower() if m.group(3) else None]
            # "10 Millionen": a bare plural scale after a number is not vague
            if base >= 10**6 and not m.group(3) and re.search(r"[\d\w]\s*$", text[max(0, m.start() - 3):m.start()]) \
                    and re.search(r"(?:\d|zehn|zwei|drei|vier|fünf|sechs|sieben|acht|neun|elf|zwölf|zig|hundert)\s*$",
                                  text[max(0, m.start() - 12):m.start()], re.I):
                continue
            if m.group(4)[0].islower() and not g.startswith(("hundert", "zehn")):
                continue  # German nouns are capitalised: "tausende" lower-case is rare, skip the odd token
        elif m.group(5):
            scale = {"dutzende": 12, "hunderte": 100}[m.group(5).lower().rstrip("n")]
        else:
            w = m.group(6).lower()
            scale = {"thousands": 1000, "hundreds": 100, "dozens": 12, "millions": 10**6, "billions": 10**9}[w]
            if w in ("millions", "billions") and re.search(r"\d\s*$", text[max(0, m.start() - 3):m.start()]):
                continue
        cfg = vague_cfg["plural"]
        vague_found.append((m.start(), m.end(), cfg["value"] * scale, cfg["low"] * scale, cfg["high"] * scale - 1))
    for s, e, val, lo, hi in vague_found:
        taken.append((s, e))

    # digits
    for m in (_DIGITS.finditer(text) if excluded or _HAS_DIGIT.search(text) else ()):
        s, e = m.span()
        if _overlaps(s, e, excluded) or _overlaps(s, e, taken):
            continue
        before = text[max(0, s - 25):s]
        after = text[e:e + 30]
        if _ATTACHED_BEFORE.search(before) or _LINKID.search(text[max(0, s - 1):e]):
            continue
        if _CALIBRE_AFTER.match(after) or _PAGE_BEFORE.search(before):
            continue
        if _ATTACHED_AFTER.match(after) and not pats["scale"].match(after) and not _PERCENT.match(after):
            continue
        if _ORD_AFTER.match(after) or re.match(rf"^\.\s*(?:{MONTH_RE})\b", after, re.I):
            continue
        if _is_year(text, s, e, lang):
            continue
        if re.match(r"^:\d", after) or re.search(r"\d:$", before):
            continue
        scaled = bool(pats["scale"].match(after))
        parsed = parse_number(m.group(1), lang, scaled)
        if parsed is None:
            continue
        cores.append((s, e, parsed, "number"))

    # number words
    if lang == "de":
        for m in _DE_WORD_IN_TEXT.finditer(text):
            w = m.group(1)
            word = w.lower()
            if word in ("ein", "eine", "eins", "und", "einen", "einem", "einer", "eines"):
                continue
            if w[0].isupper() and not (m.start() == 0 or re.search(r"[.!?:„\"]\s*$", text[:m.start()])):
                continue
            if _overlaps(m.start(), m.end(), taken):
                continue
            if word.endswith("und"):
                continue
            try:
                if word.endswith("einhalb"):
                    stem = word[: -len("einhalb")]
                    val = float(text2num(stem, "de")) + 0.5
                else:
                    val = float(text2num(word, "de"))
            except ValueError:
                continue
            cores.append((m.start(), m.start() + len(w), val, "word"))
        for m in re.finditer(r"(?<![\w-])(eine|ein|einer)\s+(?=(?:Million|Milliarde|Billion)\b)", text):
            cores.append((m.start(), m.start() + len(m.group(1)), 1.0, "word"))
        for m in re.finditer(r"(?<![\w-])anderthalb(?![\w])", text, re.I):
            cores.append((m.start(), m.end(), 1.5, "word"))
    else:
        for m in _EN_SEQ.finditer(text):
            if _overlaps(m.start(), m.end(), taken):
                continue
            words = re.findall(r"[a-z]+", m.group(0).lower())
            total, cur = 0, 0
            ok = True
            for wd in words:
                if wd in ("a", "an", "and"):
                    cur = cur or (1 if wd in ("a", "an") else cur)
                    continue
                if wd == "dozen":
                    cur = (cur or 1) * 12
                elif wd in _EN_UNITS:
                    cur += _EN_UNITS[wd]
                elif wd in _EN_TENS:
                    cur += _EN_TENS[wd]
                elif wd == "hundred":
                    cur = (cur or 1) * 100
                elif wd in _EN_MULT:
                    total += (cur or 1) * _EN_MULT[wd]
                    cur = 0
                else:
                    ok = False
            val = total + cur
            if not ok or val == 0:
                continue
            if words in (["one"],) and not pats["scale"].match(text[m.end():]):
                continue
            if not any(w in _EN_UNITS or w in _EN_TENS or w in ("a", "an", "dozen") for w in words):
                continue  # a bare "million" after digits belongs to the digits
            # scale words at the end stay with the scale parser when they follow digits
            cores.append((m.start(), m.end(), float(val), "word"))
    cores.sort()

    found: list[RawQuantity] = []
    i = 0
    while i < len(cores):
        s, e, val, kind = cores[i]
        end = e
        scale = 1.0
        sm = pats["scale"].match(text[end:])
        # don't treat English number words followed by "million" twice: the word parser took it
        if sm and not (kind == "word" and lang == "en" and sm.group(1) and sm.group(1).lower() in _EN_MULT):
            word = (sm.group(1) or sm.group(2)).lower()
            if sm.group(2) and not (text[end:end + 1] != " " or re.search(r"[$€£]\s?$", text[max(0, s - 4):s])):
                pass  # short scale ("m", "bn") only attached or after a currency symbol
            else:
                scale = lex.scales[lang].get(word) or lex.scales["en" if lang == "de" else "de"].get(word, 1.0)
                end += sm.end()
        value = _clean(val * scale)
        low: float | None = value
        high: float | None = value
        qkind = kind
        # ranges: "10.000 bis 12.000", "zwischen 5 und 6 Millionen", "zehn- bis zwölftausend"
        range_start = s
        if i + 1 < len(cores):
            ns, ne, nval, nkind = cores[i + 1]
            mid = pats["range_mid"].match(text[end if scale == 1.0 else e:ns] + " ")
            gap = text[(end if scale == 1.0 else e):ns]
            between = pats["between"].search(text[max(0, s - 12):s])
            connector = gap.strip().lower()
            if mid and len(gap) <= 6 and (connector not in ("und", "and", "oder", "or") or between) and connector:
                nend = ne
                nscale = 1.0
                nsm = pats["scale"].match(text[ne:])
                if nsm and (nsm.group(1) or text[ne:ne + 1] != " "):
                    w2 = (nsm.group(1) or nsm.group(2)).lower()
                    nscale = lex.scales[lang].get(w2) or lex.scales["en" if lang == "de" else "de"].get(w2, 1.0)
                    nend += nsm.end()
                hi_v = nval * nscale
                lo_v = val * (scale if scale != 1.0 else nscale)
                if kind == "word" and text[e:e + 1] == "-" and nkind == "word":
                    for tail, mult in (("tausend", 1000), ("hundert", 100)):
                        if text[ns:ne].lower().endswith(tail) and lo_v < hi_v / mult:
                            lo_v *= mult
                if lo_v < hi_v:
                    low, high = lo_v, hi_v
                    value = (lo_v + hi_v) / 2
                    end = nend
                    qkind = "range"
                    if between:
                        range_start = s - len(text[max(0, s - 12):s]) + between.start()
                    i += 1
        found.append(RawQuantity(range_start, end, text[range_start:end], value, low, high, None, None,
                                 "~" if qkind == "range" else "=", qkind, "count"))
        i += 1
    core_ends = {e for _, e, _, _ in cores}
    for s, e, val, lo, hi in vague_found:
        if any(s - k in core_ends and not text[s - k:s].strip() for k in (0, 1, 2)):
            continue  # "fünfeinhalb Milliarden": the scale of a number, not a vague quantity
        found.append(RawQuantity(s, e, text[s:e], val, lo, hi, None, "vague", "~", "vague", "count"))
    found.sort(key=lambda q: q.start)

    # units, currencies, percent, hedges
    for q in found:
        after = text[q.end:q.end + 40]
        pm = _PERCENT.match(after)
        cm = pats["cur_after"].match(after)
        cb = pats["cur_before"].search(text[max(0, q.start - 4):q.start])
        if pm:
            q.unit, q.unit_class = "%", "percent"
            q.end += pm.end()
        elif cm:
            q.unit, q.unit_class = lex.currencies[cm.group(1)], "money"
            q.end += cm.end()
        elif cb:
            q.unit, q.unit_class = lex.currencies[cb.group(1)], "money"
            q.start -= len(text[max(0, q.start - 4):q.start]) - cb.start()
        q.surface = text[q.start:q.end]
        if q.kind != "vague":
            hm = pats["hedge"].search(text[max(0, q.start - 30):q.start])
            if hm:
                hedge = hm.group(1)
                hkind = lex.hedges[lang].get(hedge.lower())
                if q.kind != "range" and hkind:
                    q.hedge = hedge
                    q.low, q.high = hedge_interval(q.value, hkind, lex, q.unit_class != "percent")
                    q.change = CHANGE.get(hkind, "=")
        else:
            for w in ("mehrere", "einige", "etliche", "several", "wenige", "a few", "some", "many", "viele"):
                if q.surface.lower().startswith(w):
                    q.hedge = w
                    break
    return found
