"""A Theory of Change as a plain graph: the analysis works on this, never on Django models, so
the pages, the API and import/export can all use it (and it can be tested on its own)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

NodeId = int | str
EdgeId = int | str

ACTIVITY = "activity"
OUTPUT = "output"
OUTCOME = "outcome"
KINDS = (ACTIVITY, OUTPUT, OUTCOME)

LEVELS = ("practitioners", "organisations", "beneficiaries", "sector")
HORIZONS = ("short", "medium", "long")

# Weakest first. The strings match the evidence ratings stored on links.
EVIDENCE_RANK = {"none": 0, "emerging": 1, "moderate": 2, "strong": 3}

# English labels, worded exactly as the model choices so the Django layer's catalogue already
# holds their Welsh: pass ``gettext`` to the functions that use them.
LEVEL_LABELS = {
    "practitioners": "Practitioners",
    "organisations": "Organisations and systems",
    "beneficiaries": "End beneficiaries",
    "sector": "Sector-specific",
}
EVIDENCE_LABELS = {
    "strong": "Strong",
    "moderate": "Moderate",
    "emerging": "Emerging",
    "none": "None or assumed",
}

Translate = Callable[[str], str]


def no_translation(message: str) -> str:
    return message


@dataclass(frozen=True)
class Node:
    """An element: an activity, an output or an outcome. Outcomes have a level and a horizon;
    an empty string means "not set"."""

    id: NodeId
    kind: str
    title: str
    level: str = ""
    horizon: str = ""


@dataclass(frozen=True)
class Edge:
    """A link: ``source`` leads to ``target`` (node ids), with an evidence rating
    (strong, moderate, emerging or none). ``id`` is the link's own id when it has one; it makes
    proposal keys stable (``link:<id>``)."""

    source: NodeId
    target: NodeId
    evidence: str
    rationale: str = ""
    id: EdgeId | None = None

    @property
    def ref(self) -> EdgeId:
        """The id if there is one, otherwise ``"<source>><target>"``."""
        return self.id if self.id is not None else f"{self.source}>{self.target}"


@dataclass(frozen=True)
class TocGraph:
    """Nodes and edges in display order, and how many indicators each outcome has (outcomes
    missing from ``indicator_counts`` have none)."""

    nodes: Sequence[Node]
    edges: Sequence[Edge]
    indicator_counts: Mapping[NodeId, int] = field(default_factory=dict)

    def by_id(self) -> dict[NodeId, Node]:
        return {node.id: node for node in self.nodes}

    def outcomes(self) -> list[Node]:
        return [node for node in self.nodes if node.kind == OUTCOME]
