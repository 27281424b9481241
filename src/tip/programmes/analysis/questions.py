"""Evaluation questions TIP proposes. The guidance: "Where you identify gaps in evidence or it is
weakest, this can be used to generate your evaluation questions and help prioritise which
activities/outcomes you might focus on evaluating." So TIP proposes a question for each link
whose evidence is emerging or missing (weakest first), and for each outcome with no indicator
(short-term first, as the guidance advises focusing on short- and medium-term outcomes).

The wording is English templates with ``%(name)s`` placeholders, kept as module constants so
the Django layer can translate them (pass ``gettext``). A proposal's ``key`` is stable for the
same link or outcome, so a dismissed proposal is not proposed again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .graph import (
    EVIDENCE_LABELS,
    EVIDENCE_RANK,
    HORIZONS,
    OUTCOME,
    EdgeId,
    NodeId,
    TocGraph,
    Translate,
    no_translation,
)


def gettext_noop(message: str) -> str:
    """Marks wording for translation (the Django layer's makemessages finds it by this name)
    without importing Django: the text is returned unchanged."""
    return message


LINK_QUESTION = gettext_noop(
    "Does “%(source)s” lead to “%(target)s”? The evidence for this link is rated "
    "“%(rating)s”, so the evaluation should test it."
)
LINK_REASON_NONE = gettext_noop(
    "No evidence has been found for this link yet: it rests on an assumption. Gaps in evidence "
    "are the best places to focus an evaluation."
)
LINK_REASON_EMERGING = gettext_noop(
    "The evidence for this link is still emerging. Where evidence is weakest, an evaluation "
    "adds most to what is known."
)
INDICATOR_QUESTION = gettext_noop(
    "To what extent has “%(outcome)s” happened, and for whom? Decide what to measure, how, "
    "from whom and when."
)
INDICATOR_REASON = gettext_noop(
    "This outcome has no indicator yet, so there is no way to tell whether it has been achieved."
)
QUESTION_TEMPLATES = (
    LINK_QUESTION,
    LINK_REASON_NONE,
    LINK_REASON_EMERGING,
    INDICATOR_QUESTION,
    INDICATOR_REASON,
)

# Links rated at or below this are proposed for evaluation.
WEAK_EVIDENCE = ("none", "emerging")
_LINK_REASONS = {"none": LINK_REASON_NONE, "emerging": LINK_REASON_EMERGING}


@dataclass(frozen=True)
class Proposal:
    """A proposed evaluation question. ``key`` is ``link:<edge ref>`` or
    ``indicator:<node id>``; ``about`` is that edge ref or node id; ``text`` and ``reason`` are
    rendered (through ``gettext`` when one was given); ``template``, ``reason_template`` and
    ``params`` let a caller render them again in another language."""

    key: str
    text: str
    reason: str
    about: NodeId | EdgeId
    template: str = ""
    reason_template: str = ""
    params: Mapping[str, str] | None = None


def propose_questions(graph: TocGraph, *, gettext: Translate = no_translation) -> list[Proposal]:
    """Questions for the links with weak evidence (no evidence first, then emerging; in link
    order within a rating), then for outcomes without an indicator (short, medium, then long
    term; in node order within a horizon). Links to missing elements are left out."""
    nodes = graph.by_id()
    proposals: list[Proposal] = []

    weak = [
        (EVIDENCE_RANK.get(edge.evidence, 0), position, edge)
        for position, edge in enumerate(graph.edges)
        if edge.source in nodes
        and edge.target in nodes
        and EVIDENCE_RANK.get(edge.evidence, 0) <= EVIDENCE_RANK["emerging"]
    ]
    for rank, _position, edge in sorted(weak, key=lambda item: item[:2]):
        rating = "none" if rank == 0 else "emerging"
        params = {
            "source": nodes[edge.source].title,
            "target": nodes[edge.target].title,
            "rating": gettext(EVIDENCE_LABELS[rating]),
        }
        proposals.append(
            Proposal(
                key=f"link:{edge.ref}",
                text=gettext(LINK_QUESTION) % params,
                reason=gettext(_LINK_REASONS[rating]),
                about=edge.ref,
                template=LINK_QUESTION,
                reason_template=_LINK_REASONS[rating],
                params=params,
            )
        )

    horizon_order = {horizon: index for index, horizon in enumerate(HORIZONS)}
    unmeasured = [
        (horizon_order.get(node.horizon, len(HORIZONS)), position, node)
        for position, node in enumerate(graph.nodes)
        if node.kind == OUTCOME and graph.indicator_counts.get(node.id, 0) <= 0
    ]
    for _horizon, _position, node in sorted(unmeasured, key=lambda item: item[:2]):
        params = {"outcome": node.title}
        proposals.append(
            Proposal(
                key=f"indicator:{node.id}",
                text=gettext(INDICATOR_QUESTION) % params,
                reason=gettext(INDICATOR_REASON),
                about=node.id,
                template=INDICATOR_QUESTION,
                reason_template=INDICATOR_REASON,
                params=params,
            )
        )
    return proposals
