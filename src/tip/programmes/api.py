"""The programmes part of the JSON API: programmes and their Theory of Change elements and links.

Registered from ProgrammesConfig.ready() through core's `register_router`. The same services as
the pages do the work, so the API refuses what the pages refuse (a loop, a backwards link, an
element of another programme) with the same messages, and writes the same audit entries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Membership
from tip.programmes import selectors, services
from tip.programmes.models import ElementKind, EvidenceRating, Horizon, Level, Programme
from tip.programmes.roles import MANAGE_PROGRAMMES, VIEW_PROGRAMMES

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    id: int
    name: str
    aims: str
    created_at: datetime
    updated_at: datetime


class ProgrammeIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    aims: str = ""


class ElementOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    level: str = Field(description="Outcomes only: empty for activities and outputs.")
    horizon: str = Field(description="Outcomes only: empty for activities and outputs.")
    outcome_code: str
    position: int


class ElementIn(InputSchema):
    kind: ElementKind
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    level: Level | None = Field(default=None, description="Required for an outcome.")
    horizon: Horizon | None = Field(default=None, description="Required for an outcome.")
    outcome_code: str = Field(default="", max_length=100)


class ElementPatch(InputSchema):
    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = None
    level: Level | None = None
    horizon: Horizon | None = None

    @field_validator("title", "description", "level", "horizon")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; it cannot be null."))
        return value


class LinkOut(Schema):
    id: int
    source: int = Field(validation_alias="source_id")
    target: int = Field(validation_alias="target_id")
    evidence: str
    rationale: str
    evidence_source: str


class LinkIn(InputSchema):
    source: int = Field(description="The id of an element of this programme.")
    target: int = Field(description="The id of an element of this programme.")
    evidence: EvidenceRating
    rationale: str = ""
    evidence_source: str = Field(default="", max_length=500)


def _programme(
    request: HttpRequest, capability: str, programme_id: int
) -> tuple[Membership, Programme]:
    m = _need(request, capability)
    return m, selectors.programme_get(partnership=m.partnership, programme_id=programme_id)


@router.get("", summary="List the programmes", **_documented({200: list[ProgrammeOut]}, 401, 403))
def programme_list(request: HttpRequest) -> Any:
    m = _need(request, VIEW_PROGRAMMES)
    return list(selectors.programme_list(partnership=m.partnership))


@router.post(
    "",
    summary="Start a programme",
    **_documented({201: ProgrammeOut}, 400, 401, 403, 409, 422),
)
def programme_create(request: HttpRequest, payload: ProgrammeIn) -> Any:
    m = _need(request, MANAGE_PROGRAMMES)
    name = payload.name.strip()
    if selectors.programme_list(partnership=m.partnership).filter(name__iexact=name).exists():
        raise HttpError(
            409,
            _("A programme called '%(name)s' already exists. Choose another name.")
            % {"name": name},
        )
    programme = services.programme_create(
        partnership=m.partnership, name=name, aims=payload.aims, by=m.user, via=VIA
    )
    return Status(201, programme)


@router.get(
    "/{int:programme_id}",
    summary="One programme",
    **_documented({200: ProgrammeOut}, 401, 403, 404),
)
def programme_detail(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return programme


@router.get(
    "/{int:programme_id}/elements",
    summary="The elements of a programme's Theory of Change",
    **_documented({200: list[ElementOut]}, 401, 403, 404),
)
def element_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return list(selectors.element_list(programme=programme))


@router.post(
    "/{int:programme_id}/elements",
    summary="Add an activity, output or outcome",
    description="An outcome needs a level and a horizon.",
    **_documented({201: ElementOut}, 400, 401, 403, 404, 409, 422),
)
def element_create(request: HttpRequest, programme_id: int, payload: ElementIn) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    element = services.element_create(
        programme=programme,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        level=payload.level or "",
        horizon=payload.horizon or "",
        outcome_code=payload.outcome_code,
        by=m.user,
        via=VIA,
    )
    return Status(201, element)


@router.get(
    "/{int:programme_id}/elements/{int:element_id}",
    summary="One element",
    **_documented({200: ElementOut}, 401, 403, 404),
)
def element_detail(request: HttpRequest, programme_id: int, element_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return selectors.element_get(programme=programme, element_id=element_id)


@router.patch(
    "/{int:programme_id}/elements/{int:element_id}",
    summary="Change an element",
    description="The kind stays as it is. Level and horizon apply to outcomes only.",
    **_documented({200: ElementOut}, 400, 401, 403, 404, 409, 422),
)
def element_patch(
    request: HttpRequest, programme_id: int, element_id: int, payload: ElementPatch
) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    values = payload.dict(exclude_unset=True, exclude_none=True)
    return services.element_update(element=element, by=m.user, via=VIA, **values)


@router.delete(
    "/{int:programme_id}/elements/{int:element_id}",
    summary="Remove an element, with its links, notes and indicators",
    **_documented({204: None}, 401, 403, 404),
)
def element_delete(request: HttpRequest, programme_id: int, element_id: int) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    element = selectors.element_get(programme=programme, element_id=element_id)
    services.element_delete(element=element, by=m.user, via=VIA)
    return Status(204, None)


@router.get(
    "/{int:programme_id}/links",
    summary="The links of a programme's Theory of Change",
    **_documented({200: list[LinkOut]}, 401, 403, 404),
)
def link_list(request: HttpRequest, programme_id: int) -> Any:
    _m, programme = _programme(request, VIEW_PROGRAMMES, programme_id)
    return list(selectors.link_list(programme=programme))


@router.post(
    "/{int:programme_id}/links",
    summary="Add a link: one element leads to another",
    description=(
        "Refused with 422 when an end is not an element of this programme, when the link "
        "already exists, runs backwards (an outcome to an activity) or would make a loop."
    ),
    **_documented({201: LinkOut}, 400, 401, 403, 404, 409, 422),
)
def link_create(request: HttpRequest, programme_id: int, payload: LinkIn) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    elements = selectors.element_list(programme=programme).in_bulk([payload.source, payload.target])
    link = services.link_create(
        programme=programme,
        source=elements.get(payload.source),
        target=elements.get(payload.target),
        evidence=payload.evidence,
        rationale=payload.rationale,
        evidence_source=payload.evidence_source,
        by=m.user,
        via=VIA,
    )
    return Status(201, link)


@router.delete(
    "/{int:programme_id}/links/{int:link_id}",
    summary="Remove a link, with its notes",
    **_documented({204: None}, 401, 403, 404),
)
def link_delete(request: HttpRequest, programme_id: int, link_id: int) -> Any:
    m, programme = _programme(request, MANAGE_PROGRAMMES, programme_id)
    link = selectors.link_get(programme=programme, link_id=link_id)
    services.link_delete(link=link, by=m.user, via=VIA)
    return Status(204, None)
