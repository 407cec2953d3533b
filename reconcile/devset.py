"""Scoring on real news clusters: gold files in the development-set format beside their JSONL corpora.

A cluster is one event told by several outlets: ``GOLD_DIR/<cluster>.json`` annotates the figures of
``CORPUS_DIR/<cluster>.jsonl`` (offsets index each record's ``text``). Each cluster is analysed as its own
corpus, or all clusters together with distractor articles of other events as one corpus (``joint``), the
way an archive or a big folder is. The metrics are those of the project's independent scorer
(``shared/eval/score.py dev`` and ``union.py``), computed the same way: mention recall, interval shape,
B-cubed of gold facts against predicted facts over the matched mentions, verdict accuracy on facts stated
by two or more articles (the verdict of the predicted fact holding most of the gold fact's mentions).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconcile.packaged import packaged_data

__all__ = ["GoldError", "Mention", "GoldCluster", "load_cluster", "load_clusters", "score_cluster", "summarise",
           "bcubed", "evaluate_clusters", "evaluate_joint"]



def _vague_marks() -> list[str]:
    """The words that mark a gold hedge as vague ("dozens", "mehrere"): ``evaluation.yml`` ``vague_gold_hedges``."""
    return [str(w) for w in packaged_data("evaluation")["vague_gold_hedges"]]


@dataclass
class Mention:
    """One gold figure: where it stands, its value or interval, and the gold fact it belongs to."""

    fact: str
    doc: str
    start: int
    end: int
    value: float
    low: float | None
    high: float | None
    hedge: str | None
    label: str


@dataclass
class GoldCluster:
    """A gold file read with its corpus: language, mentions, and per fact the verdicts accepted."""

    name: str
    language: str
    corpus: Path
    mentions: list[Mention] = field(default_factory=list)
    facts: list[tuple[str, list[str], set[str]]] = field(default_factory=list)  # id, verdicts, documents


class GoldError(ValueError):
    """A gold file that is not JSON in the development-set format: the message names the file and the key."""


def load_cluster(gold_path: Path, corpus_dir: Path) -> GoldCluster:
    """Read one gold file; vague gold values become open intervals, as the scorer reads them.

    Raises ``GoldError`` naming the file and what is wrong, so a bad gold file is one line and exit 2."""
    try:
        return _read_cluster(gold_path, json.loads(gold_path.read_text(encoding="utf-8")), corpus_dir)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{gold_path}: not a readable JSON gold file ({exc})") from exc
    except KeyError as exc:
        raise GoldError(f"{gold_path}: a fact or value lacks the key {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise GoldError(f"{gold_path}: not in the development-set gold format ({exc})") from exc


def _read_cluster(gold_path: Path, g: dict[str, Any], corpus_dir: Path) -> GoldCluster:
    """The gold cluster of one parsed gold file (``load_cluster`` turns its errors into ``GoldError``)."""
    out = GoldCluster(gold_path.stem, g.get("language", "en"), corpus_dir / f"{gold_path.stem}.jsonl")
    for f in g["facts"]:
        docs = {str(v["article"]) for v in f["values"]}
        out.facts.append((f["fact_id"], [f["expected_verdict"], *f.get("also_acceptable", [])], docs))
        for v in f["values"]:
            val = float(v["value"])
            vague = bool(v.get("hedge")) and any(w in str(v.get("hedge")) for w in _vague_marks())
            hi = None if vague else float(v.get("value_max", val))
            out.mentions.append(Mention(f["fact_id"], str(v["article"]), v["char_offset"],
                                        v["char_offset"] + v["length"], val, val, hi,
                                        "vague" if vague else v.get("hedge"),
                                        f"{v['article']}:{v.get('number_as_written', v['value'])}"))
    return out


def load_clusters(gold_dir: Path, corpus_dir: Path) -> list[GoldCluster]:
    """Every gold file of a folder that has its corpus, sorted by name."""
    return [load_cluster(p, corpus_dir) for p in sorted(gold_dir.glob("*.json"))
            if (corpus_dir / f"{p.stem}.jsonl").exists()]


def _value_matches(m: Mention, c: dict[str, Any]) -> bool:
    if c.get("value") is None:
        return False
    v = float(c["value"])
    if abs(v - m.value) <= 1e-6 * max(1.0, abs(m.value)):
        return True
    if m.hedge == "vague" or (m.low is not None and m.high is not None and m.low != m.high):
        return (m.low is None or v >= m.low - 1e-9) and (m.high is None or v <= m.high + 1e-9)
    return False


def _interval_ok(m: Mention, c: dict[str, Any]) -> bool:
    """The claim's interval holds the gold value (with the scorer's slack); shape is not asked of dev gold."""
    gv = float(c["value"]) if m.hedge == "vague" else m.value
    slack = max(1.0, 1e-4 * abs(gv))
    lo, hi = c.get("low"), c.get("high")
    return (lo is None or float(lo) <= gv + slack) and (hi is None or float(hi) >= gv - slack)


def match_mentions(mentions: list[Mention], claims: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each gold mention's claim: the first of its document inside the mention's span carrying its value."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_doc.setdefault(str(c["document"]), []).append(c)
    out: dict[int, dict[str, Any]] = {}
    for i, m in enumerate(mentions):
        for c in by_doc.get(m.doc, []):
            s, e = c.get("start"), c.get("end")
            if s is not None and e is not None and m.start <= s and e <= m.end and _value_matches(m, c):
                out[i] = c
                break
    return out


def bcubed(items: list[tuple[str, str | None]]) -> tuple[float, float]:
    """B-cubed precision and recall of (gold fact, predicted fact) items; an unassigned item is alone."""
    by_pred: dict[str, list[str]] = {}
    by_gold: dict[str, list[str | None]] = {}
    for g, p in items:
        by_gold.setdefault(g, []).append(p)
        if p is not None:
            by_pred.setdefault(p, []).append(g)
    precision = recall = 0.0
    for g, p in items:
        pred = by_pred[p] if p is not None else [g]
        precision += sum(1 for x in pred if x == g) / len(pred)
        same = by_gold[g]
        recall += (sum(1 for x in same if x == p) / len(same)) if p is not None else 1 / len(same)
    n = max(1, len(items))
    return precision / n, recall / n


def score_cluster(gold: GoldCluster, record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Score one cluster against a report record; ``prefix`` strips joint-corpus ids ("<cluster>/")."""
    claims = [dict(c, document=str(c["document"])[len(prefix):]) for c in record.get("claims", [])
              if str(c.get("document", "")).startswith(prefix)]
    matched = match_mentions(gold.mentions, claims)
    fact_of = {cid: f["id"] for f in record.get("facts", []) for cid in f.get("claims", [])}
    verdict_of = {f["id"]: f.get("verdict") for f in record.get("facts", [])}
    items = [(m.fact, fact_of.get(matched[i]["id"])) for i, m in enumerate(gold.mentions) if i in matched]
    bp, br = bcubed(items)
    verdicts = []
    for fid, expected, docs in gold.facts:
        if len(docs) < 2:
            continue
        preds = [p for p in (fact_of.get(matched[i]["id"]) for i, m in enumerate(gold.mentions)
                             if m.fact == fid and i in matched) if p]
        top = max(preds, key=lambda p: (preds.count(p), -preds.index(p))) if preds else None
        verdicts.append((fid, expected, verdict_of.get(top) if top else None))
    return {"cluster": gold.name, "language": gold.language, "mentions": len(gold.mentions),
            "matched": len(matched), "interval_ok": sum(_interval_ok(gold.mentions[i], c) for i, c in matched.items()),
            "bcubed_p": bp, "bcubed_r": br, "verdicts": verdicts, "items": items,
            "missed": [f"{m.label} ({m.fact})" for i, m in enumerate(gold.mentions) if i not in matched],
            "wrong_verdicts": [f"{fid}: expected {'/'.join(e)}, got {g}" for fid, e, g in verdicts if g not in e]}


def summarise(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals over clusters; B-cubed averaged with each cluster weighted by its matched mentions."""
    mentions = sum(p["mentions"] for p in parts)
    matched = sum(p["matched"] for p in parts)
    w = max(1, matched)
    bp = sum(p["bcubed_p"] * p["matched"] for p in parts) / w
    br = sum(p["bcubed_r"] * p["matched"] for p in parts) / w
    vs = [v for p in parts for v in p["verdicts"]]
    return {"mention_recall": round(matched / max(1, mentions), 3), "matched": matched, "mentions": mentions,
            "interval_ok": round(sum(p["interval_ok"] for p in parts) / w, 3),
            "bcubed_p": round(bp, 3), "bcubed_r": round(br, 3),
            "bcubed_f1": round(2 * bp * br / (bp + br), 3) if bp + br else 0.0,
            "verdict_accuracy": round(sum(1 for _, e, g in vs if g in e) / max(1, len(vs)), 3),
            "verdict_n": len(vs)}


Analyse = Callable[[list[str]], dict[str, Any]]


def _per_language(parts: list[dict[str, Any]]) -> dict[str, Any]:
    langs = sorted({p["language"] for p in parts})
    return {lang: summarise([p for p in parts if p["language"] == lang]) for lang in langs}


def evaluate_clusters(clusters: Iterable[GoldCluster], analyse: Analyse) -> dict[str, Any]:
    """Each cluster as its own corpus: ``analyse`` turns input paths into a report record."""
    parts = [score_cluster(g, analyse([str(g.corpus)])) for g in clusters]
    return {"overall": summarise(parts), "languages": _per_language(parts),
            "clusters": {p["cluster"]: {**summarise([p]), "missed": p["missed"],
                                        "wrong_verdicts": p["wrong_verdicts"]} for p in parts}}


def write_joint_corpus(clusters: list[GoldCluster], extra: list[Path], out: Path) -> None:
    """One JSONL of every cluster's articles (ids ``<cluster>/<n>``) and the distractor articles."""
    lines = [x for e in extra for x in e.read_text(encoding="utf-8").split("\n") if x.strip()]
    for g in clusters:
        for line in g.corpus.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                r = json.loads(line)
                r["id"] = f"{g.name}/{r['id']}"
                lines.append(json.dumps(r, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def evaluate_joint(clusters: list[GoldCluster], extra: list[Path], analyse: Analyse, workdir: Path) -> dict[str, Any]:
    """All clusters and the distractors as one corpus: joint B-cubed over every cluster's mentions at once."""
    corpus = workdir / "joint.jsonl"
    write_joint_corpus(clusters, extra, corpus)
    record = analyse([str(corpus)])
    parts = [score_cluster(g, record, prefix=f"{g.name}/") for g in clusters]
    items = [(f"{p['cluster']}:{g}", pred) for p in parts for g, pred in p["items"]]
    jp, jr = bcubed(items)
    joint = {"joint_bcubed_p": round(jp, 3), "joint_bcubed_r": round(jr, 3),
             "joint_bcubed_f1": round(2 * jp * jr / (jp + jr), 3) if jp + jr else 0.0}
    return {"overall": {**summarise(parts), **joint}, "languages": _per_language(parts),
            "clusters": {p["cluster"]: {**summarise([p]), "missed": p["missed"],
                                        "wrong_verdicts": p["wrong_verdicts"]} for p in parts}}
