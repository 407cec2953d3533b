"""Single origin: every figure of the fact goes back to one independent source."""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, describe

KIND = "single_origin"
PARAMS: dict[str, Any] = {}
DEFAULTS: dict[str, Any] = {}


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """One hit when all the fact's figures go back to one independent origin: nothing corroborates them."""
    if len(ctx.origins()) != 1:
        return []
    return [Hit(ctx.claims, {"origin": ctx.origin[ctx.claims[0].id], "claims": len(ctx.claims),
                             "figures": "; ".join(describe(c, ctx.docs) for c in ctx.claims)})]
