"""The Python API: ``analyse`` a corpus, ``check`` drafts against an archive, and how a run finds its config.

What the command line does, callable from Python with typed results (``reconcile.analyse``,
``reconcile.check``). Nothing here prints; problems with inputs are in the results' ``errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reconcile.check import CheckResult, archive_target, check_against
from reconcile.config import Config, ConfigError, find_config, load_config
from reconcile.model import InputError
from reconcile.pipeline import Progress, RunResult, run

__all__ = ["Result", "CheckResult", "Rows", "analyse", "check", "resolve_config", "claim_rows", "quantity_rows"]

Result = RunResult  # one run of the pipeline: documents, claims, facts, findings, errors


def resolve_config(paths: Iterable[str], config: Config | str | Path | None = None, *, isolated: bool = False,
                   **overrides: Any) -> Config:
    """The configuration of a run on ``paths``: the one given, or the file found upward from the first input.

    ``isolated``: no discovery (the defaults unless ``config`` is given), so a ``reconcile.toml`` placed
    beside the inputs cannot change the run. ``overrides`` (command-line flags) win when not None:
    ``rules_dirs`` adds folders, others replace keys. Raises ``ConfigError`` naming the file when it is malformed.
    """
    if isinstance(config, Config):
        cfg = config
    elif config is not None:
        cfg = load_config(Path(config))
    elif isolated:
        cfg = load_config(None)
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


@dataclass
class Rows:
    """Per-item rows of every readable input (claims or number expressions), and the inputs that failed."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)


def _documents(paths: list[str], config: Config, out: Rows) -> Iterator[Any]:
    from reconcile.ingest import read_inputs
    from reconcile.lexicon import load_lexicon

    lex = load_lexicon(config.rules_dirs)
    for item in read_inputs(paths, lex, warnings=out.warnings):
        if isinstance(item, InputError):
            out.errors.append(item)
        else:
            yield item, lex


def claim_rows(inputs: Iterable[str], config: Config | str | Path | None = None) -> Rows:
    """The quantitative claims of ``inputs``, one dictionary each (the ``Claim`` fields but the embedded text).

    Extracted on the configuration's ``jobs`` local processes (``reconcile.workers``), in document order; a
    document whose extraction fails is an input error of ``Rows.errors``, the others are still listed.
    """
    from reconcile.lexicon import load_lexicon
    from reconcile.workers import extract_documents

    paths = [str(p) for p in inputs]
    cfg = resolve_config(paths, config)
    out = Rows()
    docs = [doc for doc, _lex in _documents(paths, cfg, out)]
    for doc, (claims, problem) in zip(docs, extract_documents(docs, load_lexicon(cfg.rules_dirs), cfg.jobs)):
        if problem:
            out.errors.append(InputError(doc.path, problem))
        for c in claims:
            row = asdict(c)
            row.pop("key_text", None)
            out.rows.append(row)
    return out


def quantity_rows(inputs: Iterable[str], config: Config | str | Path | None = None) -> Rows:
    """Every number expression of ``inputs`` with its offsets, interval, unit, hedge and change."""
    from reconcile.claims import document_quantities

    paths = [str(p) for p in inputs]
    out = Rows()
    for doc, lex in _documents(paths, resolve_config(paths, config), out):
        for q, s, e in document_quantities(doc, lex):
            out.rows.append({"document": doc.id, "start": s, "end": e, "surface": doc.text[s:e], "value": q.value,
                             "low": q.low, "high": q.high, "unit": q.unit, "hedge": q.hedge, "change": q.change,
                             "kind": q.kind, "unit_canonical": q.unit_canonical,
                             "value_canonical": q.value_canonical, "direction": q.direction})
    return out
