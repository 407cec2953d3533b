"""Configuration: packaged defaults overridden by ``[tool.reconcile]`` in pyproject.toml or reconcile.toml.

The file is found upward from the first input (or given with ``--config``); command-line flags win.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Config", "ConfigError", "find_config", "load_config", "weakened_draft_rules", "DRAFT_RULES"]

# the draft rules that fail a build on a wrong figure; a config beside the drafts must not quietly weaken them
DRAFT_RULES = ("DR01", "DR02", "DR03")

_KEYS = {"model", "cache", "cluster_threshold", "rules", "fail_level", "archive", "rule", "confidence", "index_batch",
         "jobs"}


class ConfigError(ValueError):
    """A configuration file is malformed; the message names the file and the key."""


@dataclass
class Config:
    """One run's settings: the packaged defaults, then the configuration file, then command-line flags."""

    model: str = "usem3"
    cache: bool = True
    cluster_threshold: float = 0.75
    rules_dirs: list[str] = field(default_factory=list)
    fail_level: str = "error"
    archive: str | None = None
    rule_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None
    confidence: dict[str, Any] = field(default_factory=dict)  # [confidence]: ConfidenceParams fields
    index_batch: int = 10_000  # new or changed documents `reconcile index` extracts, clusters and writes at a time
    jobs: int = 0  # local processes extracting claims and running the rules: 0 = one per core for a large corpus


def find_config(start: Path) -> Path | None:
    """The nearest reconcile.toml, or pyproject.toml with a [tool.reconcile] table, upward from ``start``.

    A pyproject.toml whose TOML is broken is an error (naming its line and column), not skipped.
    """
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for d in [here, *here.parents]:
        rt = d / "reconcile.toml"
        if rt.is_file():
            return rt
        pp = d / "pyproject.toml"
        if pp.is_file():
            try:
                if "reconcile" in tomllib.loads(pp.read_text(encoding="utf-8")).get("tool", {}):
                    return pp
            except tomllib.TOMLDecodeError as exc:  # broken TOML may hide a [tool.reconcile]: say so
                raise ConfigError(f"{pp}: malformed TOML: {exc}") from exc
            except (OSError, UnicodeDecodeError):
                continue
    return None


def weakened_draft_rules(cfg: Config) -> list[str]:
    """How ``cfg`` weakens the draft rules against the packaged defaults: each disabled rule, each
    level lowered, each changed parameter (through ``[rule.DRnn]`` or a rules folder). Empty if none."""
    from reconcile.rules import LEVEL_ORDER, load_rules

    base = {r.code: r for r in load_rules(Config())}
    mine = {r.code: r for r in load_rules(cfg)}
    out = []
    for code in DRAFT_RULES:
        b, m = base.get(code), mine.get(code)
        if b is None:
            continue
        if m is None or not m.enabled:
            out.append(f"{code} disabled")
        elif LEVEL_ORDER[m.level] < LEVEL_ORDER[b.level]:
            out.append(f"{code} lowered from {b.level} to {m.level}")
        elif m.params != b.params:
            changed = sorted(k for k in set(b.params) | set(m.params) if b.params.get(k) != m.params.get(k))
            out.append(f"{code} parameters changed ({', '.join(changed)})")
    return out


def _read_table(path: Path) -> dict[str, Any]:
    """The [tool.reconcile] table of a pyproject.toml, or a reconcile.toml's whole table; unknown keys refused."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from exc
    table = data.get("tool", {}).get("reconcile", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.reconcile] must be a table")
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_KEYS))}")
    return table


def _whole(path: Path, table: dict[str, Any], key: str, least: int, what: str) -> int:
    """``table[key]`` as a whole number of at least ``least``, else a ``ConfigError`` saying ``what`` it counts."""
    v = table[key]
    if not isinstance(v, int) or isinstance(v, bool) or v < least:
        raise ConfigError(f"{path}: '{key}' must be a whole number of {what}")
    return v


def _apply_paths(cfg: Config, table: dict[str, Any], path: Path) -> None:
    """The keys naming files or folders (model, rules, archive), resolved against the file's folder."""
    base = path.parent
    if "model" in table:
        if not isinstance(table["model"], str):
            raise ConfigError(f"{path}: 'model' must be a string")
        m = table["model"]
        cfg.model = str((base / m).resolve()) if (base / m).exists() else m
    if "rules" in table:
        v = table["rules"]
        dirs = [v] if isinstance(v, str) else v
        if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
            raise ConfigError(f"{path}: 'rules' must be a folder or a list of folders")
        cfg.rules_dirs = [str((base / d).resolve()) for d in dirs]
    if "archive" in table:
        if not isinstance(table["archive"], str):
            raise ConfigError(f"{path}: 'archive' must be a path")
        archive = table["archive"]  # a server URL stays as written; a path is relative to this file
        cfg.archive = archive if "://" in archive else str((base / archive).resolve())


def _apply_values(cfg: Config, table: dict[str, Any], path: Path) -> None:
    """The keys holding values: cache, threshold, fail level, batch size, jobs, rule and confidence tables."""
    if "cache" in table:
        if not isinstance(table["cache"], bool):
            raise ConfigError(f"{path}: 'cache' must be true or false")
        cfg.cache = table["cache"]
    if "cluster_threshold" in table:
        v = table["cluster_threshold"]
        if not isinstance(v, (int, float)) or not 0 < v < 2:
            raise ConfigError(f"{path}: 'cluster_threshold' must be a number between 0 and 2")
        cfg.cluster_threshold = float(v)
    if "fail_level" in table:
        if table["fail_level"] not in ("info", "warning", "error"):
            raise ConfigError(f"{path}: 'fail_level' must be info, warning or error")
        cfg.fail_level = table["fail_level"]
    if "index_batch" in table:
        cfg.index_batch = _whole(path, table, "index_batch", 1, "documents, at least 1")
    if "jobs" in table:
        cfg.jobs = _whole(path, table, "jobs", 0, "processes (0 = one per core)")
    if "rule" in table:
        rules = table["rule"]
        if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
            raise ConfigError(f"{path}: [rule.CODE] entries must be tables, e.g. [tool.reconcile.rule.NU01]")
        cfg.rule_overrides = {k.upper(): dict(v) for k, v in rules.items()}
    if "confidence" in table:
        if not isinstance(table["confidence"], dict):
            raise ConfigError(f"{path}: [confidence] must be a table of ConfidenceParams fields")
        cfg.confidence = dict(table["confidence"])


def load_config(path: Path | None) -> Config:
    """The configuration in ``path`` (a reconcile.toml, or a pyproject.toml's [tool.reconcile]); defaults for None.
    Paths in it are resolved against its folder; a bad file or value is a ``ConfigError`` naming the file."""
    cfg = Config()
    if path is None:
        return cfg
    table = _read_table(path)
    cfg.source = str(path)
    _apply_paths(cfg, table, path)
    _apply_values(cfg, table, path)
    return cfg
