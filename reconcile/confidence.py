"""Verdicts, reconciled values and confidence per fact; independence of sources; learned reliability.

Corroboration counts independent *origins*, not articles: claims merge into one origin when their
documents share an outlet or an author, when their sentences are near-identical (agency copy), or when
they name the same attributed source. Reliability of each outlet is learned across all facts of the
corpus (truth discovery in the spirit of TruthFinder), with hedge-aware intervals as the notion of
"agrees with the reconciled value".
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate
from reconcile.checks.base import bounds, fmt
from reconcile.config import Config
from reconcile.model import Claim, Document, Fact, Finding

__all__ = ["origins_for", "fact_origins", "consensus", "reconcile_facts", "MODALITY_WEIGHT", "attribution_key"]

MODALITY_WEIGHT = {"asserted": 1.0, "reported": 0.85, "estimated": 0.7, "planned": 0.45, "hypothetical": 0.1}
_STOP = {"der", "die", "das", "des", "dem", "den", "und", "the", "and", "of", "von", "laut", "nach"}
PRIOR_RELIABILITY = 0.8


@lru_cache(maxsize=65536)
def _tokens(s: str) -> frozenset[str]:
    """Content words of a text, cut to six letters; cached because every sentence is asked about often."""
    return frozenset(w[:6] for w in re.findall(r"[\wäöüß]+", s.lower()) if len(w) >= 3 and w not in _STOP)


def attribution_key(attr: str | None) -> frozenset[str]:
    return frozenset(_tokens(attr)) if attr else frozenset()


def _outlet_key(doc: Document | None) -> str:
    if doc is None:
        return "?"
    if doc.outlet:
        return _outlet_word(doc.outlet)
    return "doc:" + doc.id


@lru_cache(maxsize=4096)
def _outlet_word(outlet: str) -> str:
    """The first word of an outlet's name, lower case: "DW (Deutsche Welle)" and "DW" are one outlet."""
    words = re.sub(r"\W+", " ", outlet.lower()).split()
    return words[0] if words else outlet.lower()


class _UF:
    def __init__(self, items: list[str]) -> None:
        self.p = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _join_similar(uf: _UF, claims: list[Claim], keys: list[frozenset[str]], threshold: float,
                  index_words: Callable[[frozenset[str]], Iterable[str]]) -> None:
    """Unite the claims whose word sets have a Jaccard similarity of at least ``threshold``."""
    holders: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k:
            holders[k].append(i)
    for members in holders.values():
        for j in members[1:]:
            uf.union(claims[members[0]].id, claims[j].id)
    distinct = list(holders)
    by_word: dict[str, list[int]] = defaultdict(list)
    for x, k in enumerate(distinct):
        for w in index_words(k):
            by_word[w].append(x)
    seen: set[tuple[int, int]] = set()
    for xs in by_word.values():
        for n, x in enumerate(xs):
            ka = distinct[x]
            a = claims[holders[ka][0]].id
            for y in xs[n + 1:]:
                if (x, y) in seen:
                    continue
                seen.add((x, y))
                kb = distinct[y]
                b = claims[holders[kb][0]].id
                if uf.find(a) != uf.find(b) and len(ka & kb) / len(ka | kb) >= threshold:
                    uf.union(a, b)


def origins_for(claims: list[Claim], docs: dict[str, Document]) -> dict[str, str]:
    """Map each claim id to a readable name of its independent origin.

    Claims share an origin when they come from one document or outlet, share an author, name the same
    source (attributions with Jaccard >= 0.5 of their words), or stand in near-identical sentences (Jaccard
    >= 0.7: agency copy). Keys are computed once per claim and pairs are only compared within buckets
    (a shared outlet, author, attribution word or rarest sentence word) and claims with equal keys once.
    """
    uf = _UF([c.id for c in claims])
    names: dict[str, str] = {}
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    att_keys: list[frozenset[str]] = []
    text_keys: list[frozenset[str]] = []
    df: dict[str, int] = defaultdict(int)
    for i, c in enumerate(claims):
        d = docs.get(c.document)
        names[c.id] = c.attribution or (d.outlet if d and d.outlet else c.document)
        buckets[("doc", c.document)].append(i)
        buckets[("outlet", _outlet_key(d))].append(i)
        for a in (d.authors if d else []):
            buckets[("author", a)].append(i)
        att_keys.append(attribution_key(c.attribution))
        toks = _tokens(c.sentence)
        text_keys.append(toks)
        for t in toks:
            df[t] += 1
    for key, members in buckets.items():
        for j in members[1:]:
            uf.union(claims[members[0]].id, claims[j].id)
    # attributions and sentences: claims with the same key are one origin at once; distinct keys are
    # compared only when they share a word (the attribution's, or the sentence's two rarest: near-identical
    # sentences share them)
    _join_similar(uf, claims, att_keys, 0.5, lambda k: k)
    _join_similar(uf, claims, text_keys, 0.7, lambda k: sorted(k, key=lambda t: (df[t], t))[:2])
    groups: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        groups[uf.find(c.id)].append(c.id)
    out = {}
    for ids in groups.values():
        label = " / ".join(sorted({names[m] for m in ids}))
        for m in ids:
            out[m] = label
    return out


def consensus(items: list[tuple[float, float, float, float, str]]) -> tuple[float, float, float, float, set[str]]:
    """Pick the best-supported point among interval claims.

    ``items``: (low, high, value, weight, origin). Each origin's weight is shared among its claims.
    Returns (value, low, high, support share, supporting origins). The support of every candidate comes
    from one sweep over the sorted interval ends, so a fact of many claims costs n log n, not n squared.
    """
    per_origin: dict[str, int] = defaultdict(int)
    for *_, origin in items:
        per_origin[origin] += 1
    total = sum(w / per_origin[o] for _, _, _, w, o in items) or 1.0
    valid = [(lo, hi, w / per_origin[o]) for lo, hi, _, w, o in items if lo <= hi]
    starts = sorted((lo, share) for lo, _, share in valid)
    ends = sorted((hi, share) for _, hi, share in valid)
    start_at = [lo for lo, _ in starts]
    end_at = [hi for hi, _ in ends]
    started = list(accumulate((share for _, share in starts), initial=0.0))
    ended = list(accumulate((share for _, share in ends), initial=0.0))
    width: dict[float, float] = defaultdict(float)
    for lo, hi, v, _, _ in items:
        width[v] += min(hi, 1e18) - max(lo, -1e18)
    best: tuple[float, float, float] | None = None
    for cand in sorted(width):
        # intervals with low <= cand, less those that ended before it
        support = started[bisect_right(start_at, cand)] - ended[bisect_left(end_at, cand)]
        # prefer higher support, then precise figures (narrow intervals), then the lower value
        score = (round(support, 9), -width[cand], -cand)
        if best is None or score > best:
            best = score
    value = -best[2] if best else 0.0
    best_sup = {o for lo, hi, _, _, o in items if lo <= value <= hi}
    sup_items = [(lo, hi) for lo, hi, _, _, o in items if o in best_sup and lo <= value <= hi]
    low = max((lo for lo, _ in sup_items), default=value)
    high = min((hi for _, hi in sup_items), default=value)
    if low > value:
        low = value
    if high < value:
        high = value
    return value, low, high, (best[0] / total if best else 0.0), best_sup


def _items(claims: list[Claim], origin: dict[str, str], rel: dict[str, float], docs: dict[str, Document]
           ) -> list[tuple[float, float, float, float, str]]:
    out = []
    for c in claims:
        lo, hi = bounds(c)
        r = rel.get(_outlet_key(docs.get(c.document)), PRIOR_RELIABILITY)
        out.append((lo, hi, c.value, MODALITY_WEIGHT.get(c.modality, 0.5) * r, origin[c.id]))
    return out


def _actual(claims: list[Claim]) -> list[Claim]:
    actual = [c for c in claims if c.modality not in ("planned", "hypothetical")]
    return actual or [c for c in claims if c.modality != "hypothetical"] or claims


def fact_origins(facts: list[Fact], claims: list[Claim], docs: dict[str, Document]) -> dict[str, dict[str, str]]:
    """``origins_for`` of every fact, by fact id: computed once, handed to the rules and the confidence."""
    by_id = {c.id: c for c in claims}
    return {f.id: origins_for([by_id[cid] for cid in f.claims], docs) for f in facts}


def reconcile_facts(facts: list[Fact], claims: list[Claim], docs: dict[str, Document], config: Config,
                    findings: list[Finding] | None = None, reliability: dict[str, float] | None = None,
                    iterations: int = 5, origins: dict[str, dict[str, str]] | None = None) -> dict[str, float]:
    """Set value, range, origins (and, given findings, verdict, confidence, explanation) on every fact.

    Without ``reliability``, outlet reliability is learned first: iterate consensus and agreement.
    """
    by_id = {c.id: c for c in claims}
    fact_claims = {f.id: [by_id[cid] for cid in f.claims] for f in facts}
    if origins is None:
        origins = {f.id: origins_for(fact_claims[f.id], docs) for f in facts}
    rel = dict(reliability or {})
    if reliability is None:
        for _ in range(iterations):
            agree: dict[str, float] = defaultdict(float)
            seen: dict[str, float] = defaultdict(float)
            for f in facts:
                cs = _actual(fact_claims[f.id])
                if len({origins[f.id][c.id] for c in cs}) < 2:
                    continue
                value, *_ = consensus(_items(cs, origins[f.id], rel, docs))
                for c in cs:
                    lo, hi = bounds(c)
                    key = _outlet_key(docs.get(c.document))
                    seen[key] += 1
                    agree[key] += 1.0 if lo <= value <= hi else 0.0
            new = {k: (agree[k] + 2 * PRIOR_RELIABILITY) / (seen[k] + 2) for k in seen}
            if all(abs(new.get(k, 0) - rel.get(k, 0)) < 1e-6 for k in new):
                rel = new
                break
            rel = new
    by_fact: dict[str, list[Finding]] = defaultdict(list)
    for fd in findings or []:
        by_fact[fd.fact].append(fd)
    for f in facts:
        cs = fact_claims[f.id]
        org = origins[f.id]
        f.origins = sorted(set(org.values()))
        f.independent_sources = len(f.origins)
        actual = _actual(cs)
        value, low, high, support, sup = consensus(_items(actual, org, rel, docs))
        # a later update supersedes: reconcile to the newest figure when TI01 says so
        fds = by_fact.get(f.id, [])
        updates = [fd for fd in fds if fd.data.get("later_date")]
        if updates:
            latest = max(actual, key=lambda c: (c.as_of or "", c.value))
            lo, hi = bounds(latest)
            value, low, high = latest.value, lo, hi
            sup = {org[latest.id]}
            support = 1.0
        f.value = value
        f.low = None if math.isinf(low) else low
        f.high = None if math.isinf(high) else high
        f.spread_low = min(c.value for c in cs)
        f.spread_high = max(c.value for c in cs)
        if findings is None:
            continue
        f.verdict = _verdict(f, fds)
        f.confidence = _confidence(f, cs, actual, org, sup, support, rel, docs)
        f.explanation = _explain(f, cs, org, fds, docs, support)
    return rel


def _verdict(f: Fact, fds: list[Finding]) -> str:
    kinds = {fd.rule for fd in fds}
    if f.independent_sources <= 1:
        return "single-source"
    if "NU01" in kinds:
        return "conflict"
    if "TI01" in kinds:
        return "update"
    if ("SC01" in kinds or "SC02" in kinds) and "NU02" not in kinds:
        return "scope"
    return "agree"


def _confidence(f: Fact, cs: list[Claim], actual: list[Claim], org: dict[str, str], sup: set[str], support: float,
                rel: dict[str, float], docs: dict[str, Document]) -> float:
    supporting = [c for c in actual if org[c.id] in sup]
    n = len(sup)
    base = 1 - 0.5 ** max(n, 1)
    modality = sum(MODALITY_WEIGHT.get(c.modality, 0.5) for c in supporting) / max(1, len(supporting))
    widths = []
    for c in supporting:
        lo, hi = bounds(c)
        widths.append(1.0 if math.isinf(lo) or math.isinf(hi) else min(1.0, (hi - lo) / max(abs(c.value), 1e-9)))
    hedge = 1 - 0.3 * (sum(widths) / max(1, len(widths)))
    newest = max((c.as_of or "" for c in actual), default="")
    recency = 1.0 if any((c.as_of or "") == newest for c in supporting) else 0.85
    r = [rel.get(_outlet_key(docs.get(c.document)), PRIOR_RELIABILITY) for c in supporting] or [PRIOR_RELIABILITY]
    reliability = sum(r) / len(r)
    conf = base * (0.4 + 0.6 * support) * modality * hedge * recency * (0.5 + 0.5 * reliability)
    return round(max(0.01, min(0.99, conf)), 3)


def _explain(f: Fact, cs: list[Claim], org: dict[str, str], fds: list[Finding], docs: dict[str, Document],
             support: float) -> list[str]:
    lines = []
    rng = "" if f.spread_low == f.spread_high else f" (figures range {fmt(f.spread_low)} to {fmt(f.spread_high)})"
    interval = f"{fmt(f.low)} to {fmt(f.high)}"
    lines.append(f"Reconciled to about {fmt(f.value)} (interval {interval}){rng}, from {f.independent_sources} "
                 f"independent origin(s); {support:.0%} of the weight of the actual figures supports it.")
    for c in sorted(cs, key=lambda c: (c.as_of or "", c.document)):
        d = docs.get(c.document)
        who = f", attributed to {c.attribution}" if c.attribution else ""
        lines.append(f"{d.outlet if d and d.outlet else c.document} ({d.published if d and d.published else 'undated'})"
                     f": \u201c{c.sentence}\u201d \u2014 {c.surface}, {c.modality}{who}, as of {c.as_of or 'unknown'}; "
                     f"origin: {org[c.id]}.")
    for fd in fds:
        lines.append(f"{fd.rule} {fd.name} ({fd.level}): {fd.message}")
    return lines

