"""What a figure is about beyond the thing counted: its group, its time window, whether it is a part.

Two outlets may give different figures for one description because they count different scopes: the
vaccinated over 80 and all vaccinated, the second quarter and the year so far, the cash part of a price
and the whole price. The scope and update checks compare what this module records on each claim:

- ``group``: the population counted, as written, when the counted phrase narrows its head ("federal
  workers", "nordkoreanische Soldaten"), else None;
- ``window``: the time window as written ("bis Samstag", "in the second quarter", "so far");
- ``part_of``: a stated part of a total ("davon", "of which", "in cash", "including");
- ``basis``: what a change is measured against: ``previous-period`` ("gegenüber dem Vorquartal", "quarter on
  quarter"), ``year-earlier`` ("im Vergleich zum Vorjahresquartal", "year on year", "compared with a year
  earlier"), else the comparison as written in lower case ("im vergleich zum zweiten quartal 2019"), or None.

The cues are ``scope`` in ``rules/lexicon/cues.yml``; they apply within the figure's own clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reconcile.lexicon import Lexicon
from reconcile.literals import Prefiltered, fast_pattern, fold

__all__ = ["Qualifiers", "qualifiers", "basis_of", "NAMED_BASES"]

# the bases ``basis_of`` names as kinds (``cues.yml`` scope.basis); a comparison kept as written ("verglichen mit
# dem Sommer 2015") names one figure and may be either kind in other words
NAMED_BASES = frozenset({"previous-period", "year-earlier"})


@dataclass(frozen=True)
class Qualifiers:
    """The scope of one figure (see the module docstring)."""

    group: str | None
    window: str | None
    part_of: bool
    basis: str | None = None


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _patterns(lex: Lexicon) -> tuple[dict[str, list[re.Pattern[str]]], dict[str, list[re.Pattern[str]]]]:
    """The compiled ``scope`` cues: (part-of patterns, window patterns) per language."""
    scope = (lex.raw.get("cues") or {}).get("scope") or {}
    part = {lg: [re.compile(p, re.I) for p in (scope.get("part_of") or {}).get(lg, [])] for lg in ("de", "en")}
    window = {lg: [re.compile(p, re.I) for p in (scope.get("window") or {}).get(lg, [])] for lg in ("de", "en")}
    return part, window


@lru_cache(maxsize=16)  # per lexicon
def _basis_patterns(lex: Lexicon) -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The compiled ``scope.basis`` cues: per language, (kind, pattern) in file order."""
    basis = ((lex.raw.get("cues") or {}).get("scope") or {}).get("basis") or {}
    return {lg: [(str(kind), re.compile(p)) for kind, per in basis.items() for p in (per or {}).get(lg, [])]
            for lg in ("de", "en")}


def basis_of(text: str, lang: str, lex: Lexicon) -> tuple[str | None, tuple[int, int]]:
    """What a change in ``text`` is measured against (see the module docstring) and the span that says so
    ((0, 0) when nothing does); a named kind wins over a comparison as written."""
    found: tuple[str | None, tuple[int, int]] = (None, (0, 0))
    for kind, rx in _basis_patterns(lex).get(lang if lang in ("de", "en") else "en", []):
        m = rx.search(text)
        if m is None:
            continue
        if kind != "as_written":
            return kind, m.span()
        if found[0] is None:
            found = (m.group(0).lower(), m.span())
    return found


@dataclass(frozen=True)
class _ClauseScope:
    """What a clause says for every figure in it, found once: the part-of cues whose literals it holds, each
    window cue's first match (in cue order) and its basis."""

    part: tuple[re.Pattern[str], ...]
    windows: tuple[re.Match[str], ...]
    basis: tuple[str | None, tuple[int, int]]


@lru_cache(maxsize=16)  # per lexicon
def _prefiltered(lex: Lexicon) -> dict[str, tuple[Prefiltered, Prefiltered]]:
    """The part-of and window cues per language with their literal prefilters (``reconcile.literals``)."""
    part, window = _patterns(lex)
    return {lg: (Prefiltered(part[lg]), Prefiltered(window[lg])) for lg in ("de", "en")}


@lru_cache(maxsize=64)  # the figures of one clause (and a few clauses at a time) share it
def _clause_scope(clause: str, lg: str, lex: Lexicon) -> _ClauseScope:
    """The cues of ``clause`` (see ``_ClauseScope``): the window cues run as case-free twins, and only those
    whose literals the clause holds; a cue without its literals matches neither the clause nor any prefix."""
    folded = fold(clause)
    part, window = _prefiltered(lex)[lg]
    found = (fast_pattern(rx).search(clause, folded) for rx in window.present(clause, folded))
    return _ClauseScope(tuple(part.present(clause, folded)), tuple(m for m in found if m is not None),
                        _basis_in(clause, lg, lex))


@lru_cache(maxsize=64)  # a clause's basis, and the sentence before a clause, serve several figures
def _basis_in(text: str, lg: str, lex: Lexicon) -> tuple[str | None, tuple[int, int]]:
    """``basis_of``, kept: the figures of one sentence ask it of the same texts."""
    return basis_of(text, lg, lex)


def qualifiers(clause: str, qstart: int, qend: int, lang: str, lex: Lexicon,
               counted_text: str | None, before: str = "") -> Qualifiers:
    """The qualifiers of the figure at ``clause[qstart:qend]`` (offsets relative to its clause); ``before``:
    the sentence before the clause, where a percentage's basis may stand ("Im Vergleich zum Vorjahr ..., hier
    wurde ein Einbruch von 11 Prozent verzeichnet")."""
    lg = lang if lang in ("de", "en") else "en"
    scope = _clause_scope(clause, lg, lex)
    part_of = any(rx.search(clause, 0, qstart) for rx in scope.part)  # as searching clause[:qstart]
    basis, (ba, bb) = scope.basis
    if basis is None and before:
        basis = _basis_in(before, lg, lex)[0]
    found = None
    for m in scope.windows:  # each window cue's first match, as ``rx.search(clause)`` finds it
        if not (m.start() <= qstart < m.end()) and not (ba <= m.start() < bb):  # "from a year earlier"
            found = m.group(0)
            break
    group = counted_text if counted_text and len(counted_text.split()) > 1 else None
    return Qualifiers(group, found, part_of, basis)
