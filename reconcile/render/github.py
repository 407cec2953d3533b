"""GitHub Actions workflow commands: one annotation per finding on the draft's file and line.

Errors are ``::error``; warnings are ``::warning``; infos are ``::notice`` (never dropped). Suppressed
findings are not annotated. Values are escaped as the workflow-command syntax requires.
"""

from __future__ import annotations

from typing import Any

from reconcile.render.common import clean

__all__ = ["render"]

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(s: str) -> str:
    """A workflow-command value: no control characters (a form feed or line separator must not start a
    command of its own), then the runner's escapes."""
    return clean(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render(record: dict[str, Any], quiet: bool = False) -> str:
    """One workflow command per unsuppressed finding, then a summary line (not when ``quiet``)."""
    lines = []
    for f in record["findings"]:
        if f["suppressed"]:
            continue
        d = f["draft"]
        props = (f"file={_prop(d['path'])},line={d['line']},col={d['column']},endLine={d['end_line']},"
                 f"endColumn={d['end_column']},title={_prop(f['rule'] + ' ' + f['name'])}")
        lines.append(f"::{_COMMAND[f['level']]} {props}::{_data(f['message'])}")
    s = record["summary"]
    if quiet:
        return "".join(x + "\n" for x in lines)
    lines.append(f"reconcile: {s['error']} error(s), {s['warning']} warning(s), {s['info']} info, "
                 f"{s['suppressed']} suppressed")
    return "\n".join(lines) + "\n"
