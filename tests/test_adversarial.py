"""Adversarial inputs (issue 17): each case a hostile or careless input, generated here (no large files).

The promise tested: a clear message naming the file and the problem, the other inputs still processed,
exit 2 for input and usage errors, nothing half-written, hostile text inert in every output. Time and
memory bounds are checked by ``bench/adversarial.py``, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconcile.cli import cli, main
from reconcile.ingest import read_inputs
from reconcile.model import Document, InputError

GOOD = "Die Polizei meldete am Montag 1.250 Festnahmen in Berlin.\n"
ROOT = Path(__file__).resolve().parent.parent


def _read(paths: list[str], **kw: object) -> tuple[list[Document], list[InputError]]:
    docs, errs = [], []
    for item in read_inputs(paths, **kw):  # type: ignore[arg-type]
        (errs if isinstance(item, InputError) else docs).append(item)
    return docs, errs


def _main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the ``reconcile`` entry point as a user would (its error handling included)."""
    capsys.readouterr()
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- crashes on one bad value

@pytest.mark.parametrize("meta", ['"authors": 5', '"outlet": 7', '"published": 2024', '"authors": [1, "A"]'])
def test_jsonl_scalar_metadata_is_coerced(tmp_path: Path, meta: str) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "a", %s, "text": "Es gab 5 Tote."}\n' % meta, encoding="utf-8")
    docs, errs = _read([str(p)])
    assert not errs and len(docs) == 1
    assert all(isinstance(a, str) for a in docs[0].authors)
    assert docs[0].outlet is None or isinstance(docs[0].outlet, str)


@pytest.mark.parametrize("meta", ['"outlet": {"x": 1}', '"authors": [{"n": 1}]', '"title": [1, 2]',
                                  '"language": 5'])
def test_jsonl_structured_metadata_is_an_error_naming_file_and_line(tmp_path: Path, good: Path, meta: str) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"id": "ok", "text": "Es gab 5 Tote."}\n{"id": "a", %s, "text": "Es gab 5 Tote."}\n' % meta,
                 encoding="utf-8")
    docs, errs = _read([str(p), str(good)])
    assert [d.id for d in docs] == ["ok", "good"]
    assert len(errs) == 1 and errs[0].path == f"{p}:2" and "metadata field" in errs[0].problem


def test_front_matter_non_string_metadata(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("---\nauthors: 5\noutlet: 7\n---\nEs gab 5 Tote in Berlin.\n", encoding="utf-8")
    docs, errs = _read([str(p)])
    assert not errs and docs[0].authors == ["5"] and docs[0].outlet == "7"
    p.write_text("---\noutlet: {a: 1}\n---\nEs gab 5 Tote in Berlin.\n", encoding="utf-8")
    docs, errs = _read([str(p)])
    assert not docs and errs[0].path == str(p) and "outlet" in errs[0].problem


def test_manifest_with_a_table_value_names_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["a.txt"]\noutlet = {x = 1}\n', encoding="utf-8")
    docs, errs = _read([str(tmp_path)])
    assert len(docs) == 1
    assert errs and errs[0].path.endswith("sources.toml") and "outlet" in errs[0].problem


@pytest.mark.parametrize("bad_id", ["[1, 2]", "true", "0", "null", '""', "{}"])
def test_jsonl_ids_that_are_not_strings(tmp_path: Path, bad_id: str) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "fine", "text": "Es gab 5 Tote."}\n{"id": %s, "text": "Es gab 6 Tote."}\n' % bad_id,
                 encoding="utf-8")
    docs, errs = _read([str(p)])
    assert [d.id for d in docs] == ["fine"]
    assert errs[0].path == f"{p}:2" and "'id' must be a non-empty string" in errs[0].problem


# --------------------------------------------------------------------------- lexicon files

def _lexicon_dir(tmp_path: Path, name: str, text: str) -> Path:
    d = tmp_path / "rules"
    (d / "lexicon").mkdir(parents=True, exist_ok=True)
    (d / "lexicon" / f"{name}.yml").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("name,text,key", [
    ("hedges", "de: [1, 2]\n", "key de"),
    ("hedges", "de: {rund: 5}\n", "key de.rund"),
    ("units", "scales: {de: {tausend: viel}}\n", "key scales.de.tausend"),
    ("cues", "attribution: {after: {de: '\\\\blaut'}}\n", "key attribution.after.de"),
    ("cues", "attribution: {after: {de: ['(unclosed']}}\n", "bad pattern"),
    ("boilerplate", "lines: [['^x', 1]]\n", "key lines.0.1"),
    ("boilerplate", "lines: [['(x', caption]]\n", "bad pattern"),
    ("entities", "entities: {XX: [a]}\n", "key entities.XX"),
])
def test_malformed_lexicon_is_a_clear_error_exit_2(tmp_path: Path, good: Path, name: str, text: str,
                                                   key: str, capsys: pytest.CaptureFixture[str]) -> None:
    rules = _lexicon_dir(tmp_path, name, text)
    code, _, err = _main(["claims", str(good), "--rules", str(rules)], capsys)
    assert code == 2
    assert f"{name}.yml" in err and key in err and "Traceback" not in err


def test_user_regex_with_nested_quantifiers_does_not_hang(tmp_path: Path) -> None:
    from reconcile.lexicon import load_lexicon

    rules = _lexicon_dir(tmp_path, "cues", "modality:\n  estimated:\n    de: ['^(\\w+\\s?)+$']\n")
    lex = load_lexicon([str(rules)])
    rx = lex.modality["estimated"]["de"][-1]
    assert rx.search("Die Polizei meldete " + "aaaa " * 100 + "!") is None  # bounded: regex module, timeout


def test_user_regex_timeout_is_a_lexicon_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.lexicon as lexicon

    rules = _lexicon_dir(tmp_path, "cues", "modality:\n  estimated:\n    de: ['(a|aa)+c']\n")
    monkeypatch.setattr(lexicon, "USER_REGEX_TIMEOUT", 0.05)
    rx = lexicon.load_lexicon([str(rules)]).modality["estimated"]["de"][-1]
    with pytest.raises(lexicon.LexiconError, match="cues.yml"):
        rx.search("a" * 60)


# --------------------------------------------------------------------------- YAML alias bombs

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))


def test_alias_bomb_in_front_matter_is_refused(tmp_path: Path, good: Path) -> None:
    p = tmp_path / "bomb.md"
    p.write_text(f"---\n{_BOMB}---\nEs gab 5 Tote in Berlin.\n", encoding="utf-8")
    docs, errs = _read([str(p), str(good)])
    assert [d.id for d in docs] == ["good"]
    assert errs[0].path == str(p) and "aliases" in errs[0].problem


def test_alias_bomb_in_lexicon_and_rule_file(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reconcile.rules import RuleError, load_rule_file

    rules = _lexicon_dir(tmp_path, "hedges", _BOMB)
    code, _, err = _main(["claims", str(good), "--rules", str(rules)], capsys)
    assert code == 2 and "aliases" in err
    rule = tmp_path / "XX01.yml"
    rule.write_text(_BOMB, encoding="utf-8")
    with pytest.raises(RuleError, match="aliases"):
        load_rule_file(rule)


def test_yaml_without_aliases_still_loads() -> None:
    from reconcile.yamlio import load_yaml

    assert load_yaml("a: &x 1\nb: [2, 3]\n") == {"a": 1, "b": [2, 3]}


# --------------------------------------------------------------------------- hangs and unbounded reads

def test_fifo_argument_is_refused_without_opening(tmp_path: Path, good: Path) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    docs, errs = _read([str(fifo), str(good)])  # would block forever if opened
    assert [d.id for d in docs] == ["good"]
    assert errs[0].path == str(fifo) and "FIFO" in errs[0].problem


def test_character_device_is_refused(good: Path) -> None:
    docs, errs = _read(["/dev/zero", str(good)])
    assert [d.id for d in docs] == ["good"] and "character device" in errs[0].problem


def test_stdin_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setenv("RECONCILE_MAX_INPUT_MB", "1")
    docs, errs = _read(["-"], stdin=io.BytesIO(b"Es gab 5 Tote. " * 100_000))
    assert not docs and "standard input too large" in errs[0].problem


def test_file_size_cap_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.txt"
    p.write_text("Es gab 5 Tote in Berlin. " * 50_000, encoding="utf-8")
    monkeypatch.setenv("RECONCILE_MAX_INPUT_MB", "1")
    _, errs = _read([str(p)])
    assert "too large" in errs[0].problem and "RECONCILE_MAX_INPUT_MB" in errs[0].problem
    monkeypatch.setenv("RECONCILE_MAX_INPUT_MB", "2")
    docs, errs = _read([str(p)])
    assert docs and not errs


def test_overlong_jsonl_record_is_skipped_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECONCILE_MAX_INPUT_MB", "1")
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "big", "text": "%s"}\n{"id": "ok", "text": "Es gab 5 Tote."}\n' % ("x" * 2_000_000),
                 encoding="utf-8")
    docs, errs = _read([str(p)])
    assert [d.id for d in docs] == ["ok"] and errs[0].path == f"{p}:1" and "too large" in errs[0].problem


def test_hostile_prose_against_the_cue_regexes(tmp_path: Path) -> None:
    """The packaged cues stay linear: 'sollen' repeated 12,000 times (84 KB) matched once per pattern."""
    from reconcile.lexicon import load_lexicon

    lex = load_lexicon()
    text = "Die Regierung sagte, es " + "sollen " * 12000 + "am Montag in Berlin 1.250 Festnahmen gegeben haben xyz"
    for mod in ("planned", "estimated"):
        for rx in lex.modality[mod]["de"]:
            rx.search(text)
    for rx in lex.att_after["de"] + lex.att_before["de"]:
        list(rx.finditer(text.replace("sollen", "gehen")))
    # the rewritten cues still mean what they meant
    planned = lex.modality_any["planned"]["de"]
    assert planned.search("Es sollen 5 Soldaten entsandt werden")
    assert planned.search("Nordkorea soll 3.000 Soldaten entsenden")
    assert not planned.search("Nordkorea soll 3.000 Soldaten entsandt haben")


# --------------------------------------------------------------------------- input edge cases

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00"}[codec]
    p = tmp_path / "u.txt"
    p.write_bytes(bom + GOOD.encode(codec))
    docs, errs = _read([str(p)])
    assert not errs and docs[0].text == GOOD


@pytest.mark.parametrize("command", ["claims", "quantities"])
def test_cp1252_warning_in_every_command(tmp_path: Path, command: str) -> None:
    p = tmp_path / "w.txt"
    p.write_bytes("Die Polizei meldete 1.250 Festnahmen in Köln.\n".encode("cp1252"))
    res = CliRunner().invoke(cli, [command, str(p)])
    assert res.exit_code == 0 and "Windows-1252" in res.stderr and str(p) in res.stderr
