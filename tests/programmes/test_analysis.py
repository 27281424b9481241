"""The Theory of Change analysis: loops, structural problems, proposed evaluation questions and
warnings, on plain graphs (no database)."""

from __future__ import annotations

import subprocess
import sys

from tip.programmes.analysis import (
    PROBLEM_TEMPLATES,
    QUESTION_TEMPLATES,
    WARNING_TEMPLATES,
    Edge,
    Node,
    TocGraph,
    find_cycle,
    propose_questions,
    validate,
    warnings,
)
from tip.programmes.analysis.checks import NO_OUTCOMES, OUTCOME_WITHOUT_LEVEL
from tip.programmes.analysis.questions import LINK_QUESTION

TRAIN = Node(1, "activity", "Train frontline staff")
TRAINED = Node(2, "output", "Staff trained")
KNOW = Node(3, "outcome", "Increased knowledge of trauma", "practitioners", "short")
RECOGNISE = Node(4, "outcome", "Staff recognise trauma", "practitioners", "medium")
RETAIN = Node(5, "outcome", "Improved staff retention", "practitioners", "long")
NODES = [TRAIN, TRAINED, KNOW, RECOGNISE, RETAIN]


def sound_graph() -> TocGraph:
    edges = [
        Edge(1, 2, "strong", id=10),
        Edge(2, 3, "moderate", id=11),
        Edge(3, 4, "emerging", id=12),
        Edge(4, 5, "none", id=13),
    ]
    return TocGraph(nodes=NODES, edges=edges, indicator_counts={3: 1, 4: 2, 5: 1})


def test_a_sound_theory_of_change_has_no_cycle_and_no_problems() -> None:
    graph = sound_graph()
    assert find_cycle(graph) is None
    assert validate(graph) == []


def test_a_loop_is_found_and_named_by_its_elements_titles() -> None:
    graph = TocGraph(
        nodes=NODES,
        edges=[Edge(1, 3, "strong"), Edge(3, 4, "strong"), Edge(4, 5, "none"), Edge(5, 3, "none")],
    )
    assert find_cycle(graph) == [3, 4, 5]
    problems = validate(graph)
    assert [p.code for p in problems] == ["cycle"]
    assert problems[0].about == 3
    assert (
        "“Increased knowledge of trauma” → “Staff recognise trauma” → “Improved staff retention” "
        "→ “Increased knowledge of trauma”" in problems[0].message
    )


def test_a_link_to_itself_is_a_loop_of_one() -> None:
    graph = TocGraph(nodes=NODES, edges=[Edge(3, 3, "none")])
    assert find_cycle(graph) == [3]


def test_loops_are_found_deep_in_long_chains_without_recursion_limits() -> None:
    nodes = [Node(i, "outcome", f"Outcome {i}", "practitioners", "short") for i in range(3000)]
    edges = [Edge(i, i + 1, "none") for i in range(2999)]
    assert find_cycle(TocGraph(nodes=nodes, edges=edges)) is None
    cycle = find_cycle(TocGraph(nodes=nodes, edges=[*edges, Edge(2999, 1500, "none")]))
    assert cycle == list(range(1500, 3000))


def test_structural_problems_are_reported_in_a_stable_order() -> None:
    unplaced = Node(6, "outcome", "Somewhere, some time")
    graph = TocGraph(
        nodes=[*NODES, unplaced],
        edges=[
            Edge(3, 1, "none", id=20),  # outcome back to an activity
            Edge(1, 2, "strong", id=21),
            Edge(1, 2, "moderate", id=22),  # the same link again
            Edge(2, 99, "none", id=23),  # to an element that is not there
        ],
    )
    problems = validate(graph)
    assert [(p.code, p.about) for p in problems] == [
        ("outcome_without_level", 6),
        ("outcome_without_horizon", 6),
        ("backward_link", 20),
        ("duplicate_link", 22),
        ("missing_element", 23),
    ]
    assert "“Increased knowledge of trauma” to “Train frontline staff” runs backwards" in (
        problems[2].message
    )
    assert "“99”" in problems[4].message


def test_questions_are_proposed_for_the_weakest_links_first_then_unmeasured_outcomes() -> None:
    graph = TocGraph(
        nodes=NODES,
        edges=[
            Edge(1, 2, "strong", id=10),
            Edge(2, 3, "emerging", id=11),
            Edge(3, 4, "moderate", id=12),
            Edge(4, 5, "none", id=13),
            Edge(2, 4, "none", id=14),
        ],
        indicator_counts={3: 1, 4: 0},
    )
    proposals = propose_questions(graph)
    assert [p.key for p in proposals] == [
        "link:13",
        "link:14",
        "link:11",
        "indicator:4",
        "indicator:5",
    ]
    assert [p.about for p in proposals] == [13, 14, 11, 4, 5]
    first = proposals[0]
    assert first.text == (
        "Does “Staff recognise trauma” lead to “Improved staff retention”? The evidence for this "
        "link is rated “None or assumed”, so the evaluation should test it."
    )
    assert "assumption" in first.reason
    assert "emerging" in proposals[2].reason


def test_outcomes_without_an_indicator_are_proposed_short_term_first() -> None:
    graph = TocGraph(nodes=[RETAIN, RECOGNISE, KNOW], edges=[])
    proposals = propose_questions(graph)
    assert [p.key for p in proposals] == ["indicator:3", "indicator:4", "indicator:5"]
    assert proposals[0].text.startswith("To what extent has “Increased knowledge of trauma”")
    assert "no indicator" in proposals[0].reason


def test_proposal_keys_are_stable_and_do_not_depend_on_wording_or_order() -> None:
    graph = sound_graph()
    renamed = TocGraph(
        nodes=[Node(n.id, n.kind, n.title.upper(), n.level, n.horizon) for n in NODES],
        edges=list(reversed(graph.edges)),
        indicator_counts={},
    )
    keys = {p.key for p in propose_questions(graph)}
    assert keys == {"link:12", "link:13"}
    assert keys <= {p.key for p in propose_questions(renamed)}
    assert propose_questions(graph) == propose_questions(graph)
    # A link without an id of its own is keyed by its ends.
    anonymous = TocGraph(
        nodes=NODES, edges=[Edge(3, 4, "none")], indicator_counts={3: 1, 4: 1, 5: 1}
    )
    assert [p.key for p in propose_questions(anonymous)] == ["link:3>4"]


def test_links_with_good_evidence_and_measured_outcomes_need_no_proposal() -> None:
    graph = TocGraph(
        nodes=NODES,
        edges=[Edge(1, 2, "strong"), Edge(2, 3, "moderate")],
        indicator_counts={3: 1, 4: 1, 5: 1},
    )
    assert propose_questions(graph) == []


def test_warns_about_long_term_outcomes_without_shorter_ones_on_the_same_level() -> None:
    assert warnings(sound_graph()) == []
    staff_long = Node(7, "outcome", "Less burn-out", "practitioners", "long")
    org_long = Node(8, "outcome", "Common policies", "organisations", "long")
    org_short = Node(9, "outcome", "Policies changed", "beneficiaries", "short")
    found = warnings(TocGraph(nodes=[TRAIN, staff_long, org_long, org_short], edges=[]))
    assert len(found) == 2
    assert found[0].startswith("Practitioners: long-term outcomes are planned without")
    assert found[1].startswith("Organisations and systems: long-term outcomes")
    # A medium-term outcome on the same level is enough.
    org_medium = Node(10, "outcome", "Better referrals", "organisations", "medium")
    found = warnings(TocGraph(nodes=[staff_long, org_long, org_medium], edges=[]))
    assert [w.split(":")[0] for w in found] == ["Practitioners"]


def test_warns_when_there_are_no_outcomes() -> None:
    found = warnings(TocGraph(nodes=[TRAIN, TRAINED], edges=[]))
    assert len(found) == 1
    assert found[0].startswith("There are no outcomes yet")


def test_text_can_be_translated_by_the_caller() -> None:
    catalogue = {
        LINK_QUESTION: "A yw “%(source)s” yn arwain at “%(target)s”? (%(rating)s)",
        "None or assumed": "Dim, neu dybiaeth",
        NO_OUTCOMES: "Does dim canlyniadau eto.",
        OUTCOME_WITHOUT_LEVEL: "Nid oes lefel gan “%(title)s”.",
    }

    def gettext(message: str) -> str:
        return catalogue.get(message, message)

    proposals = propose_questions(sound_graph(), gettext=gettext)
    assert proposals[0].text == (
        "A yw “Staff recognise trauma” yn arwain at “Improved staff retention”? (Dim, neu dybiaeth)"
    )
    assert proposals[0].template == LINK_QUESTION
    assert warnings(TocGraph(nodes=[], edges=[]), gettext=gettext) == ["Does dim canlyniadau eto."]
    problem = validate(TocGraph(nodes=[Node(1, "outcome", "x", horizon="short")], edges=[]))[0]
    assert problem.render(gettext) == "Nid oes lefel gan “x”."
    assert problem.message.startswith("The outcome “x” has no level")


def test_every_template_has_only_named_placeholders() -> None:
    for template in (*PROBLEM_TEMPLATES, *QUESTION_TEMPLATES, *WARNING_TEMPLATES):
        assert "%s" not in template
        assert template.count("%(") == template.count(")s")


def test_the_analysis_and_the_library_do_not_need_django() -> None:
    code = (
        "import sys, tip.programmes.analysis, tip.programmes.outcome_library\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django')\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": ""}, timeout=60)  # noqa: S603
