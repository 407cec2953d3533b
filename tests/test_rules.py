"""Rule files: the schema rejects malformed files; per-rule cases in tests/data/rule_cases.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reconcile.checks import KINDS, Context
from reconcile.config import Config
from reconcile.model import Claim, Document, Fact
from reconcile.rules import RuleError, load_rule_file, load_rules

CASES = yaml.safe_load((Path(__file__).parent / "data" / "rule_cases.yml").read_text(encoding="utf-8"))


def test_packaged_rules_load():
    codes = [r.code for r in load_rules(Config())]
    assert {"NU01", "NU02", "NU03", "NU04", "TI01", "SC01", "SC02", "OR01", "OR02", "OR03"} <= set(codes)


@pytest.mark.parametrize("body,field", [
    ("code: NU99\nname: x\nlevel: fatal\nmessage: m\ndescription: d\nextends: conflict\n", "level"),
    ("code: NU99\nname: x\nlevel: info\nmessage: m\ndescription: d\nextends: nonsense\n", "extends"),
    ("code: NU99\nname: x\nlevel: info\nmessage: m\ndescription: d\nextends: conflict\nparams: {tolerance: 7}\n",
     "params.tolerance"),
    ("code: NU99\nlevel: info\nmessage: m\ndescription: d\nextends: conflict\n", "name"),
    ("code: [\n", "YAML"),
])
def test_malformed_rules_name_file_and_field(tmp_path, body, field):
    p = tmp_path / "NU99.yml"
    p.write_text(body)
    with pytest.raises(RuleError) as exc:
        load_rule_file(p)
    assert str(p) in str(exc.value) and field in str(exc.value)


def _claim(i: int, spec: dict) -> Claim:
    v = float(spec["value"])
    return Claim(id=f"c{i}", document=spec.get("doc", f"d{i}"), start=0, end=1, surface=str(spec["value"]), value=v,
                 low=spec.get("low", v), high=spec.get("high", v), unit=None, unit_class="people",
                 hedge=spec.get("hedge"), change="=", counted=spec.get("counted", "Soldat"), counted_text=None,
                 modifiers=[], subject=None, predicate=None, attribution=spec.get("attribution"),
                 modality=spec.get("modality", "asserted"), as_of=spec.get("as_of"),
                 cumulative=spec.get("cumulative", False), sentence=spec.get("sentence", ""),
                 sentence_start=spec.get("sentence_start", i), language="de",
                 counted_group=spec.get("group", "soldier"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case):
    from reconcile.confidence import origins_for

    rule = next(r for r in load_rules(Config()) if r.code == case["rule"])
    claims = [_claim(i, s) for i, s in enumerate(case["claims"])]
    docs = {c.document: Document(c.document, c.document, "", outlet=s.get("outlet", c.document),
                                 authors=s.get("authors", []))
            for c, s in zip(claims, case["claims"])}
    draft = [_claim(200 + i, s) for i, s in enumerate(case.get("draft", []))]
    facts = [Fact("F0", "fact", [c.id for c in claims], "people", value=case.get("value"), low=case.get("low"),
                  high=case.get("high"), verdict=case.get("verdict", "single-source"))]
    extra = case.get("other_facts", [])
    for j, of in enumerate(extra):
        oc = [_claim(100 + 10 * j + k, s) for k, s in enumerate(of["claims"])]
        claims += oc
        facts.append(Fact(f"F{j + 1}", f"other {j}", [c.id for c in oc], "people", value=of["value"]))
    by_id = {c.id: c for c in claims}
    fc = [by_id[cid] for cid in facts[0].claims]
    ctx = Context(facts[0], fc, docs, origins_for(fc, docs), facts, by_id, draft)
    hits = KINDS[rule.kind].check(ctx, rule.params)
    assert len(hits) == case["expect"], (case["name"], hits)


def test_user_rule_folder_and_config_overrides(tmp_path):
    """A folder of the user's rules adds rules of the existing kinds; the config changes levels and params."""
    from reconcile.config import load_config

    mine = tmp_path / "house" / "numeric"
    mine.mkdir(parents=True)
    (mine / "HX01.yml").write_text("code: HX01\nname: tight-conflict\nlevel: warning\nextends: conflict\n"
                                   "message: 'Off by more than 1%: {figures}'\ndescription: House rule.\n"
                                   "params: {tolerance: 0.01}\n")
    cfg_file = tmp_path / "reconcile.toml"
    cfg_file.write_text(f'rules = ["{(tmp_path / "house").as_posix()}"]\n'
                        '[rule.NU01]\nlevel = "warning"\ntolerance = 0.2\n[rule.OR01]\nenabled = false\n')
    cfg = load_config(cfg_file)
    rules = {r.code: r for r in load_rules(cfg)}
    assert rules["HX01"].level == "warning" and rules["HX01"].params["tolerance"] == 0.01
    assert rules["NU01"].level == "warning" and rules["NU01"].params["tolerance"] == 0.2
    assert rules["NU01"].params["modalities"] == ["asserted", "reported", "estimated"]  # the rest kept
    assert rules["OR01"].enabled is False
    cfg_file.write_text('[rule.NU01]\ntolerance = "lots"\n')
    with pytest.raises(RuleError, match="NU01"):
        load_rules(load_config(cfg_file))
    cfg_file.write_text('[rule.ZZ99]\nlevel = "info"\n')
    with pytest.raises(RuleError, match="unknown rule ZZ99"):
        load_rules(load_config(cfg_file))


def test_rules_option_on_the_cli(tmp_path):
    from click.testing import CliRunner

    from reconcile.cli import cli

    bad = tmp_path / "mine" / "x"
    bad.mkdir(parents=True)
    (bad / "XX01.yml").write_text("code: XX01\nname: x\nlevel: info\nmessage: m\ndescription: d\nextends: nope\n")
    art = tmp_path / "a.txt"
    art.write_text("Russland schickte 1.000 Soldaten nach Kursk.\n")
    r = CliRunner().invoke(cli, ["report", str(art), "--rules", str(tmp_path / "mine"), "--format", "json"])
    assert r.exit_code == 2 and "XX01.yml" in r.stderr and "extends" in r.stderr


def test_update_matrix_agrees_with_is_update(seeds_result):
    """The vectorised update test of the conflict and update checks is ``is_update``, pair for pair."""
    import itertools

    import numpy as np

    from reconcile.checks.base import UpdateKeys, update_matrix
    from reconcile.checks.update import is_update

    from dataclasses import replace

    # copies with dates, cues and modalities varied so that every branch of is_update is taken
    claims = [replace(c, as_of=[None, "2024", "2024-12", "2025-06", "2025-06-17"][i % 5], cumulative=i % 3 == 0,
                      modality=["asserted", "planned", "reported", "hypothetical"][i % 4])
              for i, c in enumerate(seeds_result.claims)]
    n = len(claims)
    for require_cue in (False, True):
        keys = UpdateKeys.of(claims, require_cue)
        want = np.array([[is_update(a, b, require_cue) for b in claims] for a in claims])
        assert (update_matrix(keys, slice(0, n)) == want).all()
        assert (update_matrix(keys, slice(0, n), rows_are_later=True) == want.T).all()
        assert want.any() and not want.all()
    assert len(list(itertools.combinations(claims, 2))) > 100
