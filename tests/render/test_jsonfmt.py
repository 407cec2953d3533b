"""JSON rendering (``reconcile.render.jsonfmt``): the record, byte-stable, also when streamed."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.render import render_text, render_to
from reconcile.render.jsonfmt import encode, render, write
from reconcile.report import build_record

from ..builders import tiny_run


def test_render_and_write_give_the_same_bytes_and_keep_non_ascii():
    record = build_record(tiny_run())
    fh = io.StringIO()
    write(record, fh)
    assert fh.getvalue() == render(record) == render_text(record, "json")
    assert render(record).endswith("}\n") and "schickte" in render(record)
    assert json.loads(render(record)) == record
    out = io.StringIO()
    render_to(record, "json", out)
    assert out.getvalue() == render(record)


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats()
_values = st.recursive(_scalars, lambda inner: (
    st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(_keys, inner, max_size=4)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=6))
def test_every_record_is_written_as_the_standard_library_indents_it(record):
    """Floats (NaN, infinities, exponents), escapes, keys that are no strings, tuples, empty and nested containers:
    the same bytes as json.dumps."""
    expected = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    fh = io.StringIO()
    write(record, fh)
    assert render(record) == expected
    assert fh.getvalue() == expected


def test_a_value_nested_deep_is_indented_for_its_level():
    assert encode({"a": [1, {"b": []}]}, 3) == json.dumps({"a": [1, {"b": []}]}, indent=2).replace("\n", "\n      ")


def test_what_the_standard_library_refuses_is_refused():
    for bad in ({"a": {1, 2}}, {"a": [object()]}):
        with pytest.raises(TypeError):
            json.dumps(bad)
        with pytest.raises(TypeError):
            render(bad)
