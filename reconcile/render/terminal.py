"""Terminal rendering with rich: a status line, then one panel per fact, most severe first."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from reconcile.labels import record_label
from reconcile.render.common import (CONFIDENCE_NOTE, VERDICT_MARK, as_written, claims_by_id, docs_by_id, figures_text,
                                     fmt, for_display, origin_names, origins_text, status_line,
                                     terminal_text, value_text)

__all__ = ["renderables", "check_renderables", "check_status"]

_STYLE = {"conflict": "bold red", "update": "bold blue", "scope": "bold magenta", "agree": "bold green",
          "single": "dim"}


# the columns of every fact's table: (header, fixed width or None, ratio of the rest). Ratios, not content,
# set the widths, so every panel of a report shares them, and fixed short columns never wrap. Narrower
# than WIDE columns, who is quoted joins the outlet in one column, so the figures keep room to stand whole.
_COLUMNS = (("Source", None, 2), ("Date", 10, None), ("As written", None, 3), ("Modality", 12, None),
            ("Attribution", None, 2))
_NARROW = (("Source", None, 2), ("Date", 10, None), ("As written", None, 3), ("Modality", 12, None))
WIDE = 140


class _ClaimsTable:
    """A fact's claims, laid out for the width it gets (see ``_COLUMNS``)."""

    def __init__(self, f: dict[str, Any], claims: dict[str, Any], docs: dict[str, Any]) -> None:
        self.rows = []
        for cid in f["claims"]:
            c = claims[cid]
            d = docs[c["document"]]
            self.rows.append((d["outlet"] or d["id"], d["published"] or "undated", as_written(c), c["modality"],
                              c["attribution"] or ""))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = options.max_width >= WIDE
        t = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
        for name, width, ratio in _COLUMNS if wide else _NARROW:
            t.add_column(name, width=width, ratio=ratio, overflow="fold", no_wrap=width is not None)
        for source, date, written, modality, who in self.rows:
            if wide:  # Text: an outlet "[/b]" is text, never rich markup
                t.add_row(*(terminal_text(x) for x in (source, date, written, modality, who)))
            else:
                t.add_row(Text.assemble(source, (f" · {who}", "dim") if who else ""),
                          *(terminal_text(x) for x in (date, written, modality)))
        yield t


def _fact_panel(f: dict[str, Any], claims: dict[str, Any], docs: dict[str, Any]) -> Panel:
    head = Text(f"Reconciled {value_text(f)}  confidence¹ {f['confidence']:.2f}  "
                f"independent origins {f['independent_origins']}"
                + (f"  rules {', '.join(f['rules'])}" if f["rules"] else ""))
    lines: list[RenderableType] = [head]
    if f["verdict"] in ("conflict", "update", "scope") and len(f["claims"]) > 1:
        lines.append(Text("Figures " + figures_text(f, claims, docs)))
    if f["independent_origins"] > 1 or any(len(origin_names(o)) > 1 for o in f["origins"]):
        lines.append(Text("Origins: " + origins_text(f["origins"]), style="dim"))
    lines.append(_ClaimsTable(f, claims, docs))
    lines.extend(Text("• " + x) for x in f["explanation"] if x[:4].isalnum() and x[2:4].isdigit())
    title = Text.assemble((VERDICT_MARK[f["verdict"]], _STYLE[f["verdict"]]), " ", record_label(f, claims))
    return Panel(Group(*lines), title=title, title_align="left")


def renderables(record: dict[str, Any], include_single: bool = True, quiet: bool = False) -> list[RenderableType]:
    """The status line, then one panel per fact, then what confidence means.

    ``quiet``: only the facts with findings, no status line and no footnote.
    """
    record = for_display(record)  # no control characters from article text reach the terminal
    claims = claims_by_id(record)
    docs = docs_by_id(record)
    out: list[RenderableType] = [] if quiet else [
        Text(f"Status: {record['summary']['status']}. {status_line(record)}.", style="bold")]
    for f in record["facts"]:
        if (not include_single and f["verdict"] == "single") or (quiet and not f["rules"]):
            continue
        out.append(_fact_panel(f, claims, docs))
    for e in record.get("errors", []):
        out.append(Text(f"input error: {e['path']}: {e['problem']}", style="yellow"))
    if not quiet and record["facts"]:
        out.append(Text("¹ " + CONFIDENCE_NOTE, style="dim"))
    return out


_LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}


def _figure_table(record: dict[str, Any]) -> Table:
    """``check --verbose``: every figure of the drafts and the archive fact it was judged against."""
    t = Table("Where", "As written", "Archive fact", "Reconciled", "Distance", "Rules", title="Figures checked",
              header_style="bold", box=None, padding=(0, 1), title_justify="left")
    for g in record.get("figures", []):
        fact = g["fact"]
        written = f"{g['hedge']} {g['surface']}" if g["hedge"] and g["hedge"].lower() not in g["surface"].lower() \
            else g["surface"]
        written = f"{written} {g['counted'] or ''}".strip()
        if fact is None:
            where_fact, value = Text("no match", style="dim"), Text(g["reason"] or "", style="dim")
        else:
            where_fact, value = Text(fact["label"]), Text(f"{fmt(fact['value'])} ({fmt(fact['low'])} to "
                                                          f"{fmt(fact['high'])}), {fact['verdict']}")
        dist = "" if g["distance"] is None else f"{g['distance']:.2f}"
        t.add_row(terminal_text(f"{g['path']}:{g['line']}:{g['column']}"), terminal_text(written), where_fact, value,
                  dist, ", ".join(g["rules"]))
    return t


def check_status(record: dict[str, Any]) -> Text:
    """The one status line of ``reconcile check``."""
    s = record["summary"]
    status = "fail" if s["error"] else ("warnings" if s["warning"] else "ok")
    return Text(
        f"Status: {status}. {record['claims']} figure(s) in {len(record['drafts'])} draft(s), {record['matched']} "
        f"matched to the archive ({s['archive_documents']} documents, {s['archive_facts']} facts): "
        f"{s['error']} error(s), {s['warning']} warning(s), {s['info']} info, {s['suppressed']} suppressed.",
        style="bold")


def check_renderables(record: dict[str, Any], verbose: bool = False, quiet: bool = False) -> list[RenderableType]:
    """``reconcile check``: a status line, one panel per finding at the draft's file and line.

    Suppressed findings take one line each (rule, fact, where); ``verbose`` adds every figure and its
    fact; ``quiet`` leaves out the status line and the suppressed findings.
    """
    record = for_display(record)
    out: list[RenderableType] = [] if quiet else [check_status(record)]
    if verbose:
        out.append(_figure_table(record))
    for f in record["findings"]:
        d = f["draft"]
        where = f"{d['path']}:{d['line']}:{d['column']}"
        if f["suppressed"]:
            if not quiet:
                label = f["fact"]["label"] if f["fact"] else d["surface"]
                out.append(Text(f"{f['rule']} {where}: suppressed ({f['suppressed_by']}): {label}", style="dim"))
            continue
        title = Text.assemble((f"{f['level'].upper()} {f['rule']}", _LEVEL_STYLE[f["level"]]), f" {where}")
        out.append(Panel(Text(f["message"]), title=title, title_align="left"))
    return out
