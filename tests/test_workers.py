"""Local worker processes for extraction (``reconcile.workers``): the same claims as in process, in order."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

import reconcile.workers as workers
from reconcile.claims import extract_claims
from reconcile.lexicon import load_lexicon
from reconcile.model import Document
from reconcile.workers import MIN_DOCUMENTS, extract_documents, worker_count

from .conftest import SEEDS

_TEXTS = [
    ("de", "Die Polizei nahm am Samstag rund {n}0 Demonstranten fest. Laut Veranstaltern kamen {n}.000 Menschen."),
    ("en", "About {n}00 people were evacuated, officials said on Monday. At least {n} houses burned down."),
]


def _corpus(n: int) -> list[Document]:
    out = []
    for i in range(n):
        lang, text = _TEXTS[i % 2]
        out.append(Document(f"d{i:03d}", f"d{i:03d}.txt", text.format(n=i + 2), language=lang, outlet=f"o{i % 5}"))
    return out


two_cores = pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="forking workers needs two cores here")


def _recording(tmp_path, real=extract_claims, delay=0.0, dies_on=None):
    """``extract_claims`` that notes which process extracted each document (and can die or dawdle there)."""
    parent, log = os.getpid(), tmp_path / "pids.txt"

    def extract(doc, lex):
        if doc.id == dies_on and os.getpid() != parent:
            (tmp_path / "died").write_text(doc.id)
            os._exit(3)
        time.sleep(delay)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{doc.id} {os.getpid()}\n")
        return real(doc, lex)

    return extract, parent, log


def _pids(log):
    return [int(line.split()[1]) for line in log.read_text(encoding="utf-8").splitlines()]


@two_cores
def test_worker_processes_give_the_claims_of_extracting_in_process_in_document_order(tmp_path, monkeypatch):
    extract, parent, log = _recording(tmp_path)
    monkeypatch.setattr(workers, "extract_claims", extract)
    docs, lex = _corpus(24), load_lexicon()
    forked = list(extract_documents(docs, lex, jobs=2))
    assert set(_pids(log)) - {parent}, "the documents were extracted in worker processes"
    assert forked == [(extract_claims(d, lex), None) for d in docs]
    assert all(claims and claims[0].document == d.id for (claims, _), d in zip(forked, docs))


@two_cores
def test_a_worker_that_dies_loses_no_document(tmp_path, monkeypatch):
    """A worker killed mid-run (here: it exits on one document): every document still comes back, once."""
    extract, _, _ = _recording(tmp_path, dies_on="d005")
    monkeypatch.setattr(workers, "extract_claims", extract)
    docs, lex = _corpus(16), load_lexicon()
    out = list(extract_documents(docs, lex, jobs=2))
    assert (tmp_path / "died").read_text() == "d005"
    assert out == [(extract_claims(d, lex), None) for d in docs]


@two_cores
def test_stopping_early_cancels_the_chunks_not_started(tmp_path, monkeypatch):
    extract, _, log = _recording(tmp_path, delay=0.05)
    monkeypatch.setattr(workers, "extract_claims", extract)
    docs = _corpus(48)
    outcomes = extract_documents(docs, load_lexicon(), jobs=2)
    assert next(outcomes)[0][0].document == "d000"
    outcomes.close()
    assert len(_pids(log)) < len(docs)


def test_a_document_whose_extraction_raises_gives_its_problem_and_the_rest_go_on(monkeypatch):
    real = extract_claims

    def raises(doc, lex):
        if doc.id == "d002":
            raise ValueError("bad bytes")
        return real(doc, lex)

    monkeypatch.setattr(workers, "extract_claims", raises)
    out = list(extract_documents(_corpus(6), load_lexicon(), jobs=2))
    assert out[2] == ([], "extraction failed: ValueError: bad bytes")
    assert all(claims and problem is None for i, (claims, problem) in enumerate(out) if i != 2)


@pytest.mark.parametrize(("jobs", "documents", "expected"), [
    (1, 5000, 1), (2, 3, 2), (2, 1, 1), (2, 100, 2), (0, MIN_DOCUMENTS - 1, 1),
])
def test_worker_count(jobs, documents, expected):
    assert worker_count(jobs, documents) == min(expected, len(os.sched_getaffinity(0)))


def test_jobs_zero_uses_every_core_for_a_large_corpus_and_no_count_goes_beyond_them():
    cores = len(os.sched_getaffinity(0))
    assert worker_count(0, MIN_DOCUMENTS) == worker_count(100_000, 5000) == cores


def _count_in(queue):
    queue.put(worker_count(2, 5000))


def test_a_daemonic_process_extracts_in_process():
    """A daemonic process (a pool's worker) may not fork children: it extracts in process."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    p = ctx.Process(target=_count_in, args=(queue,), daemon=True)
    p.start()
    assert queue.get(timeout=60) == 1
    p.join()


@two_cores
def test_the_extract_stage_on_two_processes_equals_one():
    """``pipeline.extract`` with ``jobs = 2`` (forced: the seeds are fewer than MIN_DOCUMENTS) gives the same claims."""
    from reconcile.config import Config
    from reconcile.pipeline import RunResult, extract, ingest

    runs = []
    for jobs in (1, 2):
        result = RunResult()
        ingest([str(SEEDS)], Config(jobs=jobs), result)
        extract(result, Config(jobs=jobs))
        runs.append(result)
    assert runs[0].claims and runs[0].claims == runs[1].claims and runs[0].errors == runs[1].errors == []


@two_cores
def test_the_rules_on_two_processes_give_the_findings_of_one_in_order(seeds_result, tmp_path, monkeypatch):
    """``judge_rules`` with ``jobs = 2`` (forced: the seeds have fewer than MIN_FACTS facts): the findings of
    ``run_rules``, in its order, and each fact's fired rules; the facts were judged in worker processes."""
    import copy

    from reconcile.config import Config
    from reconcile.confidence import ConfidenceParams, fact_origins
    from reconcile.rules import load_rules, run_rules

    parent, log, real = os.getpid(), tmp_path / "pids.txt", run_rules

    def recording(*args, **kw):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"rules {os.getpid()}\n")
        return real(*args, **kw)

    res, cfg = seeds_result, Config()
    docs = {d.id: d for d in res.documents}
    origins = fact_origins(res.facts, res.claims, docs, ConfidenceParams.from_config(cfg))
    rules, alone, forked = load_rules(cfg), copy.deepcopy(res.facts), copy.deepcopy(res.facts)
    expected = run_rules(rules, alone, res.claims, docs, cfg, origins)
    monkeypatch.setattr(workers, "run_rules", recording)
    got = workers.judge_rules(rules, forked, res.claims, docs, Config(jobs=2), origins)
    assert expected and got == expected
    assert [f.rules for f in forked] == [f.rules for f in alone] and any(f.rules for f in alone)
    assert set(_pids(log)) - {parent}


def _guarded(seconds, work):
    """``work()`` in a forked, non-daemonic process (which may fork workers of its own), its result back through a
    queue: a pool that hangs fails the test after ``seconds`` (the process and its workers killed, as one process
    group) instead of stopping the session."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()

    def guarded():
        os.setpgid(0, 0)
        queue.put(work())

    p = ctx.Process(target=guarded)
    p.start()
    try:
        return p.pid, queue.get(timeout=seconds)
    finally:
        p.join(5)
        if p.is_alive():
            os.killpg(p.pid, signal.SIGKILL)
            p.join()


@pytest.fixture(scope="module")
def generated(tmp_path_factory, embedder):
    """A small generated corpus (``bench/corpus.py``) up to its embeddings: counts, sums of money and masses."""
    from bench.corpus import generate
    from reconcile.config import Config
    from reconcile.pipeline import RunResult, embed, extract, ingest

    path, _ = generate(120, tmp_path_factory.mktemp("generated"))
    cfg, res = Config(jobs=1), RunResult()
    ingest([str(path)], cfg, res)
    extract(res, cfg)
    embed(res, cfg, embedder)
    return res


@two_cores
def test_the_blocks_on_two_processes_give_the_facts_of_one_in_order(generated, tmp_path, monkeypatch):
    """``cluster_claims`` with ``jobs = 2`` (forced: the corpus has fewer than MIN_CLAIMS claims): the facts of one
    process, the same ids, claims and order, its blocks linked in worker processes. The blocks search their
    neighbours (torch's ``topk``) after the parent ran torch on several threads, which hangs a forked worker
    unless it runs torch on one thread."""
    import numpy as np

    import reconcile.cluster as cluster
    from reconcile.neighbours import top_k

    res, lex, log, real = generated, load_lexicon(), tmp_path / "pids.txt", cluster._link
    params = cluster.ClusterParams(all_pairs_below=40)  # every block of more than 40 claims searches neighbours

    def recording(claims, idx, *args, **kw):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{len(idx)} {os.getppid()}\n")
        return real(claims, idx, *args, **kw)

    expected = cluster.cluster_claims(res.claims, res.embeddings, params, lex, res.counted, jobs=1)
    monkeypatch.setattr(cluster, "_link", recording)
    top_k(np.random.default_rng(0).random((4000, 4000), dtype=np.float32), 5)  # torch's threads start here
    guard, got = _guarded(300, lambda: cluster.cluster_claims(res.claims, res.embeddings, params, lex, res.counted,
                                                              jobs=2))
    linked = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sum(int(n) > params.all_pairs_below for n, _ in linked) >= 2, "two blocks searched their neighbours"
    assert {int(ppid) for _, ppid in linked} == {guard}, "every block was linked in a worker of the pool"
    assert len(expected) > 20 and [f.id for f in got] == [f.id for f in expected] and got == expected


def _square(state, task):
    """A task for ``run_tasks``: notes the process it ran in; dies in a worker on the task ``state`` names."""
    log, dies_on, parent = state
    if task == dies_on and os.getpid() != parent:
        os._exit(3)
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"{task} {os.getpid()}\n")
    return task * task


@two_cores
def test_run_tasks_gives_the_results_in_task_order_from_worker_processes(tmp_path):
    log, parent = tmp_path / "pids.txt", os.getpid()
    tasks = [3, 1, 4, 1, 5, 9, 2, 6]
    assert workers.run_tasks(_square, (log, None, parent), tasks, tasks, jobs=2, least=1) == [t * t for t in tasks]
    assert parent not in _pids(log)


@two_cores
def test_a_task_worker_that_dies_loses_no_task(tmp_path):
    log, parent = tmp_path / "pids.txt", os.getpid()
    tasks = list(range(10))
    assert workers.run_tasks(_square, (log, 4, parent), tasks, tasks, jobs=2, least=1) == [t * t for t in tasks]
    assert parent in _pids(log), "the tasks of the broken pool ran in process"


def test_few_items_run_their_tasks_in_process_unless_jobs_says_otherwise(tmp_path):
    log, parent = tmp_path / "pids.txt", os.getpid()
    assert workers.run_tasks(_square, (log, None, parent), [2, 3], [5, 5], jobs=0, least=11) == [4, 9]
    assert set(_pids(log)) == {parent}
