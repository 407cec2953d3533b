"""Scoring a run against a gold annotation (``reconcile.evaluate``), on a run and a gold written here."""

from __future__ import annotations

from reconcile.evaluate import attribution_matches, check_thresholds, score
from reconcile.model import Document, Fact
from reconcile.pipeline import RunResult

from .builders import claim

TEXT_A = "Russland schickte 11.000 Soldaten nach Kursk.\nDie Seite hat 3 Leser.\n"
TEXT_B = "Kiew sprach von 12.000 Soldaten in Kursk.\n"


def _run() -> RunResult:
    a, b = Document("A", "in/a.txt", TEXT_A), Document("B", "in/b.txt", TEXT_B)
    ca = claim(0, 11000, "A", start=TEXT_A.index("11.000"), end=TEXT_A.index("11.000") + 6, surface="11.000",
               low=10500, high=11500, attribution=None, modality="asserted")
    cn = claim(1, 3, "A", start=TEXT_A.index("3 Leser"), end=TEXT_A.index("3 Leser") + 1, surface="3",
               sentence="Die Seite hat 3 Leser.")
    cb = claim(2, 12000, "B", start=TEXT_B.index("12.000"), end=TEXT_B.index("12.000") + 6, surface="12.000",
               low=11500, high=12500, attribution="Kiew", modality="reported")
    facts = [Fact("F1", "Soldaten", ["c0", "c2"], "people", verdict="conflict"), Fact("F2", "Leser", ["c1"], "people")]
    return RunResult(documents=[a, b], claims=[ca, cn, cb], facts=facts)


def _gold(**over):
    gold = {"documents": {"a": {"file": "a.txt"}, "b": {"file": "b.txt"}},
            "facts": [{"id": "troops", "expected": "conflict", "mentions": [
                {"doc": "a", "surface": "11.000", "context": "schickte 11.000 Soldaten", "value": 11000,
                 "low": 10500, "high": 11500, "modality": "asserted"},
                {"doc": "b", "surface": "12.000", "context": "von 12.000 Soldaten", "value": 12000,
                 "low": 11500, "high": 12500, "attribution": "Kiew", "modality": "reported"}]}],
            "non_claims": [], "excluded_sections": []}
    gold.update(over)
    return gold


def test_a_run_that_finds_every_figure_scores_full_recall_and_names_the_extra_claim():
    s = score(_run(), _gold())
    m = s["metrics"]
    assert (m["mention_recall"], m["value_recall"], m["interval_recall"], m["verdict_accuracy"]) == (1, 1, 1, 1)
    assert m["mention_precision"] == 2 / 3 and m["bcubed_f1"] == 1.0
    assert (m["attribution_accuracy"], m["modality_accuracy"]) == (1.0, 1.0)
    assert s["counts"] == {"gold_mentions": 2, "found": 2, "claims": 3, "multi_source_facts": 1}
    assert len(s["unmatched_claims"]) == 1 and "'3'" in s["unmatched_claims"][0]


def test_misses_wrong_values_and_non_claims_are_listed():
    gold = _gold(non_claims=[{"doc": "a", "surface": "3 Leser", "why": "page counter"}])
    gold["facts"][0]["mentions"][1]["value"] = 13000
    gold["facts"].append({"id": "gone", "expected": "agree", "mentions": [
        {"doc": "a", "surface": "7", "context": "7 Panzer", "value": 7}]})
    s = score(_run(), gold)
    assert s["metrics"]["value_recall"] == 1 / 3 and s["metrics"]["non_claim_false_positives"] == 1
    assert s["wrong_values"] == ["troops[1] b: '12.000' in 'von 12.000 Soldaten': value 12000.0, gold 13000"]
    assert s["missed"] == ["gone[0] a: '7' in '7 Panzer' (context not found in text)"]
    assert s["non_claim_false_positives"] == ["a: '3' is a page counter"]


def test_a_claim_inside_an_excluded_section_counts_against_the_run():
    gold = _gold(excluded_sections=[{"doc": "a", "marker": "Die Seite"}])
    assert score(_run(), gold)["excluded_false_positives"] == ["a: '3' in 'Die Seite'"]


def test_attribution_matches_on_a_shared_content_word():
    assert attribution_matches("das ukrainische Militär", "ukrainisches Militär")
    assert not attribution_matches("der Kreml", "Kiew") and not attribution_matches(None, "Kiew")
    assert attribution_matches(None, None) and not attribution_matches("Kiew", None)


def test_thresholds_gate_metrics_and_false_positive_counts():
    metrics = {"mention_recall": 0.8, "non_claim_false_positives": 2}
    assert check_thresholds(metrics, {"mention_recall": 0.8, "non_claim_false_positives": 2}) == []
    assert check_thresholds(metrics, {"mention_recall": 0.9, "non_claim_false_positives": 1, "nope": 1}) == \
        ["mention_recall: 0.800 < 0.900", "non_claim_false_positives: 2 > 1", "nope: unknown metric"]
