"""Extraction throughput in MB of text per second, on one core, on real article text.

Builds a large corpus from real articles (the seeds and the English test articles, or any folder given),
repeated under distinct ids until it reaches --mb megabytes, then times the text stages alone (ingest
with language detection, sentences, quantities, claims) after a warm-up that loads the lemmatiser's
dictionaries and compiles the lexicon once. Also reports the quantity stage on its own. Each figure is
given in wall time and in CPU time of this process (``*_cpu``): on a machine shared with other work the
wall time measures the neighbours, the CPU time what one core spends on extraction.

With ``--dev`` the timed corpus is instead the dev articles (``../shared/dev/corpus``), each read once
after the same warm-up on the default folders: words never seen before, so the per-word caches (HanTa,
lemmas, lexicon groups) do not help, as on a fresh feed.

Usage: python bench/extract_speed.py [--mb 5] [--dev [DEV_CORPUS]] [FOLDER...]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# ../shared from the main checkout, or from a worktree one level further down
DEV_CORPUS = next((p for p in (ROOT.parent / "shared" / "dev" / "corpus", ROOT.parents[1] / "shared" / "dev" / "corpus")
                   if p.is_dir()), ROOT.parent / "shared" / "dev" / "corpus")


def main() -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*", default=[str(ROOT / "seeds"), str(ROOT / "tests" / "data" / "en")])
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--dev", nargs="?", const=str(DEV_CORPUS), default=None,
                    help="time the dev articles, each read once (default folder: %(const)s)")
    a = ap.parse_args()
    from reconcile.claims import document_quantities, extract_claims
    from reconcile.ingest import parse_text, read_inputs
    from reconcile.lexicon import load_lexicon
    from reconcile.model import Document

    lex = load_lexicon()
    base = [d for d in read_inputs(a.folders, lex) if isinstance(d, Document)]
    for d in base:  # warm-up: dictionaries, compiled patterns, the language detector
        extract_claims(d, lex)
    if a.dev:
        texts = [(d.id, d.text) for d in read_inputs([a.dev], lex) if isinstance(d, Document)]
        mb = sum(len(text.encode()) for _, text in texts) / 1e6
    else:
        size = sum(len(d.text.encode()) for d in base)
        copies = max(1, int(a.mb * 1e6 / size))
        texts = [(f"{d.id}-{i}", d.text) for i in range(copies) for d in base]
        mb = size * copies / 1e6
    t, c = time.perf_counter(), time.process_time()
    docs = [parse_text(text, doc_id, doc_id + ".txt", lex) for doc_id, text in texts]
    t_ingest, c_ingest = time.perf_counter() - t, time.process_time() - c
    # claims first: on --dev the quantity stage alone would otherwise warm the caches the claims use
    t, c = time.perf_counter(), time.process_time()
    n_c = sum(len(extract_claims(d, lex)) for d in docs)
    t_claims, c_claims = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    n_q = sum(len(document_quantities(d, lex)) for d in docs)
    t_quant, c_quant = time.perf_counter() - t, time.process_time() - c
    out = {"documents": len(docs), "megabytes": round(mb, 2), "quantities": n_q, "claims": n_c,
           "ingest_mb_per_s": round(mb / t_ingest, 2), "quantities_mb_per_s": round(mb / t_quant, 2),
           "claims_mb_per_s": round(mb / t_claims, 2),
           "ingest_and_claims_mb_per_s": round(mb / (t_ingest + t_claims), 2),
           "ingest_mb_per_s_cpu": round(mb / c_ingest, 2), "quantities_mb_per_s_cpu": round(mb / c_quant, 2),
           "claims_mb_per_s_cpu": round(mb / c_claims, 2),
           "ingest_and_claims_mb_per_s_cpu": round(mb / (c_ingest + c_claims), 2)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
