"""Observations in the JSON API, under /api/evaluation: list a plan's observations, record one,
read one (with its scores) and remove one. The operations join the evaluation router when
apps.py imports this module. The same service as the pages does the work, so the API refuses
what the pages refuse (422, naming the field: ``answers.<item id>`` for an answer) and writes
the same audit entries. Ids of another partnership's observations answer 404."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.evaluation import selectors
from tip.evaluation import services_observations as services
from tip.evaluation.analysis.scoring import InvalidAnswers, score
from tip.evaluation.api import router
from tip.evaluation.models import Observation
from tip.evaluation.roles import PLAN_EVALUATIONS


class ObservationOut(Schema):
    id: int
    plan: int = Field(validation_alias="plan_id")
    session: int | None = Field(validation_alias="session_id")
    organisation: int | None = Field(validation_alias="organisation_id")
    team: str
    observed_on: datetime.date
    observer: int | None = Field(validation_alias="observer_id")
    instrument_id: str
    instrument_version: int
    answers: dict[str, Any] = Field(description="Item id to answer, in the stored form.")
    notes: str
    scores: dict[str, float | None] = Field(
        description="Each subscale's score and the total's (null: too few ratings)."
    )

    @staticmethod
    def resolve_scores(obj: Observation) -> dict[str, float | None]:
        instrument = services.observation_instrument()
        if obj.instrument_id != instrument.id:
            return {}
        try:
            return score(instrument, obj.answers or {}).values()
        except InvalidAnswers:
            return {}


class ObservationIn(InputSchema):
    session: int | None = Field(
        default=None, description="Id of a session of the programme's courses."
    )
    organisation: int | None = Field(
        default=None, description="Id of an organisation of the partnership."
    )
    team: str = Field(default="", description="A team's name (with or without an organisation).")
    observed_on: datetime.date = Field(description="The date observed: today or earlier.")
    answers: dict[str, Any] = Field(
        description="Item id of the observation form (tip-observation) to answer: a rating's "
        "number, 'not_applicable', an option's code, a number or text."
    )
    notes: str = Field(default="")


_REFUSALS = (
    "Refused with 422, naming the field, for nothing observed (or a session together with an "
    "organisation or team), a session not of the programme's courses, an organisation not of "
    "the partnership, a date in the future, or an answer the form does not accept "
    "(answers.<item id>). Nothing is saved."
)


@router.get(
    "/programmes/{int:programme_id}/observations",
    summary="The observations of a programme's evaluation plan, the latest first",
    **_documented({200: list[ObservationOut]}, 401, 403, 404),
)
def evaluation_observation_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    return list(services.observation_list(plan=plan))


@router.post(
    "/programmes/{int:programme_id}/observations",
    summary="Record an observation with the observation form",
    description="The observer is the token's owner. " + _REFUSALS,
    **_documented({201: ObservationOut}, 400, 401, 403, 404, 409, 422),
)
def evaluation_observation_create(
    request: HttpRequest, programme_id: int, payload: ObservationIn
) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    plan = selectors.plan_get(partnership=m.partnership, programme_id=programme_id)
    sent = payload.dict()
    errors: dict[str, str] = {}
    session = None
    if sent["session"] is not None:
        session = services.session_choices(plan=plan).filter(pk=sent["session"]).first()
        if session is None:
            errors["session"] = _("Choose a session of this programme's courses")
    organisation = None
    if sent["organisation"] is not None:
        organisation = (
            services.organisation_choices(plan=plan).filter(pk=sent["organisation"]).first()
        )
        if organisation is None:
            errors["organisation"] = _("Choose an organisation of the partnership")
    if errors:
        raise ValidationError(errors)
    observation = services.observation_create(
        plan=plan,
        by=m.user,
        via=VIA,
        session=session,
        organisation=organisation,
        team=sent["team"],
        observed_on=sent["observed_on"],
        answers=sent["answers"],
        notes=sent["notes"],
    )
    return Status(201, observation)


@router.get(
    "/observations/{int:observation_id}",
    summary="An observation, with its scores",
    **_documented({200: ObservationOut}, 401, 403, 404),
)
def evaluation_observation_get(request: HttpRequest, observation_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    return services.observation_get(partnership=m.partnership, observation_id=observation_id)


@router.delete(
    "/observations/{int:observation_id}",
    summary="Remove an observation",
    **_documented({204: None}, 401, 403, 404),
)
def evaluation_observation_delete(request: HttpRequest, observation_id: int) -> Any:
    m = _need(request, PLAN_EVALUATIONS)
    found = services.observation_get(partnership=m.partnership, observation_id=observation_id)
    services.observation_delete(observation=found, by=m.user, via=VIA)
    return Status(204, None)
