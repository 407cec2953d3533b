"""Outlier: with three or more independent origins, one figure far from the median of the others."""

from __future__ import annotations

import statistics
from typing import Any

from reconcile.checks.base import Context, Hit, comparable, describe, fmt

KIND = "outlier"
PARAMS: dict[str, Any] = {"factor": {"type": "number", "exclusiveMinimum": 0},
                          "min_origins": {"type": "integer", "minimum": 3}}
DEFAULTS: dict[str, Any] = {"factor": 0.5, "min_origins": 3}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit per figure more than ``factor`` away from the median, once ``min_origins`` independent origins
    give figures: with fewer, there is no majority to be far from."""
    cs = comparable(ctx.claims, ["asserted", "reported", "estimated"])
    if len(ctx.origins(cs)) < p["min_origins"]:
        return []
    hits = []
    med = statistics.median(c.value for c in cs)
    for c in cs:
        if med and abs(c.value - med) / abs(med) > p["factor"]:
            hits.append(Hit([c], {"figure": describe(c, ctx.docs), "median": fmt(med)},
                            key=f"{c.document}:{c.value:g}"))
    return hits
