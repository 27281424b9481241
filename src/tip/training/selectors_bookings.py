"""Reads of bookings, each scoped to the partnership (another partnership's ids answer 404), and
the facts about a session that booking needs: when it starts and ends, and how many places are
taken.

The private check-in requests are read only through ``check_in_list``, which answers only to the
session's own trainers (a trainer record linked to the reader's membership, on the session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from tip.core.models import Membership, Organisation, Partnership
from tip.core.roles import Role
from tip.training.analysis import bookings as rules
from tip.training.models_bookings import Booking, BookingStatus, CheckInRequest
from tip.training.models_delivery import DeliverySettings, WelfareOffer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)

LONDON = ZoneInfo("Europe/London")
# Roles that may book any member of the partnership onto a session; champions may book the
# people of their own organisation (see docs/training-bookings.md).
BOOK_ANYONE_ROLES = frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD})
BOOK_OWN_ORGANISATION_ROLES = frozenset({Role.CHAMPION})


@dataclass(frozen=True)
class Places:
    capacity: int
    booked: int
    offered: int
    waiting: int

    @property
    def taken(self) -> int:
        """Places booked or held for someone who has been offered one."""
        return self.booked + self.offered

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def delivery_settings(*, partnership: Partnership) -> DeliverySettings:
    """The partnership's settings, or the defaults (unsaved) when it has chosen none."""
    found = DeliverySettings.objects.for_partnership(partnership).first()
    return found or DeliverySettings(partnership=partnership)


def reconfirm_defaults(settings: DeliverySettings) -> dict[str, list[int]]:
    """The partnership's re-confirmation days for sessions that choose none, by format."""
    return {
        SessionFormat.VIRTUAL: list(settings.reconfirm_days_virtual),
        SessionFormat.IN_PERSON: list(settings.reconfirm_days_in_person),
        SessionFormat.HYBRID: list(settings.reconfirm_days_hybrid),
    }


def reconfirm_days_of(session: Session) -> tuple[int, ...]:
    """The days before the session's first part its participants are asked to re-confirm: its
    own, or its partnership's for its format (read only when the session has none)."""
    if any(int(d) > 0 for d in session.reconfirm_days or ()):
        return rules.reconfirm_days(session.format, session.reconfirm_days)
    found = DeliverySettings.objects.filter(partnership_id=session.partnership_id).first()
    found = found or DeliverySettings(partnership_id=session.partnership_id)
    return rules.reconfirm_days(session.format, None, reconfirm_defaults(found))


def _sessions(partnership: Partnership) -> QuerySet[Session]:
    return (
        Session.objects.for_partnership(partnership)
        .select_related("course", "course_version", "venue")
        .prefetch_related(Prefetch("parts", queryset=SessionPart.objects.order_by("starts_at")))
    )


def session_get(*, partnership: Partnership, session_id: int) -> Session:
    session: Session = get_object_or_404(_sessions(partnership), pk=session_id)
    return session


def parts_of(session: Session) -> list[SessionPart]:
    """The session's parts in order (prefetched by the selectors here)."""
    return sorted(session.parts.all(), key=lambda p: (p.starts_at, p.pk))


def first_start(session: Session) -> datetime | None:
    parts = parts_of(session)
    return parts[0].starts_at if parts else None


def last_end(session: Session) -> datetime | None:
    parts = parts_of(session)
    return max(p.ends_at for p in parts) if parts else None


def last_day(session: Session) -> date | None:
    """The session's last day, in Europe/London."""
    end = last_end(session)
    return end.astimezone(LONDON).date() if end else None


def places(*, session: Session) -> Places:
    counts = Booking.objects.filter(
        session=session, partnership_id=session.partnership_id
    ).aggregate(
        booked=Count("pk", filter=Q(status=BookingStatus.BOOKED)),
        offered=Count("pk", filter=Q(status=BookingStatus.OFFERED)),
        waiting=Count("pk", filter=Q(status=BookingStatus.WAITING)),
    )
    return Places(capacity=session.capacity, **counts)


def open_sessions(*, partnership: Partnership, now: datetime, limit: int = 20) -> list[Session]:
    """Published sessions still to start, soonest first, with their places taken counted."""
    # Places taken in a subquery, not a join: joined, every part met every booking before
    # grouping, slow for a partnership with many sessions (docs/benchmarks.md).
    taken = (
        Booking.objects.filter(
            session=OuterRef("pk"), status__in=[BookingStatus.BOOKED, BookingStatus.OFFERED]
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = list(
        Session.objects.for_partnership(partnership)
        .filter(status=SessionStatus.PUBLISHED)
        .annotate(first_start=Min("parts__starts_at"), taken=Coalesce(Subquery(taken), 0))
        .filter(first_start__gt=now)
        .select_related("course", "venue")
        .order_by("first_start", "pk")[:limit]
    )
    return sessions


def _bookings(partnership: Partnership) -> QuerySet[Booking]:
    return Booking.objects.for_partnership(partnership).select_related(
        "session__course", "session__venue", "membership__user", "membership__organisation"
    )


def my_bookings(*, membership: Membership) -> list[Booking]:
    """The person's bookings, waiting-list places and offers, soonest session first, then the
    cancelled and released ones."""
    bookings = list(
        _bookings(membership.partnership)
        .filter(membership=membership)
        .select_related("check_in_request")
        .prefetch_related(
            Prefetch("session__parts", queryset=SessionPart.objects.order_by("starts_at"))
        )
    )
    far = datetime.max.replace(tzinfo=LONDON)
    active = [b for b in bookings if b.status in {"booked", "waiting", "offered"}]
    other = [b for b in bookings if b not in active]
    active.sort(key=lambda b: first_start(b.session) or far)
    other.sort(key=lambda b: b.cancelled_at or b.created_at, reverse=True)
    return active + other


def my_booking_get(*, membership: Membership, booking_id: int) -> Booking:
    """One of the person's own bookings; anyone else's answers 404."""
    booking: Booking = get_object_or_404(
        _bookings(membership.partnership)
        .filter(membership=membership)
        .prefetch_related(
            Prefetch("session__parts", queryset=SessionPart.objects.order_by("starts_at"))
        ),
        pk=booking_id,
    )
    return booking


def my_active_booking(*, membership: Membership, session: Session) -> Booking | None:
    found: Booking | None = (
        Booking.objects.for_partnership(membership.partnership)
        .filter(
            session=session,
            membership=membership,
            status__in=[BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED],
        )
        .first()
    )
    return found


def session_bookings(*, session: Session) -> list[Booking]:
    """Everyone on the session, the waiting list in its order. Never the check-in requests."""
    order = {"booked": 0, "offered": 1, "waiting": 2, "released": 3, "cancelled": 4}
    bookings = list(
        Booking.objects.filter(session=session, partnership_id=session.partnership_id)
        .select_related("membership__user", "membership__organisation")
        .order_by("waiting_since", "created_at", "pk")
    )
    bookings.sort(key=lambda b: order.get(b.status, 9))
    return bookings


def session_trainer_memberships(*, session: Session) -> set[int]:
    return set(
        SessionTrainer.objects.filter(session=session, partnership_id=session.partnership_id)
        .exclude(trainer__membership=None)
        .values_list("trainer__membership_id", flat=True)
    )


def is_session_trainer(*, session: Session, membership: Membership) -> bool:
    return SessionTrainer.objects.filter(
        session=session, partnership_id=session.partnership_id, trainer__membership=membership
    ).exists()


def check_in_list(*, session: Session, membership: Membership) -> list[CheckInRequest]:
    """Who asked a trainer to check in with them, for the session's own trainers only; anyone
    else gets a 404, as if the list did not exist."""
    if not is_session_trainer(session=session, membership=membership):
        raise Http404("Only the session's trainers see its check-in requests.")
    return list(
        CheckInRequest.objects.filter(
            booking__session=session,
            partnership_id=session.partnership_id,
            booking__status__in=[BookingStatus.BOOKED, BookingStatus.OFFERED],
        )
        .select_related("booking__membership__user", "booking__membership__organisation")
        .order_by("booking__membership__user__full_name", "pk")
    )


def bookable_people(*, partnership: Partnership, booker: Membership) -> QuerySet[Membership]:
    """Whom the booker may book onto a session: anyone in the partnership for its admins and
    programme leads, the people of their own organisation for champions, else nobody."""
    qs = Membership.objects.for_partnership(partnership).select_related("user", "organisation")
    roles = booker.role_codes
    if roles & BOOK_ANYONE_ROLES:
        return qs.order_by("user__full_name", "pk")
    if roles & BOOK_OWN_ORGANISATION_ROLES:
        return qs.filter(organisation_id=booker.organisation_id).order_by("user__full_name", "pk")
    return qs.none()


def welfare_offer_of(*, organisation: Organisation) -> WelfareOffer | None:
    found: WelfareOffer | None = WelfareOffer.objects.filter(
        organisation=organisation, partnership_id=organisation.partnership_id
    ).first()
    return found


def welfare_offers(*, partnership: Partnership) -> list[tuple[Organisation, WelfareOffer | None]]:
    """Every organisation with its welfare offer, if it has recorded one."""
    offers = {w.organisation_id: w for w in WelfareOffer.objects.for_partnership(partnership)}
    return [
        (o, offers.get(o.pk))
        for o in Organisation.objects.for_partnership(partnership).order_by("name")
    ]
