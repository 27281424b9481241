"""Reads for invitations, comparison cohorts and response rates (docs/evaluation-invitations.md).

The rates are counts only, never names, and a fixed number of queries whatever the data's
size. For evaluators, counts from 1 to 4 are withheld (as the training dashboard does) so that a
small group's answers cannot be singled out; programme leads and admins see them exactly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Membership, Partnership
from tip.evaluation.analysis import linking
from tip.evaluation.models_collection import (
    ComparisonCohort,
    Group,
    Invitation,
    InvitationStatus,
    Respondent,
    Response,
)
from tip.evaluation.models_plan import EvaluationPlan, Wave
from tip.evaluation.services_invitations import waves_measured

SMALL_COUNT = 5
GROUPS = (Group.TRAINED, Group.COMPARISON)


# --- Cohorts -------------------------------------------------------------------------------------


def cohort_list(*, plan: EvaluationPlan) -> QuerySet[ComparisonCohort]:
    found: QuerySet[ComparisonCohort] = (
        ComparisonCohort.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .annotate(members=Count("respondents", distinct=True))
        .prefetch_related("organisations")
        .order_by("name", "pk")
    )
    return found


def cohort_get(*, partnership: Partnership, cohort_id: int) -> ComparisonCohort:
    cohort: ComparisonCohort = get_object_or_404(
        ComparisonCohort.objects.select_related("plan__programme").prefetch_related(
            "organisations"
        ),
        partnership=partnership,
        pk=cohort_id,
    )
    return cohort


def member_list(*, cohort: ComparisonCohort) -> QuerySet[Respondent]:
    return (
        Respondent.objects.filter(cohort=cohort, partnership_id=cohort.partnership_id)
        .select_related("membership__user", "membership__organisation")
        .order_by("pk")
    )


def member_get(*, partnership: Partnership, respondent_id: int) -> Respondent:
    respondent: Respondent = get_object_or_404(
        Respondent.objects.select_related("cohort__plan__programme", "membership__user"),
        partnership=partnership,
        cohort__isnull=False,
        pk=respondent_id,
    )
    return respondent


def member_name(respondent: Respondent) -> str:
    if respondent.membership_id is not None:
        user = respondent.membership.user  # type: ignore[union-attr]
        return user.full_name or user.email
    return respondent.email


def member_choices(
    *, cohort: ComparisonCohort, organisation_id: int | None
) -> QuerySet[Membership]:
    """The partnership's members of one organisation not already in the cohort."""
    taken = Respondent.objects.filter(cohort=cohort, membership__isnull=False).values(
        "membership_id"
    )
    qs = Membership.objects.filter(partnership_id=cohort.partnership_id).exclude(pk__in=taken)
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("user", "organisation").order_by("user__full_name", "pk")


# --- Invitations ---------------------------------------------------------------------------------


def invitation_list(*, plan: EvaluationPlan) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(wave__plan=plan, partnership_id=plan.partnership_id)
        .select_related("respondent", "wave")
        .order_by("opens_at", "pk")
    )


def status_counts(*, plan: EvaluationPlan) -> dict[str, int]:
    rows = (
        Invitation.objects.filter(wave__plan=plan, partnership_id=plan.partnership_id)
        .values("status")
        .annotate(n=Count("pk"))
    )
    found = {r["status"]: r["n"] for r in rows}
    return {s: found.get(s, 0) for s in InvitationStatus.values}


# --- Rates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count, and what is shown of it: None when withheld."""

    count: int
    shown: int | None

    @property
    def withheld(self) -> bool:
        return self.shown is None


def _figure(count: int, exact: bool) -> Figure:
    small = not exact and 0 < count < SMALL_COUNT
    return Figure(count, None if small else count)


def _percent(part: Figure, whole: Figure) -> int | None:
    if part.shown is None or whole.shown is None or not whole.count:
        return None
    return round(100 * part.count / whole.count)


@dataclass(frozen=True)
class RateRow:
    wave: Wave
    group: str
    group_label: str
    scheduled: Figure
    invited: Figure
    started: Figure
    completed: Figure
    closed: Figure
    withdrawn: Figure
    rate: int | None


@dataclass(frozen=True)
class LinkRow:
    """How one wave's answers link to the wave before, in one group."""

    earlier: Wave
    later: Wave
    group: str
    group_label: str
    answered: Figure  # answers at the later wave (identified: completed at the earlier)
    linked: Figure
    ambiguous: Figure | None  # anonymous plans only
    unlinked: Figure
    rate: int | None


@dataclass
class Rates:
    plan: EvaluationPlan
    exact: bool
    rows: list[RateRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        figures = [
            f
            for r in self.rows
            for f in (r.invited, r.started, r.completed, r.closed, r.scheduled, r.withdrawn)
        ]
        figures += [
            f for r in self.links for f in (r.answered, r.linked, r.unlinked, r.ambiguous) if f
        ]
        return any(f.withheld for f in figures)


def _group_label(group: str) -> str:
    return str(Group(group).label)


def rates(*, plan: EvaluationPlan, exact: bool) -> Rates:
    """Invited, started, completed and closed per wave and group, the response rate, and how
    each wave's answers link to the wave before. Three queries."""
    waves = waves_measured(plan)
    counted = (
        Invitation.objects.filter(wave__plan=plan, partnership_id=plan.partnership_id)
        .values("wave_id", "respondent__group")
        .annotate(
            scheduled=Count("pk", filter=Q(status=InvitationStatus.SCHEDULED)),
            invited=Count("pk", filter=Q(sent_at__isnull=False)),
            started=Count("pk", filter=Q(started_at__isnull=False)),
            completed=Count(
                "pk",
                filter=Q(completed_at__isnull=False) | Q(status=InvitationStatus.COMPLETED),
            ),
            closed=Count("pk", filter=Q(status=InvitationStatus.CLOSED)),
            withdrawn=Count("pk", filter=Q(status=InvitationStatus.WITHDRAWN)),
        )
    )
    found = {(r["wave_id"], r["respondent__group"]): r for r in counted}
    comparison = plan.comparison_group or any(k[1] == Group.COMPARISON for k in found)
    groups: list[str] = [str(g) for g in GROUPS if g == Group.TRAINED or comparison]
    result = Rates(plan=plan, exact=exact)
    for wave in waves:
        for group in groups:
            row = found.get((wave.pk, group), {})
            figures = {
                k: _figure(int(row.get(k, 0)), exact)
                for k in ("scheduled", "invited", "started", "completed", "closed", "withdrawn")
            }
            result.rows.append(
                RateRow(
                    wave=wave,
                    group=group,
                    group_label=_group_label(group),
                    rate=_percent(figures["completed"], figures["invited"]),
                    **figures,
                )
            )
    if plan.anonymous:
        result.links = _anonymous_links(plan, waves, groups, exact)
    else:
        result.links = _identified_links(plan, waves, groups, exact)
    return result


def _pairs(waves: list[Wave]) -> list[tuple[Wave, Wave]]:
    return list(pairwise(waves))


def _identified_links(
    plan: EvaluationPlan, waves: list[Wave], groups: list[str], exact: bool
) -> list[LinkRow]:
    """Identified plans link through the respondent: of those who completed the earlier wave,
    how many completed the later one too."""
    done: dict[tuple[int, str], set[int]] = defaultdict(set)
    for respondent_id, wave_id, group in Invitation.objects.filter(
        Q(completed_at__isnull=False) | Q(status=InvitationStatus.COMPLETED),
        wave__plan=plan,
        partnership_id=plan.partnership_id,
    ).values_list("respondent_id", "wave_id", "respondent__group"):
        done[(wave_id, group)].add(respondent_id)
    rows = []
    for earlier, later in _pairs(waves):
        for group in groups:
            before = done[(earlier.pk, group)]
            both = before & done[(later.pk, group)]
            answered = _figure(len(before), exact)
            linked = _figure(len(both), exact)
            rows.append(
                LinkRow(
                    earlier=earlier,
                    later=later,
                    group=group,
                    group_label=_group_label(group),
                    answered=answered,
                    linked=linked,
                    ambiguous=None,
                    unlinked=_figure(len(before) - len(both), exact),
                    rate=_percent(linked, answered),
                )
            )
    return rows


def _anonymous_links(
    plan: EvaluationPlan, waves: list[Wave], groups: list[str], exact: bool
) -> list[LinkRow]:
    """Anonymous plans link consecutive waves' submitted answers by their hashed codes
    (analysis.linking), allowing the plan's number of differing elements."""
    codes: dict[tuple[int, str], dict[int, tuple[str | None, ...]]] = defaultdict(dict)
    for pk, wave_id, group, hashes in Response.objects.filter(
        plan=plan,
        partnership_id=plan.partnership_id,
        submitted_at__isnull=False,
        code_hashes__isnull=False,
    ).values_list("pk", "wave_id", "group", "code_hashes"):
        if isinstance(hashes, list) and hashes:
            codes[(wave_id, group)][pk] = tuple(hashes)
    width = len(linking.ELEMENTS)
    allowed = min(plan.link_mismatches, width - 1)
    rows = []
    for earlier, later in _pairs(waves):
        for group in groups:
            before, after = codes[(earlier.pk, group)], codes[(later.pk, group)]
            try:
                report = linking.link(before, after, max_mismatches=allowed).report
            except ValueError:  # codes of another width: nothing can be linked
                report = linking.LinkReport(0, len(after), 0, 0, len(after), 0, (0,), allowed)
            answered = _figure(report.later, exact)
            linked = _figure(report.linked, exact)
            rows.append(
                LinkRow(
                    earlier=earlier,
                    later=later,
                    group=group,
                    group_label=_group_label(group),
                    answered=answered,
                    linked=linked,
                    ambiguous=_figure(report.ambiguous, exact),
                    unlinked=_figure(report.unlinked, exact),
                    rate=_percent(linked, answered),
                )
            )
    return rows
