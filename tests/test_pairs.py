"""The pair model (``reconcile.pairs``): loading, probabilities, document vectors."""

from __future__ import annotations

import numpy as np

from reconcile.pairs import FEATURES, FIGURE_FEATURES, PairModel, document_vectors, load_pair_model

from .builders import claim


def _row(**values: float) -> np.ndarray:
    x = np.zeros((1, len(FEATURES)))
    for k, v in values.items():
        x[0, FEATURES.index(k)] = v
    return x


def test_the_packaged_model_reads_known_features_and_gives_probabilities():
    m = load_pair_model()
    assert set(m.features) <= set(FEATURES) and m.coef.shape == (len(m.features),)
    X = np.vstack([_row(cos=0.9, counted_cos=0.8, equal=1.0, overlap=1.0), _row(cos=0.1, rel_diff=0.5)])
    p = m.probability(X)
    cols = [FEATURES.index(f) for f in m.features]
    z = ((X[:, cols] - m.mean) / m.scale) @ m.coef + m.intercept
    assert ((0 < p) & (p < 1)).all() and np.allclose(p, 1 / (1 + np.exp(-z)))


def test_a_model_survives_its_json_and_ignore_figures_neutralises_figure_features(tmp_path):
    m = PairModel(("cos", "equal"), np.zeros(2), np.ones(2), np.array([2.0, 3.0]), -1.0)
    path = tmp_path / "pair.json"
    path.write_text(m.to_json(note="test"), encoding="utf-8")
    again = load_pair_model(str(path))
    x = _row(cos=1.0, equal=1.0)
    assert np.allclose(again.probability(x), 1 / (1 + np.exp(-4.0)))
    assert "equal" in FIGURE_FEATURES
    assert np.allclose(again.probability(x, ignore_figures=True), 1 / (1 + np.exp(-1.0)))


def test_document_vectors_are_unit_means_per_document():
    cs = [claim(0, 1, "a"), claim(1, 1, "b"), claim(2, 1, "a")]
    E = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    codes, M = document_vectors(cs, E)
    assert codes.tolist() == [0, 1, 0]
    assert np.allclose(M[0], [np.sqrt(0.5), np.sqrt(0.5)]) and np.allclose(M[1], [0.0, 1.0])
