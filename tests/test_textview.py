from __future__ import annotations

from reconcile.claims import document_quantities
from reconcile.ingest import parse_text
from reconcile.model import Span
from reconcile.textview import build_view


def test_number_and_unit_across_a_hard_line_break():
    text = ("Prognose\n\nDie Wirtschaft dürfte bis Jahresende insgesamt um 6,3\nProzent schrumpfen, sagen die "
            "Forscher.\n")
    doc = parse_text(text, "d", "d.txt")
    doc.language = "de"
    got = [(q.value, q.unit, text[s:e]) for q, s, e in document_quantities(doc)]
    assert got == [(6.3, "%", "6,3\nProzent")]


def test_title_figures_are_found():
    doc = parse_text("Zwölf Bergsteiger aus Lawine gerettet\n\nDie Bergwacht war im Einsatz.\n", "d", "d.txt")
    doc.language = "de"
    assert [q.value for q, _, _ in document_quantities(doc)] == [12]


def test_soft_hyphens_leave_the_view_and_offsets_stay_exact():
    text = "Die Bundes\u00adregierung zahlt 2,5\u00a0Milliarden Euro."
    view = build_view(text)
    assert view.text == "Die Bundesregierung zahlt 2,5 Milliarden Euro."
    i = view.text.index("regierung")
    assert text[view.orig(i)] == "r" and text[view.orig(i - 1)] == "s"


def test_a_title_is_a_block_of_its_own():
    text = "Zehn Tote bei Unwetter\n\nDas Unwetter zog am Abend ab.\n"
    view = build_view(text, [Span(0, 22, "heading", "title")])
    assert view.text.split("\n")[0] == "Zehn Tote bei Unwetter"
    assert len(view.blocks) == 2


def test_short_lines_that_end_a_sentence_stay_apart():
    view = build_view("Erste Zeile.\nZweite Zeile.\n")
    assert len(view.blocks) == 2


def test_every_white_space_but_a_lone_space_is_folded_and_each_character_keeps_its_offset():
    """Tabs, runs, no-break and thin spaces fold to one space at the white space they replace, and soft hyphens
    leave the view (the fast path takes only printable lines without a double space); a plain line maps one to
    one, and a zero-width space, no white space, stays."""
    for odd in ("\t", "  ", "\u00a0", "\u2009", "\u202f", "\u3000", "\u00ad", "\u200b"):
        text = f"Es kamen 12{odd}000 Menschen."
        view = build_view(text)
        assert all(text[view.orig(i)] == ch or (ch == " " and text[view.orig(i)].isspace())
                   for i, ch in enumerate(view.text))
        assert ("  " not in view.text and view.text.isprintable()) or odd == "\u200b"
    plain = "Es kamen 12 000 Menschen."
    assert build_view(plain).text == plain and build_view(plain).pos == list(range(len(plain)))
