"""Structural checks on a Theory of Change: loops, outcomes not placed, links running backwards
or pointing nowhere, duplicate links; and warnings about what is planned for measurement.

Messages are English templates with ``%(name)s`` placeholders, kept as module constants so the
Django layer can translate them (pass ``gettext``); change their wording only together with the
Welsh catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .graph import (
    ACTIVITY,
    HORIZONS,
    KINDS,
    LEVEL_LABELS,
    LEVELS,
    OUTCOME,
    OUTPUT,
    NodeId,
    TocGraph,
    Translate,
    no_translation,
)


def gettext_noop(message: str) -> str:
    """Marks wording for translation (the Django layer's makemessages finds it by this name)
    without importing Django: the text is returned unchanged."""
    return message


CYCLE = gettext_noop(
    "These elements lead back to one another in a loop: %(path)s. A Theory of Change runs one "
    "way, from activities to outcomes, so remove or reverse one of these links."
)
UNKNOWN_KIND = gettext_noop(
    "“%(title)s” is of an unknown kind (“%(kind)s”): it should be an activity, an output or an "
    "outcome."
)
OUTCOME_WITHOUT_LEVEL = gettext_noop(
    "The outcome “%(title)s” has no level: say whether it is for practitioners, organisations "
    "and systems, end beneficiaries, or a specific sector."
)
OUTCOME_WITHOUT_HORIZON = gettext_noop(
    "The outcome “%(title)s” has no time frame: say whether you expect it in the short, medium "
    "or long term."
)
BACKWARD_LINK = gettext_noop(
    "The link from “%(source)s” to “%(target)s” runs backwards. Links run from activities to "
    "outputs and outcomes, and from outputs to outcomes."
)
MISSING_ELEMENT = gettext_noop(
    "A link refers to “%(missing)s”, which is not an element of this Theory of Change."
)
DUPLICATE_LINK = gettext_noop(
    "“%(source)s” is linked to “%(target)s” more than once. Keep one link and give all the "
    "reasons in its rationale."
)
PROBLEM_TEMPLATES = (
    CYCLE,
    UNKNOWN_KIND,
    OUTCOME_WITHOUT_LEVEL,
    OUTCOME_WITHOUT_HORIZON,
    BACKWARD_LINK,
    MISSING_ELEMENT,
    DUPLICATE_LINK,
)

NO_OUTCOMES = gettext_noop(
    "There are no outcomes yet. Add the changes you expect for practitioners, for organisations "
    "and systems, and for the people they support."
)
LONG_WITHOUT_SHORTER = gettext_noop(
    "%(level)s: long-term outcomes are planned without any short- or medium-term ones. The "
    "guidance advises focusing an evaluation on short- and medium-term outcomes, measured over "
    "a longer time (for example one to two years) to see whether changes last."
)
WARNING_TEMPLATES = (NO_OUTCOMES, LONG_WITHOUT_SHORTER)

_KIND_ORDER = {ACTIVITY: 0, OUTPUT: 1, OUTCOME: 2}


@dataclass(frozen=True)
class Problem:
    """Something wrong with the structure. ``code`` is one of: cycle, unknown_kind,
    outcome_without_level, outcome_without_horizon, backward_link, missing_element,
    duplicate_link. ``about`` is the node id (or, for link problems, the edge's ``ref``)."""

    code: str
    template: str
    params: Mapping[str, str]
    about: NodeId | None

    @property
    def message(self) -> str:
        return self.template % self.params

    def render(self, gettext: Translate = no_translation) -> str:
        return gettext(self.template) % self.params


def find_cycle(graph: TocGraph) -> list[NodeId] | None:
    """The ids of the elements in a loop, in link order (the last leads back to the first), or
    None. Links to missing elements are ignored. Deterministic: the first loop found when
    walking the nodes and their links in the order given."""
    ids = {node.id for node in graph.nodes}
    following: dict[NodeId, list[NodeId]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        if edge.source in ids and edge.target in ids:
            following[edge.source].append(edge.target)

    done: set[NodeId] = set()
    for start in following:
        if start in done:
            continue
        path: list[NodeId] = [start]
        on_path = {start}
        stack = [iter(following[start])]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif nxt in on_path:
                return path[path.index(nxt) :]
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(following[nxt]))
    return None


def validate(graph: TocGraph) -> list[Problem]:
    """Every structural problem, in a stable order: a loop first, then element problems in node
    order, then link problems in link order. An empty list means the structure is sound."""
    nodes = graph.by_id()
    problems: list[Problem] = []

    cycle = find_cycle(graph)
    if cycle is not None:
        titles = [f"“{nodes[node_id].title}”" for node_id in [*cycle, cycle[0]]]
        problems.append(Problem("cycle", CYCLE, {"path": " → ".join(titles)}, cycle[0]))

    for node in graph.nodes:
        if node.kind not in KINDS:
            params = {"title": node.title, "kind": node.kind}
            problems.append(Problem("unknown_kind", UNKNOWN_KIND, params, node.id))
        if node.kind != OUTCOME:
            continue
        if node.level not in LEVELS:
            problems.append(
                Problem(
                    "outcome_without_level", OUTCOME_WITHOUT_LEVEL, {"title": node.title}, node.id
                )
            )
        if node.horizon not in HORIZONS:
            problems.append(
                Problem(
                    "outcome_without_horizon",
                    OUTCOME_WITHOUT_HORIZON,
                    {"title": node.title},
                    node.id,
                )
            )

    seen: set[tuple[NodeId, NodeId]] = set()
    for edge in graph.edges:
        missing = [end for end in (edge.source, edge.target) if end not in nodes]
        if missing:
            problems.append(
                Problem("missing_element", MISSING_ELEMENT, {"missing": str(missing[0])}, edge.ref)
            )
            continue
        source, target = nodes[edge.source], nodes[edge.target]
        params = {"source": source.title, "target": target.title}
        if (edge.source, edge.target) in seen:
            problems.append(Problem("duplicate_link", DUPLICATE_LINK, params, edge.ref))
        seen.add((edge.source, edge.target))
        if _KIND_ORDER.get(source.kind, 0) > _KIND_ORDER.get(target.kind, 2):
            problems.append(Problem("backward_link", BACKWARD_LINK, params, edge.ref))
    return problems


def warnings(graph: TocGraph, *, gettext: Translate = no_translation) -> list[str]:
    """Advice about the plan rather than errors in it: no outcomes at all, or a level with
    long-term outcomes but no short- or medium-term ones (levels in their usual order)."""
    outcomes = graph.outcomes()
    if not outcomes:
        return [gettext(NO_OUTCOMES)]
    found: list[str] = []
    for level in LEVELS:
        horizons = {node.horizon for node in outcomes if node.level == level}
        if "long" in horizons and not horizons & {"short", "medium"}:
            label = gettext(LEVEL_LABELS[level])
            found.append(gettext(LONG_WITHOUT_SHORTER) % {"level": label})
    return found
