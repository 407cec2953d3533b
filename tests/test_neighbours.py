"""Nearest neighbours by cosine similarity: exact in blocks, approximate through k-means cells."""

from __future__ import annotations

import numpy as np


def test_unit_rows_scales_to_unit_length_and_keeps_zero_rows_finite():
    from reconcile.neighbours import unit_rows

    V = np.array([[3.0, 4.0], [0.0, 0.0], [1.0, 0.0]])
    U = unit_rows(V)
    assert U.dtype == np.float32 and np.allclose(U[0], [0.6, 0.8]) and np.all(np.isfinite(U))
    assert np.allclose(np.linalg.norm(U[[0, 2]], axis=1), 1.0)
    assert unit_rows(U[[0, 2]]) is not None and np.allclose(unit_rows(U[[0, 2]]), U[[0, 2]])


def test_a_query_set_searches_another_base():
    from reconcile.neighbours import nearest

    B = np.eye(4, dtype=np.float32)
    Q = np.array([[0.9, 0.1, 0, 0], [0, 0, 0.2, 0.8]], dtype=np.float32)
    assert nearest(Q, 1, B).tolist() == [[0], [3]]


def test_nearest_is_the_exact_cosine_neighbour_search():
    from sklearn.neighbors import NearestNeighbors

    from reconcile.neighbours import nearest

    rng = np.random.default_rng(3)
    V = rng.normal(size=(700, 24)).astype(np.float32)
    want = NearestNeighbors(n_neighbors=9, metric="cosine", algorithm="brute").fit(V).kneighbors(V)[1]
    got = nearest(V, 9, chunk_mb=1)  # several chunks of rows
    assert [set(r) for r in got.tolist()] == [set(r) for r in want.tolist()]
    assert nearest(V[:5], 9).shape == (5, 5)  # k larger than the rows: all of them


def test_partitioned_search_finds_most_true_neighbours():
    from reconcile.neighbours import nearest, nearest_partitioned

    rng = np.random.default_rng(5)
    centers = rng.normal(size=(40, 16))
    V = (np.repeat(centers, 100, axis=0) + 0.3 * rng.normal(size=(4000, 16))).astype(np.float32)
    exact = nearest(V, 10)
    approx = nearest_partitioned(V, 10, cell=100, probes=8)  # 40 cells, 8 searched per query
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact.tolist(), approx.tolist())])
    assert recall > 0.9, recall
    Q = V[:50] + 0.01
    assert nearest_partitioned(Q, 5, V, cell=100).shape == (50, 5)


def test_top_k_takes_the_largest_values_of_each_row():
    from reconcile.neighbours import top_k

    S = np.random.default_rng(3).standard_normal((40, 300)).astype(np.float32)
    got = np.sort(top_k(S, 7), axis=1)
    want = np.sort(np.argsort(-S, axis=1)[:, :7], axis=1)
    assert (got == want).all()
    assert np.sort(top_k(S[:, :5], 9), axis=1).tolist() == [list(range(5))] * 40  # k beyond the columns: all
