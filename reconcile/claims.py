"""Claims: quantities in statements of fact, with what is counted, who says so, how sure, and when.

Built on ``quantities`` per sentence. Attribution and modality cues, time expressions and cumulative
markers come from ``rules/lexicon/cues.yml``; a cue applies to a figure in its own clause or before it
in the sentence, and an attribution at the end of a sentence (", sagte X", "X zufolge") applies back.
A sentence that only names a source ("Die Angaben beruhen auf Schätzungen der ...") qualifies the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import simplemma

from reconcile.dates import MONTHS, MONTH_RE
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.literals import Prefiltered, fast_pattern, fold, literals_of
from reconcile.model import Claim, Document
from reconcile.counted import (base_noun, coordinated_adjective, counted_in_context, counted_phrase, implicit_people,
                               Counted, gender_suffix_words, is_change, measured_subject, separable_infinitives,
                               is_people_word, labelled, listed, multiplied, rate_in_context)
from reconcile.places import is_place_name
from reconcile.qualifiers import NAMED_BASES, basis_of, qualifiers
from reconcile.quantities import RawQuantity, _ARTICLE_BEFORE, extract
from reconcile.sentences import ViewSentence, document_sentences

__all__ = ["extract_claims", "document_quantities", "claim_sentences"]

# words and punctuation of a sentence (a token, not a word list: a "." inside keeps "U.S." and "3.5" whole)
_TOKEN = re.compile(r"[\w][\w\-‑.]*[\w]|[\w]|[,;:()„“\"–—]")
_NEVER = re.compile(r"(?!x)x")  # a pattern absent from the lexicon matches nothing
_CAPITALS = re.compile(r"[A-Z]{2,}")  # an acronym's start ("NIS", "WHO-Angaben")


@dataclass(frozen=True)
class _Phrases:
    """The word lists and patterns of ``rules/lexicon/phrases.yml`` that claims need, compiled once."""

    non_subjects: frozenset[str]
    source_words: frozenset[str]
    carry: tuple[re.Pattern[str], ...]
    places: dict[str, re.Pattern[str]]
    clause_split: re.Pattern[str]
    articles: frozenset[str]
    connect: frozenset[str]
    adj: re.Pattern[str]
    participle: dict[str, re.Pattern[str]]
    not_actor_before: re.Pattern[str]
    clause_opener: re.Pattern[str]
    cue_particles: tuple[str, ...]
    in_year: re.Pattern[str]
    quote_marks: str
    quote_reach: int
    pronoun_speaker: dict[str, re.Pattern[str]]
    money_scales: frozenset[str]
    attributive_before: re.Pattern[str]
    role_source: dict[str, re.Pattern[str]]
    role_lead: dict[str, re.Pattern[str]]
    inverting: dict[str, re.Pattern[str]]
    time_words: frozenset[str]
    tally: re.Pattern[str]
    tally_of: re.Pattern[str]
    tally_noun: dict[str, str]
    tally_later: dict[str, str]
    vessels: dict[str, frozenset[str]]
    aboard: dict[str, re.Pattern[str]]
    not_source_words: frozenset[str]

    def is_article(self, word: str) -> bool:
        """An article ("die", "the"): dropped at the start of a source's name."""
        return word.lower() in self.articles

    def says_when_or_how(self, word: str) -> bool:
        """A time word or a listed non-source word ("Mittwoch", "dieses", "Others"): never who says so."""
        low = word.lower()
        return low in self.time_words or low in self.not_source_words

    def is_filler(self, word: str) -> bool:
        """A word that may stand inside a source's name but never ends it: article, connective, adjective."""
        low = word.lower()
        return low in self.articles or low in self.connect or bool(self.adj.match(word))


def _words(raw: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(w) for w in raw.get(key, []) or [])


def _rx(raw: dict[str, Any], key: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(str(raw[key]), flags) if raw.get(key) else _NEVER


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _phrases(lex: Lexicon) -> _Phrases:
    """Compile the claims' part of ``phrases.yml`` once per lexicon."""
    raw = lex.raw.get("phrases") or {}
    return _Phrases(
        _words(raw, "non_subjects"), _words(raw, "source_words_en"),
        tuple(re.compile(p, re.I) for p in raw.get("carry", []) or []),
        {lg: re.compile(p) for lg, p in (raw.get("places") or {}).items()},
        _rx(raw, "clause_split"), frozenset(w.lower() for w in _words(raw, "articles")),
        frozenset(w.lower() for w in _words(raw, "connectives")), _rx(raw, "adjective"),
        {lg: re.compile(p) for lg, p in (raw.get("participle") or {}).items()},
        _rx(raw, "not_actor_before", re.I), _rx(raw, "source_clause_opener"),
        tuple(str(w) for w in raw.get("cue_particles", []) or []), _rx(raw, "in_year"),
        str(raw.get("quote_marks") or ""), int(raw.get("quote_speaker_reach") or 0),
        {lg: re.compile(p) for lg, p in (raw.get("pronoun_speaker") or {}).items()},
        frozenset(w.lower() for w in _words(raw, "money_scales")), _rx(raw, "attributive_before"),
        _role_sources(raw, False), _role_sources(raw, True),
        {lg: re.compile(str((raw.get("inverting_cues") or {}).get(lg) or _NEVER.pattern))
         for lg in ("de", "en")},
        frozenset(w.lower() for w in _words(raw, "time_words")), _rx(raw, "tally"), _rx(raw, "tally_of"),
        {str(k): str(v) for k, v in (raw.get("tally_noun") or {}).items()},
        {str(k): str(v) for k, v in (raw.get("tally_later") or {}).items()},
        {str(lg): frozenset(str(w).lower() for w in ws or []) for lg, ws in (raw.get("vessels") or {}).items()},
        _aboard_patterns(raw), frozenset(w.lower() for w in _words(raw, "not_source_words")),
    )


def _aboard_patterns(raw: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """Per language, one pattern of the words that place a figure aboard a vessel: ``aboard`` ("an Bord") or a
    listed vessel after a locative preposition and its article (``vessel_locative``: "auf dem Schiff")."""
    out = {}
    for lg, words in (raw.get("vessels") or {}).items():
        word = (raw.get("aboard") or {}).get(lg)
        alts = [str(word)] if word else []
        loc = (raw.get("vessel_locative") or {}).get(lg)
        if loc and words:
            nouns = "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))
            alts.append(r"%s(?:[\w-]+\s+)?(?:%s)\b" % (loc, nouns))
        if alts:
            out[str(lg)] = re.compile("|".join(f"(?:{a})" for a in alts), re.I)
    return out


def _role_sources(raw: dict[str, Any], lead: bool) -> dict[str, re.Pattern[str]]:
    """Per language, a lower-case role noun phrase ("the health ministry", "police") that ends a text
    (``lead``: that starts it): an English source before "said" or after "according to" that names no
    proper noun. Its modifiers are listed words (``role_modifiers``, ``source_words_en``) or role nouns."""
    out = {}
    for lg, nouns in (raw.get("role_sources") or {}).items():
        words = [str(n) for n in nouns]
        mods = words + [str(m) for m in (raw.get("role_modifiers") or {}).get(lg, [])]
        if lg == "en":
            mods += [str(m) for m in raw.get("source_words_en", []) or []]
        alt = "|".join(re.escape(n) for n in sorted(words, key=len, reverse=True))
        mod = "|".join(re.escape(m) for m in sorted(set(mods), key=len, reverse=True))
        np_ = r"(?<![\w'-])(?:(?:the|a|an)\s+)?((?:(?:%s)\s+){0,2}?(?:%s))" % (mod, alt)
        out[lg] = re.compile(r"^\s*" + np_ + r"\b" if lead else np_ + r"\s*$")
    return out


@dataclass(frozen=True)
class _CueLists:
    """The cue patterns of ``cues.yml`` per language with their literal prefilters (``reconcile.literals``)."""

    att_after: dict[str, Prefiltered]
    att_before: dict[str, Prefiltered]
    att_any: dict[str, Prefiltered]  # both lists: one test for the sentences that name no source
    modality: dict[str, dict[str, Prefiltered]]
    modality_any: dict[str, Prefiltered]  # every kind's cues: one test for the sentences that hold none
    cumulative: dict[str, Prefiltered]
    previous_year: dict[str, Prefiltered]
    this_year: dict[str, Prefiltered]
    seasons: tuple[str, ...] | None  # the season words folded; None: some cannot be tested with ``in``


@lru_cache(maxsize=16)  # per lexicon
def _cue_lists(lex: Lexicon) -> _CueLists:
    """Read the literals of every cue pattern once per lexicon."""
    langs = ("de", "en")
    seasons = tuple(fold(w) for w in lex.seasons)
    simple = all(w.isalpha() and literals_of(re.compile(re.escape(w), re.I)) == ((w,), True) for w in seasons)
    return _CueLists(
        {lg: Prefiltered(lex.att_after[lg]) for lg in langs}, {lg: Prefiltered(lex.att_before[lg]) for lg in langs},
        {lg: Prefiltered([*lex.att_after[lg], *lex.att_before[lg]]) for lg in langs},
        {mod: {lg: Prefiltered(pats.get(lg, [])) for lg in langs} for mod, pats in lex.modality.items()},
        {lg: Prefiltered([rx for pats in lex.modality.values() for rx in pats.get(lg, [])]) for lg in langs},
        {lg: Prefiltered(lex.cumulative[lg]) for lg in langs}, {lg: Prefiltered(lex.previous_year[lg]) for lg in langs},
        {lg: Prefiltered(lex.this_year[lg]) for lg in langs}, seasons if simple else None)


class _SentenceCues:
    """The cue patterns that may match one sentence (the others cannot match it nor any part of it).

    Each kind is looked up when first asked for: a sentence without figures only needs its attribution."""

    def __init__(self, text: str, lang: str, lex: Lexicon) -> None:
        self.text, self.lang, self.lex = text, lang, lex
        self.folded = fold(text)
        self._lists = _cue_lists(lex)

    def _present(self, pf: Prefiltered) -> list[re.Pattern[str]]:
        return pf.present(self.text, self.folded)

    @cached_property
    def att_after(self) -> list[re.Pattern[str]]:
        """Attribution cues before their source ("laut", "according to")."""
        return self._present(self._lists.att_after[self.lang])

    @cached_property
    def att_before(self) -> list[re.Pattern[str]]:
        """Attribution cues after their source ("zufolge", "said")."""
        return self._present(self._lists.att_before[self.lang])

    @cached_property
    def modality(self) -> dict[str, list[re.Pattern[str]]]:
        """Modality cues by kind (hypothetical, planned, estimated, reported, reported_anywhere); none at all for
        the many sentences that hold no modality cue's literal."""
        if not self._lists.modality_any[self.lang].any_present(self.text, self.folded):
            return {}
        return {mod: self._present(pf[self.lang]) for mod, pf in self._lists.modality.items()}

    @cached_property
    def previous_year(self) -> list[re.Pattern[str]]:
        """Cues of the year before publication ("im Vorjahr", "last year")."""
        return self._present(self._lists.previous_year[self.lang])

    @cached_property
    def this_year(self) -> list[re.Pattern[str]]:
        """Cues of the year of publication ("in diesem Jahr", "this year")."""
        return self._present(self._lists.this_year[self.lang])

    @cached_property
    def season(self) -> bool:
        """May a season be named ("im Sommer")?"""
        return self._lists.seasons is None or any(w in self.folded for w in self._lists.seasons)

    @cached_property
    def year(self) -> bool:
        """Does it hold four digits in a row (a month and a year: "im Mai 2020")?"""
        return bool(_FOUR_DIGITS.search(self.text))

    @cached_property
    def cumulative(self) -> bool:
        """Does a cumulative marker ("bisher", "so far") stand in it?"""
        return any(rx.search(self.text) for rx in self._present(self._lists.cumulative[self.lang]))


_FOUR_DIGITS = re.compile(r"\d{4}")


@lru_cache(maxsize=8)  # asked once per figure of a sentence and by the sentence before (a few at a time)
def _sentence_cues(text: str, lang: str, lex: Lexicon) -> _SentenceCues:
    """The cues a sentence may hold, found by their literals (``reconcile.literals``)."""
    return _SentenceCues(text, lang, lex)


def _carries(text: str, lex: Lexicon) -> bool:
    """Does the sentence carry the previous one's source ("Demnach ...", "According to the report ...")?"""
    return any(rx.match(text) for rx in _phrases(lex).carry)


@dataclass
class _Cue:
    start: int
    end: int
    text: str


def _clauses(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Clause spans of a sentence; computed once per sentence and handed to the helpers below."""
    out = []
    prev = 0
    for m in _phrases(lex).clause_split.finditer(text):
        if m.start() > prev:
            out.append((prev, m.start()))
        prev = m.start() if m.group().isalpha() else m.end()
    if prev < len(text):
        out.append((prev, len(text)))
    return out or [(0, len(text))]


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The clause span holding offset ``pos`` (the last clause for an offset past the end)."""
    for a, b in clauses:
        if a <= pos < b:
            return a, b
    return clauses[-1]


@lru_cache(maxsize=4096)  # per word: sources repeat their verbs
def _verb_like(w: str, lang: str) -> bool:
    """Is a lower-case German word a finite verb or infinitive ("nahmen", "teilte", "schreiben"), never part of a
    source's name though shaped like an adjective? Its lemma is an infinitive; an adjective's is not
    ("japanische": japanisch, "laufenden": laufend)."""
    if lang != "de" or not w[:1].islower() or len(w) < 4 or w.endswith(("isch", "ische", "ischen", "ischer", "isches")):
        return False
    return simplemma.lemmatize(w, lang="de").lower().endswith(("en", "ern", "eln"))


def _no_source(name: str | None, ph: _Phrases) -> str | None:
    """A source's name, or None when every word of it is a time word or a listed non-source word ("Mittwoch",
    "April", "dieses Mal", "So", "Others"): those say when or how, not who."""
    if not name:
        return None
    if all(ph.says_when_or_how(w) or ph.is_article(w) for w in re.findall(r"[\w-]+", name)):
        return None
    return name


def _np_word(w: str, lang: str, nouns: frozenset[str], ph: _Phrases) -> bool:
    """Can ``w`` stand in the name of a source? German capitalises nouns; English names its source nouns."""
    low = w.lower()
    if low in ph.articles or low in ph.connect or w[:1].isupper():
        return True
    if lang == "en":
        return low in nouns or low.rstrip("s") in nouns
    return bool(ph.adj.match(w))


def _np_after(text: str, pos: int, ph: _Phrases, lang: str = "de",
              nouns: frozenset[str] = frozenset()) -> str | None:
    """The name that starts at ``pos`` ("das Robert Koch-Institut"), without leading articles; None if
    it has no capitalised word."""
    words: list[str] = []
    for i, m in enumerate(_TOKEN.finditer(text, pos, pos + 120)):  # as on text[pos:pos + 120]: no look-behind
        w = m.group()
        if i == 10 or w in ",;:()„“\"–—":  # the first ten tokens at most, read as far as the name goes
            break
        if not words and ph.says_when_or_how(w):
            continue  # "teilte am Mittwoch das Ministerium mit": the time before the name is no part of it
        if _np_word(w, lang, nouns, ph) or _CAPITALS.match(w):
            words.append(w)
            continue
        break
    while words and ph.is_filler(words[-1]):
        words.pop()
    while words and (ph.is_article(words[0]) or words[0] in ph.non_subjects or _verb_like(words[0], lang)):
        words.pop(0)  # "so schreiben die Forscher": the source is who writes
    if not any(w[:1].isupper() for w in words):
        return _role_after(text[pos:pos + 60], lang, ph)  # "according to the health ministry"
    return _no_source(" ".join(words), ph)


def _np_before(text: str, pos: int, ph: _Phrases, lang: str = "de",
               nouns: frozenset[str] = frozenset()) -> str | None:
    """The name that ends at ``pos`` ("... die Polizei" before "zufolge"); None if it has no capitalised word."""
    seg = text[max(0, pos - 120):pos]
    toks = [m.group() for m in _TOKEN.finditer(seg)]
    while toks and toks[-1].lower() in ph.time_words:
        toks.pop()  # "wie die Reederei am Mittwoch bestätigte": the time between source and cue is no source
    words: list[str] = []
    for w in reversed(toks):
        if w in ",;:()„“\"–—" or _verb_like(w, lang):
            break  # "An der Studie nahmen X zufolge": the verb ends the name
        if _np_word(w, lang, nouns, ph):
            words.insert(0, w)
            if len(words) >= 8:
                break
            continue
        break
    while words and (words[0].lower() in ph.articles or words[0].lower() in ph.connect
                     or words[0] in ph.non_subjects or words[0].capitalize() in ph.non_subjects):
        words.pop(0)  # "Wie die Polizei mitteilte", "Auch die Agentur meldete": the source is what follows
    if not words or not any(w[:1].isupper() for w in words):
        return None
    return _no_source(" ".join(words), ph)


@dataclass(frozen=True)
class _AttCue:
    """An attribution cue found in a sentence and the source it names."""

    start: int
    end: int
    source: str
    after: bool  # a cue before its source ("laut X", "according to X"); False: "X zufolge", "X said"
    forward_only: bool
    backward_only: bool


@lru_cache(maxsize=16)  # per lexicon
def _cue_kinds(lex: Lexicon) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The nouns that may name a source, and the cue patterns that govern only forward / only backward."""
    return (frozenset(lex.source_nouns) | _phrases(lex).source_words, frozenset(lex.att_forward_only),
            frozenset(lex.att_backward_only))


@lru_cache(maxsize=8)  # asked for a sentence and, by ``_next_source``, for the one before it
def _attribution_cues(text: str, lang: str, lex: Lexicon) -> tuple[_AttCue, ...]:
    """Every attribution cue of a sentence with its source; which one governs a figure depends on where.

    Only the cues whose word the sentence holds are run (most sentences name no source)."""
    cues = _sentence_cues(text, lang, lex)
    if not _cue_lists(lex).att_any[lang].any_present(text, cues.folded):
        return ()
    out: list[_AttCue] = []
    after, before = cues.att_after, cues.att_before
    if not after and not before:
        return ()
    ph = _phrases(lex)
    nouns, forward, backward = _cue_kinds(lex)
    for rx in after:
        forward_only, backward_only = rx.pattern in forward, rx.pattern in backward
        for m in fast_pattern(rx).finditer(text, cues.folded):
            np_ = _np_after(text, m.end(), ph, lang, nouns)
            if np_:
                out.append(_AttCue(m.start(), m.end(), np_, True, forward_only, backward_only))
            elif ph.inverting[lang].search(m.group()) and (
                    np_ := _subject_before_cue(text, m.start(), ph, lang, nouns)):
                out.append(_AttCue(m.start(), m.end(), np_, False, False, False))  # "Das Amt teilte am Montag mit"
    for rx in before:
        for m in fast_pattern(rx).finditer(text, cues.folded):
            np_ = _source_before_cue(text, m.start(), m.group(), lang, nouns, ph)
            if np_:
                out.append(_AttCue(m.start(), m.end(), np_, False, False, False))
    return tuple(out)


def _subject_before_cue(text: str, start: int, ph: _Phrases, lang: str, nouns: frozenset[str]) -> str | None:
    """The name right before a cue that names no source after it ("Das Amt teilte am Montag mit"), unless a
    preposition governs it ("In Berlin teilte er mit": a place)."""
    name = _np_before(text, start, ph, lang, nouns)
    if not name:
        return None
    at = text.rfind(name.split()[0], 0, start)
    return None if at < 0 or ph.not_actor_before.search(text, max(0, at - 30), at) else name


def _source_before_cue(text: str, start: int, cue: str, lang: str, nouns: frozenset[str],
                       ph: _Phrases) -> str | None:
    """The source a cue after it names: "X-Angaben", "X zufolge", "..., wie X mitteilte", "X sagte".

    After a comma with no "wie" before, the cue opens a clause of its own whose source follows it
    ("Die Stadt stelle 35 Busse bereit, sagte Landrätin X"; "..., said the minister"): that source, when one
    follows; else the sentence's first name ("Der Sprecher, der anonym bleiben wollte, sagte ...").
    """
    if cue.startswith(("-", "‑")):
        tok = re.search(r"([\w]+)$", text[:start])
        return tok.group(1) if tok else None
    before = text[:start].rstrip()
    if before.endswith(ph.cue_particles):
        before = before.rsplit(" ", 1)[0].rstrip()
    own = max(before.rfind(","), before.rfind(";"), before.rfind(":")) + 1
    opener = list(ph.clause_opener.finditer(before, own))
    if opener and before[own:opener[0].start()].strip() == "":
        # "..., wie das Bundesamt in einer ersten Schätzung mitteilte": the name after "wie"
        named = _np_after(before, opener[0].end(), ph, lang, nouns)
        if named:
            return named
    if not before.endswith((",", ")")):
        return _np_before(text, len(before), ph, lang, nouns) or _role_before(before, lang, ph)
    wm = list(ph.clause_opener.finditer(before))
    if wm:
        return _np_after(before, wm[-1].end(), ph, lang, nouns)
    pronoun = ph.pronoun_speaker.get(lang)
    said = pronoun.match(text, start) if pronoun is not None else None
    if said and re.match(r"\s*(?:[,.;:!?)\-–—]|$)", text[said.end():]):
        return None  # "..., sagten sie." ends its clause: ``_source_of`` takes the last speaker named before
    inverted = _np_after(text, start + len(cue), ph, lang, nouns) if ph.inverting[lang].search(cue) else None
    if inverted and inverted.split()[0].lower() in ph.time_words:
        inverted = None  # "..., said Tuesday that ...": a day, not a speaker
    return inverted or _np_after(text, 0, ph, lang, nouns)


def _role_before(before: str, lang: str, ph: _Phrases) -> str | None:
    """A lower-case role noun phrase right before a cue ("the health ministry said", "police said")."""
    rx = ph.role_source.get(lang)
    m = rx.search(before[-60:]) if rx is not None else None
    return m.group(1) if m else None


def _role_after(text: str, lang: str, ph: _Phrases) -> str | None:
    """A lower-case role noun phrase that starts ``text`` ("according to the health ministry, ...")."""
    rx = ph.role_lead.get(lang)
    m = rx.match(text) if rx is not None else None
    return m.group(1) if m else None


def _attributive(text: str, cue: _AttCue, ph: _Phrases) -> bool:
    """Is a cue word an adjective here ("820 bestätigte Fälle", "die gemeldeten Fälle"), not a verb?"""
    return cue.after and bool(ph.attributive_before.search(text, max(0, cue.start - 24), cue.start))


def _find_attribution(text: str, qpos: int, qend: int, cues: tuple[_AttCue, ...], ph: _Phrases) -> str | None:
    """The source named in ``text`` that governs the figure at ``qpos``: the nearest cue that may.

    A cue after the figure speaks of it only from a clause of its own (", sagte X"); one that otherwise
    governs only what follows it ("teilte X mit, dass ...") does so when its clause ends the sentence
    (", teilte das Ministerium mit.").
    """
    best: tuple[int, str] | None = None
    for cue in cues:
        if _attributive(text, cue, ph):
            continue
        if cue.after:
            if cue.backward_only and cue.start < qpos:
                continue  # "X said 6,000 ...": X stands before the cue, found as a cue of the other kind
            if cue.start > qpos:
                if not re.search(r"[,;]\s*$", text[qend:cue.start]):
                    continue
                if cue.forward_only and re.search(r"[,;:]", text[cue.end:]):
                    continue
            dist = qpos - cue.end if cue.end <= qpos else (cue.start - qend) + 1000
        else:
            dist = abs(qpos - cue.start)
        if best is None or dist < best[0]:
            best = (dist, cue.source)
    return best[1] if best else None


def _source_noun(text: str, lang: str, lex: Lexicon) -> str | None:
    """A source named only by its kind ("die Behörden", "Ermittler"), with its adjectives and acronym.

    The modifiers are the words right before the noun: adjectives (German) or names, never a
    clause-opening word, a weekday or month ("wie das Ministerium", "On Tuesday, the government").
    """
    ph = _phrases(lex)
    governed = _source_not_after(lex)
    for m in re.finditer(r"[\wäöüÄÖÜß-]+", text):
        w = m.group().lower()
        if w.endswith(lex.source_noun_endings) and len(w) > 3:
            before = text[max(0, m.start() - 40):m.start()]
            mods = _source_modifiers(before, lang, lex)
            if any(t.lower() in governed for t in [*mods, *before.split()[-len(mods) - 1:][:1]]):
                continue  # "betreffen neben einigen Behörden": governed by a preposition, no source
            words = mods + [m.group()]
            after = _np_after(text, m.end(), ph)
            if after and re.match(r"^[A-Z]{2,}", after):
                words.append(after.split()[0])
            return " ".join(words)
    return None


@lru_cache(maxsize=16)  # per lexicon
def _source_not_after(lex: Lexicon) -> frozenset[str]:
    """The prepositions (``cues.yml`` ``attribution.source_not_after``) after which a source noun is none."""
    att = lex.raw["cues"].get("attribution") or {}
    return frozenset(str(w).lower() for w in att.get("source_not_after") or [])


def _source_modifiers(before: str, lang: str, lex: Lexicon) -> list[str]:
    """At most two words right before a source noun that belong to its name; an article ends them."""
    ph = _phrases(lex)
    toks = list(re.finditer(r"[\wäöüÄÖÜß-]+|[^\w\s]", before))
    out: list[str] = []
    for t in reversed(toks):
        w = t.group()
        if len(out) == 2 or ph.is_article(w) or w in ph.non_subjects or w.lower() in lex.not_places:
            break
        if w[:1].isupper() or (lang == "de" and ph.adj.match(w)):
            out.insert(0, w)
            continue
        break
    return out


def _modality(sentence: str, qpos: int, lang: str, lex: Lexicon, clauses: list[tuple[int, int]]) -> str:
    """How sure the figure is stated: hypothetical, estimated, planned, reported or asserted (cue order)."""
    ca, cb = _clause_of(clauses, qpos)
    own = sentence[ca:cb]
    upto = sentence[:cb]
    present = _sentence_cues(sentence, lang, lex).modality  # a cue absent from the sentence is in no part of it
    for mod in ("hypothetical", "estimated", "planned", "reported", "reported_anywhere"):
        for rx in present.get(mod, []):
            if mod == "reported_anywhere":
                if rx.search(sentence):
                    return "reported"
                continue
            if rx.pattern.startswith("^"):
                if rx.search(sentence):
                    return mod
                continue
            if rx.search(own):
                return mod
            if mod in ("estimated", "reported", "planned"):
                for m in rx.finditer(upto):
                    if m.end() <= qpos:
                        if mod == "planned" and ".*" in rx.pattern:
                            continue
                        return mod
    return "asserted"


_MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\.?\s+(\d{{4}})\b", re.I)
_MONTH_YEAR_FAST = fast_pattern(_MONTH_YEAR)  # kept: hashing the long pattern for the cache cost 2 µs a call


@dataclass(frozen=True)
class _Time:
    """A time expression of a sentence ("im Mai 2020", "in 2008", "last year") and the time it names."""

    start: int
    end: int
    value: str


def _as_of(sentence: str, q: RawQuantity, figures: tuple[RawQuantity, ...], published: str | None, lang: str,
           lex: Lexicon, clauses: list[tuple[int, int]]) -> str | None:
    """The time the figure is about: the time expression of its sentence that it is the nearest figure to (the
    closest such one), else the publication date. A time expression dates one figure, not every figure of its
    sentence: the nearest of its own clause, else of the sentence ("Die Stadt zählt 80 Läden, im Jahr 2010 waren es
    noch 120": 2010 dates the 120)."""
    year = int(published[:4]) if published and published[:4].isdigit() else None
    times = _times_in_sentence(sentence, year, lang, lex)
    if not times:
        return published
    others = figures or (q,)
    own = [t for t in times if _nearest_figure(t, others, _clause_of(clauses, t.start)) == (q.start, q.end)]
    if not own:
        return published
    return min(own, key=lambda t: _gap(t.start, t.end, q.start, q.end)).value


def _gap(a: int, b: int, c: int, d: int) -> int:
    """Characters between the spans a:b and c:d (0 when they touch or overlap)."""
    return max(0, c - b, a - d)


def _nearest_figure(t: _Time, figures: tuple[RawQuantity, ...], clause: tuple[int, int]) -> tuple[int, int]:
    """The span of the figure nearest to a time expression, one of its ``clause`` first (the earlier on a tie)."""
    inside = [f for f in figures if clause[0] <= f.start < clause[1]]
    best = min(inside or figures, key=lambda f: (_gap(t.start, t.end, f.start, f.end), f.start))
    return best.start, best.end


@lru_cache(maxsize=8)  # the same for every figure of the sentence
def _times_in_sentence(sentence: str, year: int | None, lang: str, lex: Lexicon) -> tuple[_Time, ...]:
    """Every time expression of a sentence, in text order (see ``_times_in``)."""
    return _times_in(sentence, year, _sentence_cues(sentence, lang, lex), lex)


def _times_in(scope: str, year: int | None, cues: _SentenceCues, lex: Lexicon) -> tuple[_Time, ...]:
    """The time expressions of ``scope`` (a sentence, whose ``cues``): a month and year, a year, "last year", a
    season, "this year" (the last three need the publication ``year``). One that overlaps an earlier kind's
    ("im Mai 2020" holds "2020") is the earlier kind's."""
    folded = fold(scope)  # the patterns below run as case-free twins, or not at all where their literals lack
    found: list[_Time] = []

    def add(start: int, end: int, value: str) -> None:
        if not any(start < t.end and t.start < end for t in found):
            found.append(_Time(start, end, value))
    if cues.year:
        for m in _MONTH_YEAR_FAST.finditer(scope, folded):
            add(m.start(), m.end(), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}")
    for m in fast_pattern(_phrases(lex).in_year).finditer(scope, folded):
        add(m.start(), m.end(), m.group(1))
    if year:
        for rx in cues.previous_year:
            for m in rx.finditer(scope):
                add(m.start(), m.end(), str(year - 1))
        if lex.season_re and cues.season:
            for m in lex.season_re.finditer(scope):
                add(m.start(), m.end(), f"{year}-{lex.seasons[m.group(1).lower()]:02d}")
        for rx in cues.this_year:
            for m in rx.finditer(scope):
                add(m.start(), m.end(), str(year))
    return tuple(sorted(found, key=lambda t: t.start))


_PREDICATE_WORD = re.compile(r"[\wäöüß]+")


def _predicate(sentence: str, qpos: int, qend: int, lang: str, lex: Lexicon,
               clauses: list[tuple[int, int]], figures: tuple[RawQuantity, ...] = ()) -> str | None:
    """What happened to the counted thing: a listed action word of the clause, else a participle or a
    trailing infinitive ("... getötet", "... zu entsenden"), lemmatised. No word of another figure
    (``figures``: "zwischen einigen zehntausend und 1,5 Millionen") is a predicate."""
    ca, cb = _clause_of(clauses, qpos)
    suffixes = gender_suffix_words(lex)  # "Bewohner*innen": "innen" is no word of its own

    def words(a: int, b: int) -> list[str]:
        inside = [f for f in figures if f.start < b and f.end > a]  # the figures a word of a:b may stand in
        if not inside:
            return [w for w in _PREDICATE_WORD.findall(sentence, a, b) if w not in suffixes]
        return [m.group() for m in _PREDICATE_WORD.finditer(sentence, a, b) if m.group() not in suffixes
                and not any(f.start <= m.start() < f.end for f in inside)]
    after, before = words(qend, cb), words(ca, qpos)
    candidates = after + list(reversed(before)) if lang == "de" else list(reversed(before)) + after
    fallback = None
    for w in candidates:
        found, participle_lemma = _predicate_word(w, lang, lex)
        if found is not None:
            return found
        if fallback is None and participle_lemma is not None:
            fallback = participle_lemma
    # a trailing infinitive ("... entsenden", "... zu schicken")
    if fallback is None and lang == "de" and after:
        for last in reversed(after):
            if last.lower() in lex.auxiliaries or simplemma.lemmatize(last, lang="de").lower() in lex.auxiliaries:
                continue  # "installiert hätten": the participle before the auxiliary
            if last.islower() and len(last) > 4 and (last.endswith("en") or last.endswith("t")):
                fallback = simplemma.lemmatize(last, lang="de").lower()
            break
    return fallback


@lru_cache(maxsize=16384)  # per word: news repeats its verbs, and lemmatising every clause word was a hot spot
def _predicate_word(w: str, lang: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """What one word of a clause says for ``_predicate``: (the predicate it names, else None; the lemma of a
    participle, the fallback, else None)."""
    ph = _phrases(lex)
    if len(w) < 4 or ph.is_article(w) or w.lower() in ph.vessels.get(lang, ()):
        return None, None  # a vessel ("the warship", "ships") says where, not what happened
    if w[:1].isupper() and lang == "de":
        # a noun names the action only when it is one of the listed nominalisations ("Entsendung")
        return (w.lower() if w.lower() in lex.predicate_words else None), None
    if lex.predicate_group(w.lower()) and not w[:1].isupper():
        return w.lower(), None
    lemma = simplemma.lemmatize(w, lang=lang).lower()
    if lex.predicate_group(lemma):
        return lemma, None
    return None, (lemma if ph.participle.get(lang, _NEVER).match(w) else None)


def _subject(sentence: str, qpos: int, lang: str, attribution: str | None,
             clauses: list[tuple[int, int]], lex: Lexicon) -> str | None:
    """Who or what the figure's clause is about: the last capitalised word before the figure that is not a
    listed non-subject, the source, or (German) a noun after an article or adjective."""
    ph = _phrases(lex)
    ca, _ = _clause_of(clauses, qpos)
    toks = list(re.finditer(r"[\wäöüÄÖÜß][\w\-äöüÄÖÜß]*", sentence[:qpos]))
    att = set((attribution or "").split())
    for i in range(len(toks) - 1, -1, -1):
        w = toks[i].group()
        if not w[:1].isupper() or w in ph.non_subjects or w in att:
            continue
        prev = toks[i - 1].group() if i > 0 else ""
        if lang == "de" and (ph.is_article(prev) or ph.adj.match(prev.lower())):
            continue
        if toks[i].start() < ca and i < len(toks) - 6:
            break
        return w
    return None


def _actor(sentence: str, qpos: int, attribution: str | None, lex: Lexicon) -> str | None:
    """Who acts: the last known entity named before the figure that is not governed by a preposition.

    "Nordkorea hat 11.000 Soldaten nach Russland geschickt" -> KP; "Russia says North Korea sent 11,000"
    -> KP; "laut Russland" and "to Russia" name a source and a place, not the actor.
    """
    if lex.entity_re is None:
        return None
    found = None
    not_actor = _phrases(lex).not_actor_before
    for m in lex.entity_re.finditer(sentence, 0, qpos):
        if not_actor.search(sentence, max(0, m.start() - 30), m.start()):
            continue
        if attribution and m.group(1) in attribution:
            continue
        found = lex.entity_of[m.group(1)]
    return found




def places_in(clause: str, lang: str, lex: Lexicon) -> list[str]:
    """Proper names right after a locative preposition ("nach Kursk", "the port of Odessa"), lower case.

    A German noun after a bare preposition is often not a place ("nach Angaben", "bei Kämpfen"): those
    are listed in ``rules/lexicon/counted.yml`` under ``not_places``.
    """
    rx = _phrases(lex).places.get(lang)
    if rx is None:
        return []
    out = []
    for m in rx.finditer(clause):
        w = m.group(1).lower()
        if w in lex.not_places or w in out or not is_place_name(m.group(1), lang):
            continue
        out.append(w)
    return out


def _places_of(clause: str, lang: str, lex: Lexicon) -> list[str]:
    """The places of a figure's clause (``places_in``), and ``aboard`` when it puts what is counted on a vessel
    ("3.700 Menschen an Bord", "passengers on the cruise ship"): the vessel is where, not what is counted."""
    found = places_in(clause, lang, lex)
    rx = _phrases(lex).aboard.get(lang)
    if rx is not None and rx.search(clause):
        found.append("aboard")
    return found


def _is_percent_compound(counted_text: str, lex: Lexicon) -> bool:
    """A figure glued to a percent word ("15-prozentige", "20-percent"): a percentage, not a count."""
    if not counted_text.startswith(("-", "‑")):
        return False
    word = counted_text.lstrip("-‑").lower()
    return any(word.startswith(p.lower()) for p in lex.percent if p.isalpha())


def _mask(clause: str, a: int, b: int) -> str:
    """The clause with the figure replaced by "#": what it says of the figure, not the figure itself."""
    return (clause[:a] + "#" + clause[b:]).strip()


def claim_sentences(doc: Document, lex: Lexicon | None = None) -> list[tuple[ViewSentence, list[RawQuantity]]]:
    """Each sentence of a document with the quantities found in it (sentence-relative offsets)."""
    lex = lex or load_lexicon()
    _, sents = document_sentences(doc)
    lang = doc.language if doc.language in ("de", "en") else "en"
    return [(s, extract(s.sentence.text, lang, lex)) for s in sents]


def document_quantities(doc: Document, lex: Lexicon | None = None) -> list[tuple[RawQuantity, int, int]]:
    """All quantities of a document with their (start, end) in ``Document.text``.

    The surface is the original slice (a no-break space stays one), not the normalised view's text, so
    ``doc.text[start:end] == q.surface`` holds as it does for claims."""
    lex = lex or load_lexicon()
    view, sents = document_sentences(doc)
    lang = doc.language if doc.language in ("de", "en") else "en"
    out = []
    for vs in sents:
        for q in extract(vs.sentence.text, lang, lex):
            start, end = view.orig_span(vs.vstart + q.start, vs.vstart + q.end)
            out.append((replace(q, surface=doc.text[start:end]), start, end))
    return out


@dataclass
class _Sentence:
    """What every figure of one sentence shares: its text and clauses, its attribution cues, and what
    the sentences around it say of the source (a trailing "Die Angaben beruhen auf ..." or a carried
    "Demnach ..."). One is made per sentence with figures; ``claim`` is asked once per figure."""

    doc: Document
    view: Any
    vs: ViewSentence
    lang: str
    lex: Lexicon
    clauses: list[tuple[int, int]]
    cues: tuple[_AttCue, ...]
    previous_source: str | None
    next_sentence: ViewSentence | None  # the sentence after, when it has no figures: it may only name the source
    carry: tuple[str | None, str | None, list[str]] = (None, None, [])
    figures: tuple[RawQuantity, ...] = ()
    speakers: _Speakers | None = None  # the sentences before: their last speaker, for a quotation
    measured: Counted = (None, None, [])  # what the document's last percentage change measured ("das BIP")
    previous_text: str = ""  # the sentence before, when it has no figure: a change's basis may stand there

    @cached_property
    def next_source(self) -> tuple[str | None, bool]:
        """The source the sentence after names, if it has no figures, and whether it says "estimated"; read
        when a figure has no source of its own."""
        return _next_source(self.next_sentence, self.lang, self.lex)

    @cached_property
    def quote_speaker(self) -> str | None:
        """The last speaker named in the sentences before (within ``quote_speaker_reach``), for a quotation;
        found when a figure asks, as few do."""
        return self.speakers.last(self.vs.sentence.index) if self.speakers is not None else None

    def following(self, q: RawQuantity) -> tuple[int, int] | None:
        """The span of the figure after ``q`` in this sentence, if any."""
        later = [f for f in self.figures if f.start >= q.end]
        return (later[0].start, later[0].end) if later else None

    @property
    def text(self) -> str:
        """The sentence's text (offsets of its figures are relative to it)."""
        return self.vs.sentence.text


class _Speakers:
    """Per sentence of a document, the last source it names. A sentence without figures is read for its
    attribution cues only when a later figure asks for the speaker before it (most never do)."""

    def __init__(self, lang: str, lex: Lexicon) -> None:
        self.lang, self.lex, self.reach = lang, lex, _phrases(lex).quote_reach
        self.named: list[str | None] = []
        self.unread: dict[int, str] = {}  # sentence index -> its text, not yet read for cues

    def add(self, speaker: str | None) -> None:
        """The next sentence's last speaker."""
        self.named.append(speaker)

    def add_unread(self, text: str) -> None:
        """The next sentence, a sentence without figures: its speaker is found when asked for."""
        self.unread[len(self.named)] = text
        self.named.append(None)

    def _at(self, i: int) -> str | None:
        if i in self.unread:
            self.named[i] = _speaker(_attribution_cues(self.unread.pop(i), self.lang, self.lex))
        return self.named[i]

    def last(self, before: int) -> str | None:
        """The last speaker named in the ``quote_speaker_reach`` sentences before sentence ``before``."""
        if not self.reach:
            return None
        return next((a for i in range(before - 1, max(0, before - self.reach) - 1, -1) if (a := self._at(i))), None)


def _next_source(sentence: ViewSentence | None, lang: str, lex: Lexicon) -> tuple[str | None, bool]:
    """A following sentence without figures that only names a source, and whether it says "estimated"."""
    if sentence is None:
        return None, False
    nt = sentence.sentence.text
    source = _find_attribution(nt, len(nt), len(nt), _attribution_cues(nt, lang, lex), _phrases(lex))
    if not source:
        return None, False
    estimated = _sentence_cues(nt, lang, lex).modality.get("estimated", [])  # those whose literals it holds
    return source, any(rx.search(nt) for rx in estimated)


def _read_counted(q: RawQuantity, s: _Sentence) -> tuple[str | None, str | None, list[str]]:
    """What the figure counts: a list label, the noun phrase after it, or (none there) its own clause's
    construction, a list's last noun, the sentence's last counted thing, or people for a figure that is
    a noun of people itself ("Zehntausende versammelten sich")."""
    text, lang, lex = s.text, s.lang, s.lex
    tally = _tally(q, s)
    if tally is not None:
        return tally
    got = labelled(text, q.start, q.end, lang, lex)
    if got[1] is None and lang == "en":
        got = coordinated_adjective(text, q.end, s.following(q), lang, lex)
    if got[1] is None:
        got = counted_phrase(text, q.end, lang, lex)
        if lang == "en" and got[1] is not None and is_people_word(q.surface, lang, lex):
            got = (None, None, [])  # "thousands gathered": English counts them with "of"
    if got[1] is None and q.unit_class == "count":
        got = multiplied(text, q.start, q.end, _clause_of(s.clauses, q.start)[1], lang, lex)
    if got[1] is None and q.unit_class == "count":
        clause_start = _clause_of(s.clauses, q.start)[0]
        got = counted_in_context(text, clause_start, q.start, q.end, s.following(q), lang, lex)
        if got[1] is None:
            got = listed(text, q.end, [(f.start, f.end) for f in s.figures if f.start >= q.end], lang, lex)
    elif got[1] is None and q.unit_class == "percent":
        got = rate_in_context(text, _clause_of(s.clauses, q.start)[0], q.start, lang, lex)
    if got[1] is None and q.unit_class == "count":
        got = s.carry if s.carry[1] is not None or not is_people_word(q.surface, lang, lex) \
            else implicit_people(lang, lex)
    elif got[1] is not None:
        s.carry = got
    return got


def _tally(q: RawQuantity, s: _Sentence) -> Counted | None:
    """What a figure of a tally counts ("58-3", "a 5:2 win", phrases.yml ``tally``): the noun after the tally,
    else the language's ``tally_noun`` (a record, a score); a figure after the first counts that noun's other
    side (``tally_later``), so the two sides of "58-3" are no two counts of one thing. None for any other figure.
    """
    if q.unit or q.value != int(q.value):
        return None
    ph = _phrases(s.lex)
    for m in ph.tally.finditer(s.text, max(0, q.start - 12), min(len(s.text), q.end + 12)):
        parts = [i for i in range(1, (m.lastindex or 0) + 1) if m.group(i)]
        at = next((i for i in parts if m.start(i) <= q.start < m.end(i)), None)
        if at is None or q.end > m.end(at):
            continue  # "10 to 20 people": a range, one figure
        phrase, lemma, mods = counted_phrase(s.text, m.end(), s.lang, s.lex)
        if lemma is None:
            of = ph.tally_of.search(s.text, max(0, m.start() - 30), m.start())  # "a vote of 134 to 63"
            phrase = lemma = of.group(1) if of else ph.tally_noun.get(s.lang)
            mods = []
        if phrase is None or lemma is None:
            return None
        if at != parts[0]:
            later = ph.tally_later.get(s.lang, "")
            phrase = lemma = f"{lemma} {later}".strip()
            mods = []
        return phrase, lemma, list(mods)
    return None


def _money_before(q: RawQuantity, s: _Sentence) -> str | None:
    """The currency of an earlier money figure of the sentence, for a bare scaled figure after it
    ("12 Millionen Euro ..., hinzu kommen weitere 30 Millionen", "$2 billion, and ... 1.5 billion")."""
    words = {w.lower().strip(".,") for w in q.surface.split()}
    if not words & _phrases(s.lex).money_scales:
        return None
    before = [f for f in s.figures if f.end <= q.start and f.unit_class == "money" and f.unit]
    return before[-1].unit if before else None


def _counted_of(q: RawQuantity, s: _Sentence) -> tuple[str | None, str | None, list[str], str, str | None] | None:
    """(counted phrase, lemma, modifiers, unit class, unit) of a figure, or None when it is no claim."""
    counted_text, lemma, mods = _read_counted(q, s)
    lemma = base_noun(lemma, s.lang, s.lex)  # "Bewohnerinnen", "Bewohner*innen": Bewohner
    unit_class, unit = q.unit_class, q.unit
    if unit_class == "count" and lemma is None:
        currency = _money_before(q, s)
        if currency:
            unit_class, unit = "money", currency
    if unit_class == "count":
        unit_class = s.lex.unit_class(lemma) or "count"
    if unit_class == "count" and counted_text and _is_percent_compound(counted_text, s.lex):
        unit_class, unit = "percent", "%"  # "15-prozentige Anteil", "a 20-percent rise"
    if unit_class in s.lex.non_claim_classes:
        return None
    if q.kind == "word" and q.value < 20 and _ARTICLE_BEFORE.search(s.text[:q.start]):
        return None  # "die beiden", "den zwei Ländern": a reference, not a figure
    return counted_text, lemma, mods, unit_class, unit


def _source_of(q: RawQuantity, s: _Sentence) -> tuple[str | None, str]:
    """Who says so and how sure: the figure's own cue, the next or the carried sentence's source, or for a
    pronoun speaker ("sagte er") or a figure inside a quotation without a speaker of its own, the last
    speaker named before it."""
    text, lex = s.text, s.lex
    attribution = _find_attribution(text, q.start, q.end, s.cues, _phrases(lex))
    modality = _modality(text, q.start, s.lang, lex, s.clauses)
    if modality == "estimated" and _presupposed(text, q.start, s.lang, lex):
        modality = "reported"  # "von den rund 11.000 Soldaten": known, not what the estimate is about
    pronoun = _phrases(lex).pronoun_speaker.get(s.lang)
    if attribution is None and pronoun is not None and pronoun.search(text) and s.quote_speaker:
        attribution = s.quote_speaker  # "sagte er": the last speaker named before
    if attribution is None and s.next_source[0]:
        attribution = s.next_source[0]
        if s.next_source[1] and modality in ("asserted", "reported"):
            modality = "estimated"
    if attribution is None and _carries(text, lex):
        attribution = s.previous_source
        if modality == "asserted":
            modality = "reported"
    if attribution is None and modality in ("reported", "estimated", "planned"):
        attribution = _source_noun(text, s.lang, lex)
    if attribution and attribution.lower() in lex.generic_sources:
        attribution = None
    if attribution and modality == "asserted":
        modality = "reported"
    if attribution is None and _in_quotation(q, s) and s.quote_speaker:
        attribution = s.quote_speaker  # the speaker's own words: asserted, as the quote states it
    return attribution, modality


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _presupposed_rx(lex: Lexicon) -> dict[str, tuple[re.Pattern[str], ...]]:
    """The ``presupposed`` patterns of ``cues.yml``, compiled once per lexicon."""
    raw = lex.raw["cues"].get("presupposed") or {}
    return {lg: tuple(re.compile(p) for p in ps or []) for lg, ps in raw.items()}


def _presupposed(text: str, qstart: int, lang: str, lex: Lexicon) -> bool:
    """Is the figure named as already known (a definite article before it, "von den rund 11.000")?"""
    before = text[max(0, qstart - 40):qstart]
    return any(rx.search(before) for rx in _presupposed_rx(lex).get(lang, ()))


def _claim(q: RawQuantity, s: _Sentence) -> Claim | None:
    """The claim of one figure of the sentence ``s``, or None when the figure is no claim."""
    got = _counted_of(q, s)
    if got is None:
        return None
    counted_text, lemma, mods, unit_class, unit = got
    text, lang, lex, doc = s.text, s.lang, s.lex, s.doc
    attribution, modality = _source_of(q, s)
    oa, ob = _clause_of(s.clauses, q.start)  # the figure's own clause
    ca, cb = oa, ob
    while cb - ca < 60 and (ca > 0 or cb < len(text)):  # short clauses widened: the key text says what it is
        ca, cb = max(0, ca - 30), min(len(text), cb + 30)
    clause = text[ca:cb]
    predicate = _predicate(text, q.start, q.end, lang, lex, s.clauses, s.figures)
    predicate, (counted_text, lemma, mods) = _what_changed(q, s, predicate, (counted_text, lemma, mods), unit_class,
                                                           modality == "estimated")
    if _measured_against(q, s, lemma, unit_class, oa, ob):
        counted_text, lemma, mods = s.measured  # "Im Vergleich zum Vorjahresquartal beträgt der Rückgang 11 Prozent"
    subject = _subject(text, q.start, lang, attribution, s.clauses, lex)
    start, end = s.view.orig_span(s.vs.vstart + q.start, s.vs.vstart + q.end)
    masked = _mask(clause, q.start - ca, q.end - ca)
    key = "; ".join(x for x in (counted_text or lemma, predicate, subject, masked) if x)
    qual = qualifiers(text[oa:ob], q.start - oa, q.end - oa, lang, lex, counted_text,
                      text[:oa] if unit_class == "percent" else "")
    return Claim(
        id=f"{doc.id}#{start}", document=doc.id, start=start, end=end, surface=doc.text[start:end],
        value=q.value, low=q.low, high=q.high, unit=unit or lemma, unit_class=unit_class,
        hedge=q.hedge, change=q.change, counted=lemma, counted_text=counted_text, modifiers=mods,
        subject=subject, predicate=predicate, attribution=attribution, modality=modality,
        as_of=_as_of(text, q, s.figures, doc.published, lang, lex, s.clauses),
        cumulative=_sentence_cues(text, lang, lex).cumulative,
        sentence=text, sentence_start=s.vs.sentence.start, language=lang, key_text=key,
        counted_group=_counted_group(lemma, mods, predicate, unit_class, lang, lex, _own_words(q, s, oa, ob)),
        places=_places_of(clause, lang, lex), actor=_actor(text, q.start, attribution, lex),
        group=qual.group, window=qual.window, part_of=qual.part_of,
        basis=qual.basis or _basis_before(s, predicate, unit_class),
        unit_canonical=q.unit_canonical, value_canonical=q.value_canonical, direction=q.direction,
    )


def _measured_against(q: RawQuantity, s: _Sentence, lemma: str | None, unit_class: str, oa: int, ob: int) -> bool:
    """Does a percentage counted by a change noun alone ("der Rückgang", "ein Einbruch von") measure what the
    document's last change measured? When its clause, or its sentence before the clause, names the basis as a
    named kind: a change of one measure against another period, told after that measure was named. A change
    noun with no such basis ("Damals lag das Minus bei 4,7 Prozent") may be another event's and keeps its noun."""
    if unit_class != "percent" or not lemma or not s.measured[1] or not is_change(lemma.lower(), s.lex):
        return False
    named = basis_of(s.text[oa:ob], s.lang, s.lex)[0] or basis_of(s.text[:oa], s.lang, s.lex)[0]
    return named in NAMED_BASES


def _basis_before(s: _Sentence, predicate: str | None, unit_class: str) -> str | None:
    """The basis of a percentage change that names none, stated as a named kind in the sentence before when
    that sentence has no figure of its own (whose basis it would be): "Im Vergleich zum Vorjahresquartal sieht
    es noch düsterer aus. Die Exporte brachen um 20 Prozent ein." Only ``previous-period`` or ``year-earlier``,
    never a comparison as written, which names one figure."""
    if unit_class != "percent" or not s.previous_text or not (is_change(predicate, s.lex) or predicate == "minus"):
        return None
    kind = basis_of(s.previous_text, s.lang, s.lex)[0]
    return kind if kind in NAMED_BASES else None


def _separable(text: str, clause: tuple[int, int], lex: Lexicon) -> str | None:
    """The predicate of a German clause that ends in a separable verb's particle ("Die Konjunktur bricht um 10
    Prozent ein": einbrechen; "nahmen 1000 Bewohner teil": teilnehmen), when the joined infinitive is a listed
    predicate or names a counted thing's act; else None."""
    words = re.findall(r"[\wäöüß]+", text[clause[0]:clause[1]])
    for verb in separable_infinitives(words, lex):
        if lex.predicate_group(verb) or lex.counted_group(verb):
            return verb
    return None


def _what_changed(q: RawQuantity, s: _Sentence, predicate: str | None, counted: Counted,
                  unit_class: str, estimate: bool = False) -> tuple[str | None, Counted]:
    """The predicate and counted phrase of a figure, completed: a German separable verb is its predicate
    ("bricht ... ein"); a counted change noun ("ein Rückgang um 9 Prozent") is the predicate when there is
    none; and a percentage change with no counted noun counts the subject its clause measures ("Das BIP
    schrumpfte um 10,1 Prozent": the BIP), so that outlets telling one change with other verbs compare by it.
    An ``estimate`` of a change told with no verb of change ("ein Minus von 10,1 Prozent erwartet", "war von
    minus 10,1 Prozent ausgegangen"), or an estimated percentage that names nothing counted ("nachdem Ökonomen
    mit mehr als zehn Prozent gerechnet hatten", "vermutet hatte (10,1 Prozent)"), counts what the document's
    last change measured, its own sentence's included: its clause's subject is who estimates."""
    lex = s.lex
    grouped = lex.predicate_group(predicate or "")
    if s.lang == "de" and not grouped:
        predicate = _separable(s.text, _clause_of(s.clauses, q.start), lex) or predicate
        grouped = lex.predicate_group(predicate or "")
    lemma = counted[1]
    noun = bool(lemma) and is_change((lemma or "").lower(), lex)  # "ein Rückgang um 9 Prozent", "ein Minus von"
    if noun and not grouped:
        predicate, grouped = (lemma or "").lower(), "change"
    verb = is_change(predicate, lex) and not noun  # a verb of change, whose subject is what is measured
    minus = q.direction == "decrease" and not grouped
    if minus:
        predicate = "minus"  # "von minus 10 Prozent ausgegangen": a decline, whatever the verb
    if unit_class != "percent" or (lemma is not None and not noun):
        return predicate, counted
    got = _measured_in_clause(q, s) if verb else (None, None, [])
    if got[1] is None and estimate and (noun or minus or lemma is None):  # the subject is who expects, not what
        got = s.measured  # "ein Minus von 10,1 Prozent erwartet", "mit 11 Prozent gerechnet": the last change's
    return predicate, got if got[1] is not None else counted


def _measured_in_clause(q: RawQuantity, s: _Sentence) -> Counted:
    """The subject that the clause of a percentage change measures ("Das BIP schrumpfte um 10,1 Prozent"),
    across an apposition between subject and verb, or nothing."""
    text = s.text
    oa, ob = _clause_of(s.clauses, q.start)
    k = s.clauses.index((oa, ob))
    while k >= 2 and len(text[slice(*s.clauses[k - 1])].split()) <= 2:
        k -= 2  # an apposition between subject and verb: "Das BIP (Bruttoinlandsprodukt) schrumpfte", ", BIP,"
        oa = s.clauses[k][0]
    return measured_subject(text[oa:ob], q.start - oa, q.end - oa, s.lang, s.lex, _phrases(s.lex).non_subjects)


def _counted_group(lemma: str | None, mods: list[str], predicate: str | None, unit_class: str,
                   lang: str, lex: Lexicon, own: tuple[str, ...] = ()) -> str | None:
    """The synonym group of what a figure counts: of its counted phrase; else of a modifier that says
    what is counted ("48 infizierte Fahrgäste", "infected passengers": cases among passengers); else, for
    people or things whose noun has no group, of the act or state its clause counts them by ("6 Millionen
    Menschen haben die App heruntergeladen": downloads; "zehn Personen haben sich infiziert": cases; "40
    Bewohner wurden geimpft": the vaccinated; "365 Menschen wurden festgenommen": arrests), or of how the
    figure's ``own`` words (``_own_words``) say they voted (``counted.yml`` ``clause_groups``: "413 Abgeordnete
    stimmten dafür": votes for)."""
    group = lex.counted_group(" ".join([*mods, lemma]) if lang == "en" and lemma else lemma)
    if group is not None or lemma is None or not re.fullmatch(r"[^\W\d_][\w-]*", lemma):
        return group  # no word counted ("five rounds 9" counts "9"): its modifiers say nothing
    for mod in mods:  # the modifiers' lemmas ("infizieren", "infect")
        group = lex.counted_group(mod)
        if group is not None:
            return group
    for words in own if unit_class in ("people", "count") else ():  # after the figure first, then before it
        for name, rx in _clause_groups(lex).get(lang, ()):
            if rx.search(words):
                return name  # "413 Abgeordnete stimmten dafür", "Für die Vorlage stimmten 413 Abgeordnete"
    if predicate and unit_class in ("people", "count") and not is_change(predicate, lex):
        return lex.counted_group(predicate)  # a change ("fell", "fall") is no act that counts
    return None


def _own_words(q: RawQuantity, s: _Sentence, oa: int, ob: int) -> tuple[str, str]:
    """The words of the figure's clause that belong to it, nearest first: from the figure to the next figure,
    then from the figure before it to the figure ("230 members voted for the bill and 197 voted against it":
    "197 voted against it.", then "members voted for the bill and ", for the 197)."""
    start = max([f.end for f in s.figures if f.end <= q.start and f.end > oa] or [oa])
    end = min([f.start for f in s.figures if f.start >= q.end and f.start < ob] or [ob])
    return s.text[q.start:end], s.text[start:q.start]


@lru_cache(maxsize=16)  # per lexicon
def _clause_groups(lex: Lexicon) -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """Per language, the ``clause_groups`` of ``counted.yml``: (group, pattern of the figure's clause)."""
    raw = (lex.raw.get("counted") or {}).get("clause_groups") or {}
    return {lg: tuple((str(name), re.compile(str(p))) for name, pats in raw.items() for p in (pats or {}).get(lg) or [])
            for lg in ("de", "en")}


def _part_groups(claims: list[Claim]) -> None:
    """A stated part takes the synonym group of the total before it in its sentence when its own phrase
    has none ("820 bestätigte Fälle, darunter 45 Kinder": 45 of the cases)."""
    total: Claim | None = None
    for c in claims:
        if not c.part_of:
            total = c if c.counted_group else None
        elif total is not None and c.counted_group is None and c.unit_class in ("count", "people") \
                and total.unit_class in ("count", "people"):
            c.counted_group = total.counted_group


_QUOTE_SPAN = 4000  # how far back in a paragraph a quotation may have opened (bounds the work per figure)


def _in_quotation(q: RawQuantity, s: _Sentence) -> bool:
    """Does the figure stand inside quotation marks opened earlier in its paragraph?"""
    marks = _phrases(s.lex).quote_marks
    if not marks:
        return False
    start, _ = s.view.orig_span(s.vs.vstart + q.start, s.vs.vstart + q.end)
    since = max(s.doc.text.rfind("\n", 0, start) + 1, start - _QUOTE_SPAN)
    para = s.doc.text[since:start]
    return sum(para.count(ch) for ch in marks) % 2 == 1


def _speaker(cues: tuple[_AttCue, ...]) -> str | None:
    """The source a sentence names last (its last attribution cue), if any."""
    return max(cues, key=lambda c: c.start).source if cues else None


def extract_claims(doc: Document, lex: Lexicon | None = None) -> list[Claim]:
    """The claims of one document, in document order: each sentence's figures with their context."""
    lex = lex or load_lexicon()
    view, sents = document_sentences(doc)
    lang = doc.language if doc.language in ("de", "en") else "en"
    per_sentence = [(vs, extract(vs.sentence.text, lang, lex)) for vs in sents]
    claims: list[Claim] = []
    measured: Counted = (None, None, [])
    sources: list[str | None] = []  # per sentence, the first source its claims name
    speakers = _Speakers(lang, lex)  # per sentence, the last source it names
    for si, (vs, qs) in enumerate(per_sentence):
        if not qs:
            sources.append(None)
            speakers.add_unread(vs.sentence.text)
            continue
        cues = _attribution_cues(vs.sentence.text, lang, lex)
        after = per_sentence[si + 1] if si + 1 < len(per_sentence) else None
        s = _Sentence(doc, view, vs, lang, lex, _clauses(vs.sentence.text, lex), cues,
                      next((a for a in reversed(sources[-3:]) if a), None),
                      after[0] if after and not after[1] else None, figures=tuple(qs),
                      speakers=speakers,
                      measured=measured,
                      previous_text=per_sentence[si - 1][0].sentence.text if si and not per_sentence[si - 1][1] else "")
        own: list[Claim] = []
        for q in qs:
            c = _claim(q, s)
            if c is not None:
                own.append(c)
                s.measured = _measured_by(c, lex) or s.measured  # "um 9,7 Prozent gesunken, erwartet waren 10"
        _part_groups(own)
        measured = s.measured
        claims.extend(own)
        sources.append(next((c.attribution for c in own if c.attribution), None))
        speakers.add(_speaker(cues) or sources[-1])
    _resolve_acronyms(claims, [vs.sentence.text for vs in sents], lex)
    _repeated_figures(claims)
    return claims


def _repeated_figures(claims: list[Claim]) -> None:
    """A bare figure that repeats one the document stated before ("0,36 Prozent ..., was die Zahl von 0,36
    bedeute") is that figure again: it takes its unit and what it counts. Only a figure with no unit and
    nothing counted, and no small whole number (a bare "3" is a rank or a score as often as a repetition)."""
    stated: dict[float, Claim] = {}
    for c in claims:
        bare = c.unit is None and c.counted is None and c.unit_class == "count"
        if bare and (c.value != int(c.value) or c.value >= 20) and c.value in stated:
            was = stated[c.value]
            c.unit, c.unit_class, c.unit_canonical = was.unit, was.unit_class, was.unit_canonical
            c.counted, c.counted_text, c.counted_group = was.counted, was.counted_text, was.counted_group
            c.modifiers = list(was.modifiers)
            if was.counted_text:
                c.key_text = f"{was.counted_text}; {c.key_text}"
        elif not bare:
            stated[c.value] = c


def _measured_by(c: Claim, lex: Lexicon) -> Counted | None:
    """What ``c`` measures when it is a percentage change that names it (a counted noun that is no change noun
    itself: "Das BIP schrumpfte um 10 Prozent"), for a later change that names none."""
    if c.unit_class == "percent" and c.counted and c.counted_text and is_change(c.predicate, lex) \
            and not is_change(c.counted.lower(), lex):
        return c.counted_text, c.counted, list(c.modifiers)
    return None


_ACRONYM = re.compile(r"\b([a-zäöüß]+)\s+([A-ZÄÖÜ][a-zäöüß]+)\s+([A-Z]{2,6})\b")


def _resolve_acronyms(claims: list[Claim], sentences: list[str], lex: Lexicon) -> None:
    """Name the source by its acronym where the document introduces one ("Geheimdienst NIS").

    "der südkoreanische Nachrichtendienst" and, later, "der südkoreanische Geheimdienst NIS" are one source:
    an attribution that shares the qualifier and names a source noun gets the acronym added. A document
    whose claims name no such source is not read for acronyms.
    """
    named = [c for c in claims if c.attribution and not re.search(r"\b[A-Z]{2,6}\b", c.attribution)
             and any(w.lower().endswith(lex.source_noun_endings) for w in c.attribution.split())]
    if not named:
        return
    acr: dict[str, str] = {}
    for text in sentences:
        for m in _ACRONYM.finditer(text):
            if m.group(2).lower().endswith(lex.source_noun_endings):
                acr.setdefault(m.group(1).lower()[:8], m.group(3))
    if not acr:
        return
    for c in named:
        words = (c.attribution or "").split()
        hit = next((acr[w.lower()[:8]] for w in words if w.lower()[:8] in acr), None)
        if hit:
            c.attribution = f"{c.attribution} ({hit})"
