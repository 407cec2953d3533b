"""The update check: a later figure supersedes an earlier one, with evidence."""

from __future__ import annotations

from reconcile.checks import update

from ..builders import claim, context, params


def test_a_growing_cumulative_count_is_an_update():
    cs = [claim(0, 300, "a", as_of="2025-07-01", cumulative=True, surface="300"),
          claim(1, 500, "b", as_of="2025-07-09", cumulative=True, surface="500")]
    [hit] = update.check(context(cs), params("update"))
    v = hit.values
    assert (v["earlier"], v["earlier_date"], v["later"], v["later_date"]) == \
        ("300 (Alpha Post)", "2025-07-01", "500 (Beta News)", "2025-07-09")
    assert v["growth"] == "200" and v["evidence"]
    assert [c.id for c in hit.claims] == ["c0", "c1"]


def test_a_cue_in_the_later_sentence_is_evidence():
    cs = [claim(0, 300, "a", as_of="2025-07-01"),
          claim(1, 500, "b", as_of="2025-07-01", sentence="Die Zahl stieg auf 500.")]
    assert len(update.check(context(cs), params("update"))) == 1


def test_without_evidence_a_larger_later_figure_is_no_update():
    cs = [claim(0, 300, "a", as_of="2025-07-01"), claim(1, 500, "b", as_of="2025-07-09")]
    assert update.check(context(cs), params("update")) == []
