"""Small date parsing for metadata lines and ``as_of`` expressions (German, English).

The month and weekday names are packaged data (``rules/lexicon/dates.yml``, read by ``reconcile.packaged``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from reconcile.lexicon import LexiconError
from reconcile.packaged import packaged_data

__all__ = ["MONTHS", "parse_date_line", "iso", "MONTH_RE"]


def _months(data: dict[str, Any]) -> dict[str, int]:
    """Each month name or abbreviation (lower case) to its number, from ``dates.yml`` ``months``."""
    months = data.get("months")
    if not isinstance(months, dict) or sorted(int(k) for k in months) != list(range(1, 13)):
        raise LexiconError("lexicon/dates.yml: months must map each of 1 to 12 to a list of names")
    return {str(name).lower(): int(k) for k, names in months.items() for name in names}


_DATA = packaged_data("dates")
MONTHS: dict[str, int] = _months(_DATA)
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DMY_NAME = re.compile(rf"^(\d{{1,2}})\.?\s+({MONTH_RE})\.?\s+(\d{{4}})$", re.I)
_MDY_NAME = re.compile(rf"^({MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_DMY_NUM = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_WEEKDAY = re.compile(
    rf"^(?:{'|'.join(sorted(map(re.escape, _DATA.get('weekdays', [])), key=len, reverse=True))})\.?,?\s+", re.I)


def iso(y: int, m: int, d: int) -> str | None:
    """``YYYY-MM-DD`` of a calendar date, or None when there is no such day (a parsed 31.02. is no date)."""
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date_line(s: str) -> str | None:
    """Parse a string that is only a date ("18 Jun 2025", "2. Juli 2025", "2025-06-18") to ISO, else None."""
    s = _WEEKDAY.sub("", s.strip().strip("|").strip())
    if len(s) > 40:
        return None
    m = _ISO.match(s)
    if m:
        return iso(int(m[1]), int(m[2]), int(m[3]))
    m = _DMY_NAME.match(s)
    if m:
        return iso(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    m = _MDY_NAME.match(s)
    if m:
        return iso(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    m = _DMY_NUM.match(s)
    if m:
        return iso(int(m[3]), int(m[2]), int(m[1]))
    return None
