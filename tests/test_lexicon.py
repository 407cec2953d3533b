"""The language data (``reconcile.lexicon``): merging a user's folder key by key, lookups, errors, every loader."""

from __future__ import annotations

import pytest

from reconcile.lexicon import LexiconError, deep_merge, load_lexicon


def test_deep_merge_merges_tables_and_replaces_the_rest():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    assert deep_merge(base, {"a": {"y": [3]}, "c": 2}) == {"a": {"x": 1, "y": [3]}, "b": 1, "c": 2}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}


def test_a_user_folder_overrides_one_key_and_keeps_the_others(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "boilerplate.yml").write_text("section_headings: [NOTIZEN]\n", encoding="utf-8")
    mine, packaged = load_lexicon([str(tmp_path)]), load_lexicon()
    assert mine.section_headings == {"NOTIZEN"} and "AUTOREN" in packaged.section_headings
    assert [p.pattern for p in mine.tail_starts] == [p.pattern for p in packaged.tail_starts]
    assert load_lexicon([str(tmp_path)]) is mine  # loaded once per set of folders


def test_a_malformed_file_names_itself(tmp_path):
    (tmp_path / "lexicon").mkdir()
    bad = tmp_path / "lexicon" / "boilerplate.yml"
    bad.write_text("section_headings: 5\n", encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        load_lexicon([str(tmp_path)])
    assert str(bad) in str(exc.value)


def test_places_of_one_country_share_its_key_in_every_spelling():
    lex = load_lexicon()
    assert lex.place_key("Nordkorea") == "KP" and lex.is_area("KP")
    assert lex.place_key("Pjöngjang") == lex.place_key("Pyongyang") == "city:KP"
    assert not lex.is_area(lex.place_key("Kursk"))


def test_groups_classes_and_generic_words_across_languages():
    lex = load_lexicon()
    assert lex.counted_group("Soldat") == lex.counted_group("soldier") == "soldier"
    assert lex.counted_group("Stuhl") is None
    assert lex.predicate_group("schicken") == lex.predicate_group("send") is not None
    assert lex.unit_class("Soldat") == "people" and lex.unit_class(None) is None
    assert lex.is_generic("Militärangehöriger") and not lex.is_generic("Soldat")

def test_a_user_hedge_joins_the_packaged_ones(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "hedges.yml").write_text('en: {"give or take": approx}\n', encoding="utf-8")
    lex = load_lexicon([str(tmp_path)])
    assert lex.hedges["en"]["give or take"] == "approx"
    assert lex.hedges["en"]["at least"] == "at_least"  # the packaged entries stay
    assert lex is not load_lexicon()


def test_a_malformed_key_is_named(tmp_path):
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


def test_a_counted_group_is_the_longest_listed_ending_of_four_letters_or_more(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "counted.yml").write_text(
        "groups:\n  short: [zorblat]\n  long: [quzorblat]\n  tiny: [zq]\n", encoding="utf-8")
    lex = load_lexicon([str(tmp_path)])
    assert lex.counted_group("Quzorblat") == "long" and lex.counted_group("Marinezorblat") == "short"
    assert lex.counted_group("zq") == "tiny" and lex.counted_group("xzq") is None  # short words match whole only
    assert lex.counted_group("orblat") is None


def test_a_unit_class_is_the_word_or_its_longest_listed_ending_of_four_letters_or_more(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "units.yml").write_text(
        "classes:\n  short: [zorblat, qux]\n  long: [quzorblat]\n  again: [zorblat]\n", encoding="utf-8")
    lex = load_lexicon([str(tmp_path)])
    assert lex.unit_class("Quzorblat") == "long" and lex.unit_class("Marinezorblat") == "short"
    assert lex.unit_class("Zorblat") == "short"  # listed twice: the first class keeps it
    assert lex.unit_class("qux") == "short" and lex.unit_class("aqux") is None  # short words match whole only
    assert lex.unit_class("orblat") is None and lex.unit_class("") is None


def test_function_words_know_every_language_that_lists_them(tmp_path):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "languages.yml").write_text(
        "function_words:\n  de: [und, die]\n  nl: [die, het]\n", encoding="utf-8")
    lex = load_lexicon([str(tmp_path)])
    assert lex.function_word_languages["die"] == ("de", "nl") and lex.function_word_languages["het"] == ("nl",)
