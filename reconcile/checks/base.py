"""What every check kind shares: the context of a fact, a hit, and interval arithmetic with tolerance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from reconcile.model import Claim, Document, Fact

__all__ = ["Context", "Hit", "bounds", "overlap", "fmt", "comparable", "describe"]


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
