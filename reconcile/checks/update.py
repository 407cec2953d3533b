"""Update over time: a later, larger cumulative figure ("inzwischen", "bisher", "so far") supersedes."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, describe, fmt
from reconcile.model import Claim

KIND = "update"
PARAMS: dict[str, Any] = {"require_cue": {"type": "boolean"}}
DEFAULTS: dict[str, Any] = {"require_cue": False}


def is_update(earlier: Claim, later: Claim, require_cue: bool = False) -> bool:
    """``later`` reports a larger figure at a later date, cumulatively or as a lower bound."""
    if not earlier.as_of or not later.as_of or later.as_of[:7] <= earlier.as_of[:7]:
        return False
    if later.value <= earlier.value or earlier.modality in ("planned", "hypothetical"):
        return False
    if later.modality in ("planned", "hypothetical"):
        return False
    cue = later.cumulative or later.change == ">"
    return cue or not require_cue


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    hits = []
    for a in ctx.claims:
        for b in ctx.claims:
            if a is not b and a.unit_class == b.unit_class and a.counted_group == b.counted_group \
                    and is_update(a, b, p["require_cue"]):
                hits.append(Hit([a, b], {"earlier": describe(a, ctx.docs), "earlier_date": a.as_of,
                                         "later": describe(b, ctx.docs), "later_date": b.as_of,
                                         "growth": fmt(b.value - a.value)}, key=f"{a.document}:{a.value:g}>{b.document}:{b.value:g}"))
    return hits[:1] if hits else []
