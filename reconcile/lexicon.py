"""The language data under ``rules/lexicon/``: hedges, vague quantities, units, synonyms, cues, boilerplate.

Code reads these files; it does not hold their content. A user folder with a ``lexicon/`` of its own
overrides the packaged files key by key (dictionaries merge recursively; lists and scalars replace).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jsonschema
import regex

from reconcile.yamlio import YAMLError, load_yaml

__all__ = ["Lexicon", "LexiconError", "default_rules_dir", "load_lexicon", "deep_merge", "LEXICON_SCHEMAS",
           "USER_REGEX_TIMEOUT"]

LEXICON_FILES = ("hedges", "vague", "units", "numbers", "counted", "cues", "boilerplate", "entities", "phrases",
                 "languages")


class LexiconError(ValueError):
    """A lexicon file is missing or malformed; the message names the file and the problem."""


def default_rules_dir() -> Path:
    """The packaged rule pack: ``$RECONCILE_RULES_DIR`` or the ``rules/`` folder beside the package."""
    env = os.environ.get("RECONCILE_RULES_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "rules"


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` laid on ``base``: dictionaries merge recursively, lists and scalars replace (a user lexicon
    overrides the packaged one key by key)."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# --------------------------------------------------------------------------- validation

def _strs() -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}}


def _by_lang(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": item}


_NUM = {"type": "number"}
_STR_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_NUM_MAP = {"type": "object", "additionalProperties": _NUM}

# What each lexicon file must look like where the code reads it; other keys are free (other stages read
# them). Checked when a file is loaded, so a wrong type is an error naming the file and key, not a crash.
LEXICON_SCHEMAS: dict[str, dict[str, Any]] = {
    "hedges": {"type": "object", "properties": {
        "rounding": {"type": "object", "properties": {"min_relative": _NUM}},
        "de": _STR_MAP, "en": _STR_MAP}},
    "vague": {"type": "object", "properties": {"scales": _by_lang(_NUM_MAP)},
              "additionalProperties": {"type": "object", "properties": {
                  "value": _NUM, "low": _NUM, "high": _NUM, "words": _by_lang(_strs())}}},
    "units": {"type": "object", "properties": {
        "scales": _by_lang(_NUM_MAP), "currencies": _by_lang(_strs()), "percent": _strs(),
        "classes": _by_lang(_strs()), "non_claim_classes": _strs(), "multiples": _NUM_MAP,
        "duration_windows": {"type": "object", "properties": {
            "before": _by_lang(_strs()), "after": _by_lang(_strs())}}}},
    "counted": {"type": "object", "properties": {
        "groups": _by_lang(_strs()), "predicates": _by_lang(_strs()), "generic": _strs(),
        "auxiliaries": _strs(), "not_places": _strs()}},
    "cues": {"type": "object", "properties": {
        "attribution": {"type": "object", "properties": {
            "after": _by_lang(_strs()), "before": _by_lang(_strs()), "forward_only": _strs(),
            "backward_only": _strs(), "source_nouns": _strs(), "generic": _strs()}},
        "modality": _by_lang(_by_lang(_strs())), "cumulative": _by_lang(_strs()),
        "time": {"type": "object", "properties": {
            "previous_year": _by_lang(_strs()), "this_year": _by_lang(_strs()), "season_before": _strs(),
            "seasons": {"type": "object", "additionalProperties": {"type": "integer"}}}}}},
    "boilerplate": {"type": "object", "properties": {
        "section_headings": _strs(), "tail_starts": _strs(), "agencies": _strs(),
        "lines": {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                             "items": {"type": "string"}}}}},
    "languages": {"type": "object", "properties": {
        "min_words": {"type": "integer"}, "margin": _NUM, "function_words": _by_lang(_strs())}},
    "entities": {"type": "object", "properties": {"entities": {"type": ["object", "null"], "additionalProperties": {
        "type": "object", "properties": {"kind": {"type": "string"}, "names": _strs(), "metonyms": _strs()}}}}},
}


def _read_yaml(path: Path, name: str) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon file: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon file must be a mapping at the top level")
    try:
        jsonschema.validate(data, LEXICON_SCHEMAS.get(name, {"type": "object"}))
    except jsonschema.ValidationError as exc:
        key = ".".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise LexiconError(f"{path}: key {key}: {exc.message}") from exc
    return data


# --------------------------------------------------------------------------- user regexes

# seconds one match of a user's regex may take; the packaged patterns are reviewed and run with ``re``
USER_REGEX_TIMEOUT = float(os.environ.get("RECONCILE_REGEX_TIMEOUT", "1.0"))


class _TimedPattern:
    """A user's pattern compiled with the ``regex`` module, each match bounded by ``USER_REGEX_TIMEOUT``.

    It offers what the stages use of ``re.Pattern`` (``pattern``, ``search``, ``match``, ``finditer``);
    a match that runs out of time (catastrophic backtracking) is a ``LexiconError`` naming the pattern.
    """

    def __init__(self, pattern: str, flags: int, where: str) -> None:
        self.pattern = pattern
        self.where = where
        self._rx = regex.compile(pattern, flags | regex.V0)

    def _timeout(self) -> LexiconError:
        return LexiconError(f"{self.where}: pattern {self.pattern!r} took over {USER_REGEX_TIMEOUT:g} s on one "
                            "text (catastrophic backtracking); simplify it, e.g. no nested quantifiers")

    def search(self, text: str, *args: Any) -> Any:
        """``re.Pattern.search``, bounded in time."""
        try:
            return self._rx.search(text, *args, timeout=USER_REGEX_TIMEOUT)
        except TimeoutError as exc:
            raise self._timeout() from exc

    def match(self, text: str, *args: Any) -> Any:
        """``re.Pattern.match``, bounded in time."""
        try:
            return self._rx.match(text, *args, timeout=USER_REGEX_TIMEOUT)
        except TimeoutError as exc:
            raise self._timeout() from exc

    def finditer(self, text: str, *args: Any) -> Iterator[Any]:
        """``re.Pattern.finditer``, each match bounded in time."""
        try:
            yield from self._rx.finditer(text, *args, timeout=USER_REGEX_TIMEOUT)
        except TimeoutError as exc:
            raise self._timeout() from exc


# patterns of the packaged lexicon: trusted, compiled with ``re``; and the user file each other string came
# from (named in errors); both filled by ``_load``
_TRUSTED: set[str] = set()
_ORIGIN: dict[str, str] = {}


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _one(p: str, flags: int, where: str) -> re.Pattern[str]:
    """``p`` compiled: with ``re`` if it is a packaged pattern, else as a time-bounded user pattern."""
    if p not in _TRUSTED and p in _ORIGIN:
        where = f"{_ORIGIN[p]} ({where})"
    try:
        if p in _TRUSTED:
            return re.compile(p, flags)
        return cast(re.Pattern[str], _TimedPattern(p, flags, where))  # duck-typed: see _TimedPattern
    except (re.error, regex.error) as exc:
        raise LexiconError(f"{where}: bad pattern {p!r}: {exc}") from exc


def _compile(patterns: list[str], where: str, case: bool = False) -> list[re.Pattern[str]]:
    return [_one(p, 0 if case else re.I, where) for p in patterns]


def _alternation(words: Any) -> str:
    """One regex alternation of literal words, longest first, spaces matching any white space."""
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: -len(str(w))))


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One alternation of ``patterns`` that matches wherever one of them does, or None if it cannot be built."""
    if not patterns:
        return re.compile(r"(?!)")
    joined = "|".join(f"(?:{p.pattern})" for p in patterns)
    try:
        if all(isinstance(p, re.Pattern) for p in patterns):
            return re.compile(joined, re.I)
        return cast(re.Pattern[str], _TimedPattern(joined, re.I, "lexicon (one of its cue patterns)"))
    except (re.error, regex.error):  # e.g. a pattern with a global inline flag: callers then try each pattern
        return None


@dataclass(eq=False)
class Lexicon:
    """Parsed lexicon data, with the regular expressions compiled once.

    Compared and hashed by identity: two loads of the same files are still two lexicons.
    """

    raw: dict[str, dict[str, Any]]
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._load_numbers(self.raw["hedges"], self.raw["units"])
        self.vague = self.raw["vague"]
        self._load_counted(self.raw["counted"])
        self._load_attribution(self.raw["cues"].get("attribution", {}))
        self._load_cues(self.raw["cues"])
        self._load_boilerplate(self.raw["boilerplate"])
        self._load_entities(self.raw.get("entities", {}))
        self._load_languages(self.raw.get("languages", {}))
        self._group_index = self._tail_index(self.groups)
        self._pred_index = self._tail_index(self.predicate_groups)
        self._cache: dict[tuple[str, str], Any] = {}

    def _load_numbers(self, h: dict[str, Any], u: dict[str, Any]) -> None:
        """Hedges and rounding (hedges.yml); scale words, currencies, percent words and unit classes (units.yml)."""
        self.hedges: dict[str, dict[str, str]] = {lang: {k.lower(): v for k, v in h.get(lang, {}).items()}
                                                  for lang in ("de", "en")}
        self.rounding_min_relative = float(h.get("rounding", {}).get("min_relative", 0.02))
        self.scales: dict[str, dict[str, float]] = {
            lang: {k.lower(): float(v) for k, v in u.get("scales", {}).get(lang, {}).items()} for lang in ("de", "en")
        }
        self.currencies: dict[str, str] = {n: code for code, names in u.get("currencies", {}).items() for n in names}
        self.percent: list[str] = list(u.get("percent", []))
        self.classes: dict[str, list[str]] = {k: [w.lower() for w in v] for k, v in u.get("classes", {}).items()}
        self.non_claim_classes: set[str] = set(u.get("non_claim_classes", []))
        self._class_index = self._tail_index(self.classes)  # word -> its class; a word listed twice keeps the first

    def _load_counted(self, c: dict[str, Any]) -> None:
        """Groups of counted things and of predicates, generic nouns, auxiliaries, words that are no place."""
        self.groups: dict[str, list[str]] = {k: [w.lower() for w in ws] for k, ws in c.get("groups", {}).items()}
        self.predicate_groups: dict[str, list[str]] = {
            k: [w.lower() for w in ws] for k, ws in c.get("predicates", {}).items()
        }
        self.predicate_words: set[str] = {w for ws in self.predicate_groups.values() for w in ws}
        self.generic: set[str] = {w.lower() for w in c.get("generic", [])}
        self.auxiliaries: set[str] = {w.lower() for w in c.get("auxiliaries", [])}
        self.not_places: set[str] = {w.lower() for w in c.get("not_places", [])}

    def _load_attribution(self, att: dict[str, Any]) -> None:
        """Attribution cues before and after a source (compiled), with one scan that tells whether any occurs."""
        self.att_after = {lg: _compile(att.get("after", {}).get(lg, []), "cues.yml attribution.after")
                          for lg in ("de", "en")}
        self.att_before = {lg: _compile(att.get("before", {}).get(lg, []), "cues.yml attribution.before")
                           for lg in ("de", "en")}
        # one scan that tells whether a sentence has any attribution cue at all (most have none)
        self.att_any = {lg: _any_of(self.att_after[lg] + self.att_before[lg]) for lg in ("de", "en")}
        self.att_forward_only = set(att.get("forward_only", []))
        self.att_backward_only = set(att.get("backward_only", []))
        self.source_nouns = [w.lower() for w in att.get("source_nouns", [])]
        self.source_noun_endings = tuple(self.source_nouns)  # for str.endswith
        self.generic_sources = {w.lower() for w in att.get("generic", [])}

    def _load_cues(self, q: dict[str, Any]) -> None:
        """Modality, cumulative and time cues (compiled), and the seasons with the words that open them."""
        self.modality: dict[str, dict[str, list[re.Pattern[str]]]] = {}
        for mod, langs in q.get("modality", {}).items():
            self.modality[mod] = {lg: _compile(langs.get(lg, []), f"cues.yml modality.{mod}") for lg in ("de", "en")}
        self.modality_any = {mod: {lg: _any_of(pats[lg]) for lg in ("de", "en")} for mod, pats in self.modality.items()}
        self.cumulative = {lg: _compile(q.get("cumulative", {}).get(lg, []), "cues.yml cumulative")
                           for lg in ("de", "en")}
        t = q.get("time", {})
        self.previous_year = {lg: _compile(t.get("previous_year", {}).get(lg, []), "cues.yml time")
                              for lg in ("de", "en")}
        self.this_year = {lg: _compile(t.get("this_year", {}).get(lg, []), "cues.yml time") for lg in ("de", "en")}
        self.seasons: dict[str, int] = {k.lower(): int(v) for k, v in t.get("seasons", {}).items()}
        before = [str(w) for w in t.get("season_before", [])]
        self.season_re = (re.compile(rf"\b(?:{_alternation(before)})\s+({_alternation(self.seasons)})\b", re.I)
                          if self.seasons and before else None)

    def _load_boilerplate(self, b: dict[str, Any]) -> None:
        """Section headings, tail starts, boilerplate line patterns and agency names (boilerplate.yml)."""
        self.section_headings = {s.upper() for s in b.get("section_headings", [])}
        self.tail_starts = _compile(b.get("tail_starts", []), "boilerplate.yml tail_starts", case=True)
        self.line_patterns = [(_one(p, 0, "boilerplate.yml lines"), why) for p, why in b.get("lines", [])]
        self.agencies = list(b.get("agencies", []))

    def _load_entities(self, data: dict[str, Any]) -> None:
        """Entity names and metonyms, one alternation to find them, and each name's entity key."""
        self.entity_of: dict[str, str] = {}
        self.entity_kind: dict[str, str] = {}
        self.area_of: dict[str, str] = {}  # lower-case name of a country or organisation as a place -> key
        self.city_of: dict[str, str] = {}  # lower-case capital ("kiew", "kyiv") -> its country's key
        for key, ent in (data.get("entities") or {}).items():
            if not isinstance(ent, dict):
                raise LexiconError(f"entities.yml: entity {key!r} must be a mapping with names")
            self.entity_kind[str(key)] = str(ent.get("kind", "country"))
            for name in ent.get("names") or []:
                self.entity_of[str(name)] = str(key)
                self.area_of[str(name).lower()] = str(key)
            for name in ent.get("metonyms") or []:
                self.entity_of[str(name)] = str(key)
                self.city_of[str(name).lower()] = str(key)
        names = sorted(self.entity_of, key=len, reverse=True)
        self.entity_re = (re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
                          if names else None)

    def _load_languages(self, data: dict[str, Any]) -> None:
        """Each language's function words, and how many tell a text's language (languages.yml)."""
        self.function_words: dict[str, frozenset[str]] = {
            lang: frozenset(str(w).lower() for w in words or []) for lang, words in
            (data.get("function_words") or {}).items()}
        self.function_word_languages: dict[str, tuple[str, ...]] = {}  # word -> the languages listing it
        for lang, words in self.function_words.items():
            for w in words:
                self.function_word_languages[w] = self.function_word_languages.get(w, ()) + (lang,)
        self.language_min_words = int(data.get("min_words", 12))
        self.language_margin = float(data.get("margin", 5))

    @staticmethod
    def _tail_index(groups: dict[str, list[str]]) -> dict[str, str]:
        """Word -> its group; a word listed in two groups keeps the first (the longest-first order below)."""
        pairs = [(w, g) for g, ws in groups.items() for w in ws]
        index: dict[str, str] = {}
        for w, g in sorted(pairs, key=lambda p: -len(p[0])):
            index.setdefault(w, g)
        return index

    @staticmethod
    def _lookup(index: dict[str, str], lemma: str | None) -> str | None:
        """The group of the lemma itself, else of its longest listed ending of at least 4 letters
        ("bausoldat" wins over "soldat"): a dict look-up per ending rather than a scan of the lists."""
        if not lemma:
            return None
        low = lemma.lower()
        if low in index:
            return index[low]
        for cut in range(1, len(low) - 3):
            group = index.get(low[cut:])
            if group is not None:
                return group
        return None

    def _memo(self, kind: str, lemma: str | None, compute: Callable[[str], Any]) -> Any:
        """Look a lemma up once: the clustering asks for the same lemmas on every pair of claims."""
        key = (kind, lemma or "")
        if key not in self._cache:
            self._cache[key] = compute(lemma or "")
        return self._cache[key]

    def place_key(self, place: str) -> str:
        """One spelling of a place for comparison: the entity key of a country ("RU" for "russland",
        "russia"), ``city:`` and the key for a capital in any spelling ("kiew", "kyiv"), else the name with
        transliteration variants folded ("charkiw" and "kharkiv" are both "karkiv")."""
        def compute(p: str) -> str:
            low = p.lower()
            if low in self.area_of:
                return self.area_of[low]
            if low in self.city_of:
                return "city:" + self.city_of[low]
            folded = re.sub(r"(?:ch|kh)", "k", low).replace("w", "v").replace("j", "y").replace("y", "i")
            return re.sub(r"(.)\1+", r"\1", folded)

        return self._memo("place", place, compute)  # type: ignore[no-any-return]

    def is_area(self, key: str) -> bool:
        """A place key that names a country or an organisation's area (see ``place_key``)."""
        return key in self.entity_kind

    def counted_group(self, lemma: str | None) -> str | None:
        """The group of a counted noun (counted.yml groups: "soldat" and "truppe" are one): the longest ending."""
        return self._memo("group", lemma, lambda w: self._lookup(self._group_index, w))  # type: ignore[no-any-return]

    def is_generic(self, lemma: str | None) -> bool:
        """A word for people or things in general ("Militärangehöriger", "personnel"): close to every group."""
        def compute(w: str) -> bool:
            low = w.lower()
            return bool(low) and (low in self.generic or any(len(g) >= 6 and low.endswith(g) for g in self.generic))

        return self._memo("generic", lemma, compute)  # type: ignore[no-any-return]

    def predicate_group(self, lemma: str | None) -> str | None:
        """The group of a predicate ("entsandt", "sent": one group), so that claims compare by what happened."""
        return self._memo("pred", lemma, lambda w: self._lookup(self._pred_index, w))  # type: ignore[no-any-return]

    def unit_class(self, lemma: str | None) -> str | None:
        """The unit class of a counted noun (people, money, munitions ...): the word itself, else its longest
        listed ending of at least four letters (``_lookup``, as for the counted groups)."""
        return self._memo("unit", lemma, lambda w: self._lookup(self._class_index, w))  # type: ignore[no-any-return]


def _load(dirs: tuple[str, ...]) -> Lexicon:
    """Merge the lexicon files of ``dirs`` (the first is the packaged one, whose patterns are trusted)."""
    raw: dict[str, dict[str, Any]] = {}
    sources = []
    for name in LEXICON_FILES:
        merged: dict[str, Any] = {}
        for i, d in enumerate(dirs):
            p = Path(d) / "lexicon" / f"{name}.yml"
            if p.is_file():
                data = _read_yaml(p, name)
                if i == 0:
                    _TRUSTED.update(_strings(data))
                else:
                    _ORIGIN.update((x, str(p)) for x in _strings(data))
                merged = deep_merge(merged, data)
                sources.append(str(p))
        raw[name] = merged
    try:
        return Lexicon(raw, sources)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        if isinstance(exc, LexiconError):
            raise
        raise LexiconError(f"lexicon of {', '.join(sources[-3:])}: malformed value: {exc}") from exc


@lru_cache(maxsize=8)
def _cached(dirs: tuple[str, ...]) -> Lexicon:
    return _load(dirs)


def load_lexicon(extra_dirs: list[str] | tuple[str, ...] = ()) -> Lexicon:
    """The packaged lexicon, overridden key by key by each of ``extra_dirs`` in order."""
    dirs = (str(default_rules_dir()),) + tuple(str(d) for d in extra_dirs)
    return _cached(dirs)
