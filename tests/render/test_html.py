"""HTML rendering (``reconcile.render.html``): one self-contained file, safe for hostile text."""

from __future__ import annotations

from reconcile.render.html import render, source_colours
from reconcile.report import build_record

from ..builders import tiny_run


def test_one_section_per_fact_and_no_scripts():
    page = render(build_record(tiny_run()))
    assert page.lstrip().lower().startswith("<!doctype html") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower() and "&lt;script&gt;" in page
    assert page.count("<section") == 2 and "Soldaten" in page and "Panzer" in page


def test_a_chart_for_two_figures_only():
    page = render(build_record(tiny_run()))
    assert page.count("<svg") == 1


def test_each_source_gets_its_own_colour_the_most_quoted_first():
    colours = source_colours(build_record(tiny_run()))
    assert set(colours) >= {"Alpha Post", "Gamma Daily"}
    assert len(set(colours.values())) == len(colours)
    assert all(c.startswith("#") for c in colours.values())
