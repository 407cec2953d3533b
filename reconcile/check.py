"""Check drafts against an archive (``reconcile check``).

Each figure of a draft is matched to the archive's facts with the clustering's own combined distance
(its nearest archive claims in the same unit block, averaged per fact, within the clustering threshold),
then judged by the draft rules (``rules/draft/``). Inline comments and a baseline suppress findings;
suppressed findings stay in the machine output, marked.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.checks import DRAFT_KINDS
from reconcile.claims import extract_claims
from reconcile.cluster import ClusterParams, block_key, pair_distance
from reconcile.config import Config
from reconcile.embed import Embedder
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document, Fact, Finding, InputError
from reconcile.pipeline import RunResult, ingest
from reconcile.rules import Rule, load_rules, run_draft_rules
from reconcile.store import ArchiveSnapshot, FactIndex, Store

__all__ = ["CheckResult", "Suppression", "check_drafts", "match_claims", "parse_suppressions", "read_baseline",
           "baseline_text", "line_col"]

_IGNORE = re.compile(r"<!--\s*reconcile:\s*ignore\b([^>]*?)-->", re.I)
_CODE = re.compile(r"\b[A-Z]{2}\d{2}\b")


@dataclass
class Suppression:
    """An inline ``<!-- reconcile: ignore CODE... -->``: the codes (empty: all) and the lines it covers."""

    document: str
    path: str
    line: int
    codes: set[str]
    first: int
    last: int
    used: bool = False


@dataclass
class CheckResult:
    drafts: list[Document] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    matches: dict[str, str | None] = field(default_factory=dict)  # draft claim id -> archive fact id
    findings: list[Finding] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    archive: ArchiveSnapshot | None = None
    suppressed_by: dict[int, str] = field(default_factory=dict)  # finding index -> "inline" | "baseline"
    rules: list[Rule] = field(default_factory=list)  # the rules as configured for this check


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def parse_suppressions(doc: Document) -> list[Suppression]:
    """Inline suppressions: on a line of its own, the comment covers the next paragraph; else its line."""
    lines = doc.text.split("\n")
    out = []
    for m in _IGNORE.finditer(doc.text):
        line, _ = line_col(doc.text, m.start())
        codes = set(_CODE.findall(m.group(1)))
        own = lines[line - 1].replace(m.group(0), "").strip()
        if own:
            first = last = line
        else:
            first = line + 1
            while first <= len(lines) and not lines[first - 1].strip():
                first += 1
            last = first
            while last < len(lines) and lines[last].strip():
                last += 1
        out.append(Suppression(doc.id, doc.path, line, codes, first, last))
    return out


def match_claims(draft: list[Claim], demb: np.ndarray, snap: ArchiveSnapshot, lex: Lexicon,
                 params: ClusterParams) -> dict[str, str | None]:
    """Each draft claim's archive fact: the fact closest on average among its nearest archive claims."""
    fact_of = {cid: f.id for f in snap.facts for cid in f.claims}
    out: dict[str, str | None] = {}
    if not len(snap.claims) or not len(draft):
        return {c.id: None for c in draft}
    E = snap.embeddings / np.maximum(np.linalg.norm(snap.embeddings, axis=1, keepdims=True), 1e-12)
    D = demb / np.maximum(np.linalg.norm(demb, axis=1, keepdims=True), 1e-12)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(snap.claims):
        blocks[block_key(c)].append(i)
    block_idx = {k: np.asarray(v) for k, v in blocks.items()}
    for c, v in zip(draft, D):
        idx = block_idx.get(block_key(c))
        if idx is None:
            out[c.id] = None
            continue
        sims = E[idx] @ v
        k = min(params.neighbours, len(idx))
        top = idx[np.argpartition(-sims, k - 1)[:k]] if k < len(idx) else idx
        per_fact: dict[str, list[float]] = defaultdict(list)
        for j in top:
            a = snap.claims[int(j)]
            fid = fact_of.get(a.id)
            if fid is not None:
                per_fact[fid].append(pair_distance(c, a, 1.0 - float(E[j] @ v), lex, params))
        best = min(((sum(d) / len(d), fid) for fid, d in per_fact.items()), default=None)
        out[c.id] = best[1] if best and best[0] <= params.threshold else None
    return out


# facts whose centroid is nearest a draft claim's embedding (within its block) that a check reads in full
CANDIDATE_FACTS = 24


def candidate_facts(draft: list[Claim], demb: np.ndarray, index: FactIndex, k: int = CANDIDATE_FACTS) -> list[str]:
    """The ids of the archive facts worth reading for these draft claims: per claim, the nearest centroids."""
    if not len(index.facts) or not index.centroids.shape[1] or not len(draft):
        return []
    D = demb / np.maximum(np.linalg.norm(demb, axis=1, keepdims=True), 1e-12)
    by_block: dict[str, list[int]] = defaultdict(list)
    for i, b in enumerate(index.blocks):
        by_block[b].append(i)
    out: set[str] = set()
    for c, v in zip(draft, D):
        rows = np.asarray(by_block.get(block_key(c), []), dtype=np.int64)
        if not len(rows):
            continue
        sims = index.centroids[rows] @ v
        top = rows[np.argpartition(-sims, k - 1)[:k]] if len(rows) > k else rows
        out.update(index.facts[int(i)].id for i in top)
    return sorted(out)


def check_drafts(paths: list[str], archive: ArchiveSnapshot | Store, config: Config,
                 embedder: Embedder | None = None, baseline: set[str] | None = None) -> CheckResult:
    """Extract the drafts' claims, match them to the archive's facts, run the draft rules, apply suppressions.

    Given a ``Store``, only the facts near the drafts' claims are read (their centroids decide), so a
    check costs about the same against a small archive and a large one.
    """
    index = archive.fact_index() if isinstance(archive, Store) else None
    snap = archive if isinstance(archive, ArchiveSnapshot) else ArchiveSnapshot(meta=index.meta if index else {})
    res = CheckResult(archive=snap)
    read = RunResult()
    ingest(paths, config, read)
    res.drafts, res.errors, res.warnings = read.documents, read.errors, read.warnings
    lex = load_lexicon(config.rules_dirs)
    for d in res.drafts:
        res.claims.extend(extract_claims(d, lex))
        res.suppressions.extend(parse_suppressions(d))
    archive_ids = set(archive.document_hashes()) if isinstance(archive, Store) else {d.id for d in snap.documents}
    clash = sorted({d.id for d in res.drafts} & archive_ids)
    for doc_id in clash:
        res.warnings.append(InputError(doc_id, "the draft is also in the archive: it is checked against itself too"))
    embedder = embedder or Embedder(snap.meta.get("model") or config.model, use_cache=config.cache)
    demb = embedder.encode([c.key_text for c in res.claims]) if res.claims else np.zeros((0, 1), np.float32)
    if isinstance(archive, Store) and index is not None:
        snap = archive.partial(candidate_facts(res.claims, demb, index))
        res.archive = snap
    params = ClusterParams(threshold=float(snap.meta.get("cluster_threshold", config.cluster_threshold)))
    res.matches = match_claims(res.claims, demb, snap, lex, params)
    facts = {f.id: f for f in snap.facts}
    grouped: dict[str, list[Claim]] = defaultdict(list)
    alone: list[tuple[Fact, list[Claim]]] = []
    for c in res.claims:
        fid = res.matches[c.id]
        if fid is None:
            alone.append((Fact(id="", label=c.counted_text or c.counted or c.surface, claims=[],
                               unit_class=c.unit_class), [c]))
        else:
            grouped[fid].append(c)
    pairs = [(facts[fid], cs) for fid, cs in sorted(grouped.items())] + alone
    docs = {d.id: d for d in snap.documents}
    docs.update({d.id: d for d in res.drafts})
    res.rules = load_rules(config)
    res.findings = run_draft_rules(res.rules, pairs, snap.claims + res.claims, docs)
    _suppress(res, baseline or set())
    return res


def _suppress(res: CheckResult, baseline: set[str]) -> None:
    by_id = {c.id: c for c in res.claims}
    texts = {d.id: d.text for d in res.drafts}
    for n, f in enumerate(res.findings):
        c = by_id[f.claims[0]]
        line, _ = line_col(texts[c.document], c.start)
        for s in res.suppressions:
            if s.document == c.document and s.first <= line <= s.last and (not s.codes or f.rule in s.codes):
                s.used = True
                f.suppressed = True
                res.suppressed_by[n] = "inline"
                break
        else:
            if f.fingerprint in baseline:
                f.suppressed = True
                res.suppressed_by[n] = "baseline"


def read_baseline(path: str) -> set[str]:
    """The fingerprints of a baseline file written by ``--write-baseline``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return {str(x["fingerprint"]) for x in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a reconcile baseline ({type(exc).__name__}: {exc})") from exc


def baseline_text(res: CheckResult) -> str:
    items = sorted({(f.fingerprint, f.rule, f.message[:160]) for f in res.findings})
    return json.dumps({"schema": "reconcile.baseline/1",
                       "findings": [{"fingerprint": fp, "rule": r, "message": m} for fp, r, m in items]},
                      indent=2, ensure_ascii=False) + "\n"


def record(res: CheckResult) -> dict[str, Any]:
    """The one structure every check output renders from."""
    by_id = {c.id: c for c in res.claims}
    snap = res.archive
    facts = {f.id: f for f in snap.facts} if snap else {}
    texts = {d.id: d for d in res.drafts}
    rules_meta = {r.code: {"name": r.name, "level": r.level, "description": r.description}
                  for r in res.rules if r.kind in DRAFT_KINDS}
    out_findings: list[dict[str, Any]] = []
    for n, f in enumerate(res.findings):
        c = by_id[f.claims[0]]
        d = texts[c.document]
        line, col = line_col(d.text, c.start)
        eline, ecol = line_col(d.text, c.end)
        fact = facts.get(f.fact)
        out_findings.append({
            "rule": f.rule, "name": f.name, "level": f.level, "message": f.message, "fingerprint": f.fingerprint,
            "suppressed": f.suppressed, "suppressed_by": res.suppressed_by.get(n),
            "draft": {"path": d.path, "line": line, "column": col, "end_line": eline, "end_column": ecol,
                      "surface": c.surface, "value": c.value, "low": c.low, "high": c.high,
                      "counted": c.counted_text, "sentence": c.sentence},
            "fact": None if fact is None else {"id": fact.id, "label": fact.label, "verdict": fact.verdict,
                                               "value": fact.value, "low": fact.low, "high": fact.high,
                                               "confidence": fact.confidence,
                                               "independent_sources": fact.independent_sources},
        })
    out_findings.sort(key=lambda x: (x["draft"]["path"], x["draft"]["line"], x["draft"]["column"], x["rule"]))
    unused = [{"path": s.path, "line": s.line, "codes": sorted(s.codes)} for s in res.suppressions if not s.used]
    levels = {lv: sum(1 for f in out_findings if f["level"] == lv and not f["suppressed"])
              for lv in ("error", "warning", "info")}
    return {
        "schema": "reconcile.check/1",
        "drafts": [{"id": d.id, "path": d.path, "language": d.language} for d in res.drafts],
        "claims": len(res.claims),
        "matched": sum(1 for v in res.matches.values() if v),
        "findings": out_findings,
        "unused_suppressions": unused,
        "rules": rules_meta,
        "errors": [{"path": e.path, "problem": e.problem} for e in res.errors],
        "summary": {**levels, "suppressed": sum(1 for f in out_findings if f["suppressed"]),
                    "archive_documents": snap.counts.get("documents", len(snap.documents)) if snap else 0,
                    "archive_facts": snap.counts.get("facts", len(snap.facts)) if snap else 0},
    }
