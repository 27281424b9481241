"""The demo's bookings for Northshire, so every booking state can be seen at once:

* "Foundation day online (demo: full)", five days away: full, with two people asked to
  re-confirm (pending), lead@northshire.example on the waiting list and a place offered to
  practitioner@northshire.example (who sees it under My training, to accept or decline);
* "Trauma awareness online (demo)", six days away: practitioner@northshire.example booked, asked
  to re-confirm, and privately asking a trainer to check in; the trainer account
  (trainer@northshire.example) teaches it, so it sees the check-in list;
* welfare offers for two organisations, sent with the content warnings.

The sessions are made here through the models (published, with their parts), independent of the
session pages' own demo; the bookings are made through the models too, so building the demo sends
no email. The participants are the demo's own accounts. Idempotent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tip.core.models import Membership, Organisation, Partnership
from tip.training import selectors_bookings as selectors
from tip.training.analysis import bookings as rules
from tip.training.models_bookings import Booking, BookingStatus, CheckInRequest
from tip.training.models_courses import Course
from tip.training.models_delivery import WelfareOffer
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session, SessionPart, SessionTrainer

PARTNERSHIP = "Northshire Violence Reduction Partnership"
PRACTITIONER = "practitioner@northshire.example"
TRAINER = "trainer@northshire.example"
FULL_TITLE = "Foundation day online (demo: full)"
AWARENESS_TITLE = "Trauma awareness online (demo)"
# Demo accounts who book places (training is for everyone, leads and admins too).
BOOKED = [
    "champion@northshire.example",
    "evaluator@northshire.example",
    "auditor@northshire.example",
    "admin@northshire.example",
]
WAITING = ["lead@northshire.example"]
BREAKS = "A ten-minute screen break every hour; lunch 12:30 to 13:15."
WELFARE = [
    (
        "Employee assistance programme: free, confidential counselling by phone or online, "
        "24 hours a day. Reflective supervision with your line manager each month.",
        "EAP: 0800 000 1234 (free)\nWellbeing lead: wellbeing@example.org",
    ),
    (
        "Occupational health self-referral, and a staff wellbeing room on the first floor.",
        "Occupational health: 0100 000 5678\nIntranet: Staff wellbeing pages",
    ),
]


def seed_demo_bookings() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    practitioner = Membership.objects.filter(
        partnership=partnership, user__email=PRACTITIONER
    ).first()
    trainer_account = Membership.objects.filter(
        partnership=partnership, user__email=TRAINER
    ).first()
    courses = list(Course.objects.filter(partnership=partnership).order_by("hours", "pk"))
    if partnership is None or practitioner is None or trainer_account is None or not courses:
        return "Demo bookings skipped: Northshire, its people or its courses are missing."
    if Session.objects.filter(partnership=partnership, title=FULL_TITLE).exists():
        return "Demo bookings already there."
    with transaction.atomic():
        booked = _people(partnership, BOOKED)
        waiting = _people(partnership, WAITING)
        trainer = _trainer(partnership, trainer_account)
        now = timezone.now()
        full = _session(partnership, courses[-1], FULL_TITLE, now, days=5, capacity=5)
        awareness = _session(partnership, courses[0], AWARENESS_TITLE, now, days=6, capacity=12)
        if trainer is not None:
            for s in (full, awareness):
                SessionTrainer.objects.create(partnership=partnership, session=s, trainer=trainer)
        _fill(full, booked, waiting, practitioner, now)
        mine = _booking(awareness, practitioner, BookingStatus.BOOKED, now - timedelta(days=3))
        _ask(awareness, mine, now)
        day = selectors.last_day(awareness)
        assert day is not None
        CheckInRequest.objects.create(
            partnership=partnership, booking=mine, delete_after=rules.check_in_delete_after(day, 7)
        )
        for person in booked[:1]:
            _booking(awareness, person, BookingStatus.BOOKED, now - timedelta(days=2))
        for organisation, (offer, contacts) in zip(
            Organisation.objects.filter(partnership=partnership).order_by("name"),
            WELFARE,
            strict=False,
        ):
            WelfareOffer.objects.get_or_create(
                partnership=partnership,
                organisation=organisation,
                defaults={"offer": offer, "contacts": contacts},
            )
    return (
        "Demo bookings: a full online session with a waiting list, a place offered to the "
        "practitioner, re-confirmations pending and a check-in request."
    )


def _people(partnership: Partnership, emails: list[str]) -> list[Membership]:
    found = {
        m.user.email: m
        for m in Membership.objects.filter(
            partnership=partnership, user__email__in=emails
        ).select_related("user")
    }
    return [found[e] for e in emails if e in found]


def _trainer(partnership: Partnership, account: Membership) -> Trainer | None:
    """The trainer record linked to the trainer account, else the first demo trainer, linked."""
    trainer = Trainer.objects.filter(partnership=partnership, membership=account).first()
    if trainer is None:
        trainer = Trainer.objects.filter(partnership=partnership).order_by("pk").first()
        if trainer is not None and trainer.membership_id is None:
            trainer.membership = account
            trainer.save(update_fields=["membership"])
    return trainer


def _session(
    partnership: Partnership, course: Course, title: str, now: datetime, *, days: int, capacity: int
) -> Session:
    version = course.versions.order_by("-number").first()
    assert version is not None
    day = timezone.localtime(now, selectors.LONDON).date() + timedelta(days=days)
    starts = timezone.make_aware(datetime.combine(day, time(9, 30)), selectors.LONDON)
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=version,
        title=title,
        format="virtual",
        online_link="https://meet.example.org/northshire-demo",
        capacity=capacity,
        recommended_group_size=12,
        planned_breaks=BREAKS,
        status="published",
        published_at=now - timedelta(days=14),
    )
    SessionPart.objects.create(
        partnership=partnership,
        session=session,
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
    )
    return session


def _booking(session: Session, person: Membership, status: str, at: datetime) -> Booking:
    booking = Booking.objects.create(
        partnership=session.partnership,
        session=session,
        membership=person,
        booked_by=person.user,
        status=status,
        waiting_since=at if status == BookingStatus.WAITING else None,
        confirmed_at=at if status == BookingStatus.BOOKED else None,
    )
    Booking.objects.filter(pk=booking.pk).update(created_at=at)
    booking.refresh_from_db()
    return booking


def _ask(session: Session, booking: Booking, now: datetime) -> None:
    """Mark the booking as asked to re-confirm by the ask due now (the sweep's doing)."""
    start = selectors.first_start(Session.objects.prefetch_related("parts").get(pk=session.pk))
    assert start is not None
    asks = rules.reconfirm_asks(start, selectors.reconfirm_days_of(session))
    ask = rules.due_ask(asks, now)
    if ask is not None:
        booking.confirm_by = ask.confirm_by
        booking.save(update_fields=["confirm_by"])


def _fill(
    session: Session,
    booked: list[Membership],
    waiting: list[Membership],
    practitioner: Membership,
    now: datetime,
) -> None:
    """Four booked (two asked to re-confirm), a place offered to the practitioner (first in the
    queue), and the rest waiting."""
    places = [_booking(session, p, BookingStatus.BOOKED, now - timedelta(days=10)) for p in booked]
    for b in places[:2]:
        _ask(session, b, now)
    offered = _booking(session, practitioner, BookingStatus.WAITING, now - timedelta(days=4))
    for i, p in enumerate(waiting):
        _booking(session, p, BookingStatus.WAITING, now - timedelta(days=3, hours=-i))
    start = selectors.first_start(Session.objects.prefetch_related("parts").get(pk=session.pk))
    assert start is not None
    offered.status = BookingStatus.OFFERED
    offered.offer_expires_at = rules.offer_expiry(now, 48, start)
    offered.save(update_fields=["status", "offer_expires_at"])
