"""Calibration of the verdict confidence on the development clusters (``../shared/dev``).

For every gold fact the dev scorer judges (stated in two or more articles), the fact the engine put most of
its mentions in gives a verdict and a confidence; the verdict is right when the gold accepts it. The table
bins the confidence and shows the share of verdicts right in each bin, per language and overall.

Two columns of figures:
- ``shipped``: the engine's confidence as shipped: the product of ``ConfidenceParams`` weights (set by hand)
  through the two-parameter map ``sigmoid(slope * logit(p) + offset)`` whose parameters were fitted on these
  clusters, so this column is in-sample.
- ``LOCO``: the same map fitted leave-one-cluster-out: for each cluster, slope and offset are fitted on the other
  clusters only and applied to this cluster's facts (before the shipped map), so no cluster is scored with
  figures learned on itself. The last line prints the map fitted on all clusters (what is shipped).
The Brier scores also show the older per-bin-and-verdict LOCO recalibration (``loco``) for comparison.

usage: python bench/calibrate.py RUN_DIR [--dev ../shared/dev] [--markdown]
  RUN_DIR holds one ``reconcile report --format json`` per cluster (``DEV_RUN`` of ``../shared/dev/run.sh``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
SMOOTH = 2.0  # pseudo-counts pulling a bin's share towards the overall share
PRIOR = 1.0  # weight of the pull of the fitted map towards the identity


def _scorer(dev: Path) -> ModuleType:
    """The dev set's own scorer (``../shared/eval/score.py``), so that facts are matched exactly as it does."""
    path = dev.parent / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("dev_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot load the scorer")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def judged(run: Path, dev: Path) -> list[dict[str, object]]:
    """One row per judged gold fact: cluster, language, verdict, confidence, right."""
    score = _scorer(dev)
    rows: list[dict[str, object]] = []
    for gp in sorted((dev / "gold").glob("*.json")):
        gold = score.load_dev(gp, dev / "corpus")
        rp = run / f"{gold['cluster']}.json"
        if not rp.exists():
            continue
        rep = json.loads(rp.read_text(encoding="utf-8"))
        facts = {f["id"]: f for f in rep.get("facts", [])}
        fact_of = {cid: f["id"] for f in rep.get("facts", []) for cid in f["claims"]}
        matched = _matched(score, gold, rep)
        for fid, expected, got in score.score(gold, rep)["verdicts"]:
            preds = [fact_of.get(matched[i]) for i, m in enumerate(gold["mentions"])
                     if m["fact"] == fid and i in matched]
            preds = [p for p in preds if p]
            if not preds or got is None:
                continue
            top = max(preds, key=lambda p: (preds.count(p), -preds.index(p)))
            rows.append({"cluster": gold["cluster"], "lang": gold["cluster"][4:6], "verdict": got,
                         "confidence": float(facts[top]["confidence"]), "right": got in expected})
    return rows


def _matched(score: ModuleType, gold: dict, rep: dict) -> dict[int, str]:
    """Gold mention index -> claim id, matched as the scorer matches them."""
    out: dict[int, str] = {}
    for i, m in enumerate(gold["mentions"]):
        for c in rep.get("claims", []):
            if c["document"] != m["doc"] or not score.value_matches(m, c):
                continue
            if any(a <= c["start"] and c["end"] <= b for a, b in m["spans"]):
                out[i] = c["id"]
                break
    return out


def _bin(x: float) -> int:
    return next(i for i in range(len(BINS) - 1) if BINS[i] <= x < BINS[i + 1])


def loco(rows: list[dict[str, object]]) -> list[float]:
    """Each row's confidence recalibrated on the other clusters: the smoothed share right of its bin and verdict."""
    out = []
    for r in rows:
        rest = [x for x in rows if x["cluster"] != r["cluster"]]
        overall = sum(bool(x["right"]) for x in rest) / max(1, len(rest))
        b = _bin(float(r["confidence"]))
        same = [x for x in rest if x["verdict"] == r["verdict"] and _bin(float(x["confidence"])) == b]
        right = sum(bool(x["right"]) for x in same)
        out.append((right + SMOOTH * overall) / (len(same) + SMOOTH))
    return out


def _logit(p: float) -> float:
    q = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(q / (1 - q))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def platt_fit(conf: list[float], right: list[bool], prior: float = PRIOR) -> tuple[float, float]:
    """The map ``sigmoid(slope * logit(p) + offset)`` that best predicts ``right`` (log loss, Newton steps), with
    an L2 pull of ``prior`` towards the identity (slope 1, offset 0) so few facts cannot bend it far."""
    a, b = 1.0, 0.0
    xs = [_logit(c) for c in conf]
    for _ in range(50):
        ga, gb = prior * (a - 1), prior * b
        haa, hab, hbb = prior, 0.0, prior
        for x, y in zip(xs, right):
            q = _sigmoid(a * x + b)
            w = q * (1 - q)
            ga += (q - y) * x
            gb += q - y
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def unmapped(conf: float, slope: float, offset: float) -> float:
    """The confidence before the shipped map (``ConfidenceParams.calibration_slope``/``_offset``) was applied."""
    return _sigmoid((_logit(conf) - offset) / slope)


def platt_loco(rows: list[dict[str, object]], pre: list[float]) -> list[float]:
    """Each row's unmapped confidence through a map fitted on the other clusters only."""
    out = []
    for r, c in zip(rows, pre):
        rest = [(x, q) for x, q in zip(rows, pre) if x["cluster"] != r["cluster"]]
        a, b = platt_fit([q for _, q in rest], [bool(x["right"]) for x, _ in rest])
        out.append(_sigmoid(a * _logit(c) + b))
    return out


def table(rows: list[dict[str, object]], conf: list[float]) -> list[tuple[str, int, float | None, float | None]]:
    """(bin, facts, mean confidence, share right) per confidence bin."""
    out = []
    for i in range(len(BINS) - 1):
        sel = [(c, bool(r["right"])) for r, c in zip(rows, conf) if _bin(c) == i]
        label = f"{BINS[i]:.1f}-{min(BINS[i + 1], 1.0):.1f}"
        out.append((label, len(sel), sum(c for c, _ in sel) / len(sel) if sel else None,
                    sum(ok for _, ok in sel) / len(sel) if sel else None))
    return out


def main(argv: list[str]) -> int:
    """Print the calibration table (Markdown) and the Brier scores."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path)
    ap.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "dev")
    args = ap.parse_args(argv)
    rows = judged(args.run, args.dev)
    if not rows:
        print(f"{args.run}: no judged facts (run ../shared/dev/run.sh with DEV_RUN={args.run})", file=sys.stderr)
        return 2
    from reconcile.confidence import ConfidenceParams

    shipped = ConfidenceParams()
    raw = [float(r["confidence"]) for r in rows]
    pre = [unmapped(c, shipped.calibration_slope, shipped.calibration_offset) for c in raw]
    recal = platt_loco(rows, pre)
    _print_table(rows, raw, recal)
    by: dict[str, list[bool]] = defaultdict(list)
    for r in rows:
        by[str(r["lang"])].append(bool(r["right"]))
        by["all"].append(bool(r["right"]))
    print()
    print(f"judged facts with a verdict: {len(rows)} ("
          + ", ".join(f"{k} {sum(v)}/{len(v)} right" for k, v in sorted(by.items())) + ")")
    print(f"Brier score: shipped {_brier(rows, raw):.3f}, before the shipped map {_brier(rows, pre):.3f}, "
          f"LOCO map {_brier(rows, recal):.3f}, LOCO per bin and verdict {_brier(rows, loco(rows)):.3f}")
    a, b = platt_fit(pre, [bool(r["right"]) for r in rows])
    print(f"map fitted on all clusters: calibration_slope = {a:.3f}, calibration_offset = {b:.3f} "
          f"(shipped: {shipped.calibration_slope}, {shipped.calibration_offset})")
    return 0


def _brier(rows: list[dict[str, object]], conf: list[float]) -> float:
    """Mean squared distance of the confidence from 1 (right) or 0 (wrong)."""
    return sum((c - bool(r["right"])) ** 2 for r, c in zip(rows, conf)) / len(rows)


def _print_table(rows: list[dict[str, object]], raw: list[float], recal: list[float]) -> None:
    """The Markdown table: per bin, the shipped confidence and the LOCO-mapped one against the share right."""
    print("| confidence | shipped: facts | shipped: mean conf. | shipped: share right | LOCO: facts | "
          "LOCO: mean conf. | LOCO: share right |")
    print("|---|---|---|---|---|---|---|")
    for (label, n, mc, sr), (_, n2, mc2, sr2) in zip(table(rows, raw), table(rows, recal)):
        print(f"| {label} | {n} | {_f(mc)} | {_f(sr)} | {n2} | {_f(mc2)} | {_f(sr2)} |")


def _f(x: float | None) -> str:
    """A share or confidence with two decimals; empty for an empty bin."""
    return "" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
