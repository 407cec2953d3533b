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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.devset import bcubed
from reconcile.model import Claim, Document
from reconcile.packaged import packaged_data
from reconcile.pipeline import RunResult
from reconcile.textview import build_view

__all__ = ["load_gold", "score", "attribution_matches", "METRICS"]

METRICS = ("mention_recall", "value_recall", "interval_recall", "mention_precision", "non_claim_false_positives",
           "excluded_false_positives", "bcubed_precision", "bcubed_recall", "bcubed_f1", "verdict_accuracy",
           "attribution_accuracy", "modality_accuracy")

_STOP = frozenset(str(w) for w in packaged_data("evaluation")["attribution_stopwords"])  # lexicon/evaluation.yml


def load_gold(path: str | Path) -> dict[str, Any]:
    """The gold annotation at ``path`` (JSON: documents, facts with mentions, non-claims, excluded sections)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def attribution_matches(pred: str | None, gold: str | None) -> bool:
    """Loose match: both empty, or a content word in common (6-letter prefixes, case-insensitive)."""
    if not gold:
        return not pred
    if not pred:
        return False
    return bool(_content_prefixes(pred) & _content_prefixes(gold))


def _content_prefixes(text: str) -> set[str]:
    """The 6-letter prefixes of the words of ``text`` that are 3 letters or longer and no stop word
    (``rules/lexicon/evaluation.yml``)."""
    return {w.lower()[:6] for w in re.findall(r"\w+", text) if len(w) >= 3 and w.lower() not in _STOP}


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


@dataclass
class _Run:
    """The run indexed for scoring: gold document names to documents, claims per document, facts."""
    gold_docs: dict[str, Document | None]
    claims_by_doc: dict[str, list[Claim]]
    fact_of: dict[str, str]
    verdict_of: dict[str, str]


@dataclass
class _Tally:
    """Counts and lists of the mention matching, filled mention by mention."""
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    att_wrong: list[str] = field(default_factory=list)
    mod_wrong: list[str] = field(default_factory=list)
    n_req: int = 0
    n_found: int = 0
    n_value: int = 0
    n_interval: int = 0
    att_total: int = 0
    att_ok: int = 0
    mod_total: int = 0
    mod_ok: int = 0
    gold_claim_ids: set[str] = field(default_factory=set)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold fact, predicted fact)


def _index_run(result: RunResult, gold: dict[str, Any]) -> _Run:
    """Look up each gold document in the run and group the run's claims and facts for matching."""
    docs_by_file = {Path(d.path).name: d for d in result.documents}
    claims_by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in result.claims:
        claims_by_doc[c.document].append(c)
    return _Run(gold_docs={k: docs_by_file.get(v["file"]) for k, v in gold["documents"].items()},
                claims_by_doc=claims_by_doc,
                fact_of={cid: f.id for f in result.facts for cid in f.claims},
                verdict_of={f.id: f.verdict for f in result.facts})


def _find_claim(run: _Run, doc: Document, m: dict[str, Any]) -> tuple[Claim | None, bool]:
    """The first claim overlapping the mention in any occurrence of its context, and whether the context was found."""
    spans = _locate(doc, m["context"], m["surface"])
    for s, e in spans:
        hit = next((c for c in run.claims_by_doc[doc.id] if c.start < e and s < c.end), None)
        if hit:
            return hit, True
    return None, bool(spans)


def _judge_hit(t: _Tally, key: str, hit: Claim, m: dict[str, Any]) -> None:
    """Score a matched claim's value, interval, attribution and modality against its gold mention."""
    if abs(hit.value - m["value"]) <= 1e-6 * max(1.0, abs(m["value"])):
        t.n_value += 1
        if _interval_ok(hit, m):
            t.n_interval += 1
        else:
            t.wrong.append(f"{key}: interval [{hit.low}, {hit.high}], gold [{m.get('low')}, {m.get('high')}]")
    else:
        t.wrong.append(f"{key}: value {hit.value}, gold {m['value']}")
    if m.get("attribution"):
        t.att_total += 1
        if attribution_matches(hit.attribution, m["attribution"]):
            t.att_ok += 1
        else:
            t.att_wrong.append(f"{key}: attribution {hit.attribution!r}, gold {m['attribution']!r}")
    if m.get("modality"):
        t.mod_total += 1
        if hit.modality == m["modality"]:
            t.mod_ok += 1
        else:
            t.mod_wrong.append(f"{key}: modality {hit.modality}, gold {m['modality']}")


def _match_mention(t: _Tally, run: _Run, fact: dict[str, Any], mi: int, m: dict[str, Any]) -> None:
    """Match one gold mention to a claim; optional facts only mark their claims as expected."""
    doc = run.gold_docs.get(m["doc"])
    key = f"{fact['id']}[{mi}] {m['doc']}: {m['surface']!r} in {m['context']!r}"
    if doc is None:
        if not fact.get("optional"):
            t.n_req += 1
            t.missed.append(key + " (document not in the run)")
        return
    hit, located = _find_claim(run, doc, m)
    if hit:
        t.gold_claim_ids.add(hit.id)
    if fact.get("optional"):
        return
    t.n_req += 1
    if not hit:
        t.missed.append(key + ("" if located else " (context not found in text)"))
        return
    t.n_found += 1
    t.pairs.append((fact["id"], run.fact_of.get(hit.id, hit.id)))
    _judge_hit(t, key, hit, m)


def _non_claim_fps(run: _Run, gold: dict[str, Any]) -> list[str]:
    """Claims extracted where the gold names a non-claim (a date, a phone number ...)."""
    out = []
    for nc in gold.get("non_claims", []):
        doc = run.gold_docs.get(nc["doc"])
        if not doc:
            continue
        for m in re.finditer(re.escape(nc["surface"]), doc.text):
            for c in run.claims_by_doc[doc.id]:
                if c.start < m.end() and m.start() < c.end:
                    out.append(f"{nc['doc']}: {c.surface!r} is a {nc['why']}")
    return out


def _excluded_fps(run: _Run, gold: dict[str, Any]) -> list[str]:
    """Claims extracted inside a section the gold excludes (from its marker to the next ``##`` heading)."""
    out = []
    for ex in gold.get("excluded_sections", []):
        doc = run.gold_docs.get(ex["doc"])
        if not doc:
            continue
        i = doc.text.find(ex["marker"])
        if i < 0:
            continue
        nxt = re.search(r"^\W*##\s", doc.text[i + len(ex["marker"]):], re.M)
        end = i + len(ex["marker"]) + (nxt.start() if nxt else len(doc.text))
        for c in run.claims_by_doc[doc.id]:
            if i <= c.start < end:
                out.append(f"{ex['doc']}: {c.surface!r} in {ex['marker']!r}")
    return out


def _verdicts(gold: dict[str, Any], pairs: list[tuple[str, str]],
              verdict_of: dict[str, str]) -> tuple[int, int, list[str]]:
    """Verdicts of multi-source gold facts: each is judged by the predicted fact most of its mentions fell in."""
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
    return v_total, v_ok, v_wrong


def _ratio(n: int, d: int) -> float:
    """n / d, or 0.0 when there is nothing to divide by (an empty gold file scores zero, not NaN)."""
    return n / d if d else 0.0


def score(result: RunResult, gold: dict[str, Any]) -> dict[str, Any]:
    """Metrics plus the lists of what was missed and what was wrong."""
    run = _index_run(result, gold)
    t = _Tally()
    for fact in gold["facts"]:
        for mi, m in enumerate(fact["mentions"]):
            _match_mention(t, run, fact, mi, m)
    gold_doc_ids = {d.id for d in run.gold_docs.values() if d}
    in_gold = [c for c in result.claims if c.document in gold_doc_ids]
    nc_fp, ex_fp = _non_claim_fps(run, gold), _excluded_fps(run, gold)
    extra = [f"{c.document}: {c.surface!r} in {c.sentence[:90]!r}" for c in in_gold if c.id not in t.gold_claim_ids]
    bp, br = bcubed(list(t.pairs))  # over matched mentions
    f1 = 2 * bp * br / (bp + br) if bp + br else 0.0
    v_total, v_ok, v_wrong = _verdicts(gold, t.pairs, run.verdict_of)
    metrics = {
        "mention_recall": _ratio(t.n_found, t.n_req),
        "value_recall": _ratio(t.n_value, t.n_req),
        "interval_recall": _ratio(t.n_interval, t.n_req),
        "mention_precision": _ratio(len(t.gold_claim_ids), len(in_gold)),
        "non_claim_false_positives": len(nc_fp),
        "excluded_false_positives": len(ex_fp),
        "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": f1,
        "verdict_accuracy": _ratio(v_ok, v_total),
        "attribution_accuracy": _ratio(t.att_ok, t.att_total),
        "modality_accuracy": _ratio(t.mod_ok, t.mod_total),
    }
    return {"metrics": metrics, "counts": {"gold_mentions": t.n_req, "found": t.n_found, "claims": len(in_gold),
                                           "multi_source_facts": v_total},
            "missed": t.missed, "wrong_values": t.wrong, "wrong_attribution": t.att_wrong,
            "wrong_modality": t.mod_wrong, "wrong_verdicts": v_wrong, "non_claim_false_positives": nc_fp,
            "excluded_false_positives": ex_fp, "unmatched_claims": extra}


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
