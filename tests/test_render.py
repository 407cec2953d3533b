"""The human-readable reports: what a fact-checker reads (terminal layout, labels, hedges, origins)."""

from __future__ import annotations

import copy

import pytest
from rich.console import Console

from reconcile.labels import fact_label, record_label
from reconcile.render.common import (CONFIDENCE_NOTE, as_written, claims_by_id, docs_by_id, figures_text,
                                     origins_text, strip_footnotes)
from reconcile.render.terminal import renderables
from reconcile.report import build_record


@pytest.fixture(scope="module")
def record(seeds_result):
    return build_record(seeds_result)


def _text(record, width: int, **kw) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    for r in renderables(record, **kw):
        console.print(r)
    return console.export_text()


def test_as_written_keeps_the_hedge():
    assert as_written({"surface": "$250,000", "hedge": "more than", "counted_text": None}) == "more than $250,000"
    assert as_written({"surface": "10.000", "hedge": "mehr als", "counted_text": "Soldaten"}) == \
        "mehr als 10.000 Soldaten"
    assert as_written({"surface": "mehrere Tausend", "hedge": "mehrere", "counted_text": "Soldaten"}) == \
        "mehrere Tausend Soldaten"
    assert as_written({"surface": "Tausenden", "hedge": "vague", "counted_text": "Minenräumern"}) == \
        "Tausenden Minenräumern"


def test_terminal_shows_hedges_conflict_range_and_what_confidence_means(record):
    out = _text(record, 160)
    hedged = [c for c in record["claims"] if c["hedge"] and c["hedge"] != "vague" and c["hedge"] not in c["surface"]]
    assert hedged and all(as_written(c) in out for c in hedged)
    conflict = next(f for f in record["facts"] if f["verdict"] == "conflict")
    claims, docs = claims_by_id(record), docs_by_id(record)
    values = sorted(claims[c]["value"] for c in conflict["claims"])
    line = "Figures " + figures_text(conflict, claims, docs)
    assert f"{values[0]:,.0f} to {values[-1]:,.0f}" in line and " ".join(line.split()[:4]) in " ".join(out.split())
    assert CONFIDENCE_NOTE.split()[0] in out and "¹" in out and "independent origins" in " ".join(out.split())


def test_labels_come_from_the_counted_phrase_and_the_action(record):
    claims = claims_by_id(record)
    conflict = next(f for f in record["facts"] if f["verdict"] == "conflict")
    assert record_label(conflict, claims) == "Soldaten · schicken"
    english = [{"language": "en", "counted": "soldier", "counted_text": "soldiers", "predicate": "send",
                "subject": "Hunter", "unit": None},
               {"language": "en", "counted": None, "counted_text": "earlier", "predicate": "send", "subject": "Lee",
                "unit": None}]
    assert fact_label(english) == "soldiers · send"
    money = [{"language": "en", "counted": None, "counted_text": None, "predicate": "accuse", "subject": "Dreams",
              "unit": "USD"}]
    assert fact_label(money) == "amount in USD · accuse"


def test_at_100_columns_the_figures_stand_on_one_line(record):
    out = _text(record, 100)
    lines = out.splitlines()
    written = [as_written(c) for c in record["claims"]]
    whole = [w for w in written if any(w in line for line in lines)]
    assert len(whole) >= 0.8 * len(written), set(written) - set(whole)


def test_at_160_columns_the_panels_share_column_widths(record):
    lines = _text(record, 160).splitlines()
    heads = [line for line in lines if "As written" in line and "Source" in line]
    assert len(heads) >= 5
    assert len({(h.index("Date"), h.index("As written"), h.index("Modality"), h.index("Attribution"))
                for h in heads}) == 1


def test_an_origin_of_many_copies_lists_a_few_names(record):
    names = [f"copy-{i:02d}.txt" for i in range(65)]
    assert origins_text([" / ".join(names), "Reuters"]) == \
        "copy-00.txt / copy-01.txt / copy-02.txt and 62 more; Reuters"
    assert origins_text([{"name": "AP", "claims": ["c1"]}]) == "AP"
    rec = copy.deepcopy(record)
    conflict = next(f for f in rec["facts"] if f["verdict"] == "conflict")
    conflict["origins"] = [" / ".join(names)] + conflict["origins"][1:]
    out = " ".join(_text(rec, 160).split())
    assert "and 62 more" in out and "copy-10.txt" not in out


def test_quiet_report_shows_only_facts_with_findings(record):
    out = _text(record, 160, quiet=True)
    assert "Status:" not in out and CONFIDENCE_NOTE.split()[0] + " (0" not in out
    assert out.count("╭─") == sum(1 for f in record["facts"] if f["rules"])


def test_footnote_markup_is_taken_out_of_quotes():
    assert strip_footnotes("Die Verluste[2][Die hohen Verluste] sind hoch.[3]") == "Die Verluste sind hoch."
    assert strip_footnotes("Im Jahr [2024] kamen 5 Leute.") == "Im Jahr [2024] kamen 5 Leute."


def _fact_with(record, values_dates):
    """A copy of the record whose conflict fact has these (value, as_of) claims."""
    rec = copy.deepcopy(record)
    f = next(f for f in rec["facts"] if f["verdict"] == "conflict")
    claims = claims_by_id(rec)
    f["claims"] = f["claims"][:len(values_dates)]
    for cid, (v, when) in zip(f["claims"], values_dates):
        claims[cid].update(value=v, low=v, high=v, as_of=when)
    f["value"] = f["low"] = f["high"] = values_dates[0][0]
    return rec, f


def _svg_texts(svg: str) -> list[str]:
    import re

    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_html_chart_titles_axes_dates_and_relative_difference(record):
    from reconcile.render.html import _plot, source_colours

    rec, f = _fact_with(record, [(43000, "2025-06-02"), (43350, "2025-06-10"), (43100, "2025-06-25")])
    svg = _plot(f, claims_by_id(rec), docs_by_id(rec), source_colours(rec))
    texts = _svg_texts(svg)
    assert "difference from the reconciled figure (%)" in texts and "as of" in texts
    assert any(t.startswith("figure as given") for t in texts)
    # the value axis is at least 20% of the figure wide: $43,000 and $43,350 are drawn close together
    ticks = sorted(float(t.replace(",", "")) for t in texts if t.replace(",", "").isdigit() and len(t) >= 5)
    assert ticks[-1] - ticks[0] >= 0.15 * 43000
    # readable dates: no two date ticks alike (once "2025-06 2025-06 2025-06")
    dates = texts[texts.index("figure as given (dashed: reconciled)") + 4:texts.index("as of")]
    assert dates and len(set(dates)) == len(dates), dates


def test_no_chart_for_a_single_figure(record):
    from reconcile.render.html import _plot, source_colours

    rec, f = _fact_with(record, [(11000, None)])
    assert _plot(f, claims_by_id(rec), docs_by_id(rec), source_colours(rec)) == ""


def test_html_overview_legend_and_clean_quotes(record):
    from reconcile.render import render_text

    rec = copy.deepcopy(record)
    rec["claims"][0]["sentence"] = rec["claims"][0]["sentence"].rstrip(".") + "[2][Die hohen Verluste]."
    page = render_text(rec, "html")
    assert page.index('class="overview"') < page.index("<section")
    contested = [f for f in rec["facts"] if f["verdict"] in ("conflict", "update", "scope")]
    assert all(f'href="#{f["id"]}"' in page for f in contested)
    assert page.count('class="legend"') == sum(1 for f in rec["facts"] if len(f["claims"]) > 1)
    assert "[2][" not in page and CONFIDENCE_NOTE.split(":")[0] in page


def test_a_subject_shared_by_the_fact_stays_in_its_label_a_stray_one_does_not():
    base = {"language": "en", "counted": "quake", "counted_text": "miles north", "predicate": None, "unit": None}
    shared = [{**base, "subject": "Geyserville"}, {**base, "subject": "Geyserville"}, {**base, "subject": None}]
    assert fact_label(shared) == "miles north (Geyserville)"
    stray = [{**base, "subject": "Posted"}, {**base, "subject": None}]
    assert fact_label(stray) == "miles north"
