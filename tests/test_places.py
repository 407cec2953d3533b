"""Place names against common nouns after a preposition (``reconcile.places``, German through HanTa)."""

from __future__ import annotations

import pytest

from reconcile.places import is_place_name


@pytest.mark.parametrize("word", ["Oldenburg", "Kursk"])
def test_names_of_places_are_places(word):
    assert is_place_name(word, "de")


@pytest.mark.parametrize("word", ["Wirklichkeit", "Infektionen", "Bord", "Covid-19"])
def test_common_nouns_and_words_with_digits_are_not(word):
    assert not is_place_name(word, "de")


def test_english_words_are_not_judged_except_by_digits():
    assert is_place_name("Wirklichkeit", "en") and not is_place_name("M4", "en")
