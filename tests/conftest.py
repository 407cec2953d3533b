"""Shared fixtures: the seeds, the gold file, and one run of the real pipeline per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_GOLD = ROOT.parent / "shared" / "eval" / "seeds.gold.json"
GOLD = ROOT / "eval" / "seeds.gold.json"


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["RECONCILE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def embedder(_cache_dir: None):
    """The default embedding model, loaded once per session and shared by every test that embeds."""
    from reconcile.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def seeds_result(embedder):
    from reconcile.config import Config
    from reconcile.pipeline import run

    return run([str(SEEDS)], Config(), embedder)


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (see tests/pg.py): the URL of its ``postgres`` database."""
    from .pg import postgres_server

    with postgres_server() as url:
        yield url
