"""The agreement check: figures of two or more documents that fit one reading."""

from __future__ import annotations

from reconcile.checks import agreement

from ..builders import claim, context, params


def test_the_same_figure_in_two_documents_agrees():
    hits = agreement.check(context([claim(0, 6000, "a"), claim(1, 6000, "b")]), params("agreement"))
    assert len(hits) == 1
    assert hits[0].values["how"] == "on the same figure" and hits[0].values["documents"] == 2
    assert hits[0].values["origins"] == 2 and hits[0].values["value"] == "6,000"


def test_figures_within_rounding_agree_and_say_so():
    cs = [claim(0, 43000, "a", surface="$43,000", language="en", unit="USD", unit_class="money"),
          claim(1, 43350, "b", surface="$43,350", language="en", unit="USD", unit_class="money")]
    hits = agreement.check(context(cs), params("agreement"))
    assert [h.values["how"] for h in hits] == ["within rounding and hedges"]


def test_incompatible_figures_or_one_document_do_not_agree():
    assert agreement.check(context([claim(0, 11000, "a"), claim(1, 10000, "b")]), params("agreement")) == []
    assert agreement.check(context([claim(0, 6000, "a"), claim(1, 6000, "a")]), params("agreement")) == []


def test_min_documents_is_a_parameter():
    cs = [claim(0, 6000, "a"), claim(1, 6000, "b")]
    assert agreement.check(context(cs), params("agreement", min_documents=3)) == []
