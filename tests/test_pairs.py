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


def test_a_count_growing_over_days_is_a_series_and_other_things_or_a_shrinking_count_are_not():
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import PairKeys

    cs = [claim(0, 40, "a", as_of="2020-02-10"), claim(1, 95, "b", as_of="2020-02-12"),
          claim(2, 95, "c", as_of="2020-02-08"), claim(3, 95, "d", as_of="2020-02-12", counted="Tourist")]
    same = np.array([1.0, 0.0], dtype=np.float32)
    counted = np.vstack([same, same, same, np.array([0.0, 1.0], dtype=np.float32)])
    keys = PairKeys.of(cs, load_lexicon(), counted=counted)
    ei, ej = np.array([0, 0, 0]), np.array([1, 2, 3])
    series = keys.features(ei, ej, np.zeros(3), load_lexicon())[:, FEATURES.index("series")]
    assert series[0] > 0.5  # 40 then 95 two days later, of the same thing
    assert series[1] == 0.0  # the larger figure came first: no growth
    assert series[2] == 0.0  # a larger figure later, of another thing
    assert load_pair_model().coef[list(load_pair_model().features).index("series")] >= 0  # fitted within its sign


def test_claims_naming_other_places_and_other_actors_are_of_different_events_whatever_else_they_share():
    from reconcile.cluster import ClusterParams, edge_distances
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import different_event

    X = np.vstack([_row(place_diff=1.0, actor_diff=1.0), _row(place_diff=1.0), _row(actor_diff=1.0)])
    assert different_event(X).tolist() == [True, False, False]
    cs = [claim(0, 12000, "a", places=["Kursk"], actor="RU"), claim(1, 12000, "b", places=["Charkiw"], actor="KP"),
          claim(2, 12000, "c", places=["Charkiw"], actor="RU")]
    d = edge_distances(cs, np.array([0, 0]), np.array([1, 2]), np.zeros(2), load_lexicon(), ClusterParams())
    assert d[0] == 1.0 and d[1] < 1.0  # both differ: never one fact; the place alone: for the model to weigh


def test_cosines_of_shared_rows_are_computed_once_and_equal_the_plain_products():
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import PairKeys

    cs = [claim(i, 10 + i, "abc"[i % 3]) for i in range(6)]
    rng = np.random.default_rng(0)
    counted = np.repeat(rng.normal(size=(3, 4)).astype(np.float32), 2, axis=0)  # rows 0=1, 2=3, 4=5
    counted[5] = 0.0  # no counted phrase: unknown
    keys = PairKeys.of(cs, load_lexicon(), counted=counted)
    ei, ej = np.array([0, 0, 1, 2, 4]), np.array([1, 2, 3, 5, 5])
    got = keys.features(ei, ej, np.zeros(5), load_lexicon())
    U = counted / np.maximum(np.linalg.norm(counted, axis=1, keepdims=True), 1e-12)
    plain = 1.0 - np.einsum("ij,ij->i", U[ei], U[ej])
    known = np.array([1.0, 1.0, 1.0, 0.0, 0.0])
    assert np.allclose(got[:, FEATURES.index("counted_cos")], np.where(known > 0, plain, 0.0), atol=1e-6)
    assert got[:, FEATURES.index("counted_known")].tolist() == known.tolist()


def test_figures_of_other_units_compare_in_their_canonical_unit():
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import PairKeys

    length = dict(unit_class="length", counted=None, counted_group=None, unit_canonical="meter")
    cs = [claim(0, 3000, "a", unit="foot", value_canonical=914.4, **length),
          claim(1, 914, "b", unit="meter", value_canonical=914.0, **length),
          claim(2, 3000, "c", unit="meter", value_canonical=3000.0, **length)]
    keys = PairKeys.of(cs, load_lexicon())
    X = keys.features(np.array([0, 0]), np.array([1, 2]), np.zeros(2), load_lexicon())
    rel = X[:, FEATURES.index("rel_diff")]
    assert rel[0] < 0.01 and rel[1] > 0.6  # 3,000 feet are about 914 metres, not 3,000 metres
    assert X[0, FEATURES.index("round_compatible")] == 1.0


def test_changes_against_other_named_bases_are_different_facts_and_a_basis_as_written_is_not_judged():
    from reconcile.cluster import ClusterParams, edge_distances
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import PairKeys

    kw = dict(unit="%", unit_class="percent", counted="BIP", counted_group=None)
    cs = [claim(0, 10.1, "a", basis="previous-period", **kw), claim(1, 10.0, "b", basis="year-earlier", **kw),
          claim(2, 10.1, "c", basis="previous-period", **kw), claim(3, 10.0, "d", basis="verglichen mit 2019", **kw),
          claim(4, 10.0, "e", **kw)]
    lex = load_lexicon()
    ei, ej = np.array([0, 0, 1, 0]), np.array([1, 2, 3, 4])
    X = PairKeys.of(cs, lex).features(ei, ej, np.zeros(4), lex)
    assert X[:, FEATURES.index("basis_diff")].tolist() == [1.0, 0.0, 0.0, 0.0]
    d = edge_distances(cs, ei, ej, np.zeros(4), lex, ClusterParams())
    assert d[0] == 1.0 and (d[1:] < 1.0).all()  # quarter on quarter against year on year: never one fact



def test_each_claim_closest_to_the_other_in_the_other_document_is_a_mutual_match():
    """Claims 0, 1 of document 0 and 2, 3 of document 1: 0-2 and 1-3 are each other's closest (by score);
    0-3 is not (0 has 2 closer), and a pair of one document never is."""
    from reconcile.pairs import mutual_closest

    doc = np.array([0, 0, 1, 1])
    ei = np.array([0, 0, 1, 1, 0])
    ej = np.array([2, 3, 2, 3, 1])
    score = np.array([0.1, 0.3, 0.4, 0.2, 0.0])
    assert mutual_closest(doc, ei, ej, score).tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]
    # a document with a single claim of the kind: that claim is the closest of everything, mutual only once
    assert mutual_closest(np.array([0, 1, 1]), np.array([0, 0]), np.array([1, 2]),
                          np.array([0.5, 0.2])).tolist() == [0.0, 1.0]


def test_closest_tellings_of_two_documents_are_versions_unless_they_name_other_places():
    """One figure told by two outlets (each the other's closest) is marked ``closest``; the same slot of two
    events in other countries is not."""
    from reconcile.lexicon import load_lexicon
    from reconcile.pairs import PairKeys

    lex = load_lexicon()
    a, b = claim(0, 150, "a"), claim(1, 60, "b")
    here, there = claim(2, 150, "c", places=["Frankreich"]), claim(3, 60, "d", places=["Japan"])
    block = [a, b, here, there]
    X = PairKeys.of(block, lex).features(np.array([0, 2]), np.array([1, 3]), np.array([0.2, 0.2]), lex)
    assert X[:, FEATURES.index("closest")].tolist() == [1.0, 0.0]
