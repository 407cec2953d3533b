"""Archive benchmark: SQLite against PostgreSQL (index throughput, check latency, peak memory), Dask with 1
and 2 workers (extraction plus embedding), and indexing in batches against one batch (B-cubed). A script,
not a test; each measurement runs in a fresh process, with a cold embedding cache.

Usage: python bench/archive.py --articles 10000 [--dask] [--batches 10] [--json bench/archive.json]
       python bench/archive.py --articles 10000 --source A.db --only mirror replicate-sqlite replicate-postgresql
PostgreSQL: a throwaway server is started as in the tests (tests/pg.py). Jobs (``--only``): ``sqlite`` and
``postgresql`` index the corpus; ``mirror`` writes the SQLite archive into PostgreSQL; ``increment`` adds
``--increment`` new articles incrementally and with ``--recluster``; ``replicate-*`` grow the archive
``--replicate`` times (copies of its documents in its facts) to measure checks at a scale too large to index.
Check figures carry CPU seconds beside wall seconds: on a loaded machine the wall time is mostly waiting.
``--batches K`` (with ``--only`` and no job: that alone) indexes in K batches and in one, with per-batch seconds.
Environment: ``ARCHIVE_BENCH_RECENCY=W`` generates the corpus with ``bench/corpus.py --recency W`` (news that
runs in time); ``ARCHIVE_BENCH_BATCH``, ``ARCHIVE_BENCH_THREADS``, ``ARCHIVE_BENCH_CACHE`` (a warm embedding
cache), for the batches job ``ARCHIVE_BENCH_MODEL``, and ``ARCHIVE_BENCH_DASK_PHASE=1`` (the Dask jobs time
extraction plus embedding alone, ``distributed.extract_embed``, without the rest of the index run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DRAFT = ("# Entwurf\n\nNordkorea hat 12.000 Soldaten nach Kursk geschickt, teilte die Armee mit.\n\n"
         "In Gaza wurden rund 5.000 Häuser zerstört.\n")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _recency() -> int | None:
    """The corpus's recency window (``bench/corpus.py --recency``) from ``ARCHIVE_BENCH_RECENCY`` (unset: none)."""
    return int(os.environ.get("ARCHIVE_BENCH_RECENCY", "0")) or None


def _corpus(n: int, out: Path) -> Path:
    from bench.corpus import generate

    w = _recency()
    corpus = out / (f"corpus-{n}" + (f"-r{w}" if w else "") + ".jsonl")
    if not corpus.exists():
        generate(n, out, recency=w)
    return corpus


def _truth(n: int, out: Path) -> dict:
    """The truth of the corpus ``_corpus`` writes."""
    return json.loads(_corpus(n, out).with_suffix(".truth.json").read_text(encoding="utf-8"))


def archive_mb(db: str) -> float:
    """The archive's size on disk: the SQLite file with its WAL, or the reconcile tables with their indexes."""
    from reconcile.store import is_url

    if not is_url(db):
        return sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*")) / 1e6
    import psycopg

    with psycopg.connect(db) as con:
        size = con.execute("SELECT sum(pg_total_relation_size(quote_ident(table_name))) FROM "
                           "information_schema.tables WHERE table_name LIKE 'reconcile_%'").fetchone()[0]
    return float(size) / 1e6


def archive_bcubed(db: str, out: Path, n: int) -> float:
    """B-cubed F1 of the archive's facts against the generated corpus's truth."""
    from bench.run import bcubed
    from reconcile.store import open_store

    truth = _truth(n, out)
    store = open_store(db, create=False)
    try:
        return float(bcubed(store.snapshot(), truth)["bcubed_f1"])
    finally:
        store.close()


def _cpu() -> float:
    """CPU seconds of this process so far (user and system): what a run costs whatever the machine's load."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _check_times(db: str, tmp: str) -> list[tuple[float, float]]:
    """Three checks of one draft against ``db`` with the model loaded (each opens the archive afresh):
    wall and CPU seconds of each."""
    from reconcile.check import check_drafts
    from reconcile.config import Config
    from reconcile.embed import Embedder
    from reconcile.store import open_store

    store = open_store(db, create=False)
    cfg = Config(model=store.fact_index().meta["model"])  # the archive's model
    store.close()
    draft = Path(tmp) / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    fresh = Embedder(cfg.model, cache_dir=tmp)
    _ = fresh.model
    times = []
    for _ in range(3):
        t, c = time.perf_counter(), _cpu()
        store = open_store(db, create=False)
        check_drafts([str(draft)], store, cfg, embedder=fresh)
        store.close()
        times.append((time.perf_counter() - t, _cpu() - c))
    return times


def _check_record(times: list[tuple[float, float]]) -> dict:
    """The check figures of a job: every run's wall seconds, the best, and the best run's CPU seconds."""
    best = min(times)
    return {"check_seconds": [round(w, 2) for w, _ in times], "check_seconds_best_of_3": round(best[0], 2),
            "check_cpu_seconds": round(best[1], 2), "load_average": round(os.getloadavg()[0], 1)}


def _read_archive(src: str) -> tuple[Any, Any, dict[str, list[int]], dict[str, tuple[str, Any]]]:
    """An archive's snapshot and fact index, its claim rows per document and each fact's (block, centroid):
    what ``mirror`` and ``replicate`` write again elsewhere."""
    import numpy as np

    from reconcile.store import open_store

    store = open_store(src, create=False)
    snap, fi = store.snapshot(), store.fact_index()
    store.close()
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(snap.claims):
        by_doc.setdefault(c.document, []).append(i)
    keys = {fid: (b, np.asarray(v)) for fid, b, v in zip(fi.ids, fi.blocks, fi.centroids)}
    return snap, fi, by_doc, keys


def mirror(n: int, out: Path, src: str, db: str) -> dict:
    """PostgreSQL at a size too large to index twice in the time at hand: the SQLite archive ``src`` written
    into ``db`` through ``PostgresStore.replace`` (the same documents, claims, vectors, facts and findings
    an index run writes), then checked as ``backend`` does."""
    from reconcile.store import open_store

    snap, _, by_doc, keys = _read_archive(src)
    upsert = [(d, [snap.claims[i] for i in by_doc.get(d.id, [])], snap.embeddings[by_doc.get(d.id, [])])
              for d in snap.documents]
    target = open_store(db)
    t = time.perf_counter()
    with target.writing():
        target.replace(upsert, [], snap.facts, snap.findings, snap.meta, [keys[f.id] for f in snap.facts])
    write = time.perf_counter() - t
    target.close()
    del snap, upsert
    with tempfile.TemporaryDirectory() as tmp:
        times = _check_times(db, tmp)
    return {"articles": n, "write_seconds": round(write, 1), **_check_record(times),
            "archive_mb": round(archive_mb(db), 1), "bcubed_f1": round(archive_bcubed(db, out, n), 3),
            "peak_rss_mb": round(_rss_mb())}


def _more_articles(n: int, extra: int, out: Path) -> tuple[Path, dict]:
    """``extra`` articles beyond the ``n`` of ``corpus-n`` about the same pool of facts (the generator run on),
    and the truth of all ``n + extra``."""
    import random
    from datetime import date

    from bench.corpus import make_article, make_facts

    rng = random.Random(7)
    facts = make_facts(max(10, n // 2), rng)  # as corpus.generate does, so the articles continue its stream
    truth = []
    path = out / f"corpus-{n}-plus-{extra}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n + extra):
            doc, t = make_article(i, facts, rng, date(2024, 1, 1))
            truth.append(t)
            if i >= n:
                fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path, {"facts": facts, "articles": truth}


def increment(n: int, out: Path, src: str, extra: int) -> dict:
    """``extra`` new articles indexed into copies of the ``n``-article archive ``src``: incrementally, and with
    ``--recluster``; time, facts re-clustered and judged, and B-cubed of each. The model and the embedding
    cache are warmed first (as in a newsroom whose archive was indexed before), so both runs pay only for
    their own work."""
    import shutil

    from bench.run import bcubed
    from reconcile.config import Config
    from reconcile.embed import Embedder, counted_embeddings
    from reconcile.index import index
    from reconcile.store import open_store

    more, truth = _more_articles(n, extra, out)
    res: dict = {"articles": n, "new_articles": extra}
    with tempfile.TemporaryDirectory() as tmp:
        emb = Embedder(Config().model, cache_dir=tmp)
        store = open_store(src, create=False)
        counted_embeddings(emb, store.snapshot().claims)  # the cache an earlier index run would have left
        store.close()
        for name, recluster in (("incremental", False), ("recluster", True)):
            db = Path(tmp) / f"{name}.db"
            for suffix in ("", "-wal"):
                if Path(src + suffix).exists():
                    shutil.copy(src + suffix, str(db) + suffix)
            store = open_store(db)
            t = time.perf_counter()
            st = index([str(_corpus(n, out)), str(more)], store, Config(), embedder=emb, recluster=recluster)
            res[name] = {"seconds": round(time.perf_counter() - t, 1), "reclustered": st.reclustered, "facts": st.facts,
                         "facts_new_or_changed": st.facts_changed, "facts_judged": st.facts_judged,
                         "timings": {k: round(v, 1) for k, v in st.timings.items()},
                         "bcubed_f1": round(bcubed(store.snapshot(), truth)["bcubed_f1"], 3)}
            store.close()
    return res


def replicate(n: int, src: str, db: str, factor: int) -> dict:
    """An archive ``factor`` times the size of ``src``, for check latency and size at a scale too large to
    index here: every document copied ``factor`` times under new ids (claims and vectors with it), each
    fact holding its claims' copies (as a clustering that finds whole facts would). Then checked as
    ``backend`` does. Not an index run: its facts are the source's, grown."""
    from dataclasses import replace as copy

    from reconcile.cluster import fact_id
    from reconcile.store import open_store

    snap, fi, by_doc, key = _read_archive(src)
    upsert = []
    for k in range(factor):
        tag = f"~r{k}" if k else ""
        for d in snap.documents:
            rows = by_doc.get(d.id, [])
            upsert.append((copy(d, id=d.id + tag, path=d.path + tag),
                           [copy(snap.claims[i], id=snap.claims[i].id + tag, document=d.id + tag) for i in rows],
                           snap.embeddings[rows]))
    facts, keys = [], []
    for f in snap.facts:
        claims = [cid + (f"~r{k}" if k else "") for k in range(factor) for cid in f.claims]
        facts.append(copy(f, id=fact_id(claims), claims=claims, documents=f.documents * factor))
        keys.append(key[f.id])
    findings = [copy(fd, fact=facts[i].id) for i, f in enumerate(snap.facts) for fd in snap.findings
                if fd.fact == f.id]
    del snap
    target = open_store(db)
    t = time.perf_counter()
    with target.writing():
        target.replace(upsert, [], facts, findings, {k: fi.meta[k] for k in ("model", "last_indexed")}, keys)
    write = time.perf_counter() - t
    counts = target.stats()
    target.close()
    del upsert
    with tempfile.TemporaryDirectory() as tmp:
        times = _check_times(db, tmp)
    return {"articles": n * factor, "replicated_from": n, **{k: counts[k] for k in ("documents", "claims", "facts")},
            "write_seconds": round(write, 1), **_check_record(times), "archive_mb": round(archive_mb(db), 1),
            "peak_rss_mb": round(_rss_mb())}


def _log(stage: str, done: int, total: int) -> None:
    """Progress of a long index run on stderr (time, stage, RSS): each batch's start and each stage's end,
    so that a run stopped before its end still shows what every batch cost."""
    if stage == "batch" or done == total:
        print(f"{time.strftime('%H:%M:%S')} {stage} {done}/{total} rss {_rss_mb():.0f} MB "
              f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)


def backend(n: int, out: Path, db: str) -> dict:
    """Index n articles into ``db`` (in batches of ``ARCHIVE_BENCH_BATCH``, the config's default when unset),
    then check one draft against it with the model loaded."""
    from reconcile.config import Config
    from reconcile.embed import Embedder
    from reconcile.index import index
    from reconcile.store import open_store

    corpus = _corpus(n, out)
    cfg = Config()
    cache = os.environ.get("ARCHIVE_BENCH_CACHE")  # a warm embedding cache shared by the runs, when set
    threads = int(os.environ.get("ARCHIVE_BENCH_THREADS", "0")) or None  # BLAS threads of the model
    batch = int(os.environ.get("ARCHIVE_BENCH_BATCH", "0")) or None
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(db)
        t = time.perf_counter()
        stats = index([str(corpus)], store, cfg, embedder=Embedder(cfg.model, cache_dir=cache or tmp, threads=threads),
                      progress=_log, batch=batch)
        build = time.perf_counter() - t
        store.close()
        rss, kids = _rss_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        times = _check_times(db, tmp)
    return {"articles": n, "claims": stats.claims, "facts": stats.facts, "index_seconds": round(build, 1),
            "index_docs_per_s": round(n / build, 1), "timings": {k: round(v, 1) for k, v in stats.timings.items()},
            "batches": stats.batches,
            **_check_record(times), "peak_rss_mb": round(rss),
            # the largest forked worker (extraction, clustering, rules): it shares the index's pages it has not
            # written to, so the two peaks are not a sum
            "peak_rss_largest_worker_mb": round(kids), "archive_mb": round(archive_mb(db), 1),
            "bcubed_f1": round(archive_bcubed(db, out, n), 3), "warm_cache": bool(cache)}


def _worker_cpu() -> tuple[float, float]:
    """CPU seconds (user and system) of this process and of its children so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def dask(n: int, out: Path, workers: int, threads: int) -> dict:
    """Extraction plus embedding of n articles on a local cluster of ``workers`` processes of ``threads``
    threads each: the workers warmed first (model and lexicon loaded, as on a long-lived cluster; timed
    apart), then the index run, with the workers' CPU seconds beside the wall seconds."""
    from distributed import get_task_stream

    import reconcile.distributed as dist
    from reconcile.config import Config
    from reconcile.index import IndexStats, index
    from reconcile.pipeline import RunResult, ingest
    from reconcile.store import open_store

    corpus = _corpus(n, out)
    cfg = Config(cache=False)
    load = [round(os.getloadavg()[0], 1)]
    phase: dict[str, float] = {}
    real = dist.extract_embed

    def timed(*args: Any, **kwargs: Any) -> Any:  # the client's own CPU while the workers extract and embed
        c = _cpu()
        try:
            return real(*args, **kwargs)
        finally:
            phase["client_cpu"] = _cpu() - c

    dist.extract_embed = timed  # index.py imports it when it runs
    read = RunResult()
    ingest([str(corpus)], cfg, read)
    only = os.environ.get("ARCHIVE_BENCH_DASK_PHASE") == "1"  # extraction plus embedding alone, no index run
    with tempfile.TemporaryDirectory() as tmp, dist.cluster_client(workers=workers, threads=threads) as client:
        # the model, the lexicon and the extraction's own tables loaded on every worker (two documents extracted)
        warm_s = dist.warm(cfg.model, cfg.rules_dirs, cfg.cache, client, read.documents[:2])
        before = client.run(_worker_cpu)
        store = open_store(Path(tmp) / "a.db")
        t, c = time.perf_counter(), _cpu()
        with get_task_stream(client) as stream:
            if only:
                dist.extract_embed(read.documents, cfg.model, cfg.rules_dirs, cfg.cache, client)
                stats = IndexStats(timings={"extract+embed": time.perf_counter() - t})
            else:
                stats = index([str(corpus)], store, cfg, client=client)
        total, client_cpu = time.perf_counter() - t, _cpu() - c
        after = client.run(_worker_cpu)
        store.close()
        load.append(round(os.getloadavg()[0], 1))
    dist.extract_embed = real
    per_worker = sorted(round(after[w][0] - before[w][0], 1) for w in after)
    return {"articles": n, "workers": workers, "threads_per_worker": threads, "claims": stats.claims or None,
            "phase_only": only,
            **_occupancy(stream.data, workers * threads),
            "warm_seconds": round(warm_s, 1), "extract_embed_seconds": round(stats.timings["extract+embed"], 1),
            "workers_cpu_seconds": round(sum(per_worker), 1), "per_worker_cpu_seconds": per_worker,
            "client_cpu_extract_embed_seconds": round(phase.get("client_cpu", 0.0), 1),
            "index_seconds": round(total, 1),
            "client_cpu_seconds": round(client_cpu, 1), "timings": {k: round(v, 1) for k, v in stats.timings.items()},
            "load_average": load, "client_peak_rss_mb": round(_rss_mb())}


def speed_up(results: list[dict]) -> dict | None:
    """Two workers against one (``dask-1x1``, ``dask-2x1``) on extraction plus embedding: by wall seconds
    (what an idle machine shows), and by CPU seconds (the one worker's CPU over the busier of the two's:
    the wall speed-up each worker on a core of its own would give, which other people's load does not
    change), with both runs' load averages."""
    by = {r["job"]: r for r in results}
    one, two = by.get("dask-1x1"), by.get("dask-2x1")
    if not one or not two:
        return None
    return {"job": "dask-speed-up", "articles": one["articles"],
            "wall": round(one["extract_embed_seconds"] / two["extract_embed_seconds"], 2),
            "cpu": round(one["workers_cpu_seconds"] / max(two["per_worker_cpu_seconds"]), 2),
            "wall_seconds_1_2": [one["extract_embed_seconds"], two["extract_embed_seconds"]],
            "per_worker_cpu_seconds_1_2": [one["per_worker_cpu_seconds"], two["per_worker_cpu_seconds"]],
            "client_cpu_seconds_1_2": [r["client_cpu_extract_embed_seconds"] for r in (one, two)],
            "load_average_1_2": [one["load_average"], two["load_average"]]}


def _occupancy(tasks: list[dict], slots: int) -> dict:
    """From a Dask task stream: the batches, their mean compute seconds, and how busy the worker threads
    were between the first batch's start and the last one's end (1.0: never idle, no per-task gaps)."""
    spans = [(s["start"], s["stop"]) for t in tasks for s in t["startstops"] if s["action"] == "compute"]
    if not spans:
        return {}
    busy = sum(b - a for a, b in spans)
    span = max(b for _, b in spans) - min(a for a, _ in spans)
    return {"tasks": len(spans), "task_seconds_mean": round(busy / len(spans), 2),
            "worker_occupancy": round(busy / (span * slots), 3) if span else 1.0}


def serial(n: int, out: Path, threads: int) -> dict:
    """The same index run in one process, no cluster (the model loaded first, with ``threads`` BLAS threads):
    the reference the Dask runs are compared with."""
    from reconcile.config import Config
    from reconcile.embed import Embedder
    from reconcile.index import index
    from reconcile.store import open_store

    corpus = _corpus(n, out)
    cfg = Config(cache=False)
    emb = Embedder(cfg.model, use_cache=False, threads=threads)
    emb.model.encode(["warm"])
    load = [round(os.getloadavg()[0], 1)]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "a.db")
        t, c = time.perf_counter(), _cpu()
        stats = index([str(corpus)], store, cfg, embedder=emb)
        total, cpu = time.perf_counter() - t, _cpu() - c
        store.close()
    load.append(round(os.getloadavg()[0], 1))
    tm = stats.timings
    return {"articles": n, "threads": threads, "claims": stats.claims,
            "extract_embed_seconds": round(tm["extract"] + tm["embed"], 1), "index_seconds": round(total, 1),
            "cpu_seconds": round(cpu, 1), "timings": {k: round(v, 1) for k, v in tm.items()}, "load_average": load}


def batches(n: int, out: Path, k: int) -> dict:
    """B-cubed and per-batch seconds of one index run in ``k`` batches (``index(..., batch=)``: the first batch
    clustered whole, each later one joined incrementally) against one batch, with one warm embedding cache
    (the ``k``-batch run first: it fills the cache). ``ARCHIVE_BENCH_MODEL`` chooses the model."""
    from bench.run import bcubed
    from reconcile.config import Config
    from reconcile.embed import Embedder
    from reconcile.index import index
    from reconcile.store import open_store

    corpus, truth = _corpus(n, out), _truth(n, out)
    cfg = Config(model=os.environ.get("ARCHIVE_BENCH_MODEL") or Config().model)
    res: dict[str, Any] = {"articles": n, "recency": _recency(), "model": cfg.model}
    with tempfile.TemporaryDirectory() as tmp:
        emb = Embedder(cfg.model, cache_dir=os.environ.get("ARCHIVE_BENCH_CACHE") or tmp)
        for parts in (k, 1):
            store = open_store(Path(tmp) / f"b{parts}.db")
            t = time.perf_counter()
            st = index([str(corpus)], store, cfg, embedder=emb, progress=_log, batch=-(-n // parts))
            res[f"seconds_{parts}_batches"] = round(time.perf_counter() - t, 1)
            res[f"bcubed_f1_{parts}_batches"] = round(bcubed(store.snapshot(), truth)["bcubed_f1"], 3)
            res[f"facts_{parts}_batches"] = st.facts
            res[f"per_batch_{parts}"] = st.batches
            store.close()
    return res


def _child(kind: str, args: list[str], n: int, out: Path) -> dict:
    """One job, in this (fresh) process: ``kind`` with its ``|``-separated arguments."""
    if kind == "backend":
        return backend(n, out, args[0])
    if kind == "dask":
        return dask(n, out, int(args[0]), int(args[1]))
    if kind == "serial":
        return serial(n, out, int(args[0]))
    if kind == "mirror":
        return mirror(n, out, args[0], args[1])
    if kind == "increment":
        return increment(n, out, args[0], int(args[1]))
    if kind == "replicate":
        return replicate(n, args[0], args[1], int(args[2]))
    return batches(n, out, int(args[0]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--dask", action="store_true", help="also a serial run and Dask workers x threads 1x1, 2x1, 1x2")
    ap.add_argument("--dask-runs", nargs="*", default=["serial", "1x1", "2x1", "1x2"],
                    help="with --dask: which runs (serial, and workers x threads), in this order; 1x1 and 2x1 "
                         "give the speed-up record (dask-speed-up: by wall and by the workers' CPU seconds)")
    ap.add_argument("--batches", type=int, default=0, help="also index in this many batches")
    ap.add_argument("--out", default=str(HERE / "out"))
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--only", nargs="*", default=["sqlite", "postgresql"],
                    help="of the jobs sqlite, postgresql, mirror (PostgreSQL loaded from the SQLite archive), "
                         "increment (with --dask and --batches: those too)")
    ap.add_argument("--increment", type=int, default=100, help="new articles for the increment job")
    ap.add_argument("--source", help="an existing SQLite archive of --articles articles instead of the sqlite job's")
    ap.add_argument("--replicate", type=int, default=10, help="the factor of the replicate-* jobs")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.child:
        kind, arg = a.child.split(":", 1)
        r = _child(kind, arg.split("|"), a.articles, out)
        print(json.dumps(r))
        return 0
    _corpus(a.articles, out)
    results = []
    from tests.pg import postgres_server

    with tempfile.TemporaryDirectory() as tmp, postgres_server() as pg:
        lite = a.source or str(Path(tmp) / "a.db")
        big = str(Path(tmp) / "replica.db")
        jobs = [(j, name) for j, name in [("backend:" + lite, "sqlite"), ("backend:" + pg, "postgresql"),
                                          (f"mirror:{lite}|{pg}", "mirror"),
                                          (f"increment:{lite}|{a.increment}", "increment"),
                                          (f"replicate:{lite}|{big}|{a.replicate}", "replicate-sqlite"),
                                          (f"replicate:{lite}|{pg}|{a.replicate}", "replicate-postgresql")]
                if name in a.only]
        jobs.sort(key=lambda j: a.only.index(j[1]))  # in the order asked for
        runs = a.dask_runs if a.dask else []
        jobs += [("serial:1", "serial-1-thread")] if "serial" in runs else []
        jobs += [(f"dask:{r.replace('x', '|')}", f"dask-{r}") for r in runs if r != "serial"]
        jobs += [(f"batches:{a.batches}", "batches")] if a.batches else []
        for job, name in jobs:
            env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
            p = subprocess.run([sys.executable, __file__, "--child", job, "--articles", str(a.articles),
                                "--out", str(out)], capture_output=True, text=True, env=env)
            if p.returncode != 0:
                print(p.stderr[-3000:], file=sys.stderr)
                return 1
            results.append({"job": name, **json.loads(p.stdout.strip().splitlines()[-1])})
            print(json.dumps(results[-1]), flush=True)
        summary = speed_up(results)
        if summary:
            results.append(summary)
            print(json.dumps(summary), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
