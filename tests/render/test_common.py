"""Helpers of the human-readable renderers (``reconcile.render.common``)."""

from __future__ import annotations

from reconcile.render.common import (clean, claims_by_id, docs_by_id, fmt, for_display, md_code, md_text, origin_names,
                                     origins_text, source_name, status_line, terminal_line, value_text)
from reconcile.report import build_record

from ..builders import tiny_run


def test_status_line_counts_each_verdict():
    assert status_line(build_record(tiny_run())) == ("2 facts checked from 3 claims in 3 documents: 1 conflicting, "
                                                      "0 agreeing, 0 updates, 0 scope, 1 single")


def test_lookups_and_value_text():
    record = build_record(tiny_run())
    assert set(claims_by_id(record)) == {"c0", "c1", "c2"} and docs_by_id(record)["b"]["published"] == "2025-02-01"
    assert value_text({"value": 11000, "low": 10500, "high": 12500}) == "about 11,000 (10,500 to 12,500)"
    assert value_text({"value": None}) == "n/a" and fmt(11000.0) == "11,000"


def test_control_characters_never_reach_a_viewer():
    assert clean("a\x1b[31mb\u202ec\x07") == "a[31mbc"
    assert terminal_line("x\ny\x1b") == "x\\ny\\x1b"
    shown = for_display({"outlet": "A\x1bB", "n": [1, "c\u202e"]})
    assert shown == {"outlet": "AB", "n": [1, "c"]}


def test_markdown_text_and_code_spans_escape_what_they_hold():
    assert "&lt;img" in md_text("<img onerror=x>") and "\\[" in md_text("[link](http://x)")
    assert md_code("a`b") == "``a`b``"


def test_origins_by_a_few_names_and_who_says_a_figure():
    assert origin_names({"name": "taz / dpa", "claims": []}) == ["taz", "dpa"]
    assert origins_text(["a / b / c / d / e", "Reuters"], shown=3) == "a / b / c and 2 more; Reuters"
    docs = {"d": {"outlet": "Alpha Post"}}
    assert source_name({"attribution": "Kiew", "document": "d"}, docs) == "Kiew"
    assert source_name({"attribution": None, "document": "d"}, docs) == "Alpha Post"
