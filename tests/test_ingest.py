from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.ingest import read_inputs
from reconcile.model import Document, InputError
from reconcile.textview import build_view

from .conftest import GOLD, ROOT, SEEDS, SHARED_GOLD


def _read(paths, **kw):
    items = list(read_inputs([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, InputError)]


def test_seeds_are_byte_identical_to_shared():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        return
    for f in shared.iterdir():
        assert (SEEDS / f.name).read_bytes() == f.read_bytes()
    if SHARED_GOLD.is_file():
        assert GOLD.read_bytes() == SHARED_GOLD.read_bytes()


def test_seed_metadata_from_text_and_manifest(gold):
    docs, errors = _read([SEEDS])
    assert not errors
    assert len(docs) == 5
    by_file = {Path(d.path).name: d for d in docs}
    for key, meta in gold["documents"].items():
        d = by_file[meta["file"]]
        assert d.language == "de"
        if meta["published"]:
            assert d.published == meta["published"]
        for a in meta["authors"]:
            assert a in d.authors
    assert by_file["004_47646d8e4ab2ceb1.txt"].agency


def test_boilerplate_is_marked_not_deleted(gold):
    docs, _ = _read([SEEDS])
    by_file = {Path(d.path).name: d for d in docs}
    for ex in gold["excluded_sections"]:
        d = by_file[gold["documents"][ex["doc"]]["file"]]
        i = d.text.find(ex["marker"])
        assert i >= 0
        assert any(s.start <= i < s.end for s in d.skipped), ex
        assert ex["marker"].split()[-1] not in build_view(d.text, d.skipped).text or ex["marker"].startswith("PREV")


def test_text_offsets_index_original(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("| Erste Zeile mit 11.000 | |\n| Soldaten im Text. | |\n", encoding="utf-8")
    docs, _ = _read([p])
    v = build_view(docs[0].text, docs[0].skipped)
    for i, ch in enumerate(v.text):
        if ch not in " \n":
            assert docs[0].text[v.pos[i]] == ch


def test_markdown_front_matter_wins(tmp_path):
    (tmp_path / "sources.toml").write_text('["a.md"]\noutlet = "Manifest"\npublished = "2024-01-01"\n')
    (tmp_path / "a.md").write_text("---\noutlet: Front\ntitle: T\n---\n# Heading\n\nRussia sent 1,000 troops.\n")
    docs, errors = _read([tmp_path])
    assert not errors
    assert docs[0].outlet == "Front" and docs[0].published == "2024-01-01" and docs[0].title == "T"


def test_jsonl_records_and_malformed_line(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"id": "x1", "text": "North Korea sent 12,000 troops.", "outlet": "A"}) + "\n{oops\n"
                 + json.dumps({"id": "x2", "text": "Nordkorea schickte 11.000 Soldaten.", "language": "de"}) + "\n")
    docs, errors = _read([p])
    assert [d.id for d in docs] == ["x1", "x2"]
    assert docs[0].outlet == "A" and docs[0].language == "en"
    assert len(errors) == 1 and "c.jsonl:2" in errors[0].path and "malformed" in errors[0].problem


def test_html_main_text_and_metadata(tmp_path):
    p = tmp_path / "a.html"
    body = "<p>" + "Russia said North Korea sent about 11,000 soldiers to Kursk last year. " * 6 + "</p>"
    p.write_text(f"<html><head><title>Troops</title><meta property='og:site_name' content='Example News'></head>"
                 f"<body><nav>Home | About</nav><article><h1>Troops</h1>{body}</article>"
                 f"<script>alert(1)</script></body></html>")
    docs, errors = _read([p])
    assert not errors
    assert "11,000" in docs[0].text and "alert" not in docs[0].text


def test_bad_inputs_each_named_and_others_processed(tmp_path):
    (tmp_path / "ok.txt").write_text("Russland hat 1.000 Soldaten geschickt, sagte Selenskyj am Montag in Kiew.")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin.txt").write_bytes("Gr\xfc\xdfe: 5.000 Soldaten wurden nach Kursk geschickt.".encode("cp1252"))
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    (tmp_path / "sources.toml").write_text('["missing.txt"]\noutlet = "X"\n')
    warnings: list = []
    docs, errors = _read([tmp_path, tmp_path / "nope.txt"], warnings=warnings)
    names = {Path(d.path).name for d in docs}
    assert names == {"ok.txt", "latin.txt"}
    problems = {Path(e.path).name: e.problem for e in errors}
    assert "binary" in problems["bin.txt"]
    assert "empty" in problems["empty.txt"]
    assert "too large" in problems["big.txt"]
    assert "missing.txt" in problems["sources.toml"]
    assert "no such file" in problems["nope.txt"]
    assert any("Windows-1252" in w.problem for w in warnings)


def test_stdin():
    items = list(read_inputs(["-"], stdin=io.BytesIO("Russia sent 1,000 troops to Kursk.".encode())))
    assert isinstance(items[0], Document) and items[0].id == "stdin"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(tmp_path_factory, data):
    p = tmp_path_factory.mktemp("rb") / "r.txt"
    p.write_bytes(data)
    for item in read_inputs([str(p)]):
        if isinstance(item, Document):
            v = build_view(item.text, item.skipped)
            assert all(0 <= i < len(item.text) for i in v.pos)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_random_text_offsets_index_original(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("rt") / "r.txt"
    p.write_text(text, encoding="utf-8")
    for item in read_inputs([str(p)]):
        if isinstance(item, Document):
            v = build_view(item.text, item.skipped)
            for i, ch in enumerate(v.text):
                if not ch.isspace():
                    assert item.text[v.pos[i]] == ch


def test_metadata_lines_of_the_text_itself():
    """Site header, date line, bylines, a source line naming an agency and an author section are metadata or
    boilerplate, marked and never deleted; the body after them is the article's own text."""
    from reconcile.ingest import parse_text

    text = ("# beispiel.de -- Soldaten an der Front\n\n18.06.2025\n\nVon Anna Beispiel\n\n"
            "Russland schickte 11.000 Soldaten nach Kursk.\n\nQuelle: dpa\n\n## AUTOREN\n\nBert Muster\n")
    doc = parse_text(text, "d", "d.txt")
    assert (doc.outlet, doc.title, doc.published, doc.agency) == \
        ("beispiel", "Soldaten an der Front", "2025-06-18", True)
    assert doc.authors == ["Anna Beispiel", "Bert Muster"] and doc.text == text
    reasons = [(text[s.start:s.end], s.reason) for s in doc.skipped]
    assert ("Von Anna Beispiel", "byline") in reasons and ("Quelle: dpa", "source line") in reasons
    assert ("Bert Muster", "section AUTOREN") in reasons
    assert not any("11.000" in text[s.start:s.end] for s in doc.skipped)


def test_a_name_slash_outlet_byline_names_author_and_outlet():
    from reconcile.ingest import parse_text

    doc = parse_text("Zahl der Soldaten steigt\n\nAnna Beispiel / Tagesblatt\n\nEs sind 300 Soldaten.\n", "d", "d.txt")
    assert doc.title == "Zahl der Soldaten steigt" and doc.authors == ["Anna Beispiel"] and doc.outlet == "Tagesblatt"


def test_byline_with_outlet_and_english_source_line_state_metadata():
    """The named groups of the lexicon's byline and source-line patterns give authors and outlet."""
    from reconcile.ingest import parse_text

    text = "Jane Example / example.com\n\nThe city counted 4,000 visitors on Sunday.\n\nSource: Reuters\n"
    doc = parse_text(text, "e", "e.txt")
    assert doc.authors == ["Jane Example"] and doc.outlet == "example.com" and doc.agency
    text = "By John Sample\n\nThe city counted 4,000 visitors on Sunday.\n\nSource: Reuters\n"
    doc = parse_text(text, "f", "f.txt")
    assert doc.authors == ["John Sample"] and doc.outlet == "Reuters" and doc.agency


def _ingest(paths):
    from reconcile.config import Config
    from reconcile.pipeline import RunResult, ingest

    result = RunResult()
    ingest([str(p) for p in paths], Config(), result)
    return result


def _numbered(path, n=2):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps({"id": str(i), "text": f"Es gab {i} Tote."}) + "\n" for i in range(1, n + 1)),
                    encoding="utf-8")


def test_json_lines_files_that_each_number_their_records_are_all_read(tmp_path):
    """Ids that several input files hold are read as '<file>/<id>' in each (one warning per file), whatever
    order the files come in; ids repeated within one file stay errors."""
    for name in ("a", "b"):
        _numbered(tmp_path / f"{name}.jsonl")
    (tmp_path / "c.jsonl").write_text('{"id": "1", "text": "Es gab 5 Tote."}\n{"id": "1", "text": "Es gab 6 Tote."}\n'
                                      '{"id": "x", "text": "Es gab 7 Tote."}\n', encoding="utf-8")
    result = _ingest([tmp_path])
    assert [d.id for d in result.documents] == ["a/1", "a/2", "b/1", "b/2", "c/1", "x"]
    assert [w.path for w in result.warnings] == [str(tmp_path / f"{n}.jsonl") for n in "abc"]
    assert "read as 'b/ID'" in result.warnings[1].problem
    assert [e.path for e in result.errors] == [f"{tmp_path / 'c.jsonl'}:2"]
    swapped = _ingest([tmp_path / "c.jsonl", tmp_path / "b.jsonl", tmp_path / "a.jsonl"])
    assert sorted(d.id for d in swapped.documents) == [d.id for d in result.documents]


def test_files_of_one_name_in_several_folders_are_told_apart_by_their_folder(tmp_path):
    for day in ("01", "02", "03"):
        _numbered(tmp_path / "daily" / day / "articles.jsonl", 1)
    result = _ingest([tmp_path / "daily"])
    assert [d.id for d in result.documents] == ["01/articles/1", "02/articles/1", "03/articles/1"]
    assert result.errors == []


_GERMAN_PROSE = ("Der Landkreis hat am Montag mitgeteilt, dass die Zahl der Fälle weiter steigt. Nach Angaben der "
                 "Behörde sind in der Nacht noch einmal mehr Menschen in die Klinik gekommen, aber die Lage sei "
                 "ruhig. Wir haben schon jetzt mit den Kliniken gesprochen, sagte die Sprecherin, und wenn es so "
                 "weitergeht, wird auch die Schule für eine Woche geschlossen.")
_ENGLISH_PROSE = ("The county said on Monday that the number of cases has risen again. According to the agency, "
                  "more people were taken to the hospital during the night, but the situation was calm. We have "
                  "already spoken with the hospitals, a spokeswoman said, and if this goes on, the school would "
                  "be closed for a week as well.")


def test_function_words_tell_clear_prose_and_agree_with_lingua():
    from reconcile.ingest import _WORD, _by_function_words, detect_language
    from reconcile.lexicon import load_lexicon

    lex = load_lexicon()
    for text, lang in ((_GERMAN_PROSE, "de"), (_ENGLISH_PROSE, "en")):
        assert _by_function_words(_WORD.findall(text), lex) == lang
        assert detect_language(text) == lang  # lingua alone says the same
        assert detect_language(text, lex) == lang


def test_few_or_mixed_function_words_leave_the_language_to_lingua():
    from reconcile.ingest import _WORD, _by_function_words, detect_language
    from reconcile.lexicon import load_lexicon

    lex = load_lexicon()
    short = "Kurzarbeit in der Autoindustrie: neue Zahlen"
    mixed = _GERMAN_PROSE[:160] + " " + _ENGLISH_PROSE[:160]
    for text in (short, mixed):
        assert _by_function_words(_WORD.findall(text), lex) is None
        assert detect_language(text, lex) == detect_language(text)
