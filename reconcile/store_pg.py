"""The archive on a PostgreSQL server (psycopg 3), behind the same ``Store`` interface as SQLite.

For a newsroom whose archive outgrows one file on one machine: many checks read at once (MVCC: a check
sees the last finished index run, never a half-written one) while one index run writes. Writers are
serialised by a session advisory lock held for the whole run, so two runs never interleave. The schema is
versioned: ``reconcile_meta`` holds it, and ``MIGRATIONS`` brings an archive of an older known version
forward when an index run opens it; a check never migrates and never writes (its transactions are
read-only). Another application's database, or a newer or unknown schema, is refused with the same
message as SQLite.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

import numpy as np

from reconcile.model import Claim, Document, Fact, Finding
from reconcile.store import (COUNTS, MARKER, SCHEMA_VERSION, ArchiveSnapshot, FactIndex, Store, StoreError,
                             centroid_matrix, decode, decode_vector, display_address, guarded, refuse_schema, stack,
                             stored_counts, unassigned)

__all__ = ["PostgresStore", "MIGRATIONS", "LOCK_KEY"]

LOCK_KEY = int.from_bytes(hashlib.sha256(b"reconcile index").digest()[:8], "big", signed=True)
_TABLES = ("reconcile_meta", "reconcile_documents", "reconcile_claims", "reconcile_facts", "reconcile_findings")

# version -> the statements that create it from the one before (1 -> 2 added the facts' blocks and centroids)
MIGRATIONS: dict[int, list[str]] = {
    1: ["CREATE TABLE reconcile_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE reconcile_documents (id TEXT PRIMARY KEY, hash TEXT NOT NULL, data TEXT NOT NULL)",
        "CREATE TABLE reconcile_claims (id TEXT PRIMARY KEY, document TEXT NOT NULL, data TEXT NOT NULL, "
        "vector BYTEA NOT NULL)",
        "CREATE INDEX reconcile_claims_document ON reconcile_claims (document)",
        "CREATE TABLE reconcile_facts (id TEXT PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE reconcile_findings (n SERIAL PRIMARY KEY, data TEXT NOT NULL)"],
    2: ["ALTER TABLE reconcile_facts ADD COLUMN block TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE reconcile_facts ADD COLUMN vector BYTEA"],
}


def _psycopg() -> Any:
    """The psycopg module, imported when a server archive is first used (SQLite users need not install it)."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - a dependency; the message says what to install
        raise StoreError("a postgresql:// archive needs psycopg: pip install 'psycopg[binary]'") from exc
    return psycopg


class PostgresStore(Store):
    """A ``postgresql://`` archive: tables ``reconcile_*`` in the named database."""

    def __init__(self, url: str, create: bool = True) -> None:
        self.url = url
        self.name = display_address(url)
        self._writing = False
        self._reading = False
        psycopg = _psycopg()
        try:
            self.db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: cannot connect ({str(exc).strip()})") from exc
        try:
            self._check_schema(create)
        except BaseException:
            self.db.close()
            raise

    def _version(self) -> tuple[int | None, dict[str, str]]:
        """The archive's schema version (None: no archive here) and its meta data."""
        names = {r[0] for r in self.db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        if "reconcile_meta" not in names:
            if names & set(_TABLES):
                raise StoreError(f"{self.name}: not a reconcile archive (reconcile tables without reconcile_meta)")
            return None, {}
        meta = {str(k): str(v) for k, v in self.db.execute("SELECT key, value FROM reconcile_meta")}
        if not meta.get("schema", "").isdigit():
            raise StoreError(f"{self.name}: not a reconcile archive (reconcile_meta has no schema version)")
        return int(meta["schema"]), meta

    def _check_schema(self, create: bool) -> None:
        """Refuse a foreign or newer schema; for a check, also an unfinished or older archive (a check never
        migrates, and its connection turns read-only); for an index run, create or migrate the tables."""
        psycopg = _psycopg()
        try:
            version, meta = self._version()
            if version is not None and version > SCHEMA_VERSION:
                raise refuse_schema(self.name, str(version))
            if not create:
                if version is None or MARKER not in meta:
                    raise StoreError(f"{self.name}: not a finished reconcile archive (no index run completed "
                                     "into it; run `reconcile index` again)")
                if version != SCHEMA_VERSION:
                    raise refuse_schema(self.name, str(version))
                self.db.read_only = True
                return
            if version != SCHEMA_VERSION:
                self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: cannot open the archive ({str(exc).strip()})") from exc

    def _migrate(self) -> None:
        """Create the archive, or bring an older one forward, in one transaction under the writer lock."""
        with self._lock(30.0):
            with self.db.transaction():
                version, _ = self._version()
                for v in range((version or 0) + 1, SCHEMA_VERSION + 1):
                    for stmt in MIGRATIONS[v]:
                        self.db.execute(stmt)
                self.db.execute("INSERT INTO reconcile_meta VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE "
                                "SET value = EXCLUDED.value", (str(SCHEMA_VERSION),))

    @contextmanager
    def _lock(self, wait: float) -> Iterator[None]:
        """Hold the session advisory lock ``LOCK_KEY``, polling up to ``wait`` seconds, then a StoreError."""
        deadline = time.monotonic() + wait
        while not self.db.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise StoreError(f"{self.name}: another `reconcile index` is writing this archive "
                                 f"(waited {wait:g} s; pass --wait SECONDS to wait longer)")
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        try:
            yield
        finally:
            if not self.db.closed:
                self.db.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))

    @contextmanager
    def writing(self, wait: float = 0.0) -> Iterator[None]:
        """PostgreSQL: hold the advisory writer lock for the whole index run, so a second writer waits up to
        ``wait`` seconds or fails; each ``replace`` inside commits as one transaction."""
        psycopg = _psycopg()
        try:
            with self._lock(wait):
                self._writing = True
                try:
                    yield
                finally:
                    self._writing = False
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: could not write the archive ({str(exc).strip()}); "
                             "it is left as it was") from exc

    @guarded
    def document_hashes(self) -> dict[str, str]:
        """Document id -> content hash, from ``reconcile_documents``."""
        return {str(k): str(v) for k, v in self.db.execute("SELECT id, hash FROM reconcile_documents")}

    @guarded
    def known_documents(self, ids: list[str]) -> set[str]:
        """Which of ``ids`` are in ``reconcile_documents`` (looked up by primary key)."""
        with self._read() as db:
            return {str(r[0]) for r in db.execute("SELECT id FROM reconcile_documents WHERE id = ANY(%s)",
                                                  (sorted(set(ids)),))}

    def replace(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
                facts: list[Fact], findings: list[Finding], meta: dict[str, str],
                fact_keys: list[tuple[str, np.ndarray]] | None = None) -> None:
        """Write one index run in one transaction under the writer lock (taken here when not in ``writing``):
        readers see the previous run until it commits; a failure leaves the archive as it was."""
        psycopg = _psycopg()
        keys: list[tuple[str, np.ndarray | None]] = (list(fact_keys) if fact_keys
                                                     else [(f.unit_class, None) for f in facts])
        try:
            with self._lock(0.0) if not self._writing else _held(), self.db.transaction():
                self._write(upsert, delete, facts, findings, meta, keys)
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: could not write the archive ({str(exc).strip()}); "
                             "it is left as it was") from exc

    def _write(self, upsert: list[tuple[Document, list[Claim], np.ndarray]], delete: list[str],
               facts: list[Fact], findings: list[Finding], meta: dict[str, str],
               keys: list[tuple[str, np.ndarray | None]]) -> None:
        """The statements of ``replace``: deletes of the runs' documents, then COPY of documents, claims,
        every fact and finding, and the meta values."""
        with self.db.cursor() as cur:
            gone = delete + [d.id for d, _, _ in upsert]
            cur.execute("DELETE FROM reconcile_claims WHERE document = ANY(%s)", (gone,))
            cur.execute("DELETE FROM reconcile_documents WHERE id = ANY(%s)", (gone,))
            with cur.copy("COPY reconcile_documents (id, hash, data) FROM STDIN") as copy:
                for doc, _, _ in upsert:
                    data = asdict(doc)
                    data.pop("text")
                    copy.write_row((doc.id, doc.content_hash, json.dumps(data, ensure_ascii=False)))
            with cur.copy("COPY reconcile_claims (id, document, data, vector) FROM STDIN") as copy:
                for _, claims, emb in upsert:
                    for c, e in zip(claims, emb):
                        copy.write_row((c.id, c.document, json.dumps(asdict(c), ensure_ascii=False),
                                        np.asarray(e, dtype=np.float32).tobytes()))
            cur.execute("DELETE FROM reconcile_facts")
            with cur.copy("COPY reconcile_facts (id, data, block, vector) FROM STDIN") as copy:
                for f, (block, vec) in zip(facts, keys):
                    copy.write_row((f.id, json.dumps(asdict(f), ensure_ascii=False), block,
                                    None if vec is None else np.asarray(vec, dtype=np.float32).tobytes()))
            cur.execute("DELETE FROM reconcile_findings")
            with cur.copy("COPY reconcile_findings (data) FROM STDIN") as copy:
                for fd in findings:
                    copy.write_row((json.dumps(asdict(fd), ensure_ascii=False),))
            counts = json.dumps(self._counts(), sort_keys=True)
            cur.executemany("INSERT INTO reconcile_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                            "SET value = EXCLUDED.value", sorted({**meta, COUNTS: counts}.items()))

    def _meta(self) -> dict[str, str]:
        """``reconcile_meta`` as a dict (schema, model, clustering, last_indexed, reliability...)."""
        return {str(k): str(v) for k, v in self.db.execute("SELECT key, value FROM reconcile_meta")}

    def _counts(self, meta: dict[str, str] | None = None) -> dict[str, int]:
        """How many documents, claims and facts the archive holds: as the last index run wrote them into
        ``meta`` (when given and there; counting 351,040 claims costs a check a tenth of a second), else
        counted."""
        return (stored_counts(meta) if meta is not None else None) or {
            t: int(self.db.execute(f"SELECT COUNT(*) FROM reconcile_{t}").fetchone()[0])  # noqa: S608
            for t in ("documents", "claims", "facts")}

    @contextmanager
    def reading(self) -> Iterator[None]:
        """PostgreSQL: one repeatable-read transaction around the block (every read in it sees the same
        finished index run); inside an index run or another ``reading``, that one."""
        with self._read():
            yield

    @contextmanager
    def _read(self) -> Iterator[Any]:
        """One consistent view for a multi-query read (repeatable read: one index run, never half of two)."""
        psycopg = _psycopg()
        if self._writing or self._reading:
            yield self.db
            return
        try:
            with self.db.transaction():
                self.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                self._reading = True
                try:
                    yield self.db
                finally:
                    self._reading = False
        except psycopg.Error as exc:
            raise StoreError(f"{self.name}: cannot read the archive ({str(exc).strip()})") from exc

    @guarded
    def snapshot(self) -> ArchiveSnapshot:
        """Every document, claim (with its vector, in claim id order), fact and finding, in one repeatable-read
        transaction: what an index run updates from."""
        snap = ArchiveSnapshot()
        with self._read() as db:
            snap.meta = self._meta()
            snap.documents = [_doc(d) for (d,) in db.execute("SELECT data FROM reconcile_documents ORDER BY id")]
            vecs = []
            for data, vec in db.execute("SELECT data, vector FROM reconcile_claims ORDER BY id", binary=True):
                snap.claims.append(decode(Claim, data))
                vecs.append(decode_vector(bytes(vec)))
            snap.embeddings = stack(vecs)
            snap.facts = [decode(Fact, d) for (d,) in db.execute("SELECT data FROM reconcile_facts ORDER BY id")]
            snap.findings = [decode(Finding, d) for (d,) in db.execute("SELECT data FROM reconcile_findings "
                                                                        "ORDER BY n")]
        snap.counts = {"documents": len(snap.documents), "claims": len(snap.claims), "facts": len(snap.facts)}
        return snap

    @guarded
    def fact_index(self) -> FactIndex:
        """Every fact's id with its block and centroid, in id order, with meta and counts, read consistently:
        the small first read of a check (not the facts' rows, which list their claims)."""
        ids, blocks, vecs = [], [], []
        with self._read() as db:
            for fid, block, vec in db.execute("SELECT id, block, vector FROM reconcile_facts ORDER BY id",
                                               binary=True):
                ids.append(str(fid))
                blocks.append(str(block))
                vecs.append(decode_vector(bytes(vec)) if vec is not None else None)
            meta = self._meta()
            return FactIndex(ids, blocks, centroid_matrix(vecs), meta, self._counts(meta))

    @guarded
    def partial(self, fact_ids: list[str], documents: bool = True) -> ArchiveSnapshot:
        """The named facts, their claims (with vectors) and (``documents``) the claims' documents, in id
        order, from one consistent view."""
        snap = ArchiveSnapshot()
        with self._read() as db:
            snap.meta = self._meta()
            snap.counts = self._counts(snap.meta)
            ids = sorted(set(fact_ids))
            snap.facts = [decode(Fact, d) for (d,) in db.execute(
                "SELECT data FROM reconcile_facts WHERE id = ANY(%s) ORDER BY id", (ids,))]
            claim_ids = sorted({c for f in snap.facts for c in f.claims})
            # binary results: a vector arrives as its bytes, not as hex text twice its size to parse
            rows = db.execute("SELECT data, vector FROM reconcile_claims WHERE id = ANY(%s) ORDER BY id",
                              (claim_ids,), binary=True).fetchall()
            snap.claims = [decode(Claim, data) for data, _ in rows]
            snap.embeddings = stack([decode_vector(bytes(v)) for _, v in rows])
            if documents:
                snap.documents = self.documents([c.document for c in snap.claims])
        return snap

    @guarded
    def documents(self, ids: list[str]) -> list[Document]:
        """The named documents the archive holds, in id order (their texts empty: never stored)."""
        with self._read() as db:
            return [_doc(d) for (d,) in db.execute(
                "SELECT data FROM reconcile_documents WHERE id = ANY(%s) ORDER BY id", (sorted(set(ids)),))]

    @guarded
    def stats(self) -> dict[str, Any]:
        """The ``reconcile stats`` summary, from one consistent view; ``unassigned_claims`` is 0 after any run."""
        with self._read() as db:
            meta = self._meta()
            counts = self._counts()
            ids = [str(i) for (i,) in db.execute("SELECT id FROM reconcile_claims")]
            facts = [decode(Fact, d).claims for (d,) in db.execute("SELECT data FROM reconcile_facts")]
        return {"schema": int(meta["schema"]), **counts, "unassigned_claims": unassigned(ids, facts),
                "last_indexed": meta.get("last_indexed")}

    def close(self) -> None:
        """Close the connection (the advisory lock, if still held, goes with the session)."""
        self.db.close()


@contextmanager
def _held() -> Iterator[None]:
    """The writer lock is already held by ``writing``."""
    yield


def _doc(data: Any) -> Document:
    """A document from its row (JSON text), its text empty, its fields type-checked."""
    obj = dict(data) if isinstance(data, dict) else json.loads(data)
    obj["text"] = ""
    return decode(Document, obj)
