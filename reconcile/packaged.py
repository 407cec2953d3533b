"""Packaged language data that modules read once, when they are imported.

Month and weekday names (``dates.yml``), the words of reports (``render.yml``), the words that never
tell sources apart (``sources.yml``) and the scorer's stop words and gold hedge marks (``evaluation.yml``)
live in ``rules/lexicon/`` like every word list, but the code that uses them compiles its patterns or sets
at import, before any user configuration is read. So they come from the rule pack in use
(``$RECONCILE_RULES_DIR`` or the packaged ``rules/``), falling back to the packaged copy when that pack has
no such file, and a user lexicon folder does not override them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from reconcile.lexicon import LexiconError, default_rules_dir
from reconcile.yamlio import YAMLError, load_yaml

__all__ = ["packaged_data"]

_PACKAGED = Path(__file__).resolve().parent.parent / "rules" / "lexicon"


@lru_cache(maxsize=None)
def packaged_data(name: str) -> dict[str, Any]:
    """The mapping in ``lexicon/<name>.yml`` of the rule pack in use; raises ``LexiconError`` naming the file."""
    path = default_rules_dir() / "lexicon" / f"{name}.yml"
    if not path.is_file():
        path = _PACKAGED / f"{name}.yml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    return data
