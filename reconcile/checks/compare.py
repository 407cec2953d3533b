"""Pairwise comparison of a fact's figures: compatible by stated precision, explained by scope or by an update.

Shared by the conflict, agreement, update and scope checks, so that each says the same thing about a pair:

- ``tolerances``: every claim's tolerance interval (``reconcile.intervals.tolerance``) in the fact's main
  currency (others converted at the publication year's reference rate, ``rules/lexicon/fx.yml``).
- ``compat_matrix``: which pairs could both be right.
- ``classify``: every incompatible pair of figures from two documents, as a scope difference (another
  place, group, time window, a part of a total, another thing counted, a plan against what was done), an
  update (ordered times and a cumulative count growing, or a cue such as "stieg auf", "rose to", "revised";
  a figure counts from when it was first reported) or a conflict, judged in pairwise matrices.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import simplemma

from reconcile.checks.base import Context
from reconcile.intervals import FxRates, Interval, claim_year, load_fx, read_lexicon_file, tolerance
from reconcile.lexicon import Lexicon, LexiconError
from reconcile.model import Claim
from reconcile.units import canonical

__all__ = ["UpdateLexicon", "load_update_lexicon", "tolerances", "conversions", "compat_matrix", "when",
           "is_cumulative", "grows", "is_forecast", "is_told_earlier", "nested_places", "with_named", "PLANNED",
           "Pairs", "classify",
           "PAIR_CAP", "groups_apart", "is_increment", "group_words", "places_of", "window_key", "claim_memo",
           "ClaimMemo", "stated_values"]

PLANNED = ("planned", "hypothetical")
_T = TypeVar("_T")
ClaimMemo = dict[tuple[str, str], tuple[Claim, Any]]  # (what, claim id) -> (that claim, its value)


def claim_memo(ctx: Context) -> ClaimMemo:
    """The run's memo of what a claim alone decides (its tolerance interval, update cue, forecast, places):
    the same claim is compared in many facts and sibling probes, so each is read once per run."""
    return ctx.per_run("compare.per_claim", ctx.claims_by_id, dict)


def _once(memo: ClaimMemo | None, what: str, c: Claim, compute: Callable[[], _T]) -> _T:
    """``compute()`` for claim ``c``, kept in ``memo`` (when given) for this very claim object."""
    if memo is None:
        return compute()
    hit = memo.get((what, c.id))
    if hit is not None and hit[0] is c:
        return hit[1]  # type: ignore[no-any-return]
    value = compute()
    memo[(what, c.id)] = (c, value)
    return value


@dataclass(frozen=True)
class UpdateLexicon:
    """Cue patterns per language, how near the figure a cue must stand, and the stems of cumulative quantities
    (``rules/lexicon/update.yml``)."""

    cues: dict[str, re.Pattern[str] | None]
    cumulative: frozenset[str]
    cue_window: int = 6  # words between a cue and the figure it speaks of, at most
    to_date: re.Pattern[str] | None = None  # windows that run up to a time ("bis Samstag", "so far"): as-of times
    forecasts: dict[str, re.Pattern[str] | None] = field(default_factory=dict)  # "erwartet", "forecast"
    others: frozenset[str] = frozenset()  # "other", "weitere": a count that leaves out the one named
    increments: frozenset[str] = frozenset()  # "neue", "new": a count of the new ones since the last report
    earlier: dict[str, re.Pattern[str] | None] = field(default_factory=dict)  # "in einer ersten Schätzung"
    light: frozenset[str] = frozenset()  # "geben", "melden", "reported": verbs that name no act of their own


@lru_cache(maxsize=8)
def load_update_lexicon(dirs: tuple[str, ...] = ()) -> UpdateLexicon:
    """``update.yml`` merged with the user's copies; a bad pattern is an error naming the file."""
    data = read_lexicon_file("update", dirs)
    cues = _per_language(data, "cues")
    stems = data.get("cumulative") or []
    if not isinstance(stems, list) or not all(isinstance(s, str) for s in stems):
        raise LexiconError("update.yml: cumulative must be a list of word stems")
    window = data.get("cue_window", 6)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise LexiconError("update.yml: cue_window must be a whole number of words, 0 or more")
    return UpdateLexicon(cues, frozenset(s.lower() for s in stems), window, _to_date(data.get("to_date_windows")),
                         _per_language(data, "forecasts"), _words(data, "others"), _words(data, "increments"),
                         _per_language(data, "earlier_figures"), _words(data, "light_predicates"))


def _words(data: dict[str, object], key: str) -> frozenset[str]:
    """``key``'s words of every language, lower case; a malformed list is an error naming the key."""
    table = data.get(key) or {}
    if not isinstance(table, dict) or not all(isinstance(v, list) and all(isinstance(w, str) for w in v)
                                              for v in table.values()):
        raise LexiconError(f"update.yml: {key} must map languages to lists of words")
    return frozenset(w.lower() for v in table.values() for w in v)


def _per_language(data: dict[str, object], key: str) -> dict[str, re.Pattern[str] | None]:
    """``key``'s patterns of each language as one pattern per language; a bad one is an error naming the key."""
    out: dict[str, re.Pattern[str] | None] = {}
    table = data.get(key) or {}
    if not isinstance(table, dict):
        raise LexiconError(f"update.yml: {key} must map languages to lists of patterns")
    for lang, pats in table.items():
        if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
            raise LexiconError(f"update.yml: {key}.{lang} must be a list of patterns")
        try:
            out[str(lang)] = re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None
        except re.error as exc:
            raise LexiconError(f"update.yml: {key}.{lang}: bad pattern: {exc}") from exc
    return out


def _to_date(pats: object) -> re.Pattern[str] | None:
    """The ``to_date_windows`` patterns of every language as one pattern (windows are matched as written)."""
    if pats is None:
        return None
    if not isinstance(pats, dict) or not all(isinstance(v, list) and all(isinstance(p, str) for p in v)
                                             for v in pats.values()):
        raise LexiconError("update.yml: to_date_windows must map languages to lists of patterns")
    flat = [p for v in pats.values() for p in v]
    try:
        return re.compile("|".join(f"(?:{p})" for p in flat), re.I) if flat else None
    except re.error as exc:
        raise LexiconError(f"update.yml: to_date_windows: bad pattern: {exc}") from exc


@lru_cache(maxsize=65536)
def _stem_match(word: str | None, stems: frozenset[str]) -> bool:
    """``word`` (or its last part after a hyphen: "Coronavirus-Fall") is a listed stem, or ends with one of five
    letters or more; cached (facts repeat words)."""
    if not word:
        return False
    w = word.lower()
    return w in stems or w.rsplit("-", 1)[-1] in stems or any(len(s) >= 5 and w.endswith(s) for s in stems)


def is_cumulative(claims: list[Claim], ulex: UpdateLexicon) -> bool:
    """The fact counts something that only grows (a toll, cases, arrests): at least half its claims count a
    thing or use a predicate listed in update.yml (one claim's "killed" does not make a crowd a toll).

    Measured quantities (metres, kilograms, degrees: a canonical unit) are never such counts, whatever the
    sentence's verb ("slipped 60 metres and died").
    """
    if any(c.unit_canonical for c in claims):
        return False
    return 2 * sum(_own_cumulative(c, ulex) for c in claims) >= len(claims)


def _figure_span(c: Claim) -> tuple[int, int]:
    """Where the figure stands in its sentence: by its offsets, else where its surface is written, else nowhere."""
    a = c.start - c.sentence_start
    if 0 <= a < len(c.sentence) and c.sentence[a:a + len(c.surface)] == c.surface:
        return a, a + len(c.surface)
    found = c.sentence.find(c.surface) if c.surface else -1
    return (found, found + len(c.surface)) if found >= 0 else (-1, -1)


def grows(c: Claim, fact_cumulative: bool, ulex: UpdateLexicon) -> bool:
    """The figure is of a quantity that only grows: the fact is cumulative (``is_cumulative``), the claims
    stage marked it so, or its own counted thing or predicate is listed in update.yml. Measured quantities
    never are."""
    if c.unit_canonical:
        return False
    return fact_cumulative or c.cumulative or _own_cumulative(c, ulex)


def _own_cumulative(c: Claim, ulex: UpdateLexicon) -> bool:
    """The claim's own counted thing or predicate is a listed stem of a quantity that only grows."""
    return _stem_match(c.counted, ulex.cumulative) or _stem_match(c.predicate, ulex.cumulative)


def has_cue(c: Claim, ulex: UpdateLexicon) -> bool:
    """An update cue of the figure's language ("stieg auf", "rose to", "inzwischen", "revised") stands within
    ``cue_window`` words of the figure: a "nun" or "now" elsewhere in a long sentence speaks of something else."""
    return _near(c, ulex.cues.get(c.language), ulex.cue_window)


def is_forecast(c: Claim, ulex: UpdateLexicon) -> bool:
    """The figure is a forecast or an expectation ("Analysten hatten zwei Prozent erwartet", "is forecast to"):
    a forecast word of ``forecasts`` stands within ``cue_window`` words of it. A later stated figure is the
    outcome, a scope question beside the forecast, not a conflict with it."""
    return c.modality not in PLANNED and _near(c, ulex.forecasts.get(c.language), ulex.cue_window)


def _near(c: Claim, pat: re.Pattern[str] | None, window: int) -> bool:
    """``pat`` matches within ``window`` words of the figure in its sentence (anywhere when its place is unknown)."""
    if not pat:
        return False
    a, b = _figure_span(c)
    for m in pat.finditer(c.sentence):
        if a < 0:
            return True  # the figure's place is unknown: the sentence's cue is all there is
        gap = c.sentence[b:m.start()] if m.start() >= b else c.sentence[m.end():a]
        if len(gap.split()) <= window:
            return True
    return False


def is_told_earlier(c: Claim, ulex: UpdateLexicon) -> bool:
    """The figure is told as an earlier one ("in einer ersten Schätzung war von 10,1 Prozent ausgegangen",
    "had initially reported 12"): an ``earlier_figures`` pattern stands within ``cue_window`` words of it. Beside
    another figure of its own document that does not fit it, it is a superseded figure (``classify``)."""
    return _near(c, ulex.earlier.get(c.language), ulex.cue_window)


def is_increment(c: Claim, ulex: UpdateLexicon) -> bool:
    """The figure counts the new ones since the last report ("41 neue Fälle", "39 weitere Infizierte", "12 new
    cases", "weitere 39 Menschen"): an ``increments`` word among its modifiers, in its counted phrase or just
    before the figure."""
    if not ulex.increments:
        return False
    words = {w.lower() for w in c.modifiers} | set(re.findall(r"\w+", (c.counted_text or "").lower()))
    a, _ = _figure_span(c)
    before = re.findall(r"\w+", c.sentence[:a].lower()) if a > 0 else []
    return bool(words & ulex.increments) or bool(before and before[-1] in ulex.increments)


def when(c: Claim, published: dict[str, str | None]) -> str:
    """The time a figure speaks of, for ordering: its as-of date, else its document's publication date."""
    return c.as_of or published.get(c.document) or ""


def _main_currency(claims: list[Claim]) -> str | None:
    units = Counter(c.unit for c in claims if c.unit_class == "money" and c.unit)
    return units.most_common(1)[0][0] if units else None


def _conversion(c: Claim, target: str | None, fx: FxRates, published: dict[str, str | None]) -> str | None:
    """The year of the reference rate converting ``c`` into the fact's main currency, or None (no conversion)."""
    if not target or not c.unit or c.unit == target or c.unit_class != "money":
        return None
    year = claim_year(c, published.get(c.document))
    return year or "" if fx.factor(c.unit, target, year) is not None else None


def _terms(claims: list[Claim], fx: FxRates | None, published: dict[str, str | None] | None
           ) -> tuple[FxRates, dict[str, str | None], str | None, bool]:
    """The terms a fact's figures are compared in (``tolerances``, ``stated_values``): the reference rates, the
    documents' publication dates, the fact's main currency, and whether it mixes units of one class."""
    return fx or load_fx(), published or {}, _main_currency(claims), _mixed_units(claims)


def tolerances(claims: list[Claim], lex: Lexicon | None, fx: FxRates | None = None,
               published: dict[str, str | None] | None = None, ulex: UpdateLexicon | None = None,
               memo: ClaimMemo | None = None) -> list[Interval]:
    """Each claim's tolerance interval; money in another currency converted to the fact's main one, widened by
    the spread of that year's daily rates (``FxRates.spread_for``); a count of "others" reaches one more
    (``with_named``). ``memo`` (``claim_memo``): keep each claim's own interval for the run."""
    ulex = ulex or load_update_lexicon()
    fx, pub, target, mixed_units = _terms(claims, fx, published)
    out = []
    for c in claims:
        year = _conversion(c, target, fx, pub)
        if year is not None and target:
            out.append(_once(memo, f"tolerance {target} {year}", c, lambda: _converted(c, target, year, lex, fx)))
            continue
        if mixed_units:
            own = _once(memo, "tolerance", c, lambda: tolerance(c, lex))
            out.append(with_named(c, _in_canonical(c, own, lex), ulex))
        else:  # one look-up of the claim's own interval with its named one, read once per run
            out.append(_once(memo, "named", c,
                             lambda: with_named(c, _once(memo, "tolerance", c, lambda: tolerance(c, lex)), ulex)))
    return out


def stated_values(claims: list[Claim], lex: Lexicon | None, fx: FxRates | None = None,
                  published: dict[str, str | None] | None = None) -> list[float]:
    """Each claim's stated figure in the terms of ``tolerances`` (money in the fact's main currency, a measured
    figure in its class's canonical unit when the fact mixes units), so it can be set against the intervals."""
    fx, pub, target, mixed_units = _terms(claims, fx, published)
    out = []
    for c in claims:
        year = _conversion(c, target, fx, pub)
        if year is not None and target and c.unit:
            out.append(c.value * (fx.factor(c.unit, target, year or None) or 1.0))
        else:
            out.append(_in_canonical(c, (c.value, c.value), lex)[0] if mixed_units else c.value)
    return out


def _converted(c: Claim, target: str, year: str, lex: Lexicon | None, fx: FxRates) -> Interval:
    """``c``'s tolerance interval in the currency ``target`` at ``year``'s reference rate ("" for the latest),
    widened by the spread of that year's rates (``_conversion`` found the rate)."""
    f = fx.factor(c.unit or "", target, year or None)
    assert f is not None  # _conversion found a rate
    lo, hi = tolerance(c, lex, fx.spread_for(c.unit or "", target, year or None))
    return lo * f, hi * f


def with_named(c: Claim, t: Interval, ulex: UpdateLexicon) -> Interval:
    """A count of the others of a group ("the two other hikers", "etwa 25 weitere Gäste", "his two
    companions") leaves out the one the sentence names: the group may be one more ("one of three men"), so the
    interval reaches one further."""
    if not ulex.others or c.unit_canonical or c.unit_class in ("money", "percent"):
        return t
    words = {w.lower() for w in c.modifiers} | set(re.findall(r"\w+", (c.group or "").lower()))
    words.add((c.counted or "").lower())
    return (t[0], t[1] + 1) if words & ulex.others else t


def _mixed_units(claims: list[Claim]) -> bool:
    """The fact's measured figures are written in more than one unit ("200 feet", "60 metres")."""
    return len({c.unit for c in claims if c.unit_canonical}) > 1


def _in_canonical(c: Claim, t: Interval, lex: Lexicon | None) -> Interval:
    """A measured figure's interval in its class's canonical unit, so that "200 feet" (about 61 metres) and
    "200 metres" compare as lengths, not as the numbers written; other figures as they are."""
    if not c.unit_canonical or not c.unit or lex is None:
        return t
    target, convert = canonical(c.unit, lex)
    if target != c.unit_canonical:
        return t
    lo, hi = (convert(x) if math.isfinite(x) else x for x in t)
    return (lo, hi) if lo <= hi else (hi, lo)


def conversions(claims: list[Claim], fx: FxRates, published: dict[str, str | None]) -> list[str]:
    """Each currency conversion the comparison made, with its rate, year and source (for the explanation)."""
    target = _main_currency(claims)
    seen = {(c.unit, y) for c in claims if (y := _conversion(c, target, fx, published)) is not None}
    return [fx.describe(unit or "", target or "", y or None) for unit, y in sorted(seen, key=str)]


def compat_matrix(tol: list[Interval], rows: slice | None = None) -> np.ndarray:
    """``m[i, j]``: claims i (of ``rows``) and j have compatible tolerance intervals."""
    lo = np.array([t[0] for t in tol], dtype=np.float64)
    hi = np.array([t[1] for t in tol], dtype=np.float64)
    r = rows or slice(0, len(tol))
    top = np.maximum(lo[r, None], lo[None, :])
    bottom = np.minimum(hi[r, None], hi[None, :])
    point = (lo == hi)
    return (top < bottom) | ((top == bottom) & (point[r, None] | point[None, :]))


def places_of(c: Claim, lex: Lexicon | None) -> frozenset[str]:
    """The places a figure is for, as comparable keys (``Lexicon.place_key``: a country's names are one key)."""
    return frozenset(lex.place_key(p) if lex else p.lower() for p in c.places)


def _evidence(x: Claim, y: Claim, tx: str, ty: str, y_grows: bool, y_forecast: bool = False,
              y_revised: bool = False) -> str:
    """The evidence that ``y`` updates ``x``, in words (the matrices of ``_update_mask`` decided it)."""
    if y_forecast:
        return f"a later forecast, {y.surface} ({ty}), revised {x.surface} ({tx})"
    if tx and ty and ty > tx and y_grows and y.value > x.value:
        return f"a cumulative count grew from {x.surface} ({tx}) to {y.surface} ({ty})"
    if tx and tx == ty and y_grows and y.value > x.value:
        return (f"a running count read at two times of one day, {x.surface} and {y.surface} ({tx}), "
                "grew further later")
    if y_revised:
        return (f"{y.surface}" + (f" ({ty})" if ty else "") + " is reported as the revision of an earlier figure, "
                + x.surface + (f" ({tx})" if tx else ""))
    return f"{y.surface} is reported as a change" + (f" ({ty})" if ty else "")


# pairs of each kind kept as examples (for messages and evidence); counts and involved claims stay complete
PAIR_CAP = 500
_SCOPE_ORDER = ("modality", "part_of", "counted", "group", "window", "increment", "places")


@dataclass
class Pairs:
    """A fact's figures from different documents that cannot both be right, sorted by what explains them."""

    claims: list[Claim]
    tol: list[Interval]
    conflict: list[tuple[Claim, Claim]]
    update: list[tuple[Claim, Claim, str]]  # (earlier, later, evidence)
    scope: list[tuple[Claim, Claim, str]]  # (a, b, the qualifier that differs)
    conflict_count: int = 0
    conflict_claims: list[Claim] = field(default_factory=list)  # every claim in an unexplained pair


_Flags = tuple[bool, bool, bool, bool, tuple[object, ...]]  # cue, forecast, plan, told earlier, signature


def _flags(c: Claim, ulex: UpdateLexicon, published: dict[str, str | None]) -> _Flags:
    """What a claim alone tells ``classify``: an update cue near it, a forecast, a plan (or hypothetical, or
    forecast), told as an earlier figure; and its signature but for its interval: claims with equal signatures and
    intervals are judged alike against every other claim, so pairs are formed once."""
    cue, forecast, earlier = has_cue(c, ulex), is_forecast(c, ulex), is_told_earlier(c, ulex)
    plan = c.modality in PLANNED or forecast
    return cue, forecast, plan, earlier, (c.document, plan, c.part_of, c.counted_group, c.group, c.window,
                                          tuple(sorted(c.places)), when(c, published), c.value, cue, c.counted,
                                          c.predicate, c.cumulative, earlier)


def _codes(values: list[object]) -> np.ndarray:
    """Small integers for values, -1 for a missing one (None or empty)."""
    seen: dict[object, int] = {}
    return np.array([seen.setdefault(v, len(seen)) if v else -1 for v in values], dtype=np.int64)


def _differ(codes: np.ndarray) -> np.ndarray:
    """``m[i, j]``: both have a value and the values differ."""
    known = codes >= 0
    return known[:, None] & known[None, :] & (codes[:, None] != codes[None, :])


def window_key(c: Claim, to_date: re.Pattern[str] | None) -> str:
    """The window a figure covers, for comparison; none for a window running up to a time ("bis Samstag",
    "bislang", "so far"): two such figures differ in their as-of time, which is the update check's question."""
    w = (c.window or "").strip()
    return "" if not w or (to_date is not None and to_date.search(w)) else w.lower()


def group_words(c: Claim) -> frozenset[str]:
    """The words of the population group, lower case, punctuation dropped ("AK-47 rifles"), each as its lemma:
    "des Bruttoinlandsproduktes" and "des Bruttoinlandsprodukts", "Pflegekräfte" and "Pflegekräften" name one
    group in two inflections."""
    return _group_words(c.group or "", c.language)


@lru_cache(maxsize=65536)
def _group_words(group: str, language: str) -> frozenset[str]:
    """``group_words`` of one group as written in one language (groups repeat across claims)."""
    lang = language if language in ("de", "en") else "en"
    return frozenset(simplemma.lemmatize(w, lang=lang).lower() for w in re.findall(r"\w+", group))


def groups_apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two groups' words (``group_words``) name two groups: both are named and neither holds the other's."""
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _groups_differ(reps: list[Claim]) -> np.ndarray:
    """``m[i, j]``: both name a group and neither names a part of the other's words: "Englishman Robert
    Buckley" and "Robert Buckley" are one group told in more or fewer words; "Geimpfte über 80" and
    "Pflegekräfte" are two."""
    return _apart([group_words(c) for c in reps], groups_apart)


def _apart(values: list[Any], apart: Callable[[Any, Any], bool]) -> np.ndarray:
    """``m[i, j]``: both have a value (see ``_codes``) and ``apart`` holds for the two; ``apart`` is asked once
    per pair of distinct values, which are few beside the figures."""
    code = _codes(values)
    uniq = list(dict.fromkeys(v for v in values if v))  # in the order of their codes
    if not uniq:
        return np.zeros((len(values), len(values)), dtype=bool)
    rel = np.array([[apart(a, b) for b in uniq] for a in uniq], dtype=bool)
    known = code >= 0
    safe = np.where(known, code, 0)
    return known[:, None] & known[None, :] & rel[safe[:, None], safe[None, :]]


def nested_places(claims: list[Claim], lex: Lexicon | None) -> frozenset[frozenset[str]]:
    """Pairs of place keys that one figure names together ("in Görlitz in Sachsen": a city in its state) or
    that are a capital and its country ("city:KP" and "KP"): one lies in the other."""
    out: set[frozenset[str]] = set()
    for c in claims:
        keys = sorted(places_of(c, lex))
        out.update(frozenset((a, b)) for i, a in enumerate(keys) for b in keys[i + 1:])
        out.update(frozenset((k, k[5:])) for k in keys if k.startswith("city:"))
    return frozenset(out)


def _places_apart(a: frozenset[str], b: frozenset[str], nested: frozenset[frozenset[str]]) -> bool:
    """Two sets of places with none in common and none lying in another ("Görlitz", "Sachsen")."""
    if a & b:
        return False
    return not any(frozenset((x, y)) in nested or x == "city:" + y or y == "city:" + x for x in a for y in b)


def _scope_masks(reps: list[Claim], lex: Lexicon | None, to_date: re.Pattern[str] | None = None,
                 plans: list[bool] | None = None, nested: frozenset[frozenset[str]] = frozenset(),
                 new_on: list[str] | None = None, memo: ClaimMemo | None = None) -> dict[str, np.ndarray]:
    """One pairwise matrix per scope qualifier (the vectorised ``scope_reason``); ``plans``: each figure is a
    plan, a hypothetical or a forecast (default: by its modality); ``nested``: place pairs of which one lies
    in the other (``nested_places``); ``new_on``: the day of each figure that counts the new ones
    (``is_increment``), else "": the new ones of two different days are two counts. ``memo``: ``claim_memo``."""
    planned = np.array(plans if plans is not None else [c.modality in PLANNED for c in reps], dtype=bool)
    part = np.array([c.part_of for c in reps])
    places = [_once(memo, "places", c, lambda: places_of(c, lex)) for c in reps]
    pm = _apart(places, lambda a, b: _places_apart(a, b, nested))
    return {"modality": planned[:, None] != planned[None, :], "part_of": part[:, None] != part[None, :],
            "counted": _differ(_codes([c.counted_group for c in reps])),
            "group": _groups_differ(reps),
            "window": _differ(_codes([window_key(c, to_date) for c in reps])), "places": pm,
            "increment": _new_apart(new_on or [""] * len(reps))}


def _new_apart(new_on: list[str]) -> np.ndarray:
    """``m[i, j]``: both figures count the new ones, of two different days."""
    day = np.array(new_on, dtype=object)
    known = day != ""
    return known[:, None] & known[None, :] & (day[:, None] != day[None, :])


def _update_mask(reps: list[Claim], cum: np.ndarray, cue: np.ndarray, first: list[str],
                 planned: np.ndarray | None = None, forecast: np.ndarray | None = None,
                 revision: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``m[x, y]``: y updates x: y is later and larger and of a quantity that only grows (``cum``, see ``grows``),
    or y is cued as a change and not earlier (``first`` times per claim), or y is of a revised value and x is
    earlier or of a value told as superseded (``revision``: per figure, whether its value is a superseded one,
    whether a revised one, see ``_revisions``), or both are readings of one day of a count that grows past
    them (``_through_the_day``)."""
    t = _ranks(first)
    known = t >= 0
    later = known[:, None] & known[None, :] & (t[None, :] > t[:, None])
    earlier = known[:, None] & known[None, :] & (t[None, :] < t[:, None])
    value = np.array([c.value for c in reps], dtype=np.float64)
    actual = ~planned if planned is not None else np.array([c.modality not in PLANNED for c in reps])
    grown = (later | _through_the_day(first, cum, value)) & cum[None, :] & (value[None, :] > value[:, None])
    cued = cue[None, :] & ~earlier & (value[None, :] != value[:, None])
    if revision is not None:
        old, new = revision
        cued |= new[None, :] & (later | (old[:, None] & ~earlier))
    out = actual[:, None] & actual[None, :] & (grown | cued)
    if forecast is not None:  # a forecast made later revises an earlier one (analysts expected 2, then 3)
        out |= forecast[:, None] & forecast[None, :] & later & (value[None, :] != value[:, None])
    return out


def _through_the_day(first: list[str], cum: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``m[x, y]``: x and y are figures of one day (``first`` times, by their date), neither ordered before the
    other, of a quantity that only grows, and a figure of a later day is larger than each: readings of a
    running count taken at different hours of that day ("6.4 million downloads", "more than 6.5 million" on
    release day, "nearly 8 million" the next), so the larger is the later one, not a contradiction."""
    d = _ranks([str(x)[:10] if x else "" for x in first])
    known = d >= 0
    pair = known[:, None] & known[None, :]
    outgrown = (pair & (d[None, :] > d[:, None]) & cum[None, :] & (value[None, :] > value[:, None])).any(axis=1)
    same = np.array(first, dtype=object)  # one time, so one day
    return pair & (same[:, None] == same[None, :]) & cum[:, None] & outgrown[:, None] & outgrown[None, :]


def _ranks(times: list[str]) -> np.ndarray:
    """Each time's rank among the distinct known ``times`` (ISO strings sort in time order), -1 where unknown."""
    rank = {x: k for k, x in enumerate(sorted({t for t in times if t}))}
    return np.array([rank[x] if x else -1 for x in times], dtype=np.int64)


def _run_nesting(ctx: Context) -> frozenset[frozenset[str]]:
    """``nested_places`` over every claim of the run (a city named in its state by any document), built once."""
    pool = ctx.claims_by_id
    return ctx.per_run("compare.nested", pool,
                       lambda: nested_places(list(pool.values()) if pool else ctx.claims, ctx.lexicon))


def _reason(masks: dict[str, np.ndarray], i: int, j: int) -> str:
    return next(k for k in _SCOPE_ORDER if masks[k][i, j])


def classify(ctx: Context, claims: list[Claim], extra: float = 0.0) -> Pairs:
    """Every pair of incompatible figures from two documents: a scope difference, an update, or a conflict.

    A pair is left out when either document also states a bounded figure compatible with the other's: that
    document agrees with the other on it, and its own second figure is about something else (a document does not
    contradict itself; its figures are never compared with each other). ``extra`` widens every
    tolerance by that share of the figure (a rule's ``tolerance``). Pairs are judged in matrices over the
    distinct claims; memoised per claim set.
    """
    memo = ctx.shared.setdefault("compare.classify", {})
    key = (ctx.fact.id, tuple(c.id for c in claims), extra)
    if key in memo:
        return memo[key]  # type: ignore[no-any-return]
    ulex = load_update_lexicon(ctx.rules_dirs)
    pub = ctx.published
    per_claim = claim_memo(ctx)
    tol = [(lo - abs(c.value) * extra, hi + abs(c.value) * extra)
           for c, (lo, hi) in zip(claims, tolerances(claims, ctx.lexicon, ctx.fx, pub, ulex, per_claim))]
    out = Pairs(claims, tol, [], [], [])
    flags = [_once(per_claim, "flags", c, lambda: _flags(c, ulex, pub)) for c in claims]
    reps_at: dict[tuple[object, ...], int] = {}
    for i, f in enumerate(flags):
        reps_at.setdefault((f[4], tol[i]), i)
    idx = list(reps_at.values())
    if len(idx) > 1:
        cues, forecasts = [f[0] for f in flags], [f[1] for f in flags]
        plans, earlier = [f[2] for f in flags], [f[3] for f in flags]
        _classify_reps(ctx, claims, idx, tol, (cues, plans, forecasts, earlier), ulex, out)
    memo[key] = out
    return out


def _told_apart(compat: np.ndarray, doc: np.ndarray, bounded: np.ndarray, states: np.ndarray) -> np.ndarray:
    """``m[i, j]``: some document states figures like both, and two of its figures do not fit each other ("45
    million in all, 43 million of it to one company"): the two are two quantities of the story told side by
    side, so a document that states only one of them does not contradict one that states the other."""
    apart = (doc[:, None] == doc[None, :]) & ~compat & bounded[:, None] & bounded[None, :]
    two = np.zeros(states.shape[1], dtype=bool)
    two[doc[apart.any(axis=1)]] = True  # documents stating two figures that do not fit each other
    out = np.zeros(compat.shape, dtype=bool)
    for d in np.flatnonzero(two).tolist():  # few documents do: one outer product each
        out |= states[:, d, None] & states[None, :, d]
    return out


def _states(compat: np.ndarray, doc: np.ndarray, bounded: np.ndarray) -> np.ndarray:
    """``m[j, d]``: document ``d`` (a code of ``_codes``, 0 to its largest; -1, no document, has no column)
    states a bounded figure compatible with figure ``j``: an OR over each document's columns of ``compat``,
    one ``reduceat`` over them sorted by document."""
    states = np.zeros((compat.shape[0], int(doc.max(initial=-1)) + 1), dtype=bool)
    order = np.argsort(doc, kind="stable")
    order = order[doc[order] >= 0]
    ranked = doc[order]
    if len(ranked):
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        states[:, ranked[starts]] = np.logical_or.reduceat(compat[:, order] & bounded[order][None, :], starts,
                                                           axis=1)
    return states


def _unexplained(compat: np.ndarray, doc: np.ndarray, bounded: np.ndarray) -> np.ndarray:
    """``m[i, j]`` (i < j): figures of two documents that do not fit, where neither document also states a
    bounded figure like the other's and no document tells the two apart (``_told_apart``)."""
    states = _states(compat, doc, bounded)  # states[j, d]: document d states a bounded figure like j
    has = states[:, doc]  # has[j, i]: i's document states a figure like j
    return np.triu(~compat & (doc[:, None] != doc[None, :]) & ~(has.T | has)
                   & ~_told_apart(compat, doc, bounded, states), 1)


def _revisions(compat: np.ndarray, doc: np.ndarray, bounded: np.ndarray, told_earlier: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """(superseded, revised) per figure. A figure told as an earlier one (``is_told_earlier``) beside a bounded
    figure of its own document, not so told, that does not fit it is superseded, and that figure is the
    revised one: the document reports a revision ("in einer ersten Schätzung 10,1 Prozent", "9,7 Prozent")."""
    now = bounded & ~told_earlier
    apart = (doc[:, None] == doc[None, :]) & ~compat & told_earlier[:, None] & now[None, :]
    return apart.any(axis=1), apart.any(axis=0)


def _first_times(claims: list[Claim], pub: dict[str, str | None]) -> dict[float, str]:
    """The time each value was first reported (a figure counts from when it was first reported)."""
    first_at: dict[float, str] = {}
    for c in claims:
        t = when(c, pub)
        if t and (c.value not in first_at or t < first_at[c.value]):
            first_at[c.value] = t
    return first_at


def _classify_reps(ctx: Context, claims: list[Claim], idx: list[int], tol: list[Interval],
                   flags: tuple[list[bool], list[bool], list[bool], list[bool]], ulex: UpdateLexicon,
                   out: Pairs) -> None:
    """Fill ``out`` from the pairwise matrices of the distinct claims ``idx`` (``flags``: each claim's update
    cue, whether it is a plan, hypothetical or forecast, whether a forecast, whether told as an earlier figure).

    Only a bounded figure speaks for its document ("more than $5 billion" fits any larger figure and says
    nothing about which one the document means), and a superseded one (``_revisions``) does not either: its
    value, reported by another document, is updated by the figures that are not superseded."""
    pub = ctx.published
    cues, plans, forecasts, earlier = flags
    reps = [claims[i] for i in idx]
    compat = compat_matrix([tol[i] for i in idx])
    doc = _codes([c.document for c in reps])
    bounded = np.array([np.isfinite(tol[i][0]) and np.isfinite(tol[i][1]) for i in idx])
    sup, revising = _revisions(compat, doc, bounded, np.array([earlier[i] for i in idx], dtype=bool))
    bad = _unexplained(compat, doc, bounded & ~sup)
    if not bad.any():
        return
    planned = np.array([plans[i] for i in idx], dtype=bool)
    memo = claim_memo(ctx)
    masks = _scope_masks(reps, ctx.lexicon, ulex.to_date, planned.tolist(), _run_nesting(ctx),
                         [str(when(c, pub))[:10] if _once(memo, "increment", c, lambda: is_increment(c, ulex))
                          else "" for c in reps], memo)
    scoped = np.zeros_like(bad)
    for m in masks.values():
        scoped |= m
    first_at = _first_times(claims, pub)
    cued_values = {c.value for c, q in zip(claims, cues) if q}
    cue = np.array([cues[i] or claims[i].value in cued_values for i in idx])
    fact_cum = is_cumulative(claims, ulex)
    cum = np.array([grows(c, fact_cum, ulex) for c in reps])
    old, revised = ({reps[k].value for k in np.flatnonzero(m).tolist()} for m in (sup, revising))
    new = np.array([c.value in revised and c.value not in old for c in reps], dtype=bool)  # any document's
    upd = _update_mask(reps, cum, cue, [first_at.get(c.value, "") for c in reps], planned,
                       np.array([forecasts[i] for i in idx], dtype=bool),
                       (np.array([c.value in old for c in reps], dtype=bool), new))
    updated = upd | upd.T
    for i, j in np.argwhere(bad & scoped)[:PAIR_CAP].tolist():
        out.scope.append((reps[i], reps[j], _reason(masks, i, j)))
    for i, j in np.argwhere(bad & ~scoped & updated)[:PAIR_CAP].tolist():
        x, y = (reps[i], reps[j]) if upd[i, j] else (reps[j], reps[i])
        k = j if upd[i, j] else i
        out.update.append((x, y, _evidence(x, y, first_at.get(x.value, ""), first_at.get(y.value, ""),
                                           bool(cum[k]), forecasts[idx[k]], bool(new[k]))))
    conflict = bad & ~scoped & ~updated
    out.conflict_count = int(conflict.sum())
    out.conflict = [(reps[i], reps[j]) for i, j in np.argwhere(conflict)[:PAIR_CAP].tolist()]
    involved = np.flatnonzero(conflict.any(axis=0) | conflict.any(axis=1)).tolist()
    out.conflict_claims = [reps[k] for k in involved]
