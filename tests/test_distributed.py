"""Distributed indexing (``reconcile/distributed.py``) on a real LocalCluster of worker processes: the
archive equals a serial index, and a worker killed mid-run loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import shutil
from pathlib import Path

import numpy as np
import pytest

from reconcile.config import Config
from reconcile.index import index
from reconcile.store import open_store

from .conftest import SEEDS

MODEL = "all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def cluster():
    from reconcile.distributed import cluster_client

    with cluster_client(workers=2) as client:
        yield client


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seeds and, to have many batches, each seed again under another name with one more figure."""
    src = tmp_path_factory.mktemp("corpus")
    for i, p in enumerate(sorted(SEEDS.glob("0*.txt"))):
        text = p.read_text(encoding="utf-8")
        shutil.copy(p, src / p.name)
        for k in range(3):
            (src / f"x{i}{k}_{p.name}").write_text(text + f"\nDie Behörden zählten {100 + 37 * i + k} Helfer.\n",
                                                   encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("serial") / "a.db"
    store = open_store(db)
    index([str(corpus)], store, Config(model=MODEL))
    snap = store.snapshot()
    store.close()
    return snap


def _same(a, b) -> None:
    assert [(d.id, d.content_hash) for d in a.documents] == [(d.id, d.content_hash) for d in b.documents]
    assert a.claims == b.claims
    assert np.allclose(a.embeddings, b.embeddings, atol=1e-5)
    assert [(f.id, f.claims, f.verdict, f.value) for f in a.facts] == [(f.id, f.claims, f.verdict, f.value)
                                                                       for f in b.facts]
    assert [(f.rule, f.fingerprint) for f in a.findings] == [(f.rule, f.fingerprint) for f in b.findings]


def test_a_distributed_index_equals_a_serial_one(cluster, corpus, serial, tmp_path):
    store = open_store(tmp_path / "d.db")
    stats = index([str(corpus)], store, Config(model=MODEL), client=cluster)
    snap = store.snapshot()
    store.close()
    assert stats.added == len(serial.documents) == 20 and "extract+embed" in stats.timings
    _same(snap, serial)
    # each worker process loaded the model once and kept it
    from reconcile import distributed

    loaded = cluster.run(lambda: sorted(k[0] for k in distributed._STATE))
    assert all(v in ([], [MODEL]) for v in loaded.values()) and any(v == [MODEL] for v in loaded.values())


def test_warmed_workers_use_their_own_threads_only(cluster):
    """``warm`` loads the model on every worker, and a worker of 1 thread runs it (torch, BLAS) on 1 thread."""
    from reconcile import distributed

    distributed.warm(MODEL, Config(model=MODEL).rules_dirs, True, cluster)

    def threads() -> tuple[list[str], list[int | None], int, list[int]]:
        import torch
        from threadpoolctl import threadpool_info

        return (sorted(k[0] for k in distributed._STATE), [e.threads for _, e in distributed._STATE.values()],
                torch.get_num_threads(), [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"])

    for loaded, embedders, torch_threads, blas in cluster.run(threads).values():
        assert loaded == [MODEL] and embedders == [1] and torch_threads == 1 and set(blas) <= {1}


def test_a_killed_worker_loses_and_duplicates_nothing(cluster, corpus, serial, tmp_path, monkeypatch):
    from reconcile import distributed

    pids = cluster.run(os.getpid)
    killed: list[int] = []

    def kill_one(done: int, total: int) -> None:  # after the first batch, one worker process dies
        if not killed:
            killed.append(next(iter(pids.values())))
            os.kill(killed[0], signal.SIGKILL)

    real = distributed.extract_embed
    monkeypatch.setattr(distributed, "extract_embed",
                        lambda *a, **k: real(*a, **{**k, "batch": 2, "progress": kill_one}))
    store = open_store(tmp_path / "k.db")
    index([str(corpus)], store, Config(model=MODEL), client=cluster)
    snap = store.snapshot()
    store.close()
    assert killed and len(snap.documents) == 20
    assert len({c.id for c in snap.claims}) == len(snap.claims)
    _same(snap, serial)


def test_batches_are_large_first_and_small_at_the_end():
    """``batch_sizes``: every document once, the largest batches first, the last ones small enough that the
    workers end together (what is left at the end is a small share of one worker's work)."""
    from reconcile.distributed import BATCH, LARGEST_BATCH, batch_sizes

    for n, slots in ((10_000, 1), (10_000, 2), (10_000, 8), (1_000, 2), (37, 2)):
        sizes = batch_sizes(n, slots)
        assert sum(sizes) == n and sizes == sorted(sizes, reverse=True)
        assert all(BATCH <= s <= LARGEST_BATCH for s in sizes[:-1]) and 0 < sizes[-1] <= LARGEST_BATCH
        # the last batches hold little: a worker that takes one more than the others is not long behind
        assert sum(sizes[-slots:]) <= max(n // (4 * slots), BATCH * slots), (n, slots, sizes[-slots:])
    assert len(batch_sizes(10_000, 2)) < 10_000 // 64  # few tasks, each of many documents
    assert batch_sizes(10_000, 2)[0] == LARGEST_BATCH
    assert batch_sizes(0, 2) == [] and batch_sizes(5, 4) == [5]
