"""The lexicon: packaged files overridden key by key, malformed files named, every loader's data read."""

from __future__ import annotations

import pytest

from reconcile.lexicon import LexiconError, deep_merge, load_lexicon


def test_deep_merge_merges_mappings_and_replaces_lists():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    assert deep_merge(base, {"a": {"y": [3]}, "c": 4}) == {"a": {"x": 1, "y": [3]}, "b": 2, "c": 4}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}  # the base is not changed


def test_a_user_folder_overrides_one_key(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "hedges.yml").write_text('en: {"give or take": approx}\n', encoding="utf-8")
    lex = load_lexicon([str(tmp_path)])
    assert lex.hedges["en"]["give or take"] == "approx"
    assert lex.hedges["en"]["at least"] == "at_least"  # the packaged entries stay
    assert lex is not load_lexicon()


def test_a_malformed_file_is_named_with_its_key(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "units.yml").write_text("percent: 5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"units\.yml: key percent"):
        load_lexicon([str(tmp_path)])


def test_each_file_reaches_its_loader():
    lex = load_lexicon()
    assert lex.scales["de"]["millionen"] == 1e6 and lex.currencies["€"] == "EUR"  # units.yml
    assert "time" in lex.non_claim_classes
    assert lex.hedges["de"]["rund"] == "approx" and 0 < lex.rounding_min_relative < 1  # hedges.yml
    assert lex.att_any["de"] is not None and lex.source_noun_endings  # cues.yml attribution
    assert lex.cumulative["en"] and lex.modality  # cues.yml modality, cumulative
    assert lex.section_headings and lex.tail_starts  # boilerplate.yml
    assert lex.counted_group("soldat") == lex.counted_group("soldier") == "soldier"  # counted.yml groups


def test_seasons_are_found_after_the_words_that_open_them():
    lex = load_lexicon()
    assert lex.season_re is not None
    m = lex.season_re.search("Die Zahl stieg im  Sommer deutlich.")
    assert m and lex.seasons[m.group(1).lower()] == 7
    assert lex.season_re.search("in the autumn") and not lex.season_re.search("der Sommer kam")


def test_without_season_words_there_is_no_season_pattern(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "cues.yml").write_text("time: {season_before: []}\n", encoding="utf-8")
    assert load_lexicon([str(tmp_path)]).season_re is None
