"""Check kinds: each implemented once, one module each. A rule file ``extends`` one of them by name."""

from __future__ import annotations

from reconcile.checks import (agreement, conflict, draft, outlier, scope, shared_origin, sibling, single_origin,
                              sum, syndication, update)
from reconcile.checks.base import Context, Hit

__all__ = ["KINDS", "DRAFT_KINDS", "ACROSS_FACTS", "Context", "Hit"]

KINDS = {m.KIND: m for m in (conflict, agreement, update, scope, single_origin, shared_origin, syndication, sum,
                             outlier, draft, sibling)}
# kinds that judge a draft against the archive (``reconcile check``), not the corpus itself
DRAFT_KINDS = {"draft"}
# kinds whose findings on a fact depend on other facts (a module that reads ``ctx.facts`` or
# ``ctx.facts_by_document`` says so with ``ACROSS_FACTS = True``): an incremental index run re-runs them on
# the facts that share a document with a changed one
ACROSS_FACTS = {kind for kind, m in KINDS.items() if getattr(m, "ACROSS_FACTS", False)}
