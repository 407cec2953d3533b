"""Sum consistency: a fact's figure equals the sum of two other facts told in the same document.

A fact's figure here is the one most of its documents state (``figure``), read from its claims, not the
fact's reconciled ``value``: a full run judges the rules before ``confidence.judge_facts`` sets values, and
an incremental run mixes kept facts (with stored values) and new ones (without), so reading the claims is
what makes the check fire the same way in both.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from reconcile.checks.base import Context, Hit, fmt
from reconcile.model import Claim, Fact

KIND = "sum"
PARAMS: dict[str, Any] = {"tolerance": {"type": "number", "minimum": 0, "maximum": 1}}
DEFAULTS: dict[str, Any] = {"tolerance": 0.0}
ACROSS_FACTS = True  # the parts are other facts of this fact's documents
_NOT_DONE = ("planned", "hypothetical")


def figure(claims: list[Claim]) -> float | None:
    """The figure most documents of a fact state (of its actual claims, else of all; ties: more claims, then
    the lower figure); None for a fact without claims."""
    actual = [c for c in claims if c.modality not in _NOT_DONE] or claims
    docs: dict[float, set[str]] = {}
    count: dict[float, int] = {}
    for c in actual:
        docs.setdefault(c.value, set()).add(c.document)
        count[c.value] = count.get(c.value, 0) + 1
    if not docs:
        return None
    return min(docs, key=lambda v: (-len(docs[v]), -count[v], v))


def _predicates(ctx: Context, claims: list[Claim]) -> frozenset[str]:
    """What the claims' figures do: their predicates' groups (counted.yml), else the predicates as written."""
    lex = ctx.lexicon
    return frozenset(lex.predicate_group(c.predicate) or c.predicate.lower() for c in claims if c.predicate)


def _same_doing(ctx: Context, total: frozenset[str], part: Fact) -> bool:
    """A part does what the total does (soldiers sent, not soldiers killed), when both name a predicate (each
    part's predicates found once per run: a fact is a candidate part of every fact of its documents)."""
    if not total:
        return True
    doing = ctx.shared.setdefault("sum.doing", {})
    if part.id not in doing:
        doing[part.id] = _predicates(ctx, [ctx.claims_by_id[c] for c in part.claims if c in ctx.claims_by_id])
    theirs = doing[part.id]
    return not theirs or bool(total & theirs)


def _figures(ctx: Context) -> dict[str, float | None]:
    """Every fact's ``figure``, computed once per run (memoised in ``ctx.shared`` for this list of facts)."""
    by_id = ctx.claims_by_id
    return ctx.per_run("sum.figures", ctx.facts,
                       lambda: {f.id: figure([by_id[c] for c in f.claims if c in by_id]) for f in ctx.facts})


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """A hit when two other facts told in one sentence of a document of this fact add up to its figure
    (within ``tolerance``) and do what it does (their predicates share a group with its own, when both name
    one): a breakdown of the total, which explains figures that would look like a conflict."""
    if not ctx.facts:
        return []
    value = _figures(ctx)
    total = value.get(ctx.fact.id, figure(ctx.claims))
    if total is None:
        return []
    docs = {c.document for c in ctx.claims}
    near: list[Fact]
    if ctx.facts_by_document:
        near = list({f.id: f for d in sorted(docs) for f in ctx.facts_by_document.get(d, [])}.values())
    else:
        near = [f for f in ctx.facts if docs & {ctx.claims_by_id[cid].document for cid in f.claims}]
    doing = _predicates(ctx, ctx.claims)
    cands = [f for f in near if f.id != ctx.fact.id and value.get(f.id) is not None
             and f.unit_class == ctx.fact.unit_class and value[f.id] < total  # type: ignore[operator]
             and _same_doing(ctx, doing, f)]
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
        va, vb = value[a.id], value[b.id]
        assert va is not None and vb is not None  # candidates have figures (filtered above)
        if abs(va + vb - total) <= p["tolerance"] * total + 1e-9:
            parts = [ctx.claims_by_id[cid] for cid in a.claims[:1] + b.claims[:1]]
            return [Hit(ctx.claims[:1] + parts, {"total": fmt(total), "parts": f"{fmt(va)} + {fmt(vb)}",
                                                 "labels": f"{a.label}; {b.label}"}, key=f"{va:g}+{vb:g}")]
    return []
