"""Renderers of the one report record: ``json``, ``md``, ``html``, ``rich`` (terminal)."""

from __future__ import annotations

from typing import Any, TextIO

__all__ = ["render_text", "render_to", "FORMATS"]

FORMATS = ("rich", "json", "md", "html")


def render_text(record: dict[str, Any], fmt: str) -> str:
    """Render a machine or document format to a string (the terminal format renders through rich)."""
    if fmt == "json":
        from reconcile.render.jsonfmt import render
    elif fmt == "md":
        from reconcile.render.markdown import render
    elif fmt == "html":
        from reconcile.render.html import render
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return render(record)


def render_to(record: dict[str, Any], fmt: str, fh: TextIO) -> None:
    """Render into an open text file; JSON is written in pieces (reports of large corpora are large)."""
    if fmt == "json":
        from reconcile.render.jsonfmt import write

        write(record, fh)
    else:
        fh.write(render_text(record, fmt))
