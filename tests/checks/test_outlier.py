"""The outlier check: one figure far from the median of three or more origins."""

from __future__ import annotations

from reconcile.checks import outlier

from ..builders import claim, context, params


def test_the_far_figure_is_the_outlier():
    cs = [claim(0, 10000, "a"), claim(1, 10500, "b"), claim(2, 30000, "c", surface="30.000")]
    [hit] = outlier.check(context(cs), params("outlier"))
    assert hit.claims == [cs[2]] and hit.values == {"figure": "30.000 (Gamma Daily)", "median": "10,500"}
    assert hit.key == "c:30000"


def test_too_few_origins_or_a_larger_factor_find_none():
    cs = [claim(0, 10000, "a"), claim(1, 10500, "b"), claim(2, 30000, "c")]
    assert outlier.check(context(cs, origin={"c0": "X", "c1": "X", "c2": "Y"}), params("outlier")) == []
    assert outlier.check(context(cs), params("outlier", factor=2.0)) == []
