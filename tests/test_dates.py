"""Date lines of metadata (``reconcile.dates``)."""

from __future__ import annotations

import pytest

from reconcile.dates import iso, parse_date_line


@pytest.mark.parametrize("line, expected", [
    ("18 Jun 2025", "2025-06-18"),
    ("2. Juli 2025", "2025-07-02"),
    ("2025-06-18", "2025-06-18"),
    ("2025-06-18T09:30:00+02:00", "2025-06-18"),
    ("June 18, 2025", "2025-06-18"),
    ("18.06.2025", "2025-06-18"),
    ("Mittwoch, 18. Juni 2025", "2025-06-18"),
    ("| 3. März 2024 |", "2024-03-03"),
])
def test_a_line_that_is_only_a_date(line, expected):
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("line", ["Am 18. Juni 2025 schickte Russland Soldaten.", "31.02.2025", "11.000 Soldaten", ""])
def test_anything_else_is_no_date(line):
    assert parse_date_line(line) is None


def test_iso_refuses_impossible_days():
    assert iso(2024, 2, 29) == "2024-02-29" and iso(2025, 2, 29) is None
