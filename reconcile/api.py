"""The Python API: ``analyse`` a corpus, ``check`` drafts against an archive, and how a run finds its config.

What the command line does, callable from Python with typed results (``reconcile.analyse``,
``reconcile.check``). Nothing here prints; problems with inputs are in the results' ``errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reconcile.check import CheckResult, archive_target, check_against
from reconcile.config import Config, ConfigError, find_config, load_config
from reconcile.pipeline import Progress, RunResult, run

__all__ = ["Result", "CheckResult", "analyse", "check", "resolve_config"]

Result = RunResult  # one run of the pipeline: documents, claims, facts, findings, errors


def resolve_config(paths: Iterable[str], config: Config | str | Path | None = None,
                   **overrides: Any) -> Config:
    """The configuration of a run on ``paths``: the one given, or the file found upward from the first input.

    ``overrides`` (command-line flags) win when not None: ``rules_dirs`` adds folders, others replace keys.
    Raises ``ConfigError`` naming the file when it is malformed.
    """
    if isinstance(config, Config):
        cfg = config
    elif config is not None:
        cfg = load_config(Path(config))
    else:
        start = next((Path(p) for p in paths if p != "-" and Path(p).exists()), Path.cwd())
        cfg = load_config(find_config(start))
    for key, value in overrides.items():
        if value is None or value == ():
            continue
        if key == "rules_dirs":
            cfg.rules_dirs = cfg.rules_dirs + [str(Path(d).resolve()) for d in value]
        else:
            setattr(cfg, key, value)
    return cfg


def analyse(inputs: Iterable[str], config: Config | str | Path | None = None,
            progress: Progress | None = None) -> Result:
    """Reconcile the figures of ``inputs`` (files, folders, JSON Lines): facts, verdicts, findings.

    ``config``: a ``Config``, a TOML file, or None to find one upward from the first input.
    ``reconcile.report.build_record(result)`` turns the result into the report record every format renders.
    """
    paths = [str(p) for p in inputs]
    return run(paths, resolve_config(paths, config), progress=progress)


def check(drafts: Iterable[str], against: str | Path | None = None, config: Config | str | Path | None = None,
          baseline: set[str] | None = None) -> CheckResult:
    """Check the figures of ``drafts`` against an archive file or a folder of articles.

    ``against`` defaults to the configuration's ``archive``. ``reconcile.check.record(result)`` gives the
    record the check formats render (every figure with the fact it matched, and the findings).
    Raises ``ConfigError`` without an archive, ``StoreError`` when it cannot be read.
    """
    paths = [str(p) for p in drafts]
    cfg = resolve_config(paths, config)
    target = archive_target(str(against) if against is not None else None, cfg)
    if not target:
        raise ConfigError("no archive: pass against=ARCHIVE_OR_FOLDER or set `archive` in [tool.reconcile]")
    return check_against(paths, target, cfg, baseline=baseline)
