"""Sentence splitting on the cleaned view (pysbd), with offsets into the text as read.

Blocks of the view (paragraphs, headings) are split separately, so a heading never runs into the
paragraph below it. pysbd keeps German abbreviations, dates and thousands separators intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pysbd

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


def split_sentences(view: View, lang: str, doc_id: str) -> list[ViewSentence]:
    """Split each block of ``view`` into sentences; offsets map back through ``view.pos``."""
    seg = _segmenter(lang)
    out: list[ViewSentence] = []
    for bstart, bend in view.blocks:
        block = view.text[bstart:bend]
        cursor = 0
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
