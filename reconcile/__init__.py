"""reconcile: a source-contradiction and fact-reconciliation engine.

The stages, one module each: ``ingest`` -> ``sentences`` -> ``quantities`` -> ``claims`` ->
``embed`` -> ``cluster`` -> ``rules`` -> ``confidence`` -> ``report``. ``pipeline`` runs them in order.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
