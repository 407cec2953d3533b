"""The shared data model (``reconcile.model``): defaults that every stage relies on."""

from __future__ import annotations

import dataclasses

from reconcile.model import CORROBORATION, LEVELS, MODALITIES, VERDICTS, Claim, Document, Fact, Finding, Span

from .builders import claim


def test_new_records_start_empty_and_unshared():
    a, b = Document("a", "a.txt", "x"), Document("b", "b.txt", "y")
    a.skipped.append(Span(0, 1, "boilerplate", "navigation"))
    assert b.skipped == [] and a.authors is not b.authors
    f = Fact("F0", "label", ["c0"], "people")
    assert (f.verdict, f.confidence, f.origins, f.rules) == ("single", 0.0, [], [])
    assert Finding("NU01", "n", "error", "F0", [], "m", "fp").suppressed is False


def test_claims_have_slots_and_the_scope_fields_default_to_none():
    c = claim(0, 3)
    assert not hasattr(c, "__dict__")
    assert (c.group, c.window, c.part_of, c.unit_canonical, c.value_canonical) == (None, None, False, None, None)
    assert {f.name for f in dataclasses.fields(Claim)} >= {"value", "low", "high", "modality", "as_of", "places"}


def test_vocabularies_are_what_the_report_schema_and_the_rules_use():
    assert MODALITIES == ("asserted", "reported", "estimated", "planned", "hypothetical")
    assert VERDICTS[0] == "conflict" and set(VERDICTS) == {"agree", "conflict", "update", "scope", "single"}
    assert LEVELS == ("info", "warning", "error")  # rising severity: --fail-level compares by position
    assert CORROBORATION == ("independent", "one-origin", "copies")
