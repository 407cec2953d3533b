"""Learn the pair model (``rules/models/pair.json``) from labelled claim pairs of real news clusters.

    python bench/train_pair_model.py [--gold-dir ../shared/dev/gold] [--corpus ../shared/dev/corpus]
                                     [--distractors ../shared/dev/distractors.jsonl] [--write]

Each gold cluster's articles are read, their claims extracted and embedded; the claims that carry a gold
figure are labelled with its gold fact. Pairs of labelled claims of one unit block are the examples
(same gold fact or not); pairs of a labelled claim and a claim of another event (another cluster, or a
distractor article) are negatives, so that the model learns to keep stories apart. The seeds' pairs
(weighted 10) are added; ``--generated 300`` also adds a generated corpus's (``bench/corpus.py`` with
another seed than the benchmark's, weighted ``--generated-weight``: facts that differ only by place or
actor). Off by default: at weight 0.03 it lifts the generated 1,000-article B-cubed from 0.74 to 0.91 but
splits seed facts whose articles name other places (seeds 0.933 -> 0.913, and ``check`` finds other facts).
A logistic regression is fitted on
standardised features (``reconcile.pairs.FEATURES``).

Leave-one-cluster-out: for each cluster, the model is fitted without any pair touching it, the cluster
is clustered with that model, and B-cubed is measured on it (``reconcile.devset``); the table printed is
these held-out figures per language and threshold (``--no-loco`` skips them for a quick refit). ``--write``
then fits on all clusters and writes the shipped model (its figures on the dev set are in-sample; the
held-out ones are what to quote). The fit keeps each weight of ``reconcile.pairs.FEATURE_SIGNS`` on its side.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reconcile.cluster import ClusterParams, block_key, cluster_claims  # noqa: E402
from reconcile.config import Config  # noqa: E402
from reconcile.devset import GoldCluster, bcubed, load_clusters, match_mentions, summarise  # noqa: E402
from reconcile.embed import Embedder  # noqa: E402
from reconcile.lexicon import load_lexicon  # noqa: E402
from reconcile.pairs import FEATURE_SIGNS, FEATURES, PairKeys, PairModel, document_vectors  # noqa: E402
from reconcile.pipeline import RunResult, embed, extract, ingest  # noqa: E402


def prepare(paths: list[str], config: Config, embedder: Embedder) -> RunResult:
    result = RunResult()
    ingest(paths, config, result)
    extract(result, config)
    embed(result, config, embedder)
    return result


def matched(g: GoldCluster, result: RunResult) -> dict[int, dict[str, Any]]:
    """Gold mention index -> the claim (as a record) that carries it, as the scorer matches them."""
    recs = [dict(id=c.id, document=c.document, start=c.start, end=c.end, value=c.value) for c in result.claims]
    return match_mentions(g.mentions, recs)


def labelled(g: GoldCluster, result: RunResult) -> dict[int, str]:
    """Claim index -> gold fact, for the claims that carry a gold figure (first mention wins)."""
    pos = {c.id: i for i, c in enumerate(result.claims)}
    out: dict[int, str] = {}
    for mi, c in matched(g, result).items():
        out.setdefault(pos[c["id"]], g.mentions[mi].fact)
    return out


def seed_labels(result: RunResult, gold_path: Path) -> dict[int, str]:
    """Claim index -> gold fact for the project's own seed annotation (mentions located by context)."""
    from reconcile.evaluate import _locate, load_gold

    gold = load_gold(gold_path)
    by_file = {Path(d.path).name: d for d in result.documents}
    pos = {c.id: i for i, c in enumerate(result.claims)}
    out: dict[int, str] = {}
    for fact in gold["facts"]:
        for m in fact["mentions"]:
            doc = by_file.get(gold["documents"][m["doc"]]["file"])
            if doc is None:
                continue
            for s, e in _locate(doc, m["context"], m["surface"]):
                hit = next((c for c in result.claims if c.document == doc.id and c.start < e and s < c.end), None)
                if hit:
                    out.setdefault(pos[hit.id], fact["id"])
                    break
    return out


def pair_rows(result: RunResult, idx_a: list[int], idx_b: list[int] | None, lex: Any) -> tuple[np.ndarray, list]:
    """Features of all pairs among ``idx_a`` (or between ``idx_a`` and ``idx_b``) within one unit block.

    Among ``idx_a`` alone, the features are computed on every pair of the run's claims of one block and the
    pairs of ``idx_a`` taken from them, as the clustering sees them (a feature such as ``closest`` depends
    on the other claims of the two documents).
    """
    codes, rows = document_vectors(result.claims, result.embeddings)
    context = sorted(set(idx_a) | set(idx_b or [])) if idx_b is not None else list(range(len(result.claims)))
    local = {g: k for k, g in enumerate(context)}
    block = [result.claims[i] for i in context]
    keys = PairKeys.of(block, lex, result.counted[context], rows[codes[context]])
    E = result.embeddings[context]
    wanted = set(idx_a)
    ei, ej, keep = [], [], []
    pairs = ([(a, b) for x, a in enumerate(context) for b in context[x + 1:]] if idx_b is None
             else [(a, b) for a in idx_a for b in idx_b])
    for a, b in pairs:
        if block_key(result.claims[a]) == block_key(result.claims[b]):
            ei.append(local[a]), ej.append(local[b])
            keep.append(idx_b is not None or (a in wanted and b in wanted))
    if not any(keep):
        return np.zeros((0, len(FEATURES))), []
    ia, ib = np.array(ei), np.array(ej)
    U = E / np.maximum(np.linalg.norm(E, axis=1, keepdims=True), 1e-12)
    cos = 1.0 - np.einsum("ij,ij->i", U[ia], U[ib])
    X = keys.features(ia, ib, cos, lex)
    k = np.flatnonzero(keep)
    return X[k], [(context[ei[i]], context[ej[i]]) for i in k.tolist()]


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float = 1.0) -> PairModel:
    """Weighted L2 logistic regression on standardised features (scikit-learn's objective) with each
    weight of ``FEATURE_SIGNS`` kept on its side: L-BFGS-B with bounds."""
    from scipy.optimize import minimize

    mean = X.mean(axis=0)
    scale = np.where(X.std(axis=0) > 1e-9, X.std(axis=0), 1.0)
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    sign = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        m = sign * (Z @ theta)
        p = np.exp(-np.logaddexp(0.0, m))  # sigmoid(-m)
        value = C * float(w @ np.logaddexp(0.0, -m)) + 0.5 * float(theta[:-1] @ theta[:-1])
        grad = -C * (Z.T @ (w * sign * p))
        grad[:-1] += theta[:-1]
        return value, grad

    bounds = [(0.0, None) if FEATURE_SIGNS.get(f) == 1 else (None, 0.0) if FEATURE_SIGNS.get(f) == -1
              else (None, None) for f in FEATURES] + [(None, None)]
    theta = minimize(loss, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds,
                     options={"maxiter": 5000}).x
    return PairModel(FEATURES, mean, scale, theta[:-1], float(theta[-1]))


class _Boosted:
    """Experimental: gradient-boosted trees, to see what a nonlinear model would gain."""

    def __init__(self, clf: Any) -> None:
        self.clf = clf

    def probability(self, X: np.ndarray, ignore_figures: bool = False) -> np.ndarray:
        return self.clf.predict_proba(X)[:, 1]


def fit_boosting(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(max_iter=200, max_depth=4, learning_rate=0.05, random_state=0)
    return _Boosted(clf.fit(X, y, sample_weight=w))


FITTERS = {"logistic": fit, "boosting": fit_boosting}


def bcubed_of(g: GoldCluster, result: RunResult, hits: dict[int, dict[str, Any]], model: Any, threshold: float,
              lex: Any, unlinked: float | None = 0.7) -> dict[str, Any]:
    params = ClusterParams(threshold=threshold, model=model, unlinked_distance=unlinked)
    facts = cluster_claims(result.claims, result.embeddings, params, lex, result.counted)
    fact_of = {cid: f.id for f in facts for cid in f.claims}
    # every gold mention counts once (as the scorer does): mentions sharing a claim repeat its item
    items = [(g.mentions[mi].fact, fact_of.get(c["id"])) for mi, c in hits.items()]
    bp, br = bcubed(items)
    # interval_ok is not measured here: reported as all matched so that ``summarise`` can weigh clusters
    return {"cluster": g.name, "language": g.language, "mentions": len(g.mentions), "matched": len(hits),
            "interval_ok": len(hits), "bcubed_p": bp, "bcubed_r": br, "verdicts": []}


_WITHOUT: list[str] = []  # features left out of every fit (``--without``)

Parts = dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]  # (X, y, weight) by the cluster they touch


def arguments() -> argparse.Namespace:
    """The command line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold-dir", default=str(ROOT.parent / "shared/dev/gold"))
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/dev/corpus"))
    ap.add_argument("--distractors", default=str(ROOT.parent / "shared/dev/distractors.jsonl"))
    ap.add_argument("--thresholds", default="0.7,0.75,0.8")
    ap.add_argument("--seeds", default=str(ROOT / "seeds"), help="also learn from the seeds and their gold")
    ap.add_argument("--seeds-gold", default=str(ROOT / "eval" / "seeds.gold.json"))
    ap.add_argument("--seeds-weight", type=float, default=20.0, help="weight of a seed pair (few, and our demo)")
    ap.add_argument("--unlinked", default="0.95")
    ap.add_argument("--kind", default="logistic", choices=["logistic", "boosting"])
    ap.add_argument("--generated", type=int, default=0,
                    help="also learn from a generated corpus of this many articles (bench/corpus.py, seed 11; 0: none)")
    ap.add_argument("--generated-weight", type=float, default=0.03, help="weight of a generated pair")
    ap.add_argument("--no-loco", action="store_true",
                    help="skip the leave-one-cluster-out table (a quick refit, e.g. after new claims)")
    ap.add_argument("--without", default="",
                    help="comma-separated features left out of the fit (their weight is 0): an ablation")
    ap.add_argument("--write", action="store_true", help="fit on every cluster and write rules/models/pair.json")
    return ap.parse_args()


def within_pairs(clusters: list[GoldCluster], runs: dict[str, RunResult], labels: dict[str, dict[int, str]],
                 lex: Any, parts: Parts) -> None:
    """Each cluster's labelled pairs: same gold fact or not."""
    for g in clusters:
        res, lab = runs[g.name], labels[g.name]
        X, pairs = pair_rows(res, sorted(lab), None, lex)
        y = np.array([lab[a] == lab[b] for a, b in pairs], dtype=np.int64)
        parts[g.name].append((X, y, np.ones(len(y))))


def distractor_pairs(clusters: list[GoldCluster], runs: dict[str, RunResult], labels: dict[str, dict[int, str]],
                     distract: RunResult, lex: Any, parts: Parts) -> None:
    """Negatives across events: each cluster's labelled claims against a sample of distractor claims."""
    for g in clusters:
        joint = _joined(runs[g.name], distract)
        other = list(range(len(runs[g.name].claims), len(joint.claims)))
        rng = np.random.default_rng(0)
        other = sorted(rng.choice(other, size=min(len(other), 400), replace=False).tolist()) if other else []
        X, pairs = pair_rows(joint, sorted(labels[g.name]), other, lex)
        parts[g.name].append((X, np.zeros(len(pairs), dtype=np.int64), np.full(len(pairs), 0.5)))


def neighbour_pairs(names: list[str], runs: dict[str, RunResult], labels: dict[str, dict[int, str]], lex: Any,
                    parts: Parts) -> None:
    """Negatives across events: each cluster's labelled claims against the next cluster's (weight 0 in the
    part of the next cluster, so that holding either out drops them)."""
    for k, name in enumerate(names):
        other = names[(k + 1) % len(names)]
        joint = _joined(runs[name], runs[other])
        off = len(runs[name].claims)
        X, pairs = pair_rows(joint, sorted(labels[name]), [off + i for i in sorted(labels[other])], lex)
        parts[name].append((X, np.zeros(len(pairs), dtype=np.int64), np.full(len(pairs), 0.5)))
        parts[other].append((X, np.zeros(len(pairs), dtype=np.int64), np.zeros(len(pairs))))


def generated_pairs(n: int, weight: float, config: Config, embedder: Embedder, lex: Any, parts: Parts) -> None:
    """Pairs of a generated corpus (``bench/corpus.py``, another seed than the benchmark's): many facts of
    one kind that differ only by place or by who acted, which the real clusters hardly have."""
    import tempfile

    from bench.corpus import generate

    with tempfile.TemporaryDirectory() as tmp:
        corpus, truth_path = generate(n, Path(tmp), seed=11)
        res = prepare([str(corpus)], config, embedder)
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(res.claims):
        by_doc[c.document].append(i)
    lab: dict[int, str] = {}
    for art in truth["articles"]:  # a mention is the first unlabelled claim of its article with its value
        free = list(by_doc.get(art["id"], []))
        for m in art["mentions"]:
            hit = next((i for i in free if abs(res.claims[i].value - m["value"]) < 1e-6 * max(1, m["value"])), None)
            if hit is not None:
                free.remove(hit)
                lab[hit] = m["fact"]
    X, pairs = pair_rows(res, sorted(lab), None, lex)
    y = np.array([lab[a] == lab[b] for a, b in pairs], dtype=np.int64)
    parts["generated"].append((X, y, np.full(len(y), weight)))
    print(f"generated: {len(lab)} labelled claims, {int(y.sum())} same-fact pairs of {len(y)}")


def stack(parts: Parts, exclude: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every part except those of the cluster ``exclude``, as one (X, y, weight) without the weight-0 rows."""
    chosen = [p for n, ps in parts.items() if n != exclude for p in ps]
    X = np.vstack([p[0] for p in chosen])
    if _WITHOUT:
        X = X.copy()
        X[:, [FEATURES.index(f) for f in _WITHOUT]] = 0.0  # a constant column: the fit gives it weight 0
    y = np.concatenate([p[1] for p in chosen])
    w = np.concatenate([p[2] for p in chosen])
    return X[w > 0], y[w > 0], w[w > 0]


def loco_table(clusters: list[GoldCluster], runs: dict[str, RunResult], parts: Parts, args: argparse.Namespace,
               lex: Any) -> None:
    """Print held-out B-cubed per language for each threshold: each cluster clustered with a model fitted
    without any pair touching it."""
    thresholds = [float(t) for t in args.thresholds.split(",")]
    unlinked = [None if u == "none" else float(u) for u in args.unlinked.split(",")]
    held: dict[tuple[float, float | None], list[dict[str, Any]]] = defaultdict(list)
    for g in clusters:
        hits = matched(g, runs[g.name])
        model = FITTERS[args.kind](*stack(parts, g.name))
        for t in thresholds:
            for u in unlinked:
                held[(t, u)].append(bcubed_of(g, runs[g.name], hits, model, t, lex, u))
    print("leave-one-cluster-out B-cubed (held-out cluster clustered with a model fitted without it)")
    for (t, u), got in sorted(held.items(), key=lambda kv: (kv[0][0], kv[0][1] or 9)):
        row = {lang: summarise([p for p in got if p["language"] == lang]) for lang in ("de", "en")}
        allp = summarise(got)
        print(f"t={t:.2f} u={u} all F1 {allp['bcubed_f1']:.3f} (P {allp['bcubed_p']:.3f} R {allp['bcubed_r']:.3f})  "
              + "  ".join(f"{lang} F1 {m['bcubed_f1']:.3f} (P {m['bcubed_p']:.3f} R {m['bcubed_r']:.3f})"
                          for lang, m in row.items()))


def main() -> None:
    """Label, pair, print the held-out table, and with ``--write`` fit on everything and write the model."""
    args = arguments()
    _WITHOUT.extend(f for f in args.without.split(",") if f)
    unknown = [f for f in _WITHOUT if f not in FEATURES]
    if unknown:
        sys.exit(f"--without: unknown features {unknown}")
    config = Config()
    lex = load_lexicon()
    embedder = Embedder(config.model)
    clusters = load_clusters(Path(args.gold_dir), Path(args.corpus))
    runs = {g.name: prepare([str(g.corpus)], config, embedder) for g in clusters}
    labels = {g.name: labelled(g, runs[g.name]) for g in clusters}
    parts: Parts = defaultdict(list)
    within_pairs(clusters, runs, labels, lex, parts)
    if Path(args.distractors).exists():
        distractor_pairs(clusters, runs, labels, prepare([args.distractors], config, embedder), lex, parts)
    if args.seeds and Path(args.seeds_gold).exists():
        seeds = prepare([args.seeds], config, embedder)
        lab = seed_labels(seeds, Path(args.seeds_gold))
        X, pairs = pair_rows(seeds, sorted(lab), None, lex)
        y = np.array([lab[a] == lab[b] for a, b in pairs], dtype=np.int64)
        parts["seeds"].append((X, y, np.full(len(y), args.seeds_weight)))
        print(f"seeds: {len(lab)} labelled claims, {int(y.sum())} same-fact pairs of {len(y)}")
    neighbour_pairs([g.name for g in clusters], runs, labels, lex, parts)
    if args.generated:
        generated_pairs(args.generated, args.generated_weight, config, embedder, lex, parts)
    if not args.no_loco:
        loco_table(clusters, runs, parts, args, lex)
    X, y, w = stack(parts, None)
    model = fit(X, y, w)
    print(json.dumps(dict(zip(model.features, np.round(model.coef, 3).tolist())), indent=0))
    if args.write:
        out = ROOT / "rules" / "models" / "pair.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(model.to_json(trained_on=f"{len(clusters)} clusters of {args.gold_dir} "
                                     f"({int(y.sum())} same-fact pairs, {int((y == 0).sum())} others)",
                                     script="bench/train_pair_model.py") + "\n")
        print(f"wrote {out}")


def _joined(a: RunResult, b: RunResult) -> RunResult:
    """Two runs as one (claims of ``a`` first), for pairs across events."""
    from dataclasses import replace

    tag = lambda cs, p: [replace(c, document=p + c.document) for c in cs]  # noqa: E731
    out = RunResult(documents=a.documents + b.documents, claims=tag(a.claims, "a/") + tag(b.claims, "b/"))
    out.embeddings = np.vstack([a.embeddings, b.embeddings])
    da, db = a.counted.shape[1], b.counted.shape[1]
    d = max(da, db)
    pad = lambda M: np.hstack([M, np.zeros((M.shape[0], d - M.shape[1]), dtype=M.dtype)])  # noqa: E731
    out.counted = np.vstack([pad(a.counted), pad(b.counted)])
    return out


if __name__ == "__main__":
    main()
