"""Topic clustering of claims into facts: average linkage on a sparse nearest-neighbour graph.

Candidate pairs come from scikit-learn's nearest neighbours on the sentence embeddings, within blocks of
one unit class (people, money, materiel, ...), so no n x n matrix is ever built and memory grows with
``n * neighbours``. Each candidate pair gets a combined distance: the embedding's cosine distance, the
counted thing's synonym group and the predicate's group from ``rules/lexicon/counted.yml`` (when both
claims have one; a generic word such as "Militärangehöriger" is close to every group), and how far
apart the figures are. Clusters are merged closest first (average linkage over the known pairs) until the
distance threshold, never joining two claims of one document unless they speak of the same fact.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Fact

__all__ = ["ClusterParams", "pair_distance", "same_fact_in_document", "cluster_claims", "label_for", "fact_id"]


@dataclass
class ClusterParams:
    """Weights of the combined distance and where merging stops."""

    threshold: float = 0.38
    w_embedding: float = 1.0
    w_counted: float = 1.0
    w_predicate: float = 1.0
    w_value: float = 1.0
    w_place: float = 1.0
    w_actor: float = 1.0
    # figures this many times apart are as different as two figures can be (value distance 1)
    value_scale: float = 2.0
    generic_distance: float = 0.3
    neighbours: int = 15
    # figures of one document about one fact: overlapping, or at most this ratio apart
    document_ratio: float = 1.5


def _bounds(c: Claim) -> tuple[float, float]:
    return (c.low if c.low is not None else -math.inf, c.high if c.high is not None else math.inf)


def _overlap(a: Claim, b: Claim) -> bool:
    lo_a, hi_a = _bounds(a)
    lo_b, hi_b = _bounds(b)
    return lo_a <= hi_b and lo_b <= hi_a


def _ratio(a: Claim, b: Claim) -> float:
    x, y = abs(a.value), abs(b.value)
    if x == y:
        return 1.0
    if min(x, y) == 0:
        return math.inf
    return max(x, y) / min(x, y)


def _counted_distance(a: Claim, b: Claim, lex: Lexicon, params: ClusterParams) -> float | None:
    """0 for the same thing, 1 for different things, None when the claims don't say."""
    ga, gb = a.counted_group, b.counted_group
    gen_a, gen_b = lex.is_generic(a.counted), lex.is_generic(b.counted)
    if ga and gb and not (gen_a or gen_b):
        return 0.0 if ga == gb else 1.0
    if (gen_a and (gb or gen_b)) or (gen_b and ga):
        return params.generic_distance
    if a.counted and b.counted and not ga and not gb:
        return 0.0 if a.counted.lower() == b.counted.lower() else None
    return None


def _place_distance(a: Claim, b: Claim, lex: Lexicon) -> float | None:
    """0 for a shared place, 1 for different places, None when the claims don't say or can't tell.

    Country names are folded across languages ("Russland", "Russia"); a country and a place that is not
    one cannot be told apart without a gazetteer ("nach Russland", "nach Kursk"), so they don't count.
    """
    if not a.places or not b.places:
        return None
    ka = {lex.area_of.get(p, p) for p in a.places}
    kb = {lex.area_of.get(p, p) for p in b.places}
    if ka & kb:
        return 0.0
    area_a = any(p in lex.area_of for p in a.places)
    area_b = any(p in lex.area_of for p in b.places)
    return None if area_a != area_b else 1.0


def pair_distance(a: Claim, b: Claim, cos_distance: float, lex: Lexicon, params: ClusterParams) -> float:
    """The combined distance of two claims, a weighted mean of what both claims say."""
    total = params.w_embedding * cos_distance
    weight = params.w_embedding
    dc = _counted_distance(a, b, lex, params)
    if dc is not None:
        total += params.w_counted * dc
        weight += params.w_counted
    pa = lex.predicate_group(a.predicate) if a.predicate else None
    pb = lex.predicate_group(b.predicate) if b.predicate else None
    if pa and pb:
        total += params.w_predicate * (0.0 if pa == pb else 1.0)
        weight += params.w_predicate
    dp = _place_distance(a, b, lex)
    if dp is not None:
        total += params.w_place * dp
        weight += params.w_place
    if a.actor and b.actor:
        total += params.w_actor * (0.0 if a.actor == b.actor else 1.0)
        weight += params.w_actor
    ratio = _ratio(a, b)
    dv = 0.0 if _overlap(a, b) else min(1.0, math.log(ratio) / math.log(params.value_scale))
    total += params.w_value * dv
    weight += params.w_value
    return total / weight


def same_fact_in_document(a: Claim, b: Claim, lex: Lexicon, params: ClusterParams) -> bool:
    """Two figures of one document may belong to one fact: the same thing, done, and close figures.

    An article gives one fact several figures when it reports plans beside counts, a vague figure beside a
    precise one, or a figure over time; it gives different facts when the things, the actions or the
    magnitudes differ ("1.000 Minenentschärfer und 5.000 Bausoldaten", "3.000 more" beside "11.000").
    """
    dc = _counted_distance(a, b, lex, params)
    if dc is None:
        if (a.counted or "").lower() != (b.counted or "").lower():
            return False
    elif dc >= 1.0:
        return False
    pa = lex.predicate_group(a.predicate) if a.predicate else None
    pb = lex.predicate_group(b.predicate) if b.predicate else None
    if pa and pb and pa != pb:
        return False
    if a.as_of and b.as_of and a.as_of != b.as_of and (a.cumulative or b.cumulative):
        return True  # a running total told at two dates ("bisher", "so far")
    return _overlap(a, b) or _ratio(a, b) <= params.document_ratio


def _edges(E: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Symmetric k-nearest-neighbour pairs (i < j) with their cosine distances."""
    n = E.shape[0]
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    from sklearn.neighbors import NearestNeighbors

    k = min(k, n - 1)
    from sklearn import config_context

    nn = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute").fit(E)
    with config_context(working_memory=128):  # MB per chunk of the distance computation: memory stays linear
        dist, ind = nn.kneighbors(E)
    rows = np.repeat(np.arange(n), k + 1)
    cols = ind.ravel()
    d = dist.ravel()
    keep = rows != cols
    i, j, d = rows[keep], cols[keep], d[keep]
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    key = lo.astype(np.int64) * n + hi
    _, first = np.unique(key, return_index=True)
    return lo[first], hi[first], np.clip(d[first], 0.0, 2.0)


def _link(claims: list[Claim], idx: list[int], E: np.ndarray, lex: Lexicon, params: ClusterParams) -> list[list[int]]:
    """Constrained average linkage on the block ``idx`` (indices into ``claims``)."""
    n = len(idx)
    if n == 1:
        return [idx]
    ei, ej, ed = _edges(E, params.neighbours)
    # cluster state: members, documents, and for each neighbouring cluster the sum and count of pair distances
    members: dict[int, list[int]] = {c: [c] for c in range(n)}
    docs: dict[int, dict[str, list[int]]] = {c: {claims[idx[c]].document: [c]} for c in range(n)}
    nbr: dict[int, dict[int, list[float]]] = defaultdict(dict)
    heap: list[tuple[float, int, int]] = []
    for a, b, cd in zip(ei.tolist(), ej.tolist(), ed.tolist()):
        ca, cb = claims[idx[a]], claims[idx[b]]
        if ca.document == cb.document and not same_fact_in_document(ca, cb, lex, params):
            continue
        d = pair_distance(ca, cb, cd, lex, params)
        nbr[a][b] = [d, 1.0]
        nbr[b][a] = [d, 1.0]
        if d <= params.threshold:
            heap.append((d, a, b))
    heapq.heapify(heap)
    while heap:
        d, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in nbr[a]:
            continue
        s, cnt = nbr[a][b]
        if abs(s / cnt - d) > 1e-12:
            continue  # stale entry
        if not _compatible_documents(a, b, docs, claims, idx, lex, params):
            del nbr[a][b], nbr[b][a]
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        members[a].extend(members.pop(b))
        for doc, ms in docs.pop(b).items():
            docs[a].setdefault(doc, []).extend(ms)
        del nbr[a][b]
        for c, (s2, n2) in nbr.pop(b).items():
            if c == a:
                continue
            del nbr[c][b]
            if c in nbr[a]:
                nbr[a][c][0] += s2
                nbr[a][c][1] += n2
            else:
                nbr[a][c] = [s2, n2]
            nbr[c][a] = nbr[a][c]
        for c, (s2, n2) in nbr[a].items():
            avg = s2 / n2
            if avg <= params.threshold:
                heapq.heappush(heap, (avg, min(a, c), max(a, c)))
    return [[idx[m] for m in sorted(ms)] for ms in members.values()]


def _compatible_documents(a: int, b: int, docs: dict[int, dict[str, list[int]]], claims: list[Claim],
                          idx: list[int], lex: Lexicon, params: ClusterParams) -> bool:
    shared = docs[a].keys() & docs[b].keys()
    for doc in shared:
        for x in docs[a][doc]:
            for y in docs[b][doc]:
                if not same_fact_in_document(claims[idx[x]], claims[idx[y]], lex, params):
                    return False
    return True


def label_for(claims: list[Claim]) -> str:
    """A readable label in the claims' language: what is counted, what happened, by whom."""
    langs = Counter(c.language for c in claims)
    lang = langs.most_common(1)[0][0]
    own = [c for c in claims if c.language == lang]
    counted = Counter(c.counted_text for c in own if c.counted_text).most_common(1)
    pred = Counter(c.predicate for c in own if c.predicate).most_common(1)
    subj = Counter(c.subject for c in own if c.subject).most_common(1)
    unit = Counter(c.unit for c in own if c.unit).most_common(1)
    head = counted[0][0] if counted else (unit[0][0] if unit else "figure")
    bits = [head]
    if pred:
        bits.append(pred[0][0])
    label = " · ".join(bits)
    if subj:
        label += f" ({subj[0][0]})"
    return label


def fact_id(claim_ids: list[str]) -> str:
    return "F" + hashlib.sha1("\n".join(sorted(claim_ids)).encode()).hexdigest()[:10]


def block_key(c: Claim) -> str:
    """Claims are only compared within one block: the unit class, and the currency or percent unit."""
    return c.unit_class + (":" + c.unit if c.unit_class in ("money", "percent") and c.unit else "")


def cluster_claims(claims: list[Claim], emb: np.ndarray, params: ClusterParams | None = None,
                   lex: Lexicon | None = None) -> list[Fact]:
    """Group claims into facts. Deterministic for a given set of claims, whatever their input order."""
    params = params or ClusterParams()
    lex = lex or load_lexicon()
    order = sorted(range(len(claims)), key=lambda i: claims[i].id)
    claims = [claims[i] for i in order]
    emb = np.asarray(emb, dtype=np.float32)[order] if len(order) else np.asarray(emb, dtype=np.float32)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        blocks[block_key(c)].append(i)
    groups: list[list[int]] = []
    for key in sorted(blocks):
        idx = blocks[key]
        groups.extend(_link(claims, idx, emb[idx], lex, params))
    facts = []
    for ms in groups:
        cs = [claims[i] for i in ms]
        facts.append(Fact(id=fact_id([c.id for c in cs]), label=label_for(cs), claims=[c.id for c in cs],
                          unit_class=cs[0].unit_class))
    facts.sort(key=lambda f: f.claims[0])
    return facts
