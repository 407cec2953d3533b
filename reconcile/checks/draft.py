"""A draft's figure against the archive's fact: conflict, a disputed figure, an outdated one, or no support.

Runs only in ``reconcile check``: the context carries the draft's claims matched to an archive fact
(``ctx.draft``); ``ctx.claims`` are the archive's claims of that fact (none when nothing matched).
"""

from __future__ import annotations

from typing import Any

from reconcile.checks.base import Context, Hit, describe, fmt
from reconcile.intervals import Interval, compatible, tolerance
from reconcile.model import Claim

KIND = "draft"
PARAMS: dict[str, Any] = {
    "finding": {"enum": ["conflict", "disputed", "outdated", "unsupported"]},
    "tolerance": {"type": "number", "minimum": 0, "maximum": 1},
    "open_factor": {"type": "number", "minimum": 0, "maximum": 10},
}
DEFAULTS: dict[str, Any] = {"finding": "conflict", "tolerance": 0.0, "open_factor": 0.1}

_ACTUAL = ("asserted", "reported", "estimated")


def _tol(c: Claim, ctx: Context, tol: float) -> Interval:
    """The figure's tolerance by its stated precision and hedge (``reconcile.intervals``), widened by ``tol``."""
    lo, hi = tolerance(c, ctx.lexicon)
    return lo - abs(c.value) * tol, hi + abs(c.value) * tol


def _supports(c: Claim, d: Claim, ctx: Context, tol: float, open_factor: float) -> bool:
    """Does archive claim ``c`` support the draft's figure ``d``? Both are read by their stated precision.

    An open-ended figure ("mehr als 10.000", "at least 6,000") supports only figures near its bound:
    within ``open_factor`` of it, not everything above (or below).
    """
    lo, hi = _tol(c, ctx, tol)
    if c.high is None and c.low is not None:
        hi = c.low * (1 + open_factor) if c.low >= 0 else c.low * (1 - open_factor)
    if c.low is None and c.high is not None:
        lo = c.high * (1 - open_factor) if c.high >= 0 else c.high * (1 + open_factor)
    return compatible((lo, hi), _tol(d, ctx, tol))


def _reconciled_overlap(d: Claim, ctx: Context, tol: float) -> bool:
    """The draft's figure, by its stated precision, is compatible with the archive's reconciled figure."""
    f = ctx.fact
    if f.value is None:
        return False
    lo = f.low if f.low is not None else float("-inf")
    hi = f.high if f.high is not None else float("inf")
    return compatible((min(lo, f.value), max(hi, f.value)), _tol(d, ctx, tol))


def sources_text(claims: list[Claim], ctx: Context) -> str:
    """Every archive claim, cited: outlet and date, the figure as written, who says so."""
    parts = []
    for c in sorted(claims, key=lambda c: (c.as_of or "", c.document)):
        doc = ctx.docs.get(c.document)
        outlet = (doc.outlet if doc and doc.outlet else c.document)
        when = doc.published if doc and doc.published else "undated"
        who = f", {c.attribution}" if c.attribution else ""
        figure = f"{c.hedge} {c.surface}" if c.hedge and c.hedge.lower() not in c.surface.lower() else c.surface
        parts.append(f"{outlet} {when}: {figure} ({c.modality}{who})")
    return "; ".join(parts)


def check(ctx: Context, p: dict[str, Any]) -> list[Hit]:
    """Each draft figure judged by the rule's ``finding``: conflict, disputed, outdated or unsupported."""
    hits: list[Hit] = []
    tol = p["tolerance"]
    actual = [c for c in ctx.claims if c.modality in _ACTUAL] or ctx.claims
    f = ctx.fact
    for d in ctx.draft:
        values = {"draft": repr(f"{d.surface} {d.counted_text or ''}".strip()), "figure": d.surface, "label": f.label,
                  "value": fmt(f.value), "low": fmt(f.low), "high": fmt(f.high), "verdict": f.verdict,
                  "origins": f.independent_sources, "sources": sources_text(ctx.claims, ctx)}
        if p["finding"] == "unsupported":
            if not ctx.claims:
                hits.append(Hit([d], values, key="unsupported"))
            continue
        if not ctx.claims:
            continue
        supported = [c for c in actual if _supports(c, d, ctx, tol, p["open_factor"])]
        on_value = _reconciled_overlap(d, ctx, tol)
        if p["finding"] == "conflict":
            if not on_value and not supported:
                hits.append(Hit([d], values, key="conflict"))
        elif p["finding"] == "disputed":
            if f.verdict == "conflict" and supported and not on_value:
                hits.append(Hit([d], {**values, "supported_by": sources_text(supported, ctx)}, key="disputed"))
        elif p["finding"] == "outdated":
            dated = [c for c in actual if c.as_of]
            if not dated or not supported:
                continue
            latest = max(dated, key=lambda c: c.as_of or "")
            if compatible(_tol(latest, ctx, tol), _tol(d, ctx, tol)):
                continue
            newest_support = max((c.as_of or "" for c in supported), default="")
            if newest_support < (latest.as_of or ""):
                hits.append(Hit([d], {**values, "newer": describe(latest, ctx.docs), "newer_date": latest.as_of},
                                key="outdated"))
    return hits
