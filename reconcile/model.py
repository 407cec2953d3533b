"""The one data model that flows through every stage.

All offsets are Python string indices into ``Document.text``: the text exactly as read (the decoded
file, or a JSON Lines record's ``text``). Cleaned views map back to these indices (see ``textview``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Document", "Span", "Sentence", "Claim", "Fact", "Finding", "InputError", "MODALITIES",
    "VERDICTS", "LEVELS", "CORROBORATION",
]

MODALITIES = ("asserted", "reported", "estimated", "planned", "hypothetical")
VERDICTS = ("conflict", "update", "scope", "agree", "single")  # single: one document only (was "single-source")
CORROBORATION = ("independent", "one-origin", "copies")
LEVELS = ("info", "warning", "error")


@dataclass
class Span:
    """A marked region of a document: ``kind`` says why (``boilerplate``, ``metadata``, ``heading``)."""

    start: int
    end: int
    kind: str
    reason: str


@dataclass
class Document:
    """One article as read, with its metadata and the regions that are not its own claims."""

    id: str
    path: str
    text: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    agency: bool = False
    skipped: list[Span] = field(default_factory=list)
    content_hash: str = ""


@dataclass
class Sentence:
    """A sentence of a document's kept text; ``text`` is the cleaned view, ``start``/``end`` index the original."""

    document: str
    start: int
    end: int
    text: str
    index: int = 0


@dataclass(slots=True)  # slots: an archive holds hundreds of thousands of claims; a dict each doubles them
class Claim:
    """A quantity in a statement of fact: what is counted, who says so, how sure, as of when."""

    id: str
    document: str
    start: int
    end: int
    surface: str
    value: float
    low: float | None
    high: float | None
    unit: str | None
    unit_class: str
    hedge: str | None
    change: str
    counted: str | None
    counted_text: str | None
    modifiers: list[str]
    subject: str | None
    predicate: str | None
    attribution: str | None
    modality: str
    as_of: str | None
    cumulative: bool
    sentence: str
    sentence_start: int
    language: str
    key_text: str = ""  # the text embedded to identify the fact (number masked)
    counted_group: str | None = None
    places: list[str] = field(default_factory=list)  # where: proper names after a locative preposition
    actor: str | None = None  # who acts, as a key of rules/lexicon/entities.yml ("KP" for "Nordkorea", "Pyongyang")
    # scope qualifiers (what the figure is about, beyond the thing counted): filled by ``claims``, read by
    # the scope and update checks. ``group``: the population counted ("Geimpfte über 80", "federal workers");
    # ``window``: the time window as written ("bis Samstag", "in 2008", "seit März"); ``part_of``: the figure
    # is a stated part of a total ("davon", "of which", "in cash", "including").
    group: str | None = None
    window: str | None = None
    part_of: bool = False
    # the figure in its class's canonical unit (metres, kilograms, km/h, degrees Celsius; see units.yml):
    # "200 feet" and "60 metres" compare as 60.96 and 60 metres. None for counts, percent and money.
    unit_canonical: str | None = None
    value_canonical: float | None = None
    # "decrease": a percentage decline written with a minus ("minus 7,9 Prozent", "-2.4%"), valued by its
    # magnitude (7.9) as "fell by 7.9 percent" is; None otherwise (see ``quantities.RawQuantity``)
    direction: str | None = None
    # what a change is measured against (``qualifiers.basis_of``): "previous-period" ("gegenüber dem Vorquartal",
    # "quarter on quarter"), "year-earlier" ("im Vergleich zum Vorjahresquartal", "year on year"), else the
    # comparison as written in lower case ("im vergleich zum zweiten quartal 2019"); None when none is stated
    basis: str | None = None


@dataclass
class Fact:
    """A cluster of claims about one fact, and once reconciled, its verdict and confidence."""

    id: str
    label: str
    claims: list[str]
    unit_class: str
    verdict: str = "single"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    spread_low: float | None = None
    spread_high: float | None = None
    confidence: float = 0.0
    independent_sources: int = 0
    origins: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    # independence beside the verdict: each origin's name with its claims, and what kind of corroboration
    origin_claims: dict[str, list[str]] = field(default_factory=dict)
    corroboration: str = ""  # independent | one-origin | copies ("" for a single document)
    documents: int = 0


@dataclass
class Finding:
    """A rule's observation about a fact; the fingerprint hashes what it is about, never a position."""

    rule: str
    name: str
    level: str
    fact: str
    claims: list[str]
    message: str
    fingerprint: str
    data: dict[str, object] = field(default_factory=dict)
    suppressed: bool = False
    verdict: str | None = None  # the verdict the rule's hits give the fact (the rule file's ``verdict:``)


@dataclass
class InputError:
    """An input that could not be read: the file and the problem, in words a user can act on."""

    path: str
    problem: str
