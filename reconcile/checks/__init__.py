"""Check kinds: each implemented once, one module each. A rule file ``extends`` one of them by name."""

from __future__ import annotations

from reconcile.checks import agreement, conflict, outlier, scope, shared_origin, single_origin, sum, syndication, update
from reconcile.checks.base import Context, Hit

__all__ = ["KINDS", "Context", "Hit"]

KINDS = {m.KIND: m for m in (conflict, agreement, update, scope, single_origin, shared_origin, syndication, sum,
                             outlier)}
