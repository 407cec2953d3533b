"""reconcile: a source-contradiction and fact-reconciliation engine.

The stages, one module each: ``ingest`` -> ``sentences`` -> ``quantities`` -> ``claims`` ->
``embed`` -> ``cluster`` -> ``rules`` -> ``confidence`` -> ``report``. ``pipeline`` runs them in order.

The Python API (``reconcile.api``): ``analyse(inputs, config=None) -> Result`` and
``check(drafts, against, config=None) -> CheckResult``; importing ``reconcile`` alone stays cheap (the
stages load on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.10.0"
__all__ = ["__version__", "analyse", "check", "Result", "CheckResult"]

if TYPE_CHECKING:
    from reconcile.api import CheckResult, Result, analyse, check


def __getattr__(name: str) -> Any:
    """The API names load ``reconcile.api`` (and so numpy and the stages) only when first asked for."""
    if name == "check":  # the module reconcile.check is callable: it is the API function too
        import importlib

        return importlib.import_module("reconcile.check")
    if name in ("analyse", "Result", "CheckResult"):
        from reconcile import api

        return getattr(api, name)
    raise AttributeError(f"module 'reconcile' has no attribute {name!r}")
