"""Providers and trainers in the JSON API, attached to the training router (imported from
``apps_providers.providers_ready``). A trainer's answers and clearances are personal data: the
operations that return them write a 'view' entry, as the pages do."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.audit import audit_view
from tip.training import purposes_providers as purposes
from tip.training import selectors_providers as selectors
from tip.training import services_providers as services
from tip.training.api import router
from tip.training.models_providers import ProviderKind, Trainer
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINER_RECORDS, VIEW_TRAINING
from tip.training.trainer_questions import load_questions


class ProviderOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    trainers: int = Field(description="How many trainers the provider has.")
    trainers_meeting_key_criteria: int


class ProviderIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: ProviderKind
    description: str = ""


class ProviderPatch(InputSchema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: ProviderKind | None = None
    description: str | None = None

    @field_validator("name", "kind", "description")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class AnswerOut(Schema):
    question: str = Field(description="The question's code in trainer_questions.yaml.")
    key_criterion: bool
    answer: str = Field(description="yes, partly, no or unknown.")
    evidence: str


class ClearanceOut(Schema):
    id: int
    clearance_type: str = Field(description="The type's code in clearance_types.yaml.")
    status: str = Field(description="applied or granted.")
    applied_on: date | None
    issued_on: date | None
    expires_on: date | None


class TrainerOut(Schema):
    id: int
    provider: int
    name: str
    role: str
    meets_key_criteria: bool
    answers: list[AnswerOut]
    clearances: list[ClearanceOut]


class TrainerIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(default="", max_length=200)


def _provider_out(provider: Any) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "name": provider.name,
        "kind": provider.kind,
        "description": provider.description,
        "trainers": len(provider.trainers.all()),
        "trainers_meeting_key_criteria": selectors.meeting_count(provider=provider),
    }


def _trainers_out(trainers: list[Trainer]) -> list[dict[str, Any]]:
    questions = load_questions()
    team = selectors.team(trainers=trainers)
    out = []
    for row in team.rows:
        t = row.trainer
        answers = {a.question_code: a for a in t.answers.all()}
        out.append(
            {
                "id": t.pk,
                "provider": t.provider_id,
                "name": t.name,
                "role": t.role,
                "meets_key_criteria": row.meets,
                "answers": [
                    {
                        "question": q.code,
                        "key_criterion": q.key,
                        "answer": answers[q.code].answer if q.code in answers else "unknown",
                        "evidence": answers[q.code].evidence if q.code in answers else "",
                    }
                    for q in questions
                ],
                "clearances": list(t.clearances.all()),
            }
        )
    return out


@router.get(
    "/providers",
    summary="List the training providers",
    **_documented({200: list[ProviderOut]}, 401, 403),
)
def provider_list(request: HttpRequest) -> Any:
    m = _need(request, VIEW_TRAINING)
    return [_provider_out(p) for p in selectors.provider_list(partnership=m.partnership)]


@router.post(
    "/providers",
    summary="Add a training provider",
    **_documented({201: ProviderOut}, 400, 401, 403, 409, 422),
)
def provider_create(request: HttpRequest, payload: ProviderIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    provider = services.provider_create(
        partnership=m.partnership, by=m.user, via=VIA, **payload.dict()
    )
    _m, created = _provider(request, MANAGE_TRAINING, provider.pk)
    return Status(201, _provider_out(created))


def _provider(request: HttpRequest, capability: str, provider_id: int) -> tuple[Any, Any]:
    """The provider with its trainers counted and their answers prefetched; 404 if it is not the
    partnership's."""
    m = _need(request, capability)
    provider = selectors.provider_list(partnership=m.partnership).filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    return m, provider


@router.get(
    "/providers/{int:provider_id}",
    summary="One training provider",
    **_documented({200: ProviderOut}, 401, 403, 404),
)
def provider_detail(request: HttpRequest, provider_id: int) -> Any:
    _m, provider = _provider(request, VIEW_TRAINING, provider_id)
    return _provider_out(provider)


@router.patch(
    "/providers/{int:provider_id}",
    summary="Change a training provider",
    **_documented({200: ProviderOut}, 400, 401, 403, 404, 409, 422),
)
def provider_patch(request: HttpRequest, provider_id: int, payload: ProviderPatch) -> Any:
    m, provider = _provider(request, MANAGE_TRAINING, provider_id)
    services.provider_update(
        provider=provider, by=m.user, via=VIA, **payload.dict(exclude_unset=True)
    )
    _m, provider = _provider(request, MANAGE_TRAINING, provider_id)
    return _provider_out(provider)


@router.delete(
    "/providers/{int:provider_id}",
    summary="Remove a training provider, with its trainers and their records",
    **_documented({204: None}, 401, 403, 404),
)
def provider_delete(request: HttpRequest, provider_id: int) -> Any:
    m, provider = _provider(request, MANAGE_TRAINING, provider_id)
    services.provider_delete(provider=provider, by=m.user, via=VIA)
    return Status(204, None)


@router.get(
    "/providers/{int:provider_id}/trainers",
    summary="A provider's trainers, with their answers and clearances (audited)",
    **_documented({200: list[TrainerOut]}, 401, 403, 404),
)
def trainer_list(request: HttpRequest, provider_id: int) -> Any:
    m = _need(request, VIEW_TRAINER_RECORDS)
    provider = selectors.provider_get(partnership=m.partnership, provider_id=provider_id)
    trainers = selectors.trainer_list(provider=provider)
    audit_view(
        actor=m.user,
        obj=provider,
        partnership=m.partnership,
        purpose=purposes.PROVIDER_TEAM,
        via=VIA,
    )
    return _trainers_out(trainers)


@router.post(
    "/providers/{int:provider_id}/trainers",
    summary="Add a trainer to a provider",
    **_documented({201: TrainerOut}, 400, 401, 403, 404, 409, 422),
)
def trainer_create(request: HttpRequest, provider_id: int, payload: TrainerIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    provider = selectors.provider_get(partnership=m.partnership, provider_id=provider_id)
    trainer = services.trainer_create(provider=provider, by=m.user, via=VIA, **payload.dict())
    return Status(201, _trainers_out([trainer])[0])


@router.get(
    "/trainers/{int:trainer_id}",
    summary="One trainer, with their answers and clearances (audited)",
    **_documented({200: TrainerOut}, 401, 403, 404),
)
def trainer_detail(request: HttpRequest, trainer_id: int) -> Any:
    m = _need(request, VIEW_TRAINER_RECORDS)
    trainer = selectors.trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    audit_view(
        actor=m.user,
        obj=trainer,
        partnership=m.partnership,
        purpose=purposes.TRAINER_RECORD,
        via=VIA,
    )
    return _trainers_out([trainer])[0]


@router.delete(
    "/trainers/{int:trainer_id}",
    summary="Remove a trainer, with their answers and clearances",
    **_documented({204: None}, 401, 403, 404),
)
def trainer_delete(request: HttpRequest, trainer_id: int) -> Any:
    m = _need(request, MANAGE_TRAINING)
    trainer = selectors.trainer_get(partnership=m.partnership, trainer_id=trainer_id)
    services.trainer_delete(trainer=trainer, by=m.user, via=VIA)
    return Status(204, None)
