"""What every check kind shares: the context of a fact, a hit, and interval arithmetic with tolerance."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reconcile.model import Claim, Document, Fact

__all__ = ["Context", "Hit", "bounds", "overlap", "fmt", "comparable", "describe", "interval_arrays",
           "update_matrix", "row_blocks", "common_overlap", "UpdateKeys", "codes"]

# rows of a pairwise matrix handled at once: a fact of many claims stays within a few MB per block
ROW_BLOCK = 1024


@dataclass
class Context:
    """A fact with its claims, their documents, and each claim's independent origin."""

    fact: Fact
    claims: list[Claim]
    docs: dict[str, Document]
    origin: dict[str, str]
    facts: list[Fact] = field(default_factory=list)
    claims_by_id: dict[str, Claim] = field(default_factory=dict)
    draft: list[Claim] = field(default_factory=list)  # in `reconcile check`: the draft's claims on this fact
    facts_by_document: dict[str, list[Fact]] = field(default_factory=dict)  # every fact a document speaks to
    shared: dict[str, Any] = field(default_factory=dict)  # one run's memo, the same for every fact's context

    def origins(self, claims: list[Claim] | None = None) -> set[str]:
        return {self.origin[c.id] for c in (claims if claims is not None else self.claims)}


@dataclass
class Hit:
    """One observation of a check: the claims it is about and the values for the rule's message."""

    claims: list[Claim]
    values: dict[str, Any]
    key: str = ""


def bounds(c: Claim, tolerance: float = 0.0) -> tuple[float, float]:
    lo = c.low if c.low is not None else -math.inf
    hi = c.high if c.high is not None else math.inf
    if tolerance:
        lo -= abs(c.value) * tolerance
        hi += abs(c.value) * tolerance
    return lo, hi


def overlap(a: Claim, b: Claim, tolerance: float = 0.0) -> bool:
    la, ha = bounds(a, tolerance)
    lb, hb = bounds(b, tolerance)
    return la <= hb and lb <= ha


def fmt(v: float | None) -> str:
    if v is None:
        return "open"
    if abs(v) >= 1e9:
        return f"{v / 1e9:,.3g} bn"
    if abs(v) >= 1e6:
        return f"{v / 1e6:,.3g} m"
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}"


def comparable(claims: list[Claim], modalities: list[str]) -> list[Claim]:
    return [c for c in claims if c.modality in modalities]


def describe(c: Claim, docs: dict[str, Document]) -> str:
    d = docs.get(c.document)
    who = c.attribution or (d.outlet if d and d.outlet else c.document)
    return f"{c.surface} ({who})"


def interval_arrays(claims: list[Claim], tolerance: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``bounds`` of every claim as two arrays (low, high), for pairwise checks without a Python loop."""
    lo = np.array([bounds(c, tolerance)[0] for c in claims], dtype=np.float64)
    hi = np.array([bounds(c, tolerance)[1] for c in claims], dtype=np.float64)
    return lo, hi


def common_overlap(claims: list[Claim], tolerance: float = 0.0) -> bool:
    """Every two claims' intervals overlap: on a line, that is the largest low not above the smallest high."""
    if not claims:
        return True
    return max(bounds(c, tolerance)[0] for c in claims) <= min(bounds(c, tolerance)[1] for c in claims)


def codes(values: list[Any]) -> np.ndarray:
    """Small integers standing for ``values``: equal values, equal codes (for pairwise comparisons)."""
    seen: dict[Any, int] = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def row_blocks(n: int) -> Iterator[slice]:
    for start in range(0, n, ROW_BLOCK):
        yield slice(start, min(n, start + ROW_BLOCK))


@dataclass
class UpdateKeys:
    """Per-claim arrays for ``update_matrix``: the date's order, the figure, and eligibility."""

    when: np.ndarray
    value: np.ndarray
    earlier_ok: np.ndarray
    later_ok: np.ndarray

    @classmethod
    def of(cls, claims: list[Claim], require_cue: bool = False) -> UpdateKeys:
        # dates compare as the strings "YYYY-MM" or "YYYY" do in ``update.is_update``: rank them so
        stamps = sorted({c.as_of[:7] for c in claims if c.as_of})
        rank = {s: i for i, s in enumerate(stamps)}
        when = np.array([rank[c.as_of[:7]] if c.as_of else -1 for c in claims], dtype=np.int64)
        value = np.array([c.value for c in claims], dtype=np.float64)
        actual = np.array([bool(c.as_of) and c.modality not in ("planned", "hypothetical") for c in claims])
        cue = np.array([c.cumulative or c.change == ">" for c in claims])
        return cls(when, value, actual, actual & (cue | (not require_cue)))


def update_matrix(keys: UpdateKeys, rows: slice, rows_are_later: bool = False) -> np.ndarray:
    """``m[i, j]``: claim j (a later, larger figure) updates claim ``rows.start + i``.

    ``update.is_update`` for many pairs at once (tested to agree). With ``rows_are_later``, the other way
    round: claim ``rows.start + i`` updates claim j.
    """
    if rows_are_later:
        return (keys.later_ok[rows, None] & keys.earlier_ok[None, :]
                & (keys.when[rows, None] > keys.when[None, :]) & (keys.value[rows, None] > keys.value[None, :]))
    return (keys.earlier_ok[rows, None] & keys.later_ok[None, :]
            & (keys.when[None, :] > keys.when[rows, None]) & (keys.value[None, :] > keys.value[rows, None]))
