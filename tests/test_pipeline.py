"""End to end on the seeds with the real default model: clustering, verdicts, report and CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema

from reconcile.evaluate import check_thresholds, score
from reconcile.report import build_record, report_schema

from .conftest import ROOT, SEEDS


def _fact_of(result, doc, surface):
    cid = next(c.id for c in result.claims if c.document.startswith(doc) and c.surface == surface)
    return next(f for f in result.facts if cid in f.claims)


def test_troops_conflict_casualties_agree(seeds_result):
    troops = {_fact_of(seeds_result, "000", "11.000").id, _fact_of(seeds_result, "003", "10.000").id}
    assert len(troops) == 1
    f = _fact_of(seeds_result, "000", "11.000")
    assert f.verdict == "conflict" and f.value == 11000
    cas = _fact_of(seeds_result, "001", "6.000")
    assert cas.id == _fact_of(seeds_result, "004", "mehrere Tausend").id
    assert cas.verdict == "agree"
    tourists = _fact_of(seeds_result, "003", "1.500")
    assert tourists.id != _fact_of(seeds_result, "002", "1.500").id


def test_eval_thresholds(seeds_result, gold):
    s = score(seeds_result, gold)
    thresholds = json.loads((ROOT / "eval" / "thresholds.json").read_text())["seeds"]
    assert check_thresholds(s["metrics"], thresholds) == []


def test_report_schema_and_determinism(seeds_result):
    from reconcile.config import Config
    from reconcile.pipeline import run
    from reconcile.render import render_text

    rec = build_record(seeds_result)
    jsonschema.validate(rec, report_schema())
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))
    again = build_record(run(list(reversed(files)), Config()))
    assert render_text(rec, "json") == render_text(again, "json")
    for c in rec["claims"]:
        doc = next(d for d in seeds_result.documents if d.id == c["document"])
        assert doc.text[c["start"]:c["end"]].replace("\n", " ")[:3] or c["surface"]


def test_html_escapes_hostile_text(tmp_path):
    from reconcile.config import Config
    from reconcile.pipeline import run
    from reconcile.render import render_text

    p = tmp_path / "evil.txt"
    p.write_text("Russland schickte 1.000 Soldaten <script>alert(1)</script> nach Kursk, "
                 "sagte <img src=x onerror=alert(2)> Selenskyj.\n")
    html = render_text(build_record(run([str(p)], Config())), "html")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_cli_help_version_and_report(tmp_path):
    exe = [sys.executable, "-m", "reconcile"]
    assert subprocess.run(exe + ["--version"], capture_output=True, text=True).stdout.startswith("reconcile")
    assert "report" in subprocess.run(exe + ["--help"], capture_output=True, text=True).stdout
    out = tmp_path / "r.json"
    r = subprocess.run(exe + ["report", str(SEEDS), "--format", "json", "--output", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["schema"] == "reconcile.report/2"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    r = subprocess.run(exe + ["claims", str(bad), "--format", "json"], capture_output=True, text=True)
    assert r.returncode == 2 and "bad.txt" in r.stderr and "binary" in r.stderr


def test_reports_are_current(monkeypatch):
    from reconcile.config import Config
    from reconcile.pipeline import run
    from reconcile.render import render_text

    monkeypatch.chdir(ROOT)  # `make reports` runs on the relative path seeds/
    rec = build_record(run(["seeds"], Config()))
    committed = ROOT / "reports" / "seeds.json"
    assert committed.read_text(encoding="utf-8") == render_text(rec, "json"), "run `make reports`"
    assert (ROOT / "reports" / "seeds.md").read_text(encoding="utf-8") == render_text(rec, "md"), "run `make reports`"
    html = (ROOT / "reports" / "seeds.html").read_text(encoding="utf-8")
    assert html == render_text(rec, "html"), "run `make reports`"
