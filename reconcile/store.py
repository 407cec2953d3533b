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

__all__ = ["Store", "SQLiteStore", "ArchiveSnapshot", "StoreError", "open_store", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1


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


class Store(ABC):
    """What the rest of reconcile asks of an archive."""

    @abstractmethod
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash, to decide what needs indexing."""

    @abstractmethod
    def replace(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
                facts: list[Fact], findings: list[Finding], meta: dict[str, str]) -> None:
        """Apply one index run atomically: new or changed documents, removals, and the new facts."""

    @abstractmethod
    def snapshot(self) -> ArchiveSnapshot:
        """Read the archive."""

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
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, document TEXT NOT NULL, data TEXT NOT NULL,
                                               vector BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS claims_document ON claims(document);
            CREATE TABLE IF NOT EXISTS facts (id TEXT PRIMARY KEY, data TEXT NOT NULL);
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
                facts: list[Fact], findings: list[Finding], meta: dict[str, str]) -> None:
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
            db.executemany("INSERT INTO facts VALUES (?, ?)",
                           [(f.id, json.dumps(asdict(f), ensure_ascii=False)) for f in facts])
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
        return snap

    def close(self) -> None:
        self.db.close()


def open_store(path: str | Path, create: bool = True) -> Store:
    """The archive at ``path`` (SQLite; the one implementation today)."""
    return SQLiteStore(path, create=create)


def as_meta(values: dict[str, Any]) -> dict[str, str]:
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
