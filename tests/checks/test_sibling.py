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
    _, ctx = _run([[claim(0, 212, "a", counted="Seite")], [claim(1, 214, "b", counted="Seite")]])
    assert _modes(ctx["F0"]) == ["conflict"] and _modes(ctx["F1"]) == ["conflict"]
    [hit] = sibling.check(ctx["F0"], params("sibling"))
    assert hit.values["across"] and hit.values["sibling"] == "F1" and "212" in hit.values["figures"]


def test_figures_that_fit_agree_across_facts():
    _, ctx = _run([[claim(0, 35, "a", counted="Demokrat")],
                   [claim(1, 35, "b", counted="Demokrat", low=33, high=37, hedge="etwa")]])
    assert _modes(ctx["F0"]) == ["agree"]


def test_another_counted_thing_or_group_is_no_sibling():
    _, ctx = _run([[claim(0, 212, "a", counted="Seite", counted_group=None)],
                   [claim(1, 214, "b", counted="Kapitel", counted_group=None)]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 212, "a", counted="Seite", counted_group="page")],
                   [claim(1, 214, "b", counted="Kapitel", counted_group="chapter")]])
    assert _modes(ctx["F0"]) == []  # other synonym groups
    _, ctx = _run([[claim(0, 20, "a", counted="Bewohner", group="Bewohner über 80")],
                   [claim(1, 40, "b", counted="Bewohner", group="Pflegekräfte")]])
    assert _modes(ctx["F0"]) == []


def test_a_generic_noun_needs_the_same_predicate():
    people = {"unit_class": "people", "counted": "people", "language": "en"}
    _, ctx = _run([[claim(0, 12, "a", **people)], [claim(1, 40, "b", **people)]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 12, "a", predicate="kill", **people)],
                   [claim(1, 40, "b", predicate="die", **people)]])
    assert _modes(ctx["F0"]) == ["conflict"]  # "kill" and "die": one predicate group (counted.yml)


def test_acts_and_the_people_they_name_are_siblings_by_their_group():
    """"190 Festnahmen" and "365 Menschen wurden festgenommen" count one thing; a vaccination count does not."""
    acts = {"unit_class": "count", "unit": "Festnahme", "counted": "Festnahme", "counted_group": "arrest"}
    held = {"unit_class": "people", "unit": "Mensch", "counted": "Mensch", "predicate": "festnehmen",
            "counted_group": "arrest"}
    _, ctx = _run([[claim(0, 190, "a", **acts)], [claim(1, 365, "b", **held)]])
    assert _modes(ctx["F0"]) == ["conflict"]
    _, ctx = _run([[claim(0, 190, "a", **acts)], [claim(1, 365, "b", **{**held, "predicate": "impfen",
                                                                          "counted_group": "vaccinated"})]])
    assert _modes(ctx["F0"]) == []


def test_another_predicate_group_is_another_count():
    _, ctx = _run([[claim(0, 700, "a", predicate="getötet")], [claim(1, 300, "b", predicate="verschifft")]])
    assert _modes(ctx["F0"]) == []


def test_a_document_telling_both_facts_does_not_contradict_itself():
    _, ctx = _run([[claim(0, 5, "a", counted="Schuss"), claim(1, 5, "b", counted="Schuss")],
                   [claim(2, 8, "a", counted="Schuss"), claim(3, 8, "c", counted="Schuss")]])
    assert _modes(ctx["F0"]) == [] and _modes(ctx["F1"]) == []


def test_a_running_total_beside_one_days_haul_is_scope():
    _, ctx = _run([[claim(0, 4, "a", counted="Boot"), claim(1, 4, "b", counted="Boot")],
                   [claim(2, 30, "a", counted="Boot", cumulative=True), claim(3, 30, "c", counted="Boot")]])
    assert _modes(ctx["F0"]) == ["scope"] and _modes(ctx["F1"]) == ["scope"]


def test_a_later_larger_count_of_cases_is_an_update():
    _, ctx = _run([[claim(0, 12, "a", counted="Fall", as_of="2021-03-01")],
                   [claim(1, 70, "b", counted="Fall", as_of="2021-03-04")]])
    assert _modes(ctx["F0"]) == ["update"]


def test_figures_years_apart_are_not_compared():
    _, ctx = _run([[claim(0, 9, "a", counted="Runde", as_of="2010")],
                   [claim(1, 4, "b", counted="Runde", as_of="2014-05-03")]])
    assert _modes(ctx["F0"]) == []
    _, ctx = _run([[claim(0, 9, "a", counted="Runde")], [claim(1, 4, "b", counted="Runde")]],
                  a="2014-01-01", b="2014-05-03")
    assert _modes(ctx["F0"]) == []


def test_a_finding_across_facts_gives_a_one_document_fact_its_verdict():
    facts, ctx = _run([[claim(0, 212, "a", counted="Seite")], [claim(1, 214, "b", counted="Seite")]])
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
