"""Reconcile structured claims: (object, property, value, source[, time]) rows from CSV files.

Truth discovery in the spirit of TruthFinder and Dong et al.'s accuracy model, adapted to numbers:
a source's vote for a candidate value weighs ln(A / (1 - A)) + 1 for its learned accuracy A; a claim
supports a candidate when it states the same figure or the same figure more precisely (``56.7``
supports ``57``: rounded to the candidate's precision it is the candidate). Each source counts once per
object and property, with its latest claim. Accuracy is learned across all objects until it settles.

The verdicts are the engine's: ``agree`` when every source supports the chosen value, ``conflict``
otherwise, ``single-source`` when only one source speaks.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reconcile.model import InputError

__all__ = ["StructuredClaim", "FusedFact", "FuseResult", "read_claims", "read_truth", "fuse", "score_against",
           "record", "parse_value", "COLUMNS", "FUSE_SCHEMA"]

# accepted column names (lower case) for each field; the weather data set's names included
COLUMNS: dict[str, tuple[str, ...]] = {
    "object": ("object", "objectid", "object_id", "entity", "item"),
    "property": ("property", "propertyid", "property_id", "attribute"),
    "value": ("value", "propertyvalue", "property_value"),
    "source": ("source", "sourceid", "source_id", "outlet"),
    "time": ("time", "timestamp", "date", "as_of", "observed"),
}
_TIME_FORMATS = ("%a %b %d %H:%M:%S %Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d.%m.%Y")
_FRACTION = re.compile(r"^\s*(?:(\d+)\s+)?(\d+)\s*/\s*(\d+)\s*$")


@dataclass
class StructuredClaim:
    """One row: a source's value for an object's property."""

    object: str
    property: str
    raw: str
    source: str
    time: str | None = None
    row: int = 0
    value: float | None = None
    unit: float = 1.0  # the precision the figure is given at (0.1 for "56.7")


@dataclass
class FusedFact:
    object: str
    property: str
    value: float | str
    low: float | None
    high: float | None
    confidence: float
    verdict: str
    claims: list[StructuredClaim] = field(default_factory=list)


@dataclass
class FuseResult:
    facts: list[FusedFact]
    reliability: dict[str, float]
    iterations: int
    errors: list[InputError] = field(default_factory=list)
    skipped_rows: int = 0
    by_property: dict[str, dict[str, float]] = field(default_factory=dict)


def parse_value(raw: str) -> tuple[float | None, float]:
    """A number and its precision ("56.7" -> (56.7, 0.1); "1 1/2" -> (1.5, 0.25)); (None, 1) otherwise."""
    s = raw.strip()
    if not s:
        return None, 1.0
    m = _FRACTION.match(s)
    if m:
        whole, num, den = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if den == 0:
            return None, 1.0
        return whole + num / den, 1.0 / den / 2
    try:
        v = float(s.replace("\u2212", "-"))
    except ValueError:
        from reconcile.quantities import parse_number

        try:
            parsed = parse_number(s, None)
        except Exception:  # any text that is not a number is a category, not an error
            parsed = None
        if parsed is None:
            return None, 1.0
        v = float(parsed)
    if not math.isfinite(v):
        return None, 1.0
    frac = re.search(r"[.,](\d+)$", s)
    return v, 10.0 ** -len(frac.group(1)) if frac else 1.0


def _parse_time(t: str | None) -> datetime | None:
    if not t:
        return None
    t = t.strip()
    for f in _TIME_FORMATS:
        try:
            return datetime.strptime(t, f)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(t)
    except ValueError:
        return None


def _columns(header: list[str], path: str,
             required: tuple[str, ...] = ("object", "property", "value", "source")) -> dict[str, int]:
    low = [h.strip().lower() for h in header]
    out: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(low):
            if h in names:
                out[key] = i
                break
    missing = [k for k in required if k not in out]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)} (header: {', '.join(header)})")
    return out


def read_claims(paths: list[str]) -> tuple[list[StructuredClaim], list[InputError]]:
    """Rows of every CSV file; a bad file is an error naming it, the others are still read."""
    claims: list[StructuredClaim] = []
    errors: list[InputError] = []
    for path in paths:
        p = Path(path)
        try:
            raw = p.read_bytes()
            if b"\x00" in raw[:4096]:
                raise ValueError(f"{path}: binary file, not CSV")
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            errors.append(InputError(path, str(exc) if isinstance(exc, ValueError) else f"cannot read: {exc}"))
            continue
        rows = csv.reader(text.splitlines())
        try:
            header = next(rows)
            cols = _columns(header, path)
        except StopIteration:
            errors.append(InputError(path, "empty file"))
            continue
        except ValueError as exc:
            errors.append(InputError(path, str(exc)))
            continue
        need = max(cols.values())
        for n, row in enumerate(rows, start=2):
            if len(row) <= need:
                if any(x.strip() for x in row):
                    errors.append(InputError(path, f"line {n}: {len(row)} fields, expected {need + 1}"))
                continue
            c = StructuredClaim(object=row[cols["object"]], property=row[cols["property"]], raw=row[cols["value"]],
                                source=row[cols["source"]], time=row[cols["time"]] if "time" in cols else None,
                                row=len(claims))
            c.value, c.unit = parse_value(c.raw)
            claims.append(c)
    return claims, errors


def _supports(v: StructuredClaim, c: StructuredClaim) -> bool:
    """Does claim ``v`` state candidate ``c`` (the same figure, or the same figure more precisely)?"""
    if v.value is None or c.value is None:
        return v.value is None and c.value is None and v.raw.strip().lower() == c.raw.strip().lower()
    if v.value == c.value:
        return True
    return v.unit < c.unit and abs(v.value - c.value) <= c.unit / 2 + 1e-12


def _latest(claims: list[StructuredClaim]) -> list[StructuredClaim]:
    """Each source's latest claim (by time where it parses, else the last row)."""
    by_src: dict[str, StructuredClaim] = {}
    key: dict[str, tuple[Any, int]] = {}
    for c in claims:
        t = _parse_time(c.time)
        k = (t or datetime.min, c.row)
        if c.source not in key or k > key[c.source]:
            by_src[c.source], key[c.source] = c, k
    return [by_src[s] for s in sorted(by_src)]


def _choose(cs: list[StructuredClaim], weight: dict[str, float]) -> tuple[StructuredClaim, float, float]:
    """The best-supported candidate: (claim stating it, its support, the total weight)."""
    total = sum(weight[c.source] for c in cs) or 1.0
    seen: set[tuple[float | None, float, str]] = set()
    best: tuple[tuple[float, float, float], StructuredClaim, float] | None = None
    for cand in cs:
        k = (cand.value, cand.unit, cand.raw if cand.value is None else "")
        if k in seen:
            continue
        seen.add(k)
        support = sum(weight[v.source] for v in cs if _supports(v, cand))
        # more support; then the coarser figure (what most sources state); then the lower value
        score = (round(support, 9), cand.unit, -(cand.value if cand.value is not None else 0.0))
        if best is None or score > best[0]:
            best = (score, cand, support)
    assert best is not None
    cand, support = best[1], best[2]
    # then the most precise figure that states it and carries most of its support ("30.06" within "30.1")
    finer = [c for c in cs if c.value is not None and cand.value is not None and c.unit < cand.unit
             and _supports(c, cand)]
    refined: tuple[tuple[float, float, float], StructuredClaim, float] | None = None
    for c in finer:
        s = sum(weight[v.source] for v in cs if _supports(v, c))
        score = (round(s, 9), -c.unit, -(c.value or 0.0))
        if s > support / 2 and (refined is None or score > refined[0]):
            refined = (score, c, s)
    if refined is not None:
        return refined[1], refined[2], total
    return cand, support, total


def fuse(claims: list[StructuredClaim], iterations: int = 20, prior: float = 0.7,
         offset: float = 1.0) -> FuseResult:
    """Reconcile every (object, property); learn each source's accuracy per property across all objects.

    Accuracy is learned per property because a site that reads its own thermometer well may still copy
    someone else's humidity.
    """
    # a property whose values are numbers (nearly all of them) treats a value that is not one as garbled
    numeric: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in claims:
        numeric[c.property][0] += c.value is not None
        numeric[c.property][1] += 1
    # "30" among pressures given to 0.01 means 30.00: a figure is at least as precise as its property's
    # usual precision (sources drop trailing zeros); a finer figure keeps its own
    units: dict[str, Counter[float]] = defaultdict(Counter)
    for c in claims:
        if c.value is not None:
            units[c.property][c.unit] += 1
    modal = {p: max(u.items(), key=lambda x: (x[1], -x[0]))[0] for p, u in units.items()}
    for c in claims:
        if c.value is not None and c.property in modal:
            c.unit = min(c.unit, modal[c.property])
    skipped = 0
    groups: dict[tuple[str, str], list[StructuredClaim]] = defaultdict(list)
    for c in claims:
        ok, n = numeric[c.property]
        if c.value is None and ok >= 0.9 * n:
            skipped += 1
            continue
        groups[(c.object, c.property)].append(c)
    by_prop: dict[str, dict[tuple[str, str], list[StructuredClaim]]] = defaultdict(dict)
    for k, cs in groups.items():
        by_prop[k[1]][k] = _latest(cs)
    facts: list[FusedFact] = []
    by_property: dict[str, dict[str, float]] = {}
    rounds = 0
    for prop in sorted(by_prop):
        chosen, rel, it = _learn(by_prop[prop], iterations, prior, offset)
        by_property[prop] = rel
        rounds = max(rounds, it)
        for k in sorted(by_prop[prop]):
            facts.append(_fact(k, by_prop[prop][k], groups[k], chosen[k], rel))
    facts.sort(key=lambda f: (f.object, f.property))
    sources = sorted({s for rel in by_property.values() for s in rel})
    overall = {s: sum(r[s] for r in by_property.values() if s in r) / sum(1 for r in by_property.values() if s in r)
               for s in sources}
    return FuseResult(facts=facts, reliability=overall, iterations=rounds, skipped_rows=skipped,
                      by_property=by_property)


def _learn(latest: dict[tuple[str, str], list[StructuredClaim]], iterations: int, prior: float, offset: float
           ) -> tuple[dict[tuple[str, str], tuple[StructuredClaim, float, float]], dict[str, float], int]:
    """Alternate choosing values and scoring sources until the choices settle."""
    sources = sorted({c.source for cs in latest.values() for c in cs})
    rel = {s: prior for s in sources}
    chosen: dict[tuple[str, str], tuple[StructuredClaim, float, float]] = {}
    it = 0
    for it in range(1, iterations + 1):
        weight = {s: max(0.05, math.log(rel[s] / (1 - rel[s])) + offset) for s in sources}
        changed = 0
        for k, cs in latest.items():
            pick = _choose(cs, weight)
            if k not in chosen or chosen[k][0] is not pick[0]:
                changed += 1
            chosen[k] = pick
        agree: dict[str, float] = defaultdict(float)
        seen: dict[str, float] = defaultdict(float)
        for k, cs in latest.items():
            cand = chosen[k][0]
            for c in cs:
                seen[c.source] += 1
                agree[c.source] += 1.0 if _supports(c, cand) else 0.0
        # accuracy with a Beta prior, kept away from 0 and 1 so the log-odds stay finite
        rel = {s: min(0.99, max(0.01, (agree[s] + 2 * prior) / (seen[s] + 2))) for s in sources}
        if changed == 0:
            break
    return chosen, rel, it


def _fact(k: tuple[str, str], cs: list[StructuredClaim], all_claims: list[StructuredClaim],
          pick: tuple[StructuredClaim, float, float], rel: dict[str, float]) -> FusedFact:
    cand, support, total = pick
    sup = [c for c in cs if _supports(c, cand)]
    n_src = len({c.source for c in cs})
    verdict = "single-source" if n_src < 2 else ("agree" if len(sup) == len(cs) else "conflict")
    if cand.value is None:
        value: float | str = cand.raw.strip()
        low = high = None
    else:
        value = cand.value
        low, high = cand.value - cand.unit / 2, cand.value + cand.unit / 2
    # one source is weak evidence whatever it says; several agreeing reliable sources are strong
    conf = support / total * (1 - math.prod(1 - rel[c.source] for c in sup))
    return FusedFact(object=k[0], property=k[1], value=value, low=low, high=high, confidence=round(conf, 4),
                     verdict=verdict, claims=all_claims)


def score_against(result: FuseResult, truth: list[StructuredClaim], tolerance: float = 1.0
                  ) -> dict[str, dict[str, float]]:
    """Accuracy per property against gold rows (object, property, value): exact and within ``tolerance``."""
    gold = {(t.object, t.property): t for t in truth if t.raw.strip()}
    out: dict[str, dict[str, float]] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for f in result.facts:
        g = gold.get((f.object, f.property))
        if g is None:
            continue
        n = counts[f.property]
        n[0] += 1
        if isinstance(f.value, float) and g.value is not None:
            n[1] += int(abs(f.value - g.value) < 1e-9)
            n[2] += int(abs(f.value - g.value) <= tolerance)
        else:
            same = str(f.value).strip().lower() == g.raw.strip().lower()
            n[1] += int(same)
            n[2] += int(same)
    for prop, (total, exact, near) in sorted(counts.items()):
        out[prop] = {"objects": total, "exact": exact / total, "within_tolerance": near / total}
    return out


def read_truth(path: str) -> list[StructuredClaim]:
    """Gold rows (object, property, value); the source column is optional here."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = csv.reader(text.splitlines())
    idx = _columns(next(rows), path, required=("object", "property", "value"))
    need = max(idx[k] for k in ("object", "property", "value"))
    out = []
    for row in rows:
        if len(row) <= need:
            continue
        c = StructuredClaim(object=row[idx["object"]], property=row[idx["property"]], raw=row[idx["value"]],
                            source="gold")
        c.value, c.unit = parse_value(c.raw)
        out.append(c)
    return out


FUSE_SCHEMA = "reconcile.fuse/1"


def record(result: FuseResult, claims: int) -> dict[str, Any]:
    """The one structure every ``reconcile fuse`` output renders from (as ``check.record`` for checks).

    ``claims``: how many rows were fused. Sources are in id order; reliabilities are rounded to 4 places.
    """
    return {
        "schema": FUSE_SCHEMA,
        "facts": [{"object": f.object, "property": f.property, "value": f.value, "low": f.low, "high": f.high,
                   "confidence": f.confidence, "verdict": f.verdict,
                   "claims": [{"source": c.source, "value": c.raw, "time": c.time} for c in f.claims]}
                  for f in result.facts],
        "sources": [{"id": s, "reliability": round(r, 4),
                     "by_property": {p: round(v[s], 4) for p, v in sorted(result.by_property.items()) if s in v}}
                    for s, r in sorted(result.reliability.items())],
        "summary": {"facts": len(result.facts), "claims": claims, "iterations": result.iterations,
                    "skipped_values": result.skipped_rows},
    }
