"""A trainer's certifications and quality-assurance observations in the JSON API, on the
training router (imported from ``apps_cascade.cascade_ready``). They are personal data about the
trainer: the operations that return them write a 'view' entry, as the pages do."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.audit import audit_view
from tip.core.models import Partnership
from tip.training import purposes_cascade as purposes
from tip.training import selectors_cascade as selectors
from tip.training import services_cascade as services
from tip.training.api import router
from tip.training.models_courses import CourseVersion
from tip.training.models_delivery import QaObservation, TrainerCertification
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS
from tip.training.selectors_providers import trainer_get


class CertificationOut(Schema):
    id: int
    trainer: int
    course: int
    course_version: int
    version_number: int
    certified_on: date
    certified_by: int | None = Field(description="The trainer who trained them, if recorded.")
    session: int | None


class StandingOut(Schema):
    course: int
    status: str = Field(description="certified, observation_due or lapsed.")
    out_of_date: bool = Field(
        description="Certified on an earlier version than the latest, not acknowledged."
    )
    last_observed_on: date | None
    observation_due_on: date
    lapses_on: date


class CertificationsOut(Schema):
    certifications: list[CertificationOut]
    standing: list[StandingOut] = Field(description="The trainer's status on each course.")


class CertificationIn(InputSchema):
    course_version: int = Field(description="The id of the course version they may deliver.")
    certified_on: date
    certified_by: int | None = None
    session: int | None = None


class ObservationOut(Schema):
    id: int
    trainer: int
    session: int | None
    observed_on: date
    observer: str
    ratings: dict[str, int] = Field(
        description="A rating from 1 to 4 for each criterion code in qa_criteria.yaml."
    )
    notes: str


class ObservationIn(InputSchema):
    observed_on: date
    observer: str = Field(min_length=1, max_length=200)
    ratings: dict[str, int]
    notes: str = Field(default="", max_length=5000)
    session: int | None = None


def _certification_out(c: TrainerCertification) -> dict[str, Any]:
    return {
        "id": c.pk,
        "trainer": c.trainer_id,
        "course": c.course_version.course_id,
        "course_version": c.course_version_id,
        "version_number": c.course_version.number,
        "certified_on": c.certified_on,
        "certified_by": c.certified_by_id,
        "session": c.session_id,
    }


def _observation_out(o: QaObservation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "trainer": o.trainer_id,
        "session": o.session_id,
        "observed_on": o.observed_on,
        "observer": o.observer,
        "ratings": o.ratings,
        "notes": o.notes,
    }


def _one(model: Any, partnership: Partnership, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = model.objects.for_partnership(partnership).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def _certifications(partnership: Partnership, trainer: Trainer) -> dict[str, Any]:
    entries = selectors.cascade_entries(partnership=partnership, trainer=trainer)
    certifications = sorted(
        (c for e in entries for c in e.certifications), key=lambda c: (c.certified_on, c.pk)
    )
    return {
        "certifications": [_certification_out(c) for c in certifications],
        "standing": [
            {
                "course": e.course.pk,
                "status": e.standing.status,
                "out_of_date": e.out_of_date,
                "last_observed_on": e.standing.last_observed_on,
                "observation_due_on": e.standing.observation_due_on,
                "lapses_on": e.standing.lapses_on,
            }
            for e in entries
        ],
    }


@router.get(
    "/trainers/{int:trainer_id}/certifications",
    summary="A trainer's certifications in the cascade, and their status (audited)",
    **_documented({200: CertificationsOut}, 401, 403, 404),
)
def certification_list(request: HttpRequest, trainer_id: int) -> Any:
    m = _need(request, VIEW_TRAINER_RECORDS)
    trainer = trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    audit_view(
        actor=m.user,
        obj=trainer,
        partnership=m.partnership,
        purpose=purposes.COURSE_CASCADE,
        via=VIA,
    )
    return _certifications(m.partnership, trainer)


@router.post(
    "/trainers/{int:trainer_id}/certifications",
    summary="Record that a trainer is certified to deliver a course version",
    **_documented({201: CertificationOut}, 400, 401, 403, 404, 409, 422),
)
def certification_create(request: HttpRequest, trainer_id: int, payload: CertificationIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    trainer = trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    certification = services.certification_create(
        trainer=trainer,
        course_version=_one(
            CourseVersion,
            m.partnership,
            payload.course_version,
            "course_version",
            _("Choose a version of one of the partnership's courses"),
        ),
        certified_on=payload.certified_on,
        certified_by=_one(
            Trainer,
            m.partnership,
            payload.certified_by,
            "certified_by",
            _("Choose one of the partnership's trainers"),
        ),
        session=_one(
            Session,
            m.partnership,
            payload.session,
            "session",
            _("Choose one of the partnership's sessions"),
        ),
        by=m.user,
        via=VIA,
    )
    return Status(201, _certification_out(certification))


@router.get(
    "/trainers/{int:trainer_id}/observations",
    summary="A trainer's quality-assurance observations (audited)",
    **_documented({200: list[ObservationOut]}, 401, 403, 404),
)
def observation_list(request: HttpRequest, trainer_id: int) -> Any:
    m = _need(request, VIEW_TRAINER_RECORDS)
    trainer = trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    audit_view(
        actor=m.user,
        obj=trainer,
        partnership=m.partnership,
        purpose=purposes.TRAINER_OBSERVATIONS,
        via=VIA,
    )
    return [_observation_out(o) for o in selectors.observation_list(trainer=trainer)]


@router.post(
    "/trainers/{int:trainer_id}/observations",
    summary="Record a quality-assurance observation of a trainer",
    **_documented({201: ObservationOut}, 400, 401, 403, 404, 409, 422),
)
def observation_create(request: HttpRequest, trainer_id: int, payload: ObservationIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    trainer = trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    observation = services.observation_create(
        trainer=trainer,
        observed_on=payload.observed_on,
        observer=payload.observer,
        ratings=payload.ratings,
        notes=payload.notes,
        session=_one(
            Session,
            m.partnership,
            payload.session,
            "session",
            _("Choose one of the partnership's sessions"),
        ),
        by=m.user,
        via=VIA,
    )
    return Status(201, _observation_out(observation))
