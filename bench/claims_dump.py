"""Dump the quantities and claims of a set of inputs as JSON lines, to check that a change keeps them.

A speed change must not change a single output. Run this before and after (each with its own tree on
PYTHONPATH) and compare the two files with ``diff`` or ``--compare``: every quantity (with its offsets
in the document) and every claim (all fields) of every document, in document order, one per line.

Default inputs: the seeds, the English test articles, the dev corpus and its distractors (read from
``../shared/dev``, never copied) and a generated corpus (``bench/corpus.py``) written to a temporary folder.

Usage: python bench/claims_dump.py --out after.jsonl [--generated 600] [PATH...]
       python bench/claims_dump.py --compare before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared from the main checkout, or from a worktree one level further down
DEV = next((p for p in (ROOT.parent / "shared" / "dev", ROOT.parents[1] / "shared" / "dev") if p.is_dir()),
           ROOT.parent / "shared" / "dev")


def _default_inputs(generated: int, tmp: str) -> list[str]:
    """The seeds, the test articles, the dev corpus and distractors, and ``generated`` made-up articles."""
    paths = [str(ROOT / "seeds"), str(ROOT / "tests" / "data" / "en")]
    paths += [str(p) for p in (DEV / "corpus", DEV / "distractors.jsonl") if p.exists()]
    if generated:
        subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--articles", str(generated),
                        "--out", tmp], check=True, stdout=subprocess.DEVNULL)
        paths.append(str(Path(tmp) / f"corpus-{generated}.jsonl"))
    return paths


def _rows(paths: list[str]) -> Iterator[dict[str, object]]:
    """One row per quantity and per claim of every document read from ``paths``."""
    from reconcile.claims import document_quantities, extract_claims
    from reconcile.ingest import read_inputs
    from reconcile.lexicon import load_lexicon
    from reconcile.model import Document

    lex = load_lexicon()
    for doc in read_inputs(paths, lex):
        if not isinstance(doc, Document):
            yield {"error": str(doc)}
            continue
        for q, start, end in document_quantities(doc, lex):
            yield {"doc": doc.id, "quantity": dataclasses.asdict(q), "start": start, "end": end}
        for c in extract_claims(doc, lex):
            yield {"doc": doc.id, "claim": dataclasses.asdict(c)}


def _compare(before: str, after: str) -> int:
    """Count the lines that differ between two dumps; print the first few."""
    a = Path(before).read_text(encoding="utf-8").splitlines()
    b = Path(after).read_text(encoding="utf-8").splitlines()
    diff = [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    for i, x, y in diff[:5]:
        print(f"line {i + 1}:\n- {x[:400]}\n+ {y[:400]}")
    print(f"{len(a)} / {len(b)} lines, {len(diff)} differ" + ("" if len(a) == len(b) else " (lengths differ)"))
    return 0 if not diff and len(a) == len(b) else 1


def main() -> int:
    """Write the dump, or compare two."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--out", default="-")
    ap.add_argument("--generated", type=int, default=600, help="made-up articles to add (default inputs only)")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    a = ap.parse_args()
    if a.compare:
        return _compare(*a.compare)
    with tempfile.TemporaryDirectory() as tmp:
        paths = a.paths or _default_inputs(a.generated, tmp)
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in _rows(paths)]
    text = "\n".join(lines) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        Path(a.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
