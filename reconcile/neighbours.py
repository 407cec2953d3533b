"""Nearest neighbours by cosine similarity without an n x n matrix: exact in blocks, or through cells.

The clustering searches a claim's candidate pairs with them, and the story grouping a document's.
"""

from __future__ import annotations

import numpy as np

__all__ = ["unit_rows", "top_k", "nearest", "nearest_partitioned"]


def unit_rows(V: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, float32 (returned as they are when they already are)."""
    V = np.asarray(V, dtype=np.float32)
    norm = np.linalg.norm(V, axis=1, keepdims=True)
    if len(V) and np.abs(norm - 1.0).max() < 1e-4:
        return np.ascontiguousarray(V)
    return np.ascontiguousarray(V / np.maximum(norm, 1e-12), dtype=np.float32)


def top_k(S: np.ndarray, k: int) -> np.ndarray:
    """The column indices of the ``k`` largest values of each row of ``S`` (in no particular order).

    Through torch's ``topk`` (a heap per row, about twice as fast as numpy's ``argpartition`` for the small
    ``k`` of a neighbour search), or ``argpartition`` without torch; both take the same values, and a tie
    at the k-th value may be broken either way.
    """
    m = S.shape[1]
    if k >= m:
        return np.broadcast_to(np.arange(m), S.shape).copy()
    try:
        import torch
    except ImportError:  # pragma: no cover - torch comes with sentence-transformers
        return np.argpartition(S, m - k, axis=1)[:, m - k:]
    return torch.topk(torch.from_numpy(np.ascontiguousarray(S)), k, dim=1, sorted=False).indices.numpy()


def nearest(Q: np.ndarray, k: int, B: np.ndarray | None = None, chunk_mb: int = 64) -> np.ndarray:
    """For each row of ``Q``, the indices of the ``k`` most cosine-similar rows of ``B`` (default: ``Q``).

    Exact brute force in float32, a block of rows at a time, so memory stays within ``chunk_mb`` beside
    the inputs (as scikit-learn's brute-force ``NearestNeighbors`` with cosine distance, without its
    float64 distance matrix and clipping, which doubled the time). The k come in no particular order.
    """
    UQ = unit_rows(Q)
    UB = UQ if B is None else unit_rows(B)
    n, m = UQ.shape[0], UB.shape[0]
    k = min(k, m)
    out = np.empty((n, k), dtype=np.int64)
    rows = max(1, min(n, chunk_mb * 2**20 // (4 * max(m, 1))))
    for start in range(0, n, rows):
        out[start:start + rows] = top_k(UQ[start:start + rows] @ UB.T, k)  # all m columns when k >= m
    return out


def nearest_partitioned(Q: np.ndarray, k: int, B: np.ndarray | None = None, cell: int = 1000,
                        probes: int = 8) -> np.ndarray:
    """Like ``nearest``, approximately, in time that grows linearly: search only nearby cells.

    The rows of ``B`` are split into cells of about ``cell`` rows by k-means on the unit vectors (an
    inverted file, as in FAISS's IVF index); the queries of a cell are compared with the rows of its
    ``probes`` nearest cells only. A true neighbour is missed only when it lies in none of those cells,
    which the neighbour search of a clustering can afford: a fact has many members.
    """
    UQ = unit_rows(Q)
    UB = UQ if B is None else unit_rows(B)
    n, m = UQ.shape[0], UB.shape[0]
    cells = max(1, m // cell)
    if cells < 2 * probes:
        return nearest(Q, k, B)
    from sklearn.cluster import MiniBatchKMeans  # only when the cells are used (its import costs half a second)

    sample = UB if m <= 50 * cells else UB[np.linspace(0, m - 1, 50 * cells).astype(np.int64)]
    km = MiniBatchKMeans(n_clusters=cells, random_state=0, batch_size=4096, n_init=1, max_iter=30).fit(sample)
    C = unit_rows(km.cluster_centers_)

    def cell_of(U: np.ndarray) -> np.ndarray:
        """The nearest cell centre of each row."""
        label = np.empty(U.shape[0], dtype=np.int64)
        step = max(1, 2**25 // (4 * cells))
        for start in range(0, U.shape[0], step):
            label[start:start + step] = np.argmax(U[start:start + step] @ C.T, axis=1)
        return label

    def members(label: np.ndarray) -> list[np.ndarray]:
        """The rows of each cell."""
        order = np.argsort(label, kind="stable")
        bounds = np.searchsorted(label[order], np.arange(cells + 1))
        return [order[bounds[c]:bounds[c + 1]] for c in range(cells)]

    base = members(cell_of(UB))
    queries = base if B is None else members(cell_of(UQ))
    near_cells = nearest(C, probes)
    k = min(k, m)
    out = np.empty((n, k), dtype=np.int64)
    for c in range(cells):
        q = queries[c]
        if not len(q):
            continue
        pool = np.concatenate([base[j] for j in near_cells[c].tolist()])
        kk = min(k, len(pool))
        P = UB[pool]
        step = max(1, 2**22 // len(pool))  # queries at a time: similarities and their ranks stay small
        for start in range(0, len(q), step):
            qs = q[start:start + step]
            sims = UQ[qs] @ P.T
            found = pool[top_k(sims, kk)]
            if kk < k:  # a small neighbourhood: repeat the nearest to fill the row (pairs are deduplicated)
                found = np.hstack([found, np.repeat(found[:, :1], k - kk, axis=1)])
            out[qs] = found
    return out
