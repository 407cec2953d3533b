"""The report record: built once from a run, rendered by every output format (``reconcile.render``).

Schema ``reconcile.report/2`` (``schemas/report.schema.json``; what changed from /1 is in the README).
Deterministic: the same inputs in any order give the same record, so JSON output is byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from reconcile import __version__
from reconcile.model import VERDICTS, Claim
from reconcile.pipeline import RunResult
from reconcile.rules import LEVEL_ORDER

__all__ = ["SCHEMA_ID", "build_record", "report_schema", "SEVERITY", "FOOTNOTES"]

SCHEMA_ID = "reconcile.report/2"
SEVERITY = {"conflict": 0, "update": 1, "scope": 2, "agree": 3, "single": 4}
FOOTNOTES = {
    "verdicts": "agree: the figures of two or more documents fit one reading by their stated precision; conflict: "
                "they cannot both be right and nothing explains it; update: a later figure supersedes with evidence "
                "(ordered times and a growing cumulative count, or a cue such as 'rose to'); scope: they differ "
                "because they are about another place, group, window, part of a total, a plan or a forecast, or "
                "one is a maximum ('up to five years') and the other a figure below it; "
                "single: one document only. A fact whose own figures agree, or that one document states, is also "
                "judged with any other fact of the story counting the same thing from other documents (rules "
                "NU05, NU06, SC04, TI02). Independence (origins, corroboration) is reported beside the verdict.",
    "confidence": "How likely the verdict is right: the product of the independent origins behind the figure "
                  "(1 - 0.5^n; for conflict, update and scope the origins of every figure), the share of weight "
                  "supporting it, modality, hedge width, recency, the outlets' learned reliability and a weight "
                  "per verdict (ConfidenceParams), mapped through a two-parameter logistic curve fitted on the "
                  "development set. BENCHMARKS.md compares confidence bins with the share of verdicts right there, "
                  "leave one cluster out.",
    "tolerance": "Figures are compared by stated precision: '$12.5 million' covers [12.45, 12.55) million, "
                 "'11.000' covers [10,500, 11,500); 'nearly' reaches just below (and half a rounding unit above), "
                 "'more than' above; amounts in other currencies at the reference rate of the publication year "
                 "(annual mean of the ECB's daily rates, rules/lexicon/fx.yml), widened by that year's spread of "
                 "the daily rates. The claims' low/high are shown as extracted.",
}


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report record (``reconcile.report/2``)."""
    return json.loads(resources.files("reconcile").joinpath("schemas/report.schema.json").read_text())


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 6)


def _values(claims: list[Claim], outlet: dict[str, str]) -> list[dict[str, Any]]:
    """Each distinct figure of a fact with its wordings, claims and sources (attribution, else outlet)."""
    out: dict[float, dict[str, Any]] = {}
    for c in sorted(claims, key=lambda c: (c.value, c.document, c.start)):
        v = out.setdefault(c.value, {"value": _r(c.value), "surfaces": [], "claims": [], "sources": []})
        v["claims"].append(c.id)
        for key, item in (("surfaces", c.surface), ("sources", c.attribution or outlet.get(c.document, c.document))):
            if item not in v[key]:
                v[key].append(item)
    return list(out.values())


def build_record(result: RunResult) -> dict[str, Any]:
    """The report record of a run (schema ``reconcile.report/2``)."""
    docs = [{"id": d.id, "path": d.path, "outlet": d.outlet, "published": d.published, "language": d.language,
             "title": d.title, "url": d.url, "authors": d.authors, "agency": d.agency}
            for d in sorted(result.documents, key=lambda d: d.id)]
    claims = []
    for c in sorted(result.claims, key=lambda c: (c.document, c.start)):
        claims.append({"id": c.id, "document": c.document, "start": c.start, "end": c.end, "surface": c.surface,
                       "sentence": c.sentence, "sentence_start": c.sentence_start, "value": _r(c.value),
                       "low": _r(c.low), "high": _r(c.high), "unit": c.unit, "unit_class": c.unit_class,
                       "counted": c.counted, "counted_text": c.counted_text, "subject": c.subject,
                       "predicate": c.predicate, "hedge": c.hedge, "change": c.change, "direction": c.direction,
                       "attribution": c.attribution, "modality": c.modality, "as_of": c.as_of,
                       "cumulative": c.cumulative, "language": c.language})
    by_id = {c.id: c for c in result.claims}
    outlet = {d.id: d.outlet or d.id for d in result.documents}
    facts: list[dict[str, Any]] = []
    for f in sorted(result.facts, key=lambda f: (SEVERITY.get(f.verdict, 9), -len(f.claims), f.id)):
        facts.append({"id": f.id, "label": f.label, "claims": sorted(f.claims), "unit_class": f.unit_class,
                      "verdict": f.verdict, "value": _r(f.value), "low": _r(f.low), "high": _r(f.high),
                      "range_low": _r(f.spread_low), "range_high": _r(f.spread_high),
                      "values": _values([by_id[c] for c in f.claims if c in by_id], outlet),
                      "confidence": _r(f.confidence), "independent_origins": f.independent_sources,
                      "corroboration": f.corroboration or "one-origin",
                      "origins": [{"name": o, "claims": f.origin_claims.get(o, [])} for o in f.origins],
                      "documents": f.documents, "rules": sorted(f.rules), "explanation": f.explanation})
    findings = [{"rule": x.rule, "name": x.name, "level": x.level, "fact": x.fact, "claims": sorted(x.claims),
                 "message": x.message, "fingerprint": x.fingerprint, "suppressed": x.suppressed, "verdict": x.verdict}
                for x in sorted(result.findings, key=lambda x: (-LEVEL_ORDER[x.level], x.fact, x.rule, x.fingerprint))]
    by_verdict = {v: sum(1 for f in facts if f["verdict"] == v) for v in VERDICTS}
    summary = {"documents": len(docs), "claims": len(claims), "facts": len(facts),
               "multi_document_facts": sum(1 for f in facts if f["documents"] > 1),
               "verdicts": by_verdict,
               "findings": {lv: sum(1 for x in findings if x["level"] == lv) for lv in LEVEL_ORDER},
               "status": "conflicts" if by_verdict["conflict"] else "consistent",
               "input_errors": len(result.errors)}
    return {"schema": SCHEMA_ID, "generator": f"reconcile {__version__}", "summary": summary,
            "footnotes": dict(FOOTNOTES), "documents": docs, "claims": claims, "facts": facts, "findings": findings,
            "errors": [asdict(e) for e in sorted(result.errors, key=lambda e: (e.path, e.problem))]}
