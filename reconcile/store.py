"""The archive: documents, claims, embeddings, facts and findings kept between runs.

One small interface (``Store``) with the embedded SQLite implementation (``SQLiteStore``) here and the
PostgreSQL one in ``store_pg.py``; ``open_store`` picks one by the address (a path or a
``postgresql://`` URL). SQLite runs in WAL mode: readers go on while one writer works. A whole index run
holds the archive's one writer lock (``Store.writing``: a lock file and ``BEGIN IMMEDIATE`` here, an
advisory lock on PostgreSQL) from the moment it reads the archive until it has written it, so two runs
never interleave, and a killed run leaves the previous archive intact (a run in batches: with the batches
it committed, ``Store.commit``, each a finished archive).

Whatever is read is validated: a damaged row, a foreign database or an unfinished archive is a
``StoreError`` naming the archive and the problem, never a traceback.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import sqlite3
import time
import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit

import numpy as np

from reconcile.model import Claim, Document, Fact, Finding, Span

__all__ = ["Store", "SQLiteStore", "ArchiveSnapshot", "FactIndex", "StoreError", "open_store", "SCHEMA_VERSION",
           "decode", "as_meta", "now_iso", "is_url", "display_address", "MARKER", "refuse_schema", "unassigned",
           "COUNTS", "stored_counts"]

# 2: facts carry their block and centroid, so that a check reads only the facts near its draft
SCHEMA_VERSION = 2
MARKER = "model"  # a meta key written by the same transaction as an index run's data: the archive is finished
# a meta key written by every index run in its own transaction: the archive's numbers of documents, claims
# and facts (JSON), so that a check need not count a large table; without it the tables are counted
COUNTS = "counts"
_COUNTED = ("documents", "claims", "facts")
_SQL_VARS = 900  # ids per IN (...) query, under SQLite's limit on bound parameters
_TABLES = {"meta", "documents", "claims", "facts", "findings"}
P = ParamSpec("P")
R = TypeVar("R")


class StoreError(RuntimeError):
    """The archive cannot be opened, is not a finished reconcile archive, or is damaged; the message names it."""


@dataclass
class ArchiveSnapshot:
    """Everything a check needs, read in one go."""

    documents: list[Document] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    embeddings: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # of the whole archive, when only a part was read


@dataclass
class FactIndex:
    """Every fact's id with its block (see ``cluster.block_key``) and centroid: what a check searches first.

    Ids only, not the facts: a fact's row lists its claims, and a check reads in full only the few facts
    near its draft (``Store.partial``).
    """

    ids: list[str]
    blocks: list[str]
    centroids: np.ndarray
    meta: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


class Store(ABC):
    """What the rest of reconcile asks of an archive."""

    name: str = ""

    @abstractmethod
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash, to decide what needs indexing."""

    def known_documents(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` the archive holds (a check warns of a draft that is also in the archive): a
        lookup of those ids only, not a read of every document."""
        return set(ids) & set(self.document_hashes())

    @abstractmethod
    def writing(self, wait: float = 0.0) -> AbstractContextManager[None]:
        """Hold the archive's one writer lock for a whole index run (read, then ``replace``).

        A second writer waits up to ``wait`` seconds, then fails with a ``StoreError`` saying so; leaving
        the block by an exception undoes everything written in it.
        """

    def commit(self) -> None:
        """Inside ``writing``: make what the run has written so far durable (readers see it), keeping the
        writer lock, so that a run in batches keeps each batch done even if it is stopped later. A backend
        whose ``replace`` commits by itself has nothing to do."""

    @abstractmethod
    def replace(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
                facts: list[Fact], findings: list[Finding], meta: dict[str, str],
                fact_keys: list[tuple[str, np.ndarray]] | None = None) -> None:
        """Apply one index run atomically: new or changed documents, removals, and the new facts.

        ``fact_keys``: for each fact, its block and centroid (for ``fact_index``).
        """

    @abstractmethod
    def snapshot(self) -> ArchiveSnapshot:
        """Read the whole archive."""

    @abstractmethod
    def fact_index(self) -> FactIndex:
        """The facts with their blocks and centroids, the archive's meta data and counts."""

    @abstractmethod
    def partial(self, fact_ids: list[str], documents: bool = True) -> ArchiveSnapshot:
        """The named facts with all their claims and vectors, and (``documents``) those claims' documents,
        with the archive's counts."""

    @abstractmethod
    def documents(self, ids: list[str]) -> list[Document]:
        """The named documents (those the archive holds), in id order: a check reads only its matched
        facts' documents."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[None]:
        """One consistent view of the archive for every read inside the block (a check's index, facts and
        documents all come from one finished index run, even while another run writes)."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """The summary ``reconcile stats`` prints: schema, documents, claims, facts, unassigned_claims,
        last_indexed."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""


def now_iso() -> str:
    """The time of an index run as stored in ``last_indexed`` (UTC, seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def is_url(address: str | Path) -> bool:
    """A server archive's address (``postgresql://...``) rather than a file path."""
    return isinstance(address, str) and address.split("://", 1)[0] in ("postgresql", "postgres") \
        and "://" in address


def display_address(address: str | Path) -> str:
    """An archive's address for messages: a server URL without its password."""
    if not is_url(address):
        return str(address)
    parts = urlsplit(str(address))
    if parts.password is None:
        return str(address)
    netloc = f"{parts.username}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def refuse_schema(name: str, found: str) -> StoreError:
    """The one message for an archive of another schema, on every backend."""
    return StoreError(f"{name}: archive schema {found}, this reconcile reads {SCHEMA_VERSION}; "
                      "re-index into a new archive")


@functools.cache
def _checks(cls: type) -> tuple[list[tuple[str, tuple[type, ...], bool]], frozenset[str]]:
    """Per field of a model dataclass: its name, the plain types its value may have, whether it is required;
    and the set of its field names."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        hint = hints[f.name]
        args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
        plain = tuple(typing.get_origin(a) or a for a in args)
        if float in plain:
            plain += (int,)
        out.append((f.name, plain, f.default is MISSING and f.default_factory is MISSING))
    return out, frozenset(n for n, _, _ in out)


def decode(cls: type[R], data: str | bytes | dict[str, Any]) -> R:
    """One stored row (JSON) as a model dataclass, its field types checked: a damaged row is a ValueError."""
    obj = json.loads(data) if not isinstance(data, dict) else data
    if not isinstance(obj, dict):
        raise ValueError(f"a {cls.__name__} row is not a JSON object")
    checks, names = _checks(typing.cast(type, cls))
    for name, allowed, required in checks:
        value = obj.get(name, MISSING)
        if value is MISSING:
            if required:
                raise ValueError(f"a {cls.__name__} row lacks {name!r}")
        elif not isinstance(value, allowed):
            raise ValueError(f"a {cls.__name__} row has a {type(value).__name__} as {name!r}")
    if not names.issuperset(obj):
        raise ValueError(f"a {cls.__name__} row has unknown fields {sorted(set(obj) - names)}")
    if cls is Document:
        obj["skipped"] = [decode(Span, s) for s in obj.get("skipped", [])]
    return cls(**obj)


def decode_vector(blob: bytes | None, dim: int | None = None) -> np.ndarray:
    """A stored float32 vector; a blob of the wrong size is a ValueError."""
    if not isinstance(blob, (bytes, memoryview)) or len(blob) % 4 or (dim is not None and len(blob) != 4 * dim):
        raise ValueError("a vector is damaged")
    return np.frombuffer(blob, dtype=np.float32)


def stack(vecs: list[np.ndarray]) -> np.ndarray:
    """Vectors as one matrix; vectors of different lengths mean a damaged archive."""
    if not vecs:
        return np.zeros((0, 0), np.float32)
    if len({len(v) for v in vecs}) > 1:
        raise ValueError("vectors of different lengths")
    return np.vstack(vecs)


def stored_counts(meta: dict[str, str]) -> dict[str, int] | None:
    """The counts an index run wrote into the meta data (``COUNTS``), or None (an archive written before
    they were, or a damaged value: the caller counts the tables instead)."""
    try:
        obj = json.loads(meta.get(COUNTS, ""))
    except ValueError:
        return None
    if not isinstance(obj, dict) or any(not isinstance(obj.get(k), int) for k in _COUNTED):
        return None
    return {k: int(obj[k]) for k in _COUNTED}


def unassigned(claim_ids: Iterator[str] | list[str], facts: Iterator[list[str]] | list[list[str]]) -> int:
    """How many claims are in no fact (a check cannot see them; after any index run it is 0)."""
    assigned = {c for claims in facts for c in claims}
    return sum(1 for c in claim_ids if c not in assigned)


def _doc_to_json(d: Document) -> str:
    """A document's row: every field but its text (the archive keeps what a check shows, not articles)."""
    data = asdict(d)
    data.pop("text")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _doc_from_json(s: str | bytes) -> Document:
    """A document from its row, its text empty (never stored), its fields type-checked."""
    obj = json.loads(s)
    if not isinstance(obj, dict):
        raise ValueError("a Document row is not a JSON object")
    obj["text"] = ""
    return decode(Document, obj)


def guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Reads of a store: a damaged archive (bad JSON, wrong types, corrupt pages) is a StoreError."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        """The read, with damage turned into a StoreError naming the archive."""
        try:
            return method(*args, **kwargs)
        except StoreError:
            raise
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError) as exc:
            name = getattr(args[0], "name", "archive")
            raise StoreError(f"{name}: damaged archive ({exc}); re-index into a new archive") from exc

    return wrapper


class SQLiteStore(Store):
    """The embedded default: one file, WAL journal, one locked transaction per index run.

    ``create=False`` (a check) opens the file read-only (``mode=ro``; ``immutable`` where even that cannot
    work, as on a read-only mount), never creates or changes anything in it, and refuses a file that is
    not a finished reconcile archive.
    """

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        self.name = str(path)
        self._writing = False
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no archive here (build one with `reconcile index PATH... --db {path}`)")
        try:
            self.db = self._connect_write() if create else self._connect_read()
            self._check_schema(finished=not create)  # before anything could change the file
            if create:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                if not _TABLES <= self._tables():
                    self._create()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a reconcile archive ({exc})") from exc

    def _connect_write(self) -> sqlite3.Connection:
        """A connection for an index run (autocommit: transactions are begun explicitly)."""
        return sqlite3.connect(str(self.path), timeout=30, isolation_level=None)

    def _connect_read(self) -> sqlite3.Connection:
        """A read-only connection for a check: ``mode=ro``, or ``immutable`` on a read-only place."""
        uri = self.path.resolve().as_uri()
        try:
            db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            # a read-only place: no -shm can be made beside the file, and no writer can be there either
            db = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db

    def _check_schema(self, finished: bool) -> None:
        """Refuse another application's database, another schema, and (for reading) an unfinished archive."""
        tables = self._tables()
        meta: dict[str, str] = dict(self.db.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if tables and "schema" not in meta:
            raise StoreError(f"{self.path}: not a reconcile archive (another application's database: "
                             f"tables {', '.join(sorted(tables)[:5])})")
        if "schema" in meta and meta["schema"] != str(SCHEMA_VERSION):
            raise refuse_schema(str(self.path), meta["schema"])
        if finished and (not tables or MARKER not in meta or not _TABLES <= tables):
            raise StoreError(f"{self.path}: not a finished reconcile archive (no index run completed into it; "
                             "run `reconcile index` again)")

    def _tables(self) -> set[str]:
        """The names of the file's tables."""
        return {str(r[0]) for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _create(self) -> None:
        """Create the tables of an empty file and mark it with this schema version, in one transaction."""
        with self._transaction() as db:
            for stmt in """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, document TEXT NOT NULL, data TEXT NOT NULL,
                                                   vector BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS claims_document ON claims(document);
                CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, data TEXT NOT NULL, block TEXT NOT NULL,
                                                  vector BLOB);
                CREATE TABLE IF NOT EXISTS findings (n INTEGER PRIMARY KEY, data TEXT NOT NULL);
                INSERT OR IGNORE INTO meta VALUES ('schema', '{v}')
            """.format(v=SCHEMA_VERSION).split(";"):
                db.execute(stmt)
            self._check_schema(finished=False)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction (a savepoint inside ``writing``); an error undoes it and is reported as such."""
        nested = self._writing
        try:
            self.db.execute("SAVEPOINT w" if nested else "BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: cannot write the archive ({exc})") from exc
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK TO w" if nested else "ROLLBACK")
                if nested:
                    self.db.execute("RELEASE w")
            raise
        try:
            self.db.execute("RELEASE w" if nested else "COMMIT")
        except sqlite3.Error as exc:
            self._undo()
            raise StoreError(f"{self.path}: could not write the archive ({exc}); it is left as it was") from exc

    def _undo(self) -> None:
        """Roll back an open transaction, if any (after an error: the archive is left as it was)."""
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """SQLite: the run's lock file (``_file_lock``), then ``BEGIN IMMEDIATE`` (the file's write lock;
        ``busy_timeout`` waits for what is left of ``wait``); everything up to the end of the block, or up to
        a ``commit``, commits as one transaction; an exception rolls back what is not committed."""
        deadline = time.monotonic() + wait
        with self._file_lock(wait):
            self._begin(max(0.0, deadline - time.monotonic()))
            self._writing = True
            try:
                yield
            except BaseException:
                self._writing = False
                self._undo()
                raise
            self._writing = False
            self._commit()

    def commit(self) -> None:
        """Commit what this index run wrote so far and begin its next transaction at once; the lock file,
        held for the whole run, keeps every other writer out in between."""
        if not self._writing:
            return
        self._commit()
        self._begin(30.0)

    def _begin(self, wait: float) -> None:
        """``BEGIN IMMEDIATE``, waiting up to ``wait`` seconds for a writer that holds the file."""
        self.db.execute(f"PRAGMA busy_timeout={max(0, int(wait * 1000))}")
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise StoreError(f"{self.path}: cannot write the archive ({exc})") from exc
            raise self._busy(wait) from exc
        finally:
            self.db.execute("PRAGMA busy_timeout=30000")

    def _commit(self) -> None:
        """COMMIT; a failure undoes the open transaction and says so."""
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._undo()
            raise StoreError(f"{self.path}: could not write the archive ({exc}); it is left as it was") from exc

    def _busy(self, wait: float) -> StoreError:
        """The one message for a second writer that waited in vain."""
        return StoreError(f"{self.path}: another `reconcile index` is writing this archive "
                          f"(waited {wait:g} s; pass --wait SECONDS to wait longer)")

    @contextmanager
    def _file_lock(self, wait: float) -> Iterator[None]:
        """An exclusive ``flock`` on ``<archive>.lock`` for a whole index run, polled up to ``wait`` seconds.

        SQLite's own write lock ends with each transaction; a run that commits after each batch
        (``commit``) holds this one across them, so no other writer can come in between its batches.
        """
        lock = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the archive ({lock}: {exc.strerror})") from exc
        deadline = time.monotonic() + wait
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise self._busy(wait) from None
                    time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
            yield
        finally:
            os.close(fd)  # releases the lock

    @guarded
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash, from the ``documents`` table."""
        return {str(k): str(v) for k, v in self.db.execute("SELECT id, hash FROM documents")}

    @guarded
    def known_documents(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are in the ``documents`` table (looked up by primary key)."""
        return {str(r[0]) for r in self._rows("SELECT id FROM documents WHERE id IN ({})", sorted(set(ids)))}

    def replace(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
                facts: list[Fact], findings: list[Finding], meta: dict[str, str],
                fact_keys: list[tuple[str, np.ndarray]] | None = None) -> None:
        """Write one index run in one transaction (a savepoint inside ``writing``): documents and claims
        per document, then every fact, finding and meta value anew; a failure leaves the archive as it was."""
        keys: list[tuple[str, np.ndarray | None]] = (list(fact_keys) if fact_keys
                                                     else [(f.unit_class, None) for f in facts])
        try:
            with self._transaction() as db:
                self._write(db, upsert, delete, facts, findings, meta, keys)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not write the archive ({exc}); it is left as it was") from exc

    @staticmethod
    def _write(db: sqlite3.Connection, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
               facts: list[Fact], findings: list[Finding], meta: dict[str, str],
               keys: list[tuple[str, np.ndarray | None]]) -> None:
        """The statements of ``replace``: per-document deletes and inserts, then the facts, findings and meta."""
        for doc_id in delete:
            db.execute("DELETE FROM claims WHERE document=?", (doc_id,))
            db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        for doc, claims, emb in upsert:
            db.execute("DELETE FROM claims WHERE document=?", (doc.id,))
            db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)",
                       (doc.id, doc.content_hash, _doc_to_json(doc)))
            db.executemany("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)", [
                (c.id, c.document, json.dumps(asdict(c), ensure_ascii=False),
                 np.asarray(e, dtype=np.float32).tobytes()) for c, e in zip(claims, emb)])
        db.execute("DELETE FROM facts")
        db.executemany("INSERT INTO facts VALUES (?, ?, ?, ?)", [
            (f.id, json.dumps(asdict(f), ensure_ascii=False), block,
             None if vec is None else np.asarray(vec, dtype=np.float32).tobytes())
            for f, (block, vec) in zip(facts, keys)])
        db.execute("DELETE FROM findings")
        db.executemany("INSERT INTO findings (data) VALUES (?)",
                       [(json.dumps(asdict(f), ensure_ascii=False),) for f in findings])
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(meta.items()))
        counts = {t: int(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in _COUNTED}  # noqa: S608
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (COUNTS, json.dumps(counts, sort_keys=True)))

    def _meta(self) -> dict[str, str]:
        """The ``meta`` table as a dict (schema, model, clustering, last_indexed, reliability...)."""
        return {str(k): str(v) for k, v in self.db.execute("SELECT key, value FROM meta")}

    @guarded
    def snapshot(self) -> ArchiveSnapshot:
        """Every document, claim (with its vector, in claim id order), fact and finding: what an index run
        updates from. Large: a check reads ``fact_index`` and ``partial`` instead."""
        snap = ArchiveSnapshot()
        snap.meta = self._meta()
        snap.documents = [_doc_from_json(d) for (d,) in self.db.execute("SELECT data FROM documents ORDER BY id")]
        vecs = []
        for data, vec in self.db.execute("SELECT data, vector FROM claims ORDER BY id"):
            snap.claims.append(decode(Claim, data))
            vecs.append(decode_vector(vec))
        snap.embeddings = stack(vecs)
        snap.facts = [decode(Fact, d) for (d,) in self.db.execute("SELECT data FROM facts ORDER BY id")]
        snap.findings = [decode(Finding, d) for (d,) in self.db.execute("SELECT data FROM findings ORDER BY n")]
        snap.counts = {"documents": len(snap.documents), "claims": len(snap.claims), "facts": len(snap.facts)}
        return snap

    def _counts(self, meta: dict[str, str] | None = None) -> dict[str, int]:
        """How many documents, claims and facts the archive holds: as the last index run wrote them into
        ``meta`` (when given and there), else counted."""
        return (stored_counts(meta) if meta is not None else None) or {
            t: int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])  # noqa: S608  # fixed names
            for t in _COUNTED}

    @contextmanager
    def reading(self) -> Iterator[None]:
        """SQLite: one read transaction (WAL: its snapshot is the last committed index run) around the block;
        inside an index run's own transaction, that one."""
        if self._writing or self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")

    @guarded
    def fact_index(self) -> FactIndex:
        """Every fact's id with its block and centroid, in id order, and the archive's meta and counts: the
        small first read of a check, which then reads only the nearest facts (``partial``)."""
        ids, blocks, vecs = [], [], []
        with self.reading():
            for fid, block, vec in self.db.execute("SELECT id, block, vector FROM facts ORDER BY id"):
                ids.append(str(fid))
                blocks.append(str(block))
                vecs.append(decode_vector(vec) if vec is not None else None)
            meta = self._meta()
            return FactIndex(ids, blocks, centroid_matrix(vecs), meta, self._counts(meta))

    def _rows(self, sql: str, ids: list[str]) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (with one ``IN ({})``) for many ids, in chunks under SQLite's parameter limit."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), _SQL_VARS):
            chunk = ids[start:start + _SQL_VARS]
            out.extend(self.db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall())
        return out

    @guarded
    def partial(self, fact_ids: list[str], documents: bool = True) -> ArchiveSnapshot:
        """The named facts, their claims (with vectors) and (``documents``) the claims' documents, in id
        order, and the archive's counts, from one read transaction."""
        snap = ArchiveSnapshot()
        with self.reading():
            snap.meta = self._meta()
            snap.counts = self._counts(snap.meta)
            ids = sorted(set(fact_ids))
            snap.facts = sorted((decode(Fact, d) for (d,) in self._rows("SELECT data FROM facts WHERE id IN ({})",
                                                                        ids)), key=lambda f: f.id)
            claim_ids = sorted({c for f in snap.facts for c in f.claims})
            rows = sorted(self._rows("SELECT id, data, vector FROM claims WHERE id IN ({})", claim_ids))
            snap.claims = [decode(Claim, data) for _, data, _ in rows]
            snap.embeddings = stack([decode_vector(v) for _, _, v in rows])
            if documents:
                snap.documents = self.documents([c.document for c in snap.claims])
        return snap

    @guarded
    def documents(self, ids: list[str]) -> list[Document]:
        """The named documents the archive holds, in id order (their texts empty: never stored)."""
        rows = self._rows("SELECT id, data FROM documents WHERE id IN ({})", sorted(set(ids)))
        return [_doc_from_json(d) for _, d in sorted(rows)]

    @guarded
    def stats(self) -> dict[str, Any]:
        """The ``reconcile stats`` summary; ``unassigned_claims`` counts claims in no fact (0 after any run)."""
        meta = self._meta()
        counts = self._counts()
        facts = (decode(Fact, d).claims for (d,) in self.db.execute("SELECT data FROM facts"))
        return {"schema": int(meta["schema"]), **counts,
                "unassigned_claims": unassigned([str(i) for (i,) in self.db.execute("SELECT id FROM claims")], facts),
                "last_indexed": meta.get("last_indexed")}

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self.db.close()


def centroid_matrix(vecs: list[np.ndarray | None]) -> np.ndarray:
    """The facts' centroids as rows (a fact without one gets zeros: it is never nearest)."""
    dim = next((len(v) for v in vecs if v is not None), 0)
    if not vecs or not dim:
        return np.zeros((len(vecs), 0), np.float32)
    return stack([v if v is not None else np.zeros(dim, np.float32) for v in vecs])


def open_store(path: str | Path, create: bool = True) -> Store:
    """The archive at ``path``: a ``postgresql://`` URL is a server archive, anything else a SQLite file."""
    if is_url(path):
        from reconcile.store_pg import PostgresStore

        return PostgresStore(str(path), create=create)
    return SQLiteStore(path, create=create)


def as_meta(values: dict[str, Any]) -> dict[str, str]:
    """Meta values as stored (strings): strings as they are, anything else as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
