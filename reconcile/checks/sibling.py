"""Across facts: two facts of one story that count the same thing, judged together.

The clustering keeps figures of different value apart more often than it should ("a 47-page indictment" in
one article, "a 48-page indictment" in another become two one-document facts), so a fact alone can look
``single`` or ``agree`` when the figure it holds is disputed. This check looks for a *sibling*: another fact
whose claims count the same thing in the same way:

- the same counted noun (lemma; a generic noun such as "people", "Menschen" only with the same predicate
  group: "46 people were arrested", "more than 200 people were arrested"), the same unit class and unit;
- the same qualifiers: population groups that one's words contain the other's, the same time window (one
  running up to a time counts as none), no two disjoint sets of places, no part against a total, neither
  planned nor hypothetical;
- documents of the same story: published within ``days`` of each other;
- the matched claims are at least ``min_share`` of the sibling fact (a fact that only mentions the thing once
  among other figures is about something else).

The pair is judged: ``agree`` when every matched sibling figure fits the fact's (a one-document fact then
agrees with another document); ``scope`` when a document states both figures (it tells two quantities of
one count, a total and one operation's haul); otherwise as inside a fact (``compare.classify``): an
``update`` with evidence, a ``scope`` difference, or a ``conflict``. A rule's ``mode`` names the verdict it
reports. Hits carry ``across: True``: the fact's own figures decide its verdict first (``confidence``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reconcile.checks.base import Context, Hit, describe
from reconcile.checks.compare import PLANNED, classify, compat_matrix, tolerances
from reconcile.model import Claim, Fact

KIND = "sibling"
PARAMS: dict[str, Any] = {
    "mode": {"enum": ["agree", "conflict", "update", "scope"]},
    "min_share": {"type": "number", "minimum": 0, "maximum": 1},
    "days": {"type": "number", "minimum": 0},
}
DEFAULTS: dict[str, Any] = {"mode": "conflict", "min_share": 0.5, "days": 14}

_Key = tuple[str, str, str, str]


def _key(c: Claim, ctx: Context) -> _Key | None:
    """What a claim counts, for matching across facts; None when it names nothing to match on."""
    if not c.counted or c.modality in PLANNED or c.part_of:
        return None
    lex = ctx.lexicon
    lemma = c.counted.lower()
    pred = ""
    if lex.is_generic(lemma):
        pred = lex.predicate_group(c.predicate) or ""
        if not pred:
            return None
    return (c.unit_class, c.unit or "", lemma, pred)


def _index(ctx: Context) -> dict[_Key, list[tuple[str, Claim]]]:
    """Every keyed claim of the run by key, with its fact's id (built once per run)."""
    memo = ctx.shared.get("sibling.index")
    if memo is not None and memo[0] is ctx.facts:
        return memo[1]  # type: ignore[no-any-return]
    out: dict[_Key, list[tuple[str, Claim]]] = {}
    for f in ctx.facts:
        for cid in f.claims:
            c = ctx.claims_by_id.get(cid)
            k = _key(c, ctx) if c else None
            if c is not None and k is not None:
                out.setdefault(k, []).append((f.id, c))
    ctx.shared["sibling.index"] = (ctx.facts, out)
    return out


def _day(ctx: Context, c: Claim) -> date | None:
    pub = ctx.published.get(c.document) or ""
    try:
        return date.fromisoformat(pub[:10])
    except ValueError:
        return None


def _same_scope(a: Claim, b: Claim, ctx: Context) -> bool:
    """No qualifier sets the two figures apart, and their documents are of one story."""
    from reconcile.checks.compare import _groups_differ, _places, _window_key, load_update_lexicon

    to_date = load_update_lexicon(ctx.rules_dirs).to_date
    if _window_key(a, to_date) != _window_key(b, to_date) or _groups_differ([a, b])[0, 1]:
        return False
    pa, pb = _places(a, ctx.lexicon), _places(b, ctx.lexicon)
    if pa and pb and not pa & pb:
        return False
    da, db = _day(ctx, a), _day(ctx, b)
    return da is None or db is None or abs((da - db).days) <= ctx.shared.get("sibling.days", 14)


def _sharing(ctx: Context, docs: set[str]) -> set[str]:
    """The facts with a document in ``docs``: a document that tells both facts tells two quantities, so they
    are no split of one fact (a document does not contradict itself)."""
    if ctx.facts_by_document:
        return {f.id for d in docs for f in ctx.facts_by_document.get(d, [])}
    return {f.id for f in ctx.facts if any(ctx.claims_by_id[c].document in docs for c in f.claims
                                           if c in ctx.claims_by_id)}


def siblings(ctx: Context, min_share: float) -> dict[str, tuple[list[Claim], list[Claim]]]:
    """Per sibling fact: (this fact's matched claims, the sibling's matched claims)."""
    index = _index(ctx)
    sizes = {f.id: len(f.claims) for f in ctx.facts}
    found: dict[str, tuple[dict[str, Claim], dict[str, Claim]]] = {}
    own_docs = {c.document for c in ctx.claims}
    apart = _sharing(ctx, own_docs)
    for a in ctx.claims:
        k = _key(a, ctx)
        for fid, b in index.get(k, []) if k else []:
            if fid != ctx.fact.id and fid not in apart and _same_scope(a, b, ctx):
                mine, theirs = found.setdefault(fid, ({}, {}))
                mine[a.id], theirs[b.id] = a, b
    return {fid: (list(m.values()), list(t.values())) for fid, (m, t) in sorted(found.items())
            if len(t) >= min_share * sizes[fid] and len(m) >= min_share * len(ctx.claims)}


def _judge(ctx: Context, mine: list[Claim], theirs: list[Claim]) -> tuple[str, str] | None:
    """(verdict, why) for a fact's figures against a sibling's, or None when the sibling adds nothing."""
    both = mine + theirs
    tol = tolerances(both, ctx.lexicon, ctx.fx, ctx.published)
    compat = compat_matrix(tol)[: len(mine), len(mine):]
    if compat.all():
        docs = {c.document for c in theirs} - {c.document for c in mine}
        return ("agree", "figures of another document fit") if docs else None
    probe = Context(ctx.fact, both, ctx.docs, ctx.origin, ctx.facts, ctx.claims_by_id, shared=ctx.shared,
                    lex=ctx.lex, rules_dirs=ctx.rules_dirs)
    probe.fact = Fact(ctx.fact.id + "+", ctx.fact.label, [c.id for c in both], ctx.fact.unit_class)
    pairs = classify(probe, both)
    if pairs.conflict_count:
        return "conflict", "the figures cannot both be right"
    if pairs.update:
        return "update", pairs.update[0][2]
    if pairs.scope:
        return "scope", f"they differ in {pairs.scope[0][2]}"
    return None


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit per sibling fact whose figures, judged with this fact's, give the verdict ``mode`` names."""
    if not ctx.facts:
        return []
    ctx.shared["sibling.days"] = p["days"]
    hits = []
    for fid, (mine, theirs) in siblings(ctx, p["min_share"]).items():
        judged = _judge(ctx, mine, theirs)
        if judged is None or judged[0] != p["mode"]:
            continue
        verdict, why = judged
        hits.append(Hit(mine + theirs, {
            "across": True, "verdict": verdict, "why": why, "sibling": fid,
            "counted": mine[0].counted or "",
            "figures": "; ".join(describe(c, ctx.docs) for c in sorted(mine + theirs, key=lambda c: c.value)),
        }, key=fid))
    return hits
