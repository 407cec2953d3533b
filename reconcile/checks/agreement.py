"""Agreement: every figure from two or more independent origins fits one common reading."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, common_overlap, comparable, describe, fmt

KIND = "agreement"
PARAMS: dict[str, Any] = {
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "min_origins": {"type": "integer", "minimum": 2},
    "modalities": {"type": "array",
                   "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0, "min_origins": 2,
                            "modalities": ["asserted", "reported", "estimated", "planned"]}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    cs = comparable(ctx.claims, p["modalities"])
    if len(ctx.origins(cs)) < p["min_origins"]:
        return []
    if not common_overlap(cs, p["tolerance"]):
        return []
    return [Hit(cs, {"origins": len(ctx.origins(cs)), "figures": "; ".join(describe(c, ctx.docs) for c in cs),
                     "value": fmt(cs[0].value)})]
