"""Sum consistency: a fact's figure equals the sum of two other facts told in the same document."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from reconcile.checks.base import Context, Hit, fmt
from reconcile.model import Fact

KIND = "sum"
PARAMS: dict[str, Any] = {"tolerance": {"type": "number", "minimum": 0, "maximum": 1}}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0}
ACROSS_FACTS = True  # the parts are other facts of this fact's documents


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """A hit when two other facts told in one sentence of a document of this fact add up to its figure
    (within ``tolerance``): a breakdown of the total, which explains figures that would look like a conflict."""
    total = ctx.fact.value
    if total is None or not ctx.facts:
        return []
    docs = {c.document for c in ctx.claims}
    near: list[Fact]
    if ctx.facts_by_document:
        near = list({f.id: f for d in sorted(docs) for f in ctx.facts_by_document.get(d, [])}.values())
    else:
        near = [f for f in ctx.facts if docs & {ctx.claims_by_id[cid].document for cid in f.claims}]
    cands = [f for f in near if f.id != ctx.fact.id and f.value is not None
             and f.unit_class == ctx.fact.unit_class and f.value < total]
    cands.sort(key=lambda f: f.id)
    # a breakdown is told in one breath: the parts stand in one sentence of a document of the total, so
    # only facts met in one such sentence are paired (not every two facts of those documents)
    in_sentence: dict[tuple[str, int], list[Fact]] = {}
    sentences = ctx.shared.setdefault("sum.sentences", {})  # each fact's sentences, found once per run
    for f in cands:
        if f.id not in sentences:
            sentences[f.id] = list(dict.fromkeys((ctx.claims_by_id[c].document, ctx.claims_by_id[c].sentence_start)
                                                 for c in f.claims))
        for key in sentences[f.id]:
            if key[0] in docs:
                in_sentence.setdefault(key, []).append(f)
    pairs = sorted({(a.id, b.id): (a, b) for fs in in_sentence.values() for a, b in combinations(fs, 2)}.items())
    for _, (a, b) in pairs:
        assert a.value is not None and b.value is not None  # candidates have values (filtered above)
        if abs(a.value + b.value - total) <= p["tolerance"] * total + 1e-9:
            parts = [ctx.claims_by_id[cid] for cid in a.claims[:1] + b.claims[:1]]
            return [Hit(ctx.claims[:1] + parts, {"total": fmt(total), "parts": f"{fmt(a.value)} + {fmt(b.value)}",
                                                 "labels": f"{a.label}; {b.label}"}, key=f"{a.value:g}+{b.value:g}")]
    return []
