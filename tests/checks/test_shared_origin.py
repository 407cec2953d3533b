"""The shared-origin check: several documents, every figure attributed to one origin."""

from __future__ import annotations

from reconcile.checks import shared_origin

from ..builders import claim, context, params


def test_every_figure_from_one_attributed_origin():
    cs = [claim(0, 500, "a", attribution="das Ministerium"), claim(1, 500, "b", attribution="das Ministerium")]
    [hit] = shared_origin.check(context(cs, origin={"c0": "M", "c1": "M"}), params("shared_origin"))
    assert hit.values == {"origin": "das Ministerium", "documents": 2}


def test_an_unattributed_figure_or_one_document_is_not_shared_origin():
    cs = [claim(0, 500, "a", attribution="das Ministerium"), claim(1, 500, "b")]
    assert shared_origin.check(context(cs, origin={"c0": "M", "c1": "M"}), params("shared_origin")) == []
    one = [claim(0, 500, "a", attribution="M"), claim(1, 500, "a", attribution="M")]
    assert shared_origin.check(context(one, origin={"c0": "M", "c1": "M"}), params("shared_origin")) == []
