"""Per-stage benchmark of reconcile on generated corpora (see bench/corpus.py). A script, not a test.

For each size, in a fresh process (so peak memory is that size's own) and with a cold embedding cache:
ingest, extraction, embedding, clustering, rules (with confidence) and report (JSON record and render),
with wall time, CPU time (the process's and its workers'), throughput, peak RSS and the ratio of the whole
run to embedding alone; extraction throughput in MB/s on one core; B-cubed of claims to the generated facts;
and, with --check, the archive (`reconcile index`) build throughput, its size on disk and the time to check
one draft against it. ``--jobs`` sets the local processes of extraction, clustering and rules.

Usage: python bench/run.py --sizes 1000 10000 [--check 10000] [--json bench/results.json]
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
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clock() -> tuple[float, float]:
    """The wall clock and the CPU seconds (``_cpu``) at the start of a stage."""
    return time.perf_counter(), _cpu()


def _cpu() -> float:
    """CPU seconds (user and system) of this process and of its children that ended (the stage's workers, which
    each stage's pool joins before it returns): a stage's CPU time, which other people's load does not inflate
    as it does the wall time."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def bcubed(result, truth: dict) -> dict[str, float]:
    """B-cubed of claims to generated facts; a claim is matched to the mention of its article with its value."""
    fact_of = {cid: f.id for f in result.facts for cid in f.claims}
    by_doc = defaultdict(list)
    for c in result.claims:
        by_doc[c.document].append(c)
    pairs, mentions = [], 0
    for art in truth["articles"]:
        cs = list(by_doc.get(art["id"], []))
        for m in art["mentions"]:
            mentions += 1
            hit = next((c for c in cs if abs(c.value - m["value"]) < 1e-6 * max(1, m["value"])), None)
            if hit:
                cs.remove(hit)
                pairs.append((m["fact"], fact_of[hit.id]))
    by_pred, by_gold = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    for g, p in pairs:
        by_pred[p][g] += 1
        by_gold[g][p] += 1
    n = len(pairs) or 1
    prec = sum(by_pred[p][g] / sum(by_pred[p].values()) for g, p in pairs) / n
    rec = sum(by_gold[g][p] / sum(by_gold[g].values()) for g, p in pairs) / n
    return {"mention_recall": len(pairs) / max(1, mentions), "bcubed_precision": prec, "bcubed_recall": rec,
            "bcubed_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def one_size(n: int, out: Path, jobs: int = 0) -> dict:
    """Run in a child process: the whole pipeline, stage by stage (extraction, clustering and rules on ``jobs``
    local processes)."""
    from bench.corpus import generate
    from reconcile.cluster import ClusterParams, cluster_claims
    from reconcile.config import Config
    from reconcile.embed import Embedder, counted_embeddings
    from reconcile.lexicon import load_lexicon
    from reconcile.pipeline import RunResult, extract, ingest, judge
    from reconcile.render import render_to
    from reconcile.report import build_record
    from reconcile.workers import worker_count

    corpus, truth_path = out / f"corpus-{n}.jsonl", out / f"corpus-{n}.truth.json"
    if not corpus.exists():
        generate(n, out)
    cfg, res, stages, t0, cpu0 = Config(jobs=jobs), RunResult(), {}, time.perf_counter(), _cpu()

    def stage(name: str, t: tuple[float, float], items: int, unit: str) -> None:
        dt = time.perf_counter() - t[0]
        stages[name] = {"seconds": round(dt, 2), "cpu_seconds": round(_cpu() - t[1], 2),
                        f"{unit}_per_s": round(items / dt, 1) if dt else None, "peak_rss_mb": round(_rss_mb())}

    t = _clock()
    ingest([str(corpus)], cfg, res)
    stage("ingest", t, len(res.documents), "docs")
    lex = load_lexicon()
    t = _clock()
    extract(res, cfg)  # on cfg.jobs local processes (reconcile.workers), as `reconcile report` extracts
    stage("extract", t, len(res.documents), "docs")
    stages["extract"]["workers"] = worker_count(cfg.jobs, len(res.documents))
    mb = sum(len(d.text.encode()) for d in res.documents) / 1e6
    stages["extract"]["mb_per_s"] = round(mb / stages["extract"]["seconds"], 2)
    with tempfile.TemporaryDirectory() as cache:
        emb_model = Embedder(cfg.model, cache_dir=cache)
        load = _load(emb_model)
        t = _clock()
        emb = emb_model.encode([c.key_text for c in res.claims])
        counted = counted_embeddings(emb_model, res.claims)  # the counted phrases: part of the embedding stage
        stage("embed", t, len(res.claims), "claims")
        stages["embed"]["model_load_seconds"] = round(load, 2)
    t = _clock()
    res.facts = cluster_claims(res.claims, emb, ClusterParams(threshold=cfg.cluster_threshold), lex, counted,
                               cfg.jobs)
    stage("cluster", t, len(res.claims), "claims")
    del emb  # the vectors are not needed after clustering
    t = _clock()
    docs = {d.id: d for d in res.documents}
    res.findings, _ = judge(res.facts, res.claims, docs, cfg)
    stage("rules", t, len(res.facts), "facts")
    t = _clock()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as fh:  # as `reconcile report -o`: streamed to a file
        render_to(build_record(res), "json", fh)
        fh.flush()
        report_bytes = os.fstat(fh.fileno()).st_size
    stage("report", t, len(res.facts), "facts")
    total = time.perf_counter() - t0
    quality = bcubed(res, json.loads(truth_path.read_text(encoding="utf-8")))
    return {"articles": n, "claims": len(res.claims), "facts": len(res.facts), "megabytes": round(mb, 2),
            "report_bytes": report_bytes, "stages": stages, **_totals(total, stages),
            "total_cpu_seconds": round(_cpu() - cpu0, 1),
            "peak_rss_mb": round(_rss_mb()), "quality": {k: round(v, 3) for k, v in quality.items()}}


def _load(embedder: Any) -> float:
    """Load the model once, outside the timing of embedding proper; the seconds it took."""
    t = time.perf_counter()
    _ = embedder.model
    return time.perf_counter() - t


def _totals(total: float, stages: dict) -> dict:
    """The whole run's time, and over the embedding floor: the embedding stage run on its own, which has to
    load the model too (the total includes the load, so the floor does as well; also without it on both sides)."""
    embed, load = stages["embed"]["seconds"], stages["embed"]["model_load_seconds"]
    return {"total_seconds": round(total, 1), "total_over_embed": round(total / (embed + load), 2),
            "total_over_embed_without_model_load": round((total - load) / embed, 2)}


def check_bench(n: int, out: Path) -> dict:
    """Index n articles into an archive, then check one draft against it (model load reported apart)."""
    from bench.corpus import generate
    from reconcile.check import check_drafts
    from reconcile.config import Config
    from reconcile.embed import Embedder
    from reconcile.index import index
    from reconcile.store import open_store

    corpus = out / f"corpus-{n}.jsonl"
    if not corpus.exists():
        generate(n, out)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        cfg = Config()
        emb = Embedder(cfg.model, cache_dir=tmp)
        store = open_store(db)
        t = time.perf_counter()
        stats = index([str(corpus)], store, cfg, embedder=emb)
        build = time.perf_counter() - t
        store.close()
        draft = Path(tmp) / "draft.md"
        draft.write_text("# Entwurf\n\nNordkorea hat 12.000 Soldaten nach Kursk geschickt, teilte die Armee mit.\n\n"
                         "In Gaza wurden rund 5.000 Häuser zerstört.\n", encoding="utf-8")
        t = time.perf_counter()
        fresh = Embedder(cfg.model, cache_dir=tmp)
        _ = fresh.model
        load = time.perf_counter() - t
        t = time.perf_counter()
        store = open_store(db, create=False)
        res = check_drafts([str(draft)], store, cfg, embedder=fresh)  # reads only the facts near the draft
        check = time.perf_counter() - t
        t = time.perf_counter()
        store.fact_index()
        read = time.perf_counter() - t
        read_facts = len(res.archive.facts) if res.archive else 0
        store.close()
        return {"articles": n, "claims": stats.claims, "facts": stats.facts,
                "index_seconds": round(build, 1), "index_docs_per_s": round(n / build, 1),
                "archive_mb": round(db.stat().st_size / 1e6, 1) + round(
                    sum(p.stat().st_size for p in Path(tmp).glob("archive.db-*")) / 1e6, 1),
                "check_seconds": round(check, 2), "fact_index_read_seconds": round(read, 2),
                "facts_read_in_full": read_facts,
                "model_load_seconds": round(load, 2), "draft_findings": [f.rule for f in res.findings],
                "peak_rss_mb": round(_rss_mb())}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--check", type=int, default=0, help="also benchmark index and check at this many articles")
    ap.add_argument("--out", default=str(HERE / "out"))
    ap.add_argument("--json", help="append results to this JSON file")
    ap.add_argument("--jobs", type=int, default=0,
                    help="local processes of extraction, clustering and rules (0 = one per core, as `report`)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    out = Path(a.out)
    if a.child:
        kind, n = a.child.split(":")
        r = one_size(int(n), out, a.jobs) if kind == "run" else check_bench(int(n), out)
        print(json.dumps(r))
        return 0
    results = []
    jobs = [f"run:{n}" for n in a.sizes] + ([f"check:{a.check}"] if a.check else [])
    for job in jobs:
        env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
        p = subprocess.run([sys.executable, __file__, "--child", job, "--out", str(out), "--jobs", str(a.jobs)],
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            print(p.stderr[-3000:], file=sys.stderr)
            return 1
        r = json.loads(p.stdout.strip().splitlines()[-1])
        r["job"] = job
        results.append(r)
        print(json.dumps(r, indent=1))
    if a.json:
        path = Path(a.json)
        old = json.loads(path.read_text()) if path.exists() else []
        path.write_text(json.dumps(old + results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
