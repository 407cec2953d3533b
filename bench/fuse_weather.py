"""Measure `reconcile fuse` on the Weather truth-discovery data set against simple baselines.

Usage: python bench/fuse_weather.py [FOLDER] [--json OUT]   (FOLDER defaults to ../shared/truth/weather)

Prints exact accuracy (and within 1 unit) per property for reconcile's fusion and for majority vote
computed here on the same parsed claims (over all claims, and over each source's latest claim), with
the published figures of the README (Sums 0.736, TruthFinder 0.731, Investment 0.631 on Temperature)
for reference. Exits 1 when reconcile does not beat majority vote and TruthFinder on Temperature.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from reconcile.fuse import FusedFact, FuseResult, _latest, fuse, read_claims, read_truth, score_against

PUBLISHED = {"Sums": 0.736, "TruthFinder": 0.731, "Investment": 0.631, "majority vote (README)": 0.72}


def majority(claims, latest_only: bool) -> FuseResult:
    groups = defaultdict(list)
    for c in claims:
        if c.value is not None:
            groups[(c.object, c.property)].append(c)
    facts = []
    for (o, p), cs in sorted(groups.items()):
        if latest_only:
            cs = _latest(cs)
        counts = Counter(c.value for c in cs)
        top = max(counts.values())
        value = min(v for v, n in counts.items() if n == top)  # ties: the lower value
        facts.append(FusedFact(o, p, value, None, None, 0.0, "", []))
    return FuseResult(facts=facts, reliability={}, iterations=0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared/truth/weather"))
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args()
    folder = Path(args.folder)
    files = sorted(str(p) for p in folder.glob("*claim*.csv"))
    truth = read_truth(str(next(folder.glob("*truth*.csv"))))
    t = time.perf_counter()
    claims, errors = read_claims(files)
    t_read = time.perf_counter() - t
    for e in errors:
        print(f"error: {e.path}: {e.problem}", file=sys.stderr)
    t = time.perf_counter()
    ours = fuse(claims)
    t_fuse = time.perf_counter() - t
    rows = {
        "reconcile fuse": score_against(ours, truth),
        "majority (all claims)": score_against(majority(claims, False), truth),
        "majority (latest per source)": score_against(majority(claims, True), truth),
    }
    props = sorted(next(iter(rows.values())))
    print(f"{len(claims)} claims from {len(files)} files; read {t_read:.1f} s, fuse {t_fuse:.1f} s, "
          f"{ours.iterations} rounds")
    print(f"{'method':32s}" + "".join(f"{p:>13s}" for p in props))
    for name, sc in rows.items():
        print(f"{name:32s}" + "".join(f"{sc[p]['exact']:13.4f}" for p in props))
    print(f"{'  within 1 (reconcile)':32s}" + "".join(f"{rows['reconcile fuse'][p]['within_tolerance']:13.4f}"
                                                     for p in props))
    for name, v in PUBLISHED.items():
        print(f"{name + ' (published)':32s}" + "".join(f"{v:13.4f}" if p == "Temperature" else f"{'-':>13s}"
                                                         for p in props))
    temp = rows["reconcile fuse"]["Temperature"]["exact"]
    best_baseline = max(rows["majority (all claims)"]["Temperature"]["exact"],
                        rows["majority (latest per source)"]["Temperature"]["exact"],
                        PUBLISHED["TruthFinder"], PUBLISHED["Sums"], PUBLISHED["majority vote (README)"])
    if args.json:
        Path(args.json).write_text(json.dumps({"scores": rows, "published": PUBLISHED, "seconds": t_fuse}, indent=1))
    print(f"Temperature: reconcile {temp:.4f} vs best baseline {best_baseline:.4f}")
    return 0 if temp > best_baseline else 1


if __name__ == "__main__":
    sys.exit(main())
