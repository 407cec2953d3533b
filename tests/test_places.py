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


def test_german_tags_are_hantas_most_likely_first_and_shared_by_every_question():
    from reconcile.places import german_tags, is_person_name

    tags = german_tags("Haus")
    assert tags and tags[0][0] == "NN" and all(a[1] >= b[1] for a, b in zip(tags, tags[1:]))
    german_tags("Zorblathaus")  # a word no other test asks about, so no earlier answer is cached
    hits = german_tags.cache_info().hits
    is_person_name("Zorblathaus")
    assert german_tags.cache_info().hits == hits + 1  # the person check reuses the cached analysis


def test_the_forward_pass_gives_hantas_own_analysis_of_new_words():
    """``places._forward`` replaces HanTa's ``analyze_forward``: the same tags, log-probabilities and order."""
    from reconcile.places import _english, _german

    words = ["zwei-personen-haushalten", "antikörpertests", "gangelt", "heinsberg", "erkältungs-coronaviren",
             "kreuzfahrtschiffs", "streeck", "yokohama", "a", "ab", "", "xq", "quake", "rattles", "sonoma",
             "firefighters", "geysers", "strongest", "mountaineers", "pirates", "unprecedentedly"]
    for tagger in (_german(), _english()):
        own = type(tagger).analyze_forward
        for w in words:
            got, want = tagger.analyze_forward(w), own(tagger, w)
            assert got == want and [type(p) for _, p in got] == [type(p) for _, p in want], w
