"""Update over time: a later, larger cumulative figure ("inzwischen", "bisher", "so far") supersedes."""

from __future__ import annotations

from typing import Any

import numpy as np

from reconcile.checks.base import Context, Hit, UpdateKeys, codes, describe, fmt, row_blocks, update_matrix
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
    """The first update in claim order (earlier, then later); one hit per fact is enough to say it."""
    cs = ctx.claims
    if len(cs) < 2:
        return []
    keys = UpdateKeys.of(cs, p["require_cue"])
    unit = codes([c.unit_class for c in cs])
    group = codes([c.counted_group for c in cs])
    for rows in row_blocks(len(cs)):
        m = update_matrix(keys, rows) & (unit[rows, None] == unit[None, :]) & (group[rows, None] == group[None, :])
        hit_rows = np.flatnonzero(m.any(axis=1))
        if hit_rows.size:
            i = int(hit_rows[0])
            a, b = cs[rows.start + i], cs[int(np.argmax(m[i]))]
            return [Hit([a, b], {"earlier": describe(a, ctx.docs), "earlier_date": a.as_of,
                                 "later": describe(b, ctx.docs), "later_date": b.as_of,
                                 "growth": fmt(b.value - a.value)},
                        key=f"{a.document}:{a.value:g}>{b.document}:{b.value:g}")]
    return []
