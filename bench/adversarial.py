"""Time and peak memory of every adversarial case of issue 17, each run as its own ``reconcile`` process.

    python -m bench.adversarial [--json OUT] [--only NAME ...]

Each case generates its inputs in a temporary folder (nothing large is committed), runs the CLI as a
user would, and is measured with ``wait4``: wall time and the child's peak RSS. The target is every case
under 10 s and 1 GB, with the exit code the case expects (2 for bad input, 0 when the input is fine).
Cases that need embeddings use the small MiniLM model, so that the model's load does not dominate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CASES", "Case", "run_case", "main"]

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Die Polizei meldete am Montag 1.250 Festnahmen in Berlin.\n"
OTHER = "Nach Angaben der Polizei gab es am Montag 2.000 Festnahmen in Berlin.\n"
MODEL = ["--model", "all-minilm-l6-v2", "--no-cache"]
LIMIT_S, LIMIT_MB = 10.0, 1024.0


@dataclass
class Case:
    name: str
    setup: Callable[[Path], list[str]]  # writes inputs into the folder, returns the CLI arguments
    expect: int
    stdin: str | None = None  # a file in the folder (or /dev/zero) fed to standard input
    fsize: int | None = None  # RLIMIT_FSIZE in bytes (ulimit -f)


def _w(d: Path, name: str, text: str | bytes) -> str:
    p = d / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return str(p)


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _lexicon(d: Path, name: str, text: str) -> str:
    _w(d, f"rules/lexicon/{name}.yml", text)
    return str(d / "rules")


def _big(d: Path, name: str, mb: int) -> str:
    line = "Am Montag meldete die Polizei in Berlin 1.250 Festnahmen und 30 Verletzte.\n"
    with open(d / name, "w", encoding="utf-8") as fh:
        for _ in range(mb * 1024 * 1024 // len(line)):
            fh.write(line)
    return str(d / name)


def _fifo(d: Path) -> list[str]:
    os.mkfifo(d / "p.txt")
    return ["claims", str(d / "p.txt"), _w(d, "good.txt", GOOD)]


def _big_stdin(d: Path) -> list[str]:
    _big(d, "big100.txt", 100)
    return ["quantities", "-"]


def _readonly(d: Path) -> list[str]:
    return ["claims", _w(d, "good.txt", GOOD), "--format", "json", "-o", "/sys/reconcile-out.json"]


def _weak_config(d: Path) -> list[str]:
    _w(d, "reconcile.toml", "[rule.DR01]\nenabled = false\n")
    _w(d, "arch/a.txt", GOOD)
    return ["check", _w(d, "draft.md", GOOD.replace("1.250", "9.999")), "--against", str(d / "arch"),
            "--model", "all-minilm-l6-v2"]


CASES: list[Case] = [
    # what any run of the two commands costs on this machine (imports, language detector, model): the cases
    # below are judged against 10 s, and read against these
    Case("baseline: claims of one good article", lambda d: ["claims", _w(d, "g.txt", GOOD)], 0),
    Case("baseline: quantities of one good article", lambda d: ["quantities", _w(d, "g.txt", GOOD)], 0),
    Case("baseline: report of two articles", lambda d: ["report", _w(d, "a.txt", GOOD), _w(d, "b.txt", OTHER),
                                                        *MODEL], 0),
    Case("non-string metadata (JSONL)", lambda d: ["claims", _w(d, "a.jsonl", '{"id":"a","authors":{"x":5},'
                                                               '"text":"Es gab 5 Tote."}\n'), _w(d, "g.txt", GOOD)], 2),
    Case("non-string metadata (front matter)", lambda d: ["claims", _w(d, "a.md", f"---\nauthors: 5\n---\n{GOOD}")], 0),
    Case("JSONL ids that are not strings", lambda d: ["claims", _w(d, "a.jsonl", '{"id":[1,2],"text":"Es gab 5."}\n'
                                                      '{"id":null,"text":"Es gab 6 Tote."}\n')], 2),
    Case("$...$ in a file name (HTML report)", lambda d: ["report", _w(d, "a$^$.txt", GOOD), _w(d, "b$x$.txt", OTHER),
                                                          "--format", "html", "-o", str(d / "r.html"), *MODEL], 0),
    Case("rich markup outlet", lambda d: ["report", _w(d, "a.md", f"---\noutlet: '[/b]'\n---\n{GOOD}"),
                                          _w(d, "b.txt", OTHER), *MODEL], 0),
    Case("malformed lexicon value", lambda d: ["claims", _w(d, "g.txt", GOOD), "--rules",
                                               _lexicon(d, "hedges", "de: [1, 2]\n")], 2),
    Case("-o to a read-only place", _readonly, 2),
    Case("-o to a full disk", lambda d: ["claims", _w(d, "g.txt", GOOD), "--format", "json", "-o", "/dev/full"], 2),
    Case("FIFO as an argument", _fifo, 2),
    Case("/dev/zero as an argument", lambda d: ["claims", "/dev/zero"], 2),
    Case("/dev/zero on stdin", lambda d: ["quantities", "-"], 2, stdin="/dev/zero"),
    Case("100 MB on stdin", _big_stdin, 2, stdin="big100.txt"),
    Case("100 MB file", lambda d: ["quantities", _big(d, "big100.txt", 100)], 2),
    Case("alias bomb in front matter", lambda d: ["claims", _w(d, "a.md", f"---\n{_bomb()}---\n{GOOD}")], 2),
    Case("alias bomb in a lexicon file", lambda d: ["claims", _w(d, "g.txt", GOOD), "--rules",
                                                    _lexicon(d, "hedges", _bomb())], 2),
    Case("alias bomb in a rule file", lambda d: ["report", _w(d, "g.txt", GOOD), "--rules",
                                                 str(Path(_w(d, "rules/numeric/NU99.yml", _bomb())).parent.parent),
                                                 *MODEL], 2),
    Case("quadratic cue regexes (12,000 x 'sollen')", lambda d: ["claims", _w(d, "s.txt", "Die Regierung sagte, es "
                                                                 + "sollen " * 12000 + "am Montag in Berlin 1.250 "
                                                                 "Festnahmen gegeben haben xyz\n")], 0),
    Case("ReDoS in a user regex", lambda d: ["claims", _w(d, "r.txt", "Die Polizei meldete am Montag 1250 Festnahmen "
                                                         "in Berlin und " + "aaaa " * 20 + "!\n"), "--rules",
                                             _lexicon(d, "cues", "modality:\n  estimated:\n    de: ['(a|aa)+c']\n")],
         0),
    Case("ulimit -f under report -o", lambda d: ["report", _w(d, "c.txt", "".join(
        f"Am Montag meldete die Polizei in Berlin {i} Festnahmen.\n" for i in range(1, 400))), "-o",
        _w(d, "r.txt", "old\n"), *MODEL], 2, fsize=20 * 1024),
    Case("UTF-16 with BOM", lambda d: ["claims", _w(d, "u.txt", b"\xff\xfe" + GOOD.encode("utf-16-le"))], 0),
    Case("cp1252 fallback (quantities)", lambda d: ["quantities", _w(d, "w.txt", GOOD.replace("Berlin", "Köln")
                                                                     .encode("cp1252"))], 0),
    Case("ESC and markup in article text", lambda d: ["claims", _w(d, "e.txt", "\x1b[2J[/b]" + GOOD)], 0),
    Case("config beside the drafts (warns, DR01 off)", _weak_config, 0),
]


def run_case(case: Case, folder: Path) -> dict[str, Any]:
    """Run one case in ``folder``: its exit code, wall seconds and peak RSS in MB."""
    args = case.setup(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    stdin = None
    if case.stdin:
        stdin = open(case.stdin if case.stdin.startswith("/") else folder / case.stdin, "rb")

    def limits() -> None:
        if case.fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (case.fsize, case.fsize))

    start = time.perf_counter()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "reconcile", *args], cwd=folder, env=env, stdin=stdin,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limits)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdin:
            stdin.close()
    secs = time.perf_counter() - start
    rss = usage.ru_maxrss / 1024
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return {"case": case.name, "command": args[0], "exit": proc.returncode, "expected": case.expect,
            "seconds": round(secs, 2), "peak_rss_mb": round(rss, 1), "stderr_last": last[0][:160]}


# the baseline each command's cases are read against (check indexes a folder and embeds, as report does)
_BASELINE_OF = {"claims": "claims", "quantities": "quantities", "report": "report", "check": "report"}


def _judge(row: dict[str, Any], baselines: dict[str, float]) -> None:
    """``ok``: the expected exit code, under 1 GB, and under 10 s beyond what the command costs anyway."""
    base = baselines.get(_BASELINE_OF.get(row["command"], ""), 0.0)
    row["over_baseline_s"] = round(max(0.0, row["seconds"] - base), 2)
    row["ok"] = (row["exit"] == row["expected"] and row["peak_rss_mb"] < LIMIT_MB
                 and row["over_baseline_s"] < LIMIT_S)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--only", nargs="*", help="run only cases whose name contains one of these")
    a = ap.parse_args(argv)
    rows = []
    baselines: dict[str, float] = {}
    for case in CASES:
        is_base = case.name.startswith("baseline")
        if not is_base and a.only and not any(o.lower() in case.name.lower() for o in a.only):
            continue
        with tempfile.TemporaryDirectory(prefix="reconcile-adv-") as tmp:
            row = run_case(case, Path(tmp))
        if is_base:
            baselines[row["command"]] = row["seconds"]
        _judge(row, baselines)
        rows.append(row)
        print(f"{'ok  ' if row['ok'] else 'FAIL'} {row['case']:<44} exit {row['exit']} (want {row['expected']})"
              f"  {row['seconds']:6.2f} s (+{row['over_baseline_s']:5.2f})  {row['peak_rss_mb']:7.1f} MB  "
              f"{row['stderr_last'][:60]}", flush=True)
    bad = [r for r in rows if not r["ok"]]
    print(f"{len(rows) - len(bad)} of {len(rows)} cases with the expected exit code, under {LIMIT_MB:g} MB and "
          f"under {LIMIT_S:g} s beyond their command's baseline")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
