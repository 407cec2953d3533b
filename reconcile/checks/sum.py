"""Sum consistency: a fact's figure equals the sum of two other facts told in the same document."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from reconcile.checks.base import Context, Hit, fmt

KIND = "sum"
PARAMS: dict[str, Any] = {"tolerance": {"type": "number", "minimum": 0, "maximum": 1}}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    total = ctx.fact.value
    if total is None or not ctx.facts:
        return []
    docs = {c.document for c in ctx.claims}
    cands = []
    for f in ctx.facts:
        if f.id == ctx.fact.id or f.value is None or f.unit_class != ctx.fact.unit_class or f.value >= total:
            continue
        fdocs = {ctx.claims_by_id[cid].document for cid in f.claims}
        if fdocs & docs:
            cands.append(f)
    for a, b in combinations(sorted(cands, key=lambda f: f.id), 2):
        # a breakdown is told in one breath: the parts stand in one sentence of a document of the total
        sents_a = {(ctx.claims_by_id[c].document, ctx.claims_by_id[c].sentence_start) for c in a.claims}
        sents_b = {(ctx.claims_by_id[c].document, ctx.claims_by_id[c].sentence_start) for c in b.claims}
        shared = sents_a & sents_b
        if not shared or not any(d in docs for d, _ in shared):
            continue
        if abs(a.value + b.value - total) <= p["tolerance"] * total + 1e-9:
            parts = [ctx.claims_by_id[cid] for cid in a.claims[:1] + b.claims[:1]]
            return [Hit(ctx.claims[:1] + parts, {"total": fmt(total), "parts": f"{fmt(a.value)} + {fmt(b.value)}",
                                                 "labels": f"{a.label}; {b.label}"}, key=f"{a.value:g}+{b.value:g}")]
    return []
