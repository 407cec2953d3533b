"""Literal prefilters: a word every match of a pattern contains, tested with ``in`` before the pattern runs.

The cue lists (attribution, modality, cumulative, time) are dozens of patterns that each open with
``\\b`` and are matched case-insensitively, so ``re`` cannot skip ahead to a first letter and tries every
pattern at every position of every sentence. Most patterns hold a fixed run of letters ("zufolge",
"according to") that every match contains: when the sentence lacks it, the pattern cannot match and is
not run. The answers stay exactly those of the patterns; only the work for sentences without the word is
saved. A pattern whose literal cannot be read off safely (a user pattern, an alternation at the top, a
letter outside ASCII and the German umlauts) has no literal and always runs.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

__all__ = ["fold", "literal_of", "may_match", "Prefiltered"]

_PARSER: Any = importlib.import_module("re._parser")  # the parser ``re`` compiles with (no public API)
_LITERAL = _PARSER.LITERAL
# letters whose case-insensitive matches all lower-case to themselves once dotless i, dotted capital I and
# long s are folded (re's IGNORECASE also matches "ı" to "i" and "ſ" to "s"; checked over all characters
# by tests/test_literals.py); other characters may only stand in a literal if they have no case
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzäöüß")
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold(text: str) -> str:
    """``text`` lower-cased the way a case-insensitive literal is compared with it."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:  # rare: translate is slow, ``in`` is not
        text = text.translate(_FOLD)
    return text.lower()


def _safe(ch: str, ignore_case: bool) -> bool:
    """May ``ch`` stand in a literal that is compared with ``in``?"""
    if not ignore_case:
        return True
    low = ch.lower()
    return low in _SAFE or (ch.isascii() and not ch.isalpha())


def _runs(data: list[tuple[Any, Any]], ignore_case: bool) -> list[str]:
    """The runs of literal characters in one top-level sequence of a parsed pattern."""
    runs: list[str] = []
    cur: list[str] = []
    for op, av in data:
        if op is _LITERAL and _safe(chr(av), ignore_case):
            cur.append(chr(av))
        elif cur:  # anything else (a boundary, a group, a set, a repeat) ends the run
            runs.append("".join(cur))
            cur = []
    if cur:
        runs.append("".join(cur))
    return runs


@lru_cache(maxsize=4096)
def _literal(pattern: str, flags: int) -> tuple[str, bool] | None:
    """The longest literal run of ``pattern`` (folded if it ignores case) and whether it ignores case."""
    try:
        parsed = _PARSER.parse(pattern, flags)
    except Exception:  # anything the parser refuses: no literal, the pattern always runs
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    runs = _runs(list(parsed.data), ignore_case)
    if not runs:
        return None
    best = max(runs, key=len)
    return (fold(best), True) if ignore_case else (best, False)


def literal_of(rx: Any) -> tuple[str, bool] | None:
    """The literal every match of the compiled ``re`` pattern ``rx`` holds, or None (a user pattern, which
    the ``regex`` module compiles, never gets one: its syntax is not ``re``'s)."""
    if not isinstance(rx, re.Pattern):
        return None
    return _literal(rx.pattern, rx.flags)


def may_match(rx: Any, text: str, folded: str) -> bool:
    """False when ``rx`` cannot match ``text`` because its literal is absent (``folded`` is ``fold(text)``)."""
    lit = literal_of(rx)
    if lit is None:
        return True
    return lit[0] in (folded if lit[1] else text)


class Prefiltered:
    """A list of patterns with their literals, read off once: ``present`` is the cheap test of many."""

    def __init__(self, patterns: list[Any] | tuple[Any, ...]) -> None:
        self.patterns = tuple(patterns)
        self._checks = tuple((rx, literal_of(rx)) for rx in self.patterns)

    def present(self, text: str, folded: str) -> list[Any]:
        """The patterns, in order, that may match ``text`` (``folded`` is ``fold(text)``); a pattern left out
        cannot match ``text`` nor any part of it."""
        return [rx for rx, lit in self._checks
                if lit is None or lit[0] in (folded if lit[1] else text)]
