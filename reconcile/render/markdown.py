"""Markdown rendering: for pasting into a fact-check or a pull request."""

from __future__ import annotations

from typing import Any

from reconcile.labels import record_label
from reconcile.render.common import (CONFIDENCE_NOTE, VERDICT_MARK, as_written, claims_by_id, docs_by_id, figures_text,
                                     fmt, for_display, md_code, md_text, origins_text, status_line, strip_footnotes,
                                     value_text)

__all__ = ["render"]


def _cell(s: Any) -> str:
    """Article text in a table cell or line: HTML and Markdown syntax escaped (see ``md_text``)."""
    return md_text(s)


def render(record: dict[str, Any]) -> str:
    """The report as Markdown: status, then each fact with its verdict, value, findings and sourced figures;
    article text is escaped so it cannot inject HTML or Markdown."""
    record = for_display(record)
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    out = ["# reconcile report", "", f"**Status: {record['summary']['status']}.** {status_line(record)}.", ""]
    for f in record["facts"]:
        out.append(f"## {VERDICT_MARK[f['verdict']]}: {_cell(record_label(f, claims))}")
        out.append("")
        out.append(f"- Reconciled value: {value_text(f)}; range {fmt(f['range_low'])} to {fmt(f['range_high'])}")
        out.append(f"- Confidence[^confidence]: {f['confidence']:.2f} from {f['independent_origins']} independent "
                   f"origin(s)" + (f": {_cell(origins_text(f['origins']))}" if f["origins"] else ""))
        if f["verdict"] in ("conflict", "update", "scope") and len(f["claims"]) > 1:
            out.append(f"- Figures: {_cell(figures_text(f, claims, docs))}")
        if f["rules"]:
            out.append(f"- Rules: {_cell(', '.join(f['rules']))}")
        out.append("")
        out.append("| Outlet | Date | As written | Hedge | Modality | Attribution | As of |")
        out.append("|---|---|---|---|---|---|---|")
        for cid in f["claims"]:
            c = claims[cid]
            d = docs[c["document"]]
            out.append(f"| {_cell(d['outlet'] or d['id'])} | {_cell(d['published'] or 'undated')} | "
                       f"{_cell(as_written(c))} | {_cell(c['hedge'])} | {_cell(c['modality'])} | "
                       f"{_cell(c['attribution'])} | {_cell(c['as_of'])} |")
        out.append("")
        for line in f["explanation"]:
            out.append(f"> {_cell(strip_footnotes(line))}  ")
        out.append("")
    if record.get("errors"):
        out.append("## Input errors")
        out.extend(f"- {md_code(e['path'])}: {_cell(e['problem'])}" for e in record["errors"])
        out.append("")
    if record["facts"]:
        out.append(f"[^confidence]: {CONFIDENCE_NOTE}")
        out.append("")
    return "\n".join(out)
