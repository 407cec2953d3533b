"""Is a capitalised word after a locative preposition a place name, or a common noun? Is a word a first name?

German capitalises every noun, so "in Wirklichkeit", "an Bord" and "nach Antikörpertests" look like
"in Oldenburg". HanTa's German morphology (``HanTa``, models shipped with the package) knows common
nouns: a word it analyses as a known noun (a likely analysis), or whose lemma differs from the word
(inflected: "Infektionen"), is not a place; a word with digits ("Covid-19") neither. Each distinct word
is analysed once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["is_place_name", "is_person_name", "is_german_adverb", "english_tags", "german_tags"]

# a known common noun is analysed with a log-probability above this; unknown words (names) fall far below
_KNOWN_NOUN = -20.0
# a known name ("Maria") is as likely as that; a common noun reading this close to it ("Pfleger") wins
_NOUN_MARGIN = 3.0


@lru_cache(maxsize=1)
def _german() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")


@lru_cache(maxsize=1)
def _english() -> Any:
    from HanTa import HanoverTagger

    return HanoverTagger.HanoverTagger("morphmodel_en.pgz")


@lru_cache(maxsize=65536)
def english_tags(words: tuple[str, ...]) -> tuple[str, ...]:
    """HanTa's part-of-speech tags (CLAWS: NN1, VVZ, NP0, AJ0 ...) of a few English words in order.

    Counted phrases tag the words after a figure (the figure first, so the tagger sees a number before
    them): "4.6 quake rattles Sonoma" is a noun, a verb and a name. Windows repeat, so they are cached.
    """
    return tuple(str(tag) for tag in _english().tag_sent(list(words), taglevel=0))  # level 0: no lemmas


@lru_cache(maxsize=65536)
def german_tags(word: str) -> tuple[tuple[str, float], ...]:
    """HanTa's German tags of one word with their log-probabilities, most likely first.

    One cache for every German question about a word (place, person, adverb): HanTa's analysis of an
    unseen word is the costliest step of extraction on new text, so each word is analysed once.
    """
    return tuple((str(t), float(lp)) for t, lp in _german().tag_word(word))


def _german_lemma(word: str, tag: str) -> str:
    """HanTa's lemma of a German word read as ``tag`` (its most likely tag, from ``german_tags``).

    HanTa's own ``analyze`` would tag the word a second time to find that tag: on a word it has not seen,
    the costliest step of all, done twice."""
    tagger = _german()
    return str(tagger._analyze(word, tagger.tag2int[tag])[0])


@lru_cache(maxsize=65536)
def is_place_name(word: str, lang: str) -> bool:
    """False for words that are surely not names of places; True otherwise (English: always)."""
    if any(ch.isdigit() for ch in word):
        return False
    if lang != "de":
        return True
    tags = german_tags(word)
    if not tags:
        return True
    tag, logp = tags[0]
    if tag.startswith("NE"):
        return True
    if tag in ("NN", "NNA") and (logp > _KNOWN_NOUN or _german_lemma(word, tag).lower() != word.lower()):
        return False
    return not tag.startswith(("ADJ", "V", "ADV"))


@lru_cache(maxsize=65536)
def is_person_name(word: str) -> bool:
    """A German word HanTa knows as a name and not (about as likely) as a common noun ("Maria", not "Pfleger").

    Counted phrases use it: "die 90 Jahre alte Maria Huber" names who, not what is counted. Unknown words
    (surnames, rare nouns) are analysed far less likely and are not names here.
    """
    if not word[:1].isupper() or any(ch.isdigit() for ch in word):
        return False
    tags = german_tags(word)
    if not tags or not tags[0][0].startswith("NE") or tags[0][1] <= _KNOWN_NOUN:
        return False
    return not any(t.startswith("NN") and lp > tags[0][1] - _NOUN_MARGIN for t, lp in tags[1:])


@lru_cache(maxsize=65536)
def is_german_adverb(word: str) -> bool:
    """Is the German word most likely an adverb ("bereits") or an adverbial adjective ("positiv", "schwer")?"""
    tags = german_tags(word)
    return bool(tags) and tags[0][0] in ("ADV", "ADJ(D)")
