"""Syndication: documents that share an outlet, an author, an agency copy or near-identical text."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit

KIND = "syndication"
PARAMS: dict[str, Any] = {}
DEFAULTS: dict[str, Any] = {}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit per origin that several documents share (``ctx.origin``, from ``confidence.origins_for``):
    they count once as corroboration, and the reader is told which documents they are."""
    by_origin: dict[str, set[str]] = {}
    for c in ctx.claims:
        by_origin.setdefault(ctx.origin[c.id], set()).add(c.document)
    hits = []
    for origin, docs in sorted(by_origin.items()):
        if len(docs) > 1:
            names = sorted(f"{ctx.docs[d].outlet or d} ({ctx.docs[d].published or 'undated'})" for d in docs)
            cs = [c for c in ctx.claims if c.document in docs]
            hits.append(Hit(cs, {"documents": ", ".join(names), "origin": origin}, key=origin))
    return hits
