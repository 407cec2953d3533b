"""The sum check: a total told with its parts in one sentence of a document."""

from __future__ import annotations

from reconcile.checks import sum as sum_check
from reconcile.model import Fact

from ..builders import claim, context, params


def _facts(part_sentences: tuple[int, int], parts: tuple[float, float] = (1000, 5000)):
    total = claim(0, 6000, "a")
    p1 = claim(1, parts[0], "a", sentence_start=part_sentences[0])
    p2 = claim(2, parts[1], "a", sentence_start=part_sentences[1])
    facts = [Fact("F0", "total", ["c0"], "people", value=6000), Fact("F1", "eins", ["c1"], "people", value=parts[0]),
             Fact("F2", "zwei", ["c2"], "people", value=parts[1])]
    return context([total], fact=facts[0], facts=facts, claims_by_id={c.id: c for c in (total, p1, p2)})


def test_parts_in_one_sentence_that_add_up():
    [hit] = sum_check.check(_facts((50, 50)), params("sum"))
    assert hit.values == {"total": "6,000", "parts": "1,000 + 5,000", "labels": "eins; zwei"}
    assert [c.id for c in hit.claims] == ["c0", "c1", "c2"]


def test_parts_of_two_sentences_or_a_wrong_sum_are_no_breakdown():
    assert sum_check.check(_facts((50, 80)), params("sum")) == []
    assert sum_check.check(_facts((50, 50), (1000, 4000)), params("sum")) == []
    assert len(sum_check.check(_facts((50, 50), (1000, 4900)), params("sum", tolerance=0.02))) == 1


def test_a_full_run_finds_the_breakdown_before_values_are_set():
    # pipeline.judge runs the rules before judge_facts sets the facts' values: the check reads the claims
    from reconcile.config import Config
    from reconcile.pipeline import judge

    from ..builders import documents

    cs = [claim(0, 6000, "a"), claim(1, 6000, "b"), claim(2, 1000, "a", sentence_start=50),
          claim(3, 5000, "a", sentence_start=50), claim(4, 5000, "b", sentence_start=70)]
    facts = [Fact("F0", "total", ["c0", "c1"], "people"), Fact("F1", "eins", ["c2"], "people"),
             Fact("F2", "zwei", ["c3", "c4"], "people")]
    findings, _ = judge(facts, cs, documents("a", "b"), Config())
    assert [(fd.rule, fd.fact) for fd in findings if fd.rule == "NU04"] == [("NU04", "F0")]
    assert facts[0].value == 6000  # set after the rules, by judge_facts


def test_the_figure_most_documents_state():
    assert sum_check.figure([claim(0, 10, "a"), claim(1, 12, "b"), claim(2, 12, "c"), claim(3, 10, "a")]) == 12
    assert sum_check.figure([claim(0, 10, "a"), claim(1, 12, "b")]) == 10
    assert sum_check.figure([claim(0, 9, "a", modality="planned"), claim(1, 12, "b")]) == 12
    assert sum_check.figure([]) is None
