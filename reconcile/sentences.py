"""Sentence splitting on the cleaned view (pysbd), with offsets into the text as read.

Blocks of the view (paragraphs, headings) are split separately, so a heading never runs into the
paragraph below it. pysbd keeps German abbreviations, dates and thousands separators intact, but it is
slow (it builds regular expressions per abbreviation on every call): a block whose every candidate
boundary is unambiguous (a full stop after an ordinary word, then a capital) is split directly, and
only the others go to pysbd. On ordinary prose both paths give the same sentences (tested); they
differ where pysbd splits a lone closing quote off a sentence or keeps a „…“ quotation of several
sentences whole.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from functools import lru_cache

import pysbd
from pysbd.lang.deutsch import Deutsch
from pysbd.lang.english import English

from reconcile.dates import MONTH_RE
from reconcile.model import Document, Sentence
from reconcile.textview import View, build_view

__all__ = ["ViewSentence", "split_sentences", "document_sentences"]


@dataclass
class ViewSentence:
    """A sentence with both its view offsets (for extraction) and its original offsets."""

    sentence: Sentence
    vstart: int
    vend: int


@lru_cache(maxsize=4)
def _segmenter(lang: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=lang if lang in ("de", "en") else "en", clean=False)


# a sentence end: terminal punctuation, closing quotes or brackets, white space, then the next sentence
_BOUNDARY = re.compile(r"[.!?…]+[\"“”»«)'’]*(\s+)(?=\S)")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]+[\"“”»«)'’]*$")
_STARTS = re.compile(r"[A-ZÄÖÜ\"„“»«(\[]")
_MONTH_NEXT = re.compile(rf"(?:{MONTH_RE})\b", re.I)
_DOMAIN = re.compile(r"[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.[a-z]{2,6}")
_QUOTES = "\"'„“”»«()[]‘’"


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    """pysbd's own abbreviation lists (German and English), so both paths agree on what is one."""
    words: set[str] = set()
    for lang in (Deutsch, English):
        ab = lang.Abbreviation
        for name in ("ABBREVIATIONS", "PREPOSITIVE_ABBREVIATIONS", "NUMBER_ABBREVIATIONS"):
            words.update(w.lower() for w in getattr(ab, name, []))
    return frozenset(words)


def _fast_split(block: str) -> list[str] | None:
    """Split ``block`` at unambiguous boundaries, or None when any candidate needs pysbd's judgement.

    Unambiguous: "!" or "?", or a full stop after a word of two or more letters that is not an
    abbreviation and has no inner full stop; and the next sentence starts with a capital or a quote.
    A full stop before a lower-case word or between a day and a month ("am 4. Juni") ends nothing. Other
    digits before a full stop ("der 2. Weltkrieg", "im Jahr 2024. Die") are left to pysbd.
    """
    abbreviations = _abbreviations()
    pieces: list[str] = []
    last = 0
    for m in _BOUNDARY.finditer(block):
        nxt = block[m.end():m.end() + 1]
        if nxt.islower():
            continue  # "bzw. die", "la… der": no sentence starts in lower case
        if not _STARTS.match(nxt):
            return None
        if "." in m.group(0):
            wm = _WORD_BEFORE.search(block, max(last, m.start() - 40), m.start(1))
            word = wm.group(1) if wm else ""
            word = word.strip(_QUOTES)
            if word.isdigit() and len(word) <= 2 and _MONTH_NEXT.match(block, m.end()):
                continue  # "am 4. Juni": a date
            if _DOMAIN.fullmatch(word):
                word = word.rsplit(".", 1)[1]  # "auf nv.ua. Präsident": a web address ends the sentence
            if (len(word) < 2 or not word.isalpha() or word.lower() in abbreviations
                    or (word.isupper() and len(word) <= 4)):
                return None
        pieces.append(block[last:m.start(1)])
        last = m.end()
    pieces.append(block[last:])
    return pieces


def split_sentences(view: View, lang: str, doc_id: str) -> list[ViewSentence]:
    """Split each block of ``view`` into sentences; offsets map back through ``view.pos``."""
    seg = _segmenter(lang)
    out: list[ViewSentence] = []
    for bstart, bend in view.blocks:
        block = view.text[bstart:bend]
        cursor = 0
        pieces = _fast_split(block)
        if pieces is None:
            try:
                pieces = seg.segment(block) if len(block) > 1 else [block]
            except Exception:  # pysbd fails on some pathological inputs; keep the block whole
                pieces = [block]
        for piece in pieces:
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
