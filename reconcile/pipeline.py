"""Run the stages in order: ingest -> claims -> embed -> cluster -> judge (origins, reliability, rules, verdicts).

The library never prints: progress goes to an optional callback, problems into ``RunResult.errors``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.cluster import ClusterParams, cluster_claims
from reconcile.config import Config
from reconcile.embed import Embedder, counted_embeddings
from reconcile.ingest import read_inputs
from reconcile.lexicon import load_lexicon
from reconcile.model import Claim, Document, Fact, Finding, InputError
from reconcile.workers import extract_documents

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


def _unique(doc: Document, seen: dict[str, str], result: RunResult) -> Document | None:
    """``doc``, or under its file's name when another input file holds its id (JSON Lines files that each
    number their records 1, 2, ...: a warning); None, an error, when the id repeats within one file."""
    first, source = seen.get(doc.id), _input_file(doc)
    if first is not None and first != source:
        qualified = f"{Path(source).stem}/{doc.id}"
        if qualified not in seen:
            if not any(w.path == source and w.problem.startswith("ids that") for w in result.warnings):
                result.warnings.append(InputError(source, f"ids that other input files hold are read as "
                                                          f"'{Path(source).stem}/ID' (first: {doc.id!r}, "
                                                          f"held by {first})"))
            doc = replace(doc, id=qualified)
            first = None
    if first is not None:
        result.errors.append(InputError(doc.path, f"duplicate document id {doc.id!r}; skipped"))
        return None
    seen[doc.id] = source
    return doc


def ingest(paths: Iterable[str], config: Config, result: RunResult) -> None:
    """Read the inputs into ``result.documents`` (sorted by id); unreadable inputs and duplicate ids are errors."""
    lex = load_lexicon(config.rules_dirs)
    t = time.perf_counter()
    seen: dict[str, str] = {}  # document id -> the input file it came from
    for item in read_inputs(paths, lex, warnings=result.warnings):
        if isinstance(item, InputError):
            result.errors.append(item)
        elif (doc := _unique(item, seen, result)) is not None:
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
    from reconcile.rules import load_rules, run_rules

    params = ConfidenceParams.from_config(config)
    rules = load_rules(config)
    origins = fact_origins(facts, claims, docs, params)
    reliability = learn_reliability(facts, claims, docs, origins, params)
    findings = run_rules(rules, facts, claims, docs, config, origins)
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
    """Group the claims of ``result`` into facts."""
    t = time.perf_counter()
    if progress:
        progress("cluster", 0, 1)
    emb = result.embeddings if len(result.claims) else np.zeros((0, 512))
    result.facts = cluster_claims(result.claims, emb, ClusterParams(threshold=config.cluster_threshold),
                                  load_lexicon(config.rules_dirs), result.counted)
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
