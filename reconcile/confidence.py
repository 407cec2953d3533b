"""Verdicts, reconciled values and confidence per fact; independence of sources; learned reliability.

Two steps, run in this order by ``pipeline.judge``: ``learn_reliability`` (before the rules: how often
each outlet's figures agree with the consensus, across all facts, in the spirit of TruthFinder) and
``judge_facts`` (after the rules: the verdict from the rules' findings, the reconciled value, independence
and confidence, explained in words).

Corroboration counts independent *origins*, not articles: claims merge into one origin when their
documents share an outlet or an author, when their sentences are near-identical (agency copy), or when
they name the same attributed source. Independence is reported beside the verdict, never instead of it.

Confidence estimates how likely the verdict is right. It is the product of: the number of independent
origins behind the reconciled figure (``1 - 0.5 ** n``; for ``conflict``, ``update`` and ``scope``, which say
how the figures differ, the origins of every figure, with the whole weight), the share of the weight supporting it
(``support_floor + (1 - support_floor) * support``), the modality of the supporting figures (asserted 1.0
down to hypothetical 0.1), their hedge width (up to ``hedge_penalty`` off for wide intervals), whether the
newest figure supports it (else ``recency_penalty``), the learned reliability of their outlets
(``reliability_floor + (1 - reliability_floor) * r``) and a weight per verdict (``verdict_weight``), mapped
through ``sigmoid(calibration_slope * logit(p) + calibration_offset)``, the two parameters fitted on the
development clusters by ``bench/calibrate.py`` (whose leave-one-cluster-out figures are in BENCHMARKS.md).
Every weight is a field of ``ConfidenceParams``, overridable in ``[tool.reconcile.confidence]``;
BENCHMARKS.md shows how confidence bins match the share of verdicts right on the development set.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from dataclasses import dataclass, field, fields
from itertools import accumulate
from typing import Any

from reconcile.checks.base import fmt
from reconcile.config import Config, ConfigError
from reconcile.intervals import bounds
from reconcile.model import Claim, Document, Fact, Finding
from reconcile.packaged import packaged_data

__all__ = ["origins_for", "fact_origins", "consensus", "learn_reliability", "judge_facts", "ConfidenceParams",
           "MODALITY_WEIGHT", "attribution_key", "VERDICT_ORDER", "DIFFERENCE_VERDICTS"]

MODALITY_WEIGHT = {"asserted": 1.0, "reported": 0.85, "estimated": 0.7, "planned": 0.45, "hypothetical": 0.1}
_STOP = frozenset(str(w) for w in packaged_data("sources")["name_stopwords"])  # lexicon/sources.yml
# when a fact's findings give several verdicts, the first of these wins: an unexplained conflict outweighs
# an update elsewhere in the fact, and any difference outweighs agreement
VERDICT_ORDER = ("conflict", "update", "scope", "agree")
# verdicts that say the figures differ (and how): their confidence counts the origins on every side
DIFFERENCE_VERDICTS = ("conflict", "update", "scope")


@dataclass
class ConfidenceParams:
    """The weights of independence, reliability and confidence (see the module docstring)."""

    prior_reliability: float = 0.8
    attribution_jaccard: float = 0.5
    copy_jaccard: float = 0.7
    iterations: int = 5
    support_floor: float = 0.4
    reliability_floor: float = 0.5
    hedge_penalty: float = 0.3
    recency_penalty: float = 0.85
    modality_weight: dict[str, float] = field(default_factory=lambda: dict(MODALITY_WEIGHT))
    verdict_weight: dict[str, float] = field(default_factory=lambda: {
        "agree": 1.0, "conflict": 0.75, "update": 0.75, "scope": 0.7, "single": 0.6})
    # the product above is mapped through sigmoid(slope * logit(p) + offset), fitted by bench/calibrate.py on
    # the development clusters (BENCHMARKS.md gives the leave-one-cluster-out figures); 1 and 0: no map
    calibration_slope: float = 0.446
    calibration_offset: float = 1.559

    @classmethod
    def from_config(cls, config: Config | None) -> ConfidenceParams:
        """Defaults, with the keys of ``[tool.reconcile.confidence]`` (``Config.confidence``) applied."""
        over: dict[str, Any] = dict(getattr(config, "confidence", None) or {})
        known = {f.name for f in fields(cls)}
        unknown = set(over) - known
        if unknown:
            where = getattr(config, "source", None) or "config"
            raise ConfigError(f"{where}: [confidence]: unknown key(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        p = cls()
        for k, v in over.items():
            setattr(p, k, {**getattr(p, k), **v} if isinstance(v, dict) else v)
        return p


@lru_cache(maxsize=65536)
def _tokens(s: str) -> frozenset[str]:
    """Content words of a text, cut to six letters; cached because every sentence is asked about often."""
    return frozenset(w[:6] for w in re.findall(r"\w+", s.lower()) if len(w) >= 3 and w not in _STOP)


def attribution_key(attr: str | None) -> frozenset[str]:
    """The content words of an attribution, for telling whether two claims name the same source."""
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
    """Union-find over claim ids: the claims that go back to one origin end up with one root."""

    def __init__(self, items: list[str]) -> None:
        self.p = {i: i for i in items}

    def find(self, x: str) -> str:
        """The root of ``x`` (paths halved on the way)."""
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Join the sets of ``a`` and ``b`` (the smaller id becomes the root, so results do not depend on order)."""
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


def origins_for(claims: list[Claim], docs: dict[str, Document],
                params: ConfidenceParams | None = None) -> dict[str, str]:
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
    p = params or ConfidenceParams()
    _join_similar(uf, claims, att_keys, p.attribution_jaccard, lambda k: k)
    _join_similar(uf, claims, text_keys, p.copy_jaccard, lambda k: sorted(k, key=lambda t: (df[t], t))[:2])
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


def _items(claims: list[Claim], origin: dict[str, str], rel: dict[str, float], docs: dict[str, Document],
           params: ConfidenceParams) -> list[tuple[float, float, float, float, str]]:
    out = []
    for c in claims:
        lo, hi = bounds(c)
        r = rel.get(_outlet_key(docs.get(c.document)), params.prior_reliability)
        out.append((lo, hi, c.value, params.modality_weight.get(c.modality, 0.5) * r, origin[c.id]))
    return out


def _actual(claims: list[Claim]) -> list[Claim]:
    actual = [c for c in claims if c.modality not in ("planned", "hypothetical")]
    return actual or [c for c in claims if c.modality != "hypothetical"] or claims


def fact_origins(facts: list[Fact], claims: list[Claim], docs: dict[str, Document],
                 params: ConfidenceParams | None = None) -> dict[str, dict[str, str]]:
    """``origins_for`` of every fact, by fact id: computed once, handed to the rules and the confidence."""
    by_id = {c.id: c for c in claims}
    return {f.id: origins_for([by_id[cid] for cid in f.claims], docs, params) for f in facts}


def _fact_claims(facts: list[Fact], claims: list[Claim]) -> dict[str, list[Claim]]:
    by_id = {c.id: c for c in claims}
    return {f.id: [by_id[cid] for cid in f.claims] for f in facts}


def learn_reliability(facts: list[Fact], claims: list[Claim], docs: dict[str, Document],
                      origins: dict[str, dict[str, str]], params: ConfidenceParams | None = None) -> dict[str, float]:
    """Each outlet's reliability: how often its figures hold the consensus of facts with two or more origins.

    Iterated (consensus weighs outlets by reliability, reliability counts agreement with the consensus)
    until it settles or ``params.iterations`` rounds have run; smoothed towards ``prior_reliability``.
    """
    p = params or ConfidenceParams()
    fact_claims = _fact_claims(facts, claims)
    rel: dict[str, float] = {}
    for _ in range(p.iterations):
        agree: dict[str, float] = defaultdict(float)
        seen: dict[str, float] = defaultdict(float)
        for f in facts:
            cs = _actual(fact_claims[f.id])
            if len({origins[f.id][c.id] for c in cs}) < 2:
                continue
            value, *_ = consensus(_items(cs, origins[f.id], rel, docs, p))
            for c in cs:
                lo, hi = bounds(c)
                key = _outlet_key(docs.get(c.document))
                seen[key] += 1
                agree[key] += 1.0 if lo <= value <= hi else 0.0
        new = {k: (agree[k] + 2 * p.prior_reliability) / (seen[k] + 2) for k in seen}
        settled = all(abs(new.get(k, 0) - rel.get(k, 0)) < 1e-6 for k in new)
        rel = new
        if settled:
            break
    return rel


def across(fd: Finding) -> bool:
    """The finding judges the fact together with another fact counting the same thing (``checks.sibling``)."""
    return bool(fd.data.get("across"))


def _verdict(documents: int, fds: list[Finding]) -> str:
    """The first of ``VERDICT_ORDER`` the fact's own findings give (``single`` for one document, else agree);
    when that is agree or single, the first a finding across facts gives (a fact the grouping split)."""
    own = {fd.verdict for fd in fds if fd.verdict and not across(fd)}
    verdict = next((v for v in VERDICT_ORDER if v in own), "agree" if documents >= 2 else "single")
    if verdict in DIFFERENCE_VERDICTS:
        return verdict
    other = {fd.verdict for fd in fds if fd.verdict and across(fd)}
    return next((v for v in VERDICT_ORDER if v in other), verdict)


def _corroboration(cs: list[Claim], org: dict[str, str]) -> str:
    """independent (two or more origins), one-origin (one source quoted, or one document), or copies."""
    if len(set(org.values())) > 1:
        return "independent"
    if len({c.document for c in cs}) > 1 and not all(c.attribution for c in cs):
        return "copies"
    return "one-origin"


def _when(c: Claim, docs: dict[str, Document]) -> str:
    d = docs.get(c.document)
    return c.as_of or (d.published if d and d.published else "")


def judge_facts(facts: list[Fact], claims: list[Claim], docs: dict[str, Document], findings: list[Finding],
                reliability: dict[str, float], origins: dict[str, dict[str, str]],
                params: ConfidenceParams | None = None) -> None:
    """Set verdict, reconciled value, range, independence, confidence and explanation on every fact."""
    p = params or ConfidenceParams()
    fact_claims = _fact_claims(facts, claims)
    by_fact: dict[str, list[Finding]] = defaultdict(list)
    for fd in findings:
        by_fact[fd.fact].append(fd)
    for f in facts:
        cs, org, fds = fact_claims[f.id], origins[f.id], by_fact.get(f.id, [])
        f.origins = sorted(set(org.values()))
        f.origin_claims = {o: sorted(c.id for c in cs if org[c.id] == o) for o in f.origins}
        f.independent_sources = len(f.origins)
        f.documents = len({c.document for c in cs})
        f.corroboration = _corroboration(cs, org)
        f.verdict = _verdict(f.documents, fds)
        actual = _actual(cs)
        value, low, high, support, sup = consensus(_items(actual, org, reliability, docs, p))
        if f.verdict == "update":  # the newest figure supersedes the others
            latest = max(actual, key=lambda c: (_when(c, docs), c.value))
            (low, high), value, sup, support = bounds(latest), latest.value, {org[latest.id]}, 1.0
        f.value = value
        f.low = None if math.isinf(low) else low
        f.high = None if math.isinf(high) else high
        f.spread_low = min(c.value for c in cs)
        f.spread_high = max(c.value for c in cs)
        f.confidence = _confidence(f, actual, org, sup, support, reliability, docs, p)
        f.explanation = _explain(f, cs, org, fds, docs, support)


def _confidence(f: Fact, actual: list[Claim], org: dict[str, str], sup: set[str], support: float,
                rel: dict[str, float], docs: dict[str, Document], p: ConfidenceParams) -> float:
    """How likely the verdict is right, from the factors listed in the module docstring."""
    if f.verdict in DIFFERENCE_VERDICTS:  # the verdict rests on every side of the difference, not on one figure
        sup, support = {org[c.id] for c in actual} or sup, 1.0
    supporting = [c for c in actual if org[c.id] in sup] or actual
    base = 1 - 0.5 ** max(len(sup), 1)
    modality = sum(p.modality_weight.get(c.modality, 0.5) for c in supporting) / max(1, len(supporting))
    widths = []
    for c in supporting:
        lo, hi = bounds(c)
        widths.append(1.0 if math.isinf(lo) or math.isinf(hi) else min(1.0, (hi - lo) / max(abs(c.value), 1e-9)))
    hedge = 1 - p.hedge_penalty * (sum(widths) / max(1, len(widths)))
    newest = max((c.as_of or "" for c in actual), default="")
    recency = 1.0 if any((c.as_of or "") == newest for c in supporting) else p.recency_penalty
    r = [rel.get(_outlet_key(docs.get(c.document)), p.prior_reliability) for c in supporting] or [p.prior_reliability]
    reliability = sum(r) / len(r)
    conf = (base * (p.support_floor + (1 - p.support_floor) * support) * modality * hedge * recency
            * (p.reliability_floor + (1 - p.reliability_floor) * reliability) * p.verdict_weight.get(f.verdict, 1.0))
    conf = max(0.01, min(0.99, conf))
    mapped = 1 / (1 + math.exp(-(p.calibration_slope * math.log(conf / (1 - conf)) + p.calibration_offset)))
    return round(max(0.01, min(0.99, mapped)), 3)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _summary(f: Fact, fds: list[Finding]) -> str:
    """The verdict in one sentence: what the figures do, and how independent they are."""
    copies = f.documents - f.independent_sources
    tail = f"; {_plural(copies, 'copy', 'copies')}" if copies > 0 else ""
    first = {fd.verdict: fd for fd in fds if fd.verdict and not across(fd)}
    other = {fd.verdict: fd for fd in fds if fd.verdict and across(fd)}
    if f.verdict not in first and f.verdict in other:  # judged with another fact counting the same thing
        return other[f.verdict].message
    if f.verdict == "single":
        return "Stated by one document only: nothing to compare it with."
    if f.verdict == "agree":
        how = first["agree"].data.get("how", "within rounding and hedges") if "agree" in first else "within rounding"
        who = (_plural(f.independent_sources, "independent origin") if f.corroboration == "independent"
               else f"{_plural(f.documents, 'document')} going back to one origin")
        return f"{who} agree {how}{tail}."
    if f.verdict == "conflict":
        return (f"The figures conflict: they range from {fmt(f.spread_low)} to {fmt(f.spread_high)} "
                f"({_plural(f.independent_sources, 'independent origin')}{tail}).")
    if f.verdict == "update":
        fd = first.get("update")
        why = f" ({fd.data.get('evidence')})" if fd and fd.data.get("evidence") else ""
        return f"A later figure updates the earlier ones{why}; reconciled to the newest, {fmt(f.value)}."
    fd = first.get("scope")
    what = fd.data.get("explanation") if fd else None
    return f"The figures differ in scope{': ' + str(what) if what else ''}."


def _explain(f: Fact, cs: list[Claim], org: dict[str, str], fds: list[Finding], docs: dict[str, Document],
             support: float) -> list[str]:
    """Why the verdict, in words: one summary line, the reconciled figure or range, each source, each finding."""
    lines = [_summary(f, fds)]
    if f.verdict == "conflict":
        lines.append(f"Figures range {fmt(f.spread_low)} to {fmt(f.spread_high)}; the best supported is about "
                     f"{fmt(f.value)} ({support:.0%} of the weight of the actual figures).")
    else:
        rng = "" if f.spread_low == f.spread_high else f" (figures range {fmt(f.spread_low)} to {fmt(f.spread_high)})"
        lines.append(f"Reconciled to about {fmt(f.value)} (interval {fmt(f.low)} to {fmt(f.high)}){rng}; "
                     f"{support:.0%} of the weight of the actual figures supports it.")
    for c in sorted(cs, key=lambda c: (c.as_of or "", c.document)):
        d = docs.get(c.document)
        who = f", attributed to {c.attribution}" if c.attribution else ""
        lines.append(f"{d.outlet if d and d.outlet else c.document} ({d.published if d and d.published else 'undated'})"
                     f": \u201c{c.sentence}\u201d \u2014 {c.surface}, {c.modality}{who}, as of {c.as_of or 'unknown'}; "
                     f"origin: {org[c.id]}.")
    for fd in fds:
        lines.append(f"{fd.rule} {fd.name} ({fd.level}): {fd.message}")
    return lines
