"""JSON rendering of the report record (schema ``reconcile.report/1``), byte-stable."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render"]


def render(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
