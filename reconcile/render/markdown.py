"""Markdown rendering: for pasting into a fact-check or a pull request."""

from __future__ import annotations

from typing import Any

from reconcile.render.common import VERDICT_MARK, claims_by_id, docs_by_id, fmt, status_line, value_text

__all__ = ["render"]


def _cell(s: Any) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def render(record: dict[str, Any]) -> str:
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    out = ["# reconcile report", "", f"**Status: {record['summary']['status']}.** {status_line(record)}.", ""]
    for f in record["facts"]:
        out.append(f"## {VERDICT_MARK[f['verdict']]}: {_cell(f['label'])}")
        out.append("")
        out.append(f"- Reconciled value: {value_text(f)}; range {fmt(f['range_low'])} to {fmt(f['range_high'])}")
        out.append(f"- Confidence: {f['confidence']:.2f} from {f['independent_origins']} independent origin(s)")
        if f["rules"]:
            out.append(f"- Rules: {', '.join(f['rules'])}")
        out.append("")
        out.append("| Outlet | Date | As written | Hedge | Modality | Attribution | As of |")
        out.append("|---|---|---|---|---|---|---|")
        for cid in f["claims"]:
            c = claims[cid]
            d = docs[c["document"]]
            out.append(f"| {_cell(d['outlet'] or d['id'])} | {_cell(d['published'] or 'undated')} | "
                       f"{_cell(c['surface'])} {_cell(c['counted_text'])} | {_cell(c['hedge'])} | {c['modality']} | "
                       f"{_cell(c['attribution'])} | {_cell(c['as_of'])} |")
        out.append("")
        for line in f["explanation"]:
            out.append(f"> {_cell(line)}  ")
        out.append("")
    if record.get("errors"):
        out.append("## Input errors")
        out.extend(f"- `{_cell(e['path'])}`: {_cell(e['problem'])}" for e in record["errors"])
        out.append("")
    return "\n".join(out)
