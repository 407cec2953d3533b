"""The rules engine: load rule files, validate them, run their check kinds over facts.

One rule per file, ``rules/<group>/<CODE>.yml``, validated by ``schemas/rule.schema.json`` plus the
parameter schema of the check kind it ``extends``. A user folder (``--rules DIR`` or ``rules`` in the
config) adds rules; ``[tool.reconcile.rule.CODE]`` changes a rule's level, parameters or ``enabled``.
Messages are templates with named fields only (``{label}``): no format specs, conversions, attribute or
index access, rejected when the rule is loaded; they are filled by plain substitution, nothing is evaluated.
A rule's ``verdict`` (default: its check kind's) is the verdict its hits give the fact.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from reconcile.checks import DRAFT_KINDS, KINDS, Context
from reconcile.config import Config
from reconcile.lexicon import default_rules_dir, load_lexicon
from reconcile.model import Claim, Document, Fact, Finding
from reconcile.yamlio import load_yaml

__all__ = ["Rule", "RuleError", "load_rules", "load_rule_file", "run_rules", "run_draft_rules", "fingerprint",
           "fact_key", "LEVEL_ORDER", "check_message", "fill_message"]

LEVEL_ORDER = {"info": 0, "warning": 1, "error": 2}
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RuleError(ValueError):
    """A rule file is malformed or unknown; the message names the file and the field."""


@dataclass
class Rule:
    """One loaded rule: its file's fields, the check kind it extends with validated parameters, and the
    verdict its hits give a fact (the rule file's ``verdict``, else its check kind's)."""

    code: str
    name: str
    level: str
    message: str
    description: str
    kind: str
    params: dict[str, Any]
    path: str
    enabled: bool = True
    verdict: str | None = None


def _schema() -> dict[str, Any]:
    return json.loads(resources.files("reconcile").joinpath("schemas/rule.schema.json").read_text())


def _validate_params(kind: str, params: dict[str, Any], where: str) -> dict[str, Any]:
    mod = KINDS[kind]
    schema = {"type": "object", "properties": mod.PARAMS, "additionalProperties": False}
    try:
        jsonschema.validate(params, schema)
    except jsonschema.ValidationError as exc:
        field = ".".join(str(p) for p in exc.absolute_path) or "params"
        raise RuleError(f"{where}: params.{field}: {exc.message}") from exc
    return {**mod.DEFAULTS, **params}


def load_rule_file(path: Path) -> Rule:
    """One rule file, validated (schema, check kind, parameters, message template); errors name the file and field."""
    where = str(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{where}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"{where}: malformed YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{where}: a rule file must be a mapping")
    try:
        jsonschema.validate(data, _schema())
    except jsonschema.ValidationError as exc:
        field = ".".join(str(p) for p in exc.absolute_path) or (
            exc.message.split("'")[1] if exc.validator == "required" else "rule")
        raise RuleError(f"{where}: field {field}: {exc.message}") from exc
    if data["extends"] not in KINDS:
        raise RuleError(f"{where}: field extends: unknown check kind {data['extends']!r}; "
                        f"known: {', '.join(sorted(KINDS))}")
    if path.stem != data["code"]:
        raise RuleError(f"{where}: field code: {data['code']!r} does not match the file name {path.name}")
    check_message(data["message"], where)
    params = _validate_params(data["extends"], data.get("params") or {}, where)
    verdict = data["verdict"] if "verdict" in data else getattr(KINDS[data["extends"]], "VERDICT", None)
    return Rule(data["code"], data["name"], data["level"], data["message"], data["description"], data["extends"],
                params, where, data.get("enabled", True), verdict)


def check_message(message: str, where: str) -> None:
    """A message is text with ``{name}`` fields only: a format spec, a conversion, ``{a.b}`` or ``{a[0]}``
    would let a rule file run attribute lookups or blow a report up (``{label:>300000000}``)."""
    try:
        parts = list(string.Formatter().parse(message))
    except ValueError as exc:
        raise RuleError(f"{where}: field message: {exc}") from exc
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not _FIELD.fullmatch(name):
            raise RuleError(f"{where}: field message: {{{name}}} is not a plain field name (no positional fields, "
                            "attribute or index access)")
        if spec or conversion:
            raise RuleError(f"{where}: field message: {{{name}}} has a format spec or conversion; only {{name}} "
                            "fields are allowed")


def fill_message(message: str, values: dict[str, Any]) -> str:
    """The message with each ``{name}`` replaced by its value as text; unknown fields stay as written."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(message):
        out.append(literal)
        if name is not None:
            out.append(str(values[name]) if name in values else "{" + name + "}")
    return "".join(out)


def _load_rule_once(path: Path) -> Rule:
    """``load_rule_file`` once per file version (path, size, mtime): the schema check is a third of a check's
    CPU in a long-running process. A copy, as the config's overrides change the rule it returns."""
    st = path.stat()
    return copy.deepcopy(_load_rule_version(str(path), st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=1024)
def _load_rule_version(path: str, size: int, mtime_ns: int) -> Rule:
    """The parsed and validated rule of one file version (the cache key's size and mtime say which)."""
    return load_rule_file(Path(path))


def load_rules(config: Config | None = None, extra_dirs: list[str] | None = None) -> list[Rule]:
    """The packaged rules, the user's rule folders, then the config's per-rule overrides."""
    config = config or Config()
    dirs = [default_rules_dir(), *[Path(d) for d in (config.rules_dirs + (extra_dirs or []))]]
    rules: dict[str, Rule] = {}
    for d in dirs:
        if not d.is_dir():
            raise RuleError(f"{d}: rules folder does not exist")
        for p in sorted(d.glob("*/*.yml")):
            if p.parent.name == "lexicon":
                continue
            r = _load_rule_once(p)
            rules[r.code] = r
    for code, over in config.rule_overrides.items():
        where = f"{config.source or 'config'} [rule.{code}]"
        if code not in rules:
            raise RuleError(f"{where}: unknown rule {code}")
        r = rules[code]
        for key, val in over.items():
            if key == "level":
                if val not in LEVEL_ORDER:
                    raise RuleError(f"{where}: field level: must be info, warning or error")
                r.level = val
            elif key == "enabled":
                if not isinstance(val, bool):
                    raise RuleError(f"{where}: field enabled: must be true or false")
                r.enabled = val
            else:
                r.params = _validate_params(r.kind, {**{k: v for k, v in r.params.items() if k in KINDS[r.kind].PARAMS},
                                                     key: val}, where)
    return [rules[k] for k in sorted(rules)]


def fingerprint(rule: str, fact_key: str, claims: list[Claim]) -> str:
    """Hash of what a finding is about: the rule, the fact, the normalised claims. Never a position."""
    norm = sorted(f"{c.document}|{(c.counted or '').lower()}|{c.value:g}|{c.hedge or ''}|{c.unit or ''}"
                  for c in claims)
    h = hashlib.sha256("\x1f".join([rule, fact_key, *norm]).encode("utf-8"))
    return h.hexdigest()[:32]


def fact_key(fact: Fact, claims: list[Claim]) -> str:
    """A description of the fact that survives edits: its counted things and unit class."""
    things = sorted({(c.counted_group or (c.counted or "").lower()) for c in claims})
    return fact.unit_class + ":" + ",".join(things)


def run_rules(rules: list[Rule], facts: list[Fact], claims: list[Claim], docs: dict[str, Document],
              config: Config | None = None, origins: dict[str, dict[str, str]] | None = None,
              only: set[str] | None = None) -> list[Finding]:
    """Every enabled rule (but the draft rules) on every fact; ``origins`` as from ``fact_origins``.

    ``only``: the ids of the facts to judge; the other facts are context (an incremental index run judges
    the facts that changed among the facts of their documents).
    """
    from reconcile.confidence import origins_for

    dirs = tuple((config or Config()).rules_dirs)
    lex = load_lexicon(dirs)
    by_id = {c.id: c for c in claims}
    findings: list[Finding] = []
    by_document: dict[str, list[Fact]] = {}
    shared: dict[str, Any] = {}
    for fact in facts:
        for d in dict.fromkeys(by_id[cid].document for cid in fact.claims):
            by_document.setdefault(d, []).append(fact)
    for fact in facts:
        if only is not None and fact.id not in only:
            continue
        fc = [by_id[cid] for cid in fact.claims]
        origin = origins[fact.id] if origins is not None else origins_for(fc, docs)
        ctx = Context(fact, fc, docs, origin, facts, by_id, facts_by_document=by_document, shared=shared, lex=lex,
                      rules_dirs=dirs)
        fk = fact_key(fact, fc)
        fact.rules = []
        for rule in rules:
            if not rule.enabled or rule.kind in DRAFT_KINDS:
                continue
            for hit in KINDS[rule.kind].check(ctx, rule.params):
                msg = fill_message(rule.message, {"label": fact.label, **hit.values})
                findings.append(Finding(rule.code, rule.name, rule.level, fact.id, [c.id for c in hit.claims], msg,
                                        fingerprint(rule.code, fk + "|" + hit.key, hit.claims), dict(hit.values),
                                        verdict=rule.verdict))
                if rule.code not in fact.rules:
                    fact.rules.append(rule.code)
    return findings


def run_draft_rules(rules: list[Rule], matches: list[tuple[Fact, list[Claim]]], claims: list[Claim],
                    docs: dict[str, Document], config: Config | None = None) -> list[Finding]:
    """The draft rules on each archive fact with the draft claims matched to it.

    A draft claim that matched nothing comes as a fact of its own with no archive claims.
    """
    from reconcile.confidence import origins_for

    dirs = tuple((config or Config()).rules_dirs)
    lex = load_lexicon(dirs)
    by_id = {c.id: c for c in claims}
    findings: list[Finding] = []
    for fact, draft in matches:
        fc = [by_id[cid] for cid in fact.claims if cid in by_id]
        ctx = Context(fact, fc, docs, origins_for(fc, docs), [], by_id, draft, lex=lex, rules_dirs=dirs)
        fk = fact_key(fact, fc or draft)
        for rule in rules:
            if not rule.enabled or rule.kind not in DRAFT_KINDS:
                continue
            for hit in KINDS[rule.kind].check(ctx, rule.params):
                msg = fill_message(rule.message, {"label": fact.label, **hit.values})
                findings.append(Finding(rule.code, rule.name, rule.level, fact.id, [c.id for c in hit.claims], msg,
                                        fingerprint(rule.code, fk + "|" + hit.key, hit.claims), dict(hit.values)))
    return findings
