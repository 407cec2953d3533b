"""The one YAML loader of reconcile: safe, and without aliases, so a small file cannot expand to gigabytes.

Front matter, lexicon files and rule files are all read through ``load_yaml``. YAML aliases (``*name``,
and so ``<<: *name`` merges) are refused where they stand: an alias bomb of nine nested levels is a
418-byte file that safe_load expands to billions of nodes. Anchors alone are harmless and allowed.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load_yaml", "YAMLError"]

YAMLError = yaml.YAMLError


class _AliasFreeLoader(yaml.SafeLoader):
    """SafeLoader that raises on the first alias instead of sharing (and later expanding) the node."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose the next node, refusing an alias where it stands (an alias bomb never expands)."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, f"YAML aliases (*{event.anchor}) are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """Parse one YAML document with the safe tag set and no aliases; raises ``YAMLError``."""
    return yaml.load(text, Loader=_AliasFreeLoader)  # noqa: S506 (a SafeLoader subclass)
