"""The scope of a figure (``reconcile.qualifiers``): group, time window, part of a total."""

from __future__ import annotations

from reconcile.lexicon import load_lexicon
from reconcile.qualifiers import Qualifiers, qualifiers


def _q(clause: str, figure: str, lang: str, counted: str | None) -> Qualifiers:
    i = clause.index(figure)
    return qualifiers(clause, i, i + len(figure), lang, load_lexicon(), counted)


def test_a_part_with_a_window_in_german():
    assert _q("davon 300 in Bremen bis Samstag", "300", "de", "Soldaten") == Qualifiers(None, "bis Samstag", True)


def test_a_narrowed_group_and_a_window_in_english():
    assert _q("of which 300 federal workers so far", "300", "en", "federal workers") == \
        Qualifiers("federal workers", "so far", True)


def test_a_plain_figure_has_no_scope():
    assert _q("Russland schickte 11.000 Soldaten.", "11.000", "de", "Soldaten") == Qualifiers(None, None, False)


def test_a_part_cue_after_the_figure_does_not_count():
    assert not _q("300 Soldaten, davon viele verletzt", "300", "de", "Soldaten").part_of
