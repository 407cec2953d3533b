"""Numeric conflict: figures from independent origins whose hedge-aware intervals do not overlap.

``rund 10.000`` [9.500, 10.500] and ``11.000`` conflict; ``mehr als 10.000`` and ``11.000`` do not. A later,
larger cumulative figure is an update (see ``update``), not a conflict, when ``skip_updates`` is set.
"""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, comparable, describe, fmt, overlap
from reconcile.checks.update import is_update

KIND = "conflict"
PARAMS: dict[str, Any] = {
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "modalities": {"type": "array", "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
    "skip_updates": {"type": "boolean"},
}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0, "modalities": ["asserted", "reported", "estimated"], "skip_updates": True}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    cs = comparable(ctx.claims, p["modalities"])
    pairs = []
    for i, a in enumerate(cs):
        for b in cs[i + 1:]:
            if ctx.origin[a.id] == ctx.origin[b.id] or overlap(a, b, p["tolerance"]):
                continue
            if a.counted_group != b.counted_group and a.counted_group and b.counted_group:
                continue  # different things counted: a scope question (SC02), not a conflict
            if p["skip_updates"] and (is_update(a, b) or is_update(b, a)):
                continue
            pairs.append((a, b))
    if not pairs:
        return []
    involved = sorted({c.id: c for pair in pairs for c in pair}.values(), key=lambda c: c.value)
    return [Hit(involved, {
        "low": fmt(min(c.value for c in involved)), "high": fmt(max(c.value for c in involved)),
        "figures": "; ".join(describe(c, ctx.docs) for c in involved), "pairs": len(pairs),
    })]
