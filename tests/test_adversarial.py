"""Adversarial inputs (issue 17): each case a hostile or careless input, generated here (no large files).

The promise tested: a clear message naming the file and the problem, the other inputs still processed,
exit 2 for input and usage errors, nothing half-written, hostile text inert in every output. Time and
memory bounds are checked by ``bench/adversarial.py``, not here.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
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


# --------------------------------------------------------------------------- the one writer

def test_writer_keeps_mode_and_replaces_atomically(tmp_path: Path) -> None:
    from reconcile.output import write_output

    p = tmp_path / "r.txt"
    p.write_text("old\n")
    p.chmod(0o644)
    write_output(str(p), "new\n")
    assert p.read_text() == "new\n" and stat.S_IMODE(p.stat().st_mode) == 0o644
    assert [x.name for x in tmp_path.iterdir()] == ["r.txt"]


def test_writer_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    from reconcile.output import write_output

    old = os.umask(0o027)
    try:
        write_output(str(tmp_path / "n.txt"), "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.txt").stat().st_mode) == 0o640


def test_writer_failure_leaves_the_old_file(tmp_path: Path) -> None:
    from reconcile.output import OutputError, write_output

    p = tmp_path / "r.txt"
    p.write_text("old\n")

    def boom(fh: object) -> None:
        fh.write("partial")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="r.txt: cannot write: No space left"):
        write_output(str(p), boom)
    assert p.read_text() == "old\n" and [x.name for x in tmp_path.iterdir()] == ["r.txt"]


def test_writer_follows_symlinks_and_writes_through_devices(tmp_path: Path) -> None:
    from reconcile.output import write_output

    target = tmp_path / "t.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_output(str(link), "new")
    assert link.is_symlink() and target.read_text() == "new"
    write_output("/dev/null", "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    write_output(str(fifo), "through the pipe")
    assert reader.communicate(timeout=10)[0] == b"through the pipe" and stat.S_ISFIFO(fifo.stat().st_mode)


def test_dash_is_stdout(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _main(["claims", str(good), "--format", "json", "-o", "-"], capsys)
    assert code == 0 and json.loads(out)["claims"] and not (tmp_path / "-").exists()


def test_output_to_a_read_only_place_exits_2(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    target = ro / "out.json"
    if os.access(ro, os.W_OK):  # root may write anywhere but in sysfs
        target = Path("/sys/reconcile-out.json")
        if os.access("/sys", os.W_OK) and not Path("/sys").is_mount():
            pytest.skip("no place this user cannot write to")
    try:
        code, _, err = _main(["claims", str(good), "--format", "json", "-o", str(target)], capsys)
    finally:
        ro.chmod(0o700)
    assert code == 2 and f"{target}: cannot write" in err and "Traceback" not in err


def test_output_to_a_full_disk_exits_2(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    code, _, err = _main(["claims", str(good), "--format", "json", "-o", "/dev/full"], capsys)
    assert code == 2 and "/dev/full: cannot write" in err


def test_file_size_limit_leaves_the_old_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``ulimit -f``: the write fails past the limit; the old file stays whole, exit 2."""
    import resource

    out = tmp_path / "r.txt"
    out.write_text("old\n")
    big = tmp_path / "big.txt"
    big.write_text("".join(f"Am Montag meldete die Polizei {i} Festnahmen in Berlin.\n" for i in range(1, 300)))
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    for fmt in ("table", "json"):
        resource.setrlimit(resource.RLIMIT_FSIZE, (20000, hard))  # Python ignores SIGXFSZ: writes fail EFBIG
        try:
            code, _, err = _main(["claims", str(big), "--format", fmt, "-o", str(out)], capsys)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        assert code == 2 and "r.txt: cannot write: File too large" in err
        assert out.read_text() == "old\n" and not [x for x in tmp_path.iterdir() if x.name.startswith(".")]


# --------------------------------------------------------------------------- exit codes

def test_unexpected_exception_exits_2_with_one_line(good: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.api as api

    def broken(*_a: object, **_k: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(api, "claim_rows", broken)  # outside the per-document salvage of the extraction
    code, _, err = _main(["claims", str(good)], capsys)
    assert code == 2 and "Traceback" not in err
    assert err.strip().splitlines() == ["reconcile: internal error: ZeroDivisionError: division by zero "
                                        "(run `reconcile --debug ...` for the traceback)"]
    code, _, err = _main(["--debug", "claims", str(good)], capsys)
    assert code == 2 and "Traceback" in err and "ZeroDivisionError" in err


def test_a_document_whose_extraction_fails_is_an_input_error_naming_it(good: Path, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.workers as workers
    from reconcile.claims import extract_claims

    bad = tmp_path / "bad.txt"
    bad.write_text("Die Polizei meldete 12 Festnahmen.\n", encoding="utf-8")

    def broken_on_bad(doc, lex=None):  # type: ignore[no-untyped-def]
        if doc.path.endswith("bad.txt"):
            raise ZeroDivisionError("division by zero")
        return extract_claims(doc, lex)

    monkeypatch.setattr(workers, "extract_claims", broken_on_bad)
    code, out, err = _main(["claims", str(good), str(bad), "--format", "jsonl"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "bad.txt: extraction failed: ZeroDivisionError: division by zero" in err
    assert out and all(json.loads(line)["document"] != "bad" for line in out.splitlines())


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(["claims", "--no-such-flag", "x"], capsys)
    assert code == 2 and "no-such-flag" in err


# --------------------------------------------------------------------------- hostile text in outputs

_HOSTILE_NAME = "a\nreconcile: all inputs OK\x1b[2J"


def test_file_name_cannot_forge_a_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / (_HOSTILE_NAME + ".txt")
    p.write_bytes(b"")
    code, _, err = _main(["claims", str(p)], capsys)
    assert code == 2 and "\x1b" not in err
    assert not any(line.startswith("reconcile: all inputs OK") for line in err.splitlines())
    assert "\\nreconcile: all inputs OK\\x1b[2J" in err


def _record(outlet: str, doc_id: str = "d1", text: str = "x", url: str | None = None) -> dict[str, object]:
    """A minimal report record (the schema the renderers read) holding hostile strings."""
    claim = {"id": f"{doc_id}#0", "document": doc_id, "surface": text, "counted_text": text, "value": 5.0,
             "low": 4.0, "high": 6.0, "hedge": text, "modality": "asserted", "attribution": text, "as_of": "2024-05",
             "sentence": f"{text} 5 {text}", "start": 0, "end": 1}
    other = {**claim, "id": f"{doc_id}#1", "value": 9.0, "low": 9.0, "high": 9.0, "as_of": "2024-07"}
    fact = {"id": "f1", "label": text, "verdict": "conflict", "value": 5.0, "low": 4.0, "high": 9.0,
            "range_low": 5.0, "range_high": 9.0, "confidence": 0.5, "independent_origins": 1, "rules": ["NU01"],
            "claims": [claim["id"], other["id"]], "explanation": [text, f"NU01 {text}"],
            "origins": [{"name": f"{outlet} / {text}", "claims": [claim["id"]]},
                        {"name": text, "claims": [other["id"]]}],
            "corroboration": "independent", "documents": 1}
    doc = {"id": doc_id, "outlet": outlet, "published": text, "url": url, "title": text, "authors": [text],
           "path": doc_id}
    summary = {"status": "conflicts", "facts": 1, "claims": 2, "documents": 1,
               "verdicts": {"conflict": 1, "agree": 0, "update": 0, "scope": 0, "single": 0}}
    return {"schema": "reconcile.report/2", "generator": "test", "summary": summary, "facts": [fact],
            "claims": [claim, other], "documents": [doc], "errors": [{"path": f"`{text}`", "problem": text}]}


def _rich(record: dict[str, object]) -> str:
    import io

    from rich.console import Console

    from reconcile.render.terminal import renderables

    buf = io.StringIO()
    console = Console(file=buf, width=100, force_terminal=True, markup=False, emoji=False, highlight=False)
    for r in renderables(record):
        console.print(r)
    return buf.getvalue()


def test_rich_markup_and_escapes_in_outlets_stay_text() -> None:
    out = _rich(_record("[/b][link=x]N", text="\x1b[2J\x1b]8;;https://e.x\x07x"))
    assert "[/b][link=x]N" in out  # printed, not obeyed
    assert "\x1b[2J" not in out and "\x1b]8" not in out and "\x07" not in out


def test_markdown_escapes_html_links_and_code_spans() -> None:
    from reconcile.render.markdown import render

    md = render(_record("<script>alert(1)</script>", text="<img src=x onerror=alert(1)> [a](javascript:alert(1))"
                        " \x1b[31m `x`"))
    assert "\x1b" not in md and "&lt;script&gt;" in md
    err_line = next(line for line in md.splitlines() if line.startswith("- `"))
    assert err_line.startswith("- ``` `") and "`x`` ```:" in err_line  # the fence outlasts the name's backticks
    outside = re.sub(r"(`+) .*? \1", "", md)  # text outside code spans (inside them nothing is markup)
    outside = outside.replace("[^confidence]", "")  # the report's own footnote, not article text
    assert "<script>" not in outside and "<img" not in outside
    assert not re.search(r"(?<!\\)\]\(", outside) and not re.search(r"(?<!\\)\[", outside)  # no link syntax


def test_html_with_mathtext_and_control_characters_in_outlets() -> None:
    from reconcile.render.html import render

    html = render(_record("a$^$ \x1b[2J $\\frac{a}{$", doc_id="a$^$", text="x\x00y\x0c"))
    assert "<script" not in html and "\x1b" not in html and "\x00" not in html


# --------------------------------------------------------------------------- a config beside the drafts

@pytest.fixture()
def weakening_config(tmp_path: Path) -> Path:
    (tmp_path / "draft.md").write_text("Die Polizei meldete am Montag 9.999 Festnahmen in Berlin.\n", encoding="utf-8")
    (tmp_path / "reconcile.toml").write_text('[rule.DR01]\nenabled = false\n[rule.DR02]\nlevel = "info"\n'
                                             '[rule.DR03]\ntolerance = 0.5\n', encoding="utf-8")
    return tmp_path / "draft.md"


def test_check_warns_when_a_discovered_config_weakens_draft_rules(weakening_config: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from reconcile.config import load_config, weakened_draft_rules

    weak = weakened_draft_rules(load_config(weakening_config.parent / "reconcile.toml"))
    assert weak[:2] == ["DR01 disabled", "DR02 lowered from warning to info"] and len(weak) == 3
    code, _, err = _main(["check", str(weakening_config), "--against", str(weakening_config.parent / "no.db")],
                         capsys)
    assert code == 2  # the archive is missing; the warning came first
    assert "reconcile.toml: this discovered configuration weakens the draft rules: DR01 disabled" in err
    assert "--config" in err


def test_isolated_ignores_the_discovered_config(weakening_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(["check", "--isolated", str(weakening_config), "--against",
                          str(weakening_config.parent / "no.db")], capsys)
    assert code == 2 and "weakens" not in err
    (weakening_config.parent / "reconcile.toml").write_text("no toml [", encoding="utf-8")
    code, _, err = _main(["claims", "--isolated", str(weakening_config)], capsys)
    assert code == 0, err
    code, _, err = _main(["--isolated", "claims", str(weakening_config)], capsys)
    assert code == 0, err
    code, _, err = _main(["claims", str(weakening_config)], capsys)
    assert code == 2 and "reconcile.toml" in err


def test_explicit_config_is_not_warned_about(weakening_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _main(["check", str(weakening_config), "--config", str(weakening_config.parent / "reconcile.toml"),
                          "--against", str(weakening_config.parent / "no.db")], capsys)
    assert code == 2 and "weakens" not in err


# --------------------------------------------------------------------------- cases that held before, kept

@pytest.mark.parametrize("name,content,problem", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("nul.txt", b"Es gab\x00 5 Tote.", "binary file"),
    ("ctrl.txt", bytes(range(1, 9)) * 100, "binary file"),
    ("bad.jsonl", b'{"id": "a", "text": \n', "malformed JSON Lines record"),
    ("notext.jsonl", b'{"id": "a", "body": "Es gab 5 Tote."}\n', "string 'text'"),
    ("emptytext.jsonl", b'{"id": "a", "text": "  "}\n', "empty text"),
    ("list.jsonl", b'[1, 2]\n', "must be an object"),
    ("dup.jsonl", b'{"id": "a", "text": "Es gab 5 Tote."}\n{"id": "a", "text": "Es gab 6 Tote."}\n', "duplicate id"),
    ("front.md", b"---\na: [\n---\nEs gab 5 Tote.\n", "malformed front matter"),
    ("empty.html", b"<html><body></body></html>", "HTML"),
])
def test_bad_input_is_named_and_the_rest_is_read(tmp_path: Path, good: Path, name: str, content: bytes,
                                                 problem: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    docs, errs = _read([str(p), str(good)])
    assert "good" in [d.id for d in docs]
    assert errs and errs[0].path.startswith(str(p)) and problem in errs[0].problem


def test_missing_file_and_empty_folder(tmp_path: Path, good: Path) -> None:
    (tmp_path / "empty").mkdir()
    docs, errs = _read([str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(good)])
    assert [d.id for d in docs] == ["good"]
    assert ["no such file" in errs[0].problem, "no readable articles" in errs[1].problem] == [True, True]


def test_manifest_naming_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["gone.txt"]\noutlet = "X"\n', encoding="utf-8")
    docs, errs = _read([str(tmp_path)])
    assert len(docs) == 1 and "does not exist: gone.txt" in errs[0].problem


@pytest.mark.parametrize("text,problem", [("model = [", "malformed TOML"), ("colour = 1", "unknown key"),
                                          ("cache = 'yes'", "'cache' must be true or false"),
                                          ("[rule]\nDR01 = 1", "[rule.CODE] entries must be tables")])
def test_broken_config_exits_2_naming_the_file(tmp_path: Path, good: Path, text: str, problem: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reconcile.toml").write_text(text, encoding="utf-8")
    code, _, err = _main(["claims", str(good)], capsys)
    assert code == 2 and "reconcile.toml" in err and problem in err


def test_cli_exit_codes_for_bad_inputs(tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(["claims", str(tmp_path / "nope.txt"), str(good), "--format", "json"], capsys)
    assert code == 2 and json.loads(out)["claims"] and "nope.txt" in err
    code, out, _ = _main(["claims", str(tmp_path / "nope.txt"), str(good), "--format", "json", "--skip-bad"], capsys)
    assert code == 0 and json.loads(out)["claims"]


@pytest.mark.parametrize("command", ["report", "index", "check"])
def test_broken_rule_file_fails_before_the_model_loads(tmp_path: Path, good: Path, command: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import reconcile.embed as embed

    def no_model(*_a: object, **_k: object) -> None:
        raise AssertionError("the model was loaded before the rules were checked")

    monkeypatch.setattr(embed, "load_model", no_model)
    rules = tmp_path / "rules"
    (rules / "numeric").mkdir(parents=True)
    (rules / "numeric" / "NU99.yml").write_text(_BOMB, encoding="utf-8")
    extra = {"report": [], "index": ["--db", str(tmp_path / "a.db")], "check": ["--against", str(tmp_path)]}[command]
    code, _, err = _main([command, str(good), "--rules", str(rules), *extra], capsys)
    assert code == 2 and "NU99.yml" in err and "aliases" in err


def test_user_cue_patterns_still_take_effect(tmp_path: Path) -> None:
    """User patterns run through the time-bounded ``regex`` path, and do what they say."""
    from reconcile.claims import extract_claims
    from reconcile.ingest import parse_text
    from reconcile.lexicon import load_lexicon

    text = "Die Polizei meldete am Montag vielleicht 1.250 Festnahmen in Berlin."
    plain = load_lexicon()
    rules = _lexicon_dir(tmp_path, "cues", "modality:\n  estimated:\n    de: ['\\bvielleicht\\b']\n")
    user = load_lexicon([str(rules)])
    assert type(user.modality["estimated"]["de"][0]).__name__ == "_TimedPattern"
    doc = parse_text(text, "d", "d.txt", plain)
    assert extract_claims(doc, plain)[0].modality != "estimated"
    assert extract_claims(parse_text(text, "d", "d.txt", user), user)[0].modality == "estimated"
