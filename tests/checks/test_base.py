"""The helpers every check shares (``reconcile.checks.base``)."""

from __future__ import annotations

import numpy as np

from reconcile.checks.base import codes, comparable, describe, fmt, overlap

from ..builders import claim, context, documents


def test_fmt_scales_and_open_ends():
    assert [fmt(1_800_000), fmt(2_400_000_000), fmt(11000), fmt(5587.75), fmt(None)] == \
        ["1.8 m", "2.4 bn", "11,000", "5,587.75", "open"]


def test_overlap_of_the_claims_own_intervals():
    assert overlap(claim(0, 100, low=90, high=110), claim(1, 105))
    assert not overlap(claim(0, 100), claim(1, 105))
    assert overlap(claim(0, 100), claim(1, 105), tolerance=0.1)


def test_comparable_keeps_the_listed_modalities():
    cs = [claim(0, 1), claim(1, 2, modality="planned"), claim(2, 3, modality="reported")]
    assert [c.id for c in comparable(cs, ["asserted", "reported"])] == ["c0", "c2"]


def test_describe_names_the_attribution_else_the_outlet():
    docs = documents("a")
    assert describe(claim(0, 11000, surface="11.000"), docs) == "11.000 (Alpha Post)"
    assert describe(claim(0, 11000, surface="11.000", attribution="Kiew"), docs) == "11.000 (Kiew)"
    assert describe(claim(0, 5, doc="zz"), docs) == "5 (zz)"


def test_codes_are_equal_exactly_for_equal_values():
    got = codes(["x", "y", "x", None])
    assert got.dtype == np.int64 and got[0] == got[2] and len(set(got.tolist())) == 3


def test_context_origins_and_published_dates():
    cs = [claim(0, 1, "a"), claim(1, 1, "b"), claim(2, 1, "c")]
    ctx = context(cs, documents("a", "b", "c", a="2025-01-02"), origin={"c0": "X", "c1": "X", "c2": "Y"})
    assert ctx.origins() == {"X", "Y"} and ctx.origins(cs[:2]) == {"X"}
    assert ctx.published == {"a": "2025-01-02", "b": None, "c": None}
