"""The single-origin check: every figure goes back to one independent source."""

from __future__ import annotations

from reconcile.checks import single_origin

from ..builders import claim, context, params


def test_one_origin_is_reported_with_its_figures():
    cs = [claim(0, 7, "a"), claim(1, 7, "b")]
    [hit] = single_origin.check(context(cs, origin={"c0": "dpa", "c1": "dpa"}), params("single_origin"))
    assert hit.values == {"origin": "dpa", "claims": 2, "figures": "7 (Alpha Post); 7 (Beta News)"}


def test_two_origins_are_not_single():
    assert single_origin.check(context([claim(0, 7, "a"), claim(1, 7, "b")]), params("single_origin")) == []
