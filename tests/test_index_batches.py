"""A first index in batches (``reconcile/index.py``, ``index_batch``): more new documents than one batch are
indexed a batch at a time, each committed; no claim is left outside a fact, every finding belongs to a fact
of the archive, the quality is that of one batch, a stopped run keeps its batches and goes on from there,
and PostgreSQL builds the same archive as SQLite."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

import reconcile.index as index_module
from bench.corpus import generate
from bench.run import bcubed
from reconcile.config import Config
from reconcile.embed import Embedder
from reconcile.index import IndexStats, index
from reconcile.store import ArchiveSnapshot, Store, StoreError, open_store

MODEL = "all-MiniLM-L6-v2"  # the small model: these tests are about the archive's facts, not the embedding
ARTICLES = 120
BATCH = 40  # three batches


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The generated corpus indexed in one batch and in batches of ``BATCH``, each a first index."""
    tmp = tmp_path_factory.mktemp("batches")
    path, truth = generate(ARTICLES, tmp)
    cfg = Config(model=MODEL)
    emb = Embedder(MODEL, cache_dir=tmp / "cache")
    stats: dict[int, IndexStats] = {}
    for size in (ARTICLES, BATCH):
        store = open_store(tmp / f"b{size}.db")
        stats[size] = index([str(path)], store, cfg, embedder=emb, batch=size)
        store.close()
    return {"tmp": tmp, "path": path, "truth": json.loads(truth.read_text(encoding="utf-8")), "stats": stats,
            "cfg": cfg, "emb": emb}


def _read(db: Path | str) -> tuple[ArchiveSnapshot, dict, list[str]]:
    """An archive's snapshot, its ``reconcile stats`` summary and its fact index's ids."""
    store = open_store(db, create=False)
    try:
        return store.snapshot(), store.stats(), store.fact_index().ids
    finally:
        store.close()


def _consistent(snap: ArchiveSnapshot, summary: dict, indexed: list[str]) -> None:
    """Every claim in exactly one fact, every fact indexed and judged, every finding of a fact there."""
    assert summary["unassigned_claims"] == 0
    assert sorted(cid for f in snap.facts for cid in f.claims) == sorted(c.id for c in snap.claims)
    assert indexed == [f.id for f in snap.facts]
    doc_of = {c.id: c.document for c in snap.claims}
    assert all(f.documents == len({doc_of[cid] for cid in f.claims}) for f in snap.facts)
    # judged: each fact explained, and its claims' origins are its claims
    assert all(f.explanation and {c for cids in f.origin_claims.values() for c in cids} == set(f.claims)
               for f in snap.facts)
    assert {fd.fact for fd in snap.findings} <= {f.id for f in snap.facts}


def test_a_first_index_in_batches_agrees_with_one_batch(corpus):
    one, three = corpus["stats"][ARTICLES], corpus["stats"][BATCH]
    assert len(one.batches) == 1 and [b["documents"] for b in three.batches] == [BATCH] * (ARTICLES // BATCH)
    assert three.reclustered and three.added == ARTICLES and three.documents == ARTICLES
    assert [b["archive_claims"] for b in three.batches] == sorted({b["archive_claims"] for b in three.batches})
    snap, summary, indexed = _read(corpus["tmp"] / f"b{BATCH}.db")
    _consistent(snap, summary, indexed)
    assert summary["documents"] == ARTICLES and summary["claims"] == three.claims == one.claims
    f_one = bcubed(_read(corpus["tmp"] / f"b{ARTICLES}.db")[0], corpus["truth"])["bcubed_f1"]
    f_three = bcubed(snap, corpus["truth"])["bcubed_f1"]
    assert abs(f_one - f_three) <= 0.03, (f_one, f_three)
    assert f_three > 0.5  # facts, not one claim each nor one heap


def test_a_run_in_batches_is_its_batches_indexed_one_run_after_another(corpus, tmp_path, monkeypatch):
    # a later batch is an incremental run that never re-clusters the whole archive; so are these runs
    monkeypatch.setattr(index_module, "WHOLE_SHARE", None)
    lines = sorted(corpus["path"].read_text(encoding="utf-8").splitlines(), key=lambda s: json.loads(s)["id"])
    store = open_store(tmp_path / "runs.db")
    for end in range(BATCH, ARTICLES + 1, BATCH):
        (tmp_path / "in.jsonl").write_text("\n".join(lines[:end]) + "\n", encoding="utf-8")
        index([str(tmp_path / "in.jsonl")], store, corpus["cfg"], embedder=corpus["emb"])
    runs = store.snapshot()
    store.close()
    batched = _read(corpus["tmp"] / f"b{BATCH}.db")[0]
    assert [asdict(c) for c in runs.claims] == [asdict(c) for c in batched.claims]
    assert [asdict(f) for f in runs.facts] == [asdict(f) for f in batched.facts]
    assert [asdict(f) for f in runs.findings] == [asdict(f) for f in batched.findings]


def _fail_on_write(store: Store, n: int, monkeypatch) -> None:
    """Make the store's ``n``-th write fail (as a full disk would), the earlier ones go through."""
    real, calls = store.replace, []

    def replace(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise StoreError(f"{store.name}: could not write the archive (disk full); it is left as it was")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "replace", replace)


def test_a_stopped_run_keeps_the_batches_it_committed_and_goes_on(corpus, tmp_path, monkeypatch):
    db = tmp_path / "stopped.db"
    store = open_store(db)
    _fail_on_write(store, 2, monkeypatch)
    with pytest.raises(StoreError, match="disk full"):
        index([str(corpus["path"])], store, corpus["cfg"], embedder=corpus["emb"], batch=BATCH)
    store.close()
    snap, summary, indexed = _read(db)  # a finished archive of the first batch
    assert summary["documents"] == BATCH
    _consistent(snap, summary, indexed)
    store = open_store(db)
    again = index([str(corpus["path"])], store, corpus["cfg"], embedder=corpus["emb"], batch=BATCH)
    store.close()
    assert (again.added, again.unchanged, len(again.batches)) == (ARTICLES - BATCH, BATCH, 2)
    snap, summary, indexed = _read(db)
    _consistent(snap, summary, indexed)
    f_one = bcubed(_read(corpus["tmp"] / f"b{ARTICLES}.db")[0], corpus["truth"])["bcubed_f1"]
    assert abs(bcubed(snap, corpus["truth"])["bcubed_f1"] - f_one) <= 0.03


def _fresh_database(postgres: str, name: str) -> str:
    """The URL of an empty database ``name`` on the test server (dropped first if an earlier run left it)."""
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    return postgres.replace("/postgres?", f"/{name}?")


def test_postgres_builds_the_same_archive_in_batches(corpus, postgres):
    url = _fresh_database(postgres, "batches")
    store = open_store(url)
    stats = index([str(corpus["path"])], store, corpus["cfg"], embedder=corpus["emb"], batch=BATCH)
    store.close()
    assert len(stats.batches) == ARTICLES // BATCH
    pg, summary, indexed = _read(url)
    _consistent(pg, summary, indexed)
    lite = _read(corpus["tmp"] / f"b{BATCH}.db")[0]
    assert pg.claims == lite.claims and (pg.embeddings == lite.embeddings).all()
    assert [asdict(f) for f in pg.facts] == [asdict(f) for f in lite.facts]
    assert [asdict(f) for f in pg.findings] == [asdict(f) for f in lite.findings]


def test_a_batch_below_one_document_is_refused(corpus, tmp_path):
    store = open_store(tmp_path / "none.db")
    with pytest.raises(ValueError, match="at least 1"):
        index([str(corpus["path"])], store, corpus["cfg"], embedder=corpus["emb"], batch=0)
    store.close()


RECENT = 150  # articles of a corpus that runs in time (``bench/corpus.py --recency``), in ten batches
WINDOW = 8  # facts open at a time


@pytest.fixture(scope="module")
def recent(tmp_path_factory) -> dict:
    """A corpus whose articles draw from the facts open at their time, indexed in ten batches and in one."""
    tmp = tmp_path_factory.mktemp("recent")
    path, truth = generate(RECENT, tmp, recency=WINDOW)
    cfg = Config(model=MODEL)
    emb = Embedder(MODEL, cache_dir=tmp / "cache")
    stats: dict[int, IndexStats] = {}
    for size in (RECENT // 10, RECENT):
        store = open_store(tmp / f"b{size}.db")
        stats[size] = index([str(path)], store, cfg, embedder=emb, batch=size)
        store.close()
    return {"tmp": tmp, "path": path, "truth": json.loads(truth.read_text(encoding="utf-8")), "stats": stats,
            "cfg": cfg, "emb": emb}


def test_news_that_runs_in_time_joins_in_ten_batches_at_the_cost_of_its_neighbourhood(recent):
    ten = recent["stats"][RECENT // 10]
    assert len(ten.batches) == 10 and ten.reclustered
    snap, summary, indexed = _read(recent["tmp"] / f"b{RECENT // 10}.db")
    _consistent(snap, summary, indexed)
    f_one = bcubed(_read(recent["tmp"] / f"b{RECENT}.db")[0], recent["truth"])["bcubed_f1"]
    f_ten = bcubed(snap, recent["truth"])["bcubed_f1"]
    assert abs(f_one - f_ten) <= 0.03, (f_one, f_ten)
    assert f_ten > 0.5
    # the first batch is clustered whole; a later one re-clusters its new claims with the facts still open
    # (the neighbourhood), not the archive: over the last six batches what it takes in grows by under half a
    # claim per claim the archive gains (on a corpus whose articles draw from every fact, about 0.8)
    first, *later = ten.batches
    assert first["reclustered_claims"] == first["archive_claims"]
    assert all(b["reclustered_claims"] < b["archive_claims"] for b in later)
    late = later[-6:]
    slope = np.polyfit([b["archive_claims"] for b in late], [b["reclustered_claims"] for b in late], 1)[0]
    assert slope < 0.5, later


def test_postgres_joins_news_in_time_as_sqlite_does(recent, postgres):
    url = _fresh_database(postgres, "recent")
    store = open_store(url)
    stats = index([str(recent["path"])], store, recent["cfg"], embedder=recent["emb"], batch=RECENT // 10)
    store.close()
    assert [b["reclustered_claims"] for b in stats.batches] == [
        b["reclustered_claims"] for b in recent["stats"][RECENT // 10].batches]
    pg, summary, indexed = _read(url)
    _consistent(pg, summary, indexed)
    lite = _read(recent["tmp"] / f"b{RECENT // 10}.db")[0]
    assert [asdict(f) for f in pg.facts] == [asdict(f) for f in lite.facts]
    assert [asdict(f) for f in pg.findings] == [asdict(f) for f in lite.findings]
