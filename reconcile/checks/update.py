"""Update over time: a later figure supersedes an earlier one, with evidence.

Evidence is ordered times (as-of dates, else publication dates) together with a change that fits the
quantity (a cumulative count growing: tolls, cases, arrests, listed in ``rules/lexicon/update.yml``), or a
cue in the later figure's sentence ("stieg auf", "rose to", "inzwischen", "now", "revised"). Without
either, differing figures are a conflict; a total and its part reported the same day are scope.
"""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, comparable, describe, fmt
from reconcile.checks.compare import classify, when

KIND = "update"
VERDICT = "update"
PARAMS: dict[str, Any] = {
    "modalities": {"type": "array",
                   "items": {"enum": ["asserted", "reported", "estimated", "planned", "hypothetical"]}},
}
DEFAULTS: dict[str, Any] = {"modalities": ["asserted", "reported", "estimated"]}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit per fact: the earliest superseded figure and the latest figure, and the evidence between them."""
    cs = comparable(ctx.claims, p["modalities"])
    ups = classify(ctx, cs).update
    if not ups:
        return []
    pub = ctx.published
    a = min((u[0] for u in ups), key=lambda c: (when(c, pub), c.value, c.document))
    b = max((u[1] for u in ups), key=lambda c: (when(c, pub), c.value, c.document))
    evidence = next((w for x, y, w in ups if x is a and y is b), ups[0][2])
    claims = sorted({c.id: c for u in ups for c in u[:2]}.values(), key=lambda c: (when(c, pub), c.value))
    return [Hit(claims, {"earlier": describe(a, ctx.docs), "earlier_date": when(a, pub) or "undated",
                         "later": describe(b, ctx.docs), "later_date": when(b, pub) or "undated",
                         "growth": fmt(b.value - a.value), "evidence": evidence},
                key=f"{a.document}:{a.value:g}>{b.document}:{b.value:g}")]
