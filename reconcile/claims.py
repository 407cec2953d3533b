"""Claims: quantities in statements of fact, with what is counted, who says so, how sure, and when.

Built on ``quantities`` per sentence. Attribution and modality cues, time expressions and cumulative
markers come from ``rules/lexicon/cues.yml``; a cue applies to a figure in its own clause or before it
in the sentence, and an attribution at the end of a sentence (", sagte X", "X zufolge") applies back.
A sentence that only names a source ("Die Angaben beruhen auf Schätzungen der ...") qualifies the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import simplemma

from reconcile.dates import MONTHS, MONTH_RE
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document
from reconcile.counted import counted_phrase
from reconcile.places import is_place_name
from reconcile.qualifiers import qualifiers
from reconcile.quantities import RawQuantity, _ARTICLE_BEFORE, extract
from reconcile.sentences import ViewSentence, document_sentences

__all__ = ["extract_claims", "document_quantities", "claim_sentences"]

# a comma or colon between digits ("5,5", "12:30") is part of a number, not a clause boundary
_CLAUSE_SPLIT = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;–—()]|\s-\s"
                           r"|\b(?:dass|weil|während|obwohl|that|because|while|although)\b")
_TOKEN = re.compile(r"[\w][\w\-‑.]*[\w]|[\w]|[,;:()„“\"–—]")
_ARTICLES = {"der", "die", "das", "des", "dem", "den", "the", "ein", "eine", "einer", "eines", "a", "an"}
_CONNECT = {"und", "and", "of"}
_ADJ = re.compile(r"^[a-zäöüß][\w-]*(?:e|en|er|es|em|ische|ischen|ischer)$")


_PARTICIPLE = re.compile(r"^ge[a-zäöüß]{3,}(?:t|en)$")


@dataclass(frozen=True)
class _Phrases:
    """The word lists and patterns of ``rules/lexicon/phrases.yml`` that claims need, compiled once."""

    non_subjects: frozenset[str]
    source_words: frozenset[str]
    carry: tuple[re.Pattern[str], ...]
    places: dict[str, re.Pattern[str]]


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _phrases(lex: Lexicon) -> _Phrases:
    raw = lex.raw.get("phrases") or {}
    return _Phrases(
        frozenset(str(w) for w in raw.get("non_subjects", []) or []),
        frozenset(str(w) for w in raw.get("source_words_en", []) or []),
        tuple(re.compile(p, re.I) for p in raw.get("carry", []) or []),
        {lg: re.compile(p) for lg, p in (raw.get("places") or {}).items()},
    )


def _carries(text: str, lex: Lexicon) -> bool:
    """Does the sentence carry the previous one's source ("Demnach ...", "According to the report ...")?"""
    return any(rx.match(text) for rx in _phrases(lex).carry)


@dataclass
class _Cue:
    start: int
    end: int
    text: str


def _clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence; computed once per sentence and handed to the helpers below."""
    out = []
    prev = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > prev:
            out.append((prev, m.start()))
        prev = m.start() if m.group().isalpha() else m.end()
    if prev < len(text):
        out.append((prev, len(text)))
    return out or [(0, len(text))]


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b:
            return a, b
    return clauses[-1]


def _np_word(w: str, lang: str, nouns: frozenset[str]) -> bool:
    """Can ``w`` stand in the name of a source? German capitalises nouns; English names its source nouns."""
    low = w.lower()
    if low in _ARTICLES or low in _CONNECT or w[:1].isupper():
        return True
    if lang == "en":
        return low in nouns or low.rstrip("s") in nouns
    return bool(_ADJ.match(w))


def _np_after(text: str, pos: int, lang: str = "de", nouns: frozenset[str] = frozenset()) -> str | None:
    toks = [(m.start() + pos, m.end() + pos, m.group()) for m in _TOKEN.finditer(text[pos:pos + 120])]
    words: list[str] = []
    for _, _, w in toks[:10]:
        if w in ",;:()„“\"–—":
            break
        if _np_word(w, lang, nouns) or re.match(r"^[A-Z]{2,}", w):
            words.append(w)
            continue
        break
    while words and (words[-1].lower() in _ARTICLES or words[-1].lower() in _CONNECT or _ADJ.match(words[-1])):
        words.pop()
    while words and words[0].lower() in _ARTICLES:
        words.pop(0)
    if not any(w[:1].isupper() for w in words):
        return None
    return " ".join(words) or None


def _np_before(text: str, pos: int, lang: str = "de", nouns: frozenset[str] = frozenset()) -> str | None:
    seg = text[max(0, pos - 120):pos]
    toks = [m.group() for m in _TOKEN.finditer(seg)]
    words: list[str] = []
    for w in reversed(toks):
        if w in ",;:()„“\"–—":
            break
        if _np_word(w, lang, nouns):
            words.insert(0, w)
            if len(words) >= 8:
                break
            continue
        break
    while words and (words[0].lower() in _ARTICLES or words[0].lower() in _CONNECT):
        words.pop(0)
    if not words or not any(w[:1].isupper() for w in words):
        return None
    return " ".join(words)


@dataclass(frozen=True)
class _AttCue:
    """An attribution cue found in a sentence and the source it names."""

    start: int
    end: int
    source: str
    after: bool  # a cue before its source ("laut X", "according to X"); False: "X zufolge", "X said"
    forward_only: bool
    backward_only: bool


def _attribution_cues(text: str, lang: str, lex: Lexicon) -> tuple[_AttCue, ...]:
    """Every attribution cue of a sentence with its source; which one governs a figure depends on where."""
    out: list[_AttCue] = []
    any_cue = lex.att_any[lang]
    if any_cue is not None and not any_cue.search(text):
        return ()
    nouns = frozenset(lex.source_nouns) | _phrases(lex).source_words
    for rx in lex.att_after[lang]:
        forward_only = rx.pattern in lex.att_forward_only
        backward_only = rx.pattern in lex.att_backward_only
        for m in rx.finditer(text):
            np_ = _np_after(text, m.end(), lang, nouns)
            if np_:
                out.append(_AttCue(m.start(), m.end(), np_, True, forward_only, backward_only))
    for rx in lex.att_before[lang]:
        for m in rx.finditer(text):
            np_ = None
            if m.group().startswith(("-", "‑")):
                tok = re.search(r"([\w]+)$", text[:m.start()])
                np_ = tok.group(1) if tok else None
            else:
                before = text[:m.start()].rstrip()
                if before.endswith(("bekannt", "mit")):
                    before = before.rsplit(" ", 1)[0].rstrip()
                if before.endswith((",", ")")):
                    wm = list(re.finditer(r"\bwie\s+", before))
                    if wm:
                        np_ = _np_after(before, wm[-1].end(), lang, nouns)
                    else:
                        np_ = _np_after(text, 0, lang, nouns)
                else:
                    np_ = _np_before(text, len(before), lang, nouns)
            if np_:
                out.append(_AttCue(m.start(), m.end(), np_, False, False, False))
    return tuple(out)


def _find_attribution(text: str, qpos: int, qend: int, cues: tuple[_AttCue, ...]) -> str | None:
    """The source named in ``text`` that governs the figure at ``qpos``: the nearest cue that may."""
    best: tuple[int, str] | None = None
    for cue in cues:
        if cue.after:
            if cue.backward_only and cue.start < qpos:
                continue  # "X said 6,000 ...": X stands before the cue, found as a cue of the other kind
            if cue.start > qpos:
                # after the figure, only a clause of its own (", sagte X") speaks of it
                if cue.forward_only or not re.search(r"[,;]\s*$", text[qend:cue.start]):
                    continue
            dist = qpos - cue.end if cue.end <= qpos else (cue.start - qend) + 1000
        else:
            dist = abs(qpos - cue.start)
        if best is None or dist < best[0]:
            best = (dist, cue.source)
    return best[1] if best else None


def _source_noun(text: str, lex: Lexicon) -> str | None:
    for m in re.finditer(r"[\wäöüÄÖÜß-]+", text):
        w = m.group().lower()
        if w.endswith(lex.source_noun_endings) and len(w) > 3:
            before = [t for t in re.findall(r"[\wäöüÄÖÜß-]+", text[max(0, m.start() - 40):m.start()])][-2:]
            before = [t for t in before if _ADJ.match(t) or t[:1].isupper()]
            after = _np_after(text, m.end())
            words = [t for t in before if t.lower() not in _ARTICLES] + [m.group()]
            if after and re.match(r"^[A-Z]{2,}", after):
                words.append(after.split()[0])
            return " ".join(words)
    return None


def _modality(sentence: str, qpos: int, lang: str, lex: Lexicon, clauses: list[tuple[int, int]]) -> str:
    ca, cb = _clause_of(clauses, qpos)
    own = sentence[ca:cb]
    upto = sentence[:cb]
    for mod in ("hypothetical", "estimated", "planned", "reported", "reported_anywhere"):
        any_cue = lex.modality_any.get(mod, {}).get(lang)
        if any_cue is not None and not (any_cue.search(sentence) or any_cue.search(own) or any_cue.search(upto)):
            continue  # none of this kind's cues anywhere the loop below looks: skip its patterns one by one
        for rx in lex.modality.get(mod, {}).get(lang, []):
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
_IN_YEAR = re.compile(r"\b(?:im Jahr(?:e)?|in|seit|since)\s+((?:19|20)\d{2})\b")


def _as_of(sentence: str, qpos: int, published: str | None, lang: str, lex: Lexicon,
           clauses: list[tuple[int, int]]) -> str | None:
    year = int(published[:4]) if published and published[:4].isdigit() else None
    ca, cb = _clause_of(clauses, qpos)
    for scope in (sentence[ca:cb], sentence):
        m = _MONTH_YEAR.search(scope)
        if m:
            return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"
        m = _IN_YEAR.search(scope)
        if m:
            return m.group(1)
        if year:
            if any(rx.search(scope) for rx in lex.previous_year[lang]):
                return str(year - 1)
            sm = lex.season_re.search(scope) if lex.season_re else None
            if sm:
                return f"{year}-{lex.seasons[sm.group(1).lower()]:02d}"
            if any(rx.search(scope) for rx in lex.this_year[lang]):
                return str(year)
    return published


def _predicate(sentence: str, qpos: int, qend: int, lang: str, lex: Lexicon,
               clauses: list[tuple[int, int]]) -> str | None:
    ca, cb = _clause_of(clauses, qpos)
    after = [(m.group()) for m in re.finditer(r"[\wäöüß]+", sentence[qend:cb])]
    before = [(m.group()) for m in re.finditer(r"[\wäöüß]+", sentence[ca:qpos])]
    candidates = after + list(reversed(before)) if lang == "de" else list(reversed(before)) + after
    fallback = None
    for w in candidates:
        if len(w) < 4 or w.lower() in _ARTICLES:
            continue
        if w[:1].isupper() and lang == "de":
            # a noun names the action only when it is one of the listed nominalisations ("Entsendung")
            if w.lower() in lex.predicate_words:
                return w.lower()
            continue
        if lex.predicate_group(w.lower()) and not w[:1].isupper():
            return w.lower()
        lemma = simplemma.lemmatize(w, lang=lang).lower()
        if lex.predicate_group(lemma):
            return lemma
        if fallback is None and (_PARTICIPLE.match(w) or (lang == "en" and re.match(r"^[a-z]{3,}ed$", w))):
            fallback = lemma
    # a trailing infinitive ("... entsenden", "... zu schicken")
    if fallback is None and lang == "de" and after:
        for last in reversed(after):
            if last.lower() in lex.auxiliaries:
                continue
            if last.islower() and len(last) > 4 and (last.endswith("en") or last.endswith("t")):
                fallback = simplemma.lemmatize(last, lang="de").lower()
            break
    return fallback


def _subject(sentence: str, qpos: int, lang: str, attribution: str | None,
             clauses: list[tuple[int, int]], lex: Lexicon) -> str | None:
    ca, _ = _clause_of(clauses, qpos)
    toks = list(re.finditer(r"[\wäöüÄÖÜß][\w\-äöüÄÖÜß]*", sentence[:qpos]))
    att = set((attribution or "").split())
    for i in range(len(toks) - 1, -1, -1):
        w = toks[i].group()
        if not w[:1].isupper() or w in _phrases(lex).non_subjects or w in att:
            continue
        prev = toks[i - 1].group().lower() if i > 0 else ""
        if lang == "de" and (prev in _ARTICLES or _ADJ.match(prev)):
            continue
        if toks[i].start() < ca and i < len(toks) - 6:
            break
        return w
    return None


# a name right after one of these is where, to whom or according to whom, not who acts
_NOT_ACTOR_BEFORE = re.compile(
    r"\b(?:in|im|nach|aus|bei|beim|an|am|auf|für|gegen|mit|von|vom|über|unter|zu|zur|zum|laut|gegenüber|"
    r"zwischen|to|from|at|into|with|by|for|against|of|on|about|toward|towards|across|than|als|wie|"
    r"according to)\s+(?:der|die|das|dem|den|des|the)?\s*$", re.I)


def _actor(sentence: str, qpos: int, attribution: str | None, lex: Lexicon) -> str | None:
    """Who acts: the last known entity named before the figure that is not governed by a preposition.

    "Nordkorea hat 11.000 Soldaten nach Russland geschickt" -> KP; "Russia says North Korea sent 11,000"
    -> KP; "laut Russland" and "to Russia" name a source and a place, not the actor.
    """
    if lex.entity_re is None:
        return None
    found = None
    for m in lex.entity_re.finditer(sentence, 0, qpos):
        if _NOT_ACTOR_BEFORE.search(sentence, max(0, m.start() - 30), m.start()):
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


def _is_percent_compound(counted_text: str, lex: Lexicon) -> bool:
    """A figure glued to a percent word ("15-prozentige", "20-percent"): a percentage, not a count."""
    if not counted_text.startswith(("-", "‑")):
        return False
    word = counted_text.lstrip("-‑").lower()
    return any(word.startswith(p.lower()) for p in lex.percent if p.isalpha())


def _mask(clause: str, a: int, b: int) -> str:
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
    next_source: tuple[str | None, bool]
    carry: tuple[str | None, str | None, list[str]] = (None, None, [])

    @property
    def text(self) -> str:
        return self.vs.sentence.text


def _next_source(sentence: ViewSentence | None, lang: str, lex: Lexicon) -> tuple[str | None, bool]:
    """A following sentence without figures that only names a source, and whether it says "estimated"."""
    if sentence is None:
        return None, False
    nt = sentence.sentence.text
    source = _find_attribution(nt, len(nt), len(nt), _attribution_cues(nt, lang, lex))
    if not source:
        return None, False
    return source, any(rx.search(nt) for rx in lex.modality.get("estimated", {}).get(lang, []))


def _counted_of(q: RawQuantity, s: _Sentence) -> tuple[str | None, str | None, list[str], str, str | None] | None:
    """(counted phrase, lemma, modifiers, unit class, unit) of a figure, or None when it is no claim."""
    counted_text, lemma, mods = counted_phrase(s.text, q.end, s.lang, s.lex)
    if lemma is None and q.unit_class == "count":
        counted_text, lemma, mods = s.carry  # "300 Tote und 1.000 Verletzte ... 12 in Bremen"
    elif lemma is not None:
        s.carry = (counted_text, lemma, mods)
    unit_class, unit = q.unit_class, q.unit
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
    """Who says so and how sure: the figure's own cue, the next or the carried sentence's source."""
    text, lex = s.text, s.lex
    attribution = _find_attribution(text, q.start, q.end, s.cues)
    modality = _modality(text, q.start, s.lang, lex, s.clauses)
    if attribution is None and s.next_source[0]:
        attribution = s.next_source[0]
        if s.next_source[1] and modality in ("asserted", "reported"):
            modality = "estimated"
    if attribution is None and _carries(text, lex):
        attribution = s.previous_source
        if modality == "asserted":
            modality = "reported"
    if attribution is None and modality in ("reported", "estimated", "planned"):
        attribution = _source_noun(text, lex)
    if attribution and attribution.lower() in lex.generic_sources:
        attribution = None
    if attribution and modality == "asserted":
        modality = "reported"
    return attribution, modality


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
    predicate = _predicate(text, q.start, q.end, lang, lex, s.clauses)
    subject = _subject(text, q.start, lang, attribution, s.clauses, lex)
    start, end = s.view.orig_span(s.vs.vstart + q.start, s.vs.vstart + q.end)
    masked = _mask(clause, q.start - ca, q.end - ca)
    key = "; ".join(x for x in (counted_text or lemma, predicate, subject, masked) if x)
    qual = qualifiers(text[oa:ob], q.start - oa, q.end - oa, lang, lex, counted_text)
    return Claim(
        id=f"{doc.id}#{start}", document=doc.id, start=start, end=end, surface=doc.text[start:end],
        value=q.value, low=q.low, high=q.high, unit=unit or lemma, unit_class=unit_class,
        hedge=q.hedge, change=q.change, counted=lemma, counted_text=counted_text, modifiers=mods,
        subject=subject, predicate=predicate, attribution=attribution, modality=modality,
        as_of=_as_of(text, q.start, doc.published, lang, lex, s.clauses),
        cumulative=any(rx.search(text) for rx in lex.cumulative[lang]),
        sentence=text, sentence_start=s.vs.sentence.start, language=lang, key_text=key,
        counted_group=lex.counted_group(" ".join([*mods, lemma]) if lang == "en" and lemma else lemma),
        places=places_in(clause, lang, lex), actor=_actor(text, q.start, attribution, lex),
        group=qual.group, window=qual.window, part_of=qual.part_of,
        unit_canonical=q.unit_canonical, value_canonical=q.value_canonical,
    )


def extract_claims(doc: Document, lex: Lexicon | None = None) -> list[Claim]:
    """The claims of one document, in document order: each sentence's figures with their context."""
    lex = lex or load_lexicon()
    view, sents = document_sentences(doc)
    lang = doc.language if doc.language in ("de", "en") else "en"
    per_sentence = [(vs, extract(vs.sentence.text, lang, lex)) for vs in sents]
    claims: list[Claim] = []
    sources: list[str | None] = []  # per sentence, the first source its claims name
    for si, (vs, qs) in enumerate(per_sentence):
        if not qs:
            sources.append(None)
            continue
        after = per_sentence[si + 1] if si + 1 < len(per_sentence) else None
        s = _Sentence(doc, view, vs, lang, lex, _clauses(vs.sentence.text),
                      _attribution_cues(vs.sentence.text, lang, lex),
                      next((a for a in reversed(sources[-3:]) if a), None),
                      _next_source(after[0] if after and not after[1] else None, lang, lex))
        own = [c for c in (_claim(q, s) for q in qs) if c is not None]
        claims.extend(own)
        sources.append(next((c.attribution for c in own if c.attribution), None))
    _resolve_acronyms(claims, [vs.sentence.text for vs in sents], lex)
    return claims


_ACRONYM = re.compile(r"\b([a-zäöüß]+)\s+([A-ZÄÖÜ][a-zäöüß]+)\s+([A-Z]{2,6})\b")


def _resolve_acronyms(claims: list[Claim], sentences: list[str], lex: Lexicon) -> None:
    """Name the source by its acronym where the document introduces one ("Geheimdienst NIS").

    "der südkoreanische Nachrichtendienst" and, later, "der südkoreanische Geheimdienst NIS" are one source:
    an attribution that shares the qualifier and names a source noun gets the acronym added.
    """
    acr: dict[str, str] = {}
    for text in sentences:
        for m in _ACRONYM.finditer(text):
            if m.group(2).lower().endswith(lex.source_noun_endings):
                acr.setdefault(m.group(1).lower()[:8], m.group(3))
    if not acr:
        return
    for c in claims:
        if not c.attribution or re.search(r"\b[A-Z]{2,6}\b", c.attribution):
            continue
        words = c.attribution.split()
        if not any(w.lower().endswith(lex.source_noun_endings) for w in words):
            continue
        hit = next((acr[w.lower()[:8]] for w in words if w.lower()[:8] in acr), None)
        if hit:
            c.attribution = f"{c.attribution} ({hit})"
