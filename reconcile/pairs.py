"""Are two claims about one fact? Pair features and the learned model that weighs them.

What two claims say about their fact is turned into numbers, many pairs at once on per-claim arrays:
how close their wording is (the embedding of each claim's identifying text), how close the things they
count are (the embedding of the counted phrase, so "Demonstranten" and "protesters" are near without a
list), whether their figures are compatible, whether their synonym groups, actions, places and actors
agree or differ, how alike their documents are (the mean embedding of a document's claims: two stories
of other events are far apart), and how far apart in time they were stated. A logistic model turns
the features into the probability that the pair is one fact; the clustering's distance is one minus it.

The weights are data, ``rules/models/pair.json``, learned from labelled claim pairs of real news by
``bench/train_pair_model.py`` (which also reports leave-one-cluster-out figures);
``ClusterParams.model_path`` names another model file.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.intervals import tolerance
from reconcile.lexicon import Lexicon, default_rules_dir
from reconcile.model import Claim
from reconcile.qualifiers import NAMED_BASES

__all__ = ["FEATURES", "FIGURE_FEATURES", "FEATURE_SIGNS", "PairKeys", "PairModel", "load_pair_model",
           "document_vectors", "day_number", "different_event", "different_basis", "mutual_closest"]

FEATURES = (
    "cos", "counted_cos", "counted_known", "group_same", "group_diff", "generic", "lemma_same",
    "pred_same", "pred_diff", "place_same", "place_diff", "actor_same", "actor_diff", "overlap", "equal",
    "log_ratio", "same_doc", "doc_cos", "date_gap", "date_known", "attribution_same", "planned_diff",
    "overlap_cos", "unit_known", "round_compatible", "rel_diff", "grows_later", "counted_close_value_far",
    "counted_far_value_close", "series", "basis_diff", "closest",
)


# the features that compare the two figures themselves
FIGURE_FEATURES = frozenset({"overlap", "equal", "log_ratio", "overlap_cos", "round_compatible", "rel_diff",
                             "grows_later", "counted_close_value_far", "counted_far_value_close",
                             "series"})


# the direction each feature may push P(same fact), where what it means says so (+1: only towards one fact,
# -1: only apart); the training keeps the weights on these sides, so that a feature seen rarely in the
# labelled pairs (two synonym groups that differ) cannot learn the opposite of what it says
FEATURE_SIGNS = {
    "cos": -1, "counted_cos": -1, "group_same": 1, "group_diff": -1, "lemma_same": 1, "pred_same": 1,
    "pred_diff": -1, "place_same": 1, "place_diff": -1, "actor_same": 1, "actor_diff": -1, "overlap": 1,
    "equal": 1, "log_ratio": -1, "doc_cos": -1, "date_gap": -1, "round_compatible": 1, "rel_diff": -1,
    "counted_far_value_close": -1, "series": 1, "basis_diff": -1, "closest": 1,
}


def different_event(X: np.ndarray) -> np.ndarray:
    """Per row of pair features: the two claims name different places and different actors, so they tell of
    different events (Russia's soldiers sent to Kursk, North Korea's to Kharkiv), whatever else they share.

    A hard rule, not a weight: neither the real-news pairs nor the seeds have a same-fact pair of which
    both differ (each alone does occur there: a district and its town, an actor named by one outlet only).
    """
    return (X[:, FEATURES.index("place_diff")] > 0) & (X[:, FEATURES.index("actor_diff")] > 0)


def different_basis(X: np.ndarray) -> np.ndarray:
    """Per row of pair features: the two claims are changes measured against other named bases (one on the
    previous period, one on a year earlier), so they are different facts however close their figures.

    A hard rule, not a weight: a quarter-on-quarter and a year-on-year change of one quantity are told in
    one story with near figures, and the few labelled pairs of both kinds are all of different facts.
    """
    return X[:, FEATURES.index("basis_diff")] > 0


@dataclass(frozen=True)
class PairModel:
    """A logistic model over ``FEATURES``: standardised features, weights and an intercept."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, X: np.ndarray, ignore_figures: bool = False) -> np.ndarray:
        """P(same fact) for each row of features ``X`` (columns in ``FEATURES`` order).

        ``ignore_figures``: the features of the two figures count as average (they add nothing either
        way), so that the probability says how alike the claims are in what they are about; ``check``
        finds a wrong figure's fact this way.
        """
        cols = [FEATURES.index(f) for f in self.features]
        Z = (X[:, cols] - self.mean) / self.scale
        if ignore_figures:
            Z[:, [k for k, f in enumerate(self.features) if f in FIGURE_FEATURES]] = 0.0
        return 1.0 / (1.0 + np.exp(-(Z @ self.coef + self.intercept)))

    def to_json(self, **meta: Any) -> str:
        """The model as the JSON of ``rules/models/pair.json``, with ``meta`` (what it was trained on) beside it."""
        return json.dumps({"features": list(self.features), "mean": self.mean.tolist(),
                           "scale": self.scale.tolist(), "coef": self.coef.tolist(),
                           "intercept": self.intercept, **meta}, indent=1)


@lru_cache(maxsize=8)
def load_pair_model(path: str | None = None) -> PairModel:
    """The pair model at ``path``, or the packaged ``rules/models/pair.json``."""
    p = Path(path) if path else default_rules_dir() / "models" / "pair.json"
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        feats = tuple(d["features"])
        unknown = [f for f in feats if f not in FEATURES]
        if unknown:
            raise ValueError(f"unknown features {unknown}")
        arrays = [np.asarray(d[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (len(feats),) for a in arrays):
            raise ValueError("mean, scale and coef must have one number per feature")
        return PairModel(feats, arrays[0], arrays[1], arrays[2], float(d["intercept"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{p}: not a pair model ({exc})") from exc


def document_vectors(claims: list[Claim], E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What each document is about: the unit mean embedding of its claims (rows of ``E``, aligned).

    Returns per claim the row of its document, and one row per document; ``M[codes[i]]`` is claim i's.
    """
    index: dict[str, int] = {}
    codes = np.array([index.setdefault(c.document, len(index)) for c in claims], dtype=np.int64)
    from scipy.sparse import csr_matrix  # a sum per document as one sparse product (np.add.at is 10x slower)

    member = csr_matrix((np.ones(len(codes), dtype=np.float32), (codes, np.arange(len(codes)))),
                        shape=(len(index), len(codes)))
    sums = np.asarray(member @ np.asarray(E, dtype=np.float32), dtype=np.float64)
    sums /= np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return codes, sums.astype(np.float32)


def day_number(as_of: str | None) -> float:
    """The as-of time as a day number ("2020-04" is its first day); NaN when unknown or unreadable."""
    if not as_of:
        return math.nan
    parts = as_of[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        return float(date(y, m, d).toordinal())
    except (ValueError, IndexError):
        return math.nan


def _place_distance(a: Claim, b: Claim, lex: Lexicon) -> float | None:
    """0 for a shared place, 1 for different places, None when the claims don't say or can't tell.

    Places are compared by ``Lexicon.place_key``: countries and capitals in any language and spelling,
    other names with transliteration variants folded; a name that begins another ("Gaza", "Gazastreifen")
    is the same place. A country and a place that is not one cannot be told apart without a gazetteer
    ("nach Russland", "nach Kursk"), so they don't count.
    """
    if not a.places or not b.places:
        return None
    ka = {lex.place_key(p) for p in a.places}
    kb = {lex.place_key(p) for p in b.places}
    if ka & kb or any(min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)) for x in ka for y in kb):
        return 0.0
    area_a = any(lex.is_area(k) for k in ka)
    area_b = any(lex.is_area(k) for k in kb)
    return None if area_a != area_b else 1.0


def _code(values: list[Any]) -> np.ndarray:
    """An integer code per value, equal values equal codes, -1 for None (unknown)."""
    seen: dict[Any, int] = {}
    return np.array([-1 if v is None else seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


def _unit_rows(V: np.ndarray | None, n: int) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Rows scaled to unit length, per row whether it is known (non-zero), and a code per distinct row
    (equal rows equal codes: many claims share one counted phrase or one document); (None, all False, 0s)
    for none."""
    if V is None:
        return None, np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    V = np.asarray(V, dtype=np.float32).reshape(n, -1)
    norm = np.linalg.norm(V, axis=1, keepdims=True)
    seen: dict[bytes, int] = {}
    codes = np.array([seen.setdefault(r.tobytes(), len(seen)) for r in V], dtype=np.int64)
    return V / np.maximum(norm, 1e-12), norm[:, 0] > 0, codes


def _row_dots(V: np.ndarray, codes: np.ndarray, ei: np.ndarray, ej: np.ndarray) -> np.ndarray:
    """The dot products of rows ``ei`` and ``ej`` of ``V``, computed once per distinct pair of rows (``codes``)
    and a slice at a time, so that no copy of a row per pair is ever built."""
    m = int(codes.max()) + 1 if len(codes) else 1
    lo, hi = np.minimum(codes[ei], codes[ej]), np.maximum(codes[ei], codes[ej])
    uniq, inv = np.unique(lo * m + hi, return_inverse=True)
    rep = np.empty(m, dtype=np.int64)
    rep[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the first row of each code
    ra, rb = rep[uniq // m], rep[uniq % m]
    dots = np.empty(len(uniq), dtype=np.float32)
    for start in range(0, len(uniq), 65536):
        sl = slice(start, start + 65536)
        dots[sl] = np.einsum("ij,ij->i", V[ra[sl]], V[rb[sl]])
    return dots[inv.reshape(-1)].astype(np.float64)


def mutual_closest(doc: np.ndarray, ei: np.ndarray, ej: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Per pair of claims of two documents, 1 where each is the other's closest (lowest ``score``) among the
    pairs given that join it to the other's document; 0 for a pair of one document.

    Outlets that tell one figure differently (a fall of 150 or of 60 metres, a demand of 5.6 or 5.7 billion)
    still tell it in the same place of their story, with the same words around it; another figure of the
    same thing in that story has a closer counterpart there. Judged among the pairs given, as the block's
    linkage gives them (every pair of a small block).
    """
    out = np.zeros(len(ei))
    if not len(ei):
        return out
    n_docs = int(doc.max()) + 1
    apart = doc[ei] != doc[ej]
    a_best = _group_min(ei.astype(np.int64) * n_docs + doc[ej], score, apart)
    b_best = _group_min(ej.astype(np.int64) * n_docs + doc[ei], score, apart)
    out[apart & a_best & b_best] = 1.0
    return out


def _group_min(keys: np.ndarray, score: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Per row, whether its ``score`` is the lowest of the rows with its key (among rows ``use``)."""
    uniq, inv = np.unique(np.where(use, keys, -1), return_inverse=True)
    low = np.full(len(uniq), np.inf)
    np.minimum.at(low, inv.reshape(-1), np.where(use, score, np.inf))
    return score <= low[inv.reshape(-1)] + 1e-9


def _canonical_factor(block: list[Claim]) -> np.ndarray:
    """Per claim, the factor that takes its figure to its class's canonical unit (1 where it has none), so
    that "3,000 feet" and "914 metres" compare as the one length they are."""
    return np.array([abs(c.value_canonical / c.value) if c.value_canonical is not None and c.value else 1.0
                     for c in block], dtype=np.float64)


@dataclass
class PairKeys:
    """Per-claim codes, bounds and vectors of one block, from which ``features`` computes many pairs."""

    block: list[Claim]
    codes: dict[str, np.ndarray]
    low: np.ndarray
    high: np.ndarray
    value: np.ndarray
    day: np.ndarray
    counted: np.ndarray | None
    docs: np.ndarray | None
    tol_low: np.ndarray
    tol_high: np.ndarray
    counted_known: np.ndarray
    docs_known: np.ndarray
    counted_code: np.ndarray
    docs_code: np.ndarray

    @classmethod
    def of(cls, block: list[Claim], lex: Lexicon, counted: np.ndarray | None = None,
           docs: np.ndarray | None = None) -> PairKeys:
        """``counted``: embeddings of the counted phrases (zero rows where none); ``docs``: document vectors."""
        codes = {
            "group": _code([c.counted_group for c in block]),
            "generic": _code([True if lex.is_generic(c.counted) else None for c in block]),
            "lemma": _code([c.counted.lower() if c.counted else None for c in block]),
            "pred": _code([lex.predicate_group(c.predicate) if c.predicate else None for c in block]),
            "actor": _code([c.actor for c in block]),
            "place": _code([tuple(sorted(c.places)) if c.places else None for c in block]),
            "doc": _code([c.document for c in block]),
            "attribution": _code([(c.attribution or "").lower()[:24] or None for c in block]),
            "planned": _code([c.modality == "planned" for c in block]),
            "unit": _code([c.unit if c.unit_class != "count" else None for c in block]),
            "basis": _code([c.basis if c.basis in NAMED_BASES else None for c in block]),  # named kinds only
        }
        n = len(block)
        counted_rows, counted_known, counted_code = _unit_rows(counted, n)
        doc_rows, docs_known, docs_code = _unit_rows(docs, n)
        tol = np.array([tolerance(c, lex) for c in block], dtype=np.float64).reshape(n, 2)
        scale = _canonical_factor(block)
        bounds = np.array([(c.low if c.low is not None else -math.inf, c.high if c.high is not None else math.inf)
                           for c in block], dtype=np.float64).reshape(n, 2) * scale[:, None]
        return cls(block, codes, low=bounds[:, 0], high=bounds[:, 1],
                   value=np.abs(np.array([c.value for c in block], dtype=np.float64) * scale),
                   day=np.array([day_number(c.as_of) for c in block], dtype=np.float64),
                   counted=counted_rows, docs=doc_rows, counted_known=counted_known, docs_known=docs_known,
                   counted_code=counted_code, docs_code=docs_code,
                   tol_low=tol[:, 0] * scale, tol_high=tol[:, 1] * scale)

    def _pairs(self, name: str, ei: np.ndarray, ej: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(both known and equal, both known and different) for one code."""
        a, b = self.codes[name][ei], self.codes[name][ej]
        both = (a >= 0) & (b >= 0)
        return (both & (a == b)).astype(np.float64), (both & (a != b)).astype(np.float64)

    @staticmethod
    def _cos(V: np.ndarray | None, rows_known: np.ndarray, codes: np.ndarray, ei: np.ndarray,
             ej: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine distance of two unit rows and whether both rows are known (non-zero)."""
        if V is None or not len(ei):
            z = np.zeros(len(ei))
            return z, z
        known = rows_known[ei] & rows_known[ej]
        return np.where(known, 1.0 - _row_dots(V, codes, ei, ej), 0.0), known.astype(np.float64)

    def _places(self, ei: np.ndarray, ej: np.ndarray, lex: Lexicon) -> tuple[np.ndarray, np.ndarray]:
        place = self.codes["place"]
        by_code = {int(k): self.block[i] for i, k in enumerate(place.tolist()) if k >= 0}
        judged: dict[tuple[int, int], float | None] = {}
        same, diff = np.zeros(len(ei)), np.zeros(len(ei))
        pa, pb = place[ei], place[ej]
        for k in np.flatnonzero((pa >= 0) & (pb >= 0)).tolist():
            key = (int(pa[k]), int(pb[k]))
            if key not in judged:
                judged[key] = _place_distance(by_code[key[0]], by_code[key[1]], lex)
            got = judged[key]
            if got is not None:
                same[k], diff[k] = (got == 0), (got > 0)
        return same, diff

    def features(self, ei: np.ndarray, ej: np.ndarray, cos: np.ndarray, lex: Lexicon) -> np.ndarray:
        """One row of ``FEATURES`` per pair (``block[ei[k]]``, ``block[ej[k]]``) with key-text distance ``cos``."""
        f: dict[str, np.ndarray] = {"cos": np.asarray(cos, dtype=np.float64)}
        f["counted_cos"], f["counted_known"] = self._cos(self.counted, self.counted_known, self.counted_code, ei, ej)
        f["group_same"], f["group_diff"] = self._pairs("group", ei, ej)
        gen = self.codes["generic"]
        f["generic"] = ((gen[ei] >= 0) | (gen[ej] >= 0)).astype(np.float64)
        f["lemma_same"], _ = self._pairs("lemma", ei, ej)
        f["pred_same"], f["pred_diff"] = self._pairs("pred", ei, ej)
        f["place_same"], f["place_diff"] = self._places(ei, ej, lex)
        f["actor_same"], f["actor_diff"] = self._pairs("actor", ei, ej)
        low, high, value = self.low, self.high, self.value
        overlap = (low[ei] <= high[ej]) & (low[ej] <= high[ei])
        f["overlap"] = overlap.astype(np.float64)
        va, vb = value[ei], value[ej]
        f["equal"] = (va == vb).astype(np.float64)
        small, big = np.minimum(va, vb), np.maximum(va, vb)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(small > 0, big / np.where(small > 0, small, 1.0), np.where(big > 0, 1e3, 1.0))
        f["log_ratio"] = np.where(overlap, 0.0, np.minimum(3.0, np.log10(np.maximum(ratio, 1.0))))
        f["same_doc"], _ = self._pairs("doc", ei, ej)
        f["doc_cos"], _ = self._cos(self.docs, self.docs_known, self.docs_code, ei, ej)
        da, db = self.day[ei], self.day[ej]
        known = ~np.isnan(da) & ~np.isnan(db)
        gap = np.abs(np.nan_to_num(da) - np.nan_to_num(db))
        f["date_gap"] = np.where(known, np.log1p(gap) / math.log1p(365.0), 0.0)
        f["date_known"] = known.astype(np.float64)
        f["attribution_same"], _ = self._pairs("attribution", ei, ej)
        _, f["planned_diff"] = self._pairs("planned", ei, ej)
        f["overlap_cos"] = f["overlap"] * f["cos"]
        f["unit_known"], _ = self._pairs("unit", ei, ej)
        # compatible by stated precision and hedges: ``intervals.compatible`` of the ``intervals.tolerance`` intervals
        tlo, thi = np.maximum(self.tol_low[ei], self.tol_low[ej]), np.minimum(self.tol_high[ei], self.tol_high[ej])
        point = self.tol_low == self.tol_high
        f["round_compatible"] = ((tlo < thi) | ((tlo == thi) & (point[ei] | point[ej]))).astype(np.float64)
        f["rel_diff"] = np.where(big > 0, np.abs(va - vb) / np.where(big > 0, big, 1.0), 0.0)
        later = np.sign(np.nan_to_num(db) - np.nan_to_num(da)) * np.sign(vb - va)
        f["grows_later"] = (known & (later > 0)).astype(np.float64)
        f["counted_close_value_far"] = f["counted_known"] * (1.0 - f["counted_cos"]) * f["rel_diff"]
        # the same figure of other things ("1.500 Touristen", "1,500 soldiers"): a shared number is no shared fact
        f["counted_far_value_close"] = f["counted_known"] * f["counted_cos"] * f["round_compatible"]
        # a count that grows over time (40 -> 95 -> 230 cases): a later, larger figure of the same counted thing,
        # weighted by how far apart the figures are, so that the growth can offset ``rel_diff``
        f["series"] = f["grows_later"] * f["counted_known"] * (1.0 - f["counted_cos"]) * f["rel_diff"]
        # changes measured against other bases (on the previous quarter, on a year earlier) are other facts
        _, f["basis_diff"] = self._pairs("basis", ei, ej)
        # two documents' tellings of one figure: each claim is the other's closest in the other's document (by
        # wording), so that differing figures there read as versions of one fact
        f["closest"] = mutual_closest(self.codes["doc"], ei, ej, f["cos"]) * (1.0 - f["place_diff"]) * (
            1.0 - f["actor_diff"])  # not of two events: other places or other actors are other facts
        return np.column_stack([f[name] for name in FEATURES]) if len(ei) else np.zeros((0, len(FEATURES)))
