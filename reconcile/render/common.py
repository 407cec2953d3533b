"""Helpers shared by the human-readable renderers."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text

from reconcile.checks.base import fmt

__all__ = ["fmt", "status_line", "claims_by_id", "docs_by_id", "value_text", "VERDICT_MARK", "clean",
           "for_display", "terminal_line", "terminal_text", "md_text", "md_code"]

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
                "single-source": "SINGLE SOURCE"}


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
