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

__all__ = ["process_batch", "extract_embed", "cluster_client", "BATCH"]

BATCH = 16  # documents per task: large enough to batch the model, small enough to spread and to redo
DocResult = tuple[str, list[Claim], np.ndarray, str | None]  # document id, claims, vectors, error
_STATE: dict[tuple[str, tuple[str, ...], bool], tuple[Lexicon, Embedder]] = {}


def _worker_state(model: str, rules_dirs: tuple[str, ...], cache: bool) -> tuple[Lexicon, Embedder]:
    """This process's lexicon and embedder, loaded on first use and kept for every later batch."""
    key = (model, rules_dirs, cache)
    if key not in _STATE:
        _one_core_each()
        embedder = Embedder(model, use_cache=cache)
        embedder.model  # noqa: B018  # load the model now, once per worker process
        _STATE[key] = (load_lexicon(list(rules_dirs)), embedder)
    return _STATE[key]


def _one_core_each() -> None:
    """The model on a worker uses the worker's threads only, not every core (workers share the machine)."""
    try:
        from distributed import get_worker

        threads = int(get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):  # not on a Dask worker
        return
    import torch

    torch.set_num_threads(max(1, threads))


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
def cluster_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout=30) as client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=":0") as lc:
        with Client(lc) as client:
            yield client
