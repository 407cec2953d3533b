"""The syndication check: documents that are copies of one origin."""

from __future__ import annotations

from reconcile.checks import syndication

from ..builders import claim, context, documents, params


def test_documents_of_one_origin_are_named_with_their_dates():
    cs = [claim(0, 9, "a"), claim(1, 9, "b"), claim(2, 9, "c")]
    ctx = context(cs, documents("a", "b", "c", a="2025-03-01"), origin={"c0": "dpa", "c1": "dpa", "c2": "Reuters"})
    [hit] = syndication.check(ctx, params("syndication"))
    assert hit.values == {"documents": "Alpha Post (2025-03-01), Beta News (undated)", "origin": "dpa"}
    assert hit.key == "dpa" and [c.id for c in hit.claims] == ["c0", "c1"]


def test_independent_documents_are_no_copies():
    assert syndication.check(context([claim(0, 9, "a"), claim(1, 9, "b")]), params("syndication")) == []
