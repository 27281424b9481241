"""Training sessions in the JSON API: list them (upcoming or past), read one, and add a draft.

Times go out in ISO 8601 with their Europe/London offset (``+00:00`` in winter, ``+01:00`` in
summer) and come in as a date with start and end times in Europe/London, as on the pages. The
online joining link is given only to those who may see it (``can_see_online_link``); a session's
trainers are named only in the single-session operation, which records the view."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Schema, Status
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.audit import audit_view
from tip.core.models import Membership, Sector
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_sessions as selectors
from tip.training import services_sessions as services
from tip.training.analysis.sessions import to_london
from tip.training.api import router
from tip.training.models_courses import Course
from tip.training.models_sessions import Session, SessionFormat, Venue
from tip.training.purposes_sessions import SESSION_TRAINERS
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING


class PartOut(Schema):
    id: int
    starts_at: str = Field(
        description="ISO 8601 with the Europe/London offset: +00:00 in winter, +01:00 in summer."
    )
    ends_at: str


class SessionOut(Schema):
    id: int
    title: str = Field(description="The session's own title; empty means the course's name.")
    course: int
    course_name: str
    course_version: int = Field(description="The number of the course's version taught.")
    format: str = Field(description="virtual, in_person or hybrid.")
    status: str = Field(description="draft, published (open for booking) or cancelled.")
    confirmed: bool = Field(description="Whether the trainers have been confirmed.")
    venue: int | None
    venue_name: str
    capacity: int
    places_left: int
    recommended_group_size: int | None
    planned_breaks: str
    audience_sectors: list[str]
    audience_groups: list[str]
    reconfirm_days: list[int] = Field(
        description="Days before the first part when people confirm; empty: the format's usual."
    )
    sequence: int = Field(description="Goes up with each change people are told about.")
    online_link: str | None = Field(
        description="Only for the session's trainers, people who manage training and "
        "participants with a booked place; null for others."
    )
    cancellation_reason: str
    parts: list[PartOut]


class TrainerOut(Schema):
    id: int
    name: str
    provider: str


class SessionDetailOut(SessionOut):
    trainers: list[TrainerOut]


class PartIn(InputSchema):
    date: date
    starts: time = Field(description="Europe/London wall-clock time, such as 09:30.")
    ends: time


class SessionIn(InputSchema):
    course: int = Field(description="The id of one of your courses.")
    version: int | None = Field(default=None, ge=1, description="Empty: the latest version.")
    title: str = Field(default="", max_length=200)
    format: SessionFormat
    venue: int | None = Field(default=None, description="Needed in person and hybrid.")
    online_link: str = Field(default="", max_length=500, description="Needed virtual and hybrid.")
    capacity: int = Field(ge=1, le=services.MAX_CAPACITY)
    recommended_group_size: int | None = Field(default=None, ge=1)
    planned_breaks: str = ""
    audience_sectors: list[Sector] = []
    audience_groups: list[WorkforceGroup] = []
    reconfirm_days: list[int] = Field(default=[], max_length=5)
    parts: list[PartIn] = Field(min_length=1, max_length=20)


def _out(
    session: Session, membership: Membership, *, link: bool | None = None, trainers: bool = False
) -> dict[str, Any]:
    if link is None:
        link = selectors.can_see_online_link(session, membership)
    parts = sorted(session.parts.all(), key=lambda p: (p.starts_at, p.pk))
    out = {
        "id": session.pk,
        "title": session.title,
        "course": session.course_id,
        "course_name": session.course.name,
        "course_version": session.course_version.number,
        "format": session.format,
        "status": session.status,
        "confirmed": session.confirmed_at is not None,
        "venue": session.venue_id,
        "venue_name": session.venue.name if session.venue else "",
        "capacity": session.capacity,
        "places_left": selectors.places_left(session),
        "recommended_group_size": session.recommended_group_size,
        "planned_breaks": session.planned_breaks,
        "audience_sectors": session.audience_sectors,
        "audience_groups": session.audience_groups,
        "reconfirm_days": session.reconfirm_days,
        "sequence": session.sequence,
        "online_link": session.online_link if session.online_link and link else None,
        "cancellation_reason": session.cancellation_reason,
        "parts": [
            {
                "id": p.pk,
                "starts_at": to_london(p.starts_at).isoformat(),
                "ends_at": to_london(p.ends_at).isoformat(),
            }
            for p in parts
        ],
    }
    if trainers:
        out["trainers"] = [
            {"id": st.trainer.pk, "name": st.trainer.name, "provider": st.trainer.provider.name}
            for st in session.session_trainers.all()
        ]
    return out


class SessionFilter(Schema):
    past: bool = Field(default=False, description="Past sessions, latest first.")
    course: int | None = None
    format: SessionFormat | None = None


@router.get(
    "/sessions",
    summary="List the sessions: upcoming ones soonest first, or past ones",
    **_documented({200: list[SessionOut]}, 401, 403),
)
def session_list(request: HttpRequest, filters: Query[SessionFilter]) -> Any:
    m = _need(request, VIEW_TRAINING)
    sessions = list(
        selectors.session_list(
            partnership=m.partnership,
            past=filters.past,
            course_id=filters.course,
            format=filters.format,
        )
        .select_related("course_version")
        .prefetch_related("parts")[:500]
    )
    allowed = selectors.link_visible_in(sessions, m)
    return [_out(s, m, link=s.pk in allowed) for s in sessions]


@router.get(
    "/sessions/{int:session_id}",
    summary="One session, with its parts and trainers",
    **_documented({200: SessionDetailOut}, 401, 403, 404),
)
def session_detail(request: HttpRequest, session_id: int) -> Any:
    m = _need(request, VIEW_TRAINING)
    session = selectors.session_get(partnership=m.partnership, session_id=session_id)
    if session.session_trainers.all():
        audit_view(
            actor=m.user, obj=session, partnership=m.partnership, purpose=SESSION_TRAINERS, via=VIA
        )
    return _out(session, m, trainers=True)


@router.post(
    "/sessions",
    summary="Add a draft session",
    description="Times are Europe/London. A time the spring clock change skips is refused; one "
    "the autumn change repeats is read as the first, in British Summer Time.",
    **_documented({201: SessionDetailOut}, 400, 401, 403, 404, 409, 422),
)
def session_create(request: HttpRequest, payload: SessionIn) -> Any:
    m = _need(request, MANAGE_TRAINING)
    values = payload.dict()
    course = get_object_or_404(
        Course.objects.for_partnership(m.partnership), pk=values.pop("course")
    )
    venue_id = values.pop("venue")
    venue = (
        get_object_or_404(Venue.objects.for_partnership(m.partnership), pk=venue_id)
        if venue_id is not None
        else None
    )
    parts = [
        services.PartIn(day=p["date"], starts=p["starts"], ends=p["ends"])
        for p in values.pop("parts")
    ]
    session, _notes = services.session_create(
        partnership=m.partnership,
        course=course,
        parts=parts,
        version_number=values.pop("version"),
        venue=venue,
        by=m.user,
        via=VIA,
        **values,
    )
    session = selectors.session_get(partnership=m.partnership, session_id=session.pk)
    return Status(201, _out(session, m, trainers=True))
