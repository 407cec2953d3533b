"""Score a run against a gold annotation (the format of ``seeds.gold.json``).

Mentions are located by their context string in the document's cleaned view (table borders removed,
white space folded), then matched to extracted claims by offset overlap. Reports mention precision and
recall (value and interval shape), false positives on non-claims and excluded sections, B-cubed of
claims to facts, verdict accuracy on multi-source facts, attribution and modality accuracy.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from reconcile.devset import bcubed
from reconcile.model import Claim, Document
from reconcile.pipeline import RunResult
from reconcile.textview import build_view

__all__ = ["load_gold", "score", "attribution_matches", "METRICS"]

METRICS = ("mention_recall", "value_recall", "interval_recall", "mention_precision", "non_claim_false_positives",
           "excluded_false_positives", "bcubed_precision", "bcubed_recall", "bcubed_f1", "verdict_accuracy",
           "attribution_accuracy", "modality_accuracy")
_STOP = {"der", "die", "das", "des", "dem", "den", "und", "the", "and", "of", "von", "paraphrasing"}


def load_gold(path: str | Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def attribution_matches(pred: str | None, gold: str | None) -> bool:
    """Loose match: both empty, or a content word in common (6-letter prefixes, case-insensitive)."""
    if not gold:
        return not pred
    if not pred:
        return False
    tp = {w.lower()[:6] for w in re.findall(r"[\wäöüß]+", pred) if len(w) >= 3 and w.lower() not in _STOP}
    tg = {w.lower()[:6] for w in re.findall(r"[\wäöüß]+", gold) if len(w) >= 3 and w.lower() not in _STOP}
    return bool(tp & tg)


def _locate(doc: Document, context: str, surface: str) -> list[tuple[int, int]]:
    """Original-text spans of ``surface`` inside each occurrence of ``context``."""
    view = build_view(doc.text, [])
    flat = view.text.replace("\n", " ")
    out = []
    for m in re.finditer(re.escape(context), flat):
        i = flat.find(surface, m.start(), m.end())
        if i >= 0:
            out.append(view.orig_span(i, i + len(surface)))
    return out


def _interval_ok(c: Claim, g: dict[str, Any]) -> bool:
    def close(a: float | None, b: float | None) -> bool:
        if a is None or b is None:
            return a is None and b is None
        return abs(a - b) <= max(1.0, 0.02 * abs(b))
    return close(c.low, g.get("low")) and close(c.high, g.get("high"))


def score(result: RunResult, gold: dict[str, Any]) -> dict[str, Any]:
    """Metrics plus the lists of what was missed and what was wrong."""
    docs_by_file = {Path(d.path).name: d for d in result.documents}
    gold_docs = {k: docs_by_file.get(v["file"]) for k, v in gold["documents"].items()}
    claims_by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in result.claims:
        claims_by_doc[c.document].append(c)
    fact_of = {cid: f.id for f in result.facts for cid in f.claims}
    verdict_of = {f.id: f.verdict for f in result.facts}
    matched: dict[str, Claim] = {}
    missed, wrong, att_wrong, mod_wrong = [], [], [], []
    n_req = n_found = n_value = n_interval = 0
    att_total = att_ok = mod_total = mod_ok = 0
    gold_claim_ids: set[str] = set()
    pairs: list[tuple[str, str]] = []  # (gold fact, predicted fact)
    for fact in gold["facts"]:
        for mi, m in enumerate(fact["mentions"]):
            doc = gold_docs.get(m["doc"])
            key = f"{fact['id']}[{mi}] {m['doc']}: {m['surface']!r} in {m['context']!r}"
            if doc is None:
                if not fact.get("optional"):
                    n_req += 1
                    missed.append(key + " (document not in the run)")
                continue
            spans = _locate(doc, m["context"], m["surface"])
            hit = None
            for s, e in spans:
                hit = next((c for c in claims_by_doc[doc.id] if c.start < e and s < c.end), None)
                if hit:
                    break
            if hit:
                gold_claim_ids.add(hit.id)
            if fact.get("optional"):
                continue
            n_req += 1
            if not hit:
                missed.append(key + ("" if spans else " (context not found in text)"))
                continue
            n_found += 1
            matched[key] = hit
            pairs.append((fact["id"], fact_of.get(hit.id, hit.id)))
            if abs(hit.value - m["value"]) <= 1e-6 * max(1.0, abs(m["value"])):
                n_value += 1
                if _interval_ok(hit, m):
                    n_interval += 1
                else:
                    wrong.append(f"{key}: interval [{hit.low}, {hit.high}], gold [{m.get('low')}, {m.get('high')}]")
            else:
                wrong.append(f"{key}: value {hit.value}, gold {m['value']}")
            if m.get("attribution"):
                att_total += 1
                if attribution_matches(hit.attribution, m["attribution"]):
                    att_ok += 1
                else:
                    att_wrong.append(f"{key}: attribution {hit.attribution!r}, gold {m['attribution']!r}")
            if m.get("modality"):
                mod_total += 1
                if hit.modality == m["modality"]:
                    mod_ok += 1
                else:
                    mod_wrong.append(f"{key}: modality {hit.modality}, gold {m['modality']}")
    # false positives
    gold_doc_ids = {d.id for d in gold_docs.values() if d}
    in_gold = [c for c in result.claims if c.document in gold_doc_ids]
    nc_fp, ex_fp = [], []
    for nc in gold.get("non_claims", []):
        doc = gold_docs.get(nc["doc"])
        if not doc:
            continue
        for m in re.finditer(re.escape(nc["surface"]), doc.text):
            for c in claims_by_doc[doc.id]:
                if c.start < m.end() and m.start() < c.end:
                    nc_fp.append(f"{nc['doc']}: {c.surface!r} is a {nc['why']}")
    for ex in gold.get("excluded_sections", []):
        doc = gold_docs.get(ex["doc"])
        if not doc:
            continue
        i = doc.text.find(ex["marker"])
        if i < 0:
            continue
        nxt = re.search(r"^\W*##\s", doc.text[i + len(ex["marker"]):], re.M)
        end = i + len(ex["marker"]) + (nxt.start() if nxt else len(doc.text))
        for c in claims_by_doc[doc.id]:
            if i <= c.start < end:
                ex_fp.append(f"{ex['doc']}: {c.surface!r} in {ex['marker']!r}")
    extra = [f"{c.document}: {c.surface!r} in {c.sentence[:90]!r}" for c in in_gold if c.id not in gold_claim_ids]
    bp, br = bcubed(list(pairs))  # over matched mentions
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    # verdicts on multi-source facts
    v_total = v_ok = 0
    v_wrong = []
    for fact in gold["facts"]:
        if fact.get("optional") or len({m["doc"] for m in fact["mentions"]}) < 2:
            continue
        v_total += 1
        preds = Counter(p for g, p in pairs if g == fact["id"])
        if not preds:
            v_wrong.append(f"{fact['id']}: no mention found (expected {fact['expected']})")
            continue
        got = verdict_of.get(preds.most_common(1)[0][0], "single")
        if got == fact["expected"]:
            v_ok += 1
        else:
            v_wrong.append(f"{fact['id']}: verdict {got}, expected {fact['expected']}")
    metrics = {
        "mention_recall": n_found / n_req if n_req else 0.0,
        "value_recall": n_value / n_req if n_req else 0.0,
        "interval_recall": n_interval / n_req if n_req else 0.0,
        "mention_precision": len(gold_claim_ids) / len(in_gold) if in_gold else 0.0,
        "non_claim_false_positives": len(nc_fp),
        "excluded_false_positives": len(ex_fp),
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": f1,
        "verdict_accuracy": v_ok / v_total if v_total else 0.0,
        "attribution_accuracy": att_ok / att_total if att_total else 0.0,
        "modality_accuracy": mod_ok / mod_total if mod_total else 0.0,
    }
    return {"metrics": metrics, "counts": {"gold_mentions": n_req, "found": n_found, "claims": len(in_gold),
                                           "multi_source_facts": v_total},
            "missed": missed, "wrong_values": wrong, "wrong_attribution": att_wrong, "wrong_modality": mod_wrong,
            "wrong_verdicts": v_wrong, "non_claim_false_positives": nc_fp, "excluded_false_positives": ex_fp,
            "unmatched_claims": extra}


def check_thresholds(metrics: dict[str, float], thresholds: dict[str, float]) -> list[str]:
    """Names of metrics that fall below (or, for false-positive counts, rise above) their threshold."""
    bad = []
    for k, v in thresholds.items():
        got = metrics.get(k)
        if got is None:
            bad.append(f"{k}: unknown metric")
        elif k.endswith("false_positives"):
            if got > v:
                bad.append(f"{k}: {got} > {v}")
        elif got + 1e-9 < v:
            bad.append(f"{k}: {got:.3f} < {v:.3f}")
    return bad
