"""``python -m reconcile`` runs the command-line interface."""

from __future__ import annotations

from reconcile.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through the CLI tests
    main()
