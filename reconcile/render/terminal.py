"""Terminal rendering with rich: a status line, then one panel per fact, most severe first."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reconcile.render.common import VERDICT_MARK, claims_by_id, docs_by_id, status_line, value_text

__all__ = ["renderables", "check_renderables"]

_STYLE = {"conflict": "bold red", "update": "bold blue", "scope": "bold magenta", "agree": "bold green",
          "single": "dim"}


def renderables(record: dict[str, Any], include_single: bool = True) -> list[RenderableType]:
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    out: list[RenderableType] = [Text(f"Status: {record['summary']['status']}. {status_line(record)}.", style="bold")]
    for f in record["facts"]:
        if not include_single and f["verdict"] == "single":
            continue
        t = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
        for col in ("Source", "Date", "As written", "Modality", "Attribution"):
            t.add_column(col, overflow="fold")
        for cid in f["claims"]:
            c = claims[cid]
            d = docs[c["document"]]
            t.add_row(d["outlet"] or d["id"], d["published"] or "undated",
                      f"{c['surface']} {c['counted_text'] or ''}".strip(), c["modality"], c["attribution"] or "")
        head = Text(f"Reconciled {value_text(f)}  confidence {f['confidence']:.2f}  "
                    f"independent origins {f['independent_origins']}"
                    + (f"  rules {', '.join(f['rules'])}" if f["rules"] else ""))
        notes = [Text("• " + x) for x in f["explanation"] if x[:4].isalnum() and x[2:4].isdigit()]
        title = Text.assemble((VERDICT_MARK[f["verdict"]], _STYLE[f["verdict"]]), " ", f["label"])
        out.append(Panel(Group(head, t, *notes), title=title, title_align="left"))
    for e in record.get("errors", []):
        out.append(Text(f"input error: {e['path']}: {e['problem']}", style="yellow"))
    return out


_LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}


def check_renderables(record: dict[str, Any]) -> list[RenderableType]:
    """``reconcile check``: a status line, then one panel per finding at the draft's file and line."""
    s = record["summary"]
    status = "fail" if s["error"] else ("warnings" if s["warning"] else "ok")
    out: list[RenderableType] = [Text(
        f"Status: {status}. {record['claims']} figure(s) in {len(record['drafts'])} draft(s), {record['matched']} "
        f"matched to the archive ({s['archive_documents']} documents, {s['archive_facts']} facts): "
        f"{s['error']} error(s), {s['warning']} warning(s), {s['info']} info, {s['suppressed']} suppressed.",
        style="bold")]
    for f in record["findings"]:
        d = f["draft"]
        title = Text.assemble((f"{f['level'].upper()} {f['rule']}", _LEVEL_STYLE[f["level"]]),
                              f" {d['path']}:{d['line']}:{d['column']}",
                              (" (suppressed: " + str(f["suppressed_by"]) + ")", "dim") if f["suppressed"] else "")
        out.append(Panel(Text(f["message"]), title=title, title_align="left"))
    return out
