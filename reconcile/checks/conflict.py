"""Numeric conflict: figures from two documents that cannot both be right, and nothing explains why.

Figures are compared by their stated precision (``reconcile.intervals.tolerance``): "rund 10.000" and
"11.000" conflict; "$43,000" and "$43,350", "mehr als 10.000" and "11.000" do not. A pair that a scope
qualifier explains (another place, group, window, part of a total, thing counted) is a scope question, and a
pair with evidence of an update (ordered times and a cumulative count growing, or a cue) is an update.
"""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, comparable, describe, fmt
from reconcile.checks.compare import classify

KIND = "conflict"
VERDICT = "conflict"
PARAMS: dict[str, Any] = {
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "modalities": {"type": "array",
                   "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0, "modalities": ["asserted", "reported", "estimated"]}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit naming every figure in an unexplained disagreement, lowest to highest, with who says what."""
    cs = comparable(ctx.claims, p["modalities"])
    if len({c.document for c in cs}) < 2:
        return []
    found = classify(ctx, cs, p["tolerance"])
    if not found.conflict_count:
        return []
    involved = sorted(found.conflict_claims, key=lambda c: (c.value, c.document, c.start))
    origins = {ctx.origin[c.id] for c in involved}
    return [Hit(involved, {
        "low": fmt(involved[0].value), "high": fmt(involved[-1].value),
        "figures": "; ".join(describe(c, ctx.docs) for c in involved), "pairs": found.conflict_count,
        "origins": len(origins),
        "who": "independent sources" if len(origins) > 1 else "reports going back to one origin",
    })]
