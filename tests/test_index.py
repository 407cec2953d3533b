"""Incremental facts (``reconcile/index.py``): new articles join the facts that are there without
re-clustering the archive, facts away from what changed keep their ids and verdicts, re-indexing the same
inputs changes nothing, and indexing the generated corpus in ten batches agrees with one batch."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from bench.corpus import generate
from bench.run import bcubed
from reconcile.config import Config
from reconcile.embed import Embedder
from reconcile.index import IndexStats, index
from reconcile.store import ArchiveSnapshot, open_store

MODEL = "all-MiniLM-L6-v2"  # the small model: these tests are about the archive's facts, not the embedding
ARTICLES = 120
BATCHES = 10


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _snapshot(db: Path) -> ArchiveSnapshot:
    store = open_store(db, create=False)
    try:
        return store.snapshot()
    finally:
        store.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """The generated corpus indexed in one batch and in ten (each run adds the next slice)."""
    tmp = tmp_path_factory.mktemp("incremental")
    path, truth = generate(ARTICLES, tmp)
    lines = path.read_text(encoding="utf-8").splitlines()
    cfg = Config(model=MODEL)
    emb = Embedder(MODEL)
    runs: dict[int, list[IndexStats]] = {}
    for parts in (1, BATCHES):
        store = open_store(tmp / f"b{parts}.db")
        runs[parts] = [index([_write(tmp / f"part{parts}.jsonl", lines[:len(lines) * i // parts])], store, cfg,
                             embedder=emb) for i in range(1, parts + 1)]
        store.close()
    return {"tmp": tmp, "lines": lines, "truth": json.loads(truth.read_text(encoding="utf-8")), "runs": runs,
            "cfg": cfg, "emb": emb}


def test_ten_batches_agree_with_one_batch(corpus):
    runs = corpus["runs"][BATCHES]
    assert runs[0].reclustered and not any(r.reclustered for r in runs[1:])  # the later runs were incremental
    one = bcubed(_snapshot(corpus["tmp"] / "b1.db"), corpus["truth"])["bcubed_f1"]
    ten = bcubed(_snapshot(corpus["tmp"] / f"b{BATCHES}.db"), corpus["truth"])["bcubed_f1"]
    assert abs(one - ten) <= 0.03, (one, ten)
    assert ten > 0.5  # facts, not one claim each nor one heap


def test_every_claim_is_in_exactly_one_fact_after_incremental_runs(corpus):
    snap = _snapshot(corpus["tmp"] / f"b{BATCHES}.db")
    assigned = [cid for f in snap.facts for cid in f.claims]
    assert sorted(assigned) == sorted(c.id for c in snap.claims)


def test_reindexing_the_same_inputs_changes_no_fact(corpus, tmp_path):
    db = corpus["tmp"] / f"b{BATCHES}.db"
    before = _snapshot(db)
    store = open_store(db)
    stats = index([str(corpus["tmp"] / f"part{BATCHES}.jsonl")], store, corpus["cfg"], embedder=corpus["emb"])
    store.close()
    after = _snapshot(db)
    assert (stats.reclustered, stats.facts_changed, stats.facts_judged) == (False, 0, 0)
    assert [asdict(f) for f in after.facts] == [asdict(f) for f in before.facts]
    assert [asdict(f) for f in after.findings] == [asdict(f) for f in before.findings]


def test_a_new_article_leaves_the_facts_away_from_it_alone(corpus, tmp_path):
    lines = corpus["lines"]
    store = open_store(tmp_path / "a.db")
    index([_write(tmp_path / "a.jsonl", lines[:-1])], store, corpus["cfg"], embedder=corpus["emb"])
    before = {f.id: asdict(f) for f in store.snapshot().facts}
    stats = index([_write(tmp_path / "a.jsonl", lines)], store, corpus["cfg"], embedder=corpus["emb"])
    snap = store.snapshot()
    store.close()
    new_claims = [c for c in snap.claims if c.document == json.loads(lines[-1])["id"]]
    kept = [f for f in snap.facts if f.id in before and asdict(f) == before[f.id]]
    assert not stats.reclustered and stats.added == 1 and new_claims
    assert stats.facts_judged < len(snap.facts)  # not the whole archive re-judged
    # at most the facts nearest each new claim were re-clustered; the rest are the same facts, verdicts and all
    assert len(kept) >= len(before) - 5 * len(new_claims)
    assert all(c.id in {cid for f in snap.facts for cid in f.claims} for c in new_claims)


def test_a_removed_article_takes_its_claims_out_of_their_facts(corpus, tmp_path):
    lines = corpus["lines"]
    store = open_store(tmp_path / "r.db")
    index([_write(tmp_path / "r.jsonl", lines)], store, corpus["cfg"], embedder=corpus["emb"])
    gone = json.loads(lines[0])["id"]
    stats = index([_write(tmp_path / "r.jsonl", lines[1:])], store, corpus["cfg"], embedder=corpus["emb"])
    snap = store.snapshot()
    store.close()
    assert stats.removed == 1 and not stats.reclustered and stats.facts_changed >= 1
    assert gone not in {c.document for c in snap.claims}
    assert sorted(cid for f in snap.facts for cid in f.claims) == sorted(c.id for c in snap.claims)


def test_recluster_and_a_changed_clustering_rebuild_every_fact(corpus, tmp_path):
    db = tmp_path / "c.db"
    part = _write(tmp_path / "c.jsonl", corpus["lines"][:40])
    store = open_store(db)
    index([part], store, corpus["cfg"], embedder=corpus["emb"])
    again = index([part], store, corpus["cfg"], embedder=corpus["emb"], recluster=True)
    other = index([part], store, Config(model=MODEL, cluster_threshold=0.6), embedder=corpus["emb"])
    store.close()
    assert again.reclustered and again.facts_judged == again.facts
    assert other.reclustered


def test_the_clustering_fingerprint_names_how_neighbours_are_searched():
    """An archive clustered without the figure-blind neighbour search (before 0.10.0) is re-clustered whole."""
    from reconcile.cluster import ClusterParams
    from reconcile.index import clustering_fingerprint

    base = clustering_fingerprint(ClusterParams(threshold=0.75))
    assert clustering_fingerprint(ClusterParams(threshold=0.75)) == base
    assert clustering_fingerprint(ClusterParams(threshold=0.75, figure_blind_search=False)) != base
    assert clustering_fingerprint(ClusterParams(threshold=0.6)) != base


def test_a_changed_article_rejudges_the_facts_of_its_claims(corpus, tmp_path):
    lines = corpus["lines"]
    store = open_store(tmp_path / "x.db")
    index([_write(tmp_path / "x.jsonl", lines)], store, corpus["cfg"], embedder=corpus["emb"])
    doc = json.loads(lines[-1])
    at = next(i for i, ch in enumerate(doc["text"]) if ch.isdigit() and ch != "0")
    doc["text"] = doc["text"][:at] + str(int(doc["text"][at]) % 9 + 1) + doc["text"][at + 1:]  # offsets kept
    stats = index([_write(tmp_path / "x.jsonl", lines[:-1] + [json.dumps(doc, ensure_ascii=False)])], store,
                  corpus["cfg"], embedder=corpus["emb"])
    snap = store.snapshot()
    store.close()
    assert stats.changed == 1 and not stats.reclustered
    fact_of = {cid: f for f in snap.facts for cid in f.claims}
    for c in (c for c in snap.claims if c.document == doc["id"]):
        f = fact_of[c.id]  # re-judged: its figures' spread is that of the claims as they are now
        assert f.spread_low is not None and f.spread_high is not None and f.spread_low <= c.value <= f.spread_high


def test_the_rules_that_look_across_facts_say_so():
    # an incremental run re-runs only these on the facts near a change: a check kind that reads other facts
    # without declaring it would leave stale findings there
    import inspect

    from reconcile.checks import ACROSS_FACTS, KINDS

    reading = {kind for kind, m in KINDS.items()
               if "ctx.facts" in inspect.getsource(m) or "facts_by_document" in inspect.getsource(m)}
    assert reading and reading == ACROSS_FACTS
