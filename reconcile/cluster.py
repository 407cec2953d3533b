"""Topic clustering of claims into facts: scikit-learn agglomerative clustering on a sparse kNN graph.

The distance combines embedding similarity with what the claims already say: the counted thing's
synonym group and the predicate's group (``rules/lexicon/counted.yml``). Claims are blocked by unit
class (people, money, materiel, ...), and only k nearest neighbours are connected, so no n x n matrix
is ever built. Claims of one document share a fact only when they repeat the same figure.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from reconcile.model import Claim, Fact

__all__ = ["ClusterParams", "features", "cluster_claims", "label_for", "fact_id"]


@dataclass
class ClusterParams:
    """Weights of the combined distance and the cut of the dendrogram (cosine distance)."""

    threshold: float = 0.35
    w_embedding: float = 1.0
    w_counted: float = 1.0
    w_predicate: float = 1.0
    neighbours: int = 15


def _hash_vec(token: str, dim: int = 32) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


def features(claims: list[Claim], emb: np.ndarray, params: ClusterParams) -> np.ndarray:
    """Concatenate the embedding with hashed vectors of the counted and predicate groups, normalised."""
    from reconcile.lexicon import load_lexicon

    lex = load_lexicon()
    rows = []
    for c, e in zip(claims, emb):
        cg = c.counted_group or (c.counted.lower() if c.counted else None)
        pg = lex.predicate_group(c.predicate) if c.predicate else None
        parts = [e * params.w_embedding,
                 (_hash_vec("c:" + cg) if cg else np.zeros(32, np.float32)) * params.w_counted,
                 (_hash_vec("p:" + pg) if pg else np.zeros(32, np.float32)) * params.w_predicate]
        v = np.concatenate(parts)
        rows.append(v / (np.linalg.norm(v) or 1.0))
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, emb.shape[1] + 64), np.float32)


def _compatible(a: Claim, b: Claim) -> bool:
    lo_a = a.low if a.low is not None else -np.inf
    hi_a = a.high if a.high is not None else np.inf
    lo_b = b.low if b.low is not None else -np.inf
    hi_b = b.high if b.high is not None else np.inf
    return lo_a <= hi_b and lo_b <= hi_a


def _repeats(a: Claim, b: Claim) -> bool:
    """Within one document: the same figure of the same thing, told again."""
    if a.counted_group != b.counted_group:
        return False
    return abs(a.value - b.value) <= 0.05 * max(abs(a.value), abs(b.value), 1e-9) and _compatible(a, b)


def _cluster_block(X: np.ndarray, params: ClusterParams) -> np.ndarray:
    n = X.shape[0]
    if n == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.neighbors import kneighbors_graph

    k = min(params.neighbours, n - 1)
    conn = kneighbors_graph(X, n_neighbors=k, metric="cosine", include_self=False)
    conn = conn.maximum(conn.T)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns when it completes a disconnected graph
        model = AgglomerativeClustering(n_clusters=None, distance_threshold=params.threshold, metric="cosine",
                                        linkage="average", connectivity=conn)
        return model.fit_predict(X)


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


def cluster_claims(claims: list[Claim], emb: np.ndarray, params: ClusterParams | None = None) -> list[Fact]:
    """Group claims into facts. Deterministic for a given set of claims, whatever their input order."""
    params = params or ClusterParams()
    order = sorted(range(len(claims)), key=lambda i: claims[i].id)
    claims = [claims[i] for i in order]
    emb = emb[order] if len(order) else emb
    X = features(claims, emb, params)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        key = c.unit_class + (":" + c.unit if c.unit_class in ("money", "percent") and c.unit else "")
        blocks[key].append(i)
    groups: list[list[int]] = []
    for key in sorted(blocks):
        idx = blocks[key]
        labels = _cluster_block(X[idx], params)
        by: dict[int, list[int]] = defaultdict(list)
        for j, lab in zip(idx, labels):
            by[int(lab)].append(j)
        for members in by.values():
            groups.extend(_split_same_document(members, claims, X))
    facts = []
    for members in groups:
        cs = [claims[i] for i in members]
        facts.append(Fact(id=fact_id([c.id for c in cs]), label=label_for(cs), claims=[c.id for c in cs],
                          unit_class=cs[0].unit_class))
    facts.sort(key=lambda f: f.claims[0])
    return facts


def _split_same_document(members: list[int], claims: list[Claim], X: np.ndarray) -> list[list[int]]:
    """Keep at most one figure per document unless the document repeats a compatible figure."""
    if len(members) < 2:
        return [members]
    centroid = X[members].mean(axis=0)
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i in members:
        by_doc[claims[i].document].append(i)
    keep: list[int] = []
    out: list[list[int]] = []
    for doc in sorted(by_doc):
        idx = sorted(by_doc[doc], key=lambda i: -float(X[i] @ centroid))
        anchor = idx[0]
        keep.append(anchor)
        for i in idx[1:]:
            if _repeats(claims[i], claims[anchor]):
                keep.append(i)
            else:
                out.append([i])
    return [sorted(keep)] + out
