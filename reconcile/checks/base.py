"""What every check kind shares: the context of a fact, a hit, and small helpers to describe claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from reconcile.intervals import FxRates, bounds, load_fx
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document, Fact

__all__ = ["Context", "Hit", "bounds", "overlap", "fmt", "comparable", "describe", "codes"]

_T = TypeVar("_T")


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
    lex: Lexicon | None = None  # hedge kinds and place keys for the tolerance intervals (None: packaged)
    rules_dirs: tuple[str, ...] = ()  # the user's rule folders, for update.yml and fx.yml overrides

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon for hedge kinds and place keys: the run's, else the packaged one with the user's folders."""
        return self.lex or load_lexicon(self.rules_dirs)

    @property
    def fx(self) -> FxRates:
        """Reference exchange rates (``rules/lexicon/fx.yml`` with the user's overrides)."""
        return load_fx(self.rules_dirs)

    @property
    def published(self) -> dict[str, str | None]:
        """Each document's publication date, built once per run (``shared``), not once per fact."""
        return self.per_run("published", self.docs, lambda: {k: d.published for k, d in self.docs.items()})

    def per_run(self, name: str, anchor: object, build: Callable[[], _T]) -> _T:
        """``build()``, computed once per run and kept in ``shared`` under ``name`` for as long as ``anchor``
        (the run's object it reads: its facts, claims or documents) is the same object."""
        memo = self.shared.get(name)
        if memo is None or memo[0] is not anchor:
            memo = (anchor, build())
            self.shared[name] = memo
        return memo[1]  # type: ignore[no-any-return]

    def origins(self, claims: list[Claim] | None = None) -> set[str]:
        """The independent origins of ``claims`` (default: all the fact's claims)."""
        return {self.origin[c.id] for c in (claims if claims is not None else self.claims)}


@dataclass
class Hit:
    """One observation of a check: the claims it is about and the values for the rule's message."""

    claims: list[Claim]
    values: dict[str, Any]
    key: str = ""


def overlap(a: Claim, b: Claim, tolerance: float = 0.0) -> bool:
    """The claims' own intervals (``bounds``) share a value."""
    la, ha = bounds(a, tolerance)
    lb, hb = bounds(b, tolerance)
    return la <= hb and lb <= ha


def fmt(v: float | None) -> str:
    """A figure for messages: "1.8 m", "2.4 bn", "11,000", "5,587.75"; ``open`` for an unbounded end."""
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
    """The claims of the listed modalities (a rule's ``modalities`` parameter)."""
    return [c for c in claims if c.modality in modalities]


def describe(c: Claim, docs: dict[str, Document]) -> str:
    """The figure as written and who gives it: "11.000 (taz)", "10.000 (westliche Geheimdienste)"."""
    d = docs.get(c.document)
    who = c.attribution or (d.outlet if d and d.outlet else c.document)
    return f"{c.surface} ({who})"


def codes(values: list[Any]) -> np.ndarray:
    """Small integers standing for ``values``: equal values, equal codes (for pairwise comparisons)."""
    seen: dict[Any, int] = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)
