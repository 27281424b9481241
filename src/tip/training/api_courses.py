"""Courses in the JSON API: list them, read one with its versions, modules, materials and
follow-up activities, and create one (with its first version). Materials are listed, not
downloaded: their files are private and served only by the course pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Sector
from tip.programmes.models import WorkforceGroup
from tip.programmes.selectors import programme_get
from tip.training import selectors_courses as selectors
from tip.training import services_courses as services
from tip.training.api import router
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING


class CourseOut(Schema):
    id: int
    name: str
    summary: str
    programme: int | None = Field(validation_alias="programme_id")
    topics: list[str] = Field(description="Codes of topics from the guidance's list.")
    own_topics: list[str] = Field(description="Topics the course names itself.")
    audience_sectors: list[str]
    audience_groups: list[str]
    hours: float
    shorter_than_a_day: bool = Field(
        validation_alias="is_short",
        description="Shorter than a training day (6 hours): the guidance doubts that is enough.",
    )
    slides_sent: bool
    train_the_trainer: bool
    created_at: datetime
    updated_at: datetime


class ModuleOut(Schema):
    id: int
    title: str
    summary: str
    duration_minutes: int
    order: int
    content_warnings: str = Field(description="What distressing content the module covers.")


class MaterialOut(Schema):
    id: int
    title: str
    original_name: str
    kind: str = Field(description="pdf, docx, pptx, xlsx, png, jpeg, gif, webp or text.")
    size: int = Field(description="In bytes.")
    uploaded_at: datetime


class VersionOut(Schema):
    id: int
    number: int
    changes: str = Field(description="What changed from the version before; empty for 1.")
    created_at: datetime
    modules: list[ModuleOut]
    materials: list[MaterialOut]


class FollowUpOut(Schema):
    id: int
    name: str
    kind: str = Field(description="follow_up or refresher.")
    offset: int
    offset_unit: str = Field(description="weeks or months: how long after the course.")


class CourseDetailOut(CourseOut):
    versions: list[VersionOut]
    follow_ups: list[FollowUpOut]


class CourseIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    hours: Decimal = Field(
        ge=Decimal("0.5"), le=200, decimal_places=1, description="Hours of training."
    )
    summary: str = ""
    programme: int | None = Field(default=None, description="The id of one of your programmes.")
    topics: list[str] = Field(default=[], description="Codes from the guidance's topic list.")
    own_topics: list[str] = Field(default=[], max_length=20)
    audience_sectors: list[Sector] = []
    audience_groups: list[WorkforceGroup] = []
    slides_sent: bool = False
    train_the_trainer: bool = False


@router.get("/courses", summary="List the courses", **_documented({200: list[CourseOut]}, 401, 403))
def course_list(request: HttpRequest) -> Any:
    m = _need(request, VIEW_TRAINING)
    return list(selectors.course_list(partnership=m.partnership))


@router.post(
    "/courses",
    summary="Add a course",
    description="The course starts with version 1, ready for modules and materials.",
    **_documented({201: CourseOut}, 400, 401, 403, 404, 409, 422),
)
def course_create(request: HttpRequest, payload: CourseIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    values = payload.dict()
    programme_id = values.pop("programme")
    programme = (
        programme_get(partnership=m.partnership, programme_id=programme_id)
        if programme_id is not None
        else None
    )
    course = services.course_create(
        partnership=m.partnership, programme=programme, by=m.user, via=VIA, **values
    )
    return Status(201, course)


@router.get(
    "/courses/{int:course_id}",
    summary="One course, with its versions, their modules and materials, and its follow-ups",
    **_documented({200: CourseDetailOut}, 401, 403, 404),
)
def course_detail(request: HttpRequest, course_id: int) -> Any:
    m = _need(request, VIEW_TRAINING)
    return selectors.course_detail_for_api(partnership=m.partnership, course_id=course_id)
