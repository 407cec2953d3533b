"""Packaged language data read at import: dates, label words, the scorer's stop words."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.lexicon import LexiconError
from reconcile.packaged import packaged_data


@pytest.fixture
def fresh_cache():
    """Each test sees the files as they are now, and leaves no cached copy of its own rule pack behind."""
    packaged_data.cache_clear()
    yield
    packaged_data.cache_clear()


def test_months_and_weekdays_come_from_the_lexicon_file():
    from reconcile.dates import MONTHS, parse_date_line

    assert MONTHS["märz"] == MONTHS["march"] == 3 and MONTHS["dez"] == 12 and len(set(MONTHS.values())) == 12
    assert parse_date_line("Mittwoch, 2. Juli 2025") == "2025-07-02"
    assert parse_date_line("Wed, Jun 18, 2025") == "2025-06-18"


def test_a_rule_pack_without_the_file_falls_back_to_the_packaged_one(tmp_path: Path, monkeypatch, fresh_cache):
    (tmp_path / "lexicon").mkdir()
    monkeypatch.setenv("RECONCILE_RULES_DIR", str(tmp_path))
    assert packaged_data("render")["figure"]["de"] == "Zahl"


def test_a_rule_pack_file_wins_and_a_malformed_one_is_named(tmp_path: Path, monkeypatch, fresh_cache):
    (tmp_path / "lexicon").mkdir()
    monkeypatch.setenv("RECONCILE_RULES_DIR", str(tmp_path))
    (tmp_path / "lexicon" / "render.yml").write_text("figure: {de: Wert, en: value}\n", encoding="utf-8")
    assert packaged_data("render")["figure"]["de"] == "Wert"
    packaged_data.cache_clear()
    (tmp_path / "lexicon" / "render.yml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"render\.yml: expected a mapping"):
        packaged_data("render")
    packaged_data.cache_clear()
    (tmp_path / "lexicon" / "render.yml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(LexiconError, match=r"render\.yml: cannot read"):
        packaged_data("render")


def test_the_label_falls_back_to_the_unit_in_the_claims_language():
    from reconcile.labels import fact_label

    assert fact_label([{"language": "de", "unit": "EUR"}]) == "Betrag in EUR"
    assert fact_label([{"language": "en"}]) == "figure"
    assert fact_label([{"language": "fr", "unit": "EUR"}]) == "amount in EUR"


def test_attribution_match_ignores_stop_words():
    from reconcile.evaluate import attribution_matches

    assert attribution_matches("die Polizei", "der Polizei (paraphrasing)")
    assert not attribution_matches("der Minister", "der Polizei")
