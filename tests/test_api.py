"""The Python API: ``reconcile.analyse`` and ``reconcile.check``, run as the README shows them."""

from __future__ import annotations

import re

import reconcile
from reconcile.report import build_record

from .conftest import ROOT, SEEDS


def test_the_api_is_exported_and_typed():
    assert {"analyse", "check", "Result", "CheckResult"} <= set(reconcile.__all__)
    assert reconcile.analyse.__annotations__["return"] == "Result"


def test_analyse_and_check_as_in_the_readme(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n", encoding="utf-8")
    result = reconcile.analyse([str(SEEDS)])
    assert isinstance(result, reconcile.Result) and result.facts and not result.errors
    assert build_record(result)["summary"]["status"] == "conflicts"
    checked = reconcile.check([str(draft)], against=str(SEEDS))
    assert isinstance(checked, reconcile.CheckResult)
    assert [f.rule for f in checked.findings if f.level == "error"] == ["DR01"]


def test_the_readme_example_runs(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text[text.index("## Python API"):], re.S)[:1]
    assert len(code.strip().splitlines()) <= 12
    monkeypatch.chdir(ROOT)
    (tmp_path / "draft.md").write_text("Nordkorea hat 12.000 Soldaten nach Kursk geschickt.\n", encoding="utf-8")
    code = code.replace("draft.md", str(tmp_path / "draft.md"))
    out: list[str] = []
    exec(compile(code, "README.md", "exec"), {"print": lambda *a: out.append(" ".join(map(str, a)))})
    assert any("DR01" in line for line in out) and any("conflict" in line for line in out)


def test_claim_and_quantity_rows_of_readable_inputs_and_errors_of_the_rest(tmp_path):
    from reconcile.api import claim_rows, quantity_rows

    art = tmp_path / "a.txt"
    art.write_text("Russland schickte 1.000 Soldaten nach Kursk.\n", encoding="utf-8")
    missing = str(tmp_path / "missing.txt")
    got = claim_rows([str(art), missing])
    assert [(r["surface"], r["counted_text"]) for r in got.rows] == [("1.000", "Soldaten")]
    assert "key_text" not in got.rows[0]
    assert [e.path for e in got.errors] == [missing]
    q = quantity_rows([str(art)])
    assert [(r["surface"], r["value"]) for r in q.rows] == [("1.000", 1000.0)] and not q.errors


def test_resolve_config_isolated_skips_discovery(tmp_path):
    from reconcile.api import resolve_config

    (tmp_path / "reconcile.toml").write_text('fail_level = "info"\n', encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("Die Polizei meldete 9.999 Festnahmen.\n", encoding="utf-8")
    found = resolve_config([str(draft)])
    assert found.fail_level == "info" and found.source == str(tmp_path / "reconcile.toml")
    alone = resolve_config([str(draft)], isolated=True)
    assert alone.fail_level == "error" and alone.source is None
    assert resolve_config([str(draft)], tmp_path / "reconcile.toml", isolated=True).fail_level == "info"
