"""Sentence splitting on the cleaned view (pysbd), with offsets into the text as read.

Blocks of the view (paragraphs, headings) are split separately, so a heading never runs into the
paragraph below it. pysbd keeps German abbreviations, dates and thousands separators intact, but it is
slow (its cost grows with the text and the abbreviations it meets): a block is cut directly where a
boundary is unambiguous (a full stop after an ordinary word, then a capital), or is surely none (the full
stop of an abbreviation that pysbd always protects: "Prof. Dr. Streeck", "Rep. Hunter"), and only the
pieces that still hold an unsure boundary go to pysbd. On ordinary prose both paths give the same sentences (tested);
they differ where pysbd splits a lone closing quote off a sentence or keeps a „…“ quotation of several
sentences whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pysbd.lang.deutsch import Deutsch
from pysbd.lang.english import English
from pysbd.processor import Processor
from pysbd.utils import Text

from reconcile.dates import MONTH_RE
from reconcile.literals import fast_pattern, fold
from reconcile.model import Document, Sentence
from reconcile.textview import View, build_view

__all__ = ["ViewSentence", "split_sentences", "document_sentences"]


@dataclass
class ViewSentence:
    """A sentence with both its view offsets (for extraction) and its original offsets."""

    sentence: Sentence
    vstart: int
    vend: int


# --------------------------------------------------------------------------- pysbd, with patterns kept
# pysbd formats a regular expression per abbreviation it meets (several hundred per language) and hands
# the strings to ``re``, whose cache holds 512 and drops the oldest: on real news every block recompiled
# them (~25 compiles per pysbd call, two thirds of its time). The replacers below run pysbd's own
# patterns, each compiled once. ``Segmenter.segment`` also compiled one pattern per sentence to find it
# in the block again; split_sentences finds the sentences itself, so only pysbd's processor runs.
# pysbd's ~100 rule substitutions per piece go through ``Text.apply``: replaced by one that keeps each
# compiled pattern and skips a rule whose literals the text lacks (it would change nothing); the
# abbreviations that stand before a full stop are read off at the full stops instead of tested one by one.


@lru_cache(maxsize=8192)
def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pysbd pattern, compiled once and kept (``re``'s own cache is too small for them)."""
    return re.compile(pattern, flags)


def _rule_apply(self: str, *rules: Any) -> str:
    """pysbd's ``Text.apply`` (``re.sub`` of each rule in turn), each pattern compiled once and skipped where
    its literals are absent: it cannot match there, so ``re.sub`` would give the text back unchanged."""
    text, folded = self, None
    for rule in rules:
        fp = fast_pattern(rule.pattern)
        if fp.lits and fp.lits[1]:
            folded = fold(text) if folded is None else folded  # folded once per version of the text
            possible = fp.possible(text, folded)
        else:
            possible = fp.possible(text, text)
        if possible:
            text, folded = fp.rx.sub(rule.replacement, text), None
    return text


Text.apply = _rule_apply  # the same substitutions in the same order: pysbd's every module calls Text.apply


@lru_cache(maxsize=4)
def _abbreviation_index(lang: Any) -> tuple[frozenset[str], tuple[int, ...]]:
    """pysbd's abbreviations of a language (stripped) and their lengths, to find those before a full stop."""
    stripped = frozenset(a.strip() for a in lang.Abbreviation.ABBREVIATIONS)
    return stripped, tuple(sorted({len(a) for a in stripped}))


def _before_stops(lowered: str, lang: Any) -> set[str]:
    """The abbreviations ``a`` with ``a + "."`` in ``lowered``: read off before each full stop, not tested
    one by one (pysbd lists several hundred, a sentence holds a few full stops)."""
    known, lengths = _abbreviation_index(lang)
    found: set[str] = set()
    i = lowered.find(".")
    while i >= 0:
        found.update(w for n in lengths if n <= i and (w := lowered[i - n:i]) in known)
        i = lowered.find(".", i + 1)
    return found


def _find_abbreviations(replacer: Any, text: str) -> str:
    """pysbd's ``search_for_abbreviations_in_string``, with kept patterns.

    An abbreviation is skipped unless it stands before a full stop somewhere: every replacement pysbd
    makes for it protects that full stop, so without one there is nothing to do (pysbd itself only skips
    an abbreviation that does not occur at all, and "st" or "v" occur in most texts)."""
    lowered = text.lower()
    present = _before_stops(lowered, replacer.lang)
    for abbr in replacer.lang.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        if stripped not in present:
            continue
        abbrev_match = _rx(r"(?:^|\s|\r|\n){}".format(stripped), re.IGNORECASE).findall(text)
        if not abbrev_match:
            continue
        char_array = _rx(r"(?<={" + str(re.escape(stripped)) + "} ).{1}").findall(text)
        for ind, match in enumerate(abbrev_match):
            text = replacer.scan_for_replacements(text, match, ind, char_array)
    return text


class _DeutschReplacer(Deutsch.AbbreviationReplacer):  # type: ignore[misc,name-defined]
    """pysbd's German abbreviation replacer with kept patterns."""

    def search_for_abbreviations_in_string(self, text: str) -> str:
        """Protect the full stops of the abbreviations in ``text`` (pysbd's rules)."""
        return _find_abbreviations(self, text)

    def scan_for_replacements(self, txt: str, am: str, index: int, character_array: list[str]) -> str:
        """Protect the full stop after the abbreviation ``am`` (pysbd's German rule)."""
        return _rx(r"(?<={am})\.(?=\s)".format(am=am)).sub("∯", txt)


class _EnglishReplacer(English.AbbreviationReplacer):  # type: ignore[misc,name-defined]
    """pysbd's English abbreviation replacer with kept patterns."""

    def search_for_abbreviations_in_string(self, text: str) -> str:
        """Protect the full stops of the abbreviations in ``text`` (pysbd's rules)."""
        return _find_abbreviations(self, text)

    def scan_for_replacements(self, txt: str, am: str, ind: int, char_array: list[str]) -> str:
        """Protect the full stop after ``am`` unless a capital follows it (pysbd's English rule)."""
        char = char_array[ind] if ind < len(char_array) else ""
        low = am.strip().lower()
        if str(char).isupper() and low not in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
            return txt
        if low in self.lang.Abbreviation.PREPOSITIVE_ABBREVIATIONS:
            pattern = r"(?<=\s{abbr})\.(?=(\s|:\d+))".format(abbr=am.strip())
        elif low in self.lang.Abbreviation.NUMBER_ABBREVIATIONS:
            pattern = r"(?<=\s{abbr})\.(?=(\s\d|\s+\())".format(abbr=am.strip())
        else:
            pattern = (r"(?<=\s{abbr})\.(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))"
                       .format(abbr=re.escape(am.strip())))
        return _rx(pattern).sub("∯", " " + txt)[1:]


class _Deutsch(Deutsch):  # type: ignore[misc]
    AbbreviationReplacer = _DeutschReplacer


class _English(English):  # type: ignore[misc]
    AbbreviationReplacer = _EnglishReplacer


def _pysbd_split(block: str, lang: str) -> list[str]:
    """pysbd's sentences of ``block`` (German or English rules), its text as pysbd processed it."""
    language = _Deutsch if lang == "de" else _English
    processor = getattr(language, "Processor", Processor)
    return list(processor(block, language, char_span=False).process() or [])


# a sentence end: terminal punctuation, closing quotes or brackets, white space, then the next sentence
_BOUNDARY = re.compile(r"[.!?…]+[\"“”»«)'’]*(\s+)(?=\S)")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]+[\"“”»«)'’]*$")
_STARTS = re.compile(r"[A-ZÄÖÜ\"„“»«(\[]")
_MONTH_NEXT = re.compile(rf"(?:{MONTH_RE})\b", re.I)
_DOMAIN = re.compile(r"[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.[a-z]{2,6}")
_QUOTES = "\"'„“”»«()[]‘’"
_LONE_LETTER = re.compile(r"(?<!\S)[a-z]$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """pysbd's own abbreviation lists (German and English), so both paths agree on what is one."""
    words: set[str] = set()
    for lang in (Deutsch, English):
        ab = lang.Abbreviation
        for name in ("ABBREVIATIONS", "PREPOSITIVE_ABBREVIATIONS", "NUMBER_ABBREVIATIONS"):
            words.update(w.lower() for w in getattr(ab, name, []))
    return frozenset(words)


@lru_cache(maxsize=2)
def _protected(lang: str) -> frozenset[str]:
    """Abbreviations whose full stop pysbd always protects before white space, so that no sentence ends there:
    every German one, and the English ones that stand before a name ("Dr.", "Prof.", "St.")."""
    ab = (Deutsch if lang == "de" else English).Abbreviation
    words = ab.ABBREVIATIONS if lang == "de" else ab.PREPOSITIVE_ABBREVIATIONS
    return frozenset(w.strip().lower() for w in words if w.strip().isalpha())


def _abbreviation_stop(block: str, m: re.Match[str], lang: str | None) -> bool:
    """Is the candidate boundary ``m`` the lone full stop of an abbreviation pysbd protects ("Prof. Dr. Müller")?"""
    if lang not in ("de", "en") or block[m.start():m.start(1)] != ".":
        return False
    start = max(block.rfind(" ", 0, m.start()), block.rfind("\n", 0, m.start()), block.rfind("\t", 0, m.start())) + 1
    run = block[start:m.start()]
    return run.isalpha() and run.lower() in _protected(lang)


def _boundary(block: str, m: re.Match[str], last: int, lang: str | None = None) -> str:
    """What the candidate boundary ``m`` is: "split", "none" (no sentence ends) or "unsure" (pysbd decides).

    Unambiguous: "!" or "?", or a full stop after a word of two or more letters that is not an
    abbreviation and has no inner full stop; and the next sentence starts with a capital or a quote.
    A full stop before a lower-case word or between a day and a month ("am 4. Juni") ends nothing. Other
    digits before a full stop ("der 2. Weltkrieg", "im Jahr 2024. Die") are left to pysbd.
    """
    nxt = block[m.end():m.end() + 1]
    if nxt.islower():
        return "none"  # "bzw. die", "la… der": no sentence starts in lower case
    if nxt.isdigit() and m.group(0).startswith(". ") and _LONE_LETTER.search(block, max(0, m.start() - 2), m.start()):
        return "none"  # "a. 357 revolver": ".357" as some feeds tokenise it, no sentence ends after "a"
    if not _STARTS.match(nxt):
        return "unsure"
    if _abbreviation_stop(block, m, lang):
        return "none"  # pysbd protects the full stop: it would not split here either
    if "." in m.group(0):
        wm = _WORD_BEFORE.search(block, max(last, m.start() - 40), m.start(1))
        word = wm.group(1) if wm else ""
        word = word.strip(_QUOTES)
        if word.isdigit() and len(word) <= 2 and _MONTH_NEXT.match(block, m.end()):
            return "none"  # "am 4. Juni": a date
        if _DOMAIN.fullmatch(word):
            word = word.rsplit(".", 1)[1]  # "auf nv.ua. Präsident": a web address ends the sentence
        if (len(word) < 2 or not word.isalpha() or word.lower() in _abbreviations()
                or (word.isupper() and len(word) <= 4)):
            return "unsure"
    return "split"


def _chunks(block: str, lang: str | None = None) -> list[tuple[str, bool]]:
    """``block`` cut at its unambiguous sentence ends; each piece says whether it still holds a boundary
    that needs pysbd's judgement. Only those pieces go to pysbd (its cost grows with the text it reads)."""
    pieces: list[tuple[str, bool]] = []
    last, unsure = 0, False
    for m in _BOUNDARY.finditer(block):
        kind = _boundary(block, m, last, lang)
        if kind == "unsure":
            unsure = True
        elif kind == "split":
            pieces.append((block[last:m.start(1)], unsure))
            last, unsure = m.end(), False
    pieces.append((block[last:], unsure))
    return pieces


def _fast_split(block: str) -> list[str] | None:
    """Split ``block`` at unambiguous boundaries, or None when any candidate needs pysbd's judgement."""
    pieces = _chunks(block)
    return None if any(unsure for _, unsure in pieces) else [p for p, _ in pieces]


def _split_block(block: str, lang: str) -> list[str]:
    """The sentences of one block: its unambiguous pieces as they are, the others split by pysbd."""
    out: list[str] = []
    for piece, unsure in _chunks(block, lang):
        if not unsure or len(piece) <= 1:
            out.append(piece)
            continue
        try:
            out.extend(_pysbd_split(piece, lang))
        except Exception:  # pysbd fails on some pathological inputs; keep the piece whole
            out.append(piece)
    return out


def split_sentences(view: View, lang: str, doc_id: str) -> list[ViewSentence]:
    """Split each block of ``view`` into sentences; offsets map back through ``view.pos``."""
    out: list[ViewSentence] = []
    for bstart, bend in view.blocks:
        block = view.text[bstart:bend]
        cursor = 0
        for piece in _split_block(block, lang):
            stripped = piece.strip()
            if not stripped:
                continue
            i = block.find(stripped, cursor)
            if i < 0:
                continue
            cursor = i + len(stripped)
            vs, ve = bstart + i, bstart + i + len(stripped)
            os_, oe = view.orig_span(vs, ve)
            out.append(ViewSentence(Sentence(doc_id, os_, oe, stripped, len(out)), vs, ve))
    return out


def document_sentences(doc: Document) -> tuple[View, list[ViewSentence]]:
    """The view of a document's kept text and its sentences."""
    view = build_view(doc.text, doc.skipped)
    return view, split_sentences(view, doc.language or "de", doc.id)
