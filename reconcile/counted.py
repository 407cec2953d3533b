"""What a figure counts: the head of the noun phrase right after it, with its modifiers.

``quantities.noun_after`` reads the words after a figure ("11.000 Soldaten", "800,000 federal
employees"); in English, without capitals to mark nouns, that phrase can run into words that cannot
head it ("20 miles north", "five rounds sooner", "two days ago"). Those words (``not_heads`` in
``rules/lexicon/phrases.yml``) and adverbs in -ly end the phrase here; a phrase that starts with one
counts nothing.

When no noun follows, ``counted_in_context`` reads the few constructions that name the counted thing
outright in the figure's own clause (``context`` in ``rules/lexicon/counted.yml``): a partitive ("30 der 45
Bewohner": the second figure's noun), an elided noun of coordinated figures ("sieben österreichische und 12
italienische Staatsangehörige") and "die Zahl der Infizierten stieg auf 212" / "the number of cases rose
to 47". Measured and left out: taking the counted thing from the previous sentence lowered the dev set's
held-out B-cubed by 0.02 (each outlet words the context differently, so the counted phrases of one fact
drifted apart).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma

from reconcile.lexicon import Lexicon
from reconcile.places import english_tags, is_german_adverb, is_person_name
from reconcile.quantities import noun_after

__all__ = ["Counted", "counted_phrase", "counted_in_context", "rate_in_context", "not_heads", "labelled",
           "coordinated_adjective", "listed", "is_people_word", "implicit_people", "multiplied", "is_change",
           "measured_subject", "separable_infinitives", "base_noun", "gender_suffix_words"]

Counted = tuple[str | None, str | None, list[str]]  # (phrase as written, head lemma, modifier lemmas)
_NONE: Counted = (None, None, [])
# CLAWS tag prefixes (HanTa's English model) that never stand inside a counted noun phrase: verbs,
# adverbs, prepositions, conjunctions, articles, determiners, pronouns, possessives, "to", negation
_NOT_IN_PHRASE = ("VV", "VB", "VD", "VH", "VM", "AV", "PR", "TO", "CJ", "AT", "DT", "XX", "PN", "DP")


@dataclass(frozen=True)
class _Context:
    """The compiled ``context`` patterns of ``counted.yml``, per language."""

    partitive: dict[str, re.Pattern[str]]
    coordination: dict[str, re.Pattern[str]]
    number_of: dict[str, tuple[re.Pattern[str], ...]]
    rate_of: dict[str, tuple[re.Pattern[str], ...]]
    adverb_phrase: dict[str, re.Pattern[str]]
    quote_before: re.Pattern[str] | None
    label_before: dict[str, re.Pattern[str]]
    label_after: re.Pattern[str] | None
    list_between: re.Pattern[str] | None
    coordination_adjective: dict[str, re.Pattern[str]]
    implicit_people: dict[str, str]
    people_scales: dict[str, frozenset[str]]
    multiplier: dict[str, re.Pattern[str]]
    multiplier_verb: dict[str, re.Pattern[str]]
    tagger_frames: dict[str, tuple[str, ...]]
    measured: dict[str, tuple[re.Pattern[str], ...]]
    measured_not_after: re.Pattern[str] | None
    separable_particles: frozenset[str]
    total_before: dict[str, re.Pattern[str]] = field(default_factory=dict)
    total_of: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _tagged_as(ctx: _Context, frame: str, word: str, tag: str) -> bool:
    """Does the English tagger give ``word`` the tag ``tag`` (a prefix) inside the frame ``frame`` of
    ``counted.yml`` ``tagger_frames`` ("1 {word} and": an adjective before a coordinated figure)?"""
    words = ctx.tagger_frames.get(frame) or ("{word}",)
    at = words.index("{word}") if "{word}" in words else 0
    return english_tags(tuple(word if w == "{word}" else w for w in words))[at].startswith(tag)


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _context(lex: Lexicon) -> _Context:
    """Compile the ``context`` section of ``counted.yml`` once per lexicon."""
    raw = (lex.raw.get("counted") or {}).get("context") or {}

    def one(key: str) -> dict[str, re.Pattern[str]]:
        return {lg: re.compile(str(p)) for lg, p in (raw.get(key) or {}).items()}

    def many(key: str) -> dict[str, tuple[re.Pattern[str], ...]]:
        return {lg: tuple(re.compile(str(p)) for p in ps or []) for lg, ps in (raw.get(key) or {}).items()}

    def single(key: str) -> re.Pattern[str] | None:
        return re.compile(str(raw[key])) if raw.get(key) else None

    people = {lg: str(w) for lg, w in (raw.get("implicit_people") or {}).items()}
    scales = {lg: frozenset(str(w).lower() for w in ws or []) for lg, ws in (raw.get("people_scales") or {}).items()}
    return _Context(one("partitive"), one("coordination"), many("number_of"), many("rate_of"),
                    one("adverb_phrase"), single("quote_before"), one("label_before"), single("label_after"),
                    single("list_between"), one("coordination_adjective"), people, scales, one("multiplier"),
                    one("multiplier_verb"),
                    {k: tuple(str(w) for w in ws) for k, ws in (raw.get("tagger_frames") or {}).items()},
                    many("measured"), single("measured_not_after"),
                    frozenset(str(w).lower() for w in raw.get("separable_particles") or []),
                    one("total_before"), one("total_of"))


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


def counted_phrase(text: str, qend: int, lang: str, lex: Lexicon) -> Counted:
    """(counted phrase as written, head lemma, modifier lemmas) of the figure ending at ``qend``.

    A German head that is a person's first name ("die 90 Jahre alte Maria Huber") or a listed multiplier
    ("3 Millionen Mal heruntergeladen") is no head: ``multiplied`` reads what it counts."""
    surface, lemma, mods, _ = noun_after(text, qend, lang)
    if not surface:
        return _detached_phrase(text, qend, lang, lex)
    if lang != "en":
        head = surface.split()[-1] if surface else ""
        if lang == "de" and (head.lower() in not_heads(lex)["de"] or is_person_name(head)):
            return _NONE
        return surface, lemma, mods
    stop = not_heads(lex)["en"]
    words = surface.split()
    if words[0] in stop:  # lower case only: "North Korean soldiers" is a phrase, "north of" is not
        return None, None, []
    kept = list(words)
    while kept and (kept[-1] in stop or (kept[-1].islower() and kept[-1].endswith("ly"))):
        kept.pop()
    if len(kept) > 1:
        kept = _tagged_phrase(kept)
    if kept == words:
        return surface, lemma, mods
    if not kept:
        return None, None, []
    return " ".join(kept), _lemma(kept[-1]), [simplemma.lemmatize(w, lang="en") for w in kept[:-1]]


def _tagged_phrase(words: list[str]) -> list[str]:
    """An English phrase cut where it runs past its noun: at a verb or adverb ("quake rattles Sonoma"),
    or at a name after a common noun; a phrase of names only ("John Miller", after an age) is a person."""
    tags = english_tags(("1", *words))[1:]
    kept: list[str] = []
    for w, tag in zip(words, tags):
        if tag.startswith(_NOT_IN_PHRASE) or (tag.startswith("NP") and kept and _has_noun(kept, tags)):
            break
        kept.append(w)
    if len(kept) > 1 and all(t.startswith("NP") for t in tags[:len(kept)]):
        return []
    return kept


def _has_noun(kept: list[str], tags: tuple[str, ...]) -> bool:
    """Is there a common noun among the words kept so far?"""
    return any(t.startswith("NN") for t in tags[:len(kept)])


def _detached_phrase(text: str, qend: int, lang: str, lex: Lexicon) -> Counted:
    """A counted phrase set off from its figure by a quotation mark or (German) an adverb."""
    ctx = _context(lex)
    m = ctx.quote_before.match(text, qend) if ctx.quote_before is not None else None
    if m and m.end() > qend:
        surface, lemma, mods, _ = noun_after(text, m.end(), lang)
        if surface:
            return surface, lemma, mods
    rx = ctx.adverb_phrase.get(lang)
    m = rx.match(text, qend) if rx is not None else None
    if m and all(is_german_adverb(w) for w in m.group("adverbs").split()) \
            and not is_person_name(m.group("counted").split()[-1]):
        return _phrase(m.group("counted"), lang)
    return _NONE


def _phrase(surface: str, lang: str) -> Counted:
    """A counted phrase read from context: its last word is the head, the words before it modifiers."""
    words = surface.split()
    if lang == "de":
        lemma = simplemma.lemmatize(words[-1], lang="de")
        return surface, lemma[:1].upper() + lemma[1:], [simplemma.lemmatize(w, lang="de") for w in words[:-1]]
    return surface, _lemma(words[-1]), [simplemma.lemmatize(w, lang="en") for w in words[:-1]]


def counted_in_context(text: str, clause_start: int, qstart: int, qend: int, following: tuple[int, int] | None,
                       lang: str, lex: Lexicon) -> Counted:
    """What the figure at ``text[qstart:qend]`` counts when no noun follows it (see the module docstring).

    ``following``: the span of the next figure of the sentence, whose noun may count this one too.
    """
    ctx = _context(lex)
    if following is not None:
        between = text[qend:following[0]]
        rx = ctx.partitive.get(lang)
        if rx is not None and rx.fullmatch(between):
            return counted_phrase(text, following[1], lang, lex)
        rx = ctx.coordination.get(lang)
        m = rx.fullmatch(between) if rx is not None else None
        if m:
            surface, lemma, _ = counted_phrase(text, following[1], lang, lex)
            if surface and lemma:
                return _phrase(f"{m.group(1).strip()} {surface.split()[-1]}".strip(), lang)
    before, of = ctx.total_before.get(lang), ctx.total_of.get(lang)
    if before is not None and of is not None and before.search(text, clause_start, qstart):
        m = of.match(text, qend)  # "der Gesamtzahl 3.700 an Passagieren": the noun after the preposition
        if m:
            return _phrase(m.group("counted"), lang)
    found = None
    for rx in ctx.number_of.get(lang, ()):
        for m in rx.finditer(text, clause_start, qstart):
            if found is None or m.start() > found.start():
                found = m
    return _phrase(found.group("counted"), lang) if found else _NONE


def rate_in_context(text: str, clause_start: int, qstart: int, lang: str, lex: Lexicon) -> Counted:
    """What a percentage is a rate of when nothing follows it: "eine Infektionsrate von 15 Prozent"."""
    for rx in _context(lex).rate_of.get(lang, ()):
        m = rx.search(text[clause_start:qstart])
        if m:
            return _phrase(m.group("counted"), lang)
    return _NONE


def labelled(text: str, qstart: int, qend: int, lang: str, lex: Lexicon) -> Counted:
    """A figure of a list of labelled figures ("Ja-Stimmen: 380 Nein-Stimmen: 210"): the label before its
    colon, when what follows the figure is no noun of its own but the next item's label."""
    ctx = _context(lex)
    rx = ctx.label_before.get(lang)
    m = rx.search(text, max(0, qstart - 60), qstart) if rx is not None else None
    if m is None:
        return _NONE
    after = ctx.label_after
    if noun_after(text, qend, lang)[0] and (after is None or not after.match(text, qend)):
        return _NONE
    return _phrase(m.group("counted"), lang)


def coordinated_adjective(text: str, qend: int, following: tuple[int, int] | None, lang: str,
                          lex: Lexicon) -> Counted:
    """"eight German and 24 Russian nationals": the noun after the second figure, with the first figure's
    capitalised adjective (an adjective by the tagger, not a noun: "eight Germans and 24 Russians") kept."""
    rx = _context(lex).coordination_adjective.get(lang)
    m = rx.fullmatch(text, qend, following[0]) if rx is not None and following is not None else None
    if m is None or following is None:
        return _NONE
    surface, lemma, _ = counted_phrase(text, following[1], lang, lex)
    if not surface or not lemma or not _tagged_as(_context(lex), "adjective", m.group(1), "AJ"):
        return _NONE
    return _phrase(f"{m.group(1)} {surface.split()[-1]}", lang)


def listed(text: str, qend: int, later: list[tuple[int, int]], lang: str, lex: Lexicon) -> Counted:
    """A figure of a list whose noun comes after its last figure ("knapp 2.000, in der Hauptstadt knapp 900 -
    insgesamt 40.000 Masken"): the noun of the first later figure that has one, each step a list separator."""
    rx = _context(lex).list_between
    end = qend
    for start, stop in later:
        if rx is None or not rx.fullmatch(text, end, start):
            return _NONE
        got = counted_phrase(text, stop, lang, lex)
        if got[1]:
            return got
        end = stop
    return _NONE


def is_people_word(surface: str, lang: str, lex: Lexicon) -> bool:
    """Is the figure a noun of people itself ("Zehntausende", "ein paar Tausend", "dozens")?"""
    words = surface.lower().split()
    scales = _context(lex).people_scales.get(lang, frozenset())
    return bool(words) and (words[-1] in scales or " ".join(words[-3:]) in scales)


def implicit_people(lang: str, lex: Lexicon) -> Counted:
    """The counted phrase of a figure that is a noun of people itself (``implicit_people``)."""
    word = _context(lex).implicit_people.get(lang)
    return _phrase(word, lang) if word else _NONE


def multiplied(text: str, qstart: int, qend: int, clause_end: int, lang: str, lex: Lexicon) -> Counted:
    """A figure with a multiplier ("3 Millionen Mal heruntergeladen", "shot seven times") counts the
    events of its verb: the German participle after "Mal" in its clause, the English verb before it."""
    ctx = _context(lex)
    rx, verb = ctx.multiplier.get(lang), ctx.multiplier_verb.get(lang)
    m = rx.match(text, qend) if rx is not None else None
    if m is None or verb is None:
        return _NONE
    if lang == "de":
        v = verb.search(text, m.end(), max(m.end(), clause_end))
        if v is None:
            return _NONE
        word = v.group("counted")
        return word, simplemma.lemmatize(word, lang="de").lower(), []
    v = verb.search(text, max(0, qstart - 40), qstart)
    if v is None or not _tagged_as(ctx, "verb", v.group("counted"), "VV"):
        return _NONE
    word = v.group("counted")
    return word, simplemma.lemmatize(word, lang="en"), []


def is_change(predicate: str | None, lex: Lexicon) -> bool:
    """Does the predicate say how a measured figure changed ("sinken", "Einbruch", "rose": ``change_predicates``
    of ``counted.yml``)?"""
    groups = (lex.raw.get("counted") or {}).get("change_predicates") or []
    return bool(predicate) and lex.predicate_group(predicate) in groups


def measured_subject(clause: str, qstart: int, qend: int, lang: str, lex: Lexicon,
                     skip: frozenset[str] = frozenset()) -> Counted:
    """What a percentage change measures when no noun follows the figure: the subject of its clause ("Das
    BIP schrumpfte um 10 Prozent": the BIP; "the economy shrank 2 percent": the economy), the first match of
    ``measured`` in ``clause`` outside the figure that no preposition governs and whose head is no word of
    ``skip`` (sentence openers, articles). Offsets are relative to ``clause``."""
    ctx = _context(lex)
    found: re.Match[str] | None = None
    for rx in ctx.measured.get(lang, ()):
        for m in rx.finditer(clause):
            word = m.group("counted")
            if qstart <= m.start("counted") < qend or word in skip or word.split()[-1] in skip:
                continue
            if ctx.measured_not_after is not None and ctx.measured_not_after.search(clause[:m.start()]):
                continue
            if found is None or m.start("counted") < found.start("counted"):
                found = m
            break
    return _phrase(found.group("counted"), lang) if found else _NONE


def separable_infinitives(clause_words: list[str], lex: Lexicon) -> list[str]:
    """A German clause ending in a separable verb's particle ("bricht um 10 Prozent ein", "ging ... zurück"):
    the particle joined to each lower-case word's infinitive ("einbrechen", "zurückgehen"), in clause order;
    [] when the clause ends in no listed particle (``separable_particles``)."""
    particles = _context(lex).separable_particles
    if len(clause_words) < 2 or clause_words[-1].lower() not in particles:
        return []
    particle = clause_words[-1].lower()
    out = []
    for w in clause_words[:-1]:
        if w.islower():  # "brach ... ein": the joined form's lemma ("einbrach"), else the verb's with the particle
            out += [simplemma.lemmatize(particle + w, lang="de").lower(),
                    particle + simplemma.lemmatize(w, lang="de").lower()]
    return out


@dataclass(frozen=True)
class _Feminine:
    """The compiled ``feminine`` section of ``counted.yml``."""

    mark: re.Pattern[str] | None
    endings: tuple[tuple[str, str], ...]  # longest first
    suffix_words: frozenset[str]


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _feminine(lex: Lexicon) -> _Feminine:
    """Compile the ``feminine`` section of ``counted.yml`` once per lexicon."""
    raw = (lex.raw.get("counted") or {}).get("feminine") or {}
    endings = sorted(((str(k).lower(), str(v).lower()) for k, v in (raw.get("endings") or {}).items()),
                     key=lambda kv: -len(kv[0]))
    return _Feminine(re.compile(str(raw["mark"])) if raw.get("mark") else None, tuple(endings),
                     frozenset(str(w).lower() for w in raw.get("suffix_words") or []))


def base_noun(lemma: str | None, lang: str, lex: Lexicon) -> str | None:
    """The counted lemma of a German noun of people in its masculine form ("Bewohnerinnen", "Bewohner*innen",
    "BewohnerInnen": Bewohner; "Ärztin": Arzt), so that outlets that count one group in other forms compare by
    one word; other lemmas and languages as they are."""
    if lang != "de" or not lemma or not lemma[:1].isupper():
        return lemma
    fem = _feminine(lex)
    word = fem.mark.sub("in", lemma) if fem.mark is not None else lemma
    low = word.lower()
    for ending, base in fem.endings:
        if low == ending or (low.endswith(ending) and len(low) - len(ending) >= 2):
            out = word[:len(word) - len(ending)] + base
            return out[:1].upper() + out[1:]
    return lemma


def gender_suffix_words(lex: Lexicon) -> frozenset[str]:
    """The feminine endings that a gender mark splits off a noun ("Bewohner*innen": "innen"), lower case."""
    return _feminine(lex).suffix_words
