"""Check drafts against an archive (``reconcile check``).

Each figure of a draft is matched to the archive's facts with the clustering's own combined distance
(its nearest archive claims in the same unit block, averaged per fact, within the clustering threshold),
then judged by the draft rules (``rules/draft/``). Inline comments and a baseline suppress findings;
suppressed findings stay in the machine output, marked.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import tempfile
import types
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.checks import DRAFT_KINDS
from reconcile.claims import extract_claims
from reconcile.cluster import ClusterParams, block_key, edge_distances
from reconcile.config import Config
from reconcile.embed import Embedder
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document, Fact, Finding, InputError
from reconcile.pipeline import RunResult, ingest
from reconcile.rules import Rule, load_rules, run_draft_rules
from reconcile.store import ArchiveSnapshot, FactIndex, Store

__all__ = ["CheckResult", "Match", "Suppression", "check_drafts", "check_against", "archive_target", "match_figures",
           "match_claims", "figure_records", "draft_fingerprints", "parse_suppressions", "read_baseline",
           "baseline_text", "line_col", "record", "STDIN", "CHECK_SCHEMA"]

CHECK_SCHEMA = "reconcile.check/1"  # the check record (``record``): figures, findings, summary
STDIN = "<stdin>"  # the path ingest gives a document read from standard input
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
    figures: dict[str, Match] = field(default_factory=dict)  # draft claim id -> how it was matched
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


@dataclass
class Match:
    """How one draft figure was matched: the archive fact and its distance, or none and why."""

    fact: str | None
    distance: float | None = None
    reason: str = ""
    # the runners-up (fact id, distance), nearest first: what else the figure could have been about
    alternatives: list[tuple[str, float]] = field(default_factory=list)


# a fact's distance to a draft figure: the mean over its nearest members, at most this many (1: the nearest
# member alone; a draft restates one outlet's wording, and a fact told in other words by a second outlet must
# not lose to a one-claim fact for it)
MATCH_MEMBERS = 1
# members of each fact compared with the full distance (the nearest by embedding)
MATCH_CANDIDATES = 8
# the figures' magnitude as a tie-breaker: this much distance per factor of ten from the fact's value
MAGNITUDE_WEIGHT = 0.05


def _magnitude(value: float, fact: Fact | None) -> float:
    """How many factors of ten a draft figure is from a fact's reconciled value (at most 2)."""
    if fact is None or fact.value is None or not value or not fact.value or (value > 0) != (fact.value > 0):
        return 0.0 if fact is None or fact.value is None else 2.0
    return min(2.0, abs(math.log10(abs(value) / abs(fact.value))))


def _fact_distances(c: Claim, v: np.ndarray, idx: np.ndarray, E: np.ndarray, snap: ArchiveSnapshot,
                    fact_of: dict[str, str], predicates: dict[str, str], lex: Lexicon,
                    params: ClusterParams) -> dict[str, float]:
    """The distance of draft claim ``c`` to each fact in its block: the mean of its nearest members.

    The members are compared with the clustering's combined distance without the figures (a wrong figure
    must still find its fact); a place the draft does not name counts neither way; a member that names no
    action stands for its fact's usual one (``predicates``).
    """
    sims = E[idx] @ v
    members: list[Claim] = []
    owners: list[str] = []
    cos: list[float] = []
    taken: Counter[str] = Counter()
    for j in idx[np.argsort(-sims, kind="stable")]:
        a = snap.claims[int(j)]
        fid = fact_of.get(a.id)
        if fid is None or taken[fid] >= MATCH_CANDIDATES:
            continue
        taken[fid] += 1
        if a.predicate is None and predicates.get(fid):
            a = replace(a, predicate=predicates[fid])
        members.append(a)
        owners.append(fid)
        cos.append(1.0 - float(E[j] @ v))
    if not members:
        return {}
    # one call of the pair model for every (draft claim, member) pair: the same arithmetic as pair_distance
    d = edge_distances([c, *members], np.zeros(len(members), dtype=np.int64),
                       np.arange(1, len(members) + 1, dtype=np.int64), np.asarray(cos), lex, params)
    per_fact: dict[str, list[float]] = defaultdict(list)
    for fid, x in zip(owners, d.tolist()):
        per_fact[fid].append(x)
    return {fid: float(np.mean(sorted(ds)[:MATCH_MEMBERS])) for fid, ds in per_fact.items()}


def _usual_predicates(snap: ArchiveSnapshot) -> dict[str, str]:
    """Each fact's most common action as its claims name it (facts whose claims name none are left out)."""
    by_id = {c.id: c for c in snap.claims}
    out: dict[str, str] = {}
    for f in snap.facts:
        preds = Counter(by_id[cid].predicate for cid in f.claims if cid in by_id and by_id[cid].predicate)
        if preds:
            out[f.id] = sorted(preds.items(), key=lambda x: (-x[1], x[0] or ""))[0][0] or ""
    return out


def match_figures(draft: list[Claim], demb: np.ndarray, snap: ArchiveSnapshot, lex: Lexicon,
                  params: ClusterParams) -> dict[str, Match]:
    """Each draft claim's archive fact, with its distance, or none and why.

    Facts are ranked by what they are about (the distance to their nearest member claims, figures left
    out), the magnitude of the figures breaking near ties; the best is the match when it is within the
    clustering threshold.
    """
    facts = {f.id: f for f in snap.facts}
    fact_of = {cid: f.id for f in snap.facts for cid in f.claims}
    if not len(snap.claims) or not len(draft):
        return {c.id: Match(None, reason="the archive has no claims") for c in draft}
    about = replace(params, ignore_figures=True)
    predicates = _usual_predicates(snap)
    E = snap.embeddings / np.maximum(np.linalg.norm(snap.embeddings, axis=1, keepdims=True), 1e-12)
    D = demb / np.maximum(np.linalg.norm(demb, axis=1, keepdims=True), 1e-12)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(snap.claims):
        blocks[block_key(a)].append(i)
    out: dict[str, Match] = {}
    for c, v in zip(draft, D):
        idx = blocks.get(block_key(c))
        if not idx:
            out[c.id] = Match(None, reason=f"the archive has no figures of this kind ({block_key(c)})")
            continue
        dist = _fact_distances(c, v, np.asarray(idx), E, snap, fact_of, predicates, lex, about)
        ranked = sorted((d + MAGNITUDE_WEIGHT * _magnitude(c.value, facts.get(fid)), d, fid)
                        for fid, d in dist.items())
        alternatives = [(fid, round(d, 4)) for _, d, fid in ranked[1:4]]
        _, best, fid = ranked[0]
        if best <= params.threshold:
            out[c.id] = Match(fid, round(best, 4), "", alternatives)
        else:
            out[c.id] = Match(None, round(best, 4), f"the nearest fact ({facts[fid].label}) is at distance "
                              f"{best:.2f}, beyond the threshold {params.threshold:.2f}", [(fid, round(best, 4))])
    return out


def match_claims(draft: list[Claim], demb: np.ndarray, snap: ArchiveSnapshot, lex: Lexicon,
                 params: ClusterParams) -> dict[str, str | None]:
    """Each draft claim's archive fact id, or None (see ``match_figures``)."""
    return {cid: m.fact for cid, m in match_figures(draft, demb, snap, lex, params).items()}


# facts whose centroid is nearest a draft claim's embedding (within its block) that a check reads in full
CANDIDATE_FACTS = 24


def candidate_facts(draft: list[Claim], demb: np.ndarray, index: FactIndex, k: int = CANDIDATE_FACTS) -> list[str]:
    """The ids of the archive facts worth reading for these draft claims: per claim, the nearest centroids."""
    if not len(index.ids) or not index.centroids.shape[1] or not len(draft):
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
        out.update(index.ids[int(i)] for i in top)
    return sorted(out)


def check_drafts(paths: list[str], archive: ArchiveSnapshot | Store, config: Config,
                 embedder: Embedder | None = None, baseline: set[str] | None = None,
                 stdin_filename: str | None = None) -> CheckResult:
    """Extract the drafts' claims, match them to the archive's facts, run the draft rules, apply suppressions.

    Given a ``Store``, only the facts near the drafts' claims are read (their centroids decide), and only
    the documents of the facts the drafts' figures matched, all from one consistent view of the archive
    (``Store.reading``), so a check costs about the same against a small archive and a large one.
    ``stdin_filename`` names a draft read from ``-`` in every output.
    """
    if isinstance(archive, Store):
        with archive.reading():
            return _check(paths, archive, config, embedder, baseline, stdin_filename)
    return _check(paths, archive, config, embedder, baseline, stdin_filename)


def _check(paths: list[str], archive: ArchiveSnapshot | Store, config: Config, embedder: Embedder | None,
           baseline: set[str] | None, stdin_filename: str | None) -> CheckResult:
    """``check_drafts`` inside the archive's read view."""
    index = archive.fact_index() if isinstance(archive, Store) else None
    snap = archive if isinstance(archive, ArchiveSnapshot) else ArchiveSnapshot(meta=index.meta if index else {})
    res = CheckResult(archive=snap)
    read = RunResult()
    ingest(paths, config, read)
    res.drafts, res.errors, res.warnings = read.documents, read.errors, read.warnings
    if stdin_filename:
        for d in res.drafts:
            if d.path == STDIN:
                d.path = stdin_filename
    if not res.drafts:
        return res
    lex = load_lexicon(config.rules_dirs)
    for d in res.drafts:
        res.claims.extend(extract_claims(d, lex))
        res.suppressions.extend(parse_suppressions(d))
    draft_ids = [d.id for d in res.drafts]
    clash = sorted(archive.known_documents(draft_ids) if isinstance(archive, Store)
                   else set(draft_ids) & {d.id for d in snap.documents})
    for doc_id in clash:
        res.warnings.append(InputError(doc_id, "the draft is also in the archive: it is checked against itself too"))
    embedder = embedder or Embedder(snap.meta.get("model") or config.model, use_cache=config.cache)
    demb = embedder.encode([c.key_text for c in res.claims]) if res.claims else np.zeros((0, 1), np.float32)
    if isinstance(archive, Store) and index is not None:
        snap = archive.partial(candidate_facts(res.claims, demb, index), documents=False)
        res.archive = snap
    params = ClusterParams(threshold=float(snap.meta.get("cluster_threshold", config.cluster_threshold)))
    res.figures = match_figures(res.claims, demb, snap, lex, params)
    res.matches = {cid: m.fact for cid, m in res.figures.items()}
    pairs = _matched_pairs(res, snap)
    if isinstance(archive, Store):  # the documents the draft rules look at: those of the matched facts
        doc_of = {c.id: c.document for c in snap.claims}
        snap.documents = archive.documents([doc_of[cid] for f, _ in pairs for cid in f.claims if cid in doc_of])
    docs = {d.id: d for d in snap.documents}
    docs.update({d.id: d for d in res.drafts})
    res.rules = load_rules(config)
    res.findings = run_draft_rules(res.rules, pairs, snap.claims + res.claims, docs)
    draft_fingerprints(res.findings, {c.id: c for c in res.claims})
    _suppress(res, baseline or set())
    return res


def _matched_pairs(res: CheckResult, snap: ArchiveSnapshot) -> list[tuple[Fact, list[Claim]]]:
    """Each matched archive fact with its draft claims, then each unmatched draft claim as a fact of its own
    (no archive claims): what the draft rules judge."""
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
    return [(facts[fid], cs) for fid, cs in sorted(grouped.items())] + alone


def _claim_key(c: Claim) -> str:
    """What a draft figure says, normalised: the figure, its hedge and unit, the counted phrase."""
    counted = " ".join((c.counted_text or c.counted or "").lower().split())
    return f"{c.document}|{c.value:g}|{(c.hedge or '').lower()}|{c.unit or ''}|{counted}"


def draft_fingerprints(findings: list[Finding], claims: dict[str, Claim]) -> None:
    """Give each draft finding a fingerprint of what the draft says, not of the archive's clustering.

    The hash covers the rule, the draft's normalised figure and its counted phrase, so re-indexing the
    archive (new fact ids, new labels) keeps baselined findings suppressed; identical figures in one
    draft are told apart by their occurrence index in reading order (as semgrep does).
    """
    seen: Counter[str] = Counter()
    order = sorted(range(len(findings)), key=lambda n: (claims[findings[n].claims[0]].document,
                                                        claims[findings[n].claims[0]].start, findings[n].rule))
    for n in order:
        f = findings[n]
        key = f.rule + "\x1f" + _claim_key(claims[f.claims[0]])
        occurrence = seen[key]
        seen[key] += 1
        f.fingerprint = hashlib.sha256(f"{key}\x1f{occurrence}".encode("utf-8")).hexdigest()[:32]


def archive_target(against: str | None, config: Config) -> str | None:
    """The archive to check against: ``--against``, or the configuration's ``archive`` (relative to its file)."""
    target = against or config.archive
    if target and not against and config.source and not Path(target).is_absolute() and "://" not in target:
        target = str(Path(config.source).parent / target)
    return target


def check_against(drafts: list[str], target: str, config: Config, baseline: set[str] | None = None,
                  stdin_filename: str | None = None, embedder: Embedder | None = None) -> CheckResult:
    """Check ``drafts`` against an archive file, or a folder of articles indexed into a temporary archive.

    Raises ``StoreError`` when the archive cannot be read; archive inputs that could not be read become
    warnings of the result.
    """
    from reconcile.index import index
    from reconcile.store import open_store

    if not Path(target).is_dir():
        store = open_store(target, create=False)
        try:
            return check_drafts(drafts, store, config, embedder, baseline, stdin_filename)
        finally:
            store.close()
    with tempfile.TemporaryDirectory(prefix="reconcile-") as tmp:
        store = open_store(Path(tmp) / "archive.sqlite")
        try:
            stats = index([target], store, config)
            res = check_drafts(drafts, store, config, embedder, baseline, stdin_filename)
        finally:
            store.close()
    res.warnings[:0] = [InputError(e.path, f"archive input: {e.problem}") for e in stats.errors]
    return res


def _suppress(res: CheckResult, baseline: set[str]) -> None:
    """Mark the findings an inline comment covers, then those in the baseline, as suppressed."""
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
    """The baseline file of a check (``--write-baseline``): its findings' fingerprints, so that a later check
    reports only what is new. Sorted and without positions, so it changes only when the findings do."""
    items = sorted({(f.fingerprint, f.rule, f.message[:160]) for f in res.findings})
    return json.dumps({"schema": "reconcile.baseline/1",
                       "findings": [{"fingerprint": fp, "rule": r, "message": m} for fp, r, m in items]},
                      indent=2, ensure_ascii=False) + "\n"


def _fact_record(fact: Fact | None) -> dict[str, Any] | None:
    """The archive fact a figure matched, as the check record shows it (None: no fact)."""
    if fact is None:
        return None
    return {"id": fact.id, "label": fact.label, "verdict": fact.verdict, "value": fact.value, "low": fact.low,
            "high": fact.high, "confidence": fact.confidence, "independent_sources": fact.independent_sources}


def figure_records(res: CheckResult) -> list[dict[str, Any]]:
    """Every figure of the drafts, where it stands, the archive fact it matched (or none and why), its rules.

    What makes a passing check auditable: each figure says which fact it was judged against.
    """
    facts = {f.id: f for f in res.archive.facts} if res.archive else {}
    docs = {d.id: d for d in res.drafts}
    rules: dict[str, list[str]] = defaultdict(list)
    for f in res.findings:
        rules[f.claims[0]].append(f.rule)
    out = []
    for c in sorted(res.claims, key=lambda c: (docs[c.document].path, c.start)):
        m = res.figures.get(c.id) or Match(res.matches.get(c.id))
        line, col = line_col(docs[c.document].text, c.start)
        out.append({"path": docs[c.document].path, "line": line, "column": col, "surface": c.surface,
                    "hedge": c.hedge, "value": c.value, "low": c.low, "high": c.high, "counted": c.counted_text,
                    "fact": _fact_record(facts.get(m.fact) if m.fact else None), "distance": m.distance,
                    "reason": m.reason or None, "rules": sorted(rules.get(c.id, [])),
                    "alternatives": [{"id": fid, "label": facts[fid].label if fid in facts else None,
                                      "distance": d} for fid, d in m.alternatives]})
    return out


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
            "fact": _fact_record(fact),
        })
    out_findings.sort(key=lambda x: (x["draft"]["path"], x["draft"]["line"], x["draft"]["column"], x["rule"]))
    unused = [{"path": s.path, "line": s.line, "codes": sorted(s.codes)} for s in res.suppressions if not s.used]
    levels = {lv: sum(1 for f in out_findings if f["level"] == lv and not f["suppressed"])
              for lv in ("error", "warning", "info")}
    return {
        "schema": CHECK_SCHEMA,
        "drafts": [{"id": d.id, "path": d.path, "language": d.language} for d in res.drafts],
        "claims": len(res.claims),
        "matched": sum(1 for v in res.matches.values() if v),
        "figures": figure_records(res),
        "findings": out_findings,
        "unused_suppressions": unused,
        "rules": rules_meta,
        "errors": [{"path": e.path, "problem": e.problem} for e in res.errors],
        "summary": {**levels, "suppressed": sum(1 for f in out_findings if f["suppressed"]),
                    "archive_documents": snap.counts.get("documents", len(snap.documents)) if snap else 0,
                    "archive_facts": snap.counts.get("facts", len(snap.facts)) if snap else 0},
    }


class _CallableModule(types.ModuleType):
    """``reconcile.check`` names this module and the API function at once: calling the module is the function.

    (Importing a submodule sets the package's attribute of that name, so ``reconcile.check`` is this module
    whenever it has been imported; it must still answer ``reconcile.check(drafts, against)``.)
    """

    def __call__(self, drafts: list[str], against: str | None = None, config: Config | str | None = None,
                 baseline: set[str] | None = None) -> CheckResult:
        from reconcile.api import check

        return check(drafts, against, config, baseline)


sys.modules[__name__].__class__ = _CallableModule
