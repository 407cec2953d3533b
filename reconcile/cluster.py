"""Topic clustering of claims into facts: average linkage on a sparse nearest-neighbour graph.

Candidate pairs come from scikit-learn's nearest neighbours within blocks of one unit class (people,
money, materiel, ...), so no n x n matrix is ever built and memory grows with ``n * neighbours``. The
search runs on the embedding (reduced by PCA in large blocks) beside hashed features of what the claim
says (thing counted, action, places, actor, magnitude), so that the same fact told in another language
or other words is among a claim's neighbours; and once more without the magnitude, so that the claims
of one fact that give other figures are among them too. Each candidate pair gets a combined distance: the
embedding's cosine distance, the counted thing's synonym group and the predicate's group from
``rules/lexicon/counted.yml`` (a generic word such as "Militärangehöriger" is close to every group),
places and actors (``entities.yml`` folds "Russland", "Russia"; a mismatch weighs more than a match), and
how far apart the figures are. Clusters are merged closest first by average linkage, where a pair the
search did not link counts as ``unlinked_distance`` (so that chains of near neighbours do not merge
whole topics), never joining two claims of one document unless they speak of the same fact.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reconcile.labels import fact_label
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Fact
from reconcile.neighbours import nearest, nearest_partitioned, unit_rows
from reconcile.pairs import (PairKeys, day_number, different_basis, different_event, document_vectors,
                             load_pair_model)
from reconcile.stories import StoryParams, group_stories
from reconcile.workers import run_tasks

__all__ = ["ClusterParams", "pair_distance", "edge_distances", "nearest", "nearest_partitioned",
           "same_fact_in_document", "cluster_claims", "label_for", "fact_id", "block_key", "MIN_CLAIMS"]


@dataclass
class ClusterParams:
    """Where merging stops, how candidate pairs are searched, and which pair model weighs them."""

    # merge while the average pair distance (1 - P(same fact)) is at most this
    threshold: float = 0.75
    # a generic counted word ("Militärangehöriger") against a grouped one, for the in-document constraint
    generic_distance: float = 0.3
    neighbours: int = 15
    # a block of at most this many claims compares every pair (a story's figures); larger ones search
    all_pairs_below: int = 600
    # a pair of claims the neighbour search did not link counts at this distance in the average linkage
    # (None: unlinked pairs don't count, which lets long chains of near neighbours merge)
    unlinked_distance: float | None = 0.95
    # the neighbour search: embedding reduced to this many dimensions (large blocks only), beside this
    # many hashed feature dimensions weighted so (1.0: as much as the wording)
    search_dims: int = 128
    feature_dims: int = 64
    feature_weight: float = 1.5
    # each claim also gets ``neighbours`` found without the figure's magnitude among the features: the claims of
    # one fact that give another figure (another source's, a later one) are then linked to it as densely as those
    # that give its own, also when each figure has more claims than ``neighbours`` (a large corpus)
    figure_blind_search: bool = True
    # figures of one document about one fact: overlapping, or at most this ratio apart
    document_ratio: float = 1.5
    # the pair model (``rules/models/pair.json`` when None), or a model object with ``probability(X)``
    model_path: str | None = None
    model: Any = None
    # leave the figures out: the distance then says how alike two claims are in what they are about
    # (``check`` finds a draft figure's fact this way, whatever the figure)
    ignore_figures: bool = False
    # how documents are grouped into stories, whose claims a large block compares pair by pair (None: no stories)
    stories: StoryParams | None = field(default_factory=StoryParams)


def _factor(c: Claim) -> float:
    """What takes the claim's figure to its class's canonical unit (1 where it has none): "5,000 feet (1,524 m)"
    in one sentence is one length, and the in-document rule must see it so."""
    return abs(c.value_canonical / c.value) if c.value_canonical is not None and c.value else 1.0


def _bounds(c: Claim) -> tuple[float, float]:
    f = _factor(c)
    return (c.low * f if c.low is not None else -math.inf, c.high * f if c.high is not None else math.inf)


def _overlap(a: Claim, b: Claim) -> bool:
    lo_a, hi_a = _bounds(a)
    lo_b, hi_b = _bounds(b)
    return lo_a <= hi_b and lo_b <= hi_a


def _ratio(a: Claim, b: Claim) -> float:
    x, y = abs(a.value) * _factor(a), abs(b.value) * _factor(b)
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


def pair_distance(a: Claim, b: Claim, cos_distance: float, lex: Lexicon, params: ClusterParams) -> float:
    """The combined distance of two claims: ``edge_distances`` of the one pair (one arithmetic, tested)."""
    d = edge_distances([a, b], np.array([0]), np.array([1]), np.array([cos_distance]), lex, params)
    return float(d[0])


def same_fact_in_document(a: Claim, b: Claim, lex: Lexicon, params: ClusterParams) -> bool:
    """Two figures of one document may belong to one fact: the same thing, done, and close figures.

    An article gives one fact several figures when it reports plans beside counts, a vague figure beside a
    precise one, or a figure over time; it gives different facts when the things, the actions or the
    magnitudes differ ("1.000 Minenentschärfer und 5.000 Bausoldaten", "3.000 more" beside "11.000").
    """
    dc = _counted_distance(a, b, lex, params)
    if dc is not None and dc >= 1.0:
        return False
    if dc is None and (a.counted or "").lower() != (b.counted or "").lower() and (a.value != b.value or (
            a.counted and b.counted and "vague" in (a.hedge, b.hedge))):
        return False  # an article repeats a figure in other words; other figures of other things differ, and
        # so do vague ones of two named things ("dozens of arrests", "dozens of Democrats": no repeated figure)
    pa = lex.predicate_group(a.predicate) if a.predicate else None
    pb = lex.predicate_group(b.predicate) if b.predicate else None
    if pa and pb and pa != pb:
        return False
    if a.as_of and b.as_of and a.as_of != b.as_of and (a.cumulative or b.cumulative):
        return True  # a running total told at two dates ("bisher", "so far")
    return _overlap(a, b) or _ratio(a, b) <= params.document_ratio


def _features(c: Claim, lex: Lexicon) -> list[str]:
    """What a claim says about its fact besides its wording: thing, action, places, actor, magnitude (``mag``)."""
    out = []
    thing = c.counted_group or (c.counted or "").lower()
    if thing:
        out.append("thing:" + thing)
    pred = lex.predicate_group(c.predicate) if c.predicate else None
    if pred:
        out.append("pred:" + pred)
    out.extend("place:" + lex.place_key(p) for p in c.places)
    if c.actor:
        out.append("actor:" + c.actor)
    if c.value > 0:
        m = math.log10(c.value) * 4  # quarter decades, on two offset grids so near figures share one
        out += [f"mag:{math.floor(m)}", f"mag+:{math.floor(m + 0.5)}"]
    return out


def _candidate_vectors(claims: list[Claim], E: np.ndarray, lex: Lexicon, params: ClusterParams) -> np.ndarray:
    """The vectors the neighbour search runs on: the embedding (reduced) beside hashed claim features.

    Neighbours by wording alone are often other facts told in the same words ("... Soldaten nach X
    geschickt") and miss the same fact told in another language; the features pull the claims that
    share thing, action, place, actor and magnitude together. Only the search uses these vectors: the
    distances of the pairs it finds are computed on the full embedding.
    """
    return _search_views(claims, E, lex, params)[0]


def _search_views(claims: list[Claim], E: np.ndarray, lex: Lexicon, params: ClusterParams) -> list[np.ndarray]:
    """The search vectors of ``_candidate_vectors``, and (``figure_blind_search``) the same without the magnitude
    features: one fact's claims of other figures are near in the second where the first sets them apart.

    Searched with the magnitude alone, the claims of each figure of a large fact (the agency's 12,000, another
    source's 15,000) are each other's nearest and fill each other's neighbour lists; the figures then link to each
    other so sparsely that the average linkage keeps them apart. Each claim's neighbours are searched in both.
    """
    n = E.shape[0]
    X = E
    if X.shape[1] > params.search_dims and n > 4 * params.search_dims:
        X = _principal_components(X, params.search_dims)
    X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    F = np.zeros((n, params.feature_dims), dtype=np.float32)
    M = np.zeros((n, params.feature_dims), dtype=np.float32)  # the magnitude features
    column: dict[str, int] = {}  # each feature's hashed column, computed once (most claims share most features)
    for i, c in enumerate(claims):
        for f in _features(c, lex):
            j = column.get(f)
            if j is None:
                j = column[f] = zlib.crc32(f.encode("utf-8")) % params.feature_dims
            (M if f.startswith("mag") else F)[i, j] += 1.0
    views = [F + M, F] if params.figure_blind_search else [F + M]
    return [np.hstack([X, params.feature_weight * (V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-12))])
            for V in views]


def _principal_components(X: np.ndarray, dims: int, sample: int = 8000) -> np.ndarray:
    """``X`` projected on its ``dims`` principal axes, from the covariance of at most ``sample`` rows.

    An exact PCA through the eigenvectors of the (columns x columns) covariance: one product and one small
    symmetric eigenproblem, where a randomized SVD of the rows took seven power iterations.
    """
    n = X.shape[0]
    S = np.asarray(X if n <= sample else X[np.linspace(0, n - 1, sample).astype(np.int64)], dtype=np.float64)
    mean = S.mean(axis=0)
    S -= mean
    _, vectors = np.linalg.eigh(S.T @ S)  # eigenvalues ascending: the last columns are the principal axes
    axes = vectors[:, ::-1][:, :dims].astype(np.float32)
    return (np.asarray(X, dtype=np.float32) - mean.astype(np.float32)) @ axes


def _all_pairs(E: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (i < j) of a small block with its cosine distance: no neighbour search to miss one."""
    lo, hi = np.triu_indices(E.shape[0], k=1)
    U = unit_rows(E)
    sims = (U @ U.T)[lo, hi].astype(np.float64)  # a small block: its full similarity matrix is small too
    return lo.astype(np.int64), hi.astype(np.int64), np.clip(1.0 - sims, 0.0, 2.0)


def _edges(E: np.ndarray, V: np.ndarray | list[np.ndarray], k: int, langs: list[str] | None = None,
           exact_below: int = 10000, all_below: int = 0, stories: np.ndarray | None = None,
           found: list[np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Symmetric k-nearest-neighbour pairs (i < j) found on ``V`` (or on each of a list of views of the claims,
    ``_search_views``, ``k`` in each), with cosine distances on ``E``.

    With several languages in ``langs``, each claim gets its share of the ``k`` among the claims of every
    language: a fact told in German and in English has its German claims nearest to each other, and
    without a share of English neighbours its two halves would hardly be linked. Every pair of claims of
    one story (``stories``, a number per claim) is added to the neighbours. ``found``: the neighbours of every
    view and target language (``_search_share`` of each of ``_targets`` in each view), when already searched
    (on a worker).
    """
    n = E.shape[0]
    if n < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    if n <= all_below:
        return _all_pairs(E)
    if found is None:
        views = [unit_rows(v) for v in (V if isinstance(V, list) else [V])]
        found = [_search_share(U, k, langs, t, exact_below) for U in views for t in _targets(langs)]
    ind = found[0] if len(found) == 1 else np.hstack(found)
    rows = np.repeat(np.arange(n), ind.shape[1])
    cols = ind.ravel()
    if stories is not None:
        si, sj = _story_pairs(stories)
        rows, cols = np.concatenate([rows, si]), np.concatenate([cols, sj])
    keep = rows != cols
    i, j = rows[keep], cols[keep]
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    key = lo.astype(np.int64) * n + hi
    _, first = np.unique(key, return_index=True)
    lo, hi = lo[first], hi[first]
    norm = np.maximum(np.linalg.norm(E, axis=1), 1e-12)
    d = np.empty(len(lo), dtype=np.float64)
    for start in range(0, len(lo), 65536):  # pairwise dot products, a slice at a time
        sl = slice(start, start + 65536)
        d[sl] = 1.0 - np.einsum("ij,ij->i", E[lo[sl]], E[hi[sl]]) / (norm[lo[sl]] * norm[hi[sl]])
    return lo, hi, np.clip(d, 0.0, 2.0)


def _targets(langs: list[str] | None) -> list[str | None]:
    """The languages whose claims each claim gets a share of its neighbours among; [None]: one share of all."""
    targets = sorted(set(langs)) if langs else []
    return list(targets) if len(targets) >= 2 else [None]


def _search_share(U: np.ndarray, k: int, langs: list[str] | None, target: str | None,
                  exact_below: int = 10000) -> np.ndarray:
    """Each row's nearest rows of unit vectors ``U`` among the claims of language ``target`` (its share of
    ``k``), or among all (``k + 1``, itself included) when ``target`` is None: one independent part of the
    neighbour search of ``_edges``, which a worker can run apart."""
    n = U.shape[0]
    search = nearest if n < exact_below else nearest_partitioned
    if target is None:
        return search(U, min(k, n - 1) + 1)
    share = -(-(k + 1) // len(set(langs or [])))
    base = np.flatnonzero(np.asarray(langs) == target)
    return base[search(U, min(share, len(base)), U[base])]  # type: ignore[no-any-return]


def _story_pairs(stories: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i < j) of rows with the same story number."""
    order = np.argsort(stories, kind="stable")
    bounds = np.flatnonzero(np.diff(stories[order])) + 1
    parts = [(g[lo], g[hi]) for g in np.split(order, bounds) if len(g) > 1
             for lo, hi in [np.triu_indices(len(g), k=1)]]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def edge_distances(block: list[Claim], ei: np.ndarray, ej: np.ndarray, cos: np.ndarray, lex: Lexicon,
                   params: ClusterParams, counted: np.ndarray | None = None,
                   docs: np.ndarray | None = None) -> np.ndarray:
    """The distance of many pairs (``block[ei[k]]``, ``block[ej[k]]``): one minus the pair model's P(same fact).

    ``cos`` is each pair's cosine distance of the identifying texts; ``counted`` and ``docs`` are the
    block's counted-phrase embeddings and document vectors (``pairs.PairKeys``), unknown when None.
    """
    keys = PairKeys.of(block, lex, counted, docs)
    return _distances(keys, ei, ej, cos, lex, params)


def _distances(keys: PairKeys, ei: np.ndarray, ej: np.ndarray, cos: np.ndarray, lex: Lexicon,
               params: ClusterParams) -> np.ndarray:
    if not len(ei):
        return np.zeros(0)
    model = params.model or load_pair_model(params.model_path)
    X = keys.features(ei, ej, cos, lex)
    apart = different_event(X) | different_basis(X)
    return np.where(apart, 1.0, 1.0 - model.probability(X, params.ignore_figures))


def _link(claims: list[Claim], idx: list[int], E: np.ndarray, lex: Lexicon, params: ClusterParams,
          counted: np.ndarray | None = None, doc_rows: np.ndarray | None = None,
          stories: np.ndarray | None = None, found: list[np.ndarray] | None = None) -> list[list[int]]:
    """Constrained average linkage on the block ``idx`` (indices into ``claims``).

    A small block compares every pair; a large one its claims' nearest neighbours (``found`` when already
    searched, as ``_edges`` takes them) and, when ``stories`` (a story number per claim of the block) is given,
    every pair of one story.
    """
    n = len(idx)
    if n == 1:
        return [idx]
    block = [claims[i] for i in idx]
    small = n <= params.all_pairs_below
    V = E if small or found is not None else _search_views(block, E, lex, params)  # no search: no vectors
    keys = PairKeys.of(block, lex, counted, doc_rows)
    ei, ej, ed = _edges(E, V, params.neighbours, [c.language for c in block], all_below=params.all_pairs_below,
                        stories=None if small else stories, found=found)
    state = _Linkage(block, params, None if small or stories is None else stories.tolist())
    dist = _distances(keys, ei, ej, ed, lex, params)
    keep = keys.codes["doc"][ei] != keys.codes["doc"][ej]  # two documents: always linked
    for k in np.flatnonzero(~keep).tolist():
        keep[k] = same_fact_in_document(block[int(ei[k])], block[int(ej[k])], lex, params)
    state.add_many(ei[keep], ej[keep], dist[keep])
    state.run(lambda a, b: _compatible_documents(a, b, state.docs, claims, idx, lex, params))
    return [[idx[m] for m in sorted(ms)] for ms in state.members.values()]


class _Linkage:
    """The state of one block's average linkage: clusters, their documents and the links between them.

    For each pair of neighbouring clusters a link keeps the sum and count of their linked pairs' distances
    and how many of their claim pairs share a story (all summed when clusters merge); the closest pair (by
    ``_average``) is merged first, while it is within the threshold. A heap entry carries the versions of
    its two clusters (bumped by each merge), so a stale entry is known without recomputing its average.
    Pairs of one story that are not linked (two figures of one document about different facts, a refused
    merge) are not counted: the two clusters can never merge anyway.
    """

    def __init__(self, block: list[Claim], params: ClusterParams, stories: list[int] | None) -> None:
        n = len(block)
        self.params = params
        self.stories = stories
        self.members: dict[int, list[int]] = {c: [c] for c in range(n)}
        self.docs: dict[int, dict[str, list[int]]] = {c: {block[c].document: [c]} for c in range(n)}
        self.nbr: dict[int, dict[int, list[float]]] = defaultdict(dict)
        self.version = [0] * n
        # the linked pairs inside each cluster (with its size: how densely its claims are linked), and the
        # links of its claims in all (with its size: how many claims one of them reaches)
        self.inner = [0.0] * n
        self.degree = [0.0] * n
        self.heap: list[tuple[float, int, int, int, int]] = []

    def add_many(self, ei: np.ndarray, ej: np.ndarray, dist: np.ndarray) -> None:
        """Linked pairs of single claims (``ei[k]``, ``ej[k]``, each pair once) at distances ``dist``: each link
        is [distance sum, pairs, pairs of one story].

        Both directions share one link list, so that a merge's sums are seen from either cluster. Each claim's
        links are set at once from the pairs sorted by claim (a dictionary per claim, not two stores per pair).
        """
        ei, ej = np.asarray(ei, dtype=np.int64), np.asarray(ej, dtype=np.int64)
        st = self.stories
        same = np.zeros(len(ei)) if st is None else (np.asarray(st)[ei] == np.asarray(st)[ej]).astype(np.float64)
        links = [[d, 1.0, s] for d, s in zip(dist.tolist(), same.tolist())]
        src, dst = np.concatenate([ei, ej]), np.concatenate([ej, ei])
        order = np.argsort(src, kind="stable")
        src, dst, pair = src[order], dst[order].tolist(), (order % max(1, len(ei))).tolist()
        mine = [links[k] for k in pair]
        cut = np.flatnonzero(np.diff(src)) + 1
        nbr = self.nbr
        for a, lo, hi in zip(src[np.concatenate([[0], cut])].tolist() if len(src) else [],
                             [0, *cut.tolist()], [*cut.tolist(), len(src)]):
            nbr[a].update(zip(dst[lo:hi], mine[lo:hi]))
        degree = self.degree
        for a, cnt in enumerate(np.bincount(src, minlength=len(degree)).tolist()):
            degree[a] += cnt
        near = np.flatnonzero(dist <= self.params.threshold)
        self.heap.extend(zip(dist[near].tolist(), ei[near].tolist(), ej[near].tolist(),
                             [0] * len(near), [0] * len(near)))

    def average(self, a: int, b: int) -> float:
        """The average linkage of clusters ``a`` and ``b`` (``_average``, with their pairs of one story)."""
        link = self.nbr[a][b]
        return _average(link, len(self.members[a]), len(self.members[b]), self.params, int(link[2]),
                        (self.inner[a], self.inner[b]), (self.degree[a], self.degree[b]))

    def run(self, compatible: Any) -> None:
        """Merge closest first; ``compatible(a, b)`` may refuse a merge (two documents' figures)."""
        heap, version, members, nbr = self.heap, self.version, self.members, self.nbr
        heapq.heapify(heap)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if va != version[a] or vb != version[b] or a not in members or b not in members or b not in nbr[a]:
                continue  # stale: one of the two merged since, or the pair was refused
            if not compatible(a, b):
                del nbr[a][b], nbr[b][a]
                continue
            self._merge(a, b) if len(members[a]) >= len(members[b]) else self._merge(b, a)

    def _merge(self, a: int, b: int) -> None:
        """Cluster ``b`` joins ``a``; their links to every other cluster are summed."""
        members, nbr = self.members, self.nbr
        self.inner[a] += self.inner[b] + nbr[a][b][1]
        self.degree[a] += self.degree[b]
        members[a].extend(members.pop(b))
        self.version[a] += 1
        self.version[b] += 1
        for doc, ms in self.docs.pop(b).items():
            self.docs[a].setdefault(doc, []).extend(ms)
        del nbr[a][b]
        near = nbr[a]
        for c, link in nbr.pop(b).items():
            if c == a:
                continue
            del nbr[c][b]
            if c in near:
                mine = near[c]
                mine[0] += link[0]
                mine[1] += link[1]
                mine[2] += link[2]
            else:
                near[c] = nbr[c][a] = link
        self._push(a)

    def _push(self, a: int) -> None:
        """Heap entries for cluster ``a`` with each of its neighbours within the threshold.

        The average of each link is ``_average``'s arithmetic written out (the same operations in the same
        order, so the same floats): after each merge it runs once per neighbour of the merged cluster, and
        the call and its ``min``/``max`` cost more than the arithmetic.
        """
        params, version, heap, members = self.params, self.version, self.heap, self.members
        size, threshold, push = len(members[a]), params.threshold, heapq.heappush
        unlinked, half = params.unlinked_distance, params.neighbours
        # the average is a weighted mean of the linked pairs' mean distance and ``unlinked``: when both are
        # above the threshold (by more than rounding), so is the average, and it need not be computed
        far = threshold * (1.0 + 1e-9) if unlinked is not None and unlinked > threshold * (1.0 + 1e-9) else math.inf
        inner, degree = self.inner, self.degree
        mine = inner[a] / (size * (size - 1) / 2) if size > 1 else None
        wide = size * (size - 1) > degree[a]
        for c, link in self.nbr[a].items():
            s, cnt = link[0], link[1]
            if s > far * cnt:
                continue
            if unlinked is None:
                avg = s / cnt
            else:
                other = len(members[c])
                pairs, share = size * other, half * (size + other) / 2
                expected = share if share < pairs else pairs
                theirs = inner[c] / (other * (other - 1) / 2) if other > 1 else None
                dens = mine if theirs is None else theirs if mine is None or theirs < mine else mine
                if dens is not None and dens * pairs < expected:
                    expected = dens * pairs
                if wide and other * (other - 1) > degree[c]:
                    union = size + other
                    dens = (inner[a] + inner[c] + cnt) / (union * (union - 1) / 2)
                    if dens * pairs < expected:
                        expected = dens * pairs
                same = int(link[2])
                if same > expected:
                    expected = same
                missing = expected - cnt
                if missing < 0.0:
                    missing = 0.0
                avg = (s + missing * unlinked) / (cnt + missing)
            if avg <= threshold:
                x, y = (a, c) if a < c else (c, a)
                push(heap, (avg, x, y, version[x], version[y]))


def _average(link: list[float], size_a: int, size_b: int, params: ClusterParams, same_story: int = 0,
             inner: tuple[float, float] | None = None, degree: tuple[float, float] | None = None) -> float:
    """Average linkage of two clusters from the sum and count of their linked pairs' distances.

    Two clusters of one fact are linked by about as many pairs as the neighbour search gives their
    claims: every pair while the clusters are small, about ``neighbours`` per claim once they are large,
    and every pair of claims of one story (``same_story`` of them). Each expected link that is missing
    counts at ``unlinked_distance``, so that a chain of a few near neighbours does not join two large
    clusters, while a large fact can still grow whole.

    A fact of many more claims than a claim has links spreads each claim's links over all of it, so two of
    its pieces are linked no more densely than the sparser is inside (``inner``: the linked pairs inside
    each cluster); and once both pieces hold more claims than one of their claims reaches (``degree``: the
    links of each cluster's claims in all), no more densely than their union.
    """
    s, cnt = link[0], link[1]
    if params.unlinked_distance is None:
        return s / cnt
    pairs = size_a * size_b
    expected = min(pairs, params.neighbours * (size_a + size_b) / 2)
    if inner is not None:
        expected = min([expected, *(_density(inner[i], size) * pairs for i, size in enumerate((size_a, size_b))
                                    if size > 1)])
        if degree is not None and size_a * (size_a - 1) > degree[0] and size_b * (size_b - 1) > degree[1]:
            expected = min(expected, _density(inner[0] + inner[1] + cnt, size_a + size_b) * pairs)
    expected = max(same_story, expected)
    missing = max(0.0, expected - cnt)
    return (s + missing * params.unlinked_distance) / (cnt + missing)


def _density(linked: float, size: int) -> float:
    """The share of a cluster's claim pairs that are linked."""
    return linked / (size * (size - 1) / 2)


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
    """A readable label in the claims' language: what is counted and what happened (``labels.fact_label``)."""
    return fact_label(claims)


def fact_id(claim_ids: list[str]) -> str:
    """A fact's id from its claims' ids (any order): the same claims give the same id in every run."""
    return "F" + hashlib.sha1("\n".join(sorted(claim_ids)).encode()).hexdigest()[:10]


def block_key(c: Claim) -> str:
    """Claims are only compared within one block: money per currency, percent, each measured dimension,
    and one block for every count (people, things, cases: which thing is counted is for the pair model)."""
    if c.unit_class in ("money", "percent"):
        return c.unit_class + (":" + c.unit if c.unit else "")
    return c.unit_class if c.unit_class not in _COUNT_CLASSES else "count"


_COUNT_CLASSES = frozenset({"count", "people", "materiel", "formations", "objects", "age"})


def _fold_copies(claims: list[Claim], idx: list[int]) -> tuple[list[int], dict[int, list[int]]]:
    """One representative for claims that say the same in the same words (syndicated copies).

    Sixty copies of an agency story would fill every claim's neighbour list with its own copies, and
    the links across outlets would never be found; each group of copies is clustered as one claim and
    expanded afterwards. Returns the representatives and, per representative, all its claims.
    """
    first: dict[tuple[object, ...], int] = {}
    copies: dict[int, list[int]] = {}
    for i in idx:
        c = claims[i]
        rep = first.setdefault((c.key_text, c.value, c.low, c.high, c.hedge, c.unit, c.sentence), i)
        copies.setdefault(rep, []).append(i)
    return sorted(copies), copies


MIN_CLAIMS = 2000  # below this many claims, `jobs = 0` links the blocks in process


@dataclass
class _Blocks:
    """What linking any block reads, the same for every block: the claims sorted by id, the rows of ``emb``
    and ``counted`` (in the caller's order) that they are, each claim's document vector and story; and per
    block (in ``cluster_claims``' order) its claims with copies folded (``_fold_copies``), the search vectors
    of a block that searches neighbours (``_search_views``, unit rows) and the neighbours found."""

    claims: list[Claim]
    order: np.ndarray
    emb: np.ndarray
    counted: np.ndarray | None
    doc_codes: np.ndarray | None
    doc_rows: np.ndarray | None
    story: np.ndarray | None
    lex: Lexicon
    params: ClusterParams
    folded: list[tuple[list[int], dict[int, list[int]]]] = field(default_factory=list)
    search: list[list[np.ndarray] | None] = field(default_factory=list)
    found: dict[int, list[np.ndarray]] = field(default_factory=dict)

    def langs(self, b: int) -> list[str]:
        """The languages of block ``b``'s claims (copies folded)."""
        return [self.claims[i].language for i in self.folded[b][0]]


def _link_block(run: _Blocks, b: int) -> list[list[int]]:
    """The facts of block ``b`` as sorted lists of claim indices (into ``run.claims``), its copies folded for the
    linkage and expanded after it. Blocks are independent: each runs alone, in process or in a worker
    (``workers.run_tasks``), with the same result."""
    idx, copies = run.folded[b]
    rows = run.order[idx]
    doc_rows, doc_codes = run.doc_rows, run.doc_codes
    linked = _link(run.claims, idx, run.emb[rows], run.lex, run.params,
                   None if run.counted is None else run.counted[rows],
                   None if doc_rows is None or doc_codes is None else doc_rows[doc_codes[rows]],
                   None if run.story is None else run.story[rows], run.found.get(b))
    return [sorted(j for i in g for j in copies[i]) for g in linked]


# ("stories", 0, None, 0), ("search", block, target language, view), ("link", block, None, 0)
_Task = tuple[str, int, "str | None", int]


def _first_round(run: _Blocks, task: _Task) -> Any:
    """A task of the first round, which needs no story: the stories themselves, one target language's share of a
    large block's neighbour search in one of its views, or the whole linkage of a small block (which compares all
    its pairs)."""
    kind, b, target, view = task
    if kind == "stories":
        return _claim_stories(run.claims, run.doc_codes, run.doc_rows, run.params.stories)
    if kind == "search":
        views = run.search[b]
        assert views is not None, "only a block that searches neighbours has search vectors"
        return _search_share(views[view], run.params.neighbours, run.langs(b), target)
    return _link_block(run, b)


def cluster_claims(claims: list[Claim], emb: np.ndarray, params: ClusterParams | None = None,
                   lex: Lexicon | None = None, counted: np.ndarray | None = None, jobs: int = 1) -> list[Fact]:
    """Group claims into facts. Deterministic for a given set of claims, whatever their input order.

    ``emb`` embeds each claim's identifying text, ``counted`` (optional) its counted phrase
    (``embed.counted_embeddings``); document vectors are the mean of a document's claim embeddings, and
    the documents are grouped into stories (``stories.group_stories``) from them. The work runs on ``jobs``
    local processes (``workers.run_tasks``; 0 = one per core for ``MIN_CLAIMS`` claims or more) in two rounds:
    first the stories, each large block's neighbour search (one task per language) and the small blocks'
    linkage; then the large blocks' linkage, which needs the stories and the neighbours. The same facts, in
    the same order, as in process.

    BLAS runs on one thread throughout (``threadpoolctl``), in process as in the workers: its threads gained
    nothing on these small products and spun against each other and the workers (the PCA's 512 x 512 ``eigh``
    took 4 s on two threads, 0.04 s on one), and the facts no longer depend on how many cores a machine has.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _cluster(claims, emb, params or ClusterParams(), lex or load_lexicon(), counted, jobs)


def _cluster(claims: list[Claim], emb: np.ndarray, params: ClusterParams, lex: Lexicon, counted: np.ndarray | None,
             jobs: int) -> list[Fact]:
    """``cluster_claims`` once its parameters are set."""
    emb = np.asarray(emb, dtype=np.float32)  # rows are taken block by block below: no sorted copy of it all
    doc_codes, doc_rows = document_vectors(claims, emb) if len(claims) else (None, None)
    order = np.asarray(sorted(range(len(claims)), key=lambda i: claims[i].id), dtype=np.int64)
    sorted_claims = [claims[i] for i in order.tolist()]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(sorted_claims):
        blocks[block_key(c)].append(i)
    run = _Blocks(sorted_claims, order, emb, None if counted is None else np.asarray(counted), doc_codes, doc_rows,
                  None, lex, params)
    for key in sorted(blocks):
        idx, copies = _fold_copies(sorted_claims, blocks[key])
        run.folded.append((idx, copies))
        large = len(idx) > params.all_pairs_below
        run.search.append([unit_rows(v) for v in _search_views([sorted_claims[i] for i in idx], emb[order[idx]], lex,
                                                                params)] if large else None)
    workers = 1 if jobs == 0 and len(claims) < MIN_CLAIMS else jobs
    first: list[_Task] = []
    cost: list[int] = []  # what each task costs, roughly (rows compared): the costliest start first
    if params.stories is not None and doc_codes is not None:
        first.append(("stories", 0, None, 0))
        cost.append(len(claims))
    for b, (idx, _) in enumerate(run.folded):
        if run.search[b] is None:
            first.append(("link", b, None, 0))
            cost.append(len(idx) ** 2 // 10)
        else:
            for view in range(len(run.search[b] or [])):
                for t in _targets(run.langs(b)):
                    first.append(("search", b, t, view))
                    cost.append(len(idx) * (len(idx) // 2 if t else len(idx)) // 1000)
    done = dict(zip(first, run_tasks(_first_round, run, first, cost, workers, 0)))
    run.story = done.pop(("stories", 0, None, 0), None)
    for (kind, b, _, _), part in done.items():
        if kind == "search":
            run.found.setdefault(b, []).append(part)  # by view, then in the order of ``_targets``, as listed
    second = [b for b in range(len(run.folded)) if run.search[b] is not None]
    linked = dict(zip(second, run_tasks(_link_block, run, second, [len(run.folded[b][0]) for b in second],
                                        workers, 0)))
    groups = [g for b in range(len(run.folded))
              for g in (linked[b] if b in linked else done[("link", b, None, 0)])]
    facts = []
    for ms in groups:
        cs = [sorted_claims[i] for i in ms]
        facts.append(Fact(id=fact_id([c.id for c in cs]), label=label_for(cs), claims=[c.id for c in cs],
                          unit_class=cs[0].unit_class))
    facts.sort(key=lambda f: f.claims[0])
    return facts


def _claim_stories(claims: list[Claim], doc_codes: np.ndarray | None, doc_rows: np.ndarray | None,
                   params: StoryParams | None) -> np.ndarray | None:
    """The story number of each claim's document (None without stories): documents dated by their claims'
    median as-of day, grouped by ``stories.group_stories``."""
    if params is None or doc_codes is None or doc_rows is None:
        return None
    n = doc_rows.shape[0]
    days = np.array([day_number(c.as_of) for c in claims], dtype=np.float64)
    doc_day = np.full(n, np.nan)
    known = ~np.isnan(days)
    order = np.lexsort((days[known], doc_codes[known]))
    codes_k, days_k = doc_codes[known][order], days[known][order]
    for code, part in zip(*_runs(codes_k, days_k)):
        doc_day[code] = float(np.median(part))
    return group_stories(doc_rows, doc_day, np.bincount(doc_codes, minlength=n), params)[doc_codes]


def _runs(codes: np.ndarray, values: np.ndarray) -> tuple[list[int], list[np.ndarray]]:
    """The distinct ``codes`` of a sorted array and the ``values`` of each."""
    if not len(codes):
        return [], []
    cut = np.flatnonzero(np.diff(codes)) + 1
    return [int(c) for c in codes[np.concatenate([[0], cut])]], np.split(values, cut)
