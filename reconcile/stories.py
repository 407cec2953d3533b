"""Stories: the documents of a corpus grouped by the event they tell, so that facts form within a story.

A corpus of many events (an archive, a folder of a year's news) holds the same kinds of figures for many
stories: the votes of two Senate votes years apart, the toll of this quake and of the last one. The
clustering compares every pair of claims inside one story (as it does in a small corpus), and across
stories only the nearest neighbours, whose missing links count against a merge: a fact joins across
stories only when its claims are close enough to be found and the pair model says the event matches.

Two documents are of one story when what they are about is alike (the cosine similarity of their
document vectors, the mean embedding of their claims) and they were written close in time (their
median as-of days). Documents are joined most similar first over each document's nearest neighbours,
while a story stays within ``days`` from its first day to its last (no chain of stories over months) and
small enough to compare all its pairs (``max_claims``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reconcile.neighbours import nearest, nearest_partitioned, unit_rows

__all__ = ["StoryParams", "group_stories"]


@dataclass
class StoryParams:
    """When two documents tell one story, and how large a story may grow."""

    # document vectors at least this cosine-similar ...
    similarity: float = 0.6
    # ... and a story's documents written within this many days (unknown dates don't keep them apart)
    days: float = 14.0
    # the nearest documents each document is compared with
    neighbours: int = 10
    # a story stops growing at this many claims (every pair of a story's claims is compared)
    max_claims: int = 150


def _candidates(V: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each document's ``k`` nearest other documents as pairs (i < j, deduplicated) with their similarity."""
    n = V.shape[0]
    search = nearest if n < 10000 else nearest_partitioned
    ind = search(V, min(k, n - 1) + 1)
    rows = np.repeat(np.arange(n), ind.shape[1])
    cols = ind.ravel()
    keep = rows != cols
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    _, first = np.unique(lo.astype(np.int64) * n + hi, return_index=True)
    lo, hi = lo[first], hi[first]
    sim = np.empty(len(lo), dtype=V.dtype)
    for start in range(0, len(lo), 16384):  # a slice of pairs at a time: no copy of two rows per pair at once
        sl = slice(start, start + 16384)
        sim[sl] = np.einsum("ij,ij->i", V[lo[sl]], V[hi[sl]])
    return lo, hi, sim


def _known(a: int, b: int, first: np.ndarray) -> bool:
    """Both stories have a known day (a story of undated documents joins any)."""
    return not (np.isnan(first[a]) or np.isnan(first[b]))


def group_stories(doc_vectors: np.ndarray, days: np.ndarray, sizes: np.ndarray,
                  params: StoryParams | None = None) -> np.ndarray:
    """A story number per document (row of ``doc_vectors``), numbered by their first document.

    ``days`` is each document's day number (NaN when unknown), ``sizes`` its number of claims. Deterministic:
    ties in similarity are broken by the documents' rows.
    """
    params = params or StoryParams()
    n = len(doc_vectors)
    parent = np.arange(n)
    if n < 2:
        return parent
    V = unit_rows(np.asarray(doc_vectors, dtype=np.float32))
    lo, hi, sim = _candidates(V, params.neighbours)
    gap = np.abs(days[lo] - days[hi])
    ok = (sim >= params.similarity) & ~(gap > params.days)  # NaN gaps pass
    lo, hi, sim = lo[ok], hi[ok], sim[ok]
    size = np.asarray(sizes, dtype=np.int64).copy()
    first, last = days.astype(np.float64).copy(), days.astype(np.float64).copy()  # each story's span of days

    def root(x: int) -> int:
        """The story of document ``x`` (union-find, paths halved)."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for k in np.lexsort((hi, lo, -sim)).tolist():
        a, b = root(int(lo[k])), root(int(hi[k]))
        if a == b or size[a] + size[b] > params.max_claims:
            continue
        span = np.nanmax([last[a], last[b]]) - np.nanmin([first[a], first[b]]) if _known(a, b, first) else 0.0
        if span > params.days:
            continue  # a story of weeks, not a chain of stories over months
        a, b = min(a, b), max(a, b)
        parent[b] = a
        size[a] += size[b]
        first[a], last[a] = np.fmin(first[a], first[b]), np.fmax(last[a], last[b])
    return np.array([root(i) for i in range(n)], dtype=np.int64)
