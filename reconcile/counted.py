"""What a figure counts: the head of the noun phrase right after it, with its modifiers.

``quantities.noun_after`` reads the words after a figure ("11.000 Soldaten", "800,000 federal
employees"); in English, without capitals to mark nouns, that phrase can run into words that cannot
head it ("20 miles north", "five rounds sooner", "two days ago"). Those words (``not_heads`` in
``rules/lexicon/phrases.yml``) and adverbs in -ly end the phrase here; a phrase that starts with one
counts nothing.

Measured and left out: taking the counted thing from the context when no noun follows ("die Zahl der
Infizierten stieg auf 174", "15 percent of the population") lowered the dev set's held-out B-cubed by
0.02 (each outlet words the context differently, so the counted phrases of one fact drifted apart).
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from reconcile.lexicon import Lexicon
from reconcile.quantities import noun_after

__all__ = ["counted_phrase", "not_heads"]


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def not_heads(lex: Lexicon) -> dict[str, frozenset[str]]:
    """Per language, the words that never head a counted phrase (``not_heads`` of ``phrases.yml``)."""
    heads = (lex.raw.get("phrases") or {}).get("not_heads") or {}
    return {lg: frozenset(str(w).lower() for w in heads.get(lg, []) or []) for lg in ("de", "en")}


def _lemma(word: str) -> str:
    lemma = simplemma.lemmatize(word, lang="en")
    if lemma == word and len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        lemma = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return lemma


def counted_phrase(text: str, qend: int, lang: str, lex: Lexicon) -> tuple[str | None, str | None, list[str]]:
    """(counted phrase as written, head lemma, modifier lemmas) of the figure ending at ``qend``."""
    surface, lemma, mods, _ = noun_after(text, qend, lang)
    if not surface or lang != "en":
        return surface, lemma, mods
    stop = not_heads(lex)["en"]
    words = surface.split()
    if words[0] in stop:  # lower case only: "North Korean soldiers" is a phrase, "north of" is not
        return None, None, []
    kept = list(words)
    while kept and (kept[-1] in stop or (kept[-1].islower() and kept[-1].endswith("ly"))):
        kept.pop()
    if kept == words:
        return surface, lemma, mods
    if not kept:
        return None, None, []
    return " ".join(kept), _lemma(kept[-1]), [simplemma.lemmatize(w, lang="en") for w in kept[:-1]]
