"""Helpers shared by the human-readable renderers."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import fmt

__all__ = ["fmt", "status_line", "claims_by_id", "docs_by_id", "value_text", "VERDICT_MARK"]

VERDICT_MARK = {"conflict": "CONFLICT", "update": "UPDATE", "scope": "SCOPE", "agree": "AGREE",
                "single": "SINGLE"}


def status_line(record: dict[str, Any]) -> str:
    s = record["summary"]
    v = s["verdicts"]
    return (f"{s['facts']} facts checked from {s['claims']} claims in {s['documents']} documents: "
            f"{v['conflict']} conflicting, {v['agree']} agreeing, {v['update']} updates, {v['scope']} scope, "
            f"{v['single']} single")


def claims_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in record["claims"]}


def docs_by_id(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in record["documents"]}


def value_text(f: dict[str, Any]) -> str:
    if f["value"] is None:
        return "n/a"
    return f"about {fmt(f['value'])} ({fmt(f['low'])} to {fmt(f['high'])})"
