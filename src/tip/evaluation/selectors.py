"""Reading evaluation plans, always scoped to the request's partnership: an id of another
partnership's plan, wave or measure answers 404, like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tip.core.models import Partnership
from tip.evaluation.analysis.instrument_model import Instrument
from tip.evaluation.instrument_library import shipped_instruments
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave
from tip.evaluation.selectors_instruments import (
    PartnershipRef,
    all_instruments,
    choosable_instruments,
)
from tip.evaluation.services import instrument_title
from tip.programmes.models import Element, ElementKind, Indicator, Programme
from tip.programmes.selectors import programme_list

# Days in an average month, to say a wave's timing in months.
DAYS_PER_MONTH = 30.4375


def months(days: int) -> float:
    """Days as months, to one decimal place: 182 days is 6.0 months, 180 days 5.9."""
    return round(days / DAYS_PER_MONTH, 1)


def timing(offset_days: int) -> str:
    """When a wave is, in words: "7 days before the session", "On the day of the session",
    "About 6 months after the session (182 days)"."""
    if offset_days == 0:
        return _("On the day of the session")
    if offset_days < 0:
        days = -offset_days
        return ngettext(
            "%(days)d day before the session", "%(days)d days before the session", days
        ) % {"days": days}
    whole = round(offset_days / DAYS_PER_MONTH)
    if offset_days >= 28 and whole >= 1:
        return ngettext(
            "About %(months)d month after the session (%(days)d days)",
            "About %(months)d months after the session (%(days)d days)",
            whole,
        ) % {"months": whole, "days": offset_days}
    return ngettext(
        "%(days)d day after the session", "%(days)d days after the session", offset_days
    ) % {"days": offset_days}


def instruments(partnership: PartnershipRef = None) -> list[Instrument]:
    """The instruments a plan may use: TIP's own, then the latest version of each of the
    partnership's own."""
    return choosable_instruments(partnership)


def instrument_choices(partnership: PartnershipRef = None) -> list[tuple[str, str]]:
    language = get_language() or "en"
    return [
        (
            i.id,
            _("%(title)s (%(id)s, version %(version)s)")
            % {"title": i.title.in_language(language), "id": i.id, "version": i.version},
        )
        for i in instruments(partnership)
    ]


def instrument_summaries(partnership: PartnershipRef = None) -> list[tuple[str, str, bool]]:
    """Each instrument's title and description in the reader's language, and whether it is
    validated."""
    language = get_language() or "en"
    return [
        (i.title.in_language(language), i.description.in_language(language), i.validated)
        for i in instruments(partnership)
    ]


@dataclass(frozen=True)
class PlanRow:
    programme: Programme
    plan: EvaluationPlan | None
    waves: int = 0
    measures: int = 0


def programme_plans(*, partnership: Partnership) -> list[PlanRow]:
    """The partnership's programmes, each with its plan (or None) and how many waves and
    measures it has: three queries."""
    programmes = list(programme_list(partnership=partnership))
    plans = {
        p.programme_id: p
        for p in EvaluationPlan.objects.for_partnership(partnership).prefetch_related(
            "waves", "measures"
        )
    }
    rows = []
    for programme in programmes:
        plan = plans.get(programme.pk)
        rows.append(
            PlanRow(
                programme,
                plan,
                len(plan.waves.all()) if plan else 0,
                len(plan.measures.all()) if plan else 0,
            )
        )
    return rows


def plan_of(*, programme: Programme) -> EvaluationPlan | None:
    plan: EvaluationPlan | None = (
        EvaluationPlan.objects.filter(programme=programme, partnership_id=programme.partnership_id)
        .select_related("programme")
        .first()
    )
    return plan


def plan_get(*, partnership: Partnership, programme_id: int) -> EvaluationPlan:
    """The plan of the partnership's programme, or 404 (no such programme, or no plan yet)."""
    plan: EvaluationPlan = get_object_or_404(
        EvaluationPlan.objects.for_partnership(partnership).select_related("programme"),
        programme_id=programme_id,
    )
    return plan


def wave_list(*, plan: EvaluationPlan) -> QuerySet[Wave]:
    qs: QuerySet[Wave] = Wave.objects.filter(plan=plan, partnership_id=plan.partnership_id)
    return qs.order_by("offset_days", "pk")


def wave_get(*, partnership: Partnership, wave_id: int) -> Wave:
    wave: Wave = get_object_or_404(
        Wave.objects.for_partnership(partnership).select_related("plan__programme"), pk=wave_id
    )
    return wave


def measure_list(*, plan: EvaluationPlan) -> QuerySet[PlannedMeasure]:
    qs: QuerySet[PlannedMeasure] = (
        PlannedMeasure.objects.filter(plan=plan, partnership_id=plan.partnership_id)
        .prefetch_related(
            Prefetch("waves", queryset=Wave.objects.order_by("offset_days", "pk")),
            Prefetch("outcomes", queryset=Element.objects.order_by("position", "pk")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("pk")),
        )
        .order_by("pk")
    )
    return qs


def measure_get(*, partnership: Partnership, measure_id: int) -> PlannedMeasure:
    measure: PlannedMeasure = get_object_or_404(
        PlannedMeasure.objects.for_partnership(partnership)
        .select_related("plan__programme")
        .prefetch_related("waves", "outcomes", "indicators"),
        pk=measure_id,
    )
    return measure


def outcome_choices(*, programme: Programme) -> QuerySet[Element]:
    qs: QuerySet[Element] = Element.objects.filter(
        programme=programme, partnership_id=programme.partnership_id, kind=ElementKind.OUTCOME
    ).order_by("position", "pk")
    return qs


def indicator_choices(*, programme: Programme) -> QuerySet[Indicator]:
    qs: QuerySet[Indicator] = (
        Indicator.objects.filter(
            outcome__programme=programme, partnership_id=programme.partnership_id
        )
        .select_related("outcome")
        .order_by("outcome__position", "outcome_id", "pk")
    )
    return qs


@dataclass
class MeasureView:
    """A planned measure as the plan page shows it."""

    measure: PlannedMeasure
    title: str
    validated: bool
    waves: list[Wave] = field(default_factory=list)
    outcomes: list[Element] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)


def measure_views(*, plan: EvaluationPlan) -> list[MeasureView]:
    measures = list(measure_list(plan=plan))
    shipped = {i.id for i in shipped_instruments()}
    # The partnership's own instruments are read only when the plan uses one.
    owner = None if all(m.instrument_id in shipped for m in measures) else plan.partnership_id
    known = {(i.id, i.version): i for i in all_instruments(owner)}
    language = get_language() or "en"
    views = []
    for m in measures:
        instrument = known.get((m.instrument_id, m.instrument_version)) or next(
            (i for (code, _v), i in known.items() if code == m.instrument_id), None
        )
        views.append(
            MeasureView(
                m,
                instrument.title.in_language(language) if instrument else m.instrument_id,
                bool(instrument and instrument.validated),
                list(m.waves.all()),
                list(m.outcomes.all()),
                list(m.indicators.all()),
            )
        )
    return views


def outcome_measures(programme: Programme) -> dict[int, list[str]]:
    """For the programme page (through programmes' outcome-measures extension point): for each
    outcome, how the plan measures it: "TIP knowledge, attitudes and confidence questionnaire:
    Baseline, Six months after". A measure linked to an indicator measures its outcome too.
    Two queries, whatever the plan's size: the programme page's count is bounded."""
    scope = {
        "plannedmeasure__plan__programme": programme,
        "plannedmeasure__partnership_id": programme.partnership_id,
    }
    waves: dict[int, list[str]] = {}
    instrument: dict[int, str] = {}
    for measure_id, instrument_id, name in (
        PlannedMeasure.waves.through.objects.filter(**scope)
        .order_by("wave__offset_days", "wave_id")
        .values_list("plannedmeasure_id", "plannedmeasure__instrument_id", "wave__name")
    ):
        waves.setdefault(measure_id, []).append(name)
        instrument[measure_id] = instrument_id
    targets = (
        PlannedMeasure.outcomes.through.objects.filter(**scope)
        .values_list("plannedmeasure_id", "element_id")
        .union(
            PlannedMeasure.indicators.through.objects.filter(**scope).values_list(
                "plannedmeasure_id", "indicator__outcome_id"
            )
        )
    )
    found: dict[int, list[str]] = {}
    for measure_id, outcome_id in sorted(targets):
        if measure_id in instrument:
            found.setdefault(outcome_id, []).append(
                _("%(instrument)s: %(waves)s")
                % {
                    "instrument": instrument_title(
                        instrument[measure_id], partnership=programme.partnership_id
                    ),
                    "waves": ", ".join(waves[measure_id]),
                }
            )
    return found
