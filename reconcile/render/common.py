"""Helpers shared by the human-readable renderers."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from rich.text import Text

from reconcile.checks.base import fmt
from reconcile.packaged import packaged_data

__all__ = ["fmt", "status_line", "claims_by_id", "docs_by_id", "value_text", "VERDICT_MARK", "as_written",
           "origin_names", "origins_text", "figures_text", "source_name", "strip_footnotes", "CONFIDENCE_NOTE",
           "ORIGIN_NAMES_SHOWN", "clean", "for_display", "terminal_line", "terminal_text", "md_text", "md_code"]

# C0 and C1 control characters and DEL, but tab and newline; plus the bidirectional overrides and
# isolates, which reorder what a reader sees ("Trojan source")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(s: str) -> str:
    """``s`` without the control characters a terminal or viewer would obey (ESC sequences, bells,
    carriage returns, Unicode line separators, bidi overrides); tabs and newlines stay."""
    return _CONTROL.sub("", s)


def for_display(obj: Any) -> Any:
    """A copy of a report record with every string ``clean``: for the human-readable renderers only
    (the JSON report keeps the text exact, its offsets point into it)."""
    if isinstance(obj, str):
        return clean(obj)
    if isinstance(obj, dict):
        return {k: for_display(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [for_display(v) for v in obj]
    return obj


def terminal_line(s: str) -> str:
    """``s`` as one line for stderr: every control character, newlines included, shown as an escape
    (``\\n``, ``\\x1b``), so a file name cannot forge a line of its own or drive the terminal."""
    def esc(m: re.Match[str]) -> str:
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or f"\\x{ord(c):02x}" if ord(c) < 256 \
            else f"\\u{ord(c):04x}"
    return _CONTROL_ALL.sub(esc, s)


def terminal_text(s: Any) -> Text:
    """User text for a rich table cell or line: cleaned, and a ``Text`` so rich never reads it as markup."""
    return Text(clean("" if s is None else str(s)))


# what can start markup inside a line: emphasis, code, links and images ("![", "](" need a bracket),
# tables, strikethrough; "<" and "&" become entities (no HTML, no autolinks)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(s: Any) -> str:
    """User text inline in Markdown: HTML escaped (no ``<script>``, no ``<img onerror>``), Markdown
    punctuation backslash-escaped (no links or images of its own), one line, no control characters."""
    t = clean("" if s is None else str(s)).replace("\n", " ").replace("\t", " ")
    t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", t)


def md_code(s: Any) -> str:
    """``s`` as a Markdown code span whose fence is longer than any run of backticks inside it."""
    t = clean("" if s is None else str(s)).replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", t)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if t.startswith("`") or t.endswith("`") or not t.strip() else ""
    return f"{fence}{pad}{t}{pad}{fence}"

VERDICT_MARK = {"conflict": "CONFLICT", "update": "UPDATE", "scope": "SCOPE", "agree": "AGREE",
                "single": "SINGLE"}

# what the confidence figure means, in one sentence (the computation is in reconcile/confidence.py)
CONFIDENCE_NOTE = ("Confidence (0 to 1) says how well the reconciled figure is supported: it grows with the share "
                   "of independent origins (not articles: copies and shared sources count once) that support it, "
                   "weighted by how sure the claims are (modality, hedges), how recent they are and how reliable "
                   "their outlets proved across the corpus.")

ORIGIN_NAMES_SHOWN = 3  # an origin of many copies lists this many names, then "and N more"

# footnote markup left in quoted text: "[2]", "[2][Die hohen Verluste]", "[Anm. 3]" (marks: lexicon/render.yml)
_MARKERS = "|".join(re.escape(str(m)) for m in packaged_data("render")["footnote_markers"])
_FOOTNOTE = re.compile(rf"\[\d{{1,3}}\](?:\[[^\]\n]{{0,200}}\])?|\[(?:{_MARKERS})\s*\d{{1,3}}\]", re.I)


def status_line(record: dict[str, Any]) -> str:
    """One sentence of the record's counts: facts, claims, documents and facts per verdict (every format's header)."""
    s = record["summary"]
    v = s["verdicts"]
    return (f"{s['facts']} facts checked from {s['claims']} claims in {s['documents']} documents: "
            f"{v['conflict']} conflicting, {v['agree']} agreeing, {v['update']} updates, {v['scope']} scope, "
            f"{v['single']} single")


def claims_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The record's claims by id, for renderers that follow a fact's claim ids."""
    return {c["id"]: c for c in record["claims"]}


def docs_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The record's documents by id, for renderers that name a claim's outlet and date."""
    return {d["id"]: d for d in record["documents"]}


def value_text(f: dict[str, Any]) -> str:
    """A fact's reconciled value with its range ("about 11,000 (10,000 to 12,000)"), or "n/a" without one."""
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
