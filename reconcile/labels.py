"""Readable fact labels: the counted phrase and the action ("nordkoreanische Soldaten · schicken").

A label names what a fact counts and what happened, in the claims' majority language. The counted phrase
is the one most claims use among those whose counted thing the lexicon knows (else any counted phrase,
else the unit: "amount in USD", in words of ``rules/lexicon/render.yml``); the action is the most common
predicate. The sentence subject is added only when at least two claims and half of them share it: a lone
subject is often a stray word ("Posted", "Hunter") rather than who acts or where. Works on ``Claim`` objects
and on the report record's claim dictionaries alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from reconcile.packaged import packaged_data

__all__ = ["fact_label", "record_label"]


def _get(c: Any, key: str) -> Any:
    return c.get(key) if isinstance(c, Mapping) else getattr(c, key, None)


def _word(key: str, lang: str | None) -> str:
    """A label word of ``render.yml`` in ``lang``, else in English (a language the file does not list)."""
    words = packaged_data("render")[key]
    return str(words.get(lang or "en") or words["en"])


def _most_common(values: list[str]) -> str | None:
    """The most frequent value; ties go to the shorter, then the alphabetically first (deterministic)."""
    if not values:
        return None
    counts = Counter(values)
    return sorted(counts, key=lambda v: (-counts[v], len(v), v))[0]


def fact_label(claims: Sequence[Any]) -> str:
    """The label of a fact made of ``claims`` (``Claim`` objects or record dictionaries)."""
    if not claims:
        return "figure"
    lang = _most_common([_get(c, "language") or "" for c in claims])
    own = [c for c in claims if (_get(c, "language") or "") == lang] or list(claims)
    known = [_get(c, "counted_text") for c in own if _get(c, "counted") and _get(c, "counted_text")]
    phrase = _most_common(known) or _most_common([_get(c, "counted_text") for c in own if _get(c, "counted_text")])
    if not phrase:
        unit = _most_common([_get(c, "unit") for c in own if _get(c, "unit")])
        phrase = f"{_word('amount_in', lang)} {unit}" if unit else _word("figure", lang)
    action = _most_common([_get(c, "predicate") for c in own if _get(c, "predicate")])
    label = f"{phrase} · {action}" if action else phrase
    subjects = Counter(_get(c, "subject") for c in own if _get(c, "subject"))
    if subjects:
        subject, n = sorted(subjects.items(), key=lambda x: (-x[1], x[0]))[0]
        if n >= 2 and 2 * n >= len(own):
            label += f" ({subject})"
    return label


def record_label(fact: Mapping[str, Any], claims: Mapping[str, Mapping[str, Any]]) -> str:
    """The label of a report record's fact, from its claims in the record."""
    return fact_label([claims[cid] for cid in fact["claims"] if cid in claims])
