"""Rule files: the schema rejects malformed files; per-rule cases in tests/data/rule_cases.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reconcile.checks import KINDS, Context
from reconcile.config import Config
from reconcile.model import Claim, Document, Fact
from reconcile.rules import RuleError, load_rule_file, load_rules

ALL_CASES = yaml.safe_load((Path(__file__).parent / "data" / "rule_cases.yml").read_text(encoding="utf-8"))
CASES = [c for c in ALL_CASES if "rule" in c]
VERDICT_CASES = [c for c in ALL_CASES if "verdict" in c and "rule" not in c]


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
    return Claim(id=f"c{i}", document=spec.get("doc", f"d{i}"), start=0, end=1, surface=str(spec.get("surface", v)),
                 value=v, low=spec.get("low", v), high=spec.get("high", v), unit=spec.get("unit"),
                 unit_class=spec.get("unit_class", "people"), hedge=spec.get("hedge"), change="=",
                 counted=spec.get("counted", "Soldat"), counted_text=spec.get("counted_text"),
                 modifiers=spec.get("modifiers", []), subject=None,
                 attribution=spec.get("attribution"), modality=spec.get("modality", "asserted"),
                 as_of=spec.get("as_of"), cumulative=spec.get("cumulative", False),
                 sentence=spec.get("sentence", ""), sentence_start=spec.get("sentence_start", i),
                 language=spec.get("lang", "de"), counted_group=spec.get("group", "soldier"),
                 places=spec.get("places", []), part_of=spec.get("part_of", False), window=spec.get("window"),
                 group=spec.get("population"), predicate=spec.get("predicate"),
                 unit_canonical=spec.get("unit_canonical"))


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
                  high=case.get("high"), verdict=case.get("verdict", "single"))]
    extra = case.get("other_facts", [])
    for j, of in enumerate(extra):
        oc = [_claim(100 + 10 * j + k, s) for k, s in enumerate(of["claims"])]
        claims += oc
        facts.append(Fact(f"F{j + 1}", f"other {j}", [c.id for c in oc], "people", value=of.get("value")))
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


@pytest.mark.parametrize("case", VERDICT_CASES, ids=[c["name"] for c in VERDICT_CASES])
def test_verdict_case(case):
    """The whole judgement (origins, rules, verdict) on claims written for the case."""
    from reconcile.confidence import fact_origins, judge_facts, learn_reliability
    from reconcile.rules import run_rules

    claims = [_claim(i, s) for i, s in enumerate(case["claims"])]
    docs = {c.document: Document(c.document, c.document, "", outlet=s.get("outlet", c.document))
            for c, s in zip(claims, case["claims"])}
    facts = [Fact("F0", "fact", [c.id for c in claims], claims[0].unit_class)]
    origins = fact_origins(facts, claims, docs)
    rel = learn_reliability(facts, claims, docs, origins)
    findings = run_rules(load_rules(Config()), facts, claims, docs, Config(), origins)
    judge_facts(facts, claims, docs, findings, rel, origins)
    f = facts[0]
    assert f.verdict == case["verdict"], (f.explanation, [x.message for x in findings])
    if "corroboration" in case:
        assert f.corroboration == case["corroboration"] and f.independent_sources == case["origins"]
    if "explanation" in case:
        assert f.explanation[0].startswith(case["explanation"]), f.explanation[0]
    if "explains" in case:  # words some line of the explanation must hold (a finding's message)
        assert any(case["explains"] in line for line in f.explanation), f.explanation
    assert 0 < f.confidence < 1


@pytest.mark.parametrize("message,problem", [
    ("{label:>300000000}", "format spec"), ("{label.__class__.__mro__}", "plain field"), ("{0}", "plain field"),
    ("{label[0]}", "plain field"), ("{label!r}", "conversion"), ("{label", "message"),
])
def test_rule_messages_are_plain_templates(tmp_path, message, problem):
    """A message with a format spec, a conversion, attribute or index access is refused, naming the file."""
    p = tmp_path / "NU98.yml"
    p.write_text(yaml.safe_dump({"code": "NU98", "name": "x", "level": "info", "message": message,
                                 "description": "d", "extends": "conflict"}))
    with pytest.raises(RuleError) as exc:
        load_rule_file(p)
    assert str(p) in str(exc.value) and problem in str(exc.value)


def test_user_rule_extending_conflict_gives_a_conflict_verdict(tmp_path):
    """The verdict comes from the rule file: a house rule of the conflict kind, and a rule that opts out."""
    (tmp_path / "NU97.yml").write_text("code: NU97\nname: house\nlevel: warning\nextends: conflict\n"
                                       "message: 'off: {figures}'\ndescription: d\n")
    (tmp_path / "NU96.yml").write_text("code: NU96\nname: quiet\nlevel: info\nextends: conflict\nverdict: null\n"
                                       "message: 'off: {figures}'\ndescription: d\n")
    assert load_rule_file(tmp_path / "NU97.yml").verdict == "conflict"
    assert load_rule_file(tmp_path / "NU96.yml").verdict is None


def test_fill_message_substitutes_plain_values():
    from reconcile.rules import fill_message

    assert fill_message("{a} and {b} ({missing})", {"a": 1, "b": "x"}) == "1 and x ({missing})"


def test_an_override_never_leaks_into_the_next_load(tmp_path):
    # rule files are parsed once per file version; each load still gets its own rules to override
    from reconcile.config import Config
    from reconcile.rules import load_rules

    first = {r.code: r for r in load_rules(Config(rule_overrides={"NU01": {"level": "info", "enabled": False}}))}
    again = {r.code: r for r in load_rules(Config())}
    assert (first["NU01"].level, first["NU01"].enabled) == ("info", False)
    assert again["NU01"].level != "info" and again["NU01"].enabled
    d = tmp_path / "custom"
    (d / "numeric").mkdir(parents=True)
    src = next((Path(__file__).parent.parent / "rules" / "numeric").glob("NU01*.yml"))
    (d / "numeric" / src.name).write_text(src.read_text(encoding="utf-8").replace("level: error", "level: warning")
                                          .replace("level: info", "level: warning"), encoding="utf-8")
    custom = {r.code: r for r in load_rules(Config(), extra_dirs=[str(d)])}
    assert custom["NU01"].level == "warning"
