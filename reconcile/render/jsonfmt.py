"""JSON rendering of the report record (schema ``reconcile.report/2``, see ``report.SCHEMA_ID``), byte-stable.

The text is exactly ``json.dumps(record, indent=2, ensure_ascii=False)`` plus a final newline. The standard
library writes indented JSON in pure Python, one ``write`` per token when streamed to a file, which made the
report the slowest part of writing a large corpus's record. Here every container whose members are all
scalars (a claim, a finding, a list of claim ids) goes through the standard library's C encoder once, with
the indentation as its item separator; only the containers above them are joined in Python. A report is
written one top-level list item at a time, so a large corpus's report is never one string.
"""

from __future__ import annotations

import json
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Callable, TextIO

__all__ = ["render", "write", "encode"]

_SCALARS = (str, int, float, bool, type(None))


def _refuse(o: object) -> None:
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


@lru_cache(maxsize=None)
def _flat(level: int) -> Callable[[Any, int], list[str]]:
    """The C encoder whose item separator is the line break and indentation of ``level``'s members."""
    separator = ",\n" + "  " * (level + 1) if level >= 0 else ", "
    if c_make_encoder is None:  # an interpreter without the C accelerator
        from json import JSONEncoder

        enc = JSONEncoder(ensure_ascii=False, separators=(separator, ": "))
        return lambda o, _level: list(enc.iterencode(o))
    return c_make_encoder(None, _refuse, encode_basestring, None, ": ", separator,
                          False, False, True)  # type: ignore[no-any-return]


def _all_scalars(o: dict[str, Any] | list[Any] | tuple[Any, ...]) -> bool:
    """Whether every member of ``o`` is a scalar, so that the C encoder writes ``o`` in one call."""
    return all(isinstance(v, _SCALARS) for v in (o.values() if isinstance(o, dict) else o))


def _plain(o: Any) -> bool:
    """A list, a tuple, or a dict whose keys are all strings: the containers written here."""
    return isinstance(o, (list, tuple)) or (isinstance(o, dict) and all(type(k) is str for k in o))


def _standard(o: Any, level: int) -> str:
    """What the standard library writes for anything else (other keys, sets: its own result or its error)."""
    return json.dumps(o, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


def encode(o: Any, level: int = 0) -> str:
    """``o`` as ``json.dumps(o, indent=2, ensure_ascii=False)`` writes it, nested ``level`` deep."""
    if isinstance(o, _SCALARS):
        return "".join(_flat(-1)(o, 0))
    if not _plain(o):
        return _standard(o, level)
    if not o:
        return "{}" if isinstance(o, dict) else "[]"
    inner = "\n" + "  " * (level + 1)
    if _all_scalars(o):
        text = "".join(_flat(level)(o, 0))
        return text[0] + inner + text[1:-1] + inner[:-2] + text[-1]
    if isinstance(o, dict):
        body = ("," + inner).join(f"{encode_basestring(k)}: {encode(v, level + 1)}" for k, v in o.items())
        return "{" + inner + body + inner[:-2] + "}"
    return "[" + inner + ("," + inner).join(encode(v, level + 1) for v in o) + inner[:-2] + "]"


def render(record: dict[str, Any]) -> str:
    """The record as indented UTF-8 JSON with a final newline; the same record gives the same bytes."""
    return encode(record) + "\n"


def write(record: dict[str, Any], fh: TextIO) -> None:
    """The same text as ``render``, written one top-level list item at a time."""
    if not record or not _plain(record):
        fh.write(render(record))
        return
    for i, (key, value) in enumerate(record.items()):
        fh.write(("{\n  " if i == 0 else ",\n  ") + encode_basestring(key) + ": ")
        if isinstance(value, (list, tuple)) and value and not _all_scalars(value):
            for j, item in enumerate(value):
                fh.write(("[\n    " if j == 0 else ",\n    ") + encode(item, 2))
            fh.write("\n  ]")
        else:
            fh.write(encode(value, 1))
    fh.write("\n}\n")
