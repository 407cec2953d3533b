"""reconcile's quantity extraction side by side with quantulum3 on the CQE test sentences: value F1 and time.

quantulum3 is not a dependency of reconcile: it lives in a benchmark-only environment, e.g.
``python3 -m venv /tmp/q3venv && /tmp/q3venv/bin/pip install quantulum3``. Both extractors run in a fresh
process each, on the same sentences in the same run, and are timed twice: the whole process (start,
imports, extraction) and the extraction alone. Value F1 uses the matching of
``../shared/dev/quantities/score.py`` (a range "a-b" matches a quantity whose low and high are a and b).

Usage: python bench/quantulum_compare.py --q3-python /tmp/q3venv/bin/python [--sets DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SETS = ("age-model", "currency-model", "dimension-model", "temperature-model")

_RECONCILE = """
import json, sys, time
t = time.perf_counter()
from reconcile.quantities import extract
from reconcile.lexicon import load_lexicon
lex = load_lexicon()
sents = json.load(open(sys.argv[1]))
t0 = time.perf_counter()
out = [[{"value": q.value, "low": q.low, "high": q.high} for q in extract(s, "en", lex)] for s in sents]
print(json.dumps({"found": out, "extract_s": time.perf_counter() - t0}))
"""

_QUANTULUM = """
import json, sys, time
from quantulum3 import parser
sents = json.load(open(sys.argv[1]))
t0 = time.perf_counter()
out = []
for s in sents:
    try:
        qs = parser.parse(s)
    except Exception:
        qs = []
    out.append([{"value": q.value, "low": q.value, "high": q.value} for q in qs])
print(json.dumps({"found": out, "extract_s": time.perf_counter() - t0}))
"""


def _run(python: str, code: str, sentences: Path, env: dict[str, str]) -> tuple[dict[str, Any], float]:
    t = time.perf_counter()
    proc = subprocess.run([python, "-c", code, str(sentences)], capture_output=True, text=True, env=env,
                          check=False)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{python}: extraction failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def _close(a: Any, b: Any) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def value_f1(gold: list[dict[str, Any]], found: list[list[dict[str, Any]]]) -> dict[str, float]:
    """Value precision, recall and F1 as ``score.py`` counts them, per sentence, each prediction used once."""
    tp = npred = ngold = 0
    for s, preds in zip(gold, found):
        left = list(preds)
        npred += len(left)
        for q in s["quantities"]:
            ngold += 1
            rng = re.fullmatch(r"(-?[\d.]+(?:[eE][-+]?\d+)?)\s*-\s*(-?[\d.]+(?:[eE][-+]?\d+)?)", q["value"].strip())
            if rng:
                hit = next((p for p in left if _close(p["low"], rng.group(1)) and _close(p["high"], rng.group(2))),
                           None)
            else:
                hit = next((p for p in left if _close(p["value"], q["value"])), None)
            if hit is not None:
                tp += 1
                left.remove(hit)
    p, r = tp / max(1, npred), tp / max(1, ngold)
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--q3-python", required=True, help="python of the venv that has quantulum3")
    ap.add_argument("--sets", default=str(ROOT.parent / "shared" / "dev" / "quantities"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    gold = {name: json.loads((Path(a.sets) / f"{name}.json").read_text(encoding="utf-8")) for name in SETS}
    sentences = [s["text"] for name in SETS for s in gold[name]]
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sentences.json"
        path.write_text(json.dumps(sentences), encoding="utf-8")
        runs = {"reconcile": _run(sys.executable, _RECONCILE, path, env),
                "quantulum3": _run(a.q3_python, _QUANTULUM, path, env)}
    out: dict[str, Any] = {"sentences": len(sentences)}
    for tool, (res, wall) in runs.items():
        found, i, per_set = res["found"], 0, {}
        for name in SETS:
            per_set[name] = value_f1(gold[name], found[i:i + len(gold[name])])
            i += len(gold[name])
        out[tool] = {"process_s": round(wall, 3), "extract_s": round(res["extract_s"], 3), "value": per_set}
    out["speedup_process"] = round(runs["quantulum3"][1] / runs["reconcile"][1], 1)
    out["speedup_extract"] = round(runs["quantulum3"][0]["extract_s"] / max(1e-9, runs["reconcile"][0]["extract_s"]), 1)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
