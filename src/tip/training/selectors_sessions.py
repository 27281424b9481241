"""Reads of venues and sessions, each scoped to the partnership: another partnership's ids answer
404. Lists run a fixed number of queries whatever the number of sessions.

Also who may see a session's online joining link (``can_see_online_link``): its trainers, people
who manage training, and participants with a booked place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tip.core.models import Membership, Partnership
from tip.core.roles import capabilities_of
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
    Venue,
)
from tip.training.roles import MANAGE_TRAINING

# Places are taken by booked people and by places offered to the waiting list.
TAKING_A_PLACE = (BookingStatus.BOOKED, BookingStatus.OFFERED)


def venue_list(*, partnership: Partnership) -> QuerySet[Venue]:
    qs: QuerySet[Venue] = (
        Venue.objects.for_partnership(partnership)
        .select_related("setting")
        .annotate(session_count=Count("sessions"))
        .order_by("name")
    )
    return qs


def venue_get(*, partnership: Partnership, venue_id: int) -> Venue:
    obj: Venue = get_object_or_404(
        Venue.objects.for_partnership(partnership).select_related("setting", "partnership"),
        pk=venue_id,
    )
    return obj


def _with_times(qs: QuerySet[Session]) -> QuerySet[Session]:
    # Places taken in a subquery, not a join: joined, every part met every booking before
    # grouping, which made the list of a partnership with many sessions slow (benchmarks).
    taken = (
        Booking.objects.filter(session=OuterRef("pk"), status__in=TAKING_A_PLACE)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        first_starts=Min("parts__starts_at"),
        last_ends=Max("parts__ends_at"),
        part_count=Count("parts", distinct=True),
        places_taken=Coalesce(Subquery(taken), 0),
    )


def session_list(
    *,
    partnership: Partnership,
    past: bool = False,
    course_id: int | None = None,
    format: str | None = None,
    now: datetime | None = None,
) -> QuerySet[Session]:
    """Upcoming sessions (not yet ended), soonest first; or past ones, latest first."""
    now = now or timezone.now()
    qs = _with_times(
        Session.objects.for_partnership(partnership).select_related(
            "course", "venue", "course_version"
        )
    )
    if course_id is not None:
        qs = qs.filter(course_id=course_id)
    if format in SessionFormat.values:
        qs = qs.filter(format=format)
    if past:
        return qs.filter(Q(last_ends__lte=now)).order_by(F("first_starts").desc(), "-pk")
    return qs.filter(Q(last_ends__gt=now) | Q(last_ends__isnull=True)).order_by(
        F("first_starts").asc(nulls_last=True), "pk"
    )


def session_get(*, partnership: Partnership, session_id: int) -> Session:
    """A session with its course, version, venue and setting, parts and trainers."""
    obj: Session = get_object_or_404(
        _with_times(
            Session.objects.for_partnership(partnership)
            .select_related(
                "course", "course_version", "venue__setting", "partnership", "created_by"
            )
            .prefetch_related(
                Prefetch("parts", queryset=SessionPart.objects.order_by("starts_at", "pk")),
                Prefetch(
                    "session_trainers",
                    queryset=SessionTrainer.objects.select_related(
                        "trainer__provider", "trainer__membership"
                    ).order_by("trainer__name", "pk"),
                ),
            )
        ),
        pk=session_id,
    )
    return obj


def part_get(*, session: Session, part_id: int) -> SessionPart:
    obj: SessionPart = get_object_or_404(
        SessionPart.objects.filter(session=session, partnership_id=session.partnership_id),
        pk=part_id,
    )
    obj.session = session
    return obj


def session_trainer_get(*, session: Session, session_trainer_id: int) -> SessionTrainer:
    obj: SessionTrainer = get_object_or_404(
        SessionTrainer.objects.filter(
            session=session, partnership_id=session.partnership_id
        ).select_related("trainer"),
        pk=session_trainer_id,
    )
    obj.session = session
    return obj


def places_left(session: Session) -> int:
    """Places not taken (annotated by the selectors above)."""
    taken = getattr(session, "places_taken", None)
    if taken is None:
        taken = session.bookings.filter(status__in=TAKING_A_PLACE).count()
    return max(session.capacity - taken, 0)


def course_choices(*, partnership: Partnership) -> QuerySet[Course]:
    qs: QuerySet[Course] = Course.objects.for_partnership(partnership).order_by("name")
    return qs


def trainer_choices(*, partnership: Partnership) -> QuerySet[Trainer]:
    qs: QuerySet[Trainer] = (
        Trainer.objects.for_partnership(partnership)
        .select_related("provider")
        .order_by("name", "pk")
    )
    return qs


def member_choices(*, partnership: Partnership) -> QuerySet[Membership]:
    qs: QuerySet[Membership] = (
        Membership.objects.for_partnership(partnership)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    return qs


def trainer_get(*, partnership: Partnership, trainer_id: int) -> Trainer:
    obj: Trainer = get_object_or_404(
        Trainer.objects.for_partnership(partnership).select_related(
            "provider", "partnership", "membership__user"
        ),
        pk=trainer_id,
    )
    return obj


def sessions_taught_by(*, membership: Membership, now: datetime | None = None) -> list[Session]:
    """Sessions (not cancelled, not ended) whose trainers include one of the member's trainer
    records, soonest first."""
    now = now or timezone.now()
    return list(
        _with_times(
            Session.objects.filter(partnership_id=membership.partnership_id)
            .filter(session_trainers__trainer__membership=membership)
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("course", "venue")
            .distinct()
        )
        .filter(Q(last_ends__gt=now) | Q(last_ends__isnull=True))
        .order_by(F("first_starts").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class LinkAccess:
    """Why someone may see a session's link, for tests and the page's wording."""

    allowed: bool
    as_trainer: bool = False
    as_manager: bool = False
    as_participant: bool = False


def online_link_access(session: Session, membership: Membership | None) -> LinkAccess:
    if membership is None or membership.partnership_id != session.partnership_id:
        return LinkAccess(False)
    if MANAGE_TRAINING in capabilities_of(membership.role_codes):
        return LinkAccess(True, as_manager=True)
    trainer_ids = {st.trainer.membership_id for st in session.session_trainers.all()}
    if membership.pk in trainer_ids:
        return LinkAccess(True, as_trainer=True)
    booked = Booking.objects.filter(
        session=session, membership=membership, status=BookingStatus.BOOKED
    ).exists()
    return LinkAccess(booked, as_participant=booked)


def can_see_online_link(session: Session, membership: Membership | None) -> bool:
    """Whether `membership` may see the session's online joining link: one of its trainers
    (through Trainer.membership), someone who can manage training, or a participant whose
    booking is BOOKED (not waiting, offered, cancelled or released)."""
    return online_link_access(session, membership).allowed


def link_visible_in(sessions: list[Session], membership: Membership) -> set[int]:
    """The ids among `sessions` whose online link `membership` may see (as
    ``can_see_online_link``), in two queries at most whatever their number."""
    ids = [s.pk for s in sessions if s.partnership_id == membership.partnership_id]
    if not ids:
        return set()
    if MANAGE_TRAINING in capabilities_of(membership.role_codes):
        return set(ids)
    teaching = SessionTrainer.objects.filter(
        session_id__in=ids, trainer__membership=membership
    ).values_list("session_id", flat=True)
    booked = Booking.objects.filter(
        session_id__in=ids, membership=membership, status=BookingStatus.BOOKED
    ).values_list("session_id", flat=True)
    return set(teaching) | set(booked)
