"""Pairwise comparison of a fact's figures: compatible by stated precision, explained by scope or by an update.

Shared by the conflict, agreement, update and scope checks, so that each says the same thing about a pair:

- ``tolerances``: every claim's tolerance interval (``reconcile.intervals.tolerance``) in the fact's main
  currency (others converted at the publication year's reference rate, ``rules/lexicon/fx.yml``).
- ``compat_matrix``: which pairs could both be right.
- ``scope_reason``: the qualifier that sets two figures apart (another place, group, time window, a part
  of a total, another thing counted, a plan against what was done), or None.
- ``update_reason``: the evidence that one figure updates the other (ordered times and a cumulative count
  growing, or a cue such as "stieg auf", "rose to", "revised"), or None.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reconcile.checks.base import Context
from reconcile.intervals import FxRates, Interval, claim_year, load_fx, read_lexicon_file, tolerance
from reconcile.lexicon import Lexicon, LexiconError
from reconcile.model import Claim

__all__ = ["UpdateLexicon", "load_update_lexicon", "tolerances", "compat_matrix", "scope_reason", "update_reason",
           "when", "is_cumulative", "PLANNED", "Pairs", "classify"]

PLANNED = ("planned", "hypothetical")


@dataclass(frozen=True)
class UpdateLexicon:
    """Cue patterns per language and the stems of cumulative quantities (``rules/lexicon/update.yml``)."""

    cues: dict[str, re.Pattern[str] | None]
    cumulative: frozenset[str]


@lru_cache(maxsize=8)
def load_update_lexicon(dirs: tuple[str, ...] = ()) -> UpdateLexicon:
    """``update.yml`` merged with the user's copies; a bad pattern is an error naming the file."""
    data = read_lexicon_file("update", dirs)
    cues: dict[str, re.Pattern[str] | None] = {}
    for lang, pats in (data.get("cues") or {}).items():
        if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
            raise LexiconError(f"update.yml: cues.{lang} must be a list of patterns")
        try:
            cues[str(lang)] = re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None
        except re.error as exc:
            raise LexiconError(f"update.yml: cues.{lang}: bad pattern: {exc}") from exc
    stems = data.get("cumulative") or []
    if not isinstance(stems, list) or not all(isinstance(s, str) for s in stems):
        raise LexiconError("update.yml: cumulative must be a list of word stems")
    return UpdateLexicon(cues, frozenset(s.lower() for s in stems))


def _stem_match(word: str | None, stems: frozenset[str]) -> bool:
    if not word:
        return False
    w = word.lower()
    return w in stems or any(len(s) >= 5 and w.endswith(s) for s in stems)


def is_cumulative(claims: list[Claim], ulex: UpdateLexicon) -> bool:
    """The fact counts something that only grows (a toll, cases, arrests): a thing listed in update.yml."""
    return any(_stem_match(c.counted, ulex.cumulative) or _stem_match(c.predicate, ulex.cumulative) for c in claims)


def has_cue(c: Claim, ulex: UpdateLexicon) -> bool:
    pat = ulex.cues.get(c.language)
    return bool(pat and pat.search(c.sentence))


def when(c: Claim, published: dict[str, str | None]) -> str:
    """The time a figure speaks of, for ordering: its as-of date, else its document's publication date."""
    return c.as_of or published.get(c.document) or ""


def _main_currency(claims: list[Claim]) -> str | None:
    units = Counter(c.unit for c in claims if c.unit_class == "money" and c.unit)
    return units.most_common(1)[0][0] if units else None


def tolerances(claims: list[Claim], lex: Lexicon | None, fx: FxRates | None = None,
               published: dict[str, str | None] | None = None) -> list[Interval]:
    """Each claim's tolerance interval; money in another currency converted to the fact's main one."""
    fx = fx or load_fx()
    target = _main_currency(claims)
    out = []
    for c in claims:
        if target and c.unit and c.unit != target and c.unit_class == "money":
            f = fx.factor(c.unit, target, claim_year(c, (published or {}).get(c.document)))
            if f is not None:
                lo, hi = tolerance(c, lex, fx.spread)
                out.append((lo * f, hi * f))
                continue
        out.append(tolerance(c, lex))
    return out


def compat_matrix(tol: list[Interval], rows: slice | None = None) -> np.ndarray:
    """``m[i, j]``: claims i (of ``rows``) and j have compatible tolerance intervals."""
    lo = np.array([t[0] for t in tol], dtype=np.float64)
    hi = np.array([t[1] for t in tol], dtype=np.float64)
    r = rows or slice(0, len(tol))
    top = np.maximum(lo[r, None], lo[None, :])
    bottom = np.minimum(hi[r, None], hi[None, :])
    point = (lo == hi)
    return (top < bottom) | ((top == bottom) & (point[r, None] | point[None, :]))


def _places(c: Claim, lex: Lexicon | None) -> frozenset[str]:
    return frozenset(lex.place_key(p) if lex else p.lower() for p in c.places)


def scope_reason(a: Claim, b: Claim, lex: Lexicon | None) -> str | None:
    """What sets the two figures apart in scope, in words, or None when nothing does."""
    if (a.modality in PLANNED) != (b.modality in PLANNED):
        return "modality"
    if a.part_of != b.part_of:
        return "part_of"
    if a.counted_group and b.counted_group and a.counted_group != b.counted_group:
        return "counted"
    if a.group and b.group and a.group.lower() != b.group.lower():
        return "group"
    if a.window and b.window and a.window.lower() != b.window.lower():
        return "window"
    pa, pb = _places(a, lex), _places(b, lex)
    if pa and pb and not pa & pb:
        return "places"
    return None


def update_reason(a: Claim, b: Claim, cumulative: bool, ulex: UpdateLexicon,
                  published: dict[str, str | None], first: dict[float, str] | None = None,
                  cued: frozenset[float] = frozenset()) -> str | None:
    """Why ``b`` updates ``a`` (b later, or b with a cue), or None: differing values alone are no update.

    ``first``: when each figure was first reported in the fact (a figure repeated later is still as old);
    ``cued``: figures reported somewhere in the fact with an update cue (its repeats carry the cue too).
    ``cumulative``: the fact counts something that only grows; a figure with a cumulative cue ("bisher",
    "so far") counts as such too.
    """
    if a.modality in PLANNED or b.modality in PLANNED:
        return None
    cumulative = cumulative or b.cumulative
    ta, tb = when(a, published), when(b, published)
    if first:
        ta, tb = first.get(a.value, ta), first.get(b.value, tb)
    later = bool(ta and tb and tb > ta)
    if not later and ta and tb and tb < ta:
        return None
    if later and cumulative and b.value > a.value:
        return f"a cumulative count grew from {a.surface} ({ta}) to {b.surface} ({tb})"
    if (has_cue(b, ulex) or b.value in cued) and (later or ta == tb or not ta or not tb) and b.value != a.value:
        return f"{b.surface} is reported as a change" + (f" ({tb})" if tb else "")
    return None


@dataclass
class Pairs:
    """A fact's figures from different documents that cannot both be right, sorted by what explains them."""

    claims: list[Claim]
    tol: list[Interval]
    conflict: list[tuple[Claim, Claim]]
    update: list[tuple[Claim, Claim, str]]  # (earlier, later, evidence)
    scope: list[tuple[Claim, Claim, str]]  # (a, b, the qualifier that differs)


def _signature(c: Claim, t: Interval, cue: bool, published: dict[str, str | None]) -> tuple[object, ...]:
    """Claims with equal signatures are judged alike against every other claim: pairs are formed once."""
    return (c.document, t, c.modality in PLANNED, c.part_of, c.counted_group, c.group, c.window,
            tuple(sorted(c.places)), when(c, published), c.value, cue, c.counted, c.predicate, c.cumulative)


def _judge_pair(a: Claim, b: Claim, ctx: Context, cumulative: bool, ulex: UpdateLexicon, out: Pairs,
                first: dict[float, str], cued: frozenset[float]) -> None:
    reason = scope_reason(a, b, ctx.lexicon)
    if reason:
        out.scope.append((a, b, reason))
        return
    pub = ctx.published
    for x, y in ((a, b), (b, a)):
        why = update_reason(x, y, cumulative, ulex, pub, first, cued)
        if why:
            out.update.append((x, y, why))
            return
    out.conflict.append((a, b))


def classify(ctx: Context, claims: list[Claim], extra: float = 0.0) -> Pairs:
    """Every pair of incompatible figures from two documents: a scope difference, an update, or a conflict.

    A pair is left out when each of the two documents also states a figure compatible with the other's
    (both report the same set of figures: one fact told with several figures). ``extra`` widens every
    tolerance by that share of the figure (a rule's ``tolerance``). Memoised per claim set.
    """
    memo = ctx.shared.setdefault("compare.classify", {})
    key = (ctx.fact.id, tuple(c.id for c in claims), extra)
    if key in memo:
        return memo[key]  # type: ignore[no-any-return]
    ulex = load_update_lexicon(ctx.rules_dirs)
    pub = ctx.published
    tol = [(lo - abs(c.value) * extra, hi + abs(c.value) * extra)
           for c, (lo, hi) in zip(claims, tolerances(claims, ctx.lexicon, ctx.fx, pub))]
    out = Pairs(claims, tol, [], [], [])
    reps: dict[tuple[object, ...], int] = {}
    for i, c in enumerate(claims):
        reps.setdefault(_signature(c, tol[i], has_cue(c, ulex), pub), i)
    idx = list(reps.values())
    if len(idx) > 1:
        sub = [tol[i] for i in idx]
        compat = compat_matrix(sub)
        doc = np.array([hash(claims[i].document) for i in idx])
        docs = sorted(set(doc.tolist()))
        onehot = (doc[:, None] == np.array(docs)[None, :]).astype(np.int32)
        has = (compat.astype(np.int32) @ onehot) > 0  # has[i, d]: document d states a figure compatible with i
        col = {d: k for k, d in enumerate(docs)}
        cumulative = is_cumulative(claims, ulex)
        cued = frozenset(c.value for c in claims if has_cue(c, ulex))
        first: dict[float, str] = {}
        for c in claims:
            t = when(c, pub)
            if t and (c.value not in first or t < first[c.value]):
                first[c.value] = t
        bad = np.argwhere(np.triu(~compat & (doc[:, None] != doc[None, :]), 1))
        for i, j in bad.tolist():
            if has[j, col[int(doc[i])]] and has[i, col[int(doc[j])]]:
                continue
            _judge_pair(claims[idx[i]], claims[idx[j]], ctx, cumulative, ulex, out, first, cued)
    memo[key] = out
    return out
