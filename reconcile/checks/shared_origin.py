"""Shared origin: several documents, but every figure is attributed to the same origin."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit

KIND = "shared_origin"
PARAMS: dict[str, Any] = {"min_documents": {"type": "integer", "minimum": 2}}
DEFAULTS: dict[str, Any] = {"min_documents": 2}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit when every figure of ``min_documents`` or more documents is attributed, all to one origin:
    many outlets, one source, so the agreement is no corroboration."""
    docs = {c.document for c in ctx.claims}
    if len(docs) < p["min_documents"]:
        return []
    attributed = [c for c in ctx.claims if c.attribution]
    if len(attributed) != len(ctx.claims) or len(ctx.origins()) != 1:
        return []
    return [Hit(ctx.claims, {"origin": ctx.claims[0].attribution, "documents": len(docs)})]
