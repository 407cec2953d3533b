"""Helpers shared by the human-readable renderers."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from reconcile.checks.base import fmt

__all__ = ["fmt", "status_line", "claims_by_id", "docs_by_id", "value_text", "VERDICT_MARK", "as_written",
           "origin_names", "origins_text", "figures_text", "source_name", "strip_footnotes", "CONFIDENCE_NOTE",
           "ORIGIN_NAMES_SHOWN"]

VERDICT_MARK = {"conflict": "CONFLICT", "update": "UPDATE", "scope": "SCOPE", "agree": "AGREE",
                "single-source": "SINGLE SOURCE"}

# what the confidence figure means, in one sentence (the computation is in reconcile/confidence.py)
CONFIDENCE_NOTE = ("Confidence (0 to 1) says how well the reconciled figure is supported: it grows with the share "
                   "of independent origins (not articles: copies and shared sources count once) that support it, "
                   "weighted by how sure the claims are (modality, hedges), how recent they are and how reliable "
                   "their outlets proved across the corpus.")

ORIGIN_NAMES_SHOWN = 3  # an origin of many copies lists this many names, then "and N more"

# footnote markup left in quoted text: "[2]", "[2][Die hohen Verluste]", "[Anm. 3]"
_FOOTNOTE = re.compile(r"\[\d{1,3}\](?:\[[^\]\n]{0,200}\])?|\[(?:Anm\.|Fn\.|note|ref)\s*\d{1,3}\]", re.I)


def status_line(record: dict[str, Any]) -> str:
    s = record["summary"]
    v = s["verdicts"]
    return (f"{s['facts']} facts checked from {s['claims']} claims in {s['documents']} documents: "
            f"{v['conflict']} conflicting, {v['agree']} agreeing, {v['update']} updates, {v['scope']} scope, "
            f"{v['single-source']} single-source")


def claims_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in record["claims"]}


def docs_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in record["documents"]}


def value_text(f: dict[str, Any]) -> str:
    if f["value"] is None:
        return "n/a"
    return f"about {fmt(f['value'])} ({fmt(f['low'])} to {fmt(f['high'])})"


def as_written(c: dict[str, Any], counted: bool = True) -> str:
    """The figure as the source wrote it, hedge kept ("mehr als 10.000 Soldaten", "more than $250,000")."""
    hedge = c.get("hedge")
    figure = c["surface"]
    if hedge and hedge != "vague" and hedge.lower() not in figure.lower():
        figure = f"{hedge} {figure}"
    return f"{figure} {c.get('counted_text') or ''}".strip() if counted else figure


def strip_footnotes(text: str) -> str:
    """Quoted text without footnote markup left from the page ("[2]", "[2][Die hohen Verluste]")."""
    return re.sub(r"\s{2,}", " ", _FOOTNOTE.sub("", text)).strip()


def origin_names(origin: Any) -> list[str]:
    """The names one origin stands for: an "a / b / c" label, or a ``{name, claims}`` record."""
    if isinstance(origin, dict):
        origin = origin.get("names") or origin.get("name") or ""
    if isinstance(origin, (list, tuple)):
        return [str(x) for x in origin]
    return [x.strip() for x in str(origin).split(" / ") if x.strip()]


def origins_text(origins: list[Any], shown: int = ORIGIN_NAMES_SHOWN) -> str:
    """Each independent origin by a few of its names: "taz / dpa / t-online and 62 more; Reuters"."""
    parts = []
    for o in origins:
        names = origin_names(o)
        head = " / ".join(names[:shown])
        parts.append(head + (f" and {len(names) - shown} more" if len(names) > shown else ""))
    return "; ".join(parts)


def source_name(c: dict[str, Any], docs: dict[str, dict[str, Any]]) -> str:
    """Who says a figure: the attributed source, else the outlet (or the document)."""
    d = docs.get(c["document"], {})
    return c.get("attribution") or d.get("outlet") or c["document"]


def figures_text(f: dict[str, Any], claims: dict[str, dict[str, Any]], docs: dict[str, dict[str, Any]],
                 shown: int = ORIGIN_NAMES_SHOWN) -> str:
    """The whole range of a fact's figures and who says which: "10,000 to 12,000: 10,000 t-online, ..."."""
    by_value: dict[float, list[str]] = defaultdict(list)
    for cid in f["claims"]:
        c = claims[cid]
        name = source_name(c, docs)
        if c["modality"] in ("planned", "hypothetical"):
            name += f" ({c['modality']})"
        if name not in by_value[c["value"]]:
            by_value[c["value"]].append(name)
    values = sorted(by_value)
    parts = []
    for v in values:
        names = by_value[v]
        more = f" and {len(names) - shown} more" if len(names) > shown else ""
        parts.append(f"{fmt(v)}: {', '.join(names[:shown])}{more}")
    span = fmt(values[0]) if len(values) == 1 else f"{fmt(values[0])} to {fmt(values[-1])}"
    return f"{span} ({'; '.join(parts)})"
