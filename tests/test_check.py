"""`reconcile index` and `reconcile check`, end to end through the CLI, against an archive of the seeds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner

from reconcile.cli import cli
from reconcile.store import open_store

from .conftest import ROOT, SEEDS

SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-2.1.0.subset.schema.json"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "seeds.db"
    r = _run("index", str(SEEDS), "--db", str(db))
    assert r.exit_code == 0, r.output
    return db


def _draft(tmp_path: Path, text: str, name: str = "draft.md") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_german_draft_with_12000_fails_and_cites_sources(archive, tmp_path):
    d = _draft(tmp_path, "# Entwurf\n\nNordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "json")
    assert r.exit_code == 1, r.output
    (f,) = [f for f in _json(r)["findings"] if f["level"] == "error"]
    assert f["rule"] == "DR01" and f["draft"]["line"] == 3
    assert "11,000" in f["message"] and "taz" in f["message"] and "DW (Deutsche Welle)" in f["message"]
    assert f["fact"]["verdict"] == "conflict"


def test_reconciled_figure_passes(archive, tmp_path):
    d = _draft(tmp_path, "Nordkorea hat rund 11.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "json")
    assert r.exit_code == 0, r.output
    assert [f for f in _json(r)["findings"] if f["level"] != "info"] == []


def test_english_draft_with_15000_fails(archive, tmp_path):
    d = _draft(tmp_path, "North Korea sent 15,000 troops to Russia, officials said.\n")
    r = _run("check", d, "--against", str(archive))
    assert r.exit_code == 1
    assert "DR01" in r.stdout


def test_baseline_turns_a_known_disagreement_green(archive, tmp_path):
    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    base = tmp_path / "baseline.json"
    assert _run("check", d, "--against", str(archive), "--write-baseline", str(base)).exit_code == 0
    # the baseline survives an edit that moves the figure to another line
    Path(d).write_text("# Neu\n\nEinleitung.\n\nNordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive), "--baseline", str(base), "--format", "json")
    assert r.exit_code == 0, r.output
    (f,) = [f for f in _json(r)["findings"] if f["rule"] == "DR01"]
    assert f["suppressed"] and f["suppressed_by"] == "baseline"
    bad = _draft(tmp_path, "not json", "bad.json")
    r = _run("check", d, "--against", str(archive), "--baseline", bad)
    assert r.exit_code == 2 and "bad.json" in r.stderr


def test_inline_suppression_and_unused_warning(archive, tmp_path):
    d = _draft(tmp_path, "<!-- reconcile: ignore DR01 -->\nNordkorea hat 12.000 Soldaten\nnach Kursk geschickt.\n\n"
                         "Russland hat 11.000 Soldaten erhalten. <!-- reconcile: ignore DR02 -->\n")
    r = _run("check", d, "--against", str(archive), "--format", "json")
    assert r.exit_code == 0, r.output
    rec = _json(r)
    assert [f["suppressed_by"] for f in rec["findings"] if f["rule"] == "DR01"] == ["inline"]
    assert rec["unused_suppressions"] == [{"path": d, "line": 5, "codes": ["DR02"]}]
    assert "matched no finding" in r.stderr


def test_sarif_validates_and_fingerprints_ignore_lines(archive, tmp_path):
    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "sarif", "--exit-zero")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text()))
    run = doc["runs"][0]
    assert {x["id"] for x in run["tool"]["driver"]["rules"]} >= {"DR01", "DR02", "DR03", "DR04"}
    (res,) = [x for x in run["results"] if x["ruleId"] == "DR01"]
    assert res["level"] == "error" and res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    Path(d).write_text("\n\n\nNordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    moved = json.loads(_run("check", d, "--against", str(archive), "--format", "sarif").stdout)
    (res2,) = [x for x in moved["runs"][0]["results"] if x["ruleId"] == "DR01"]
    assert res2["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert res2["fingerprints"] == res["fingerprints"]


def test_github_annotations_keep_every_level(archive, tmp_path):
    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n\n"
                         "In Pjöngjang wurden 37 Kraniche gezählt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "github", "--fail-level", "warning")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert any(x.startswith("::error file=") and ",line=1," in x for x in lines)
    assert any(x.startswith("::notice file=") and ",line=3," in x and "DR04" in x for x in lines)


def test_folder_as_archive_and_config_found_upward(tmp_path):
    proj = tmp_path / "newsroom"
    (proj / "drafts").mkdir(parents=True)
    shutil.copytree(SEEDS, proj / "archive")
    (proj / "reconcile.toml").write_text('archive = "archive"\nfail_level = "warning"\n')
    d = _draft(proj / "drafts", "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d)
    assert r.exit_code == 1, r.output
    r = _run("check", d, "--exit-zero")
    assert r.exit_code == 0
    r = _run("check", str(proj / "drafts" / "missing.md"))
    assert r.exit_code == 2


def test_index_is_incremental_and_atomic(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    db = tmp_path / "a.db"
    r = _run("index", str(src), "--db", str(db))
    assert r.exit_code == 0 and "5 added" in r.stderr
    r = _run("index", str(src), "--db", str(db))
    assert "0 added, 0 changed, 5 unchanged, 0 removed" in r.stderr
    first = sorted(src.glob("0*.txt"))[0]
    text = first.read_text(encoding="utf-8")
    at = text.index("\n", text.index("11.000"))  # in the article body, not in a boilerplate tail
    first.write_text(text[:at] + " Zusätzlich wurden 77 Panzer gemeldet." + text[at:], encoding="utf-8")
    sorted(src.glob("0*.txt"))[1].unlink()
    r = _run("index", str(src), "--db", str(db))
    assert "1 changed, 3 unchanged, 1 removed" in r.stderr, r.stderr
    store = open_store(db)
    before = store.snapshot()
    store.close()
    assert len(before.documents) == 4
    assert any(c.surface == "77" for c in before.claims)

    # a run that dies while writing leaves the previous archive as it was
    from reconcile import store as store_mod

    def boom(self, *a, **k):
        with self._transaction() as db_:
            db_.execute("DELETE FROM claims")
            raise KeyboardInterrupt

    shutil.copy(SEEDS / sorted(p.name for p in SEEDS.glob("0*.txt"))[1], src)
    monkeypatch.setattr(store_mod.SQLiteStore, "replace", boom)
    r = CliRunner().invoke(cli, ["index", str(src), "--db", str(db)])
    assert r.exit_code != 0  # click turns the interrupt into "Aborted!"
    monkeypatch.undo()
    store = open_store(db)
    after = store.snapshot()
    store.close()
    assert [c.id for c in after.claims] == [c.id for c in before.claims]
    assert len(after.documents) == 4


def test_not_an_archive(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten geschickt.\n")
    r = _run("check", d, "--against", str(junk))
    assert r.exit_code == 2 and "junk.db" in r.stderr
    r = _run("check", d, "--against", str(tmp_path / "none.db"))
    assert r.exit_code == 2 and "none.db" in r.stderr


def test_configured_levels_reach_the_sarif_rule_metadata(archive, tmp_path):
    (tmp_path / "reconcile.toml").write_text('[rule.DR01]\nlevel = "warning"\n')
    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "sarif")
    assert r.exit_code == 0  # DR01 is a warning here, below the default fail level
    run = json.loads(r.stdout)["runs"][0]
    meta = {x["id"]: x for x in run["tool"]["driver"]["rules"]}
    assert meta["DR01"]["defaultConfiguration"]["level"] == "warning"
    assert [x["level"] for x in run["results"] if x["ruleId"] == "DR01"] == ["warning"]


def test_a_check_reads_only_the_facts_near_the_draft_and_finds_the_same(archive, tmp_path):
    from reconcile.check import candidate_facts, check_drafts
    from reconcile.config import Config

    d = _draft(tmp_path, "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n\n"
                         "Russland hat 1.500 Touristen aus Nordkorea empfangen.\n")
    store = open_store(archive, create=False)
    try:
        full = check_drafts([d], store.snapshot(), Config())
        part = check_drafts([d], store, Config())
        index = store.fact_index()
    finally:
        store.close()
    assert len(part.archive.facts) < len(index.ids)  # only some facts were read ...
    assert part.archive.counts["facts"] == len(index.ids)  # ... and the counts still speak of the whole
    assert [(f.rule, f.fact, f.fingerprint) for f in part.findings] == \
        [(f.rule, f.fact, f.fingerprint) for f in full.findings]
    assert set(candidate_facts(part.claims, np.ones((len(part.claims), index.centroids.shape[1]), np.float32),
                               index, k=1)) <= set(index.ids)


def test_an_archive_of_an_older_schema_is_refused(tmp_path):
    import sqlite3

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema', '1')")
    con.commit()
    con.close()
    r = _run("check", _draft(tmp_path, "Es kamen 5 Leute.\n"), "--against", str(db))
    assert r.exit_code == 2
    assert "schema 1" in r.stderr and "re-index" in r.stderr


# wrong figures that must be judged against the right fact although the draft does not repeat the place
# or the wording of the sources: (sentence, the reconciled value of the fact it must be judged against)
WRONG_FIGURES = [
    ("Außerdem soll Pjöngjang 3.000 Minenentschärfer entsenden.", 1000),
    ("Nordkorea hat 25.000 Soldaten nach Russland geschickt.", 11000),
    ("Pjöngjang hat 40.000 Soldaten geschickt.", 11000),
    ("Nordkorea will weitere 9.000 Bausoldaten entsenden.", 5000),
    ("Bei den Kämpfen wurden 20.000 nordkoreanische Soldaten getötet.", 6000),
]


@pytest.fixture(scope="module")
def wrong_figures(archive, tmp_path_factory) -> dict:
    d = _draft(tmp_path_factory.mktemp("wrong"), "\n\n".join(s for s, _ in WRONG_FIGURES)
               + "\n\nNordkorea hat rund 11.000 Soldaten geschickt.\n\nIn Pjöngjang wurden 37 Kraniche gezählt.\n")
    r = _run("check", d, "--against", str(archive), "--format", "json")
    assert r.exit_code == 1, r.output
    return _json(r)


@pytest.mark.parametrize("n", range(len(WRONG_FIGURES)))
def test_a_wrong_figure_is_judged_against_its_fact_without_the_place_repeated(wrong_figures, n):
    sentence, value = WRONG_FIGURES[n]
    (fig,) = [f for f in wrong_figures["figures"] if f["line"] == 2 * n + 1]
    assert fig["surface"] in sentence
    assert fig["fact"] is not None and fig["fact"]["value"] == value, fig
    assert "DR01" in fig["rules"]


def test_json_lists_every_figure_with_its_fact_or_why_none(wrong_figures):
    figs = wrong_figures["figures"]
    assert len(figs) == wrong_figures["claims"] == len(WRONG_FIGURES) + 2
    assert sum(1 for f in figs if f["fact"]) == wrong_figures["matched"]
    (ok,) = [f for f in figs if f["surface"] == "11.000"]
    assert ok["rules"] == [] and ok["fact"]["value"] == 11000 and ok["fact"]["label"] and ok["fact"]["id"]
    assert ok["fact"]["low"] <= 11000 <= ok["fact"]["high"] and 0 <= ok["distance"] < 0.38
    (crane,) = [f for f in figs if f["surface"] == "37"]
    assert crane["fact"] is None and crane["reason"] and crane["rules"] == ["DR04"]


def test_verbose_shows_every_figure_in_the_terminal(archive, tmp_path):
    d = _draft(tmp_path, "Nordkorea hat rund 11.000 Soldaten geschickt.\n\nIn Pjöngjang wurden 37 Kraniche gezählt.\n")
    quiet = _run("check", d, "--against", str(archive))
    loud = _run("check", d, "--against", str(archive), "--verbose")
    assert quiet.exit_code == loud.exit_code == 0
    assert "11,000" not in quiet.stdout
    assert "rund 11.000" in loud.stdout and "11,000" in loud.stdout and "no match" in loud.stdout


def _finding(fact: str, claim: str, rule: str = "DR01"):
    from reconcile.model import Finding

    return Finding(rule, "x", "error", fact, [claim], f"about {fact}", "")


def _claim(cid: str, start: int, value: float = 12000, counted: str = "Soldaten"):
    from reconcile.model import Claim

    return Claim(cid, "draft", start, start + 6, "12.000", value, value, value, None, "people", None, "=", "soldier",
                 counted, [], None, None, None, "asserted", None, False, "", 0, "de")


def test_fingerprints_hash_what_the_draft_says_not_the_archive_fact():
    from reconcile.check import draft_fingerprints

    claims = {"a": _claim("a", 10)}
    before, after = [_finding("F111", "a")], [_finding("F222", "a")]  # the archive re-indexed: a new fact id
    draft_fingerprints(before, claims)
    draft_fingerprints(after, claims)
    assert before[0].fingerprint == after[0].fingerprint
    other = [_finding("F111", "b")]
    draft_fingerprints(other, {"b": _claim("b", 10, value=13000)})
    assert other[0].fingerprint != before[0].fingerprint


def test_identical_figures_in_one_draft_get_their_own_fingerprints(archive, tmp_path):
    claims = {"a": _claim("a", 10), "b": _claim("b", 90)}
    from reconcile.check import draft_fingerprints

    fs = [_finding("F1", "b"), _finding("F1", "a")]
    draft_fingerprints(fs, claims)
    assert fs[0].fingerprint != fs[1].fingerprint
    # end to end: a baseline of one occurrence does not hide a second one added later
    line = "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n"
    d = _draft(tmp_path, line)
    base = tmp_path / "baseline.json"
    assert _run("check", d, "--against", str(archive), "--write-baseline", str(base)).exit_code == 0
    Path(d).write_text(line + "\n" + line, encoding="utf-8")
    r = _run("check", d, "--against", str(archive), "--baseline", str(base), "--format", "json")
    assert r.exit_code == 1
    dr01 = [f for f in _json(r)["findings"] if f["rule"] == "DR01"]
    assert [f["suppressed"] for f in dr01] == [True, False]


def test_a_missing_draft_exits_2_without_a_status(archive, tmp_path):
    r = _run("check", str(tmp_path / "missing.md"), "--against", str(archive))
    assert r.exit_code == 2 and "missing.md" in r.stderr
    assert "Status" not in r.stdout and "0 draft(s)" not in r.stdout


def test_quiet_stdin_filename_and_fail_level_never(archive, tmp_path):
    text = "Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n"
    r = CliRunner().invoke(cli, ["check", "-", "--against", str(archive), "--output-format", "github",
                                 "--stdin-filename", "drafts/kursk.md", "-q"], input=text)
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("::error file=drafts/kursk.md,line=1,")
    assert "reconcile:" not in r.stdout  # quiet: findings only, no summary line
    d = _draft(tmp_path, text)
    loud = _run("check", d, "--against", str(archive))
    quiet = _run("check", d, "--against", str(archive), "--quiet")
    assert loud.stdout.startswith("Status: fail") and "Status" not in quiet.stdout and "DR01" in quiet.stdout
    assert _run("check", d, "--against", str(archive), "--fail-level", "never").exit_code == 0


def test_suppressed_findings_print_one_line_each(archive, tmp_path):
    d = _draft(tmp_path, "<!-- reconcile: ignore DR01 -->\nNordkorea hat 12.000 Soldaten nach Kursk geschickt.\n")
    r = _run("check", d, "--against", str(archive))
    assert r.exit_code == 0, r.output
    out = r.stdout.replace("\n", "")  # a long path may wrap the line
    assert out.count("suppressed (inline)") == 1 and f"DR01 {d}:2:15: suppressed (inline): Soldaten" in out
    assert "╭" not in r.stdout  # no panel: the only finding is suppressed
