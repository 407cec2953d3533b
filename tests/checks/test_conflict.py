"""The conflict check: figures of two documents that cannot both be right."""

from __future__ import annotations

from reconcile.checks import conflict

from ..builders import claim, context, params


def test_a_conflict_names_every_figure_lowest_first():
    cs = [claim(0, 12000, "a", surface="12.000"), claim(1, 10000, "b", surface="10.000")]
    [hit] = conflict.check(context(cs), params("conflict"))
    assert [c.id for c in hit.claims] == ["c1", "c0"]
    assert hit.values["low"] == "10,000" and hit.values["high"] == "12,000" and hit.values["pairs"] == 1
    assert hit.values["figures"] == "10.000 (Beta News); 12.000 (Alpha Post)"
    assert hit.values["who"] == "independent sources"


def test_a_conflict_of_one_origin_says_so():
    cs = [claim(0, 12000, "a"), claim(1, 10000, "b")]
    [hit] = conflict.check(context(cs, origin={"c0": "Kiew", "c1": "Kiew"}), params("conflict"))
    assert hit.values["origins"] == 1 and hit.values["who"] == "reports going back to one origin"


def test_plans_and_a_wider_tolerance_are_no_conflict():
    assert conflict.check(context([claim(0, 12000, "a", modality="planned"), claim(1, 10000, "b")]),
                          params("conflict")) == []
    near = [claim(0, 10600, "a"), claim(1, 10000, "b")]
    assert len(conflict.check(context(near), params("conflict"))) == 1
    assert conflict.check(context(near), params("conflict", tolerance=0.05)) == []
