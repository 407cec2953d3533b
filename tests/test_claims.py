"""Claims on the seeds (against the gold file) and on English translations of seed passages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reconcile.claims import extract_claims
from reconcile.ingest import parse_text

EN_TEXT = """North Korea: prestige through the alliance with Russia
July 2, 2025
Sergei Shoigu, head of Russia's Security Council, announced in May that Kim Jong Un had agreed to send another 6,000 military engineers and workers to the Kursk region.
According to NIS information, North Korea has so far delivered more than 10 million artillery shells and rockets to Russia.
Western intelligence services estimate that of the roughly 11,000 North Korean soldiers deployed so far, about 6,000 were killed, wounded or captured.
"""


def test_english_claims():
    doc = parse_text(EN_TEXT, "en1", "en1.txt")
    assert doc.language == "en"
    cs = {c.surface: c for c in extract_claims(doc)}
    assert cs["6,000 military"[:5]].value == 6000
    assert cs["10 million"].low == 10_000_001 and cs["10 million"].high is None
    assert cs["10 million"].attribution and "NIS" in cs["10 million"].attribution
    assert cs["11,000"].low == 10500 and cs["11,000"].high == 11500
    assert cs["11,000"].counted == "soldier"
    assert cs["6,000"].modality in ("planned", "estimated")


def test_seed_modality_examples(seeds_result):
    by = {(c.document[:3], c.surface): c for c in seeds_result.claims}
    assert by[("002", "12.000")].modality == "planned"
    assert by[("002", "1.500")].modality == "reported"
    assert by[("004", "10.000")].attribution.startswith("Südkoreanischen")
    assert by[("001", "6.000")].modality in ("estimated", "hypothetical")
    assert by[("000", "1.000")].attribution.endswith("Tass")


_CASES = yaml.safe_load((Path(__file__).parent / "data" / "claim_cases.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _CASES, ids=[c["name"] for c in _CASES])
def test_claim_case(case):
    """Each case of tests/data/claim_cases.yml: the named fields of each figure's claim."""
    from reconcile.claims import extract_claims
    from reconcile.ingest import parse_text

    doc = parse_text(case["text"], "case", "case.txt")
    doc.language = case["lang"]
    got = {c.surface: c for c in extract_claims(doc)}
    for surface, want in case["claims"].items():
        assert surface in got, (surface, sorted(got))
        c = got[surface]
        for key, value in want.items():
            if key == "attribution_not":
                assert c.attribution is None or value not in c.attribution, c.attribution
            elif key == "attribution_contains":
                assert c.attribution and value in c.attribution, c.attribution
            elif key.endswith("_not"):  # "predicate_not": the field is anything but this
                assert getattr(c, key[:-4]) != value, (surface, key, getattr(c, key[:-4]))
            else:
                assert getattr(c, key) == value, (surface, key, getattr(c, key))


@pytest.mark.parametrize("before,quote,lang,speaker", [
    ("Gesundheitsminister Karl Lauterbach sagte am Montag in Berlin, die Lage sei ernst.",
     "„Wir zählen 300 neue Fälle“, sagte er.", "de", "Gesundheitsminister Karl Lauterbach"),
    ("Gesundheitsminister Karl Lauterbach sagte am Montag in Berlin, die Lage sei ernst.",
     "„Wir zählen jeden Tag 300 neue Fälle in den Kliniken.“", "de", "Gesundheitsminister Karl Lauterbach"),
    ("Mayor John Smith said on Monday that the city was ready.", "\"We have 300 new buses,\" he said.", "en",
     "Mayor John Smith"),
    ("Am Montag war die Lage in Berlin ernst.", "„Wir zählen jeden Tag 300 neue Fälle in den Kliniken.“", "de", None),
])
def test_quotation_takes_the_speaker_of_a_sentence_without_figures(before, quote, lang, speaker):
    """A figure in a quotation, or after "sagte er", is attributed to the speaker a sentence before it names, though
    that sentence holds no figure of its own (its cues are read only when the figure asks)."""
    doc = parse_text(f"{before} {quote}", "q", "q.txt", None, [{"language": lang}])
    assert [(c.surface, c.attribution) for c in extract_claims(doc)] == [("300", speaker)]
