"""The one output writer (``reconcile.output``): standard output, callables, errors naming the path."""

from __future__ import annotations

import pytest

from reconcile.output import OutputError, is_stdout, open_output, write_output


def test_dash_and_none_are_stdout(capsys):
    assert is_stdout(None) and is_stdout("-") and not is_stdout("r.json")
    write_output("-", "eins\n")
    write_output(None, lambda fh: fh.write("zwei\n"))
    assert capsys.readouterr().out == "eins\nzwei\n"


def test_a_writer_function_gets_the_stream_and_no_temporary_file_is_left(tmp_path):
    out = tmp_path / "r.txt"
    write_output(str(out), lambda fh: (fh.write("a"), fh.write("ö\n")))
    assert out.read_text(encoding="utf-8") == "aö\n" and [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_open_output_replaces_only_when_the_block_succeeds(tmp_path):
    out = tmp_path / "r.txt"
    out.write_text("old\n")
    with pytest.raises(RuntimeError):
        with open_output(str(out)) as fh:
            fh.write("half")
            raise RuntimeError("stop")
    assert out.read_text() == "old\n"
    with open_output(str(out)) as fh:
        fh.write("new\n")
    assert out.read_text() == "new\n"


def test_missing_folders_are_made_and_a_folder_is_an_output_error_naming_it(tmp_path):
    target = tmp_path / "no" / "such" / "r.txt"
    write_output(str(target), "x")
    assert target.read_text() == "x"
    with pytest.raises(OutputError) as exc:
        write_output(str(tmp_path / "no"), "x")
    assert str(tmp_path / "no") in str(exc.value) and "is a folder" in str(exc.value)
