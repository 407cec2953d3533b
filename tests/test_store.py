"""The archive (``reconcile/store.py``): one writer at a time, ``reconcile stats``, and integrity: a check
refuses what is not a finished reconcile archive, never writes to it, reads it on a read-only place, and
turns damage into a clear error (exit 2), never a traceback."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.store import SCHEMA_VERSION, SQLiteStore, StoreError, open_store

from .conftest import ROOT, SEEDS

MODEL = "all-MiniLM-L6-v2"  # the small model: these tests are about the archive, not the embedding
DRAFT = "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("store") / "seeds.db"
    r = _run("index", str(SEEDS), "--db", str(db), "--model", MODEL)
    assert r.exit_code == 0, r.output
    return db


def _draft(tmp_path: Path) -> str:
    p = tmp_path / "draft.md"
    p.write_text(DRAFT, encoding="utf-8")
    return str(p)


def _check(tmp_path: Path, db: Path):
    return _run("check", _draft(tmp_path), "--against", str(db), "--model", MODEL, "--format", "json")


def test_stats_json_after_an_index_run(archive):
    r = _run("stats", "--db", str(archive), "--format", "json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert set(s) == {"schema", "documents", "claims", "facts", "unassigned_claims", "last_indexed"}
    assert s["schema"] == SCHEMA_VERSION and s["documents"] == 5 and s["claims"] > s["facts"] > 0
    assert s["unassigned_claims"] == 0 and s["last_indexed"].startswith("20")
    assert "unassigned_claims" in _run("stats", "--db", str(archive)).stdout


def test_a_second_writer_fails_clearly_or_waits(tmp_path):
    db = tmp_path / "a.db"
    first, second = SQLiteStore(db), SQLiteStore(db)
    with first.writing():
        with pytest.raises(StoreError, match="another `reconcile index` is writing.*--wait"):
            with second.writing(wait=0.2):
                pass
    first.close()
    held = threading.Event()

    def hold() -> None:  # a writer in another thread (its own connection) holds the lock for a while
        store = SQLiteStore(db)
        with store.writing():
            held.set()
            time.sleep(0.6)
        store.close()

    t = threading.Thread(target=hold)
    t.start()
    assert held.wait(30)
    start = time.monotonic()
    with second.writing(wait=20):
        waited = time.monotonic() - start
    t.join()
    second.close()
    assert waited >= 0.3


def test_no_writer_comes_in_between_the_batches_of_a_run(tmp_path):
    db = tmp_path / "a.db"
    first, second = SQLiteStore(db), SQLiteStore(db)
    with first.writing():
        first.replace([], [], [], [], {"model": MODEL})
        first.commit()  # one batch done: readers see a finished archive
        reader = open_store(db, create=False)
        assert reader.fact_index().meta["model"] == MODEL
        reader.close()
        with pytest.raises(StoreError, match="another `reconcile index` is writing"):
            with second.writing(wait=0.3):
                pass
        first.replace([], [], [], [], {"model": MODEL, "last_indexed": "later"})
    with second.writing(wait=5):  # the run is over: the lock is free
        pass
    assert second.stats()["last_indexed"] == "later"
    first.close()
    second.close()


def test_index_in_batches_by_the_cli(tmp_path):
    db = tmp_path / "b.db"
    r = _run("index", str(SEEDS), "--db", str(db), "--model", MODEL, "--batch", "2")
    assert r.exit_code == 0, r.output
    s = json.loads(_run("stats", "--db", str(db), "--format", "json").stdout)
    assert s["documents"] == len(list(SEEDS.glob("*.txt"))) and s["unassigned_claims"] == 0
    assert _run("index", str(SEEDS), "--db", str(db), "--batch", "0").exit_code == 2


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def test_two_concurrent_index_runs_leave_no_claim_outside_a_fact(tmp_path):
    """Two real processes index into one archive at once: they are serialised, and every claim has a fact."""
    seeds = sorted(SEEDS.glob("0*.txt"))
    inputs = []
    for name, part in (("a", seeds[:3]), ("b", seeds[2:])):
        (tmp_path / name).mkdir()
        for p in part:
            shutil.copy(p, tmp_path / name / p.name)
        inputs.append(tmp_path / name)
    db = tmp_path / "shared.db"
    cmd = [sys.executable, "-m", "reconcile", "index", "--db", str(db), "--model", MODEL, "--wait", "600"]
    procs = [subprocess.Popen([*cmd, str(p)], env=_env(), stderr=subprocess.PIPE, text=True) for p in inputs]
    outs = [p.communicate(timeout=900)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    s = json.loads(_run("stats", "--db", str(db), "--format", "json").stdout)
    assert s["unassigned_claims"] == 0
    store = open_store(db, create=False)
    snap = store.snapshot()
    store.close()
    # the archive is exactly one run's inputs (the later one), never a mixture
    assert {Path(d.path).name for d in snap.documents} in ({p.name for p in inputs[0].iterdir()},
                                                           {p.name for p in inputs[1].iterdir()})
    assert {c for f in snap.facts for c in f.claims} == {c.id for c in snap.claims}


def test_check_refuses_an_empty_or_foreign_file_and_leaves_it_alone(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    foreign = tmp_path / "other.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE songs (title TEXT)")
    con.execute("INSERT INTO songs VALUES ('x')")
    con.commit()
    con.close()
    for db, problem in ((empty, "not a finished reconcile archive"), (foreign, "another application's database")):
        before = _digest(db)
        r = _check(tmp_path, db)
        assert r.exit_code == 2 and problem in r.stderr and db.name in r.stderr, r.stderr
        assert _digest(db) == before and sorted(p.name for p in tmp_path.glob(db.name + "*")) == [db.name]
    # and indexing into another application's database is refused before anything is added to it
    before = _digest(foreign)
    r = _run("index", str(SEEDS), "--db", str(foreign), "--model", MODEL)
    assert r.exit_code == 2 and "another application's database" in r.stderr
    assert _digest(foreign) == before


def test_check_refuses_the_archive_of_an_unfinished_first_index(tmp_path, monkeypatch):
    db = tmp_path / "killed.db"
    from reconcile import index as index_mod

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the run dies after the archive was created, before anything was written

    monkeypatch.setattr(index_mod, "_update", killed)
    r = CliRunner().invoke(cli, ["index", str(SEEDS), "--db", str(db), "--model", MODEL])
    assert r.exit_code != 0 and db.exists()
    monkeypatch.undo()
    r = _check(tmp_path, db)
    assert r.exit_code == 2 and "not a finished reconcile archive" in r.stderr, r.stderr
    assert _run("stats", "--db", str(db)).exit_code == 2


def test_check_never_writes_to_its_archive(archive, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(archive, db)
    before = _digest(db)
    r = _check(tmp_path, db)
    assert r.exit_code == 1, r.stderr  # the draft's 12,000 conflicts with the archive
    assert _digest(db) == before


def test_check_reads_an_archive_on_a_read_only_place(archive, tmp_path):
    place = tmp_path / "ro"
    place.mkdir()
    shutil.copy(archive, place / "a.db")
    code = ("import sys; from reconcile.store import open_store; s = open_store(sys.argv[1], create=False); "
            "i = s.fact_index(); print(s.stats()['documents'], len(s.partial(i.ids).claims))")
    probe = [sys.executable, "-c", code, str(place / "a.db")]
    if os.geteuid() == 0:  # root writes through file modes: mount the folder read-only in a mount namespace
        if not shutil.which("unshare"):
            pytest.skip("needs unshare(1) to make a read-only mount as root")
        probe = ["unshare", "-m", "sh", "-c", f'mount --bind -o ro "{place}" "{place}" && exec "$@"', "sh", *probe]
    else:
        os.chmod(place, 0o555)
    try:
        out = subprocess.run(probe, env=_env(), capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(place, 0o755)
    if "mount" in out.stderr and "permission denied" in out.stderr.lower():
        pytest.skip(f"cannot make a read-only mount here: {out.stderr.strip()}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "5" and int(out.stdout.split()[1]) > 0
    assert sorted(p.name for p in place.iterdir()) == ["a.db"]


@pytest.mark.parametrize("damage", [
    "UPDATE facts SET data='{x' WHERE rowid=1",
    "UPDATE facts SET data='{\"id\": 5}' WHERE rowid=1",
    "UPDATE claims SET data='[1, 2]'",
    "UPDATE claims SET vector=x'0102'",
    "UPDATE documents SET data='{\"id\": \"a\", \"path\": [], \"authors\": 5}'",
])
def test_a_damaged_row_is_a_clear_error(archive, tmp_path, damage):
    db = tmp_path / "damaged.db"
    shutil.copy(archive, db)
    con = sqlite3.connect(db)
    con.execute(damage)
    con.commit()
    con.close()
    reads = [("check", _draft(tmp_path), "--against", str(db), "--model", MODEL)]
    if "facts" in damage:  # stats reads the facts (which claims they hold), not the claims' or documents' rows
        reads.append(("stats", "--db", str(db)))
    for args in reads:
        r = _run(*args)
        assert r.exit_code == 2 and "damaged archive" in r.stderr and "damaged.db" in r.stderr, (args, r.stderr)


def test_random_byte_corruption_is_a_clear_error(archive, tmp_path):
    import random

    db = tmp_path / "corrupt.db"
    data = bytearray(archive.read_bytes())
    rng = random.Random(7)
    for page in range(1, len(data) // 4096):  # every page but the header page gets garbage in its middle
        at = page * 4096 + rng.randrange(0, 3000)
        data[at:at + 64] = rng.randbytes(64)
    db.write_bytes(bytes(data))
    r = _check(tmp_path, db)
    assert r.exit_code == 2 and "corrupt.db" in r.stderr and "archive" in r.stderr, r.stderr


def test_a_full_disk_during_index_leaves_the_archive_intact(archive, tmp_path):
    db = tmp_path / "full.db"
    shutil.copy(archive, db)
    extra = tmp_path / "more"
    shutil.copytree(SEEDS, extra)
    (extra / "005_extra.txt").write_text("Die Feuerwehr zählte am Dienstag 340 Einsätze in Hamburg.\n",
                                         encoding="utf-8")
    before = json.loads(_run("stats", "--db", str(db), "--format", "json").stdout)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    # no file may grow past 40 KB (the WAL index fits, the run's writes do not): as a full disk, writing fails
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, hard))
    try:
        r = _run("index", str(extra), "--db", str(db), "--model", MODEL, "--no-cache")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert r.exit_code == 2 and "could not write the archive" in r.stderr and "left as it was" in r.stderr, r.stderr
    assert "cannot rollback" not in r.stderr
    after = json.loads(_run("stats", "--db", str(db), "--format", "json").stdout)
    assert after == before
