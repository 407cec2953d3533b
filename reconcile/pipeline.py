"""Run the stages in order: ingest -> claims -> embed -> cluster -> judge (origins, reliability, rules, verdicts).

The library never prints: progress goes to an optional callback, problems into ``RunResult.errors``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from reconcile.cluster import ClusterParams, cluster_claims
from reconcile.config import Config
from reconcile.embed import Embedder, counted_embeddings
from reconcile.ingest import read_inputs
from reconcile.lexicon import load_lexicon
from reconcile.model import Claim, Document, Fact, Finding, InputError
from reconcile.workers import extract_documents, judge_rules

__all__ = ["RunResult", "run", "analyse", "extract", "embed", "cluster", "judge", "Progress"]

Progress = Callable[[str, int, int], None]


@dataclass
class RunResult:
    """Everything one run produced, in the shared data model."""

    documents: list[Document] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    reliability: dict[str, float] = field(default_factory=dict)
    embeddings: Any = None
    counted: Any = None  # embeddings of the claims' counted phrases (zero rows where none)


def _input_file(doc: Document) -> str:
    """The file a document was read from: its path, without the line number of a JSON Lines record."""
    head, _, line = doc.path.rpartition(":")
    return head if head and line.isdigit() else doc.path


def _file_labels(files: set[str]) -> dict[str, str]:
    """Each file's path relative to the folder the files share, without its extension ('-' is stdin)."""
    real = sorted(f for f in files if f != "-")
    root = os.path.commonpath([os.path.dirname(os.path.abspath(f)) for f in real]) if real else ""
    labels = {f: os.path.splitext(os.path.relpath(os.path.abspath(f), root))[0].replace(os.sep, "/") for f in real}
    return {**labels, **({"-": "stdin"} if "-" in files else {})}


def _qualified(docs: list[Document], warnings: list[InputError]) -> list[Document]:
    """``docs``, with every id that several input files hold read as '<file>/<id>' in each of them (JSON Lines
    files that each number their records 1, 2, ...), one warning per such file. The same files give the same
    ids whatever order they are read in."""
    files: dict[str, set[str]] = {}
    for d in docs:
        files.setdefault(d.id, set()).add(_input_file(d))
    shared = {i for i, held in files.items() if len(held) > 1}
    if not shared:
        return docs
    labels = _file_labels({f for i in shared for f in files[i]})
    for f, label in sorted(labels.items()):
        warnings.append(InputError(f, f"ids that other input files hold too are read as '{label}/ID'"))
    return [replace(d, id=f"{labels[_input_file(d)]}/{d.id}") if d.id in shared else d for d in docs]


def ingest(paths: Iterable[str], config: Config, result: RunResult) -> None:
    """Read the inputs into ``result.documents`` (sorted by id); unreadable inputs and duplicate ids are errors."""
    lex = load_lexicon(config.rules_dirs)
    t = time.perf_counter()
    read: list[Document] = []
    for item in read_inputs(paths, lex, warnings=result.warnings):
        if isinstance(item, InputError):
            result.errors.append(item)
        else:
            read.append(item)
    seen: set[str] = set()
    for doc in _qualified(read, result.warnings):
        if doc.id in seen:
            result.errors.append(InputError(doc.path, f"duplicate document id {doc.id!r}; skipped"))
        else:
            seen.add(doc.id)
            result.documents.append(doc)
    result.documents.sort(key=lambda d: d.id)
    result.timings["ingest"] = time.perf_counter() - t


def judge(facts: list[Fact], claims: list[Claim], docs: dict[str, Document],
          config: Config) -> tuple[list[Finding], dict[str, float]]:
    """Judge the facts: findings, and the learned outlet reliability.

    Four steps, each once: independent origins per fact; outlet reliability learned from them; the rules
    over every fact; then verdicts (from the rules' ``verdict:``), values, confidence and explanations.
    """
    from reconcile.confidence import ConfidenceParams, fact_origins, judge_facts, learn_reliability
    from reconcile.rules import load_rules

    params = ConfidenceParams.from_config(config)
    rules = load_rules(config)
    origins = fact_origins(facts, claims, docs, params)
    reliability = learn_reliability(facts, claims, docs, origins, params)
    findings = judge_rules(rules, facts, claims, docs, config, origins)  # on config.jobs local processes
    judge_facts(facts, claims, docs, findings, reliability, origins, params)
    return findings, reliability


def extract(result: RunResult, config: Config, progress: Progress | None = None) -> None:
    """The claims of every document of ``result`` (on ``config.jobs`` local processes, ``reconcile.workers``);
    a document that fails is an input error, not a crash."""
    lex = load_lexicon(config.rules_dirs)
    t = time.perf_counter()
    outcomes = extract_documents(result.documents, lex, config.jobs)
    for i, (doc, (claims, problem)) in enumerate(zip(result.documents, outcomes)):
        result.claims.extend(claims)
        if problem:
            result.errors.append(InputError(doc.path, problem))
        if progress:
            progress("extract", i + 1, len(result.documents))
    result.timings["extract"] = time.perf_counter() - t


def embed(result: RunResult, config: Config, embedder: Embedder | None = None,
          progress: Progress | None = None) -> Embedder:
    """Embed each claim's identifying text and its counted phrase (the embedder, loaded once, is returned)."""
    t = time.perf_counter()
    embedder = embedder or Embedder(config.model, use_cache=config.cache)
    result.embeddings = embedder.encode([c.key_text for c in result.claims],
                                        progress=(lambda d, n: progress("embed", d, n)) if progress else None)
    result.counted = counted_embeddings(embedder, result.claims) if result.claims else None
    result.timings["embed"] = time.perf_counter() - t
    return embedder


def cluster(result: RunResult, config: Config, progress: Progress | None = None) -> None:
    """Group the claims of ``result`` into facts (the blocks on ``config.jobs`` local processes)."""
    t = time.perf_counter()
    if progress:
        progress("cluster", 0, 1)
    emb = result.embeddings if len(result.claims) else np.zeros((0, 512))
    result.facts = cluster_claims(result.claims, emb, ClusterParams(threshold=config.cluster_threshold),
                                  load_lexicon(config.rules_dirs), result.counted, config.jobs)
    if progress:
        progress("cluster", 1, 1)
    result.timings["cluster"] = time.perf_counter() - t


def analyse(result: RunResult, config: Config, embedder: Embedder | None = None,
            progress: Progress | None = None) -> RunResult:
    """Extract, embed, cluster and judge the documents already in ``result``."""
    extract(result, config, progress)
    embed(result, config, embedder, progress)
    cluster(result, config, progress)
    t = time.perf_counter()
    if progress:
        progress("rules", 0, 1)
    docs = {d.id: d for d in result.documents}
    result.findings, result.reliability = judge(result.facts, result.claims, docs, config)
    if progress:
        progress("rules", 1, 1)
    result.timings["rules"] = time.perf_counter() - t
    return result


def run(paths: Iterable[str], config: Config, embedder: Embedder | None = None,
        progress: Progress | None = None) -> RunResult:
    """The whole pipeline on ``paths``."""
    result = RunResult()
    ingest(paths, config, result)
    return analyse(result, config, embedder, progress)
