"""Embeddings through sentence-transformers with the disk cache (``reconcile.embed``), on the session's model."""

from __future__ import annotations

import numpy as np

from reconcile.embed import Embedder, counted_embeddings, default_cache_dir

from .builders import claim


def test_rows_are_unit_vectors_and_the_same_fact_is_closer_across_languages(embedder):
    v = embedder.encode(["11.000 nordkoreanische Soldaten", "11,000 North Korean soldiers", "Der Hund bellt laut"])
    assert v.dtype == np.float32 and v.shape[0] == 3
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_a_second_embedder_reads_the_cache_without_the_model(embedder):
    texts = ["embed-test: 42 Fässer Wein", "embed-test: 17 Kisten Bier"]
    first = embedder.encode(texts)
    again = Embedder()  # the same default cache; the model is loaded only for texts it has not seen
    assert again.cache_path == default_cache_dir() / "embeddings.sqlite"
    second = again.encode(texts)
    assert np.array_equal(first, second) and (again.hits, again.misses) == (2, 0)


def test_counted_embeddings_have_a_zero_row_for_a_claim_without_a_counted_thing(embedder):
    cs = [claim(0, 5, counted_text="Soldaten"), claim(1, 5, counted=None, counted_group=None)]
    e = counted_embeddings(embedder, cs)
    assert e.shape[0] == 2 and np.allclose(np.linalg.norm(e[0]), 1.0, atol=1e-5) and not e[1].any()
