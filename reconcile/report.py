"""The report record: built once from a run, rendered by every output format (``reconcile.render``).

Schema ``reconcile.report/1`` (``schemas/report.schema.json``). Deterministic: the same inputs in any
order give the same record, so JSON output is byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from reconcile import __version__
from reconcile.model import VERDICTS
from reconcile.pipeline import RunResult
from reconcile.rules import LEVEL_ORDER

__all__ = ["SCHEMA_ID", "build_record", "report_schema", "SEVERITY"]

SCHEMA_ID = "reconcile.report/1"
SEVERITY = {"conflict": 0, "update": 1, "scope": 2, "agree": 3, "single-source": 4}


def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("reconcile").joinpath("schemas/report.schema.json").read_text())


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 6)


def build_record(result: RunResult) -> dict[str, Any]:
    docs = [{"id": d.id, "path": d.path, "outlet": d.outlet, "published": d.published, "language": d.language,
             "title": d.title, "url": d.url, "authors": d.authors, "agency": d.agency}
            for d in sorted(result.documents, key=lambda d: d.id)]
    claims = []
    for c in sorted(result.claims, key=lambda c: (c.document, c.start)):
        claims.append({"id": c.id, "document": c.document, "start": c.start, "end": c.end, "surface": c.surface,
                       "sentence": c.sentence, "sentence_start": c.sentence_start, "value": _r(c.value),
                       "low": _r(c.low), "high": _r(c.high), "unit": c.unit, "unit_class": c.unit_class,
                       "counted": c.counted, "counted_text": c.counted_text, "subject": c.subject,
                       "predicate": c.predicate, "hedge": c.hedge, "change": c.change, "attribution": c.attribution,
                       "modality": c.modality, "as_of": c.as_of, "cumulative": c.cumulative, "language": c.language})
    facts: list[dict[str, Any]] = []
    for f in sorted(result.facts, key=lambda f: (SEVERITY.get(f.verdict, 9), -len(f.claims), f.id)):
        facts.append({"id": f.id, "label": f.label, "claims": sorted(f.claims), "unit_class": f.unit_class,
                      "verdict": f.verdict, "value": _r(f.value), "low": _r(f.low), "high": _r(f.high),
                      "spread": [_r(f.spread_low), _r(f.spread_high)], "confidence": _r(f.confidence),
                      "independent_sources": f.independent_sources, "origins": f.origins,
                      "rules": sorted(f.rules), "explanation": f.explanation})
    findings = [{"rule": x.rule, "name": x.name, "level": x.level, "fact": x.fact, "claims": sorted(x.claims),
                 "message": x.message, "fingerprint": x.fingerprint, "suppressed": x.suppressed}
                for x in sorted(result.findings, key=lambda x: (-LEVEL_ORDER[x.level], x.fact, x.rule, x.fingerprint))]
    by_verdict = {v: sum(1 for f in facts if f["verdict"] == v) for v in VERDICTS}
    summary = {"documents": len(docs), "claims": len(claims), "facts": len(facts),
               "multi_source_facts": sum(1 for f in facts if f["independent_sources"] > 1),
               "verdicts": by_verdict,
               "findings": {lv: sum(1 for x in findings if x["level"] == lv) for lv in LEVEL_ORDER},
               "status": "conflicts" if by_verdict["conflict"] else "consistent",
               "input_errors": len(result.errors)}
    return {"schema": SCHEMA_ID, "generator": f"reconcile {__version__}", "summary": summary, "documents": docs,
            "claims": claims, "facts": facts, "findings": findings,
            "errors": [asdict(e) for e in sorted(result.errors, key=lambda e: (e.path, e.problem))]}
