"""Small records for unit tests: claims, documents and a check context, written in the test itself.

Only the fields a test names differ from plain defaults (a German count of soldiers, asserted, exact).
"""

from __future__ import annotations

from typing import Any

from reconcile.checks import KINDS, Context
from reconcile.model import Claim, Document, Fact

OUTLETS = {"a": "Alpha Post", "b": "Beta News", "c": "Gamma Daily", "d": "Delta Blatt"}


def claim(i: int, value: float, doc: str = "a", **kw: Any) -> Claim:
    """Claim ``c<i>`` of document ``doc`` stating ``value`` exactly (``low``/``high`` default to it)."""
    spec: dict[str, Any] = {"id": f"c{i}", "document": doc, "start": 0, "end": 1, "surface": f"{value:g}",
                            "value": float(value), "low": float(value), "high": float(value), "unit": None,
                            "unit_class": "people", "hedge": None, "change": "=", "counted": "Soldat",
                            "counted_text": None, "modifiers": [], "subject": None, "predicate": None,
                            "attribution": None, "modality": "asserted", "as_of": None, "cumulative": False,
                            "sentence": "", "sentence_start": i, "language": "de", "counted_group": "soldier"}
    spec.update(kw)
    return Claim(**spec)


def documents(*ids: str, **published: str) -> dict[str, Document]:
    """Documents by id with the outlets of ``OUTLETS``; ``published`` gives dates per id."""
    return {d: Document(d, f"{d}.txt", "", outlet=OUTLETS.get(d, d), published=published.get(d)) for d in ids}


def context(claims: list[Claim], docs: dict[str, Document] | None = None, origin: dict[str, str] | None = None,
            fact: Fact | None = None, **kw: Any) -> Context:
    """A check context of one fact made of ``claims``; each document is its own origin unless told otherwise."""
    docs = docs if docs is not None else documents(*sorted({c.document for c in claims}))
    fact = fact or Fact("F0", "fact", [c.id for c in claims], claims[0].unit_class if claims else "people")
    origin = origin if origin is not None else {c.id: docs[c.document].outlet or c.document for c in claims}
    by_id = {c.id: c for c in claims}
    return Context(fact, claims, docs, origin, kw.pop("facts", [fact]), kw.pop("claims_by_id", by_id), **kw)


def params(kind: str, **over: Any) -> dict[str, Any]:
    """A check kind's default parameters with ``over`` applied (what a rule file's ``params`` does)."""
    return {**KINDS[kind].DEFAULTS, **over}
