"""Scope mismatch: figures of one fact that count different things or different states.

``mode: modality``: planned or hypothetical figures beside figures of what happened.
``mode: counted``: different counted things in one fact (containers vs shells).
"""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, bounds, describe

KIND = "scope"
PARAMS: dict[str, Any] = {"mode": {"enum": ["modality", "counted"]},
                          "tolerance": {"type": "number", "minimum": 0, "maximum": 1}}
DEFAULTS: dict[str, Any] = {"mode": "modality", "tolerance": 0.0}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    if p["mode"] == "modality":
        plans = [c for c in ctx.claims if c.modality in ("planned", "hypothetical")]
        actual = [c for c in ctx.claims if c.modality not in ("planned", "hypothetical")]
        if not plans or not actual:
            return []
        # a plan agrees with the actual figures when it overlaps every one of them
        top_low = max(bounds(a, p["tolerance"])[0] for a in actual)
        least_high = min(bounds(a, p["tolerance"])[1] for a in actual)
        differing = [c for c in plans if not (bounds(c, p["tolerance"])[0] <= least_high
                                             and top_low <= bounds(c, p["tolerance"])[1])]
        if not differing:
            return []
        return [Hit(differing + actual, {
            "plans": "; ".join(f"{describe(c, ctx.docs)}, {c.modality} as of {c.as_of or 'unknown date'}"
                               for c in differing),
            "actual": "; ".join(describe(c, ctx.docs) for c in actual)})]
    groups: dict[str, list] = {}
    for c in ctx.claims:
        groups.setdefault(c.counted_group or (c.counted or "?").lower(), []).append(c)
    if len(groups) < 2:
        return []
    big = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    main, others = big[0], big[1:]
    odd = [c for _, cs in others for c in cs]
    return [Hit(odd + main[1], {"main": main[0], "other": ", ".join(k for k, _ in others),
                                "figures": "; ".join(describe(c, ctx.docs) for c in odd)})]
