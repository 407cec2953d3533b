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


def tiny_run() -> Any:
    """A judged run written by hand: a conflict between two outlets (with its finding) and a single figure.

    Renderer and report tests use it where the seeds' real run is more than they need.
    """
    from reconcile.model import Finding
    from reconcile.pipeline import RunResult

    docs = documents("a", "b", "c", a="2025-01-05", b="2025-02-01")
    docs["b"].outlet = "Beta <script>alert(1)</script> News"
    c0 = claim(0, 11000, "a", surface="11.000", counted_text="Soldaten", predicate="schicken", low=10500, high=11500,
               sentence="Russland schickte 11.000 Soldaten.")
    c1 = claim(1, 12000, "b", surface="12.000", counted_text="Soldaten", predicate="schicken", low=11500, high=12500,
               sentence="Kiew spricht von 12.000 Soldaten.", attribution="Kiew", modality="reported")
    c2 = claim(2, 7, "c", surface="sieben", counted_text="Panzer", counted="Panzer", counted_group=None,
               sentence="Sieben Panzer fuhren vor.")
    conflict = Fact("F1", "Soldaten", ["c0", "c1"], "people", verdict="conflict", value=11000, low=10500, high=12500,
                    spread_low=11000, spread_high=12000, confidence=0.42, independent_sources=2,
                    origins=["Alpha Post", "Kiew"], origin_claims={"Alpha Post": ["c0"], "Kiew": ["c1"]},
                    corroboration="independent", documents=2, rules=["NU01"],
                    explanation=["11,000 (Alpha Post) against 12,000 (Kiew)"])
    single = Fact("F2", "Panzer", ["c2"], "people", verdict="single", value=7, low=7, high=7, confidence=0.3,
                  independent_sources=1, origins=["Gamma Daily"], origin_claims={"Gamma Daily": ["c2"]}, documents=1)
    finding = Finding("NU01", "figures-conflict", "error", "F1", ["c0", "c1"],
                      "Figures conflict: 11,000 to 12,000", "fp-nu01", verdict="conflict")
    return RunResult(documents=list(docs.values()), claims=[c0, c1, c2], facts=[single, conflict], findings=[finding])


def check_record() -> dict[str, Any]:
    """A ``reconcile check`` record (the fields its renderers read): one error, one suppressed warning."""
    def finding(rule: str, level: str, line: int, suppressed_by: str | None) -> dict[str, Any]:
        return {"rule": rule, "name": f"name-{rule}", "level": level, "message": f"{rule}: 12.000, sources say 11,000",
                "fingerprint": f"fp-{rule}", "suppressed": suppressed_by is not None, "suppressed_by": suppressed_by,
                "draft": {"path": "drafts/story,1.md", "line": line, "column": 5, "end_line": line, "end_column": 11,
                          "surface": "12.000", "value": 12000.0, "low": 11500.0, "high": 12500.0,
                          "counted": "Soldaten", "sentence": "Es sind 12.000 Soldaten."},
                "fact": {"id": "F1", "label": "Soldaten"}}
    return {"schema": "reconcile.check/1", "drafts": [{"id": "d", "path": "drafts/story,1.md", "language": "de"}],
            "claims": 2, "matched": 2, "figures": [],
            "findings": [finding("DR01", "error", 3, None), finding("DR02", "warning", 7, "inline")],
            "unused_suppressions": [],
            "rules": {"DR01": {"name": "draft-conflicts", "level": "error", "description": "A  wrong\nfigure."},
                      "DR02": {"name": "draft-repeats-disputed-figure", "level": "warning", "description": "d"}},
            "errors": [], "summary": {"error": 1, "warning": 0, "info": 0, "suppressed": 1,
                                      "archive_documents": 2, "archive_facts": 1}}
