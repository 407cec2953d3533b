"""One machine's cores for the per-document stage of a run: claim extraction in forked local processes.

Extraction is pure Python, one document at a time, and independent across documents. On a machine with
several cores a large corpus is cut into contiguous chunks that forked processes extract, and the claims come
back in document order: the same claims, in the same order, as extracting in process. Small corpora stay in
process (starting processes costs more than it saves), as does a platform without ``fork``. Spreading an
archive's indexing over machines is Dask's job (``reconcile.distributed``); this module only uses the cores
of the machine a run is on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from reconcile.claims import extract_claims
from reconcile.lexicon import Lexicon
from reconcile.model import Claim, Document

__all__ = ["extract_documents", "worker_count", "Extracted", "MIN_DOCUMENTS", "CHUNKS_PER_WORKER"]

MIN_DOCUMENTS = 200  # below this, `jobs = 0` extracts in process
CHUNKS_PER_WORKER = 8  # smaller chunks even out documents of different lengths; each chunk is one task

Extracted = tuple[list[Claim], str | None]  # a document's claims, or the problem that stopped its extraction

_WORK: tuple[Sequence[Document], Lexicon] | None = None  # in a worker: the corpus it inherited at the fork


def _cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(jobs: int, documents: int) -> int:
    """How many processes extract ``documents`` documents: ``jobs`` (0 = one per core for a corpus of at least
    ``MIN_DOCUMENTS``), never more than the cores or the documents, and 1 where processes cannot be forked
    (no ``fork``, or this process is itself a daemonic worker)."""
    if jobs == 1 or documents < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or multiprocessing.current_process().daemon:
        return 1
    if jobs == 0 and documents < MIN_DOCUMENTS:
        return 1
    return max(1, min(jobs or _cores(), _cores(), documents))


def _extract_one(doc: Document, lex: Lexicon) -> Extracted:
    """One document's claims; a document whose extraction raises gives its problem instead of stopping the run."""
    try:
        return extract_claims(doc, lex), None
    except Exception as exc:  # one bad document must not stop the corpus
        return [], f"extraction failed: {type(exc).__name__}: {exc}"


def _inherit(documents: Sequence[Document], lex: Lexicon) -> None:
    """A worker's initializer: the corpus, handed over by the fork itself (nothing is pickled)."""
    global _WORK
    _WORK = (documents, lex)


def _chunk(bounds: tuple[int, int]) -> list[Extracted]:
    """In a worker: the documents ``bounds`` of the inherited corpus."""
    assert _WORK is not None, "a worker runs only inside extract_documents"
    docs, lex = _WORK
    return [_extract_one(d, lex) for d in docs[bounds[0]:bounds[1]]]


def _bounds(n: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous chunks of ``n`` documents, ``CHUNKS_PER_WORKER`` per worker."""
    size = max(1, -(-n // (workers * CHUNKS_PER_WORKER)))
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


def extract_documents(documents: Sequence[Document], lex: Lexicon, jobs: int = 0) -> Iterator[Extracted]:
    """Each document's claims (or its problem), in the order of ``documents``, using ``worker_count`` processes.

    A worker killed from outside (or a pool that cannot start) loses no document: the chunks its pool did not
    return are extracted in process. Stopping early cancels what has not started.
    """
    workers = worker_count(jobs, len(documents))
    if workers == 1:
        yield from (_extract_one(d, lex) for d in documents)
        return
    bounds = _bounds(len(documents), workers)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_inherit,
                               initargs=(documents, lex))
    try:
        futures = [pool.submit(_chunk, b) for b in bounds]  # the workers are forked at the first submit
    except OSError:  # no process could be forked (limits, memory): extract in process
        pool.shutdown(wait=False, cancel_futures=True)
        yield from (_extract_one(d, lex) for d in documents)
        return
    try:
        for (lo, hi), future in zip(bounds, futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = [_extract_one(d, lex) for d in documents[lo:hi]]
            yield from outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
