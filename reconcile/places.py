"""Is a capitalised word after a locative preposition a place name, or a common noun? Is a word a first name?

German capitalises every noun, so "in Wirklichkeit", "an Bord" and "nach Antikörpertests" look like
"in Oldenburg". HanTa's German morphology (``HanTa``, models shipped with the package) knows common
nouns: a word it analyses as a known noun (a likely analysis), or whose lemma differs from the word
(inflected: "Infektionen"), is not a place; a word with digits ("Covid-19") neither. Each distinct word
is analysed once.

HanTa's forward pass over a new word (``analyze_forward``, the costliest step of extraction on new text)
runs here on the same model with the same arithmetic in the same order, so its result is the same, but
its per-morpheme look-ups are laid out ahead: each morpheme's known tags in one dictionary, the guess for
an unknown segment kept for every word with the same ending and length, only the classes that can read a
segment tried, segments longer than any known morpheme skipped where only closed classes can follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any

__all__ = ["is_place_name", "is_person_name", "is_german_adverb", "english_tags", "german_tags"]

# a known common noun is analysed with a log-probability above this; unknown words (names) fall far below
_KNOWN_NOUN = -20.0
# a known name ("Maria") is as likely as that; a common noun reading this close to it ("Pfleger") wins
_NOUN_MARGIN = 3.0


_LOWER = -1e6  # HanTa's lower bound of a path's log-probability
_GUESSED_MAX = 200_000  # guesses kept for later words (``_guess``), then dropped and made anew


@dataclass(frozen=True)
class _Morphology:
    """A HanTa model as its forward pass reads it: each known morpheme's tags with log p(m|t), the longest
    known morpheme, the open classes (those HanTa guesses unknown morphemes of: base, suffix and length
    log-probabilities), and for each state the classes that may follow it: all of them, and the open ones
    alone (in the same order), which are all an unknown segment can be."""

    known: dict[str, dict[int, float]]
    longest: int
    open_tags: dict[int, tuple[float, dict[str, float], Any]]
    follow: dict[Any, tuple[list[tuple[int, float]], list[tuple[int, float]]]]
    guessed: dict[tuple[str, int, bool, bool], dict[int, float]]


def _morphology(tagger: Any) -> _Morphology:
    """The look-up tables of ``tagger``'s model (built once per tagger)."""
    known: dict[str, dict[int, float]] = {}
    for tag, morphemes in tagger.LP_m_t.items():
        for m, lp in morphemes.items():
            known.setdefault(m, {})[tag] = lp
    open_tags = {} if tagger.strict else {
        t: (tagger.Int_t + tagger.LP_hapax_t[t], tagger.LP_s_t[t], tagger.LP_len_t[t])
        for t in tagger.LP_m_t if t in tagger.LP_hapax_t and t in tagger.LP_s_t}
    follow = {state: (list(f), [(t, lp) for t, lp in f if t in open_tags])
              for state, f in tagger.LP_trans_nonfinal.items()}
    return _Morphology(known, max(map(len, known), default=0), open_tags, follow, {})


def _guess(base: float, suffixes: dict[str, float], lengths: Any, segment: str, wlen: int) -> float:
    """HanTa's log p(m|t) of ``segment`` as an unknown morpheme of an open class (``lp_m_t``, not strict), in
    a word of ``wlen`` letters: the class's base, length and longest known suffix log-probabilities. It
    depends on the segment's last four letters, its length, and whether it is the whole word or the word is
    short, so words share the answers (``_Morphology.guessed``)."""
    mlen = len(segment)
    if not (wlen < 4 or mlen > 2):
        return -math.inf
    lp_suf = None
    for k in (4, 3, 2, 1):  # the longest known ending shorter than the segment
        if mlen > k and segment[-k:] in suffixes:
            lp_suf = suffixes[segment[-k:]]
            break
    lp = base + lengths[min(mlen, 24)] + (suffixes[""] if lp_suf is None else lp_suf)
    return lp - 4.6 if wlen == mlen else lp


def _segment(word: str, i: int, j: int, known_of: dict[str, dict[int, float]],
             guessed: dict[tuple[str, int, bool, bool], dict[int, float]]) -> tuple[
                 str, dict[int, float] | None, dict[int, float]]:
    """The segment ``word[i:j]``, its known tags, and the guesses of it as an unknown morpheme per open
    class so far: shared by every word with its last four letters and length (``_guess``)."""
    segment, mlen, wlen = word[i:j], j - i, len(word)
    key = (segment[-4:], mlen, mlen == wlen, wlen < 4)
    guesses = guessed.get(key)
    if guesses is None:
        guesses = guessed[key] = {}
    return segment, known_of.get(segment), guesses


_NO_FOLLOW: tuple[list[tuple[int, float]], list[tuple[int, float]]] = ([], [])


def _extend(mo: _Morphology, word: str, table: list[dict[Any, float]], i: int) -> None:
    """HanTa's step from position ``i``: each likely state there goes on with each morpheme ``word[i:j]``
    (a segment HanTa cannot read as a class adds nothing, so only those it can are tried)."""
    row, wlen, known_of, open_tags, guessed, lower = table[i], len(word), mo.known, mo.open_tags, mo.guessed, _LOWER
    if len(guessed) > _GUESSED_MAX:
        guessed.clear()
    rowbound = sorted(row.values(), reverse=True)[3] - 1 if len(row) > 3 else lower
    segments: dict[int, tuple[str, dict[int, float] | None, dict[int, float]]] = {}  # by end, for every state
    for state, lp in row.items():
        if lp < rowbound:
            continue
        followup, open_followup = mo.follow.get(state, _NO_FOLLOW)
        last = wlen if open_followup else min(wlen, i + mo.longest)
        prev = state[1]
        for j in range(i + 1, last + 1):
            seg = segments.get(j)
            if seg is None:
                seg = segments[j] = _segment(word, i, j, known_of, guessed)
            segment, known, guesses = seg
            target = table[j]
            for tag1, lpt in (followup if known is not None else open_followup):
                lpm = known.get(tag1) if known is not None else None
                if lpm is None:
                    if tag1 not in open_tags:
                        continue
                    lpm = guesses.get(tag1)
                    if lpm is None:
                        lpm = guesses[tag1] = _guess(*open_tags[tag1], segment, wlen)
                lp1 = lp + lpt + lpm
                if lp1 > lower:
                    newstate = (prev, tag1)
                    old = target.get(newstate)
                    if old is None or lp1 > old:
                        target[newstate] = lp1


def _finish(tagger: Any, table: list[dict[Any, float]]) -> list[tuple[int, float]]:
    """HanTa's last step: the final states, and each part of speech with its log-probability, likeliest first."""
    from HanTa.HanoverTagger import UNKNOWN
    from numpy import logaddexp

    final = table[-1]
    for state, lp in table[-2].items():
        for tag1, lpt in tagger.LP_trans_final.get(state, []):
            lp1 = lp + lpt
            if lp1 > _LOWER:
                newstate = (state[1], tag1)
                if newstate not in final or lp1 > final[newstate]:
                    final[newstate] = lp1
    results: dict[int, Any] = {}
    for state, lp in final.items():
        if lp == -math.inf:
            continue
        pos = -state[1]
        results[pos] = logaddexp(results[pos], lp) if pos in results else lp
    result_list = sorted(results.items(), key=itemgetter(1), reverse=True)
    return result_list or [(UNKNOWN, 0)]


def _forward(tagger: Any, mo: _Morphology, word: str) -> list[tuple[int, float]]:
    """HanTa's ``analyze_forward`` of ``word``: the same parts of speech and log-probabilities, in the same order."""
    from HanTa.HanoverTagger import EMPTY, START

    table: list[dict[Any, float]] = [{(EMPTY, START): 0.0}] + [{} for _ in range(len(word) + 1)]
    for i in range(len(word) + 1):
        _extend(mo, word, table, i)
    return _finish(tagger, table)


def _tagger(model: str) -> Any:
    """A HanTa tagger of ``model`` whose forward pass is ``_forward``."""
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger(model)
    tagger.analyze_forward = partial(_forward, tagger, _morphology(tagger))
    return tagger


@lru_cache(maxsize=1)
def _german() -> Any:
    return _tagger("morphmodel_ger.pgz")


@lru_cache(maxsize=1)
def _english() -> Any:
    return _tagger("morphmodel_en.pgz")


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
