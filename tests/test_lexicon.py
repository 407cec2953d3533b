"""The language data (``reconcile.lexicon``): merging a user's folder key by key, lookups, errors."""

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
