"""Checks across facts: two facts of one story counting the same thing, judged together."""

from __future__ import annotations

from reconcile.checks import sibling
from reconcile.checks.base import Context
from reconcile.confidence import fact_origins, judge_facts, learn_reliability
from reconcile.model import Claim, Fact, Finding

from ..builders import claim, documents, params


def _run(groups: list[list[Claim]], **published: str) -> tuple[list[Fact], dict[str, Context]]:
    """Facts F0, F1 ... of the claim groups, each with its check context over the whole run."""
    claims = [c for g in groups for c in g]
    docs = documents(*sorted({c.document for c in claims}), **published)
    facts = [Fact(f"F{i}", f"fact {i}", [c.id for c in g], g[0].unit_class) for i, g in enumerate(groups)]
    by_id = {c.id: c for c in claims}
    shared: dict[str, object] = {}
    ctxs = {f.id: Context(f, [by_id[c] for c in f.claims], docs, {c: by_id[c].document for c in f.claims}, facts,
                          by_id, shared=shared) for f in facts}
    return facts, ctxs


def _modes(ctx: Context) -> list[str]:
    return [m for m in ("agree", "conflict", "update", "scope") if sibling.check(ctx, params("sibling", mode=m))]


def test_a_split_fact_of_two_documents_conflicts():
    _, ctx = _run([[claim(0, 47, "a", counted="Seite")], [claim(1, 48, "b", counted="Seite")]])
    assert _modes(ctx["F0"]) == ["conflict"] and _modes(ctx["F1"]) == ["conflict"]
    [hit] = sibling.check(ctx["F0"], params("sibling"))
    assert hit.values["across"] and hit.values["sibling"] == "F1" and "47" in hit.values["figures"]


def test_figures_that_fit_agree_across_facts():
    _, ctx = _run([[claim(0, 60, "a", counted="Demokrat")],
                   [claim(1, 60, "b", counted="Demokrat", low=55, high=65, hedge="etwa")]])
    assert _modes(ctx["F0"]) == ["agree"]


def test_another_counted_thing_or_group_is_no_sibling():
    _, ctx = _run([[claim(0, 47, "a", counted="Seite")], [claim(1, 48, "b", counted="Kapitel")]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 20, "a", counted="Bewohner", group="Bewohner über 80")],
                   [claim(1, 40, "b", counted="Bewohner", group="Pflegekräfte")]])
    assert _modes(ctx["F0"]) == []


def test_a_generic_noun_needs_the_same_predicate():
    people = {"unit_class": "people", "counted": "people", "language": "en"}
    _, ctx = _run([[claim(0, 46, "a", **people)], [claim(1, 200, "b", **people)]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 46, "a", predicate="kill", **people)],
                   [claim(1, 200, "b", predicate="die", **people)]])
    assert _modes(ctx["F0"]) == ["conflict"]  # "kill" and "die": one predicate group (counted.yml)


def test_another_predicate_group_is_another_count():
    _, ctx = _run([[claim(0, 6000, "a", predicate="getötet")], [claim(1, 1500, "b", predicate="verschifft")]])
    assert _modes(ctx["F0"]) == []


def test_a_document_telling_both_facts_does_not_contradict_itself():
    _, ctx = _run([[claim(0, 7, "a", counted="Kugel"), claim(1, 7, "b", counted="Kugel")],
                   [claim(2, 4, "a", counted="Kugel"), claim(3, 4, "c", counted="Kugel")]])
    assert _modes(ctx["F0"]) == [] and _modes(ctx["F1"]) == []


def test_a_running_total_beside_one_operations_haul_is_scope():
    _, ctx = _run([[claim(0, 6, "a", counted="Gewehr"), claim(1, 6, "b", counted="Gewehr")],
                   [claim(2, 14, "a", counted="Gewehr", cumulative=True), claim(3, 14, "c", counted="Gewehr")]])
    assert _modes(ctx["F0"]) == ["scope"] and _modes(ctx["F1"]) == ["scope"]


def test_a_later_larger_count_of_cases_is_an_update():
    _, ctx = _run([[claim(0, 10, "a", counted="Fall", as_of="2020-02-05")],
                   [claim(1, 61, "b", counted="Fall", as_of="2020-02-07")]])
    assert _modes(ctx["F0"]) == ["update"]


def test_figures_years_apart_are_not_compared():
    _, ctx = _run([[claim(0, 11, "a", counted="Runde", as_of="2008")],
                   [claim(1, 6, "b", counted="Runde", as_of="2012-07-07")]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 11, "a", counted="Runde")], [claim(1, 6, "b", counted="Runde")]],
                  a="2012-01-01", b="2012-07-07")
    assert _modes(ctx["F0"]) == []


def test_a_finding_across_facts_gives_a_one_document_fact_its_verdict():
    facts, ctx = _run([[claim(0, 47, "a", counted="Seite")], [claim(1, 48, "b", counted="Seite")]])
    claims = [c for x in ctx.values() for c in x.claims]
    docs = ctx["F0"].docs
    findings = [Finding("NU05", "x", "warning", f.id, [], "Another fact counts the same Seite ...", "fp",
                        {"across": True}, verdict="conflict") for f in facts]
    origins = fact_origins(facts, claims, docs)
    judge_facts(facts, claims, docs, findings, learn_reliability(facts, claims, docs, origins), origins)
    assert [f.verdict for f in facts] == ["conflict", "conflict"]
    assert facts[0].explanation[0].startswith("Another fact counts the same Seite")


def test_the_facts_own_difference_decides_first():
    facts, ctx = _run([[claim(0, 10, "a", counted="Fall"), claim(1, 12, "b", counted="Fall")]])
    claims = ctx["F0"].claims
    docs = ctx["F0"].docs
    own = Finding("NU01", "x", "error", "F0", [], "Sources disagree", "fp1", {}, verdict="conflict")
    other = Finding("SC04", "x", "info", "F0", [], "Another fact ...", "fp2", {"across": True}, verdict="scope")
    origins = fact_origins(facts, claims, docs)
    judge_facts(facts, claims, docs, [own, other], learn_reliability(facts, claims, docs, origins), origins)
    assert facts[0].verdict == "conflict"
