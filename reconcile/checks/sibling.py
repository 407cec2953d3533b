"""Across facts: two facts of one story that count the same thing, judged together.

The clustering keeps figures of different value apart more often than it should ("a 212-page report" in
one article, "a 214-page report" in another become two one-document facts), so a fact alone can look
``single`` or ``agree`` when the figure it holds is disputed. This check looks for a *sibling*: another fact
whose claims count the same thing in the same way:

- the same counted noun (lemma; a generic noun such as "people", "Menschen" only with the same predicate
  group: "12 people were killed", "more than 40 people died"), no two different predicates (their
  groups where counted.yml lists them: soldiers killed, soldiers shipped), the same unit class and unit;
- the same qualifiers: population groups that one's words contain the other's, the same time window (one
  running up to a time counts as none), no two disjoint sets of places, no part against a total, neither
  planned nor hypothetical;
- documents of the same story: published within ``days`` of each other;
- the matched claims are at least ``min_share`` of the sibling fact (a fact that only mentions the thing once
  among other figures is about something else) and ``min_own_share`` of this one (a fact the clustering
  mixed with other figures still speaks for the thing it mostly counts).

The pair is judged: ``agree`` when every matched sibling figure fits the fact's (a one-document fact then
agrees with another document); ``scope`` when a document states both figures (it tells two quantities of
one count, a total and one operation's haul); otherwise as inside a fact (``compare.classify``): an
``update`` with evidence, a ``scope`` difference, or a ``conflict``. A rule's ``mode`` names the verdict it
reports. Hits carry ``across: True``: the fact's own figures decide its verdict first (``confidence``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any

from reconcile.checks.base import Context, Hit, describe
from reconcile.checks.compare import (PLANNED, claim_memo, group_words, places_of, window_key, classify, compat_matrix,
                                      groups_apart, load_update_lexicon, tolerances)
from reconcile.model import Claim, Fact

KIND = "sibling"
ACROSS_FACTS = True  # the other fact of the story: an incremental run re-runs it on the facts near a change
PARAMS: dict[str, Any] = {
    "mode": {"enum": ["agree", "conflict", "update", "scope"]},
    "min_share": {"type": "number", "minimum": 0, "maximum": 1},
    "min_own_share": {"type": "number", "minimum": 0, "maximum": 1},
    "days": {"type": "number", "minimum": 0},
}
DEFAULTS: dict[str, Any] = {"mode": "conflict", "min_share": 0.5, "min_own_share": 0.25, "days": 14}

_Key = tuple[str, str, str, str]
_HEADCOUNT = ("count", "people")  # a count of acts or things and a count of the people they name: one key by group


def _key(c: Claim, ctx: Context) -> _Key | None:
    """What a claim counts, for matching across facts; None when it names nothing to match on."""
    if not c.counted or c.modality in PLANNED or c.part_of:
        return None
    lex = ctx.lexicon
    lemma = c.counted.lower()
    pred = ""
    if c.counted_group and c.unit_class in _HEADCOUNT and (c.predicate or not lex.is_generic(lemma)):
        # "dozens of arrests", "200 people were arrested" (a generic noun takes its group from the act)
        return ("headcount", "", "group:" + c.counted_group, "")
    if lex.is_generic(lemma):
        pred = lex.predicate_group(c.predicate) or ""
        if not pred:
            return None
    return (c.unit_class, c.unit or "", lemma, pred)


_Row = tuple[int, str, tuple[Claim, ...], "_Scope"]  # its place in its key's order, a fact, its claims of one
# key and scope, that scope
_Bucket = tuple[list[int], list[_Row], list[_Row]]  # the days of the dated rows, those rows by day, the undated
_Slot = tuple[str, str, str]  # a bucket's predicate, year and place ("" where the rows name none)


@dataclass
class _Index:
    """Every keyed claim of the run in buckets by key and window, then by predicate, year and place (the
    qualifiers that must be equal, or one unknown, for two figures to be siblings; a row naming two places is
    in both places' buckets), each bucket's rows sorted by their day (undated ones apart); and each fact's
    size and documents. Built once per run, so that a fact looks only at the rows it could match. A row holds
    all claims of one fact with one key and one scope, so that a scope is compared once; its number keeps
    the order of its key's rows (dated by day, then the undated), whichever buckets a lookup reads. A fact's
    documents here are those of its keyed claims and of its figures that pin a value down (``_pins_down``): a
    document whose only figure in it is vague and counts nothing to match on ("ein paar Hundert", no act named)
    does not tell the thing the fact counts; "3.700 Menschen" does, in other words."""

    buckets: dict[tuple[_Key, str], dict[_Slot, _Bucket]]
    scopes: dict[str, _Scope]
    sizes: dict[str, int]
    documents: dict[str, set[str]]


def _index(ctx: Context) -> _Index:
    """The run's ``_Index`` (built once per run, for this list of facts)."""
    return ctx.per_run("sibling.index", ctx.facts, lambda: _build_index(ctx))


def _build_index(ctx: Context) -> _Index:
    """Every keyed claim of the run's facts, by key, scope and fact (see ``_Index``)."""
    groups: dict[tuple[_Key, str, _Scope], list[Claim]] = {}
    scopes: dict[str, _Scope] = {}
    documents: dict[str, set[str]] = {}
    for f in ctx.facts:
        documents[f.id] = set()
        for cid in f.claims:
            c = ctx.claims_by_id.get(cid)
            if c is None:
                continue
            k = _key(c, ctx)
            if k is not None or _pins_down(c):
                documents[f.id].add(c.document)
            if k is not None:
                scopes[c.id] = _scope(c, ctx)
                groups.setdefault((k, f.id, scopes[c.id]), []).append(c)
    by_key: dict[_Key, tuple[list[tuple[int, str, tuple[Claim, ...], _Scope]], list[_Row]]] = {}
    for (k, fid, sc), cs in groups.items():
        dated, undated = by_key.setdefault(k, ([], []))
        if sc.day is None:
            undated.append((len(undated), fid, tuple(cs), sc))
        else:
            dated.append((sc.day.toordinal(), fid, tuple(cs), sc))
    buckets: dict[tuple[_Key, str], dict[_Slot, _Bucket]] = {}
    for k, (dated, undated) in by_key.items():
        dated.sort(key=lambda x: x[0])
        for n, (o, fid, told, sc) in enumerate(dated):
            for b in _slots(buckets, k, sc):
                b[0].append(o)
                b[1].append((n, fid, told, sc))
        for m, fid, told, sc in undated:
            for b in _slots(buckets, k, sc):
                b[2].append((len(dated) + m, fid, told, sc))
    return _Index(buckets, scopes, {f.id: len(f.claims) for f in ctx.facts}, documents)


def _pins_down(c: Claim) -> bool:
    """The figure pins a value down: its own interval is bounded and narrower than the figure ("3.700 Menschen",
    "etwa 3.700"), unlike a vague one ("ein paar Hundert", "Tausende": a span wider than its figure)."""
    return c.low is not None and c.high is not None and c.high - c.low <= abs(c.value)


def _slots(buckets: dict[tuple[_Key, str], dict[_Slot, _Bucket]], k: _Key, sc: _Scope) -> list[_Bucket]:
    """The buckets a row of key ``k`` and scope ``sc`` goes into: one per place it names (one if none)."""
    by = buckets.setdefault((k, sc.window), {})
    return [by.setdefault((sc.predicate, sc.year, p), ([], [], [])) for p in sorted(sc.places) or [""]]


def _candidates(index: _Index, k: _Key, sa: _Scope, days: float) -> list[_Row]:
    """The rows of ``k`` that may share ``sa``'s scope: of its window; of its predicate, year and one of its
    places, or naming none of them; within ``days`` of its day (all of them when its day is unknown), and the
    undated. In the order of the key's rows, each once."""
    by = index.buckets.get((k, sa.window))
    if not by:
        return []
    preds, years, places = ([sa.predicate, ""] if sa.predicate else None, [sa.year, ""] if sa.year else None,
                            ["", *sorted(sa.places)] if sa.places else None)
    if preds and years and places:
        found = (by.get((a, b, c)) for a in preds for b in years for c in places)
        picked = [x for x in found if x is not None]
    else:
        picked = [x for (a, b, c), x in by.items() if (preds is None or a in preds) and (years is None or b in years)
                  and (places is None or c in places)]
    out: list[_Row] = []
    o = sa.day.toordinal() if sa.day is not None else 0
    for days_of, rows, undated in picked:
        out += rows if sa.day is None else rows[bisect_left(days_of, o - days):bisect_right(days_of, o + days)]
        out += undated
    if len(picked) > 1:
        out = sorted({r[0]: r for r in out}.values(), key=lambda r: r[0])
    return out


def _day(ctx: Context, c: Claim) -> date | None:
    """The day a figure speaks of: its as-of date when a whole day, else its document's publication day."""
    for when in (str(c.as_of or ""), str(ctx.published.get(c.document) or "")):
        try:
            return date.fromisoformat(when[:10])
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Scope:
    """What sets a figure's scope, read once per claim: predicate (or its group), window, group words,
    places, year and day."""

    predicate: str
    window: str
    group: frozenset[str]
    places: frozenset[str]
    year: str
    day: date | None


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")  # a year written as four digits


def _year(c: Claim) -> str:
    """The year a figure speaks of: an earlier year its sentence names as the only year ("In 2008 the bout went
    11 rounds", in an article of 2012: a figure of the past), else the year of its as-of date."""
    year = str(c.as_of or "")[:4]
    named = set(_YEAR.findall(c.sentence))
    if year.isdigit() and len(named) == 1 and not _YEAR.search(c.surface):
        (other,) = named
        if other < year:
            return other
    return year if year.isdigit() else ""


def _scope(c: Claim, ctx: Context) -> _Scope:
    """The claim's ``_Scope``, computed once per run when the run's index is built."""
    ulex = load_update_lexicon(ctx.rules_dirs)
    return _Scope(_predicate(c, ctx, ulex.light), window_key(c, ulex.to_date), group_words(c),
                  places_of(c, ctx.lexicon), _year(c), _day(ctx, c))


def _predicate(c: Claim, ctx: Context, light: frozenset[str]) -> str:
    """What the figure's verb does, for telling two counts apart: its group ("entsandt", "sent": one), else its
    lemma; none for a verb that names no act of its own ("es gab 190 Festnahmen", "the police reported 46
    arrests": update.yml ``light_predicates``), which sets no figure apart from the act another names."""
    lemma = (c.predicate or "").lower()
    if lemma in light:
        return ""
    return ctx.lexicon.predicate_group(c.predicate) or lemma


def _same_scope(sa: _Scope, sb: _Scope, days: float) -> bool:
    """No qualifier sets the two figures apart, and their documents are of one story: the same predicate
    (soldiers killed and soldiers shipped are two counts), window and group (neither's words hold the
    other's: ``compare.groups_apart``), a shared place when both name one, and times within a story."""
    if sa.predicate and sb.predicate and sa.predicate != sb.predicate:
        return False
    if sa.window != sb.window:
        return False
    if groups_apart(sa.group, sb.group):
        return False
    if sa.places and sb.places and not sa.places & sb.places:
        return False
    if sa.year and sb.year and sa.year != sb.year:
        return False
    return sa.day is None or sb.day is None or abs((sa.day - sb.day).days) <= days


def siblings(ctx: Context, min_share: float, min_own_share: float = 0.25, days: float = 14
             ) -> dict[str, tuple[list[Claim], list[Claim]]]:
    """Per sibling fact: (this fact's matched claims, the sibling's matched claims); the matched claims are at
    least ``min_share`` of the sibling's and ``min_own_share`` of this fact's."""
    index = _index(ctx)
    mine_by: dict[tuple[_Key, _Scope], list[Claim]] = {}  # this fact's claims by key and scope: each looked up once
    for a in ctx.claims:
        k = _key(a, ctx)
        if k:
            mine_by.setdefault((k, index.scopes.get(a.id) or _scope(a, ctx)), []).append(a)
    found: dict[str, tuple[dict[str, Claim], dict[str, Claim]]] = {}
    merged: set[tuple[_Key, int]] = set()  # the rows whose claims are in ``found`` already (a row, many looks)
    for (k, sa), group in mine_by.items():
        met: set[str] = set()  # the facts this group's claims are in ``found`` for already
        for n, fid, cs, sb in _candidates(index, k, sa, days):
            if fid != ctx.fact.id and _same_scope(sa, sb, days):
                mine, theirs = found.setdefault(fid, ({}, {}))
                if fid not in met:
                    met.add(fid)
                    mine.update((a.id, a) for a in group)
                if (k, n) not in merged:
                    merged.add((k, n))
                    theirs.update((b.id, b) for b in cs)
    return {fid: (list(m.values()), list(t.values())) for fid, (m, t) in sorted(found.items())
            if len(t) >= min_share * index.sizes[fid] and len(m) >= min_own_share * len(ctx.claims)}


def _judge(ctx: Context, fid: str, mine: list[Claim], theirs: list[Claim]) -> tuple[str, str] | None:
    """(verdict, why) for a fact's figures against a sibling's, or None when the sibling adds nothing.

    Only the figures of documents that tell one of the two facts are compared (a document does not
    contradict itself): this fact speaks with all its documents, the sibling with those of its keyed or precise
    figures (``_Index``), for only its figures of the thing are brought in. When some
    other document tells both, and one fact is told as a running total, the two are a total and a part of it
    (one operation's haul), so a document telling only one of them is a scope question, not a conflict."""
    own_docs, their_docs = {c.document for c in ctx.claims}, _index(ctx).documents[fid]
    all_mine, all_theirs = mine, theirs
    mine = [c for c in mine if c.document not in their_docs]
    theirs = [c for c in theirs if c.document not in own_docs]
    if not mine or not theirs:
        return None
    both = mine + theirs
    tol = tolerances(both, ctx.lexicon, ctx.fx, ctx.published, load_update_lexicon(ctx.rules_dirs), claim_memo(ctx))
    compat = compat_matrix(tol)[: len(mine), len(mine):]
    told_both = len(own_docs & their_docs)
    if compat.all():
        return None if told_both else ("agree", "figures of another document fit")
    if told_both:
        # a document tells both figures: they are a running total and a part of it when one side (only) is
        # told as a total so far ("so far", "in total": the claims' cumulative mark); else two things that
        # share a counted noun ("five shots hit the car", "a magazine of eight shots")
        if any(c.cumulative for c in all_mine) == any(c.cumulative for c in all_theirs):
            return None
        total, part = (all_mine, all_theirs) if any(c.cumulative for c in all_mine) else (all_theirs, all_mine)
        if max(c.value for c in total if c.cumulative) < min(c.value for c in part):
            return None  # a total so far is not below its part: "nearly 10,000 in all" holds no "tens of thousands"
        return "scope", f"{told_both} document(s) tell both figures: a running total and a part of it"
    probe = Context(Fact(ctx.fact.id + "+", ctx.fact.label, [c.id for c in both], ctx.fact.unit_class), both,
                    ctx.docs, ctx.origin, ctx.facts, ctx.claims_by_id, shared=ctx.shared, lex=ctx.lex,
                    rules_dirs=ctx.rules_dirs)
    pairs = classify(probe, both)
    if pairs.conflict_count:
        return "conflict", "the figures cannot both be right"
    if pairs.update:
        return "update", pairs.update[0][2]
    if pairs.scope:
        return "scope", f"they differ in {pairs.scope[0][2]}"
    return None


def _judged(ctx: Context, p: dict[str, Any]) -> list[tuple[str, str, str, list[Claim]]]:
    """(sibling, verdict, why, claims) of every sibling of the fact: judged once for all four rules."""
    memo = ctx.shared.setdefault("sibling.judged", {})
    key = (ctx.fact.id, p["min_share"], p["min_own_share"], p["days"])
    if key not in memo:
        out = []
        for fid, (mine, theirs) in siblings(ctx, p["min_share"], p["min_own_share"], p["days"]).items():
            judged = _judge(ctx, fid, mine, theirs)
            if judged is not None:
                out.append((fid, judged[0], judged[1], mine + theirs))
        memo[key] = out
    return memo[key]  # type: ignore[no-any-return]


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit per sibling fact whose figures, judged with this fact's, give the verdict ``mode`` names."""
    if not ctx.facts:
        return []
    hits = []
    for fid, verdict, why, claims in _judged(ctx, p):
        if verdict != p["mode"]:
            continue
        hits.append(Hit(claims, {
            "across": True, "verdict": verdict, "why": why, "sibling": fid,
            "counted": claims[0].counted or "",
            "figures": "; ".join(describe(c, ctx.docs) for c in sorted(claims, key=lambda c: c.value)),
        }, key=fid))
    return hits
