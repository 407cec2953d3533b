"""Clustering: cross-lingual joins with the default model, the sentence-transformers path with MiniLM,
and the constraints of the combined distance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reconcile.cluster import ClusterParams, cluster_claims, pair_distance, same_fact_in_document
from reconcile.config import Config
from reconcile.embed import Embedder, ModelError, load_model
from reconcile.evaluate import score
from reconcile.lexicon import load_lexicon
from reconcile.pipeline import run

from .conftest import ROOT, SEEDS

EN = ROOT / "tests" / "data" / "en"


@pytest.fixture(scope="module")
def mixed_result():
    return run([str(SEEDS), str(EN)], Config())


def _fact(result, doc_prefix, surface):
    cid = next(c.id for c in result.claims if c.document.startswith(doc_prefix) and c.surface == surface)
    return next(f for f in result.facts if cid in f.claims)


@pytest.mark.parametrize("en_doc,en_surface,de_doc,de_surface", [
    ("wire_kursk", "11,000", "003", "10.000"),          # troops sent
    ("analysis_weapons", "10,000", "000", "11.000"),
    ("wire_kursk", "6,000", "004", "mehrere Tausend"),  # casualties
    ("wire_kursk", "1,000", "004", "tausend"),          # deminers
    ("wire_kursk", "5,000", "000", "5.000"),            # construction soldiers
    ("analysis_weapons", "1,500", "003", "1.500"),      # Russian tourists
    ("analysis_weapons", "10 million", "001", "10 Millionen"),
    ("analysis_weapons", "$5.5 billion", "003", "5,5 Milliarden US-Dollar"),
])
def test_english_claims_join_german_facts(mixed_result, en_doc, en_surface, de_doc, de_surface):
    assert _fact(mixed_result, en_doc, en_surface).id == _fact(mixed_result, de_doc, de_surface).id


def test_shared_numbers_of_different_facts_stay_apart(mixed_result):
    tourists = _fact(mixed_result, "analysis_weapons", "1,500")
    assert tourists.id != _fact(mixed_result, "002", "1.500").id   # 1,500 soldiers shipped
    casualties = _fact(mixed_result, "wire_kursk", "6,000")
    assert casualties.id != _fact(mixed_result, "001", "6000").id  # 6,000 new engineers and workers


def test_one_document_shares_a_fact_only_when_it_repeats_it(mixed_result):
    lex = load_lexicon()
    by = {c.id: c for c in mixed_result.claims}
    for f in mixed_result.facts:
        cs = [by[i] for i in f.claims]
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                if a.document == b.document:
                    assert same_fact_in_document(a, b, lex, ClusterParams()), (f.label, a.surface, b.surface)


def test_english_articles_against_their_gold():
    gold = json.loads((EN / "en.gold.json").read_text(encoding="utf-8"))
    s = score(run([str(EN)], Config()), gold)
    m = s["metrics"]
    assert m["mention_recall"] == 1.0 and m["mention_precision"] == 1.0, s["missed"]
    assert m["non_claim_false_positives"] == 0, s["non_claim_false_positives"]
    assert m["interval_recall"] >= 0.9, s["wrong_values"]
    assert m["attribution_accuracy"] >= 0.8, s["wrong_attribution"]
    assert m["modality_accuracy"] >= 0.8, s["wrong_modality"]


def test_pair_distance_uses_what_claims_say(mixed_result):
    lex = load_lexicon()
    p = ClusterParams()
    deminer = next(c for c in mixed_result.claims if c.surface == "1.000")
    builder = next(c for c in mixed_result.claims if c.surface == "5.000" and c.document.startswith("000"))
    en_deminer = next(c for c in mixed_result.claims if c.surface == "1,000")
    # the same embedding distance: a different counted thing and a 5x figure push apart
    assert pair_distance(deminer, builder, 0.3, lex, p) > pair_distance(deminer, en_deminer, 0.3, lex, p) + 0.3
    assert not same_fact_in_document(deminer, builder, lex, p)



def test_one_figure_in_two_units_of_one_document_may_be_one_fact():
    """"climbed 5,000 feet (1,524 metres)": the in-document rule compares the figures in their canonical unit."""
    from .builders import claim

    lex, p = load_lexicon(), ClusterParams()
    length = dict(unit_class="length", counted=None, counted_group=None, unit_canonical="meter")
    feet = claim(0, 5000, "a", unit="foot", value_canonical=1524.0, low=4500.0, high=5500.0, **length)
    metres = claim(1, 1524, "a", unit="meter", value_canonical=1524.0, **length)
    other = claim(2, 5000, "a", unit="meter", value_canonical=5000.0, **length)
    assert same_fact_in_document(feet, metres, lex, p)
    assert not same_fact_in_document(feet, other, lex, p)  # 5,000 feet are not 5,000 metres


def test_two_vague_figures_of_other_things_in_one_document_are_two_facts():
    """"amid dozens of arrests" and "dozens of Democrats boycotted" in one article: the vague word is no
    repeated figure, while an exact figure told again in other words may be one fact."""
    from .builders import claim

    lex, p = load_lexicon(), ClusterParams()
    vague = dict(hedge="vague", low=24.0, high=119.0, language="en")
    arrests = claim(0, 24, "a", counted="arrest", counted_group="arrest", **vague)
    members = claim(1, 24, "a", counted="Democrat", counted_group=None, **vague)
    assert not same_fact_in_document(arrests, members, lex, p)
    exact = dict(language="en", counted_group=None)
    assert same_fact_in_document(claim(2, 24, "a", counted="arrest", **exact),
                                 claim(3, 24, "a", counted="detainee", **exact), lex, p)


@pytest.fixture(scope="module")
def minilm():
    return load_model("all-minilm-l6-v2")


def test_minilm_through_sentence_transformers(minilm, tmp_path):
    """Any sentence-transformers model can replace the default; MiniLM (English) clusters English claims."""
    emb = Embedder("all-minilm-l6-v2", cache_dir=tmp_path)
    emb._model = minilm
    result = run([str(EN)], Config(model="all-minilm-l6-v2"), embedder=emb)
    assert result.embeddings.shape[1] == 384
    by = {(c.document, c.surface): i for i, c in enumerate(result.claims)}
    e = result.embeddings / np.linalg.norm(result.embeddings, axis=1, keepdims=True)
    troops, troops2 = by[("wire_kursk", "11,000")], by[("analysis_weapons", "10,000")]
    tourists = by[("analysis_weapons", "1,500")]
    assert e[troops] @ e[troops2] > e[troops] @ e[tourists] + 0.05
    assert _fact(result, "wire_kursk", "1,000").id != _fact(result, "wire_kursk", "5,000").id
    assert _fact(result, "analysis_weapons", "1,500").id != _fact(result, "wire_kursk", "11,000").id
    # the cache is keyed by model: the default model does not read MiniLM's vectors
    again = Embedder("all-minilm-l6-v2", cache_dir=tmp_path)
    again._model = minilm
    texts = [c.key_text for c in result.claims]
    np.testing.assert_allclose(again.encode(texts), result.embeddings, rtol=1e-5, atol=1e-6)
    assert again.hits == len(set(texts))


def test_unknown_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="--model PATH"):
        load_model(str(tmp_path / "no-such-model"))


def test_clustering_is_order_independent(mixed_result):
    claims = mixed_result.claims
    rev = list(reversed(range(len(claims))))
    a = cluster_claims(claims, mixed_result.embeddings)
    b = cluster_claims([claims[i] for i in rev], mixed_result.embeddings[rev])
    assert [f.claims for f in a] == [f.claims for f in b]


def test_pair_model_weighs_compatible_figures_and_close_documents_together(mixed_result):
    """The learned distance: one pair differing only in its figures' agreement, then in its documents."""
    from reconcile.cluster import edge_distances
    from reconcile.pairs import FEATURES, load_pair_model

    model = load_pair_model()
    assert set(model.features) <= set(FEATURES) and len(model.coef) == len(model.features)
    lex = load_lexicon()
    by = {(c.document[:10], c.surface): c for c in mixed_result.claims}
    a, b = by[("wire_kursk", "11,000")], by[("wire_kursk", "6,000")]
    ei, ej, cos = np.array([0]), np.array([1]), np.array([0.3])
    close = edge_distances([a, a], ei, ej, cos, lex, ClusterParams())[0]
    apart = edge_distances([a, b], ei, ej, cos, lex, ClusterParams())[0]
    assert close < apart  # the same figure is nearer than another figure of the article, all else equal
    assert 0.0 <= close <= 1.0 and 0.0 <= apart <= 1.0
    assert pair_distance(a, b, 0.3, lex, ClusterParams()) == pytest.approx(apart)


def test_malformed_pair_model_is_rejected(tmp_path):
    from reconcile.pairs import load_pair_model

    bad = tmp_path / "pair.json"
    bad.write_text(json.dumps({"features": ["cos", "no_such_feature"], "mean": [0, 0], "scale": [1, 1],
                               "coef": [1, 1], "intercept": 0}))
    with pytest.raises(ValueError, match="unknown features"):
        load_pair_model(str(bad))
    bad.write_text(json.dumps({"features": ["cos"], "mean": [0, 0], "scale": [1], "coef": [1], "intercept": 0}))
    with pytest.raises(ValueError, match="one number per feature"):
        load_pair_model(str(bad))


def test_places_and_actors_fold_across_languages_and_countries_stay_open():
    from reconcile.pairs import _place_distance
    from reconcile.model import Claim

    lex = load_lexicon()

    def claim(places, actor=None):
        return Claim(id="x", document="d", start=0, end=1, surface="1", value=1, low=1, high=1, unit=None,
                     unit_class="count", hedge=None, change="=", counted=None, counted_text=None, modifiers=[],
                     subject=None, predicate=None, attribution=None, modality="asserted", as_of=None,
                     cumulative=False, sentence="", sentence_start=0, language="de", places=places, actor=actor)

    assert _place_distance(claim(["russland"]), claim(["russia"]), lex) == 0.0
    assert _place_distance(claim(["gaza"]), claim(["aleppo"]), lex) == 1.0
    assert _place_distance(claim(["russland"]), claim(["kursk"]), lex) is None  # a country may hold the place
    assert _place_distance(claim(["russland"]), claim(["frankreich"]), lex) == 1.0
    same = ClusterParams()
    a, b = claim(["gaza"], "DE"), claim(["gaza"], "FR")
    assert pair_distance(a, b, 0.1, lex, same) > pair_distance(a, claim(["gaza"], "DE"), 0.1, lex, same)


def test_actor_is_who_acts_not_where_or_who_says():
    from reconcile.claims import extract_claims
    from reconcile.ingest import parse_text

    def actors(text, lang):
        doc = parse_text(text, "t", "t.txt")
        doc.language = lang
        return [c.actor for c in extract_claims(doc)]

    assert actors("Nordkorea hat 11.000 Soldaten nach Russland geschickt.", "de") == ["KP"]
    assert actors("Laut Russland hat Pjöngjang 11.000 Soldaten entsandt.", "de") == ["KP"]
    assert actors("Russia says North Korea sent 11,000 troops to Kursk.", "en") == ["KP"]
    assert actors("11,000 troops were sent to Russia.", "en") == [None]


def test_every_claim_gets_neighbours_in_each_language():
    from reconcile.cluster import _edges

    rng = np.random.default_rng(6)
    # six facts of five claims, told in German and in English; the English rows share an offset, so by
    # similarity alone every German row's nearest rows are German (its fact's, at cosine ~0.99)
    base = np.repeat(rng.normal(size=(6, 8)), 5, axis=0) + 0.02 * rng.normal(size=(30, 8))
    scale = np.linalg.norm(base, axis=1, keepdims=True)
    de = np.hstack([base, np.zeros((30, 1))])
    en = np.hstack([base, 2 * scale])
    E = np.vstack([de, en]).astype(np.float32)
    langs = ["de"] * 30 + ["en"] * 30
    lo, hi, _ = _edges(E, E, 3)
    assert not any(a < 30 <= b for a, b in zip(lo.tolist(), hi.tolist()))
    lo, hi, _ = _edges(E, E, 3, langs)
    crossing = {a for a, b in zip(lo.tolist(), hi.tolist()) if a < 30 <= b}
    assert crossing == set(range(30))


def test_each_figure_of_a_large_fact_has_neighbours_of_the_others():
    """One fact told with two figures (a source's 12,000, another's 18,000), each by more claims than a claim has
    neighbours: searched with the magnitude alone, each figure's claims fill each other's neighbour lists and the
    figures are hardly linked; the figure-blind view gives every claim neighbours of the other figure too."""
    from reconcile.cluster import _edges, _search_views
    from tests.builders import claim

    rng = np.random.default_rng(3)
    block = [claim(i, 12000 if i < 30 else 18000, doc=f"d{i}") for i in range(60)]
    E = (np.ones((60, 16)) + 0.05 * rng.normal(size=(60, 16))).astype(np.float32)
    lex = load_lexicon()

    def crossing(params):
        lo, hi, _ = _edges(E, _search_views(block, E, lex, params), params.neighbours)
        return {x for a, b in zip(lo.tolist(), hi.tolist()) if a < 30 <= b for x in (a, b)}

    assert len(crossing(ClusterParams(neighbours=5, figure_blind_search=False))) < 6
    assert len(crossing(ClusterParams(neighbours=5))) >= 54


def test_place_spellings_fold():
    from reconcile.pairs import _place_distance

    lex = load_lexicon()
    assert lex.place_key("Charkiw") == lex.place_key("kharkiv")
    assert lex.place_key("Kiew") == lex.place_key("kyiv") == "city:UA"
    assert lex.place_key("Russland") == lex.place_key("russia") == "RU"
    claim = _place_claim
    assert _place_distance(claim(["gaza"]), claim(["gazastreifen"]), lex) == 0.0
    assert _place_distance(claim(["kiew"]), claim(["ukraine"]), lex) is None  # a capital within its country
    assert _place_distance(claim(["kiew"]), claim(["charkiw"]), lex) == 1.0


def _place_claim(places):
    from reconcile.model import Claim

    return Claim(id="x", document="d", start=0, end=1, surface="1", value=1, low=1, high=1, unit=None,
                 unit_class="count", hedge=None, change="=", counted=None, counted_text=None, modifiers=[],
                 subject=None, predicate=None, attribution=None, modality="asserted", as_of=None,
                 cumulative=False, sentence="", sentence_start=0, language="de", places=places)


def test_syndicated_copies_fold_without_collapsing_the_facts(mixed_result):
    """Thirty copies of every article give the same facts, each with all copies of its claims."""
    from dataclasses import replace

    claims, E = mixed_result.claims, mixed_result.embeddings
    once = cluster_claims(claims, E)
    copies = [replace(c, id=f"{c.id}~{k}", document=f"{c.document}~{k}") for k in range(30) for c in claims]
    many = cluster_claims(copies, np.vstack([E] * 30))
    assert len(many) == len(once)
    shape = sorted(len(f.claims) for f in once)
    assert sorted(len(f.claims) // 30 for f in many) == shape
    assert all(len(f.claims) % 30 == 0 for f in many)


def _linked_facts(sizes: list[int], k: int, near: float, cross: int, far: float, seed: int = 3):
    """Claims of facts of ``sizes``, each claim linked to ``k`` random claims of its own fact at distance
    ``near`` (as a neighbour search spreads a claim's neighbours over a fact larger than ``k``), and ``cross``
    random links between claims of different facts at ``far`` (near neighbours of another fact)."""
    from tests.builders import claim

    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(sizes)), sizes)
    block = [claim(i, 100, doc=f"d{i}") for i in range(len(truth))]
    pairs: dict[tuple[int, int], float] = {}
    for f in range(len(sizes)):
        rows = np.flatnonzero(truth == f)
        for r in rows.tolist():
            for o in rng.choice(rows[rows != r], size=k, replace=False).tolist():
                pairs[(min(r, o), max(r, o))] = near
    for _ in range(cross):
        a, b = rng.choice(len(truth), size=2, replace=False).tolist()
        if truth[a] != truth[b]:
            pairs[(min(a, b), max(a, b))] = far
    ei, ej = (np.array(x, dtype=np.int64) for x in zip(*pairs))
    return block, truth, ei, ej, np.array(list(pairs.values()))


@pytest.mark.parametrize("size", [20, 200])
def test_a_fact_larger_than_the_neighbour_search_grows_whole(size):
    """A fact of many more claims than ``neighbours`` has each claim linked to only a few of it: its pieces
    are linked as densely to each other as inside themselves, and they merge; another fact linked to it by
    a few near neighbours stays apart (as it does when the facts are small)."""
    from reconcile.cluster import _Linkage

    params = ClusterParams(neighbours=15)
    block, truth, ei, ej, d = _linked_facts([size, size], k=8, near=0.3, cross=size // 4, far=0.5)
    state = _Linkage(block, params, None)
    state.add_many(ei, ej, d)
    state.run(lambda a, b: True)
    clusters = sorted(sorted(ms) for ms in state.members.values())
    assert len(clusters) == 2
    assert all(len(set(truth[ms].tolist())) == 1 for ms in clusters)
    # the merge loop's own arithmetic and ``_average`` agree: no pair left unmerged is within the threshold
    assert all(state.average(a, b) > params.threshold for a in state.members for b in state.nbr[a])
