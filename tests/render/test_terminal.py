"""Terminal rendering with rich (``reconcile.render.terminal``)."""

from __future__ import annotations

import os

from rich.console import Console

from reconcile.render.terminal import check_renderables, check_status, renderables
from reconcile.report import build_record

from ..builders import check_record, tiny_run


def _text(items) -> str:
    with open(os.devnull, "w") as sink:
        console = Console(width=120, record=True, file=sink, color_system=None)
        for r in items:
            console.print(r)
        return console.export_text()


def test_a_report_is_a_status_line_then_one_panel_per_fact():
    out = _text(renderables(build_record(tiny_run())))
    assert out.startswith("Status: conflicts.")
    assert out.index("CONFLICT Soldaten") < out.index("SINGLE Panzer") and "Confidence (0 to 1)" in out
    assert "<script>" in out  # text is shown as text, never read as rich markup


def test_single_facts_can_be_left_out_and_quiet_drops_the_status():
    out = _text(renderables(build_record(tiny_run()), include_single=False, quiet=True))
    assert "CONFLICT Soldaten" in out and "SINGLE Panzer" not in out and "Status:" not in out


def test_check_shows_a_panel_per_finding_and_one_line_per_suppressed_one():
    record = check_record()
    assert check_status(record).plain.startswith("Status: fail.")
    out = _text(check_renderables(record))
    assert "ERROR DR01 drafts/story,1.md:3:5" in out and "DR02 drafts/story,1.md:7:5: suppressed (inline)" in out
