"""Distributed indexing on Dask: extraction and embedding of an index run's new documents on workers.

``reconcile index --scheduler tcp://host:8786`` (or ``--workers N``, a local cluster of N processes) sends
the documents to the workers in batches: large ones first and smaller ones at the end (``batch_sizes``),
so that the model embeds many claims at a time, few tasks pay Dask's per-task cost, and the workers end
together. Each worker process loads the lexicon and the embedding model once (a cached global per process,
keyed by model and rule folders) and returns a batch's claims with their vectors in one array. Results
are keyed by document id, and each batch's task key is a hash of its documents' ids and contents, so a
task that Dask re-runs after losing a worker (or retries) replaces its own result: no document is lost or
counted twice. The client keeps what must stay in one place: reading
the inputs (ingest, to decide what is new by content hash), clustering, judging and writing the archive
under its writer lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from reconcile.claims import extract_claims
from reconcile.embed import Embedder
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Claim, Document

__all__ = ["process_batch", "extract_embed", "batch_sizes", "cluster_client", "warm", "BATCH", "LARGEST_BATCH",
           "BatchResult", "LOCAL_WORKER_CONFIG"]

BATCH = 16  # documents of the smallest batch (the last ones): small enough to spread the end and to redo
LARGEST_BATCH = 256  # documents of the largest: enough claims to fill the model's sorted batches
SHARE = 2  # a batch takes at most 1 / (SHARE x the cluster's threads) of the documents still to be sent
DocResult = tuple[str, list[Claim], np.ndarray, str | None]  # document id, claims, vectors, error
# a batch's result as it travels: document ids, claims per document, every claim in order, one array of
# their vectors, and the problems of documents whose extraction failed (by position in the batch)
BatchResult = tuple[list[str], list[int], list[Claim], np.ndarray, dict[int, str]]
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


def warm(model: str, rules_dirs: list[str], cache: bool, client: Any, sample: Sequence[Document] = ()) -> float:
    """Load the lexicon and the model on every worker of ``client`` now (in parallel), before any batch,
    and extract the claims of ``sample`` there (thrown away: the extraction's own models and tables load
    when first used, 2 s a worker): a long-lived cluster pays this once per worker, not once per index
    run. Returns the seconds taken."""
    import time

    t = time.perf_counter()
    client.run(_warm_one, model, tuple(rules_dirs), cache, list(sample))
    return time.perf_counter() - t


def _warm_one(model: str, rules_dirs: tuple[str, ...], cache: bool, sample: list[Document],
              dask_worker: Any = None) -> None:
    """On one worker (``client.run`` passes it): its state loaded, the model run once, ``sample`` extracted."""
    lex, embedder = _worker_state(model, rules_dirs, cache, dask_worker)
    embedder.model.encode(["warm"])
    for doc in sample:
        extract_claims(doc, lex)


def process_batch(docs: list[Document], model: str, rules_dirs: tuple[str, ...], cache: bool) -> BatchResult:
    """Extract and embed a batch of documents (runs on a worker): its claims and their vectors in one
    array, in document order (one array travels faster than one per document, and is decoded once)."""
    lex, embedder = _worker_state(model, rules_dirs, cache)
    counts: list[int] = []
    flat: list[Claim] = []
    errors: dict[int, str] = {}
    for i, doc in enumerate(docs):
        try:
            claims = extract_claims(doc, lex)
        except Exception as exc:  # one bad document must not stop the archive
            claims, errors[i] = [], f"extraction failed: {type(exc).__name__}: {exc}"
        counts.append(len(claims))
        flat.extend(claims)
    vecs = embedder.encode([c.key_text for c in flat]) if flat else np.zeros((0, 0), np.float32)
    return [d.id for d in docs], counts, flat, np.asarray(vecs, np.float32), errors


def _per_document(res: BatchResult) -> Iterator[DocResult]:
    """A batch's result document by document: its claims and a view of their rows of the batch's array."""
    ids, counts, flat, vecs, errors = res
    k = 0
    for i, (doc_id, n) in enumerate(zip(ids, counts)):
        yield doc_id, flat[k:k + n], vecs[k:k + n], errors.get(i)
        k += n


def batch_sizes(n: int, slots: int, least: int = BATCH, most: int = LARGEST_BATCH) -> list[int]:
    """How ``n`` documents are cut into batches for a cluster of ``slots`` threads: each batch a
    ``1 / (SHARE x slots)`` share of the documents left, within ``least`` and ``most`` (guided scheduling).
    Large batches first (the model embeds many claims at once, and each task's overhead is paid rarely),
    smaller ones at the end, so that the workers finish together."""
    sizes: list[int] = []
    left = n
    while left > 0:
        size = min(left, max(least, min(most, -(-left // (SHARE * max(1, slots))))))
        sizes.append(size)
        left -= size
    return sizes


def _key(batch: list[Document], model: str) -> str:
    """The batch's task key: a hash of the model and its documents' ids and contents (a re-run replaces)."""
    h = hashlib.sha256(model.encode())
    for d in batch:
        h.update(f"\0{d.id}\0{d.content_hash}".encode())
    return f"reconcile-batch-{h.hexdigest()[:32]}"


def extract_embed(todo: list[Document], model: str, rules_dirs: list[str], cache: bool, client: Any,
                  batch: int | None = None, progress: Callable[[int, int], None] | None = None
                  ) -> dict[str, DocResult]:
    """Every document of ``todo`` processed on the cluster of ``client``, keyed by document id.

    ``batch``: documents per task; None cuts them by ``batch_sizes`` for the cluster's threads."""
    from distributed import as_completed

    sizes = batch_sizes(len(todo), sum(client.nthreads().values())) if batch is None else \
        [min(batch, len(todo) - i) for i in range(0, len(todo), batch)]
    starts = np.cumsum([0, *sizes]).tolist()
    batches = [todo[a:b] for a, b in zip(starts, starts[1:])]
    futures = client.map(process_batch, batches, model=model, rules_dirs=tuple(rules_dirs), cache=cache,
                         key=[_key(b, model) for b in batches], retries=3)
    results: dict[str, DocResult] = {}
    try:
        for done, (_, res) in enumerate(as_completed(futures, with_results=True), start=1):
            for one in _per_document(res):
                results[one[0]] = one  # keyed: a re-run batch replaces, never adds
            if progress:
                progress(done, len(batches))
    finally:
        client.cancel(futures)
    missing = [d.id for d in todo if d.id not in results]
    if missing:
        raise RuntimeError(f"the cluster returned no result for {len(missing)} documents")
    return results


# How a local cluster is started. Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in a worker's environment,
# which also fixes glibc's mmap threshold: every large temporary of the model's forward pass is then mapped
# and unmapped afresh (300,000 page faults per 1,400 claims), and embedding took 40% more CPU than in a plain
# process. Its statistical profiler samples the task thread every 10 ms. And the periodic checks (memory every
# 100 ms, system every 500 ms, the event loop every 20 ms, work stealing every 100 ms) cost the idle client
# (scheduler and nannies) 3.7% of a core and each idle worker 1.8% (0.8% and 0.3% so): on two cores shared
# by client and workers, that is taken from the workers. None of it helps a batch job of equal tasks, which
# the scheduler hands out as workers free up.
LOCAL_WORKER_CONFIG: dict[str, Any] = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                                       "distributed.worker.profile.enabled": False,
                                       "distributed.worker.memory.monitor-interval": "1s",
                                       "distributed.admin.system-monitor.interval": "5s",
                                       "distributed.admin.tick.interval": "1s",
                                       "distributed.scheduler.work-stealing": False}


@contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None, threads: int = 1) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes of
    ``threads`` threads each (the model on each worker uses as many), started with ``LOCAL_WORKER_CONFIG``."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout=30) as client:
            yield client
        return
    with dask.config.set(LOCAL_WORKER_CONFIG):  # read by each nanny as it starts (and restarts) its worker
        lc = LocalCluster(n_workers=workers or 1, threads_per_worker=threads, processes=True, dashboard_address=":0")
    with lc, Client(lc) as client:
        yield client
