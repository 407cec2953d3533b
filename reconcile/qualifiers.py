"""What a figure is about beyond the thing counted: its group, its time window, whether it is a part.

Two outlets may give different figures for one description because they count different scopes: the
vaccinated over 80 and all vaccinated, the second quarter and the year so far, the cash part of a price
and the whole price. The scope and update checks compare what this module records on each claim:

- ``group``: the population counted, as written, when the counted phrase narrows its head ("federal
  workers", "nordkoreanische Soldaten"), else None;
- ``window``: the time window as written ("bis Samstag", "in the second quarter", "so far");
- ``part_of``: a stated part of a total ("davon", "of which", "in cash", "including").

The cues are ``scope`` in ``rules/lexicon/cues.yml``; they apply within the figure's own clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reconcile.lexicon import Lexicon

__all__ = ["Qualifiers", "qualifiers"]


@dataclass(frozen=True)
class Qualifiers:
    """The scope of one figure (see the module docstring)."""

    group: str | None
    window: str | None
    part_of: bool


@lru_cache(maxsize=16)  # per lexicon (lexicons hash by identity)
def _patterns(lex: Lexicon) -> tuple[dict[str, list[re.Pattern[str]]], dict[str, list[re.Pattern[str]]]]:
    """The compiled ``scope`` cues: (part-of patterns, window patterns) per language."""
    scope = (lex.raw.get("cues") or {}).get("scope") or {}
    part = {lg: [re.compile(p, re.I) for p in (scope.get("part_of") or {}).get(lg, [])] for lg in ("de", "en")}
    window = {lg: [re.compile(p, re.I) for p in (scope.get("window") or {}).get(lg, [])] for lg in ("de", "en")}
    return part, window


def qualifiers(clause: str, qstart: int, qend: int, lang: str, lex: Lexicon,
               counted_text: str | None) -> Qualifiers:
    """The qualifiers of the figure at ``clause[qstart:qend]`` (offsets relative to its clause)."""
    part, window = _patterns(lex)
    lg = lang if lang in ("de", "en") else "en"
    before = clause[:qstart]
    part_of = any(rx.search(before) for rx in part[lg])
    found = None
    for rx in window[lg]:
        m = rx.search(clause)
        if m and not (m.start() <= qstart < m.end()):
            found = m.group(0)
            break
    group = counted_text if counted_text and len(counted_text.split()) > 1 else None
    return Qualifiers(group, found, part_of)
