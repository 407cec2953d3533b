"""JSON rendering of the report record (schema ``reconcile.report/2``, see ``report.SCHEMA_ID``), byte-stable."""

from __future__ import annotations

import json
from typing import Any, TextIO

__all__ = ["render", "write"]


def render(record: dict[str, Any]) -> str:
    """The record as indented UTF-8 JSON with a final newline; the same record gives the same bytes."""
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def write(record: dict[str, Any], fh: TextIO) -> None:
    """The same text as ``render``, written in pieces: a large corpus's report is never one string."""
    json.dump(record, fh, indent=2, ensure_ascii=False)
    fh.write("\n")
