"""Scope: figures of one fact that differ because they are about different things, explained.

Only figures that cannot both be right are looked at (compatible figures agree whatever their wording).
``mode: modality``: planned, hypothetical or forecast figures beside figures of what happened.
``mode: counted``: different things counted (containers vs shells).
``mode: qualifiers``: another place, population group or time window, a stated part of a total, or the new
ones of another day ("41 new cases" on Monday, "39 new cases" on Friday).
``mode: ceiling``: a figure stated as a maximum ("up to five years", "höchstens 2000") beside a figure of another
document wholly below it (a sentence of "46 to 57 months"): the two fit, but the maximum is another quantity than
the figure below it, so they are no agreement on one figure.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from reconcile.checks.base import Context, Hit, describe
from reconcile.checks.compare import classify, claim_memo, is_forecast, load_update_lexicon, stated_values, tolerances
from reconcile.intervals import hedge_kind
from reconcile.model import Claim

KIND = "scope"
VERDICT = "scope"
PARAMS: dict[str, Any] = {"mode": {"enum": ["modality", "counted", "qualifiers", "ceiling"]},
                          "ceilings": {"type": "array", "items": {"type": "string"}}}
DEFAULTS: dict[str, Any] = {"mode": "modality", "ceilings": ["up_to"]}
# hedge kinds that leave a figure open below (a figure under one of them is no figure "wholly below" a maximum)
_OPEN_BELOW = frozenset({"up_to", "below"})

_MODE_REASONS = {"modality": {"modality"}, "counted": {"counted"},
                 "qualifiers": {"places", "group", "window", "part_of", "increment"}}


def _label(c: Claim, reason: str, forecast: bool = False, ceiling: bool = False) -> str:
    """What a figure is about, in the qualifier that sets it apart (``forecast``: the figure is a forecast;
    ``ceiling``: it is stated as a maximum)."""
    if reason == "ceiling":
        return "a maximum" if ceiling else "below it"
    if reason == "modality":
        if forecast:
            return "a forecast"
        return "planned or hypothetical" if c.modality in ("planned", "hypothetical") else "reported as done"
    if reason == "part_of":
        return "a part of a total" if c.part_of else "a total"
    if reason == "counted":
        return c.counted_group or c.counted or "unnamed"
    if reason == "places":
        return ", ".join(c.places) or "no place named"
    if reason == "increment":
        return f"the new ones as of {c.as_of}" if c.as_of else "the new ones of another day"
    value = c.group if reason == "group" else c.window
    return value or "unqualified"


_WORDS = {"ceiling": "", "increment": "", "places": "for", "group": "about", "window": "for", "counted": "count",
          "part_of": "", "modality": ""}


def explain(pairs: list[tuple[Claim, Claim, str]], forecasts: frozenset[str] = frozenset()) -> str:
    """ "3 figures are for Sachsen-Anhalt, 1 for Bremen": each side of the difference, counted (``forecasts``:
    the ids of claims that are forecasts; a ceiling pair is (maximum, figure below it))."""
    reason = Counter(r for *_, r in pairs).most_common(1)[0][0]
    claims = {c.id: c for a, b, r in pairs if r == reason for c in (a, b)}
    tops = {a.id for a, _, r in pairs if r == "ceiling"}
    counts = Counter(_label(c, reason, c.id in forecasts, c.id in tops) for c in claims.values()).most_common()
    word = _WORDS[reason]
    out = []
    prep = word + " " if word and word != "count" else ""
    for i, (lab, n) in enumerate(counts):
        if i == 0:
            verb = ("count" if n != 1 else "counts") if reason == "counted" else ("are" if n != 1 else "is")
            out.append(f"{n} figure{'s' if n != 1 else ''} {verb} {prep}{lab}")
        else:
            out.append(f"{n} {prep}{lab}")
    return ", ".join(out)


def ceiling_pairs(ctx: Context, cs: list[Claim], kinds: frozenset[str]) -> list[tuple[Claim, Claim, str]]:
    """(maximum, figure, "ceiling") for each figure whose hedge is of ``kinds`` ("up to five years") and each
    bounded figure of another document whose whole interval lies at or below the maximum's stated figure (in
    the terms of ``tolerances``: "46 to 57 months" below five years). A figure equal to the maximum is not below
    it ("up to five years" and "five years" agree)."""
    tol = tolerances(cs, ctx.lexicon, ctx.fx, ctx.published, memo=claim_memo(ctx))
    cap = stated_values(cs, ctx.lexicon, ctx.fx, ctx.published)
    kind = [hedge_kind(c, ctx.lexicon) for c in cs]
    out: list[tuple[Claim, Claim, str]] = []
    for i, top in enumerate(cs):
        if kind[i] not in kinds:
            continue
        out.extend((top, c, "ceiling") for j, c in enumerate(cs)
                   if c.document != top.document and kind[j] not in _OPEN_BELOW and kind[j] not in kinds
                   and math.isfinite(tol[j][0]) and tol[j][1] <= cap[i])
    return out


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit naming the difference of the mode's qualifier, counted per side, with every figure involved."""
    plans = ["planned", "hypothetical"] if p["mode"] in ("modality", "ceiling") else []
    modalities = ["asserted", "reported", "estimated", *plans]
    cs = [c for c in ctx.claims if c.modality in modalities]
    if p["mode"] == "ceiling":
        pairs = ceiling_pairs(ctx, cs, frozenset(p["ceilings"]))
    else:
        pairs = [x for x in classify(ctx, cs).scope if x[2] in _MODE_REASONS[p["mode"]]]
    if not pairs:
        return []
    claims = sorted({c.id: c for a, b, _ in pairs for c in (a, b)}.values(), key=lambda c: (c.value, c.document))
    ulex = load_update_lexicon(ctx.rules_dirs)
    forecasts = frozenset(c.id for c in claims if is_forecast(c, ulex))
    return [Hit(claims, {"explanation": explain(pairs, forecasts),
                         "figures": "; ".join(describe(c, ctx.docs) for c in claims), "difference": pairs[0][2]})]
