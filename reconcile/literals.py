"""Literal prefilters: a word every match of a pattern contains, tested with ``in`` before the pattern runs.

The cue lists (attribution, modality, cumulative, time) are dozens of patterns that each open with
``\\b`` and are matched case-insensitively, so ``re`` cannot skip ahead to a first letter and tries every
pattern at every position of every sentence. Most patterns hold a fixed run of letters ("zufolge",
"according to"), or one of a few (an alternation of words), that every match contains: when the
sentence lacks them, the pattern cannot match and is not run. The answers stay exactly those of the
patterns; only the work for sentences without the words is saved. A pattern whose literals cannot be read
off safely (a user pattern, a branch without a literal, a letter outside ASCII and the German umlauts) has
none and always runs.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from collections.abc import Iterator
from typing import Any, cast

__all__ = ["fold", "literals_of", "may_match", "Prefiltered", "case_free", "FastPattern", "fast_pattern"]

_PARSER: Any = importlib.import_module("re._parser")  # the parser ``re`` compiles with (no public API)
_LITERAL, _SUBPATTERN, _BRANCH = _PARSER.LITERAL, _PARSER.SUBPATTERN, _PARSER.BRANCH
_REPEATS = {_PARSER.MAX_REPEAT, _PARSER.MIN_REPEAT}
# letters whose case-insensitive matches all lower-case to themselves once dotless i, dotted capital I and
# long s are folded (re's IGNORECASE also matches "ı" to "i" and "ſ" to "s"; checked over all characters
# by tests/test_literals.py); other characters may only stand in a literal if they have no case (and no
# character lower-cases to them)
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
    return low in _SAFE or (not ch.isalpha() and low == ch == ch.upper())  # "½", "°", "€": no case at all


def _runs(data: list[tuple[Any, Any]], ignore_case: bool) -> list[str]:
    """The runs of literal characters in one sequence of a parsed pattern."""
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


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two sets of literals: the longer shortest literal, then the fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    return a if (min(map(len, a)), -len(a)) >= (min(map(len, b)), -len(b)) else b


def _required(data: list[tuple[Any, Any]], ignore_case: bool) -> frozenset[str] | None:
    """A set of literals one of which every match of the sequence ``data`` holds, or None.

    Each literal run of the sequence is one such set; so is what a group, a repeat of at least one or an
    alternation whose every branch has such a set requires (the union of the branches' sets)."""
    best: frozenset[str] | None = None
    for run in _runs(data, ignore_case):
        best = _better(best, frozenset([run]))
    for op, av in data:
        got: frozenset[str] | None = None
        if op is _SUBPATTERN and not av[1] and not av[2]:  # a group that changes no flag
            got = _required(list(av[3].data), ignore_case)
        elif op in _REPEATS and av[0] >= 1:
            got = _required(list(av[2].data), ignore_case)
        elif op is _BRANCH:
            sets = [_required(list(alt.data), ignore_case) for alt in av[1]]
            got = None if any(x is None for x in sets) else frozenset().union(*[x for x in sets if x])
        elif op is _PARSER.ASSERT:  # what a positive look-ahead or look-behind requires stands in the text too
            got = _required(list(av[1].data), ignore_case)
        elif op is _IN and av and all(o is _LITERAL and _safe(chr(c), ignore_case) for o, c in av):
            got = frozenset(chr(c) for _, c in av)  # a set of characters: one of them
        best = _better(best, got)
    return best


@lru_cache(maxsize=4096)
def _literals(pattern: str, flags: int) -> tuple[tuple[str, ...], bool] | None:
    """Literals of ``pattern`` one of which every match holds (folded if it ignores case), longest first,
    and whether it ignores case."""
    try:
        parsed = _PARSER.parse(pattern, flags)
    except Exception:  # anything the parser refuses: no literal, the pattern always runs
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    found = _required(list(parsed.data), ignore_case)
    if not found or not all(found):
        return None
    lits = tuple(sorted({fold(x) if ignore_case else x for x in found}, key=lambda x: (-len(x), x)))
    return lits, ignore_case


def literals_of(rx: Any) -> tuple[tuple[str, ...], bool] | None:
    """Literals one of which every match of the compiled ``re`` pattern ``rx`` holds, with whether they are
    compared folded; None for a pattern without (and for a user pattern, which the ``regex`` module
    compiles: its syntax is not ``re``'s)."""
    if not isinstance(rx, re.Pattern):
        return None
    return _literals(rx.pattern, rx.flags)


def may_match(rx: Any, text: str, folded: str) -> bool:
    """False when ``rx`` cannot match ``text`` because its literals are absent (``folded`` is ``fold(text)``)."""
    lits = literals_of(rx)
    if lits is None:
        return True
    where = folded if lits[1] else text
    return any(x in where for x in lits[0])


def _minimal(lits: tuple[str, ...]) -> tuple[str, ...]:
    """The literals without those that hold another one ("milliarden" holds "milliarde"): a text holds
    one of the literals exactly when it holds one of these."""
    out = [x for x in lits if not any(y != x and y in x for y in lits)]
    return tuple(dict.fromkeys(out))


_FEW = 12  # up to this many literals, ``in`` one after another beats one alternation of them


class _Check:
    """The test of one pattern's literals: a few with ``in``, more with one alternation of them."""

    __slots__ = ("few", "many", "folded")

    def __init__(self, rx: Any) -> None:
        lits = literals_of(rx)
        words = _minimal(lits[0]) if lits else ()
        self.few: tuple[str, ...] | None = words if words and len(words) <= _FEW else None
        self.many = re.compile("|".join(map(re.escape, words))) if lits and len(words) > _FEW else None
        self.folded = bool(lits and lits[1])

    def possible(self, text: str, folded: str) -> bool:
        """False when none of the literals stands in ``text`` (``folded`` is ``fold(text)``)."""
        where = folded if self.folded else text
        if self.few is not None:
            for x in self.few:
                if x in where:
                    return True
            return False
        return self.many is None or self.many.search(where) is not None


def _union(checks: list[_Check]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The literals of all ``checks`` (those compared folded, those compared as written), or None when one
    of them has no literals or too many to test with ``in``."""
    if any(c.few is None for c in checks):
        return None
    on_folded = _minimal(tuple(x for c in checks if c.folded for x in c.few or ()))
    on_text = _minimal(tuple(x for c in checks if not c.folded for x in c.few or ()))
    return on_folded, on_text


class Prefiltered:
    """A list of patterns with their literals, read off once: ``present`` is the cheap test of many."""

    def __init__(self, patterns: list[Any] | tuple[Any, ...]) -> None:
        self.patterns = tuple(patterns)
        checks = [(rx, _Check(rx)) for rx in self.patterns]
        self._checks = tuple((rx, c.few, c.many, c.folded) for rx, c in checks)
        self._union = _union([c for _, c in checks])

    def any_present(self, text: str, folded: str) -> bool:
        """May any of the patterns match ``text``? One pass over all their literals (most texts hold none)."""
        if self._union is None:
            return bool(self.present(text, folded))
        on_folded, on_text = self._union
        for x in on_folded:  # a loop, not ``any`` over a generator: a third faster, and it runs for every sentence
            if x in folded:
                return True
        for x in on_text:
            if x in text:
                return True
        return False

    def present(self, text: str, folded: str) -> list[Any]:
        """The patterns, in order, that may match ``text`` (``folded`` is ``fold(text)``); a pattern left out
        cannot match ``text`` nor any part of it."""
        out = []
        for rx, few, many, on_folded in self._checks:  # inlined: this runs for every sentence
            where = folded if on_folded else text
            if few is not None:
                for x in few:
                    if x in where:
                        out.append(rx)
                        break
            elif many is None or many.search(where):
                out.append(rx)
        return out


# --------------------------------------------------------------------------- case-free twins
# A case-insensitive pattern made of words is slow in ``re`` (every letter compared through its lower
# case, no skipping ahead to a first letter). Its twin, with every letter folded and the flag dropped,
# finds the same spans in ``fold(text)`` (same length, same word characters), three or four times faster.

_COMPILER: Any = importlib.import_module("re._compiler")
_IN, _NOT_LITERAL, _RANGE = _PARSER.IN, _PARSER.NOT_LITERAL, _PARSER.RANGE
_PLAIN = {_PARSER.AT, _PARSER.ANY, _PARSER.CATEGORY, _PARSER.NEGATE}  # nothing of case in them
_NESTED = {_PARSER.ASSERT, _PARSER.ASSERT_NOT}


def _fold_char(code: int) -> int | None:
    """The folded code of a literal character, or None when folding it would not keep its matches."""
    ch = chr(code)
    return ord(fold(ch)) if _safe(ch, True) else None


def _fold_set(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]] | None:
    """A character set with its letters folded (a range of letters spelt out), or None."""
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        if op in _PLAIN:
            out.append((op, av))
        elif op is _LITERAL:
            code = _fold_char(av)
            if code is None:
                return None
            out.append((op, code))
        elif op is _RANGE and av[1] - av[0] < 128:
            codes = [_fold_char(c) for c in range(av[0], av[1] + 1)]
            if any(c is None for c in codes):
                return None
            out.extend((_LITERAL, c) for c in sorted({c for c in codes if c is not None}))
        else:
            return None
    return out


def _fold_tree(data: list[tuple[Any, Any]]) -> bool:
    """Fold every letter of a parsed sequence in place; False when some part cannot be folded safely."""
    for i, (op, av) in enumerate(data):
        if op in (_LITERAL, _NOT_LITERAL):
            code = _fold_char(av)
            if code is None:
                return False
            data[i] = (op, code)
        elif op is _IN:
            items = _fold_set(av)
            if items is None:
                return False
            data[i] = (op, items)
        elif op in _NESTED:
            ok = _fold_tree(av[1].data)
        elif op is _BRANCH:
            ok = all(_fold_tree(alt.data) for alt in av[1])
        elif op is _SUBPATTERN:
            ok = not av[1] and not av[2] and _fold_tree(av[3].data)
        elif op in _REPEATS:
            ok = _fold_tree(av[2].data)
        else:
            ok = op in _PLAIN
        if op not in (_LITERAL, _NOT_LITERAL, _IN) and not ok:
            return False
    return True


@lru_cache(maxsize=1024)
def _twin(pattern: str, flags: int) -> re.Pattern[str] | None:
    try:
        parsed = _PARSER.parse(pattern, flags)
    except Exception:
        return None
    if not parsed.state.flags & re.IGNORECASE or not _fold_tree(parsed.data):
        return None
    parsed.state.flags &= ~re.IGNORECASE
    return cast(re.Pattern[str], _COMPILER.compile(parsed, flags & ~re.IGNORECASE))


def case_free(rx: Any) -> re.Pattern[str] | None:
    """The twin of a case-insensitive ``re`` pattern that matches ``fold(text)`` case-sensitively at the
    same spans as ``rx`` matches ``text`` (its groups hold folded text: take them from ``text`` by span);
    None when ``rx`` has none (case-sensitive, a user pattern, or a letter that folding would not keep)."""
    if not isinstance(rx, re.Pattern):
        return None
    return _twin(rx.pattern, rx.flags)


class FastPattern:
    """A pattern with its literals and its case-free twin: the same matches as the pattern, found faster.

    The twin finds where a match starts in the folded text; the pattern itself then matches at that
    offset of the text, so the match (groups, case) is exactly the one the pattern's own search gives."""

    def __init__(self, rx: Any) -> None:
        self.rx = rx
        self.twin = case_free(rx)
        self.lits = literals_of(rx)
        self._check = _Check(rx)

    def possible(self, text: str, folded: str) -> bool:
        """False when the pattern's literals are absent from ``text``."""
        return self._check.possible(text, folded)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        """``rx.search(text)``; ``folded`` is ``fold(text)``."""
        if not self.possible(text, folded):
            return None
        if self.twin is None:
            return cast("re.Match[str] | None", self.rx.search(text))
        m = self.twin.search(folded)
        return cast("re.Match[str] | None", self.rx.match(text, m.start())) if m else None

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """``rx.finditer(text)``; ``folded`` is ``fold(text)``."""
        if not self.possible(text, folded):
            return
        if self.twin is None:
            yield from self.rx.finditer(text)
            return
        for m in self.twin.finditer(folded):
            yield cast("re.Match[str]", self.rx.match(text, m.start()))


@lru_cache(maxsize=2048)
def fast_pattern(pattern: str | re.Pattern[str], flags: int = 0) -> FastPattern:
    """The ``FastPattern`` of a pattern (a string is compiled with ``flags``), built once: reading off its
    literals and compiling its twin cost far more than one search. The cue lists and pysbd's rules share it."""
    return FastPattern(re.compile(pattern, flags) if isinstance(pattern, str) else pattern)

