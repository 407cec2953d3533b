"""The scope check: figures that differ because they are about different things."""

from __future__ import annotations

from reconcile.checks import scope

from ..builders import claim, context, params


def test_explain_counts_each_side():
    a, b, c = claim(0, 9750, places=["Sachsen-Anhalt"]), claim(1, 5000, places=["Bremen"]), \
        claim(2, 9000, places=["Sachsen-Anhalt"])
    text = scope.explain([(a, b, "places"), (c, b, "places")])
    assert text == "2 figures are for Sachsen-Anhalt, 1 for Bremen"


def test_places_explain_a_difference():
    cs = [claim(0, 9750, "a", places=["Sachsen-Anhalt"]), claim(1, 5000, "b", places=["Bremen"])]
    [hit] = scope.check(context(cs), params("scope", mode="qualifiers"))
    assert hit.values["difference"] == "places" and "Bremen" in hit.values["explanation"]
    assert [c.id for c in hit.claims] == ["c1", "c0"]
    assert scope.check(context(cs), params("scope", mode="modality")) == []


def test_a_plan_beside_what_happened():
    cs = [claim(0, 12000, "a", modality="planned"), claim(1, 11000, "b")]
    [hit] = scope.check(context(cs), params("scope", mode="modality"))
    assert hit.values["difference"] == "modality"
    assert "planned or hypothetical" in hit.values["explanation"] and "reported as done" in hit.values["explanation"]


def test_different_things_counted():
    cs = [claim(0, 3_000_000, "a", counted_group="shell"), claim(1, 20000, "b", counted_group="container")]
    [hit] = scope.check(context(cs), params("scope", mode="counted"))
    assert hit.values["explanation"] in ("1 figure counts shell, 1 container", "1 figure counts container, 1 shell")
