"""Build and update an archive (``reconcile index``): only new or changed documents are extracted and
embedded; removed ones are dropped; and everything is written in one transaction.

Facts are kept up to date incrementally (``incremental_facts``): a run that adds or changes documents
re-clusters only the neighbourhood of what changed (the new claims, the facts near them that they could
join by the clustering's own distance, and the facts that lost claims) and keeps every other fact as it
was, with its id (a fact's id is the hash of its claims). Only the facts that changed are judged again
(and those sharing a document with one whose rules that look across facts now find otherwise).
``recluster=True`` (``--recluster``), a first run, or a change of the clustering (threshold or pair
model) clusters and judges the whole archive instead.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reconcile.cluster import ClusterParams, block_key, cluster_claims, edge_distances
from reconcile.config import Config
from reconcile.embed import Embedder, counted_embeddings
from reconcile.lexicon import load_lexicon
from reconcile.lexicon import Lexicon
from reconcile.model import Claim, Document, Fact, Finding, InputError
from reconcile.pairs import load_pair_model
from reconcile.pipeline import Progress, RunResult, extract, ingest, judge
from reconcile.store import ArchiveSnapshot, Store, StoreError, as_meta, now_iso

__all__ = ["IndexStats", "index", "incremental_facts", "fact_keys", "clustering_fingerprint", "NEAREST_FACTS"]

NEAREST_FACTS = 5  # existing facts (by centroid, per block) a new claim is compared with
NEAR_MEMBERS = 8  # of each, the members nearest the claim by embedding, compared with the clustering's distance
# a neighbourhood of more than this share of the archive's claims is clustered as the whole archive (it costs
# no more, and gives the facts of a re-clustering; facts that come out the same still keep ids and verdicts)
WHOLE_SHARE = 0.5


@dataclass
class IndexStats:
    """What an index run did: documents by kind, the archive's size after it, the facts it re-clustered
    (``reclustered``: all of them) and re-judged, its errors and warnings, and per-stage seconds."""

    documents: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    claims: int = 0
    facts: int = 0
    reclustered: bool = False
    facts_changed: int = 0
    facts_judged: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    # a run in batches: per batch its documents, the archive's claims and facts after it, the claims it
    # re-clustered, and its seconds
    batches: list[dict[str, float]] = field(default_factory=list)


def fact_keys(facts: list[Fact], claims: list[Claim], emb: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Each fact's block and centroid (the normalised mean of its claims' normalised embeddings)."""
    row = {c.id: i for i, c in enumerate(claims)}
    out = []
    for f in facts:  # fact by fact: no normalised copy of every claim's vector beside ``emb``
        rows = [row[cid] for cid in f.claims]
        mean = _unit_rows(emb[rows]).mean(axis=0)
        out.append((block_key(claims[rows[0]]), (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)))
    return out


def index(paths: list[str], store: Store, config: Config, embedder: Embedder | None = None,
          progress: Progress | None = None, wait: float = 0.0, client: Any = None,
          recluster: bool = False, batch: int | None = None) -> IndexStats:
    """Bring the archive in line with ``paths`` (the whole archive's inputs).

    The run holds the archive's writer lock from its first read to its last write (a second writer waits
    up to ``wait`` seconds, then fails with a ``StoreError``), so concurrent runs never interleave.
    ``client``: a Dask client; extraction and embedding then run on its workers (``distributed.py``).
    ``recluster``: rebuild every fact instead of updating the facts near what changed.
    ``batch``: documents to extract, cluster and write at a time (``config.index_batch`` when None): more
    new or changed documents than that are indexed batch after batch, each committed (see ``_update``).
    """
    size = config.index_batch if batch is None else batch
    if size < 1:
        raise ValueError(f"index batch must be at least 1 document, not {size}")
    stats = IndexStats()
    t = time.perf_counter()
    read = RunResult()
    ingest(paths, config, read)
    stats.errors, stats.warnings = read.errors, read.warnings
    stats.timings["ingest"] = time.perf_counter() - t
    with store.writing(wait):
        _update(read, store, config, stats, embedder, progress, client, recluster, batch=size)
    return stats


@dataclass
class _Plan:
    """What an index run changes: documents to write and to remove, and the archive's claims after it."""

    upsert: list[tuple[Document, list[Claim], np.ndarray]]
    removed: list[str]
    claims: list[Claim]
    embeddings: np.ndarray
    new: list[Claim]
    docs: dict[str, Document]


def _changes(read: RunResult, snap: ArchiveSnapshot, stats: IndexStats) -> tuple[list[Document], list[str]]:
    """The documents that are new or changed (in id order) and the ids of those removed, counted in ``stats``."""
    known = {d.id: d.content_hash for d in snap.documents}
    current = {d.id: d for d in read.documents}
    todo = [d for d in read.documents if known.get(d.id) != d.content_hash]
    failed = {e.path for e in read.errors}
    # a document that could not be read this time is kept as it was, not removed
    removed = sorted(d.id for d in snap.documents if d.id not in current and d.path not in failed)
    stats.added = sum(1 for d in todo if d.id not in known)
    stats.changed = len(todo) - stats.added
    stats.unchanged = len(read.documents) - len(todo)
    stats.removed = len(removed)
    return todo, removed


def _plan(todo: list[Document], removed: list[str], snap: ArchiveSnapshot, config: Config, stats: IndexStats,
          embedder: Embedder, progress: Progress | None, client: Any) -> _Plan:
    """Extract and embed ``todo`` and join it to what the archive keeps (all but ``removed`` and ``todo``)."""
    if client is not None:
        upsert, flat, emb = _extract_embed_on(client, todo, config, stats, progress)
    else:
        upsert, flat, emb = _extract_embed(todo, config, stats, embedder, progress)
    # the whole archive: kept claims (from the store) and new ones
    drop = set(removed) | {d.id for d in todo}
    keep = [i for i, c in enumerate(snap.claims) if c.document not in drop]
    claims = [snap.claims[i] for i in keep] + flat
    all_emb = _joined(snap.embeddings[keep] if keep else None, emb if len(flat) else None)
    docs = {d.id: d for d in snap.documents if d.id not in drop}
    docs.update({d.id: d for d in todo})
    return _Plan(upsert, removed, claims, all_emb, flat, docs)


def _joined(kept: np.ndarray | None, new: np.ndarray | None) -> np.ndarray:
    """The kept claims' vectors and then the new ones', as one float32 array: the new ones themselves when
    nothing is kept (a first index holds every claim's vector once, not a copy of it beside them)."""
    parts = [p for p in (kept, new) if p is not None]
    if not parts:
        return np.zeros((0, 512), np.float32)
    if len(parts) == 1:
        return np.asarray(parts[0], dtype=np.float32)
    return np.concatenate(parts, axis=0, dtype=np.float32)


def _add(stats: IndexStats, stage: str, since: float) -> None:
    """Add the seconds since ``since`` to ``stage``'s timing (a run in batches sums its batches)."""
    stats.timings[stage] = stats.timings.get(stage, 0.0) + time.perf_counter() - since


def _update(read: RunResult, store: Store, config: Config, stats: IndexStats, embedder: Embedder | None,
            progress: Progress | None, client: Any = None, recluster: bool = False, *, batch: int) -> None:
    """The locked part of an index run: read the archive, decide what changed, and process it in batches.

    Up to ``batch`` new or changed documents are one batch, indexed as today (clustered with the archive,
    judged, written in one transaction). More are indexed ``batch`` at a time in id order: the first batch
    as a run of its own (on a first index, its facts form by clustering it whole), each later one against the
    archive the one before committed, as an incremental run that never falls back to re-clustering the whole
    archive (``incremental_facts``, ``whole_share=None``). Only one batch's texts are held at a time, but a
    later batch re-clusters the claims of every fact it comes near, so its cost grows with the archive when
    the new articles draw on every fact (BENCHMARKS.md, round 0.6.0), and more slowly when they draw on the
    facts of their time (``IndexStats.batches[k]["reclustered_claims"]``). Each batch is committed
    (``Store.commit``): a stopped run keeps the batches done (every claim in a fact, every fact judged), and
    running it again goes on with the rest.
    """
    snap = store.snapshot()
    if snap.meta.get("model") and snap.meta["model"] != config.model and snap.documents:
        raise StoreError(f"the archive was built with model {snap.meta['model']!r}, not {config.model!r}: "
                         "index with the same model, or into a new file")
    lex = load_lexicon(config.rules_dirs)
    embedder = embedder or Embedder(config.model, use_cache=config.cache)  # loads its model when first asked
    todo, removed = _changes(read, snap, stats)
    parts = [todo[i:i + batch] for i in range(0, len(todo), batch)] or [[]]
    changed: set[str] = set()
    for k, part in enumerate(parts):
        t, before = time.perf_counter(), dict(stats.timings)
        if k:
            store.commit()
            snap = store.snapshot()
            _add(stats, "read", t)
        if len(parts) > 1 and progress:
            progress("batch", k, len(parts))
        again, fresh, joined = _index_batch(part, removed if not k else [], snap, store, config, stats, embedder,
                                            lex, progress, client, recluster and not k,
                                            WHOLE_SHARE if not k else None)
        stats.reclustered = again if not k else stats.reclustered
        changed |= fresh
        stats.batches.append({"documents": len(part), "archive_claims": stats.claims, "facts": stats.facts,
                              "reclustered_claims": joined,
                              **{s: round(v - before.get(s, 0.0), 3) for s, v in stats.timings.items()
                                 if s != "ingest"}})
        for d in part:
            d.text = ""  # written: the batch's texts are not needed any more
    if len(parts) > 1 and progress:
        progress("batch", len(parts), len(parts))
    stats.facts_changed = len(changed & set(store.fact_index().ids)) if len(parts) > 1 else len(changed)


def _index_batch(part: list[Document], removed: list[str], snap: ArchiveSnapshot, store: Store, config: Config,
                 stats: IndexStats, embedder: Embedder, lex: Lexicon, progress: Progress | None, client: Any,
                 recluster: bool, whole_share: float | None) -> tuple[bool, set[str], int]:
    """One batch of an index run: extract and embed ``part``, update the facts (re-clustered whole when
    ``recluster``, on a first run or a change of the clustering; else incrementally), judge, write.
    Returns whether it re-clustered, the ids of the facts it made new or changed, and how many claims its
    clustering took in (the whole archive, or the neighbourhood of what changed)."""
    plan = _plan(part, removed, snap, config, stats, embedder, progress, client)
    params = ClusterParams(threshold=config.cluster_threshold)
    fingerprint = clustering_fingerprint(params)
    reclustered = recluster or not snap.facts or snap.meta.get("clustering") != fingerprint
    t = time.perf_counter()
    sizes = {"reclustered_claims": len(plan.claims)}
    if reclustered:
        counted = counted_embeddings(embedder, plan.claims) if plan.claims else None
        facts = cluster_claims(plan.claims, plan.embeddings, params, lex, counted, config.jobs)
        del counted
        changed = {f.id for f in facts}
    else:
        facts, changed = incremental_facts(snap, plan.claims, plan.embeddings, {c.id for c in plan.new},
                                           embedder, lex, params, whole_share, sizes, config.jobs)
    _add(stats, "cluster", t)
    t = time.perf_counter()
    findings, rel, judged = _judge(facts, changed, plan, snap.findings, config, reclustered,
                                   _stored_reliability(snap.meta))
    _add(stats, "rules", t)
    t = time.perf_counter()
    store.replace(plan.upsert, plan.removed, facts, findings,
                  as_meta({"model": config.model, "cluster_threshold": config.cluster_threshold,
                           "clustering": fingerprint, "last_indexed": now_iso(),
                           "reliability": {k: round(v, 6) for k, v in sorted(rel.items())}}),
                  fact_keys(facts, plan.claims, plan.embeddings))
    _add(stats, "write", t)
    stats.documents, stats.claims, stats.facts = len(plan.docs), len(plan.claims), len(facts)
    stats.facts_judged += judged
    return reclustered, changed, sizes["reclustered_claims"]


def clustering_fingerprint(params: ClusterParams) -> str:
    """What the facts depend on besides the claims: the merge threshold, the pair model's weights and how
    neighbours are searched (``figure_blind_search``, since 0.10.0).

    An archive clustered under another fingerprint is re-clustered whole: facts made by two different
    clusterings must not be mixed.
    """
    m = params.model or load_pair_model(params.model_path)
    data = {"threshold": params.threshold, "model": json.loads(m.to_json()) if hasattr(m, "to_json") else repr(m),
            "figure_blind_search": params.figure_blind_search}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _unit_rows(E: np.ndarray) -> np.ndarray:
    """Rows scaled to length one (cosine similarity is then a dot product)."""
    return E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12) if len(E) else E


def _candidates(old: list[Fact], snap: ArchiveSnapshot, new: list[Claim], new_emb: np.ndarray
                ) -> list[tuple[int, int, int, float]]:
    """Per new claim, its ``NEAREST_FACTS`` existing facts of its block (by centroid) and of each the
    ``NEAR_MEMBERS`` members nearest it: (new claim, fact, member row in ``snap``, cosine distance)."""
    keys = fact_keys(old, snap.claims, snap.embeddings)
    row = {c.id: i for i, c in enumerate(snap.claims)}
    unit = _unit_rows(snap.embeddings)
    by_block: dict[str, list[int]] = {}
    for i, (block, _) in enumerate(keys):
        by_block.setdefault(block, []).append(i)
    rows: dict[str, list[int]] = {}
    for i, c in enumerate(new):
        rows.setdefault(block_key(c), []).append(i)
    out: list[tuple[int, int, int, float]] = []
    for block, idx in sorted(rows.items()):
        cand = by_block.get(block, [])
        if not cand:
            continue
        V = _unit_rows(new_emb[idx])
        sims = V @ np.vstack([keys[j][1] for j in cand]).T
        top = np.argsort(-sims, axis=1, kind="stable")[:, :min(NEAREST_FACTS, len(cand))]
        for i, v, facts in zip(idx, V, top.tolist()):
            for j in facts:
                members = np.asarray([row[cid] for cid in old[cand[j]].claims], dtype=np.int64)
                cos = 1.0 - unit[members] @ v
                for m in np.argsort(cos, kind="stable")[:NEAR_MEMBERS].tolist():
                    out.append((i, cand[j], int(members[m]), float(cos[m])))
    return out


def _near_facts(old: list[Fact], snap: ArchiveSnapshot, new: list[Claim], new_emb: np.ndarray,
                embedder: Embedder, lex: Lexicon, params: ClusterParams) -> set[str]:
    """The ids of the existing facts a new claim could join: of its ``NEAREST_FACTS`` nearest by centroid,
    those with a member within the clustering threshold of it by the clustering's own distance (the pair
    model, of its ``NEAR_MEMBERS`` members nearest by embedding). A fact no new claim comes that near
    cannot take one in, and keeps its claims without being re-clustered."""
    cands = _candidates(old, snap, new, new_emb)
    if not cands:
        return set()
    members = sorted({m for _, _, m, _ in cands})
    block = list(new) + [snap.claims[m] for m in members]
    at = {m: len(new) + k for k, m in enumerate(members)}
    ei = np.asarray([i for i, _, _, _ in cands], dtype=np.int64)
    ej = np.asarray([at[m] for _, _, m, _ in cands], dtype=np.int64)
    d = edge_distances(block, ei, ej, np.asarray([c for _, _, _, c in cands]), lex, params,
                       counted_embeddings(embedder, block))
    return {old[f].id for (_, f, _, _), x in zip(cands, d.tolist()) if x <= params.threshold}


def incremental_facts(snap: ArchiveSnapshot, claims: list[Claim], emb: np.ndarray, new_ids: set[str],
                      embedder: Embedder, lex: Lexicon, params: ClusterParams,
                      whole_share: float | None = WHOLE_SHARE, sizes: dict[str, int] | None = None,
                      jobs: int = 1) -> tuple[list[Fact], set[str]]:
    """The archive's facts after a run that added ``new_ids`` to ``claims`` (and dropped what is gone).

    Re-clusters, with ``cluster_claims`` itself, the new claims together with every claim of the facts
    touched by the run: the facts a new claim comes within the clustering's distance of (so that pieces of
    one fact that an earlier run kept apart can join now, see ``_near_facts``), the facts that lost claims,
    and those holding a claim of a re-read document (a changed article's claims may keep their ids). Every
    other fact is kept unchanged (same claims, same id, same verdict). A neighbourhood of more than
    ``whole_share`` of the claims is clustered as the whole archive (None: never; the later batches of a run
    in batches, whose cost must not grow with the archive). Deterministic: the same archive and inputs give
    the same facts. Returns the facts and the ids of those that are new or changed; ``sizes`` (when given)
    receives how many claims were re-clustered (``reclustered_claims``: what a run's join costs). ``jobs``:
    the local processes of the clustering (``cluster_claims``; the same facts on any number).
    """
    row = {c.id: i for i, c in enumerate(claims)}
    old = [f for f in snap.facts if f.claims]
    touched = {f.id for f in old if any(cid not in row or cid in new_ids for cid in f.claims)}
    new_rows = [row[cid] for cid in sorted(new_ids)]
    touched |= _near_facts(old, snap, [claims[i] for i in new_rows], emb[new_rows], embedder, lex, params)
    assigned = {cid for f in old if f.id not in touched for cid in f.claims}
    sub = [i for i, c in enumerate(claims) if c.id not in assigned]  # new, of touched facts, or orphans
    if whole_share is not None and len(sub) > whole_share * len(claims):
        touched, sub = {f.id for f in old}, list(range(len(claims)))
    if sizes is not None:
        sizes["reclustered_claims"] = len(sub)
    sub_claims = [claims[i] for i in sub]
    counted = counted_embeddings(embedder, sub_claims) if sub_claims else None
    fresh = cluster_claims(sub_claims, emb[sub], params, lex, counted, jobs) if sub_claims else []
    by_id = {f.id: f for f in old}
    # a touched fact that comes out with the same claims is the same fact: its stored verdict still holds
    changed = {f.id for f in fresh if f.id not in by_id or any(cid in new_ids for cid in f.claims)}
    facts = [f for f in old if f.id not in touched] + [by_id.get(f.id, f) for f in fresh]
    facts.sort(key=lambda f: f.claims[0])
    return facts, changed


def _document_neighbours(facts: list[Fact], ids: set[str], claims: list[Claim]) -> set[str]:
    """``ids`` and every fact that shares a document with one of them (rules look across one document)."""
    doc_of = {c.id: c.document for c in claims}
    docs = {doc_of[cid] for f in facts if f.id in ids for cid in f.claims}
    return ids | {f.id for f in facts if any(doc_of[cid] in docs for cid in f.claims)}


def _stored_reliability(meta: dict[str, str]) -> dict[str, float] | None:
    """The outlet reliability the last index run stored (None: none, or not a map of numbers)."""
    try:
        rel = json.loads(meta.get("reliability", ""))
    except ValueError:
        return None
    if not isinstance(rel, dict) or not all(isinstance(v, (int, float)) for v in rel.values()):
        return None
    return {str(k): float(v) for k, v in rel.items()}


def _origins(facts: list[Fact], changed: set[str], plan: _Plan, params: Any) -> dict[str, dict[str, str]]:
    """Each fact's claim -> independent origin: a kept fact's as it stored them (``origin_claims``, which
    ``origins_for`` of its own claims made), the others' computed (``confidence.fact_origins``)."""
    from reconcile.confidence import fact_origins

    out: dict[str, dict[str, str]] = {}
    todo = []
    for f in facts:
        org = {cid: o for o, cids in f.origin_claims.items() for cid in cids}
        if f.id not in changed and org.keys() == set(f.claims):
            out[f.id] = org
        else:
            todo.append(f)
    out.update(fact_origins(todo, plan.claims, plan.docs, params))
    return out


def _judge(facts: list[Fact], changed: set[str], plan: _Plan, old_findings: list[Finding], config: Config,
           everything: bool, stored_rel: dict[str, float] | None = None
           ) -> tuple[list[Finding], dict[str, float], int]:
    """Findings of the archive, the learned reliability, and how many facts were judged.

    After a re-clustering every fact is judged (``pipeline.judge``). Otherwise the facts that changed are
    judged, with the facts of their documents as context; of the facts sharing a document with one, only
    the rules that look across facts (``checks.ACROSS_FACTS``) are run again, and only a fact whose findings
    of those come out other than stored is judged again. Every other fact keeps its findings and verdict.
    Outlet reliability is learned over the whole archive by a re-clustering; an incremental run judges with
    the reliability stored (``stored_rel``, learned when there is none), as the facts it keeps were.
    """
    if everything:
        findings, rel = judge(facts, plan.claims, plan.docs, config)
        return findings, rel, len(facts)
    from reconcile.confidence import ConfidenceParams, judge_facts, learn_reliability
    from reconcile.rules import load_rules, run_rules

    params = ConfidenceParams.from_config(config)
    origins = _origins(facts, changed, plan, params)
    rel = stored_rel if stored_rel is not None else learn_reliability(facts, plan.claims, plan.docs, origins,
                                                                       params)
    rules = load_rules(config)
    near = _document_neighbours(facts, changed, plan.claims) - changed
    around = _document_neighbours(facts, changed | near, plan.claims)
    context = [f for f in facts if f.id in around]
    found = run_rules(rules, context, plan.claims, plan.docs, config, origins, only=changed)
    moved = _moved(rules, context, near, old_findings, plan, config, origins)
    if moved:
        found += run_rules(rules, context, plan.claims, plan.docs, config, origins, only=moved)
    redo = changed | moved
    judge_facts([f for f in facts if f.id in redo], plan.claims, plan.docs, found, rel, origins, params)
    ids = {f.id for f in facts}
    kept = [fd for fd in old_findings if fd.fact in ids and fd.fact not in redo]
    return kept + found, rel, len(redo)


def _moved(rules: list[Any], context: list[Fact], near: set[str], old_findings: list[Finding], plan: _Plan,
           config: Config, origins: dict[str, dict[str, str]]) -> set[str]:
    """Of the unchanged facts ``near`` the changed ones, those whose findings of the rules that look across
    facts differ from the stored ones (their other rules see only the fact itself, which has not changed)."""
    from reconcile.checks import ACROSS_FACTS
    from reconcile.rules import run_rules

    across = [r for r in rules if r.kind in ACROSS_FACTS]
    if not across or not near:
        return set()
    codes = {r.code for r in across}
    saved = {f.id: list(f.rules) for f in context if f.id in near}  # run_rules resets what a fact's rules found
    now: dict[str, set[str]] = {fid: set() for fid in near}
    for fd in run_rules(across, context, plan.claims, plan.docs, config, origins, only=near):
        now[fd.fact].add(fd.fingerprint)
    before: dict[str, set[str]] = {fid: set() for fid in near}
    for fd in old_findings:
        if fd.fact in near and fd.rule in codes:
            before[fd.fact].add(fd.fingerprint)
    for f in context:
        if f.id in saved:
            f.rules = saved[f.id]
    return {fid for fid in near if now[fid] != before[fid]}


def _extract_embed(todo: list[Document], config: Config, stats: IndexStats, embedder: Embedder,
                   progress: Progress | None
                   ) -> tuple[list[tuple[Document, list[Claim], np.ndarray]], list[Claim], np.ndarray]:
    """Claims and vectors of the new or changed documents (``pipeline.extract``: one bad document is an
    error, not the end), in the archive's per-document shape."""
    run = RunResult(documents=todo)
    extract(run, config, progress)
    stats.errors.extend(run.errors)
    stats.timings["extract"] = stats.timings.get("extract", 0.0) + run.timings["extract"]
    t = time.perf_counter()
    flat = run.claims
    emb = embedder.encode([c.key_text for c in flat], progress=(lambda d, n: progress("embed", d, n))
                          if progress else None) if flat else np.zeros((0, 0), np.float32)
    _add(stats, "embed", t)
    by_doc: dict[str, list[Claim]] = {}
    for c in flat:
        by_doc.setdefault(c.document, []).append(c)
    upsert = []
    k = 0
    for d in todo:
        n = len(by_doc.get(d.id, []))
        upsert.append((d, by_doc.get(d.id, []), emb[k:k + n]))
        k += n
    return upsert, flat, emb


def _extract_embed_on(client: Any, todo: list[Document], config: Config, stats: IndexStats,
                      progress: Progress | None) -> tuple[list[tuple[Document, list[Claim], np.ndarray]],
                                                          list[Claim], np.ndarray]:
    """``_extract_embed`` on a Dask cluster: the same claims and vectors, in the same order."""
    from reconcile.distributed import extract_embed

    t = time.perf_counter()
    results = extract_embed(todo, config.model, config.rules_dirs, config.cache, client,
                            progress=(lambda d, n: progress("extract+embed", d, n)) if progress else None)
    per_doc: list[list[Claim]] = []
    parts = []
    for d in todo:
        _, claims, vecs, err = results[d.id]
        if err:
            stats.errors.append(InputError(d.path, err))
        per_doc.append(claims)
        if len(claims):
            parts.append(vecs)
    emb = np.concatenate(parts, axis=0, dtype=np.float32) if parts else np.zeros((0, 0), np.float32)
    del results, parts  # the batches' arrays: each document's rows are a view of ``emb`` from here on
    upsert, k = [], 0
    for d, claims in zip(todo, per_doc):
        upsert.append((d, claims, emb[k:k + len(claims)]))
        k += len(claims)
    _add(stats, "extract+embed", t)
    return upsert, [c for claims in per_doc for c in claims], emb
