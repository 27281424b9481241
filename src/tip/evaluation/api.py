"""The evaluation part of the JSON API, under /api/evaluation: a programme's evaluation plan,
its waves and its planned measures, and the instruments in the library.

Registered from EvaluationConfig.ready() through core's ``register_router``. The same services
as the pages do the work, so the API refuses what the pages refuse, with the same messages
(422, naming the field), and writes the same audit entries. Ids of another partnership's
programmes, waves and measures answer 404."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Membership
from tip.evaluation import selectors, services
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave, WaveKind
from tip.evaluation.roles import PLAN_EVALUATIONS
from tip.programmes.selectors import programme_get

router = Router(tags=["evaluation"])

_KINDS = ", ".join(WaveKind.values)
M = TypeVar("M", bound=Model)


class PlanOut(Schema):
    id: int
    programme: int = Field(validation_alias="programme_id")
    comparison_group: bool = Field(description="Whether a matched comparison group is planned.")
    comparison_description: str = Field(description="Who the comparison group will be.")
    notes: str
    anonymous: bool = Field(
        description="How answers are linked over time: true with an anonymous code, false "
        "through the booking."
    )
    link_mismatches: int = Field(
        description="Anonymous code elements that may differ and still link two answers."
    )
    days_open: int = Field(description="Days a survey stays open after its invitation.")
    reminder_days: int = Field(description="Days before closing to send a reminder; 0 for none.")
    retention_days: int = Field(
        description="Days identifiers and free text are kept after the plan's last wave closes."
    )


_KEEP = " Left out: the plan's current value (a new plan's default)."


class PlanIn(InputSchema):
    comparison_group: bool = Field(description="Whether a matched comparison group is planned.")
    comparison_description: str = Field(
        default="", description="Who the comparison group will be: needed when one is planned."
    )
    notes: str = Field(default="")
    anonymous: bool | None = Field(
        default=None,
        description="Link answers with an anonymous code (true) or through the booking "
        "(false, the default). Cannot change once the plan has any response." + _KEEP,
    )
    link_mismatches: int | None = Field(
        default=None,
        description=f"0 to {services.MAX_LINK_MISMATCHES} (default 1): anonymous code elements "
        "that may differ and still link; kept, but unused, when linking through the booking."
        + _KEEP,
    )
    days_open: int | None = Field(
        default=None,
        description=f"{services.MIN_DAYS_OPEN} to {services.MAX_DAYS_OPEN} (default 14): days a "
        "survey stays open, for invitations made from then on." + _KEEP,
    )
    reminder_days: int | None = Field(
        default=None,
        description="Days before closing to send a reminder (default 3): fewer than days_open; "
        "0 for none." + _KEEP,
    )
    retention_days: int | None = Field(
        default=None,
        description=f"{services.MIN_RETENTION_DAYS} to {services.MAX_RETENTION_DAYS} (default "
        "730): days identifiers and free text are kept after the last wave closes; once the plan "
        "has any response it can be shortened, not lengthened." + _KEEP,
    )

    @field_validator(*services.SURVEY_FIELDS)
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class WaveOut(Schema):
    id: int
    name: str
    kind: str = Field(description=f"One of {_KINDS}.")
    offset_days: int = Field(description="Days from the session: negative before it.")
    timing: str = Field(description="When, in words, as the pages say it.")

    @staticmethod
    def resolve_timing(obj: Wave) -> str:
        return selectors.timing(obj.offset_days)


class WaveIn(InputSchema):
    name: str = Field(description="The wave's name in the plan's words; unique in the plan.")
    kind: str = Field(description=f"One of {_KINDS}.")
    offset_days: int = Field(
        description="Days from the session, -90 to 1095: a baseline 0 or less, a follow-up "
        "more than 0, straight after 0 or more."
    )


class WavePatch(InputSchema):
    name: str | None = None
    kind: str | None = None
    offset_days: int | None = None

    @field_validator("name", "kind", "offset_days")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class MeasureOut(Schema):
    id: int
    instrument_id: str
    instrument_version: int
    title: str = Field(description="The instrument's title in the request's language.")
    waves: list[int]
    outcomes: list[int]
    indicators: list[int]

    @staticmethod
    def resolve_title(obj: PlannedMeasure) -> str:
        return services.instrument_title(obj.instrument_id, partnership=obj.partnership_id)

    @staticmethod
    def resolve_waves(obj: PlannedMeasure) -> list[int]:
        return sorted(w.pk for w in obj.waves.all())

    @staticmethod
    def resolve_outcomes(obj: PlannedMeasure) -> list[int]:
        return sorted(o.pk for o in obj.outcomes.all())

    @staticmethod
    def resolve_indicators(obj: PlannedMeasure) -> list[int]:
        return sorted(i.pk for i in obj.indicators.all())


class MeasureIn(InputSchema):
    instrument_id: str = Field(description="The id of an instrument in the library (tip-kac).")
    instrument_version: int = Field(description="Its version in the library.")
    waves: list[int] = Field(
        description="Ids of the plan's waves at which it is used: one or more."
    )
    outcomes: list[int] = Field(default=[], description="Ids of the programme's outcomes.")
    indicators: list[int] = Field(default=[], description="Ids of the outcomes' indicators.")


class MeasurePatch(InputSchema):
    instrument_id: str | None = None
    instrument_version: int | None = None
    waves: list[int] | None = None
    outcomes: list[int] | None = None
    indicators: list[int] | None = None

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class InstrumentOut(Schema):
    id: str
    version: int
    title: str = Field(description="In the request's language.")
    validated: bool


def _plan(m: Membership, programme_id: int) -> EvaluationPlan:
    return selectors.plan_get(partnership=m.partnership, programme_id=programme_id)


def _pick(
    qs: QuerySet[M], ids: Sequence[int], field: str, message: str, errors: dict[str, str]
) -> list[M]:
    """The records with these ids among ``qs`` (the plan's or programme's own); any other id is
    refused with the service's message, so another partnership's id says nothing."""
    wanted = list(dict.fromkeys(ids))
    found = {o.pk: o for o in qs.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        errors[field] = message
    return [found[i] for i in wanted if i in found]


def _measure_values(plan: EvaluationPlan, sent: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values = {
        "instrument_id": sent["instrument_id"],
        "instrument_version": sent["instrument_version"],
        "waves": _pick(
            selectors.wave_list(plan=plan),
            sent["waves"],
            "waves",
            _("Choose waves of this programme's evaluation plan"),
            errors,
        ),
        "outcomes": _pick(
            selectors.outcome_choices(programme=plan.programme),
            sent["outcomes"],
            "outcomes",
            _("Choose outcomes of this programme's Theory of Change"),
            errors,
        ),
        "indicators": _pick(
            selectors.indicator_choices(programme=plan.programme),
            sent["indicators"],
            "indicators",
            _("Choose indicators of the outcomes in this programme's Theory of Change"),
            errors,
        ),
    }
    if errors:
        raise ValidationError(errors)
    return values


_PLAN_REFUSALS = (
    "Refused with 422, naming the field, for a comparison group planned without saying who it "
    "will be, text that is too long, a number of how surveys run out of its range, a reminder "
    "not fewer days before closing than the survey is open, switching anonymous once the plan "
    "has any response, or lengthening retention_days once it has any. Nothing is saved."
)
_WAVE_REFUSALS = (
    "Refused with 422, naming the field, for a name already used in the plan, an unknown kind, "
    "a baseline after the session day, a follow-up on or before it, or an offset outside -90 to "
    "1095 days. Nothing is saved."
)
_MEASURE_REFUSALS = (
    "Refused with 422, naming the field, for an instrument or version not in the library, an "
    "instrument the plan already uses, no waves, or waves, outcomes or indicators not of this "
    "programme. Nothing is saved."
)


@router.get(
    "/instruments",
    summary="The instruments in the library",
    **_documented({200: list[InstrumentOut]}, 401, 403),
)
def evaluation_instrument_list(request: HttpRequest) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    language = get_language() or "en"
    return [
        {
            "id": i.id,
            "version": i.version,
            "title": i.title.in_language(language),
            "validated": i.validated,
        }
        for i in selectors.instruments(m.partnership)
    ]


@router.get(
    "/programmes/{int:programme_id}/plan",
    summary="A programme's evaluation plan",
    description="404 when the programme has no plan yet: create it with PUT.",
    **_documented({200: PlanOut}, 401, 403, 404),
)
def evaluation_plan_get(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return _plan(m, programme_id)


@router.put(
    "/programmes/{int:programme_id}/plan",
    summary="Create or change a programme's evaluation plan",
    description="Creates the plan (201), with the default waves: a baseline 7 days before the "
    "session, straight after it, 182 and 365 days after; or changes it (200). " + _PLAN_REFUSALS,
    **_documented({200: PlanOut, 201: PlanOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_plan_put(request: HttpRequest, programme_id: int, payload: PlanIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    programme = programme_get(partnership=m.partnership, programme_id=programme_id)
    existing = selectors.plan_of(programme=programme)
    sent = payload.dict(exclude_unset=True)
    if existing is None:
        plan = services.plan_create(programme=programme, by=m.user, via=VIA, **sent)
        return Status(201, plan)
    return services.plan_update(plan=existing, by=m.user, via=VIA, **sent)


@router.get(
    "/programmes/{int:programme_id}/waves",
    summary="The waves of a programme's evaluation plan, in order",
    **_documented({200: list[WaveOut]}, 401, 403, 404),
)
def evaluation_wave_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return list(selectors.wave_list(plan=_plan(m, programme_id)))


@router.post(
    "/programmes/{int:programme_id}/waves",
    summary="Add a wave to a programme's evaluation plan",
    description=_WAVE_REFUSALS,
    **_documented({201: WaveOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_wave_create(request: HttpRequest, programme_id: int, payload: WaveIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = _plan(m, programme_id)
    wave = services.wave_create(plan=plan, by=m.user, via=VIA, **payload.dict())
    return Status(201, wave)


@router.patch(
    "/waves/{int:wave_id}",
    summary="Change a wave",
    description="Fields left out keep their values. " + _WAVE_REFUSALS,
    **_documented({200: WaveOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_wave_patch(request: HttpRequest, wave_id: int, payload: WavePatch) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    wave = selectors.wave_get(partnership=m.partnership, wave_id=wave_id)
    sent = payload.dict(exclude_unset=True)
    values = {f: sent.get(f, getattr(wave, f)) for f in ("name", "kind", "offset_days")}
    return services.wave_update(wave=wave, by=m.user, via=VIA, **values)


@router.delete(
    "/waves/{int:wave_id}",
    summary="Remove a wave",
    description="Refused with 422 for the plan's last wave, or the only wave of a measure.",
    **_documented({204: None}, 401, 403, 404, 422),
)
def evaluation_wave_delete(request: HttpRequest, wave_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    wave = selectors.wave_get(partnership=m.partnership, wave_id=wave_id)
    services.wave_delete(wave=wave, by=m.user, via=VIA)
    return Status(204, None)


@router.get(
    "/programmes/{int:programme_id}/measures",
    summary="The instruments a programme's evaluation plan uses",
    **_documented({200: list[MeasureOut]}, 401, 403, 404),
)
def evaluation_measure_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return list(selectors.measure_list(plan=_plan(m, programme_id)))


@router.post(
    "/programmes/{int:programme_id}/measures",
    summary="Add an instrument to a programme's evaluation plan",
    description=_MEASURE_REFUSALS,
    **_documented({201: MeasureOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_measure_create(request: HttpRequest, programme_id: int, payload: MeasureIn) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = _plan(m, programme_id)
    values = _measure_values(plan, payload.dict())
    measure = services.measure_create(plan=plan, by=m.user, via=VIA, **values)
    return Status(201, selectors.measure_get(partnership=m.partnership, measure_id=measure.pk))


@router.patch(
    "/measures/{int:measure_id}",
    summary="Change a planned instrument's waves, outcomes or indicators",
    description="Fields left out keep their values. " + _MEASURE_REFUSALS,
    **_documented({200: MeasureOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_measure_patch(request: HttpRequest, measure_id: int, payload: MeasurePatch) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    measure = selectors.measure_get(partnership=m.partnership, measure_id=measure_id)
    sent = payload.dict(exclude_unset=True)
    current = {
        "instrument_id": measure.instrument_id,
        "instrument_version": measure.instrument_version,
        "waves": [w.pk for w in measure.waves.all()],
        "outcomes": [o.pk for o in measure.outcomes.all()],
        "indicators": [i.pk for i in measure.indicators.all()],
    }
    values = _measure_values(measure.plan, current | sent)
    services.measure_update(measure=measure, by=m.user, via=VIA, **values)
    return selectors.measure_get(partnership=m.partnership, measure_id=measure.pk)


@router.delete(
    "/measures/{int:measure_id}",
    summary="Remove an instrument from a programme's evaluation plan",
    **_documented({204: None}, 401, 403, 404),
)
def evaluation_measure_delete(request: HttpRequest, measure_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    measure = selectors.measure_get(partnership=m.partnership, measure_id=measure_id)
    services.measure_delete(measure=measure, by=m.user, via=VIA)
    return Status(204, None)
