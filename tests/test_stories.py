"""Stories: documents grouped by what they are about and when, within a size; the clustering compares
every pair of one story's claims in a large block."""

from __future__ import annotations

import numpy as np

from reconcile.stories import StoryParams, group_stories


def _two_topics(rng: np.random.Generator, per: int = 4) -> np.ndarray:
    topics = rng.normal(size=(2, 16))
    return np.repeat(topics, per, axis=0) + 0.05 * rng.normal(size=(2 * per, 16))


def test_documents_of_one_topic_and_week_form_one_story():
    V = _two_topics(np.random.default_rng(1))
    days = np.array([100, 101, 101, 103, 100, 102, 104, 101], dtype=np.float64)
    got = group_stories(V, days, np.full(8, 5))
    assert len(set(got[:4].tolist())) == 1 and len(set(got[4:].tolist())) == 1
    assert got[0] != got[4]


def test_the_same_topic_months_apart_is_another_story():
    V = _two_topics(np.random.default_rng(2))[:4]
    days = np.array([100, 102, 400, 401], dtype=np.float64)  # the same kind of event a year later
    got = group_stories(V, days, np.full(4, 5), StoryParams(days=30))
    assert got[0] == got[1] and got[2] == got[3] and got[0] != got[2]


def test_a_story_spans_its_days_and_no_chain_of_them():
    V = _two_topics(np.random.default_rng(3), per=5)[:5]
    days = np.array([0, 20, 40, 60, 80], dtype=np.float64)  # each 20 days from the next: a chain over months
    got = group_stories(V, days, np.full(5, 5), StoryParams(days=30))
    assert len(set(got.tolist())) >= 3


def test_undated_documents_join_by_topic_and_stories_stay_small():
    V = _two_topics(np.random.default_rng(4), per=6)
    got = group_stories(V, np.full(12, np.nan), np.full(12, 5))
    assert len(set(got[:6].tolist())) == 1
    capped = group_stories(V, np.full(12, np.nan), np.full(12, 5), StoryParams(max_claims=15))
    assert max(np.bincount(capped).tolist()) <= 3  # at most 15 claims of 5 per document


def test_large_block_compares_every_pair_of_a_story():
    from reconcile.cluster import ClusterParams, _average, _edges

    rng = np.random.default_rng(5)
    E = rng.normal(size=(60, 8)).astype(np.float32)
    stories = np.repeat(np.arange(6), 10)
    lo, hi, _ = _edges(E, E, 2, stories=stories)
    pairs = set(zip(lo.tolist(), hi.tolist()))
    assert all((a, b) in pairs for a in range(10) for b in range(a + 1, 10))
    # two clusters of one story linked by all their pairs: no missing link counts against them
    params = ClusterParams(neighbours=2)
    assert _average([0.3 * 25, 25.0], 5, 5, params, same_story=25) == 0.3
    assert _average([0.3 * 10, 10.0], 5, 5, params, same_story=0) == 0.3
    assert _average([0.3 * 10, 10.0], 5, 5, params, same_story=25) > 0.5
