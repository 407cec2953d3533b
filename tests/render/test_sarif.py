"""SARIF for code scanning (``reconcile.render.sarif``)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from reconcile.render.sarif import render

from ..builders import check_record

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-2.1.0.subset.schema.json"


def test_one_run_with_rules_results_fingerprints_and_suppressions():
    doc = json.loads(render(check_record()))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["DR01", "DR02"]
    assert run["tool"]["driver"]["rules"][0]["fullDescription"]["text"] == "A wrong figure."
    first, second = run["results"]
    assert (first["ruleId"], first["ruleIndex"], first["level"]) == ("DR01", 0, "error")
    region = first["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 5, 11)
    assert first["partialFingerprints"] == {"reconcileFinding/v1": "fp-DR01"} and "suppressions" not in first
    assert second["suppressions"] == [{"kind": "inSource", "justification": "reconcile: ignore comment"}]


def test_a_rule_without_metadata_has_no_rule_index():
    record = check_record()
    record["findings"][0]["rule"] = "XX09"
    [first, _] = json.loads(render(record))["runs"][0]["results"]
    assert first["ruleId"] == "XX09" and "ruleIndex" not in first
