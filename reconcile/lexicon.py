"""The language data under ``rules/lexicon/``: hedges, vague quantities, units, synonyms, cues, boilerplate.

Code reads these files; it does not hold their content. A user folder with a ``lexicon/`` of its own
overrides the packaged files key by key (dictionaries merge recursively; lists and scalars replace).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Lexicon", "LexiconError", "default_rules_dir", "load_lexicon", "deep_merge"]

LEXICON_FILES = ("hedges", "vague", "units", "numbers", "counted", "cues", "boilerplate", "entities")


class LexiconError(ValueError):
    """A lexicon file is missing or malformed; the message names the file and the problem."""


def default_rules_dir() -> Path:
    """The packaged rule pack: ``$RECONCILE_RULES_DIR`` or the ``rules/`` folder beside the package."""
    env = os.environ.get("RECONCILE_RULES_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "rules"


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon file: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon file must be a mapping at the top level")
    return data


def _compile(patterns: list[str], where: str, case: bool = False) -> list[re.Pattern[str]]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, 0 if case else re.I))
        except re.error as exc:
            raise LexiconError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return out


def _any_of(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One alternation of ``patterns`` that matches wherever one of them does, or None if it cannot be built."""
    if not patterns:
        return re.compile(r"(?!)")
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.I)
    except re.error:  # e.g. a pattern with a global inline flag: callers then try each pattern
        return None


@dataclass(eq=False)
class Lexicon:
    """Parsed lexicon data, with the regular expressions compiled once.

    Compared and hashed by identity: two loads of the same files are still two lexicons.
    """

    raw: dict[str, dict[str, Any]]
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        h = self.raw["hedges"]
        self.hedges: dict[str, dict[str, str]] = {lang: {k.lower(): v for k, v in h.get(lang, {}).items()}
                                                  for lang in ("de", "en")}
        self.rounding_min_relative = float(h.get("rounding", {}).get("min_relative", 0.02))
        u = self.raw["units"]
        self.scales: dict[str, dict[str, float]] = {
            lang: {k.lower(): float(v) for k, v in u.get("scales", {}).get(lang, {}).items()} for lang in ("de", "en")
        }
        self.currencies: dict[str, str] = {}
        for code, names in u.get("currencies", {}).items():
            for n in names:
                self.currencies[n] = code
        self.percent: list[str] = list(u.get("percent", []))
        self.classes: dict[str, list[str]] = {k: [w.lower() for w in v] for k, v in u.get("classes", {}).items()}
        self.non_claim_classes: set[str] = set(u.get("non_claim_classes", []))
        v = self.raw["vague"]
        self.vague = v
        c = self.raw["counted"]
        self.groups: dict[str, list[str]] = {k: [w.lower() for w in ws] for k, ws in c.get("groups", {}).items()}
        self.predicate_groups: dict[str, list[str]] = {
            k: [w.lower() for w in ws] for k, ws in c.get("predicates", {}).items()
        }
        self.predicate_words: set[str] = {w for ws in self.predicate_groups.values() for w in ws}
        self.generic: set[str] = {w.lower() for w in c.get("generic", [])}
        self.auxiliaries: set[str] = {w.lower() for w in c.get("auxiliaries", [])}
        self.not_places: set[str] = {w.lower() for w in c.get("not_places", [])}
        q = self.raw["cues"]
        att = q.get("attribution", {})
        self.att_after = {lg: _compile(att.get("after", {}).get(lg, []), "cues.yml attribution.after")
                          for lg in ("de", "en")}
        self.att_before = {lg: _compile(att.get("before", {}).get(lg, []), "cues.yml attribution.before")
                           for lg in ("de", "en")}
        # one scan that tells whether a sentence has any attribution cue at all (most have none)
        self.att_any = {lg: _any_of(self.att_after[lg] + self.att_before[lg]) for lg in ("de", "en")}
        self.att_forward_only = {p for p in att.get("forward_only", [])}
        self.att_backward_only = {p for p in att.get("backward_only", [])}
        self.source_nouns = [w.lower() for w in att.get("source_nouns", [])]
        self.source_noun_endings = tuple(self.source_nouns)  # for str.endswith
        self.generic_sources = {w.lower() for w in att.get("generic", [])}
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
        self.season_re = (re.compile(r"\b(?:im|in the|in|this)\s+(" + "|".join(
            re.escape(w) for w in sorted(self.seasons, key=len, reverse=True)) + r")\b", re.I)
            if self.seasons else None)
        b = self.raw["boilerplate"]
        self.section_headings = {s.upper() for s in b.get("section_headings", [])}
        self.tail_starts = _compile(b.get("tail_starts", []), "boilerplate.yml tail_starts", case=True)
        self.line_patterns = [(re.compile(p), why) for p, why in b.get("lines", [])]
        self.agencies = [a for a in b.get("agencies", [])]
        self._load_entities(self.raw.get("entities", {}))
        self._group_index = self._tail_index(self.groups)
        self._pred_index = self._tail_index(self.predicate_groups)
        self._cache: dict[tuple[str, str], Any] = {}

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

    @staticmethod
    def _tail_index(groups: dict[str, list[str]]) -> list[tuple[str, str]]:
        pairs = [(w, g) for g, ws in groups.items() for w in ws]
        # longest first, so that "bausoldat" wins over "soldat"
        return sorted(pairs, key=lambda p: -len(p[0]))

    @staticmethod
    def _lookup(index: list[tuple[str, str]], lemma: str | None) -> str | None:
        if not lemma:
            return None
        low = lemma.lower()
        for w, g in index:
            if low == w:
                return g
        for w, g in index:
            if len(w) >= 4 and low.endswith(w):
                return g
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
        return self._memo("group", lemma, lambda w: self._lookup(self._group_index, w))  # type: ignore[no-any-return]

    def is_generic(self, lemma: str | None) -> bool:
        """A word for people or things in general ("Militärangehöriger", "personnel"): close to every group."""
        def compute(w: str) -> bool:
            low = w.lower()
            return bool(low) and (low in self.generic or any(len(g) >= 6 and low.endswith(g) for g in self.generic))

        return self._memo("generic", lemma, compute)  # type: ignore[no-any-return]

    def predicate_group(self, lemma: str | None) -> str | None:
        return self._memo("pred", lemma, lambda w: self._lookup(self._pred_index, w))  # type: ignore[no-any-return]

    def unit_class(self, lemma: str | None) -> str | None:
        """The unit class of a counted noun (people, money, munitions ...): the longest listed ending."""
        def compute(w: str) -> str | None:
            low = w.lower()
            best: tuple[int, str] | None = None
            for cls, words in self.classes.items():
                for u in words:
                    if low == u or (len(u) >= 4 and low.endswith(u)):
                        if best is None or len(u) > best[0]:
                            best = (len(u), cls)
            return best[1] if best else None

        return self._memo("unit", lemma, compute) if lemma else None  # type: ignore[no-any-return]


def _load(dirs: tuple[str, ...]) -> Lexicon:
    raw: dict[str, dict[str, Any]] = {}
    sources = []
    for name in LEXICON_FILES:
        merged: dict[str, Any] = {}
        for d in dirs:
            p = Path(d) / "lexicon" / f"{name}.yml"
            if p.is_file():
                merged = deep_merge(merged, _read_yaml(p))
                sources.append(str(p))
        raw[name] = merged
    return Lexicon(raw, sources)


@lru_cache(maxsize=8)
def _cached(dirs: tuple[str, ...]) -> Lexicon:
    return _load(dirs)


def load_lexicon(extra_dirs: list[str] | tuple[str, ...] = ()) -> Lexicon:
    """The packaged lexicon, overridden key by key by each of ``extra_dirs`` in order."""
    dirs = (str(default_rules_dir()),) + tuple(str(d) for d in extra_dirs)
    return _cached(dirs)
