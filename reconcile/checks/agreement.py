"""Agreement: the figures of two or more documents fit one common reading, by their stated precision."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, comparable, describe, fmt
from reconcile.checks.compare import classify, conversions

KIND = "agreement"
VERDICT = "agree"
PARAMS: dict[str, Any] = {
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "min_documents": {"type": "integer", "minimum": 2},
    "modalities": {"type": "array",
                   "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0, "min_documents": 2,
                            "modalities": ["asserted", "reported", "estimated", "planned"]}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """A hit when no two documents' figures are incompatible (any difference is left to scope or update)."""
    cs = comparable(ctx.claims, p["modalities"]) or ctx.claims
    if len({c.document for c in cs}) < p["min_documents"]:
        return []
    pairs = classify(ctx, cs, p["tolerance"])
    if pairs.conflict or pairs.update or pairs.scope:
        return []
    exact = len({c.value for c in cs}) == 1
    origins = len(ctx.origins(cs))
    how = "on the same figure" if exact else "within rounding and hedges"
    converted = conversions(cs, ctx.fx, ctx.published)
    if converted:
        how += " (converted: " + "; ".join(converted) + ")"
    return [Hit(cs, {"origins": origins, "documents": len({c.document for c in cs}),
                     "figures": "; ".join(describe(c, ctx.docs) for c in cs), "value": fmt(cs[0].value),
                     "how": how})]
