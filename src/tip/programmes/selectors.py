"""Reads of programme data, each scoped to the partnership."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from tip.core.models import Membership, Organisation, Partnership, Sector
from tip.programmes import analysis
from tip.programmes.models import (
    PHASE_ORDER,
    CoDesignActivity,
    DeliveryBoardMember,
    Element,
    ElementKind,
    EvaluationQuestion,
    Horizon,
    Indicator,
    Level,
    Link,
    Note,
    OrganisationLead,
    Phase,
    PhaseKind,
    Programme,
    QuestionStatus,
    WorkforceGroup,
)


def programme_list(*, partnership: Partnership) -> QuerySet[Programme]:
    qs: QuerySet[Programme] = (
        Programme.objects.for_partnership(partnership)
        .annotate(element_count=Count("elements", distinct=True))
        .order_by("name")
    )
    return qs


def programme_get(*, partnership: Partnership, programme_id: int) -> Programme:
    obj: Programme = get_object_or_404(
        Programme.objects.for_partnership(partnership).select_related("partnership"),
        pk=programme_id,
    )
    return obj


def element_list(*, programme: Programme) -> QuerySet[Element]:
    qs: QuerySet[Element] = Element.objects.filter(programme=programme).order_by(
        "kind", "position", "pk"
    )
    return qs


def element_get(*, programme: Programme, element_id: int) -> Element:
    """An element of this programme (and so of the partnership), or 404."""
    obj: Element = get_object_or_404(
        Element.objects.filter(programme=programme, partnership_id=programme.partnership_id),
        pk=element_id,
    )
    return obj


def link_list(*, programme: Programme) -> QuerySet[Link]:
    qs: QuerySet[Link] = (
        Link.objects.filter(programme=programme).select_related("source", "target").order_by("pk")
    )
    return qs


def link_get(*, programme: Programme, link_id: int) -> Link:
    obj: Link = get_object_or_404(
        Link.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ).select_related("source", "target"),
        pk=link_id,
    )
    return obj


def note_get(*, programme: Programme, note_id: int) -> Note:
    obj: Note = get_object_or_404(
        Note.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ).select_related("element", "link__source", "link__target"),
        pk=note_id,
    )
    return obj


def indicator_get(*, programme: Programme, indicator_id: int) -> Indicator:
    obj: Indicator = get_object_or_404(
        Indicator.objects.filter(
            outcome__programme=programme, partnership_id=programme.partnership_id
        ).select_related("outcome"),
        pk=indicator_id,
    )
    return obj


_HORIZONS = list(Horizon.values)
_KINDS = list(ElementKind.values)


def _chain_order(e: Element) -> tuple[int, int, int, int]:
    """Activities, then outputs, then outcomes from short to long term."""
    horizon = _HORIZONS.index(e.horizon) if e.horizon in _HORIZONS else 0
    return (_KINDS.index(e.kind), horizon, e.position, e.pk)


def in_chain_order(elements: list[Element]) -> list[Element]:
    """Activities, then outputs, then outcomes from short to long term."""
    return sorted(elements, key=_chain_order)


def outcome_codes_used(*, programme: Programme) -> set[str]:
    """The outcomes-library entries this programme already has."""
    return set(
        Element.objects.filter(programme=programme)
        .exclude(outcome_code="")
        .values_list("outcome_code", flat=True)
    )


@dataclass
class TheoryOfChange:
    """Everything the programme page shows, read in a fixed number of queries."""

    elements: list[Element]
    links: list[Link]
    notes: list[Note]
    indicators: list[Indicator]
    # Filled in by `theory_of_change`, for the tables.
    by_kind: dict[str, list[Element]] = field(default_factory=dict)
    # (the level's name, its outcomes from short to long term), for each level with outcomes.
    outcomes_by_level: list[tuple[Any, list[Element]]] = field(default_factory=list)
    leads_to: dict[int, list[Element]] = field(default_factory=dict)

    @property
    def ordered(self) -> list[Element]:
        return sorted(self.elements, key=_chain_order)

    def chain(self) -> list[dict[str, Any]]:
        return [{"element": e, "leads_to": self.leads_to.get(e.pk, [])} for e in self.ordered]


def theory_of_change(*, programme: Programme) -> TheoryOfChange:
    elements = list(element_list(programme=programme))
    links = list(link_list(programme=programme))
    notes = list(
        Note.objects.filter(programme=programme)
        .select_related("element", "link__source", "link__target")
        .order_by("kind", "pk")
    )
    indicators = list(
        Indicator.objects.filter(outcome__programme=programme)
        .select_related("outcome")
        .order_by("outcome__position", "outcome_id", "pk")
    )
    toc = TheoryOfChange(elements=elements, links=links, notes=notes, indicators=indicators)
    by_id = {e.pk: e for e in elements}
    for e in elements:
        toc.by_kind.setdefault(e.kind, []).append(e)
    counts: dict[int, int] = {}
    for indicator in indicators:
        counts[indicator.outcome_id] = counts.get(indicator.outcome_id, 0) + 1
    for e in elements:
        e.indicator_count = counts.get(e.pk, 0)  # type: ignore[attr-defined]
    for level, label in Level.choices:
        outcomes = sorted(
            (e for e in toc.by_kind.get(ElementKind.OUTCOME, []) if e.level == level),
            key=_chain_order,
        )
        if outcomes:
            toc.outcomes_by_level.append((label, outcomes))
    for link in links:
        toc.leads_to.setdefault(link.source_id, []).append(by_id[link.target_id])
    return toc


def toc_graph(*, programme: Programme) -> analysis.TocGraph:
    """The programme's Theory of Change as the analysis functions read it: two queries."""
    elements = list(
        element_list(programme=programme)
        .annotate(indicator_count=Count("indicators"))
        .values_list("pk", "kind", "title", "level", "horizon", "indicator_count")
    )
    links = (
        Link.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "source_id", "target_id", "evidence", "rationale")
    )
    return analysis.TocGraph(
        nodes=[
            analysis.Node(id=pk, kind=kind, title=title, level=level, horizon=horizon)
            for pk, kind, title, level, horizon, _n in elements
        ],
        edges=[
            analysis.Edge(source=s, target=t, evidence=ev, rationale=r, id=pk)
            for pk, s, t, ev, r in links
        ],
        indicator_counts={pk: n for pk, *_rest, n in elements},
    )


def question_list(*, programme: Programme) -> QuerySet[EvaluationQuestion]:
    qs: QuerySet[EvaluationQuestion] = EvaluationQuestion.objects.filter(
        programme=programme, status=QuestionStatus.ACCEPTED
    ).order_by("pk")
    return qs


def open_proposals(
    *,
    programme: Programme,
    gettext: Callable[[str], str] = str,
    graph: analysis.TocGraph | None = None,
) -> list[analysis.Proposal]:
    """TIP's proposed questions that nobody has accepted or dismissed yet, worded through
    `gettext` (the reader's language)."""
    decided = set(
        EvaluationQuestion.objects.filter(programme=programme)
        .exclude(proposal_key="")
        .values_list("proposal_key", flat=True)
    )
    if graph is None:
        graph = toc_graph(programme=programme)
    proposals = analysis.propose_questions(graph, gettext=gettext)
    return [p for p in proposals if p.key not in decided]


def graph_of(toc: TheoryOfChange) -> analysis.TocGraph:
    """The graph of a Theory of Change already read, without querying again."""
    counts: dict[int, int] = {}
    for indicator in toc.indicators:
        counts[indicator.outcome_id] = counts.get(indicator.outcome_id, 0) + 1
    return analysis.TocGraph(
        nodes=[
            analysis.Node(id=e.pk, kind=e.kind, title=e.title, level=e.level, horizon=e.horizon)
            for e in toc.elements
        ],
        edges=[
            analysis.Edge(
                source=link.source_id,
                target=link.target_id,
                evidence=link.evidence,
                rationale=link.rationale,
                id=link.pk,
            )
            for link in toc.links
        ],
        indicator_counts={e.pk: counts.get(e.pk, 0) for e in toc.elements},
    )


# --- About the programme -------------------------------------------------------------------------


@dataclass
class PhaseDates:
    kind: str
    label: str
    starts_on: Any
    ends_on: Any


@dataclass
class ProgrammeDetails:
    """What the 'About the programme' section shows, read in one query."""

    sectors: list[str]
    groups: list[str]
    sro: Membership | None
    phases: list[PhaseDates]
    board_count: int
    lead_count: int
    codesign_count: int


def _count(model: Any, programme: Programme) -> Any:
    return Subquery(
        model.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _phase_date(kind: str, name: str) -> Any:
    return Subquery(Phase.objects.filter(programme=OuterRef("pk"), kind=kind).values(name)[:1])


def programme_details(*, programme: Programme) -> ProgrammeDetails:
    sectors = dict(Sector.choices)
    groups = dict(WorkforceGroup.choices)
    dates = {
        f"{kind}_{name}": _phase_date(kind, name)
        for kind in PHASE_ORDER
        for name in ("starts_on", "ends_on")
    }
    row = (
        Programme.objects.filter(pk=programme.pk)
        .select_related("sro_member__user")
        .annotate(
            board_count=_count(DeliveryBoardMember, programme),
            lead_count=_count(OrganisationLead, programme),
            codesign_count=_count(CoDesignActivity, programme),
            **dates,
        )
        .get()
    )
    labels = dict(PhaseKind.choices)
    phases = [
        PhaseDates(
            kind=kind,
            label=str(labels[kind]),
            starts_on=getattr(row, f"{kind}_starts_on"),
            ends_on=getattr(row, f"{kind}_ends_on"),
        )
        for kind in PHASE_ORDER
        if getattr(row, f"{kind}_starts_on") is not None
    ]
    return ProgrammeDetails(
        sectors=[str(sectors[c]) for c in programme.target_sectors if c in sectors],
        groups=[str(groups[c]) for c in programme.target_groups if c in groups],
        sro=row.sro_member,
        phases=phases,
        board_count=row.board_count or 0,
        lead_count=row.lead_count or 0,
        codesign_count=row.codesign_count or 0,
    )


def phase_list(*, programme: Programme) -> list[Phase]:
    order = {kind: i for i, kind in enumerate(PHASE_ORDER)}
    return sorted(Phase.objects.filter(programme=programme), key=lambda p: order[p.kind])


def board_member_list(*, programme: Programme) -> list[DeliveryBoardMember]:
    return list(
        DeliveryBoardMember.objects.filter(programme=programme).select_related("organisation")
    )


def organisation_lead_list(*, programme: Programme) -> list[OrganisationLead]:
    return list(OrganisationLead.objects.filter(programme=programme).select_related("organisation"))


def codesign_list(*, programme: Programme) -> list[CoDesignActivity]:
    return list(CoDesignActivity.objects.filter(programme=programme))


def board_member_get(*, programme: Programme, board_member_id: int) -> DeliveryBoardMember:
    obj: DeliveryBoardMember = get_object_or_404(
        DeliveryBoardMember.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ),
        pk=board_member_id,
    )
    return obj


def organisation_lead_get(*, programme: Programme, lead_id: int) -> OrganisationLead:
    obj: OrganisationLead = get_object_or_404(
        OrganisationLead.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ).select_related("organisation"),
        pk=lead_id,
    )
    return obj


def codesign_get(*, programme: Programme, activity_id: int) -> CoDesignActivity:
    obj: CoDesignActivity = get_object_or_404(
        CoDesignActivity.objects.filter(
            programme=programme, partnership_id=programme.partnership_id
        ),
        pk=activity_id,
    )
    return obj


def organisation_choices(*, programme: Programme) -> list[Organisation]:
    return list(Organisation.objects.filter(partnership_id=programme.partnership_id))


def member_choices(*, programme: Programme) -> list[Membership]:
    return list(
        Membership.objects.filter(partnership_id=programme.partnership_id).select_related("user")
    )
