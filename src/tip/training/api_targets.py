"""A programme's training targets in the JSON API: list them, add one, read, change and remove
one. As on the targets pages, only people who manage training may, and the dashboard's services
do the work: the same checks, the same messages (422, naming the field) and the same audit
entries. The numbers trained against each target are on the dashboard (api_dashboard.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Membership, Organisation, Sector
from tip.programmes.models import WorkforceGroup
from tip.programmes.selectors import programme_get
from tip.training import selectors_dashboard as selectors
from tip.training import services_dashboard as services
from tip.training.api import naming_codes, router
from tip.training.models_followups import TrainingTarget
from tip.training.roles import MANAGE_TRAINING

_SECTORS = ", ".join(Sector.values)
_GROUPS = ", ".join(WorkforceGroup.values)


class TargetOut(Schema):
    id: int
    programme: int = Field(validation_alias="programme_id")
    sector: str = Field(description="A sector code, or empty for any sector.")
    organisation: int | None = Field(
        validation_alias="organisation_id", description="An organisation's id, or null for any."
    )
    staff_group: str = Field(description="A group of staff code, or empty for any group.")
    people: int = Field(description="How many people to train.")
    description: str = Field(description="The target in words, as the pages show it.")

    @staticmethod
    def resolve_description(obj: TrainingTarget) -> str:
        return services.describe_target(obj)


# The service checks every value (and for a duplicate target), so the schema only takes types:
# a refusal carries the page's message.
class TargetIn(InputSchema):
    sector: str = Field(default="", description=f"One of {_SECTORS}; empty for any sector.")
    organisation: int | None = Field(
        default=None,
        description="The id of one of the partnership's organisations; null for any. With a "
        "sector, the organisation must be in it.",
    )
    staff_group: str = Field(default="", description=f"One of {_GROUPS}; empty for any group.")
    people: int = Field(description="How many people to train: 1 to 100,000.")


class TargetPatch(InputSchema):
    sector: str | None = Field(default=None, description=f"One of {_SECTORS}; empty for any.")
    organisation: int | None = Field(
        default=None, description="An organisation's id; null for any organisation."
    )
    staff_group: str | None = Field(default=None, description=f"One of {_GROUPS}; empty for any.")
    people: int | None = Field(default=None, description="1 to 100,000.")

    @field_validator("sector", "staff_group", "people")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Leaving a field out keeps it; "any" is an empty string, so null would be ambiguous.
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


def _organisation(m: Membership, organisation_id: int | None) -> Organisation | None:
    """The partnership's organisation with this id. Another partnership's (or no such id) is
    refused with the service's message: the lookup is scoped, so the service never sees it."""
    if organisation_id is None:
        return None
    found = (
        selectors.organisation_choices(partnership=m.partnership).filter(pk=organisation_id).first()
    )
    if found is None:
        raise ValidationError({"organisation": _("Choose one of the partnership's organisations")})
    return found


def _target(m: Membership, target_id: int) -> TrainingTarget:
    return selectors.target_get(partnership=m.partnership, target_id=target_id)


_REFUSALS = (
    "Refused with 422, naming the field, for an unknown sector or group of staff, another "
    "partnership's organisation or one outside the sector, fewer than 1 or more than 100,000 "
    "people, or a target the programme already has. Nothing is saved."
)


@router.get(
    "/programmes/{int:programme_id}/training-targets",
    summary="A programme's training targets",
    **_documented({200: list[TargetOut]}, 401, 403, 404),
)
def target_list(request: HttpRequest, programme_id: int) -> Any:
    m = _need(request, MANAGE_TRAINING)
    programme = programme_get(partnership=m.partnership, programme_id=programme_id)
    return selectors.target_list(programme=programme)


@router.post(
    "/programmes/{int:programme_id}/training-targets",
    summary="Add a training target to a programme",
    description="How many people to train, for a sector, an organisation and/or a group of "
    "staff (each left out for any). " + _REFUSALS,
    **_documented({201: TargetOut}, 400, 401, 403, 404, 409, 422),
)
def target_create(request: HttpRequest, programme_id: int, payload: TargetIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    programme = programme_get(partnership=m.partnership, programme_id=programme_id)
    values = payload.dict()
    values["organisation"] = _organisation(m, values["organisation"])
    with naming_codes(sector=Sector.values, staff_group=WorkforceGroup.values):
        target = services.target_create(programme=programme, by=m.user, via=VIA, **values)
    return Status(201, target)


@router.get(
    "/training-targets/{int:target_id}",
    summary="One training target",
    **_documented({200: TargetOut}, 401, 403, 404),
)
def target_detail(request: HttpRequest, target_id: int) -> Any:
    m = _need(request, MANAGE_TRAINING)
    return _target(m, target_id)


@router.patch(
    "/training-targets/{int:target_id}",
    summary="Change a training target",
    description="Fields left out keep their values; an empty sector or group of staff, or a "
    "null organisation, means any. " + _REFUSALS,
    **_documented({200: TargetOut}, 400, 401, 403, 404, 409, 422),
)
def target_patch(request: HttpRequest, target_id: int, payload: TargetPatch) -> Any:
    m = _need(request, MANAGE_TRAINING)
    target = _target(m, target_id)
    sent = payload.dict(exclude_unset=True)
    values: dict[str, Any] = {
        "sector": sent.get("sector", target.sector),
        "organisation": (
            _organisation(m, sent["organisation"])
            if "organisation" in sent
            else target.organisation
        ),
        "staff_group": sent.get("staff_group", target.staff_group),
        "people": sent.get("people", target.people),
    }
    with naming_codes(sector=Sector.values, staff_group=WorkforceGroup.values):
        return services.target_update(target=target, by=m.user, via=VIA, **values)


@router.delete(
    "/training-targets/{int:target_id}",
    summary="Remove a training target",
    description="The dashboard stops counting against it; nobody's training record changes.",
    **_documented({204: None}, 401, 403, 404),
)
def target_delete(request: HttpRequest, target_id: int) -> Any:
    m = _need(request, MANAGE_TRAINING)
    services.target_delete(target=_target(m, target_id), by=m.user, via=VIA)
    return Status(204, None)
