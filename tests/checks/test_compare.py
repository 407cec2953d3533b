"""Pairwise comparison of a fact's figures (``reconcile.checks.compare``)."""

from __future__ import annotations

from reconcile.checks.compare import classify, compat_matrix, is_cumulative, load_update_lexicon, tolerances, when

from ..builders import claim, context


def test_tolerances_follow_the_stated_precision():
    [t_round, t_precise] = tolerances([claim(0, 11000, surface="11.000"), claim(1, 11350, surface="11.350")], None)
    assert t_round == (10500, 11500) and t_precise == (11345, 11355)


def test_compat_matrix_is_symmetric_interval_overlap():
    m = compat_matrix([(0.0, 10.0), (5.0, 15.0), (20.0, 30.0)])
    assert m.tolist() == [[True, True, False], [True, True, False], [False, False, True]]


def test_when_prefers_the_as_of_date():
    assert when(claim(0, 1, "a", as_of="2024-10"), {"a": "2025-01-01"}) == "2024-10"
    assert when(claim(0, 1, "a"), {"a": "2025-01-01"}) == "2025-01-01"


def test_cumulative_counts_come_from_update_yml():
    ulex = load_update_lexicon()
    assert is_cumulative([claim(0, 1, counted="Todesopfer")], ulex)
    assert is_cumulative([claim(0, 1, counted="Haus", predicate="getötet")], ulex)
    assert not is_cumulative([claim(0, 1, counted="Stuhl")], ulex)


def test_classify_sorts_pairs_into_conflict_scope_and_update():
    conflict = classify(context(cs := [claim(0, 11000, "a"), claim(1, 10000, "b")]), cs)
    assert conflict.conflict_count == 1 and not conflict.scope and not conflict.update
    scoped = classify(context(cs := [claim(0, 9750, "a", places=["Sachsen-Anhalt"]),
                                     claim(1, 5000, "b", places=["Bremen"])]), cs)
    assert [r for *_, r in scoped.scope] == ["places"] and scoped.conflict_count == 0
    upd = classify(context(cs := [claim(0, 300, "a", as_of="2025-01-01", cumulative=True),
                                  claim(1, 500, "b", as_of="2025-02-01", cumulative=True)]), cs)
    assert [(x.id, y.id) for x, y, _ in upd.update] == [("c0", "c1")] and upd.conflict_count == 0


def test_one_document_is_never_compared_with_itself():
    cs = [claim(0, 11000, "a"), claim(1, 10000, "a")]
    assert classify(context(cs), cs).conflict_count == 0
