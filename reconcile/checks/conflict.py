"""Numeric conflict: figures from independent origins whose hedge-aware intervals do not overlap.

``rund 10.000`` [9.500, 10.500] and ``11.000`` conflict; ``mehr als 10.000`` and ``11.000`` do not. A later,
larger cumulative figure is an update (see ``update``), not a conflict, when ``skip_updates`` is set.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reconcile.checks.base import Context, Hit, UpdateKeys, codes, comparable, describe, fmt, interval_arrays, \
    row_blocks, update_matrix

KIND = "conflict"
PARAMS: dict[str, Any] = {
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "modalities": {"type": "array",
                   "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
    "skip_updates": {"type": "boolean"},
}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0, "modalities": ["asserted", "reported", "estimated"], "skip_updates": True}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """All pairs of independent figures that cannot both be right, found a block of rows at a time."""
    cs = comparable(ctx.claims, p["modalities"])
    n = len(cs)
    if n < 2:
        return []
    lo, hi = interval_arrays(cs, p["tolerance"])
    origin = codes([ctx.origin[c.id] for c in cs])
    group = codes([c.counted_group for c in cs])
    has_group = np.array([bool(c.counted_group) for c in cs])
    keys = UpdateKeys.of(cs) if p["skip_updates"] else None
    later = np.arange(n)
    pairs = 0
    first_seen = np.full(n, -1, dtype=np.int64)  # the order in which claims first appear in a pair
    order = 0
    for rows in row_blocks(n):
        r = np.arange(rows.start, rows.stop)
        m = later[None, :] > r[:, None]  # each pair once, a before b
        m &= origin[rows, None] != origin[None, :]
        m &= (lo[rows, None] > hi[None, :]) | (lo[None, :] > hi[rows, None])  # no overlap
        # different things counted: a scope question (SC02), not a conflict
        m &= ~(has_group[rows, None] & has_group[None, :] & (group[rows, None] != group[None, :]))
        if keys is not None:
            m &= ~update_matrix(keys, rows)
            m &= ~update_matrix(keys, rows, rows_are_later=True)
        pairs += int(m.sum())
        for i, row in zip(r.tolist(), m):
            partners = np.flatnonzero(row)
            if partners.size == 0:
                continue
            for k in (i, *partners.tolist()):
                if first_seen[k] < 0:
                    first_seen[k] = order
                    order += 1
    if not pairs:
        return []
    # by figure, ties in the order the pairs name them
    involved = [cs[k] for k in sorted(np.flatnonzero(first_seen >= 0).tolist(),
                                      key=lambda k: (cs[k].value, int(first_seen[k])))]
    return [Hit(involved, {
        "low": fmt(min(c.value for c in involved)), "high": fmt(max(c.value for c in involved)),
        "figures": "; ".join(describe(c, ctx.docs) for c in involved), "pairs": pairs,
    })]
