"""Mention recall on the development set in-process: ingest and claims only (no embedding, no clustering).

Runs ``reconcile.claims.extract_claims`` over ``../shared/dev/corpus/*.jsonl`` and scores the claims with
the matching functions of ``../shared/eval/score.py`` itself (imported by path), so the figures agree with
``../shared/dev/run.sh``'s mention recall and interval correctness without its four minutes. Lists every
missed gold mention with the quantities extraction found in its quote (to tell a figure never found from
one the claims stage dropped), and counts claims that look like non-claims (years, dates, clock times,
phone numbers, model names).

Usage: python bench/dev_mentions.py [--dev DIR] [--json] [--quiet] [GLOB]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# what a claim that is no claim looks like: the surface, and the text around it
_NON_CLAIM = [
    ("year-like", re.compile(r"^(?:1[89]|20)\d\d$")),
    ("date", re.compile(r"^\d{1,2}\.\d{1,2}\.(?:\d{2,4})?$|^\d{4}-\d\d-\d\d$")),
    ("clock", re.compile(r"^\d{1,2}[:.]\d\d(?:\s*(?:Uhr|a\.?m\.?|p\.?m\.?))?$", re.I)),
    ("phone", re.compile(r"^\+?\d[\d /-]{7,}\d$")),
]
_MODEL_BEFORE = re.compile(r"[A-Za-z][-‑]?\Z")
_AFTER_DATE = re.compile(r"^\.?\s*(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
                         r"Dezember|January|February|March|June|July|October|December)\b", re.I)


def _load_score(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{shared / 'eval' / 'score.py'}: cannot be imported")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def non_claim_kind(text: str, start: int, end: int, surface: str) -> str | None:
    """The kind of non-claim a claim's figure looks like, or None (a heuristic for counting, not a rule)."""
    for kind, rx in _NON_CLAIM:
        if rx.match(surface):
            return kind
    if _MODEL_BEFORE.search(text[max(0, start - 2):start]):
        return "model"
    if _AFTER_DATE.match(text[end:end + 12]) and re.fullmatch(r"\d{1,2}", surface):
        return "date"
    return None


def _cluster(score: ModuleType, gold_path: Path, corpus: Path, lex: Any) -> dict[str, Any]:
    from reconcile.claims import document_quantities, extract_claims
    from reconcile.ingest import read_inputs
    from reconcile.model import Document

    gold = score.load_dev(gold_path, corpus)
    docs = [d for d in read_inputs([str(corpus / f"{gold_path.stem}.jsonl")], lex) if isinstance(d, Document)]
    claims, quantities = [], []
    for d in docs:
        claims.extend({"id": c.id, "document": c.document, "start": c.start, "end": c.end, "surface": c.surface,
                       "value": c.value, "low": c.low, "high": c.high} for c in extract_claims(d, lex))
        quantities.extend((d.id, s, e, q) for q, s, e in document_quantities(d, lex))
    rep = {"documents": [{"id": d.id, "path": d.path} for d in docs], "claims": claims, "facts": []}
    part = score.score(gold, rep)
    texts = {d.id: d.text for d in docs}
    part["misses"] = _misses(score, gold, claims, quantities, texts)
    part["non_claims"] = [(c["document"], c["surface"], kind) for c in claims
                          if (kind := non_claim_kind(texts[c["document"]], c["start"], c["end"], c["surface"]))]
    return part


def _misses(score: ModuleType, gold: dict[str, Any], claims: list[dict[str, Any]],
            quantities: list[tuple[str, int, int, Any]], texts: dict[str, str]) -> list[dict[str, Any]]:
    """Each missed mention: as written, its value, and what extraction and the claims found in its quote."""
    out = []
    for m in gold["mentions"]:
        a, b = m["spans"][0]
        inside = [c for c in claims if c["document"] == m["doc"] and a <= c["start"] and c["end"] <= b]
        if any(score.value_matches(m, c) for c in inside):
            continue
        qs = [(q.surface, q.value, q.low, q.high, q.unit) for d, s, e, q in quantities if d == m["doc"] and a <= s
              and e <= b]
        found_q = any(score.value_matches(m, {"value": v}) for _, v, _, _, _ in qs)
        out.append({"label": m["label"], "fact": m["fact"], "value": m["value"], "high": m["high"],
                    "hedge": m["hedge"], "stage": "claims" if found_q else "quantities",
                    "quote": texts[m["doc"]][a:b].replace("\n", "\\n")[:220],
                    "claims": [(c["surface"], c["value"]) for c in inside], "quantities": qs})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("glob", nargs="?", default="*")
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "dev"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="totals only, no list of misses")
    a = ap.parse_args()
    from reconcile.lexicon import load_lexicon

    dev = Path(a.dev)
    score = _load_score(dev.parent)
    lex = load_lexicon()
    parts: dict[str, dict[str, Any]] = {}
    for gp in sorted((dev / "gold").glob(f"{a.glob}.json")):
        parts[gp.stem] = _cluster(score, gp, dev / "corpus", lex)
    out: dict[str, Any] = {}
    for lang in ("de", "en", "all"):
        sel = [p for k, p in parts.items() if lang == "all" or k.removeprefix("dev-").startswith(lang)]
        s = score.summarise(sel) if sel else {}
        out[lang] = {k: s.get(k) for k in ("mention_recall", "matched", "mentions", "interval_ok", "claims_total")}
        out[lang]["non_claims"] = sum(len(p["non_claims"]) for p in sel)
    out["misses"] = [dict(m, cluster=k) for k, p in parts.items() for m in p["misses"]]
    out["non_claim_list"] = [(k, *n) for k, p in parts.items() for n in p["non_claims"]]
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for lang in ("de", "en", "all"):
        print(lang, json.dumps(out[lang]))
    if not a.quiet:
        for m in out["misses"]:
            print(f"MISS [{m['stage']}] {m['cluster'][4:8]} {m['label']!r} = {m['value']}"
                  f"{'..' + str(m['high']) if m['high'] != m['value'] else ''} hedge={m['hedge']}\n"
                  f"    quote: {m['quote']}\n    claims: {m['claims']}\n    quantities: {m['quantities']}")
        for n in out["non_claim_list"]:
            print("NONCLAIM", *n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
