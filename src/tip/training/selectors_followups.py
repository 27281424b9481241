"""Reads of follow-up invitations, scoped to the partnership: a course's invitations by due date
with their counts, one invitation, a person's own, and a programme's totals for the readiness
check. Each runs a fixed number of queries, whatever the number of invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tip.core.models import Membership, Partnership
from tip.programmes.models import Programme, WorkforceGroup
from tip.training.analysis import followups as rules
from tip.training.models_bookings import AttendanceMark, Booking
from tip.training.models_courses import Course
from tip.training.models_followups import FollowUpInvitation, FollowUpStatus

PER_PAGE = 50
# An invitation sent this many days ago with nothing recorded counts as overdue.
OVERDUE_AFTER_DAYS = 28


def today() -> date:
    return timezone.localtime(timezone.now(), rules.LONDON).date()


def _invitations(partnership: Partnership) -> QuerySet[FollowUpInvitation]:
    return FollowUpInvitation.objects.filter(partnership=partnership)


def _counts(queryset: QuerySet[FollowUpInvitation], on: date) -> rules.Counts:
    overdue_before = on - timedelta(days=OVERDUE_AFTER_DAYS)
    totals = queryset.aggregate(
        total=Count("pk"),
        **{s: Count("pk", filter=Q(status=s)) for s in rules.STATUSES},
        overdue=Count("pk", filter=Q(status=FollowUpStatus.INVITED, due_on__lt=overdue_before)),
    )
    return rules.Counts(**{k: int(v or 0) for k, v in totals.items()})


def course_counts(*, course: Course) -> rules.Counts:
    return _counts(_invitations(course.partnership).filter(follow_up__course=course), today())


@dataclass(frozen=True)
class ActivityCounts:
    name: str
    kind: str
    offset_text: str
    counts: rules.Counts


def activity_counts(*, course: Course) -> list[ActivityCounts]:
    """Counts for each of the course's follow-up activities (one query)."""
    on = today()
    overdue_before = on - timedelta(days=OVERDUE_AFTER_DAYS)
    follow_ups = (
        course.follow_ups.all()
        .annotate(
            total=Count("invitations"),
            **{s: Count("invitations", filter=Q(invitations__status=s)) for s in rules.STATUSES},
            overdue=Count(
                "invitations",
                filter=Q(
                    invitations__status=FollowUpStatus.INVITED,
                    invitations__due_on__lt=overdue_before,
                ),
            ),
        )
        .order_by("pk")
    )
    out = []
    for f in follow_ups:
        values = {k: int(getattr(f, k)) for k in ("total", *rules.STATUSES, "overdue")}
        out.append(
            ActivityCounts(
                name=f.name,
                kind=f.get_kind_display(),
                offset_text=f.offset_text(),
                counts=rules.Counts(**values),
            )
        )
    return out


def course_invitations(
    *, course: Course, status: str = "", page: int | str = 1
) -> Page[FollowUpInvitation]:
    """The course's invitations by due date (optionally in one status), 50 a page."""
    queryset = (
        _invitations(course.partnership)
        .filter(follow_up__course=course)
        .select_related(
            "follow_up",
            "booking__membership__user",
            "booking__membership__organisation",
            "booking__session",
        )
        .order_by("due_on", "booking__membership__user__full_name", "pk")
    )
    if status in rules.STATUSES:
        queryset = queryset.filter(status=status)
    return Paginator(queryset, PER_PAGE).get_page(page)


def course_invitations_all(
    *, course: Course, status: str = "", limit: int = 1000
) -> list[FollowUpInvitation]:
    queryset = (
        _invitations(course.partnership)
        .filter(follow_up__course=course)
        .select_related(
            "follow_up", "booking__membership__user", "booking__membership__organisation"
        )
        .order_by("due_on", "pk")
    )
    if status in rules.STATUSES:
        queryset = queryset.filter(status=status)
    return list(queryset[:limit])


def invitation_get(*, partnership: Partnership, invitation_id: int) -> FollowUpInvitation:
    found = (
        _invitations(partnership)
        .select_related(
            "follow_up__course",
            "booking__membership__user",
            "booking__membership__organisation",
            "booking__session",
        )
        .filter(pk=invitation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def my_invitations(*, membership: Membership) -> list[FollowUpInvitation]:
    """The person's own follow-ups, soonest first."""
    return list(
        _invitations(membership.partnership)
        .filter(booking__membership=membership)
        .select_related("follow_up", "booking__session__course")
        .order_by("due_on", "pk")
    )


# --- For the readiness check ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeAttendance:
    people: int  # distinct people who attended (in full or in part) a session of its courses
    senior_leaders: int  # of them, those who said they were senior leaders when booking
    senior_leaders_in_part: int  # senior leaders whose only attendance was partial


def programme_attendance(*, programme: Programme) -> ProgrammeAttendance:
    """Who attended the programme's courses' sessions, senior leaders counted apart (one
    query)."""
    attended = [AttendanceMark.ATTENDED, AttendanceMark.PARTLY]
    senior = Q(staff_group=WorkforceGroup.SENIOR_LEADERS)
    totals = Booking.objects.filter(
        partnership_id=programme.partnership_id,
        session__course__programme=programme,
        attendance__mark__in=attended,
    ).aggregate(
        people=Count("membership", distinct=True),
        senior=Count("membership", filter=senior, distinct=True),
        senior_full=Count(
            "membership",
            filter=senior & Q(attendance__mark=AttendanceMark.ATTENDED),
            distinct=True,
        ),
    )
    senior_count = int(totals["senior"] or 0)
    return ProgrammeAttendance(
        people=int(totals["people"] or 0),
        senior_leaders=senior_count,
        senior_leaders_in_part=senior_count - int(totals["senior_full"] or 0),
    )


def programme_counts(*, programme: Programme) -> tuple[rules.Counts, int]:
    """The programme's follow-up invitations, counted by status, and how many people they are
    for (one query)."""
    queryset = FollowUpInvitation.objects.filter(
        partnership_id=programme.partnership_id,
        follow_up__course__programme=programme,
    )
    on = today()
    overdue_before = on - timedelta(days=OVERDUE_AFTER_DAYS)
    totals = queryset.aggregate(
        total=Count("pk"),
        **{s: Count("pk", filter=Q(status=s)) for s in rules.STATUSES},
        overdue=Count("pk", filter=Q(status=FollowUpStatus.INVITED, due_on__lt=overdue_before)),
        people=Count("booking__membership", distinct=True),
    )
    people = int(totals.pop("people") or 0)
    return rules.Counts(**{k: int(v or 0) for k, v in totals.items()}), people
