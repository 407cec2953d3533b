"""JSON rendering (``reconcile.render.jsonfmt``): the record, byte-stable, also when streamed."""

from __future__ import annotations

import io
import json

from reconcile.render import render_text, render_to
from reconcile.render.jsonfmt import render, write
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
