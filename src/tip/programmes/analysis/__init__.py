"""Analysis of a Theory of Change, in plain Python (no Django), so the pages, the API and
import/export share it and it can be tested on its own.

Build a ``TocGraph`` of ``Node`` and ``Edge`` values, then:

- ``find_cycle(graph)``: the ids of elements in a loop, or None;
- ``validate(graph)``: structural ``Problem`` values (loops, outcomes without a level or time
  frame, backward links, links to missing elements, duplicate links);
- ``propose_questions(graph)``: evaluation question ``Proposal`` values for weakly evidenced
  links and for outcomes without an indicator;
- ``warnings(graph)``: advice on what is planned for measurement;
- ``render_svg(graph, labels=...)``: the accessible diagram.

All wording is English templates held as module constants (``*_TEMPLATES``); the functions
that return text take ``gettext`` so the Django layer can give Welsh.
"""

from .checks import (
    PROBLEM_TEMPLATES,
    WARNING_TEMPLATES,
    Problem,
    find_cycle,
    validate,
    warnings,
)
from .diagram import DEFAULT_LABELS, render_svg
from .graph import (
    EVIDENCE_LABELS,
    EVIDENCE_RANK,
    LEVEL_LABELS,
    Edge,
    EdgeId,
    Node,
    NodeId,
    TocGraph,
)
from .questions import QUESTION_TEMPLATES, Proposal, propose_questions

__all__ = [
    "DEFAULT_LABELS",
    "EVIDENCE_LABELS",
    "EVIDENCE_RANK",
    "LEVEL_LABELS",
    "PROBLEM_TEMPLATES",
    "QUESTION_TEMPLATES",
    "WARNING_TEMPLATES",
    "Edge",
    "EdgeId",
    "Node",
    "NodeId",
    "Problem",
    "Proposal",
    "TocGraph",
    "find_cycle",
    "propose_questions",
    "render_svg",
    "validate",
    "warnings",
]
