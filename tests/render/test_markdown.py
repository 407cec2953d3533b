"""Markdown rendering (``reconcile.render.markdown``)."""

from __future__ import annotations

from reconcile.render import render_text
from reconcile.render.markdown import render
from reconcile.report import build_record

from ..builders import tiny_run


def test_status_then_each_fact_most_severe_first_with_its_sources():
    md = render(build_record(tiny_run()))
    assert md.startswith("# reconcile report\n") and "**Status: conflicts.**" in md
    assert md.index("## CONFLICT: Soldaten · schicken") < md.index("## SINGLE: Panzer")
    assert "| Alpha Post | 2025-01-05 | 11.000 Soldaten |" in md and "- Rules: NU01" in md
    assert "[^confidence]:" in md and render_text(build_record(tiny_run()), "md") == md


def test_article_text_cannot_inject_html():
    md = render(build_record(tiny_run()))
    assert "<script>" not in md and "Beta &lt;script&gt;alert(1)&lt;/script&gt; News" in md
