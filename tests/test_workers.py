"""Local worker processes for extraction (``reconcile.workers``): the same claims as in process, in order."""

from __future__ import annotations

import os

import pytest

import reconcile.workers as workers
from reconcile.claims import extract_claims
from reconcile.lexicon import load_lexicon
from reconcile.model import Document
from reconcile.workers import MIN_DOCUMENTS, extract_documents, worker_count

from .conftest import SEEDS

_TEXTS = [
    ("de", "Die Polizei nahm am Samstag rund {n}0 Demonstranten fest. Laut Veranstaltern kamen {n}.000 Menschen."),
    ("en", "About {n}00 people were evacuated, officials said on Monday. At least {n} houses burned down."),
]


def _corpus(n: int) -> list[Document]:
    out = []
    for i in range(n):
        lang, text = _TEXTS[i % 2]
        out.append(Document(f"d{i:03d}", f"d{i:03d}.txt", text.format(n=i + 2), language=lang, outlet=f"o{i % 5}"))
    return out


def test_worker_processes_give_the_claims_of_extracting_in_process_in_document_order():
    docs, lex = _corpus(24), load_lexicon()
    forked = list(extract_documents(docs, lex, jobs=2))
    assert forked == [(extract_claims(d, lex), None) for d in docs]
    assert all(claims and claims[0].document == d.id for (claims, _), d in zip(forked, docs))


def test_a_worker_that_dies_loses_no_document(monkeypatch):
    """A worker killed mid-run (here: it exits on one document): every document still comes back, once."""
    parent, real = os.getpid(), extract_claims

    def dies_in_a_worker(doc, lex):
        if doc.id == "d005" and os.getpid() != parent:
            os._exit(3)
        return real(doc, lex)

    monkeypatch.setattr(workers, "extract_claims", dies_in_a_worker)
    docs, lex = _corpus(16), load_lexicon()
    out = list(extract_documents(docs, lex, jobs=2))
    assert [c[0].document for c, _ in out] == [d.id for d in docs]
    assert out == [(real(d, lex), None) for d in docs]


def test_a_document_whose_extraction_raises_gives_its_problem_and_the_rest_go_on(monkeypatch):
    real = extract_claims

    def raises(doc, lex):
        if doc.id == "d002":
            raise ValueError("bad bytes")
        return real(doc, lex)

    monkeypatch.setattr(workers, "extract_claims", raises)
    out = list(extract_documents(_corpus(6), load_lexicon(), jobs=2))
    assert out[2] == ([], "extraction failed: ValueError: bad bytes")
    assert all(claims and problem is None for i, (claims, problem) in enumerate(out) if i != 2)


@pytest.mark.parametrize(("jobs", "documents", "expected"), [
    (1, 5000, 1), (4, 3, 3), (2, 1, 1), (3, 100, 3), (0, MIN_DOCUMENTS - 1, 1),
])
def test_worker_count(jobs, documents, expected):
    assert worker_count(jobs, documents) == expected


def test_jobs_zero_uses_every_core_for_a_large_corpus():
    cores = len(os.sched_getaffinity(0))
    assert worker_count(0, MIN_DOCUMENTS) == cores


def test_the_extract_stage_on_two_processes_equals_one():
    """``pipeline.extract`` with ``jobs = 2`` (forced: the seeds are fewer than MIN_DOCUMENTS) gives the same claims."""
    from reconcile.config import Config
    from reconcile.pipeline import RunResult, extract, ingest

    runs = []
    for jobs in (1, 2):
        result = RunResult()
        ingest([str(SEEDS)], Config(jobs=jobs), result)
        extract(result, Config(jobs=jobs))
        runs.append(result)
    assert runs[0].claims and runs[0].claims == runs[1].claims and runs[0].errors == runs[1].errors == []
