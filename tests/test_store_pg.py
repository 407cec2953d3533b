"""The PostgreSQL archive (``reconcile/store_pg.py``) against a real server started for the session
(``tests/pg.py``): the same archive as SQLite, the same checks, schema versions and migrations, one
writer at a time, and checks reading while an index run writes."""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.config import Config
from reconcile.store import SCHEMA_VERSION, StoreError, open_store

from .conftest import SEEDS

MODEL = "all-MiniLM-L6-v2"
DRAFT = "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n\nRussland hat 1.500 Touristen aus Nordkorea empfangen.\n"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _database(server: str) -> str:
    """A new, empty database on the session's server; its URL."""
    import psycopg

    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return server.replace("/postgres?", f"/{name}?")


@pytest.fixture(scope="module")
def archives(postgres, tmp_path_factory) -> tuple[str, Path]:
    """The seeds indexed into PostgreSQL and into SQLite, by the CLI."""
    url = _database(postgres)
    db = tmp_path_factory.mktemp("pg") / "seeds.db"
    for target in (url, str(db)):
        r = _run("index", str(SEEDS), "--db", target, "--model", MODEL)
        assert r.exit_code == 0, r.output
    return url, db


def test_the_postgres_archive_equals_the_sqlite_one(archives):
    url, db = archives
    pg, lite = open_store(url, create=False), open_store(db, create=False)
    try:
        a, b = pg.snapshot(), lite.snapshot()
        assert [d.id for d in a.documents] == [d.id for d in b.documents]
        assert a.claims == b.claims and (a.embeddings == b.embeddings).all()
        assert [(f.id, f.claims, f.verdict) for f in a.facts] == [(f.id, f.claims, f.verdict) for f in b.facts]
        assert [f.fingerprint for f in a.findings] == [f.fingerprint for f in b.findings]
        ia, ib = pg.fact_index(), lite.fact_index()
        assert ia.blocks == ib.blocks and (ia.centroids == ib.centroids).all()
        asked = [a.documents[0].id, "not-in-the-archive", a.documents[-1].id]
        assert pg.known_documents(asked) == lite.known_documents(asked) == {asked[0], asked[2]}
        assert pg.known_documents([]) == lite.known_documents([]) == set()
    finally:
        pg.close()
        lite.close()
    r = _run("stats", "--db", url, "--format", "json")
    s = json.loads(r.stdout)
    assert s["schema"] == SCHEMA_VERSION and s["documents"] == 5 and s["unassigned_claims"] == 0
    assert s == {**json.loads(_run("stats", "--db", str(db), "--format", "json").stdout),
                 "last_indexed": s["last_indexed"]}


def test_a_check_against_postgres_finds_what_it_finds_against_sqlite(archives, tmp_path):
    url, db = archives
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = []
    for target in (url, str(db)):
        r = _run("check", str(draft), "--against", target, "--model", MODEL, "--format", "json")
        assert r.exit_code == 1, r.stderr  # the 12,000 conflicts with the archive
        out.append([(f["rule"], f["fact"], f["fingerprint"]) for f in json.loads(r.stdout)["findings"]])
    assert out[0] == out[1] and any(rule == "DR01" for rule, _, _ in out[0])
    # the archive named in the config
    (tmp_path / "reconcile.toml").write_text(f'archive = "{url}"\n', encoding="utf-8")
    r = _run("check", str(draft), "--model", MODEL, "--format", "json")
    assert r.exit_code == 1 and json.loads(r.stdout)["findings"], r.stderr


def test_a_check_reads_only_the_nearest_facts(archives):
    from reconcile.check import check_drafts

    url, _ = archives
    store = open_store(url, create=False)
    try:
        index = store.fact_index()
        part = store.partial(index.ids[:2])
        assert [f.id for f in part.facts] == sorted(index.ids[:2])
        assert {c.id for c in part.claims} == {c for f in part.facts for c in f.claims}
        assert part.counts["facts"] == len(index.ids) > 2
        assert check_drafts is not None
    finally:
        store.close()


def _set_meta(target: str, key: str, value: str | None) -> None:
    """Change (None: delete) one meta value of an archive from a connection of its own, as another process."""
    import sqlite3

    import psycopg

    if target.startswith("postgresql://"):
        table, mark, con = "reconcile_meta", "%s", psycopg.connect(target, autocommit=True)
    else:
        table, mark, con = "meta", "?", sqlite3.connect(target, isolation_level=None)
    try:
        con.execute(f"DELETE FROM {table} WHERE key = {mark}", (key,))
        if value is not None:
            con.execute(f"INSERT INTO {table} VALUES ({mark}, {mark})", (key, value))
    finally:
        con.close()


def test_counts_documents_and_one_read_view_on_both_backends(archives):
    url, db = archives
    for target in (url, str(db)):
        store = open_store(target, create=False)
        try:
            index, s = store.fact_index(), store.stats()
            # the counts come from the meta data the index run wrote, and are the tables' own
            assert json.loads(index.meta["counts"]) == index.counts == {k: s[k] for k in ("documents", "claims",
                                                                                           "facts")}
            part, bare = store.partial(index.ids[:3]), store.partial(index.ids[:3], documents=False)
            assert bare.documents == [] and bare.claims == part.claims and part.documents
            asked = [d.id for d in part.documents][::-1] + ["not-in-the-archive"]
            assert [d.id for d in store.documents(asked)] == sorted(d.id for d in part.documents)
            with store.reading():  # one view: what another process commits meanwhile is not seen
                before = store.fact_index().meta["last_indexed"]
                _set_meta(target, "last_indexed", "changed")
                assert store.partial(index.ids[:1]).meta["last_indexed"] == before
            assert store.fact_index().meta["last_indexed"] == "changed"
            _set_meta(target, "last_indexed", before)
            _set_meta(target, "counts", None)  # an archive written before the counts were: counted instead
            assert store.fact_index().counts == index.counts
            _set_meta(target, "counts", index.meta["counts"])
        finally:
            store.close()


def _schema(url: str, statements: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        for s in statements:
            con.execute(s)


def test_unfinished_foreign_and_other_schemas_are_refused(postgres, tmp_path):
    from reconcile.store_pg import MIGRATIONS

    empty = _database(postgres)
    with pytest.raises(StoreError, match="not a finished reconcile archive"):
        open_store(empty, create=False)
    newer = _database(postgres)
    _schema(newer, MIGRATIONS[1] + ["INSERT INTO reconcile_meta VALUES ('schema', '99'), ('model', 'x')"])
    for create in (True, False):
        with pytest.raises(StoreError, match="archive schema 99, this reconcile reads 2; re-index"):
            open_store(newer, create=create)
    foreign = _database(postgres)
    _schema(foreign, ["CREATE TABLE reconcile_facts (id TEXT)"])
    with pytest.raises(StoreError, match="not a reconcile archive"):
        open_store(foreign)
    # an older archive: a check refuses it, an index run migrates it forward
    older = _database(postgres)
    _schema(older, MIGRATIONS[1] + ["INSERT INTO reconcile_meta VALUES ('schema', '1'), ('model', 'x')"])
    r = _run("check", str(_draft(tmp_path)), "--against", older, "--model", MODEL)
    assert r.exit_code == 2 and "archive schema 1" in r.stderr
    store = open_store(older)
    store.close()
    with pytest.raises(StoreError, match="not a finished"):  # migrated, but never indexed into since
        _refuse_unindexed(older)


def _refuse_unindexed(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        assert con.execute("SELECT value FROM reconcile_meta WHERE key='schema'").fetchone()[0] == "2"
        con.execute("DELETE FROM reconcile_meta WHERE key='model'")
    open_store(url, create=False)


def _draft(tmp_path: Path) -> Path:
    p = tmp_path / "d.md"
    p.write_text(DRAFT, encoding="utf-8")
    return p


def test_a_second_writer_waits_or_fails_clearly(postgres):
    url = _database(postgres)
    first, second = open_store(url), open_store(url)
    try:
        with first.writing():
            with pytest.raises(StoreError, match="another `reconcile index` is writing.*--wait"):
                with second.writing(wait=0.3):
                    pass
        with second.writing(wait=0.3):  # released: the second writer gets it
            pass
    finally:
        first.close()
        second.close()


def test_checks_read_while_an_index_run_writes(archives, tmp_path):
    """Many readers at once during an index run: each sees one whole archive, never a half-written one."""
    from reconcile.index import index

    url, _ = archives
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    first = sorted(src.glob("0*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nZusätzlich wurden 77 Panzer gemeldet.\n",
                     encoding="utf-8")
    writer = open_store(url)
    errors: list[BaseException] = []
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set() or len(seen) < 8:
            try:
                store = open_store(url, create=False)
                s = store.stats()
                store.partial(store.fact_index().ids)
                store.close()
                seen.append((s["claims"], s["unassigned_claims"]))
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
                return

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        index([str(src)], writer, Config(model=MODEL), wait=30)
    finally:
        done.set()
        for t in readers:
            t.join(60)
        writer.close()
    assert not errors, errors
    assert all(u == 0 for _, u in seen) and len({c for c, _ in seen}) <= 2
