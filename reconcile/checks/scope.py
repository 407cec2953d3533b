"""Scope: figures of one fact that differ because they are about different things, explained.

Only figures that cannot both be right are looked at (compatible figures agree whatever their wording).
``mode: modality``: planned, hypothetical or forecast figures beside figures of what happened.
``mode: counted``: different things counted (containers vs shells).
``mode: qualifiers``: another place, population group or time window, a stated part of a total, or the new
ones of another day ("41 new cases" on Monday, "39 new cases" on Friday).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reconcile.checks.base import Context, Hit, describe
from reconcile.checks.compare import classify, is_forecast, load_update_lexicon
from reconcile.model import Claim

KIND = "scope"
VERDICT = "scope"
PARAMS: dict[str, Any] = {"mode": {"enum": ["modality", "counted", "qualifiers"]}}
DEFAULTS: dict[str, Any] = {"mode": "modality"}

_MODE_REASONS = {"modality": {"modality"}, "counted": {"counted"},
                 "qualifiers": {"places", "group", "window", "part_of", "increment"}}


def _label(c: Claim, reason: str, forecast: bool = False) -> str:
    """What a figure is about, in the qualifier that sets it apart (``forecast``: the figure is a forecast)."""
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


_WORDS = {"increment": "", "places": "for", "group": "about", "window": "for", "counted": "count", "part_of": "",
          "modality": ""}


def explain(pairs: list[tuple[Claim, Claim, str]], forecasts: frozenset[str] = frozenset()) -> str:
    """ "3 figures are for Sachsen-Anhalt, 1 for Bremen": each side of the difference, counted (``forecasts``:
    the ids of claims that are forecasts)."""
    reason = Counter(r for *_, r in pairs).most_common(1)[0][0]
    claims = {c.id: c for a, b, r in pairs if r == reason for c in (a, b)}
    counts = Counter(_label(c, reason, c.id in forecasts) for c in claims.values()).most_common()
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


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit naming the difference of the mode's qualifier, counted per side, with every figure involved."""
    plans = ["planned", "hypothetical"] if p["mode"] == "modality" else []
    modalities = ["asserted", "reported", "estimated", *plans]
    cs = [c for c in ctx.claims if c.modality in modalities]
    pairs = [x for x in classify(ctx, cs).scope if x[2] in _MODE_REASONS[p["mode"]]]
    if not pairs:
        return []
    claims = sorted({c.id: c for a, b, _ in pairs for c in (a, b)}.values(), key=lambda c: (c.value, c.document))
    ulex = load_update_lexicon(ctx.rules_dirs)
    forecasts = frozenset(c.id for c in claims if is_forecast(c, ulex))
    return [Hit(claims, {"explanation": explain(pairs, forecasts),
                         "figures": "; ".join(describe(c, ctx.docs) for c in claims), "difference": pairs[0][2]})]
