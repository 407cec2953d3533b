"""The draft check: a draft's figure against the archive fact it is about."""

from __future__ import annotations

from reconcile.checks import draft
from reconcile.model import Fact

from ..builders import claim, context, documents, params


def _ctx(archive, drafts, **fact):
    f = Fact("F0", "Soldaten", [c.id for c in archive], "people", **fact)
    docs = documents("a", "b", a="2025-01-05", b="2025-02-01")
    return context(archive, docs, fact=f, draft=drafts)


def test_a_figure_nothing_supports_conflicts():
    ctx = _ctx([claim(0, 11000, "a")], [claim(9, 12000, "draft", surface="12.000")], value=11000, low=11000, high=11000)
    [hit] = draft.check(ctx, params("draft", finding="conflict"))
    assert hit.claims[0].id == "c9" and hit.values["figure"] == "12.000" and hit.values["value"] == "11,000"
    assert hit.values["sources"] == "Alpha Post 2025-01-05: 11000 (asserted)"
    ok = _ctx([claim(0, 11000, "a")], [claim(9, 11000, "draft")], value=11000, low=11000, high=11000)
    assert draft.check(ok, params("draft", finding="conflict")) == []


def test_a_figure_with_no_archive_fact_is_unsupported_only():
    ctx = _ctx([], [claim(9, 12000, "draft")])
    assert [h.key for h in draft.check(ctx, params("draft", finding="unsupported"))] == ["unsupported"]
    assert draft.check(ctx, params("draft", finding="conflict")) == []


def test_one_side_of_a_disputed_fact():
    archive = [claim(0, 11000, "a"), claim(1, 10000, "b")]
    ctx = _ctx(archive, [claim(9, 10000, "draft")], value=11000, low=11000, high=11000, verdict="conflict")
    [hit] = draft.check(ctx, params("draft", finding="disputed"))
    assert hit.values["supported_by"].startswith("Beta News 2025-02-01: 10000")


def test_a_figure_a_newer_one_updates_is_outdated():
    archive = [claim(0, 300, "a", as_of="2025-01-05"), claim(1, 500, "b", as_of="2025-02-01")]
    ctx = _ctx(archive, [claim(9, 300, "draft")], value=500, low=500, high=500, verdict="update")
    [hit] = draft.check(ctx, params("draft", finding="outdated"))
    assert hit.values["newer"] == "500 (Beta News)" and hit.values["newer_date"] == "2025-02-01"


def test_sources_text_cites_outlet_date_hedge_and_who():
    ctx = _ctx([], [])
    text = draft.sources_text([claim(0, 10000, "b", hedge="rund", surface="10.000", attribution="Kiew")], ctx)
    assert text == "Beta News 2025-02-01: rund 10.000 (asserted, Kiew)"
