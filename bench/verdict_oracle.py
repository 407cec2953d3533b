"""Verdict accuracy on the development clusters with the gold grouping of claims into facts.

``../shared/dev/run.sh`` scores the whole engine, so its verdict accuracy is limited by extraction and
clustering. This script measures the judgement alone: it extracts the claims as the engine does, groups the
claims that match a gold fact's mentions (matched as the dev scorer matches them) into that fact, and runs
the engine's judgement (origins, reliability, rules, verdicts) over those facts. A gold fact none of whose
mentions is extracted counts as wrong, as in the scorer.

usage: python bench/verdict_oracle.py [--dev ../shared/dev] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from reconcile.claims import extract_claims
from reconcile.config import Config
from reconcile.lexicon import load_lexicon
from reconcile.model import Fact
from reconcile.pipeline import RunResult, ingest, judge

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibrate import _scorer  # noqa: E402  (the dev scorer, loaded the same way)


def cluster_verdicts(corpus: Path, gold_path: Path, score: object, verbose: bool) -> list[tuple[str, bool]]:
    """(language, right) for every gold fact of one cluster stated in two or more articles."""
    cfg = Config()
    res = RunResult()
    ingest([str(corpus)], cfg, res)
    lex = load_lexicon(cfg.rules_dirs)
    claims = [c for d in res.documents for c in extract_claims(d, lex)]
    gold = score.load_dev(gold_path, corpus.parent)  # type: ignore[attr-defined]
    members: dict[str, list[str]] = defaultdict(list)
    for m in gold["mentions"]:
        for c in claims:
            if c.document == m["doc"] and score.value_matches(m, {"value": c.value}) and any(  # type: ignore[attr-defined]
                    a <= c.start and c.end <= b for a, b in m["spans"]):
                if c.id not in members[m["fact"]]:
                    members[m["fact"]].append(c.id)
                break
    taken = {cid for ids in members.values() for cid in ids}
    used = [c for c in claims if c.id in taken]
    facts = [Fact(fid, fid, ids, next(c.unit_class for c in used if c.id == ids[0])) for fid, ids in members.items()]
    judge(facts, used, {d.id: d for d in res.documents}, cfg)
    got = {f.id: f for f in facts}
    out = []
    lang = gold["cluster"][4:6]
    for f in gold["facts"]:
        if len(f["docs"]) < 2:
            continue
        fact = got.get(f["id"])
        right = fact is not None and fact.verdict in f["expected"]
        out.append((lang, right))
        if verbose and not right:
            print(f"  {gold['cluster']} {f['id']}: expected {f['expected']}, got {fact.verdict if fact else None}"
                  + (f" - {fact.explanation[0]}" if fact else ""))
    return out


def main(argv: list[str]) -> int:
    """Print the verdict accuracy per language and overall."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "dev")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    score = _scorer(args.dev)
    rows: list[tuple[str, bool]] = []
    for gp in sorted((args.dev / "gold").glob("*.json")):
        rows += cluster_verdicts(args.dev / "corpus" / f"{gp.stem}.jsonl", gp, score, args.verbose)
    for lang in ("de", "en", "all"):
        sel = [ok for lg, ok in rows if lang in (lg, "all")]
        print(f"{lang}: verdict accuracy {sum(sel) / max(1, len(sel)):.3f} ({sum(sel)}/{len(sel)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
