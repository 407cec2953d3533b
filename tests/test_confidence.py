"""Independence, reliability and the judgement of facts (``reconcile.confidence``)."""

from __future__ import annotations

import math

import pytest

from reconcile.config import Config, ConfigError, load_config
from reconcile.confidence import ConfidenceParams, fact_origins, judge_facts, learn_reliability
from reconcile.model import Claim, Document, Fact, Finding


def _c(i: int, value: float, doc: str, **kw: object) -> Claim:
    spec = {"attribution": None, "as_of": None, "sentence": ""} | kw
    return Claim(id=f"c{i}", document=doc, start=0, end=1, surface=f"{value:g}", value=value, low=value, high=value,
                 unit=None, unit_class="people", hedge=None, change="=", counted="Soldat", counted_text=None,
                 modifiers=[], subject=None, predicate=None, attribution=spec["attribution"],  # type: ignore[arg-type]
                 modality="asserted", as_of=spec["as_of"], cumulative=False, sentence=spec["sentence"],  # type: ignore[arg-type]
                 sentence_start=i, language="de")


def _docs(*ids: str) -> dict[str, Document]:
    names = {"a": "Alpha Post", "b": "Beta News", "c": "Gamma Daily"}
    return {d: Document(d, d, "", outlet=names[d], published="2025-03-01") for d in ids}


def test_params_come_from_the_config(tmp_path):
    cfg = tmp_path / "reconcile.toml"
    cfg.write_text("[confidence]\nprior_reliability = 0.6\nverdict_weight = {conflict = 0.5}\n")
    p = ConfidenceParams.from_config(load_config(cfg))
    assert p.prior_reliability == 0.6 and p.verdict_weight["conflict"] == 0.5 and p.verdict_weight["agree"] == 1.0
    cfg.write_text("[confidence]\nwhatever = 1\n")
    with pytest.raises(ConfigError, match="whatever"):
        ConfidenceParams.from_config(load_config(cfg))
    assert ConfidenceParams.from_config(Config()) == ConfidenceParams()


def test_an_outlet_that_keeps_disagreeing_is_less_reliable():
    docs = _docs("a", "b", "c")
    claims, facts = [], []
    for k in range(4):  # four facts: a and b agree, c says something else each time
        cs = [_c(10 * k, 100 + k, "a"), _c(10 * k + 1, 100 + k, "b"), _c(10 * k + 2, 500 + k, "c")]
        claims += cs
        facts.append(Fact(f"F{k}", "f", [c.id for c in cs], "people"))
    rel = learn_reliability(facts, claims, docs, fact_origins(facts, claims, docs))
    assert rel["gamma"] < rel["alpha"] == rel["beta"]


def test_judge_sets_verdict_independence_and_explanation():
    docs = _docs("a", "b", "c")
    claims = [_c(1, 11000, "a"), _c(2, 10000, "b"), _c(3, 12000, "c")]
    fact = Fact("F", "Soldaten", [c.id for c in claims], "people")
    origins = fact_origins([fact], claims, docs)
    conflict = Finding("NU01", "figures-conflict", "error", "F", ["c1", "c2"], "m", "fp", verdict="conflict")
    judge_facts([fact], claims, docs, [conflict], {}, origins)
    assert fact.verdict == "conflict" and fact.corroboration == "independent" and fact.independent_sources == 3
    assert (fact.spread_low, fact.spread_high) == (10000, 12000)
    assert fact.explanation[0].startswith("The figures conflict: they range from 10,000 to 12,000")
    assert sorted(fact.origin_claims) == fact.origins and sum(len(v) for v in fact.origin_claims.values()) == 3


def test_an_update_reconciles_to_the_newest_figure_without_message_values():
    docs = _docs("a", "b")
    claims = [_c(1, 12, "a", as_of="2025-03-01"), _c(2, 31, "b", as_of="2025-03-02")]
    fact = Fact("F", "Tote", [c.id for c in claims], "people")
    update = Finding("TI01", "update-over-time", "info", "F", ["c1", "c2"], "m", "fp", verdict="update")
    judge_facts([fact], claims, docs, [update], {}, fact_origins([fact], claims, docs))
    assert fact.verdict == "update" and fact.value == 31


def test_one_document_is_single_and_one_quoted_source_is_one_origin():
    docs = _docs("a", "b", "c")
    one = [_c(1, 5, "a"), _c(2, 6, "a")]
    quoted = [_c(3, 7, "b", attribution="Polizei"), _c(4, 7, "c", attribution="Polizei")]
    facts = [Fact("F1", "x", ["c1", "c2"], "people"), Fact("F2", "y", ["c3", "c4"], "people")]
    claims = one + quoted
    judge_facts(facts, claims, docs, [], {}, fact_origins(facts, claims, docs))
    assert facts[0].verdict == "single" and facts[0].documents == 1
    assert facts[1].verdict == "agree" and facts[1].corroboration == "one-origin" and facts[1].independent_sources == 1
    assert 0 < facts[0].confidence < facts[1].confidence + 0.5


def test_a_difference_is_as_sure_as_the_origins_on_every_side():
    """A conflict rests on every figure's origin: three origins in disagreement are surer than two, and no less
    sure than the same three origins agreeing on one figure would make the figure they agree on."""
    def conflict_confidence(ids: str) -> float:
        docs = _docs(*ids)
        claims = [_c(i, 10000 + 1000 * i, d) for i, d in enumerate(ids)]
        fact = Fact("F", "Soldaten", [c.id for c in claims], "people")
        fd = Finding("NU01", "figures-conflict", "error", "F", [c.id for c in claims], "m", "fp", verdict="conflict")
        judge_facts([fact], claims, docs, [fd], {}, fact_origins([fact], claims, docs))
        return fact.confidence
    two, three = conflict_confidence("ab"), conflict_confidence("abc")
    assert 0 < two < three < 1
    assert three >= 0.75 * (1 - 0.5 ** 3) * 0.5  # every side counts: not one figure's share of the weight


def test_the_calibration_map_keeps_the_order_and_can_be_turned_off():
    """The fitted logistic map changes the figures, never their order; slope 1 and offset 0 leave the product."""
    docs = _docs("a", "b", "c")

    def judged(params: ConfidenceParams, ids: str) -> float:
        claims = [_c(i, 11000, d) for i, d in enumerate(ids)]
        fact = Fact("F", "Soldaten", [c.id for c in claims], "people")
        judge_facts([fact], claims, {d: docs[d] for d in ids}, [], {}, fact_origins([fact], claims, docs), params)
        return fact.confidence
    plain = ConfidenceParams(calibration_slope=1.0, calibration_offset=0.0)
    shipped = ConfidenceParams()
    assert (shipped.calibration_slope, shipped.calibration_offset) != (1.0, 0.0)
    assert judged(plain, "ab") < judged(plain, "abc") and judged(shipped, "ab") < judged(shipped, "abc")
    assert judged(plain, "ab") != judged(shipped, "ab")
    x = judged(plain, "ab")
    mapped = 1 / (1 + math.exp(-(shipped.calibration_slope * math.log(x / (1 - x)) + shipped.calibration_offset)))
    assert judged(shipped, "ab") == pytest.approx(mapped, abs=2e-3)  # the map applied to the product
