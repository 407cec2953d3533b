"""Scoring on news clusters in the development-set format (``reconcile.devset``), on a cluster written here."""

from __future__ import annotations

import json

import pytest

from reconcile.devset import (bcubed, evaluate_clusters, load_cluster, load_clusters, match_mentions, score_cluster,
                              summarise, write_joint_corpus)

A = "Russland schickte 11.000 Soldaten nach Kursk."
B = "Nach Angaben aus Kiew sind es 12.000 Soldaten in Kursk."
C = "Mehrere Hundert Soldaten wurden verletzt."


def _value(article: str, text: str, written: str, value: float, **kw):
    return {"article": article, "char_offset": text.index(written), "length": len(written),
            "number_as_written": written, "value": value, **kw}


@pytest.fixture
def cluster(tmp_path):
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"
    gold.mkdir()
    corpus.mkdir()
    (gold / "c1.json").write_text(json.dumps({"language": "de", "facts": [
        {"fact_id": "troops", "expected_verdict": "conflict", "also_acceptable": ["update"],
         "values": [_value("1", A, "11.000", 11000), _value("2", B, "12.000", 12000)]},
        {"fact_id": "hurt", "expected_verdict": "single",
         "values": [_value("3", C, "Mehrere Hundert", 200, hedge="vague: mehrere")]}]}), encoding="utf-8")
    (gold / "lonely.json").write_text(json.dumps({"facts": []}), encoding="utf-8")
    (corpus / "c1.jsonl").write_text("".join(json.dumps({"id": i, "outlet": o, "text": t}) + "\n" for i, o, t in
                                             [("1", "Alpha", A), ("2", "Beta", B), ("3", "Gamma", C)]),
                                     encoding="utf-8")
    return gold, corpus


def test_load_reads_mentions_verdicts_and_vague_values(cluster):
    gold, corpus = cluster
    [g] = load_clusters(gold, corpus)  # the gold file without a corpus is left out
    assert (g.name, g.language, g.corpus) == ("c1", "de", corpus / "c1.jsonl")
    assert [(m.fact, m.doc, m.value, m.high) for m in g.mentions] == \
        [("troops", "1", 11000, 11000), ("troops", "2", 12000, 12000), ("hurt", "3", 200, None)]
    assert g.mentions[2].hedge == "vague" and g.facts[0] == ("troops", ["conflict", "update"], {"1", "2"})


def test_a_claim_matches_inside_the_span_with_the_gold_value_or_in_a_vague_interval(cluster):
    g = load_cluster(*[cluster[0] / "c1.json", cluster[1]])
    claims = [{"id": "x", "document": "1", "start": A.index("11.000"), "end": A.index("11.000") + 6, "value": 11000},
              {"id": "y", "document": "2", "start": B.index("12.000"), "end": B.index("12.000") + 6, "value": 1200},
              {"id": "z", "document": "3", "start": 0, "end": 15, "value": 300}]
    assert {i: c["id"] for i, c in match_mentions(g.mentions, claims).items()} == {0: "x", 2: "z"}


def test_bcubed_of_perfect_split_and_merged_clusterings():
    assert bcubed([("a", "1"), ("a", "1"), ("b", "2")]) == (1.0, 1.0)
    p, r = bcubed([("a", "1"), ("a", "1"), ("b", "1")])
    assert r == 1.0 and p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    p, r = bcubed([("a", None), ("a", None)])
    assert p == 1.0 and r == 0.5


def test_score_cluster_and_summarise_on_a_report_record(cluster):
    g = load_cluster(cluster[0] / "c1.json", cluster[1])
    record = {"claims": [{"id": "x", "document": "1", "start": A.index("11.000"), "end": A.index("11.000") + 6,
                          "value": 11000, "low": 10500, "high": 11500},
                         {"id": "y", "document": "2", "start": B.index("12.000"), "end": B.index("12.000") + 6,
                          "value": 12000, "low": 11500, "high": 12500}],
              "facts": [{"id": "F1", "claims": ["x", "y"], "verdict": "update"}]}
    part = score_cluster(g, record)
    assert (part["matched"], part["interval_ok"], part["bcubed_p"], part["bcubed_r"]) == (2, 2, 1.0, 1.0)
    assert part["verdicts"] == [("troops", ["conflict", "update"], "update")] and part["wrong_verdicts"] == []
    assert part["missed"] == ["3:Mehrere Hundert (hurt)"]
    total = summarise([part])
    assert total["mention_recall"] == round(2 / 3, 3) and total["verdict_accuracy"] == 1.0


def test_the_joint_corpus_prefixes_each_cluster_s_ids(cluster, tmp_path):
    g = load_cluster(cluster[0] / "c1.json", cluster[1])
    extra = tmp_path / "distractors.jsonl"
    extra.write_text(json.dumps({"id": "d1", "text": "Ein anderer Artikel."}) + "\n", encoding="utf-8")
    out = tmp_path / "joint.jsonl"
    write_joint_corpus([g], [extra], out)
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == ["d1", "c1/1", "c1/2", "c1/3"]


def test_evaluate_clusters_through_the_real_pipeline(cluster, embedder):
    from reconcile.config import Config
    from reconcile.pipeline import run
    from reconcile.report import build_record

    out = evaluate_clusters(load_clusters(*cluster), lambda paths: build_record(run(paths, Config(), embedder)))
    assert set(out) == {"overall", "languages", "clusters"} and set(out["languages"]) == {"de"}
    assert out["clusters"]["c1"]["matched"] >= 2 and out["overall"]["mentions"] == 3
