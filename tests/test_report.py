"""The report record (``reconcile.report``): schema, order, summary, on a run written here."""

from __future__ import annotations

import random

import jsonschema

from reconcile.report import FOOTNOTES, SCHEMA_ID, build_record, report_schema

from .builders import tiny_run


def test_the_record_is_valid_against_its_schema():
    record = build_record(tiny_run())
    assert record["schema"] == SCHEMA_ID == report_schema()["properties"]["schema"]["const"]
    jsonschema.validate(record, report_schema())


def test_facts_most_severe_first_and_the_summary_counts_them():
    record = build_record(tiny_run())
    assert [f["verdict"] for f in record["facts"]] == ["conflict", "single"]
    s = record["summary"]
    assert (s["documents"], s["claims"], s["facts"], s["multi_document_facts"]) == (3, 3, 2, 1)
    assert s["verdicts"]["conflict"] == 1 and s["findings"]["error"] == 1 and s["status"] == "conflicts"
    assert record["footnotes"] == FOOTNOTES


def test_each_distinct_figure_lists_its_wordings_and_sources():
    values = build_record(tiny_run())["facts"][0]["values"]
    assert [(v["value"], v["surfaces"], v["sources"]) for v in values] == \
        [(11000, ["11.000"], ["Alpha Post"]), (12000, ["12.000"], ["Kiew"])]


def test_the_same_run_in_any_order_gives_the_same_record():
    run = tiny_run()
    first = build_record(run)
    rng = random.Random(7)
    for items in (run.documents, run.claims, run.facts, run.findings):
        rng.shuffle(items)
    assert build_record(run) == first
