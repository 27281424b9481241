"""Follow-up invitations in the JSON API: the current person's own, a course's for the people who
manage training (each read audited, as the page's is), and recording an invitation's outcome.
The same services as the pages do the work, with the same messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema
from pydantic import Field

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.audit import audit_view
from tip.training import purposes_followups as purposes
from tip.training import selectors_followups as selectors
from tip.training import services_followups as services
from tip.training.api import router
from tip.training.models_followups import FollowUpInvitation
from tip.training.roles import MANAGE_TRAINING, VIEW_TRAINING
from tip.training.selectors_courses import course_get

LIMIT = 1000


class MyFollowUpOut(Schema):
    id: int
    activity: str
    kind: str = Field(description="follow_up or refresher.")
    course: str
    due_on: date
    status: str = Field(description="scheduled, invited, completed, declined or missed.")
    completed_on: date | None


class InvitationOut(Schema):
    id: int
    booking: int
    participant: str = Field(description="The participant's name.")
    organisation: str
    activity: str
    follow_up: int = Field(description="The id of the course's follow-up activity.")
    due_on: date
    status: str = Field(description="scheduled, invited, completed, declined or missed.")
    invited_at: datetime | None
    reminded_at: datetime | None = Field(
        description="When the reminder before the due day was sent, if it was."
    )
    completed_on: date | None


class CountsOut(Schema):
    total: int
    scheduled: int
    invited: int
    completed: int
    declined: int
    missed: int


class CourseInvitationsOut(Schema):
    course: int
    counts: CountsOut
    invitations: list[InvitationOut] = Field(description=f"By due date; at most {LIMIT}.")


class InvitationFilter(Schema):
    status: str = Field(
        default="", description="Only this status: scheduled, invited, completed, declined, missed."
    )


class OutcomeIn(InputSchema):
    status: str = Field(description="completed, declined or missed.")
    completed_on: date | None = Field(default=None, description="Needed when completed.")


def _invitation_out(inv: FollowUpInvitation) -> dict[str, Any]:
    member = inv.booking.membership
    return {
        "id": inv.pk,
        "booking": inv.booking_id,
        "participant": member.user.full_name,
        "organisation": member.organisation.name,
        "activity": inv.follow_up.name,
        "follow_up": inv.follow_up_id,
        "due_on": inv.due_on,
        "status": inv.status,
        "invited_at": inv.invited_at,
        "reminded_at": inv.reminded_at,
        "completed_on": inv.completed_on,
    }


@router.get(
    "/my-follow-ups",
    summary="Your own follow-up invitations",
    description="The follow-up activities of the courses you attended, soonest first.",
    **_documented({200: list[MyFollowUpOut]}, 401, 403),
)
def my_follow_ups(request: HttpRequest) -> Any:
    m = _need(request, VIEW_TRAINING)
    return [
        {
            "id": inv.pk,
            "activity": inv.follow_up.name,
            "kind": inv.follow_up.kind,
            "course": inv.booking.session.course.name,
            "due_on": inv.due_on,
            "status": inv.status,
            "completed_on": inv.completed_on,
        }
        for inv in selectors.my_invitations(membership=m)
    ]


@router.get(
    "/courses/{int:course_id}/follow-up-invitations",
    summary="A course's follow-up invitations, with counts",
    description="Everyone invited to the course's follow-up activities, by due date. For the "
    "people who manage training; each read is recorded in the audit log.",
    **_documented({200: CourseInvitationsOut}, 401, 403, 404),
)
def follow_up_invitation_list(
    request: HttpRequest, course_id: int, filters: Query[InvitationFilter]
) -> Any:
    m = _need(request, MANAGE_TRAINING)
    course = course_get(partnership=m.partnership, course_id=course_id)
    audit_view(
        actor=m.user,
        obj=course,
        partnership=m.partnership,
        purpose=purposes.COURSE_INVITATIONS,
        via=VIA,
    )
    counts = selectors.course_counts(course=course)
    found = selectors.course_invitations_all(course=course, status=filters.status, limit=LIMIT)
    return {
        "course": course.pk,
        "counts": {
            "total": counts.total,
            "scheduled": counts.scheduled,
            "invited": counts.invited,
            "completed": counts.completed,
            "declined": counts.declined,
            "missed": counts.missed,
        },
        "invitations": [_invitation_out(inv) for inv in found],
    }


@router.patch(
    "/follow-up-invitations/{int:invitation_id}",
    summary="Record a follow-up invitation's outcome",
    description="completed (with the date), declined or missed. Recording it before the "
    "invitation is sent means it is never sent.",
    **_documented({200: InvitationOut}, 400, 401, 403, 404, 409, 422),
)
def follow_up_invitation_update(
    request: HttpRequest, invitation_id: int, payload: OutcomeIn
) -> Any:
    m = _need(request, MANAGE_TRAINING)
    found = selectors.invitation_get(partnership=m.partnership, invitation_id=invitation_id)
    services.invitation_mark(
        invitation=found,
        status=payload.status,
        completed_on=payload.completed_on,
        by=m.user,
        via=VIA,
    )
    return _invitation_out(
        selectors.invitation_get(partnership=m.partnership, invitation_id=invitation_id)
    )
