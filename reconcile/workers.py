"""One machine's cores for a run: claim extraction and the rules in forked local processes.

Extraction is pure Python, one document at a time, and independent across documents. On a machine with
several cores a large corpus is cut into contiguous chunks that forked processes extract, and the claims come
back in document order: the same claims, in the same order, as extracting in process. Small corpora stay in
process (starting processes costs more than it saves), as does a platform without ``fork``. Spreading an
archive's indexing over machines is Dask's job (``reconcile.distributed``); this module only uses the cores
of the machine a run is on.

The rules judge each fact with every other fact as context (``run_rules(only=...)``), so each worker takes
every n-th fact; it returns their findings and the rules that fired per fact, and the parent puts them back
in fact order: the same findings, in the same order.

``run_tasks`` is the general form, which the clustering uses for its blocks (``cluster.cluster_claims``):
independent tasks of known sizes over one inherited state, handed out largest first so that the workers end
together, their results returned in the tasks' order whichever worker ran which.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from reconcile.claims import extract_claims
from reconcile.config import Config
from reconcile.lexicon import Lexicon
from reconcile.model import Claim, Document, Fact, Finding
from reconcile.rules import Rule, run_rules

__all__ = ["extract_documents", "judge_rules", "run_tasks", "worker_count", "Extracted", "MIN_DOCUMENTS",
           "MIN_FACTS", "CHUNKS_PER_WORKER", "one_thread"]

MIN_DOCUMENTS = 200  # below this, `jobs = 0` extracts in process
MIN_FACTS = 200  # below this, `jobs = 0` runs the rules in process
CHUNKS_PER_WORKER = 8  # smaller chunks even out documents of different lengths; each chunk is one task

Extracted = tuple[list[Claim], str | None]  # a document's claims, or the problem that stopped its extraction

_WORK: tuple[Sequence[Document], Lexicon] | None = None  # in a worker: the corpus it inherited at the fork

_S = TypeVar("_S")
_T = TypeVar("_T")
_R = TypeVar("_R")


def _cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(jobs: int, documents: int, least: int = MIN_DOCUMENTS) -> int:
    """How many processes take ``documents`` items (documents, or facts): ``jobs`` (0 = one per core for at
    least ``least`` items), never more than the cores or the items, and 1 where processes cannot be forked
    (no ``fork``, or this process is itself a daemonic worker)."""
    if jobs == 1 or documents < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or multiprocessing.current_process().daemon:
        return 1
    if jobs == 0 and documents < least:
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


_RULES: tuple[Any, ...] | None = None  # in a rules worker: (rules, facts, claims, docs, config, origins)
Judged = tuple[list[Finding], dict[str, list[str]]]  # a chunk's findings, and the rules that fired per fact


def _inherit_rules(*run: Any) -> None:
    """A rules worker's initializer: the clustered run, handed over by the fork itself."""
    global _RULES
    _RULES = run
    one_thread()


def _judge_share(share: tuple[int, int]) -> Judged:
    """In a worker: the rules on every ``share[1]``-th fact from ``share[0]``, every fact of the run as context."""
    assert _RULES is not None, "a rules worker runs only inside judge_rules"
    rules, facts, claims, docs, config, origins = _RULES
    mine = facts[share[0]::share[1]]
    found = run_rules(rules, facts, claims, docs, config, origins, only={f.id for f in mine})
    return found, {f.id: f.rules for f in mine}


def judge_rules(rules: list[Rule], facts: list[Fact], claims: list[Claim], docs: dict[str, Document],
                config: Config, origins: dict[str, dict[str, str]]) -> list[Finding]:
    """``run_rules`` on ``config.jobs`` processes (0 = one per core for ``MIN_FACTS`` facts or more): the same
    findings in the same order, and each fact's ``rules`` set as ``run_rules`` sets them."""
    workers = worker_count(config.jobs, len(facts), MIN_FACTS)
    if workers == 1:
        return run_rules(rules, facts, claims, docs, config, origins)
    shares = [(i, workers) for i in range(workers)]  # interleaved: the costly facts of a story spread evenly
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_inherit_rules,
                               initargs=(rules, facts, claims, docs, config, origins))
    try:
        outcomes = [future.result() for future in [pool.submit(_judge_share, s) for s in shares]]
    except (OSError, BrokenProcessPool):  # no worker could start, or one died: judge in process
        return run_rules(rules, facts, claims, docs, config, origins)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return _in_fact_order(facts, outcomes)


def _in_fact_order(facts: list[Fact], outcomes: list[Judged]) -> list[Finding]:
    """The workers' findings in the order ``run_rules`` gives them (fact by fact), each fact's rules set."""
    by_fact: dict[str, list[Finding]] = {}
    fired: dict[str, list[str]] = {}
    for found, codes in outcomes:
        fired.update(codes)
        for finding in found:
            by_fact.setdefault(finding.fact, []).append(finding)
    for fact in facts:
        fact.rules = fired[fact.id]
    return [finding for fact in facts for finding in by_fact.get(fact.id, [])]


_TASKS: tuple[Callable[[Any, Any], Any], Any, Sequence[Any]] | None = None  # in a task worker: (work, state, tasks)


def _inherit_tasks(work: Callable[[Any, Any], Any], state: Any, tasks: Sequence[Any]) -> None:
    """A task worker's initializer: the work, its state and the tasks, handed over by the fork itself; torch and
    BLAS on one thread (``one_thread``: the neighbour search's ``topk`` would hang on torch's threads)."""
    global _TASKS
    _TASKS = (work, state, tasks)
    one_thread()


def one_thread() -> None:
    """This process's torch and BLAS on one thread each: in a forked worker beside others on the same cores.

    torch's OpenMP threads do not survive a fork (a forked child's first parallel operation waits forever for
    threads only the parent has). OpenBLAS threads spin while they wait for a core, so two workers of two BLAS
    threads each on two cores slow each other down (a 512 x 512 ``eigh`` took 4 s instead of 0.04 s).
    """
    torch = sys.modules.get("torch")  # imported (and its threads maybe started) before the fork, or not needed
    if torch is not None:
        torch.set_num_threads(1)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _run_task(i: int) -> Any:
    """In a worker: task ``i`` of the inherited tasks."""
    assert _TASKS is not None, "a task worker runs only inside run_tasks"
    work, state, tasks = _TASKS
    return work(state, tasks[i])


def run_tasks(work: Callable[[_S, _T], _R], state: _S, tasks: Sequence[_T], sizes: Sequence[int], jobs: int,
              least: int) -> list[_R]:
    """``[work(state, t) for t in tasks]`` on ``worker_count(jobs, sum(sizes), least)`` forked processes (never
    more than there are tasks), in the order of ``tasks``.

    ``work`` must be a module's function and give the same result wherever it runs. ``sizes`` says what each
    task costs (its items): the tasks are handed out largest first, each to the first worker free, so that a
    large task starts at once and the small ones fill the other workers meanwhile. ``state`` and the tasks
    reach the workers through the fork (nothing is pickled but the results). A pool that cannot fork runs
    every task in process, and one whose worker died runs in process the tasks that it did not return.
    """
    workers = min(worker_count(jobs, sum(sizes), least), len(tasks))
    if workers <= 1:
        return [work(state, t) for t in tasks]
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_inherit_tasks,
                               initargs=(work, state, tasks))
    largest = sorted(range(len(tasks)), key=lambda i: (-sizes[i], i))
    try:
        futures = {i: pool.submit(_run_task, i) for i in largest}  # the workers are forked at the first submit
    except OSError:  # no process could be forked (limits, memory): run in process
        pool.shutdown(wait=False, cancel_futures=True)
        return [work(state, t) for t in tasks]
    try:
        return [_salvaged(futures[i], work, state, t) for i, t in enumerate(tasks)]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _salvaged(future: Any, work: Callable[[_S, _T], _R], state: _S, task: _T) -> _R:
    """A task's result from its worker, or computed in process when its pool broke (a worker died)."""
    try:
        return future.result()  # type: ignore[no-any-return]
    except BrokenProcessPool:
        return work(state, task)
