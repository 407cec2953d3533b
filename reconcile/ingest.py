"""Read inputs (files, folders, ``-`` for stdin) into ``Document`` records with metadata.

Formats: plain text (including the taz export with ``| ... | |`` borders), Markdown with front matter,
HTML (main text via trafilatura), and JSON Lines corpora. Metadata comes from, in rising priority:
the text itself, a sidecar manifest (``sources.toml`` beside the files), then JSONL fields or front matter.
Boilerplate is marked in ``Document.skipped`` and never removed from ``Document.text``.

Bad inputs never stop the run: each yields an ``InputError`` naming the file and the problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from reconcile.dates import parse_date_line
from reconcile.lexicon import Lexicon, load_lexicon
from reconcile.model import Document, InputError, Span
from reconcile.textview import Line, build_view, split_lines
from reconcile.yamlio import YAMLError, load_yaml

__all__ = ["read_inputs", "read_path", "parse_text", "detect_language", "MAX_BYTES", "MANIFEST_NAMES",
           "SUPPORTED_LANGUAGES", "max_bytes"]

MAX_BYTES = 20 * 1024 * 1024  # one document; a JSON Lines corpus is streamed and limited per record
_CHUNK = 1024 * 1024
MANIFEST_NAMES = ("sources.toml", "manifest.toml")
TEXT_EXT = {".txt", ".text", ""}
MD_EXT = {".md", ".markdown"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson"}
KNOWN_EXT = TEXT_EXT | MD_EXT | HTML_EXT | JSONL_EXT
SUPPORTED_LANGUAGES = ("de", "en")

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_SITE_HEADER = re.compile(r"^#\s*([\w.-]+\.[a-z]{2,})\s+--\s+(.*)$")
_META_KEYS = ("outlet", "published", "url", "title", "authors", "language", "agency")


# --------------------------------------------------------------------------- limits and reading

def max_bytes() -> int:
    """The most one input may hold (a file, stdin, or one JSON Lines record): ``$RECONCILE_MAX_INPUT_MB``
    megabytes, 20 by default. Reads stop one byte past it, so ``/dev/zero`` on stdin is refused at once."""
    env = os.environ.get("RECONCILE_MAX_INPUT_MB", "").strip()
    try:
        return max(1, int(float(env) * 1024 * 1024)) if env else MAX_BYTES
    except ValueError:
        return MAX_BYTES


def _too_large(size: int | None, limit: int) -> str:
    """``size`` None: the read stopped at the limit, so only "more than" is known."""
    held = f"{size / 1e6:.1f} MB, " if size is not None else ""
    return f"too large ({held}over the {limit / 1e6:.1f} MB limit; raise it with RECONCILE_MAX_INPUT_MB)"


def _read_bounded(fh: Any, limit: int) -> bytes | None:
    """Up to ``limit`` bytes in bounded chunks, or None when the stream holds more."""
    buf = bytearray()
    while len(buf) <= limit:
        chunk = fh.read(min(_CHUNK, limit + 1 - len(buf)))
        if not chunk:
            return bytes(buf)
        buf += chunk
    return None


def _not_regular(st: os.stat_result) -> str | None:
    """Why a path cannot be read as an article: reading a FIFO or device would hang or never end."""
    mode = st.st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "special")
    return f"not a regular file but {kind}; refused (pipe it to '-' to read it as standard input)"


# --------------------------------------------------------------------------- decoding

_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def _decode_bom(data: bytes) -> tuple[str | None, str | None] | None:
    """UTF-16 or UTF-32 text with a byte-order mark: (text, error), or None when there is no such mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError as exc:
                return None, f"malformed {codec.upper()} text (bad bytes at offset {exc.start})"
    return None


def _decode(data: bytes, path: str) -> tuple[str | None, str | None, str | None]:
    """Return (text, error, warning). Binary content is an error; non-UTF-8 falls back to cp1252."""
    if not data.strip():
        return None, "empty file", None
    bom = _decode_bom(data)
    if bom is not None:
        text, err = bom
        if text is not None and not text.strip():
            return None, "empty file", None
        return text, err, None
    head = data[:8192]
    if b"\x00" in head:
        return None, "binary file (contains NUL bytes), not text", None
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    if ctrl / max(1, len(head)) > 0.05:
        return None, "binary file (too many control characters), not text", None
    try:
        text = data.decode("utf-8-sig")
        return text, None, None
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, None, f"not valid UTF-8 (first bad byte at offset {bad}); read as Windows-1252 instead"


# --------------------------------------------------------------------------- language

@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.GERMAN, Language.ENGLISH, Language.FRENCH, Language.SPANISH, Language.ITALIAN, Language.DUTCH]
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


# lingua is sure of German against English well within this many characters, and its time grows with them
_LANGUAGE_SAMPLE = 1200


_WORD = re.compile(r"[^\W\d_]{2,}")


def detect_language(text: str, lex: Lexicon | None = None) -> str | None:
    """ISO 639-1 code of the text's language (German, English and a few neighbours), or None.

    With a lexicon, a text whose words are clearly one language's function words (``languages.yml``) is
    that language at once; lingua decides the others."""
    sample = text[:_LANGUAGE_SAMPLE]
    words = _WORD.findall(sample)
    if len(words) < 3:
        return None
    by_words = _by_function_words(words, lex) if lex is not None else None
    if by_words is not None:
        return by_words
    lang = _detector().detect_language_of(sample)
    return lang.iso_code_639_1.name.lower() if lang is not None else None


def _by_function_words(words: list[str], lex: Lexicon) -> str | None:
    """The language whose function words the sample's ``words`` hold at least ``min_words`` of, and
    ``margin`` times as many as of any other language's; None when no language stands out so clearly."""
    if not lex.function_words:
        return None
    counts = dict.fromkeys(lex.function_words, 0)
    index = lex.function_word_languages
    for w in words:
        for lang in index.get(w.lower(), ()):
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return best if n >= lex.language_min_words and n >= lex.language_margin * second else None


# --------------------------------------------------------------------------- boilerplate and metadata

@dataclass
class _Marks:
    """What ``_mark`` has found so far, and where it stands: in a boilerplate section, in the tail, before
    the first content line."""
    spans: list[Span] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tail: bool = False
    first_content: bool = True

    def add(self, ln: Line, kind: str, why: str) -> None:
        """Mark the whole line as a span of ``kind``."""
        self.spans.append(Span(ln.start, ln.end, kind, why))


def _mark(text: str, lex: Lexicon, lines: list[Line] | None = None) -> tuple[list[Span], dict[str, Any]]:
    """Find boilerplate spans and the metadata the text states about itself (``lines``: its ``split_lines``)."""
    st = _Marks()
    for ln in split_lines(text) if lines is None else lines:
        if ln.kind == "blank":
            continue
        content = ln.content(text)
        if st.tail:
            st.add(ln, "boilerplate", "navigation")
        elif ln.kind == "heading":
            _mark_heading(st, ln, content, lex)
        else:
            _mark_line(st, ln, content, lex)
    if st.authors:
        st.meta.setdefault("authors", list(dict.fromkeys(st.authors)))
    return st.spans, st.meta


def _mark_heading(st: _Marks, ln: Line, content: str, lex: Lexicon) -> None:
    """A heading is a site header (outlet and title), opens a boilerplate section, or ends one (the first
    heading of content is the title)."""
    heading = content.lstrip("#").strip()
    m = _SITE_HEADER.match(content)
    if m:
        st.meta.setdefault("outlet", m.group(1).rsplit(".", 1)[0])
        st.meta.setdefault("title", m.group(2).strip())
        st.add(ln, "metadata", "site header")
        st.first_content = False
        return
    if heading.upper() in lex.section_headings:
        st.section = heading.upper()
        st.add(ln, "boilerplate", f"section {heading}")
        return
    st.section = None
    if st.first_content:
        st.meta.setdefault("title", heading)
        st.first_content = False


def _mark_line(st: _Marks, ln: Line, content: str, lex: Lexicon) -> None:
    """A line that is not a heading: inside a boilerplate section, the start of the tail, a date line, a
    boilerplate line of the lexicon, or else content (a short first line without final punctuation is the
    title)."""
    if st.section is not None:
        st.add(ln, "boilerplate", f"section {st.section}")
        if st.section.startswith("AUTOR") and len(content) < 80:
            st.authors.append(content.strip())
        return
    if any(p.search(content) for p in lex.tail_starts):
        st.tail = True
        st.add(ln, "boilerplate", "navigation")
        return
    date = parse_date_line(content)
    if date:
        st.meta.setdefault("published", date)
        st.add(ln, "metadata", "date line")
        return
    hit = next(((m, w) for p, w in lex.line_patterns if (m := p.search(content))), None)
    if hit:
        st.add(ln, "boilerplate", hit[1])
        _line_metadata(st, hit[0].groupdict(), lex)
        return
    if st.first_content:
        st.first_content = False
        if len(content) < 160 and not re.search(r"[.!?]$", content):
            st.meta.setdefault("title", content.strip())
            st.add(ln, "heading", "title")


def _line_metadata(st: _Marks, groups: dict[str, str | None], lex: Lexicon) -> None:
    """The metadata a boilerplate line states through its pattern's named groups (``boilerplate.yml``
    ``lines``): ``authors`` names the authors (a byline), ``outlet`` the outlet (a source line, or a byline
    after " / "), which is an agency when it names one of ``agencies``."""
    if groups.get("authors"):
        st.authors.append(str(groups["authors"]).strip())
    outlet = (groups.get("outlet") or "").strip()
    if outlet:
        if any(a.lower() in outlet.lower() for a in lex.agencies):
            st.meta["agency"] = True
        st.meta.setdefault("outlet", outlet)


# --------------------------------------------------------------------------- documents

def _finish(doc: Document, meta_layers: list[dict[str, Any]], lex: Lexicon,
            lines: list[Line] | None = None) -> Document:
    """Apply metadata layers in rising priority, detect the language, and hash the content (``lines``: the
    text's ``split_lines``, when the caller has them)."""
    for layer in meta_layers:
        for key in _META_KEYS:
            val = _meta_value(key, layer.get(key))
            if val is not None:
                setattr(doc, key, val)
    if not doc.language:
        view = build_view(doc.text, doc.skipped, lines=lines, limit=_LANGUAGE_SAMPLE)
        doc.language = detect_language(view.text, lex)
    h = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass"))
    h.update(json.dumps([doc.outlet, doc.published, doc.url, doc.title, doc.authors, doc.language]).encode())
    doc.content_hash = h.hexdigest()
    return doc


_SCALAR = (str, int, float, bool, dt.date)


def _meta_value(key: str, val: Any) -> Any:
    """One metadata value as the Document holds it; numbers and dates become strings, and a value that
    cannot (a table, a list where one value belongs) is a ValueError naming the field."""
    if val is None or (isinstance(val, (str, list)) and not val):
        return None
    if key == "authors":
        items = val if isinstance(val, list) else [val]
        if not all(isinstance(a, _SCALAR) for a in items):
            raise ValueError(f"metadata field 'authors' must be a name or a list of names, not {_kind(val)}")
        return [str(a).strip() for a in items if str(a).strip()] or None
    if not isinstance(val, _SCALAR):
        raise ValueError(f"metadata field {key!r} must be a single value, not {_kind(val)}")
    if key == "published":
        return _norm_date(val)
    if key == "agency":
        return bool(val)
    if key == "language" and not isinstance(val, str):
        raise ValueError(f"metadata field 'language' must be a language code such as \"de\", not {_kind(val)}")
    return str(val)


def _kind(val: Any) -> str:
    return "a table" if isinstance(val, dict) else "a list" if isinstance(val, list) else type(val).__name__


def _norm_date(val: Any) -> str | None:
    if hasattr(val, "isoformat"):
        return str(val.isoformat())[:10]
    s = str(val).strip()
    return parse_date_line(s) or (s if re.fullmatch(r"\d{4}(-\d{2}){0,2}", s) else None)


def parse_text(text: str, doc_id: str, path: str, lex: Lexicon | None = None,
               meta_layers: list[dict[str, Any]] | None = None, markdown: bool = False) -> Document:
    """Build a Document from text as read; ``meta_layers`` rise in priority after the text's own."""
    lex = lex or load_lexicon()
    lines = split_lines(text)  # read once: for the boilerplate marks and the language sample
    skipped, own = _mark(text, lex, lines)
    front: dict[str, Any] = {}
    if markdown:
        m = _FRONT.match(text)
        if m:
            try:
                loaded = load_yaml(m.group(1))
            except YAMLError as exc:
                raise ValueError(f"malformed front matter: {exc}") from exc
            if isinstance(loaded, dict):
                front = loaded
            skipped.insert(0, Span(0, m.end(), "metadata", "front matter"))
    doc = Document(id=doc_id, path=path, text=text, skipped=skipped)
    layers = [own] + list(meta_layers or []) + ([front] if front else [])
    if front.get("author") and not front.get("authors"):
        front["authors"] = front["author"]
    return _finish(doc, layers, lex, lines)


def _parse_html(raw: str, doc_id: str, path: str, lex: Lexicon, layers: list[dict[str, Any]]) -> Document:
    import trafilatura

    try:
        res = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises many kinds on hostile markup
        raise ValueError(f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc
    if res is None:
        raise ValueError("HTML has no extractable main text")
    get = (lambda k: getattr(res, k, None)) if not isinstance(res, dict) else res.get
    text = get("text") or ""
    if not text.strip():
        raise ValueError("HTML has no extractable main text")
    meta = {"title": get("title"), "url": get("url"), "published": get("date"),
            "outlet": get("sitename") or get("hostname"),
            "authors": _split_authors(get("author") or "", lex)}
    return parse_text(text, doc_id, path, lex, [meta] + layers)


def _split_authors(names: str, lex: Lexicon) -> list[str]:
    """The authors of an HTML page's author field, split at the lexicon's ``author_separators``
    (``boilerplate.yml``: "; ", ", ", " and ", " und ")."""
    seps = lex.raw["boilerplate"].get("author_separators") or [";"]
    parts = re.split("|".join(re.escape(str(x)) for x in seps), names)
    return [a.strip() for a in parts if a.strip()]


# --------------------------------------------------------------------------- manifests

def _load_manifest(folder: Path) -> tuple[dict[str, dict[str, Any]], list[InputError]]:
    for name in MANIFEST_NAMES:
        p = folder / name
        if p.is_file():
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                return {}, [InputError(str(p), f"malformed manifest: {exc}")]
            errors = []
            out = {}
            for key, val in data.items():
                if not isinstance(val, dict):
                    errors.append(InputError(str(p), f"entry {key!r} must be a table of outlet, published, url"))
                    continue
                if not (folder / key).exists():
                    errors.append(InputError(str(p), f"names a file that does not exist: {key}"))
                    continue
                try:
                    for field in _META_KEYS:
                        _meta_value(field, val.get(field))
                except ValueError as exc:
                    errors.append(InputError(str(p), f"entry {key!r}: {exc}; entry ignored"))
                    continue
                out[key] = val
            return out, errors
    return {}, []


# --------------------------------------------------------------------------- reading

def _read_jsonl_stream(stream: Iterable[bytes], path: str, lex: Lexicon,
                       layers: list[dict[str, Any]]) -> Iterator[Document | InputError]:
    seen: set[str] = set()
    limit = max_bytes()
    for lineno, raw in enumerate(_lines(stream, limit), start=1):
        if not raw.strip():
            continue
        where = f"{path}:{lineno}"
        if len(raw) > limit:
            yield InputError(where, "record " + _too_large(len(raw), limit))
            continue
        try:
            rec = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield InputError(where, f"malformed JSON Lines record: {exc}")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield InputError(where, "record must be an object with a string 'text'")
            continue
        if not rec["text"].strip():
            yield InputError(where, "record has empty text")
            continue
        if "id" in rec and not (isinstance(rec["id"], str) and rec["id"].strip()):
            yield InputError(where, f"'id' must be a non-empty string, not {json.dumps(rec['id'])[:40]}")
            continue
        doc_id = rec["id"] if "id" in rec else f"{Path(path).stem}-{lineno}"
        if doc_id in seen:
            yield InputError(where, f"duplicate id {doc_id!r}; record skipped")
            continue
        seen.add(doc_id)
        try:
            yield parse_text(rec["text"], doc_id, where, lex, layers + [rec])
        except ValueError as exc:
            yield InputError(where, str(exc))


def _lines(stream: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """The stream's lines; one longer than ``limit`` is cut at the limit (reported as too large by the
    caller) instead of being read whole into memory."""
    if not hasattr(stream, "readline"):
        yield from stream
        return
    readline = stream.readline  # type: ignore[attr-defined]
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the overlong line in bounded pieces
                rest = readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def read_path(path: Path, lex: Lexicon, manifest: dict[str, Any] | None = None,
              warnings: list[InputError] | None = None) -> Iterator[Document | InputError]:
    """Read one file (any supported format) into documents or errors."""
    name = str(path)
    layers = [manifest] if manifest else []
    ext = path.suffix.lower()
    try:
        st = path.stat()
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    special = _not_regular(st)
    if special:
        yield InputError(name, special)
        return
    size, limit = st.st_size, max_bytes()
    if ext in JSONL_EXT:
        try:
            with path.open("rb") as fh:
                yield from _read_jsonl_stream(fh, name, lex, layers)
        except OSError as exc:
            yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    if size > limit:
        yield InputError(name, "file " + _too_large(size, limit))
        return
    try:
        with path.open("rb") as fh:
            data = _read_bounded(fh, limit)
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    if data is None:  # grew while being read
        yield InputError(name, "file " + _too_large(None, limit))
        return
    text, err, warn = _decode(data, name)
    if err or text is None:
        yield InputError(name, err or "unreadable")
        return
    if warn and warnings is not None:
        warnings.append(InputError(name, warn))
    try:
        if ext in HTML_EXT or (ext not in KNOWN_EXT and text.lstrip()[:1] == "<"):
            yield _parse_html(text, path.stem, name, lex, layers)
        else:
            yield parse_text(text, path.stem, name, lex, layers, markdown=ext in MD_EXT)
    except ValueError as exc:
        yield InputError(name, str(exc))


def _walk(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if p.is_file() and p.suffix.lower() in KNOWN_EXT - {""} and p.name not in MANIFEST_NAMES:
            out.append(p)
    return out


def read_inputs(paths: Iterable[str], lex: Lexicon | None = None, stdin: io.BufferedIOBase | None = None,
                warnings: list[InputError] | None = None) -> Iterator[Document | InputError]:
    """Yield a Document or an InputError for every input; folders are read recursively."""
    lex = lex or load_lexicon()
    manifests: dict[Path, dict[str, Any]] = {}
    for raw in paths:
        if raw == "-":
            data = _read_bounded(stdin or sys.stdin.buffer, max_bytes())
            if data is None:
                yield InputError("<stdin>", "standard input " + _too_large(None, max_bytes()))
                continue
            text, err, warn = _decode(data, "<stdin>")
            if err or text is None:
                yield InputError("<stdin>", err or "unreadable")
                continue
            if warn and warnings is not None:
                warnings.append(InputError("<stdin>", warn))
            head = text.lstrip()[:1]
            try:
                if head == "{":
                    yield from _read_jsonl_stream(io.BytesIO(text.encode("utf-8")), "<stdin>", lex, [])
                elif head == "<":
                    yield _parse_html(text, "stdin", "<stdin>", lex, [])
                else:
                    yield parse_text(text, "stdin", "<stdin>", lex, [], markdown=text.startswith("---"))
            except ValueError as exc:
                yield InputError("<stdin>", str(exc))
            continue
        p = Path(raw)
        try:
            st = p.stat()
        except OSError:
            yield InputError(raw, "no such file or folder")
            continue
        special = _not_regular(st)
        if special:
            yield InputError(raw, special)
            continue
        files = _walk(p) if p.is_dir() else [p]
        if p.is_dir() and not files:
            yield InputError(raw, "folder holds no readable articles (.txt, .md, .html, .jsonl)")
        for f in files:
            folder = f.parent
            if folder not in manifests:
                manifests[folder], errs = _load_manifest(folder)
                yield from errs
            yield from read_path(f, lex, manifests[folder].get(f.name), warnings)
