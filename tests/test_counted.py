"""What a figure counts (``reconcile.counted``): the noun phrase after it, cut where English stops heading it."""

from __future__ import annotations

from reconcile.counted import counted_phrase, not_heads
from reconcile.lexicon import load_lexicon


def _after(text: str, figure: str, lang: str):
    return counted_phrase(text, text.index(figure) + len(figure), lang, load_lexicon())


def test_a_german_phrase_with_its_modifier():
    assert _after("Russland schickte 11.000 nordkoreanische Soldaten nach Kursk.", "11.000", "de") == \
        ("nordkoreanische Soldaten", "Soldat", ["nordkoreanische"])


def test_an_english_phrase_keeps_its_modifier_and_loses_a_trailing_adverb():
    assert _after("They hired 800,000 federal employees quickly.", "800,000", "en") == \
        ("federal employees", "employee", ["federal"])


def test_words_that_cannot_head_a_phrase_end_it():
    phrase, lemma, _ = _after("The army moved 20 miles north of the city.", "20", "en")
    assert (phrase, lemma) == ("miles", "mile")
    assert "north" in not_heads(load_lexicon())["en"]
