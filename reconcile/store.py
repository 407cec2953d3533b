"""The archive: documents, claims, embeddings, facts and findings kept between runs.

One small interface (``Store``) with the embedded SQLite implementation (``SQLiteStore``), so that a
server database can replace it without touching the rest. SQLite runs in WAL mode: readers go on while
one writer works, and every update is one transaction, so a killed ``reconcile index`` leaves the
previous archive intact.
"""

from __future__ import annotations

import json
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.model import Claim, Document, Fact, Finding, Span

__all__ = ["Store", "SQLiteStore", "ArchiveSnapshot", "FactIndex", "StoreError", "open_store", "SCHEMA_VERSION"]

# 2: facts carry their block and centroid, so that a check reads only the facts near its draft
SCHEMA_VERSION = 2
_SQL_VARS = 900  # ids per IN (...) query, under SQLite's limit on bound parameters


class StoreError(RuntimeError):
    """The archive cannot be opened or is not a reconcile archive; the message names the file."""


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
    """Every fact with its block (see ``cluster.block_key``) and centroid: what a check searches first."""

    facts: list[Fact]
    blocks: list[str]
    centroids: np.ndarray
    meta: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


class Store(ABC):
    """What the rest of reconcile asks of an archive."""

    @abstractmethod
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash, to decide what needs indexing."""

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
    def partial(self, fact_ids: list[str]) -> ArchiveSnapshot:
        """The named facts with all their claims, vectors and documents (and the archive's counts)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""


def _doc_to_json(d: Document) -> str:
    data = asdict(d)
    data.pop("text")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _doc_from_json(s: str) -> Document:
    data = json.loads(s)
    data["skipped"] = [Span(**x) for x in data.get("skipped", [])]
    return Document(text="", **data)


class SQLiteStore(Store):
    """The embedded default: one file, WAL journal, one transaction per index run."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no archive here (build one with `reconcile index PATH... --db {path}`)")
        try:
            self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._init()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a reconcile archive ({exc})") from exc

    def _init(self) -> None:
        # an archive of another schema is refused before anything is created in it
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone() if has_meta else None
        if row is not None and row[0] != str(SCHEMA_VERSION):
            raise StoreError(f"{self.path}: archive schema {row[0]}, this reconcile reads {SCHEMA_VERSION}; "
                             "re-index into a new file")
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, document TEXT NOT NULL, data TEXT NOT NULL,
                                               vector BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS claims_document ON claims(document);
            CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, data TEXT NOT NULL, block TEXT NOT NULL,
                                              vector BLOB);
            CREATE TABLE IF NOT EXISTS findings (n INTEGER PRIMARY KEY, data TEXT NOT NULL);
        """)
        row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row is None:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif row[0] != str(SCHEMA_VERSION):
            raise StoreError(f"{self.path}: archive schema {row[0]}, this reconcile reads {SCHEMA_VERSION}; "
                             "re-index into a new file")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def document_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM documents").fetchall())

    def replace(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
                facts: list[Fact], findings: list[Finding], meta: dict[str, str],
                fact_keys: list[tuple[str, np.ndarray]] | None = None) -> None:
        keys: list[tuple[str, np.ndarray | None]] = (list(fact_keys) if fact_keys
                                                     else [(f.unit_class, None) for f in facts])
        with self._transaction() as db:
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

    def snapshot(self) -> ArchiveSnapshot:
        snap = ArchiveSnapshot()
        snap.meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        snap.documents = [_doc_from_json(d) for (d,) in self.db.execute("SELECT data FROM documents ORDER BY id")]
        vecs = []
        for data, vec in self.db.execute("SELECT data, vector FROM claims ORDER BY id"):
            snap.claims.append(Claim(**json.loads(data)))
            vecs.append(np.frombuffer(vec, dtype=np.float32))
        snap.embeddings = np.vstack(vecs) if vecs else np.zeros((0, 0), np.float32)
        snap.facts = [Fact(**json.loads(d)) for (d,) in self.db.execute("SELECT data FROM facts ORDER BY id")]
        snap.findings = [Finding(**json.loads(d)) for (d,) in self.db.execute("SELECT data FROM findings ORDER BY n")]
        snap.counts = {"documents": len(snap.documents), "claims": len(snap.claims), "facts": len(snap.facts)}
        return snap

    def _counts(self) -> dict[str, int]:
        return {t: int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])  # noqa: S608  # fixed names
                for t in ("documents", "claims", "facts")}

    def fact_index(self) -> FactIndex:
        facts, blocks, vecs = [], [], []
        for data, block, vec in self.db.execute("SELECT data, block, vector FROM facts ORDER BY id"):
            facts.append(Fact(**json.loads(data)))
            blocks.append(block)
            vecs.append(np.frombuffer(vec, dtype=np.float32) if vec is not None else None)
        dim = next((len(v) for v in vecs if v is not None), 0)
        cent = np.vstack([v if v is not None else np.zeros(dim, np.float32) for v in vecs]) if facts and dim \
            else np.zeros((len(facts), 0), np.float32)
        return FactIndex(facts, blocks, cent, dict(self.db.execute("SELECT key, value FROM meta").fetchall()),
                         self._counts())

    def _rows(self, sql: str, ids: list[str]) -> Iterator[tuple[Any, ...]]:
        for start in range(0, len(ids), _SQL_VARS):
            chunk = ids[start:start + _SQL_VARS]
            yield from self.db.execute(sql.format(",".join("?" * len(chunk))), chunk)

    def partial(self, fact_ids: list[str]) -> ArchiveSnapshot:
        snap = ArchiveSnapshot()
        snap.meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        snap.counts = self._counts()
        ids = sorted(set(fact_ids))
        snap.facts = sorted((Fact(**json.loads(d)) for (d,) in self._rows("SELECT data FROM facts WHERE id IN ({})",
                                                                            ids)), key=lambda f: f.id)
        claim_ids = sorted({c for f in snap.facts for c in f.claims})
        rows = sorted(self._rows("SELECT id, data, vector FROM claims WHERE id IN ({})", claim_ids))
        snap.claims = [Claim(**json.loads(data)) for _, data, _ in rows]
        snap.embeddings = (np.vstack([np.frombuffer(v, dtype=np.float32) for _, _, v in rows]) if rows
                           else np.zeros((0, 0), np.float32))
        doc_ids = sorted({c.document for c in snap.claims})
        snap.documents = sorted((_doc_from_json(d) for (d,) in self._rows("SELECT data FROM documents WHERE id IN ({})",
                                                                          doc_ids)), key=lambda d: d.id)
        return snap

    def close(self) -> None:
        self.db.close()


def open_store(path: str | Path, create: bool = True) -> Store:
    """The archive at ``path`` (SQLite; the one implementation today)."""
    return SQLiteStore(path, create=create)


def as_meta(values: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
