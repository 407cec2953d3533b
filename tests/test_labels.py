"""Readable fact labels (``reconcile.labels``) on claims written here."""

from __future__ import annotations

from reconcile.labels import fact_label, record_label

from .builders import claim


def test_the_counted_phrase_and_the_most_common_action():
    cs = [claim(0, 1, counted_text="nordkoreanische Soldaten", predicate="schicken"),
          claim(1, 1, counted_text="nordkoreanische Soldaten", predicate="schicken"),
          claim(2, 1, counted_text="Soldaten", predicate="verlegen")]
    assert fact_label(cs) == "nordkoreanische Soldaten · schicken"


def test_the_majority_language_names_the_fact():
    cs = [claim(0, 1, counted_text="soldiers", language="en"), claim(1, 1, counted_text="Soldaten"),
          claim(2, 1, counted_text="Soldaten")]
    assert fact_label(cs) == "Soldaten"


def test_without_a_counted_phrase_the_unit_or_a_plain_word():
    assert fact_label([claim(0, 5, unit="USD", language="en")]) == "amount in USD"
    assert fact_label([claim(0, 5)]) == "Zahl"
    assert fact_label([]) == "figure"


def test_record_label_reads_record_dictionaries_and_skips_missing_claims():
    claims = {"c0": {"counted": "Granate", "counted_text": "Granaten", "predicate": "liefern", "language": "de"}}
    assert record_label({"claims": ["c0", "gone"]}, claims) == "Granaten · liefern"
