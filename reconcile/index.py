"""Build and update an archive (``reconcile index``): only new or changed documents are extracted and
embedded; removed ones are dropped; the facts are re-clustered and re-judged over the whole archive; and
everything is written in one transaction.
"""

from __future__ import annotations

import time
from typing import Any
from dataclasses import dataclass, field

import numpy as np

from reconcile.cluster import ClusterParams, block_key, cluster_claims
from reconcile.config import Config
from reconcile.embed import Embedder, counted_embeddings
from reconcile.lexicon import load_lexicon
from reconcile.model import Claim, Document, Fact, InputError
from reconcile.pipeline import Progress, RunResult, extract, ingest, judge
from reconcile.store import Store, StoreError, as_meta, now_iso

__all__ = ["IndexStats", "index"]


@dataclass
class IndexStats:
    documents: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    claims: int = 0
    facts: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def fact_keys(facts: list[Fact], claims: list[Claim], emb: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Each fact's block and centroid (the normalised mean of its claims' normalised embeddings)."""
    row = {c.id: i for i, c in enumerate(claims)}
    unit = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12) if len(emb) else emb
    out = []
    for f in facts:
        rows = [row[cid] for cid in f.claims]
        mean = unit[rows].mean(axis=0)
        out.append((block_key(claims[rows[0]]), (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)))
    return out


def index(paths: list[str], store: Store, config: Config, embedder: Embedder | None = None,
          progress: Progress | None = None, wait: float = 0.0, client: Any = None) -> IndexStats:
    """Bring the archive in line with ``paths`` (the whole archive's inputs).

    The run holds the archive's writer lock from its first read to its last write (a second writer waits
    up to ``wait`` seconds, then fails with a ``StoreError``), so concurrent runs never interleave.
    ``client``: a Dask client; extraction and embedding then run on its workers (``distributed.py``).
    """
    stats = IndexStats()
    t = time.perf_counter()
    read = RunResult()
    ingest(paths, config, read)
    stats.errors, stats.warnings = read.errors, read.warnings
    stats.timings["ingest"] = time.perf_counter() - t
    with store.writing(wait):
        _update(read, store, config, stats, embedder, progress, client)
    return stats


def _update(read: RunResult, store: Store, config: Config, stats: IndexStats, embedder: Embedder | None,
            progress: Progress | None, client: Any = None) -> None:
    """The locked part of an index run: read the archive, process what changed, write it back."""
    snap = store.snapshot()
    model = config.model
    if snap.meta.get("model") and snap.meta["model"] != model and snap.documents:
        raise StoreError(f"the archive was built with model {snap.meta['model']!r}, not {model!r}: "
                         "index with the same model, or into a new file")
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
    lex = load_lexicon(config.rules_dirs)
    embedder = embedder or Embedder(config.model, use_cache=config.cache)  # loads its model when first asked
    if client is not None:
        upsert, flat, emb = _extract_embed_on(client, todo, config, stats, progress)
    else:
        upsert, flat, emb = _extract_embed(todo, config, stats, embedder, progress)
    # the whole archive: kept claims (from the store) and new ones
    drop = set(removed) | {d.id for d in todo}
    keep = [i for i, c in enumerate(snap.claims) if c.document not in drop]
    claims = [snap.claims[i] for i in keep] + flat
    parts = [snap.embeddings[keep]] if keep else []
    if len(flat):
        parts.append(emb)
    all_emb = np.vstack(parts).astype(np.float32) if parts else np.zeros((0, 512), np.float32)
    docs = {d.id: d for d in snap.documents if d.id not in drop}
    docs.update({d.id: d for d in todo})
    t = time.perf_counter()
    counted = counted_embeddings(embedder, claims) if claims else None
    facts = cluster_claims(claims, all_emb, ClusterParams(threshold=config.cluster_threshold), lex, counted)
    stats.timings["cluster"] = time.perf_counter() - t
    t = time.perf_counter()
    findings, rel = judge(facts, claims, docs, config)
    stats.timings["rules"] = time.perf_counter() - t
    t = time.perf_counter()
    store.replace(upsert, removed, facts, findings,
                  as_meta({"model": model, "cluster_threshold": config.cluster_threshold, "last_indexed": now_iso(),
                           "reliability": {k: round(v, 6) for k, v in sorted(rel.items())}}),
                  fact_keys(facts, claims, all_emb))
    stats.timings["write"] = time.perf_counter() - t
    stats.documents = len(docs)
    stats.claims = len(claims)
    stats.facts = len(facts)


def _extract_embed(todo: list[Document], config: Config, stats: IndexStats, embedder: Embedder,
                   progress: Progress | None
                   ) -> tuple[list[tuple[Document, list[Claim], np.ndarray]], list[Claim], np.ndarray]:
    """Claims and vectors of the new or changed documents (``pipeline.extract``: one bad document is an
    error, not the end), in the archive's per-document shape."""
    run = RunResult(documents=todo)
    extract(run, config, progress)
    stats.errors.extend(run.errors)
    stats.timings["extract"] = run.timings["extract"]
    t = time.perf_counter()
    flat = run.claims
    emb = embedder.encode([c.key_text for c in flat], progress=(lambda d, n: progress("embed", d, n))
                          if progress else None) if flat else np.zeros((0, 0), np.float32)
    stats.timings["embed"] = time.perf_counter() - t
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
    upsert = []
    for d in todo:
        _, claims, vecs, err = results[d.id]
        if err:
            stats.errors.append(InputError(d.path, err))
        upsert.append((d, claims, vecs))
    flat = [c for _, claims, _ in upsert for c in claims]
    parts = [v for _, claims, v in upsert if len(claims)]
    emb = np.vstack(parts).astype(np.float32) if parts else np.zeros((0, 0), np.float32)
    stats.timings["extract+embed"] = time.perf_counter() - t
    return upsert, flat, emb
