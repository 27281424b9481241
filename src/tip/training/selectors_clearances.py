"""Reads for clearances, settings and the partnership's planning figures, scoped to the
partnership; and the planner's view of every trainer's clearances for a setting and a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.training.analysis.clearances import Check, Held, Requirement, check_all
from tip.training.clearance_types import ClearanceType, clearance_types
from tip.training.models_clearances import (
    DEFAULT_OPTIMISM_BIAS,
    Clearance,
    ClearancePlanning,
    ClearanceStatus,
    DeliverySetting,
    LeadTimeOverride,
)
from tip.training.models_providers import Trainer


def setting_list(*, partnership: Partnership) -> QuerySet[DeliverySetting]:
    return DeliverySetting.objects.for_partnership(partnership).order_by("name")


def setting_get(*, partnership: Partnership, setting_id: int) -> DeliverySetting:
    obj: DeliverySetting = get_object_or_404(
        DeliverySetting.objects.for_partnership(partnership).select_related("partnership"),
        pk=setting_id,
    )
    return obj


def clearance_get(*, partnership: Partnership, clearance_id: int) -> Clearance:
    obj: Clearance = get_object_or_404(
        Clearance.objects.for_partnership(partnership).select_related(
            "trainer__provider", "partnership"
        ),
        pk=clearance_id,
    )
    return obj


def lead_times(*, partnership: Partnership) -> dict[str, int]:
    """Each clearance type's typical lead time in days: the partnership's own where it set one,
    else the default from the data file."""
    days = {code: t.lead_time_days for code, t in clearance_types().items()}
    for code, value in LeadTimeOverride.objects.for_partnership(partnership).values_list(
        "clearance_type", "lead_time_days"
    ):
        if code in days:
            days[code] = value
    return days


def optimism_bias(*, partnership: Partnership) -> int:
    found = (
        ClearancePlanning.objects.for_partnership(partnership)
        .values_list("optimism_bias_percent", flat=True)
        .first()
    )
    return DEFAULT_OPTIMISM_BIAS if found is None else found


def held_of(clearances: list[Clearance]) -> list[Held]:
    """The trainer's clearances as the date arithmetic sees them. Types no longer in the data
    file satisfy nothing."""
    types = clearance_types()
    held = []
    for c in clearances:
        kind = types.get(c.clearance_type)
        held.append(
            Held(
                code=c.clearance_type,
                granted=c.status == ClearanceStatus.GRANTED,
                satisfies=frozenset({kind.code, *kind.covers}) if kind else frozenset(),
                applied_on=c.applied_on,
                issued_on=c.issued_on,
                expires_on=c.expires_on,
            )
        )
    return held


def requirements_of(
    setting: DeliverySetting, days: dict[str, int]
) -> list[tuple[ClearanceType, Requirement]]:
    types = clearance_types()
    return [
        (types[code], Requirement(code, days[code]))
        for code in setting.required_clearances
        if code in types
    ]


@dataclass
class PlannedClearance:
    kind: ClearanceType
    check: Check
    clearance: Clearance | None  # the record that decided it, if any


@dataclass
class PlannedTrainer:
    trainer: Trainer
    clearances: list[PlannedClearance]

    @property
    def ready(self) -> bool:
        return all(c.check.ready for c in self.clearances)

    @property
    def at_risk(self) -> bool:
        return any(c.check.risk == "at_risk" for c in self.clearances)


def plan(
    *, partnership: Partnership, setting: DeliverySetting, needed_on: date, today: date
) -> list[PlannedTrainer]:
    """Every trainer of the partnership against the setting's required clearances on
    `needed_on`, with lead times uplifted by the partnership's optimism bias."""
    days = lead_times(partnership=partnership)
    bias = optimism_bias(partnership=partnership)
    requirements = requirements_of(setting, days)
    trainers = (
        Trainer.objects.for_partnership(partnership)
        .select_related("provider")
        .prefetch_related("clearances")
        .order_by("provider__name", "name", "pk")
    )
    planned = []
    for trainer in trainers:
        records = list(trainer.clearances.all())
        held = held_of(records)
        checks = check_all(
            [r for _t, r in requirements],
            held,
            needed_on=needed_on,
            today=today,
            optimism_bias_percent=bias,
        )
        by_held = dict(zip(held, records, strict=True))
        planned.append(
            PlannedTrainer(
                trainer=trainer,
                clearances=[
                    PlannedClearance(kind, c, by_held.get(c.held) if c.held else None)
                    for (kind, _r), c in zip(requirements, checks, strict=True)
                ],
            )
        )
    return planned


def clearance_rows(*, trainer: Trainer, language: str) -> list[tuple[Clearance, str]]:
    """The trainer's clearances with each type's name in `language` (a type no longer in the
    data file shows its code)."""
    types = clearance_types()
    return [
        (
            c,
            types[c.clearance_type].name(language)
            if c.clearance_type in types
            else c.clearance_type,
        )
        for c in trainer.clearances.all().order_by("clearance_type", "pk")
    ]


def type_rows(*, partnership: Partnership, language: str) -> list[tuple[ClearanceType, str, int]]:
    """Each clearance type, its name in `language` and the partnership's lead time."""
    days = lead_times(partnership=partnership)
    return [(t, t.name(language), days[code]) for code, t in clearance_types().items()]
