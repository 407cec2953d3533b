"""Distributed indexing on Dask: extraction and embedding of an index run's new documents on workers.

``reconcile index --scheduler tcp://host:8786`` (or ``--workers N``, a local cluster of N processes) sends
the documents to the workers in batches. Each worker process loads the lexicon and the embedding model
once (a cached global per process, keyed by model and rule folders) and returns, per document, its
claims and their vectors. Results are keyed by document id, and each batch's task key is a hash of its
documents' ids and contents, so a task that Dask re-runs after losing a worker (or retries) replaces its
own result: no document is lost or counted twice. The client keeps what must stay in one place: reading
the inputs (ingest, to decide what is new by content hash), clustering, judging and writing the archive
under its writer lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from reconcile.claims import extract_claims
from reconcile.embed import Embedder
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document

__all__ = ["process_batch", "extract_embed", "cluster_client", "warm", "BATCH"]

BATCH = 16  # documents per task: large enough to batch the model, small enough to spread and to redo
DocResult = tuple[str, list[Claim], np.ndarray, str | None]  # document id, claims, vectors, error
_STATE: dict[tuple[str, tuple[str, ...], bool], tuple[Lexicon, Embedder]] = {}


def _worker_state(model: str, rules_dirs: tuple[str, ...], cache: bool,
                  worker: Any = None) -> tuple[Lexicon, Embedder]:
    """This process's lexicon and embedder, loaded on first use and kept for every later batch."""
    key = (model, rules_dirs, cache)
    if key not in _STATE:
        threads = _worker_threads(worker)
        embedder = Embedder(model, use_cache=cache, threads=threads)
        embedder.model  # noqa: B018  # load the model now, once per worker process
        _STATE[key] = (load_lexicon(list(rules_dirs)), embedder)
    return _STATE[key]


def _worker_threads(worker: Any = None) -> int | None:
    """The threads of this Dask worker, and every thread pool of the process limited to them: the model's
    BLAS threads, torch's and numpy's. Workers share the machine: a worker of 1 thread whose model ran on
    every core would compete with the others (BLAS threads spin while they wait for a core). None when not
    on a worker (the process's pools are left alone)."""
    try:
        from distributed import get_worker

        threads = max(1, int((worker or get_worker()).state.nthreads))
    except (ImportError, ValueError, AttributeError):  # not on a Dask worker
        return None
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(threads)
    threadpool_limits(limits=threads)
    return threads


def warm(model: str, rules_dirs: list[str], cache: bool, client: Any) -> float:
    """Load the lexicon and the model on every worker of ``client`` now (in parallel), before any batch:
    a long-lived cluster pays this once per worker, not once per index run. Returns the seconds taken."""
    import time

    t = time.perf_counter()
    client.run(_warm_one, model, tuple(rules_dirs), cache)
    return time.perf_counter() - t


def _warm_one(model: str, rules_dirs: tuple[str, ...], cache: bool, dask_worker: Any = None) -> None:
    """On one worker (``client.run`` passes it): its state loaded, and the model run once."""
    _worker_state(model, rules_dirs, cache, dask_worker)[1].model.encode(["warm"])


def process_batch(docs: list[Document], model: str, rules_dirs: tuple[str, ...], cache: bool) -> list[DocResult]:
    """Extract and embed a batch of documents (runs on a worker): per document its claims and vectors."""
    lex, embedder = _worker_state(model, rules_dirs, cache)
    found: list[tuple[str, list[Claim], str | None]] = []
    for doc in docs:
        try:
            found.append((doc.id, extract_claims(doc, lex), None))
        except Exception as exc:  # one bad document must not stop the archive
            found.append((doc.id, [], f"extraction failed: {type(exc).__name__}: {exc}"))
    flat = [c for _, claims, _ in found for c in claims]
    vecs = embedder.encode([c.key_text for c in flat]) if flat else np.zeros((0, 0), np.float32)
    out, k = [], 0
    for doc_id, claims, err in found:
        out.append((doc_id, claims, np.asarray(vecs[k:k + len(claims)], np.float32), err))
        k += len(claims)
    return out


def _key(batch: list[Document], model: str) -> str:
    """The batch's task key: a hash of the model and its documents' ids and contents (a re-run replaces)."""
    h = hashlib.sha256(model.encode())
    for d in batch:
        h.update(f"\0{d.id}\0{d.content_hash}".encode())
    return f"reconcile-batch-{h.hexdigest()[:32]}"


def extract_embed(todo: list[Document], model: str, rules_dirs: list[str], cache: bool, client: Any,
                  batch: int = BATCH, progress: Callable[[int, int], None] | None = None) -> dict[str, DocResult]:
    """Every document of ``todo`` processed on the cluster of ``client``, keyed by document id."""
    from distributed import as_completed

    batches = [todo[i:i + batch] for i in range(0, len(todo), batch)]
    futures = client.map(process_batch, batches, model=model, rules_dirs=tuple(rules_dirs), cache=cache,
                         key=[_key(b, model) for b in batches], retries=3)
    results: dict[str, DocResult] = {}
    try:
        for done, fut in enumerate(as_completed(futures), start=1):
            for res in fut.result():
                results[res[0]] = res  # keyed: a re-run batch replaces, never adds
            if progress:
                progress(done, len(batches))
    finally:
        client.cancel(futures)
    missing = [d.id for d in todo if d.id not in results]
    if missing:
        raise RuntimeError(f"the cluster returned no result for {len(missing)} documents")
    return results


@contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None, threads: int = 1) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes of
    ``threads`` threads each (the model on each worker uses as many)."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout=30) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=threads, processes=True, dashboard_address=":0") as lc:
        with Client(lc) as client:
            yield client
