"""SARIF 2.1.0 for ``reconcile check``: rule metadata, results on the draft's lines, and a fingerprint
of what the draft says (see ``check.draft_fingerprints``: never a line number nor the archive's clustering),
so baselines and code scanning survive edits and re-indexing."""

from __future__ import annotations

import json
from typing import Any

from reconcile import __version__

__all__ = ["render", "SARIF_LEVEL"]

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(record: dict[str, Any]) -> str:
    """A check record as one SARIF 2.1.0 run: rule metadata, one result per finding on the draft's lines,
    the finding's fingerprint, and suppressions marked (never dropped) so code scanning can show them."""
    rules = record["rules"]
    codes = sorted(rules)
    results = []
    for f in record["findings"]:
        d = f["draft"]
        res: dict[str, Any] = {
            "ruleId": f["rule"],
            "ruleIndex": codes.index(f["rule"]) if f["rule"] in codes else -1,
            "level": SARIF_LEVEL[f["level"]],
            "message": {"text": f["message"]},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": d["path"].replace("\\", "/")},
                "region": {"startLine": d["line"], "startColumn": d["column"], "endLine": d["end_line"],
                           "endColumn": d["end_column"], "snippet": {"text": d["surface"]}},
            }}],
            "fingerprints": {"reconcile/v1": f["fingerprint"]},
            "partialFingerprints": {"reconcileFinding/v1": f["fingerprint"]},
            "properties": {"fact": f["fact"], "value": d["value"], "low": d["low"], "high": d["high"]},
        }
        if res["ruleIndex"] < 0:
            del res["ruleIndex"]
        if f["suppressed"]:
            res["suppressions"] = [{"kind": "inSource" if f["suppressed_by"] == "inline" else "external",
                                    "justification": "reconcile: ignore comment" if f["suppressed_by"] == "inline"
                                    else "in the baseline file"}]
        results.append(res)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "reconcile", "version": __version__, "semanticVersion": __version__,
                "informationUri": "https://example.invalid/reconcile",
                "rules": [{"id": c, "name": rules[c]["name"],
                           "shortDescription": {"text": rules[c]["name"].replace("-", " ")},
                           "fullDescription": {"text": " ".join(rules[c]["description"].split())},
                           "defaultConfiguration": {"level": SARIF_LEVEL[rules[c]["level"]]}} for c in codes],
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
