"""The demo's registers: every Northshire session that has started and has people booked gets
its register taken (most attended, a few did not attend, one partly attended, late
cancellations as such), so certificates, training records and drop-out rates have something to
show. If the demo has no past session yet, one is made: a foundation day six weeks ago, taught
by the demo trainer, with the demo's people booked. Idempotent: once any register is taken,
nothing more is done."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Membership, Partnership, User
from tip.programmes.demo import LEAD, PARTNERSHIP
from tip.training import selectors_attendance as selectors
from tip.training import services_attendance as services
from tip.training.demo_courses import FOUNDATION
from tip.training.models_bookings import Attendance, AttendanceMark, Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)

LONDON = ZoneInfo("Europe/London")
TRAINER_EMAIL = "trainer@northshire.example"
DEMO_SESSION_TITLE = "Foundation day: Northshire Police headquarters"
# Who the made-up past session books, and how the register marks them (email, mark).
DEMO_MARKS = [
    ("practitioner@northshire.example", AttendanceMark.ATTENDED),
    ("champion@northshire.example", AttendanceMark.ATTENDED),
    ("evaluator@northshire.example", AttendanceMark.NO_SHOW),
    ("auditor@northshire.example", AttendanceMark.PARTLY),
    ("admin@northshire.example", AttendanceMark.NO_SHOW),
]


def seed_demo_attendance() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    course = Course.objects.filter(partnership__name=PARTNERSHIP, name=FOUNDATION).first()
    if partnership is None or lead is None or course is None:
        return "Demo registers skipped: the foundation course is missing."
    # Cancelling late records a mark too: only a register's own marks say one was taken.
    taken = [AttendanceMark.ATTENDED, AttendanceMark.PARTLY, AttendanceMark.NO_SHOW]
    if Attendance.objects.filter(partnership=partnership, mark__in=taken).exists():
        return "Demo registers already taken."
    with transaction.atomic():
        sessions = _past_sessions(partnership)
        made = False
        if not sessions:
            sessions = [_past_session(partnership, course, lead)]
            made = True
        marked = no_shows = certificates = 0
        for session in sessions:
            saved, shows = _take_register(session, lead)
            marked += saved.marked
            no_shows += shows
            certificates += len(saved.certificates_issued)
    made_text = " (on a past session made for the demo)" if made else ""
    return (
        f"Demo registers taken{made_text}: {len(sessions)} session(s), {marked} people marked, "
        f"{no_shows} did not attend, {certificates} certificates."
    )


def _past_sessions(partnership: Partnership) -> list[Session]:
    started = (
        Session.objects.for_partnership(partnership)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(first_start=Min("parts__starts_at"))
        .filter(first_start__lte=timezone.now())
        .filter(bookings__status=BookingStatus.BOOKED)
        .distinct()
        .order_by("first_start")
    )
    return [
        selectors.session_for_register(partnership=partnership, session_id=s.pk) for s in started
    ]


def _take_register(session: Session, lead: User) -> tuple[services.RegisterSaved, int]:
    rows = selectors.register_rows(session=session)
    by_email = dict(DEMO_MARKS)
    marks: dict[int, services.MarkInput] = {}
    for i, row in enumerate(rows):
        email = row.booking.membership.user.email
        if email in by_email:
            mark = by_email[email]
        elif row.cancelled_late:
            mark = AttendanceMark.LATE_CANCELLATION
        elif i % 5 == 2:
            mark = AttendanceMark.NO_SHOW
        elif i % 11 == 4:
            mark = AttendanceMark.PARTLY
        else:
            mark = AttendanceMark.ATTENDED
        note = "Left at lunch for a court hearing" if mark == AttendanceMark.PARTLY else ""
        marks[row.booking.pk] = services.MarkInput(mark=mark, note=note)
    saved = services.register_save(session=session, marks=marks, by=lead)
    no_shows = sum(1 for m in marks.values() if m.mark == AttendanceMark.NO_SHOW)
    return saved, no_shows


def _past_session(partnership: Partnership, course: Course, lead: User) -> Session:
    """A foundation day six weeks ago, taught by the demo trainer, with the demo's people
    booked."""
    version = course.versions.order_by("-number").first()
    assert version is not None
    now = timezone.now()
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=version,
        title=DEMO_SESSION_TITLE,
        format=SessionFormat.IN_PERSON,
        capacity=20,
        planned_breaks="Mid-morning, lunch and mid-afternoon; leave the room whenever you need.",
        status=SessionStatus.PUBLISHED,
        published_at=now - datetime.timedelta(days=70),
        confirmed_at=now - datetime.timedelta(days=70),
        created_by=lead,
    )
    _audit(session, lead, partnership)
    day = timezone.localdate() - datetime.timedelta(days=42)
    part = SessionPart.objects.create(
        partnership=partnership,
        session=session,
        starts_at=datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=LONDON),
        ends_at=datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=LONDON),
    )
    _audit(part, lead, partnership)
    trainer = _demo_trainer(partnership, lead)
    if trainer is not None:
        _audit(
            SessionTrainer.objects.create(
                partnership=partnership, session=session, trainer=trainer
            ),
            lead,
            partnership,
        )
    members = Membership.objects.filter(
        partnership=partnership, user__email__in=[email for email, _m in DEMO_MARKS]
    ).select_related("user")
    for member in members:
        booking = Booking.objects.create(
            partnership=partnership,
            session=session,
            membership=member,
            booked_by=member.user,
            status=BookingStatus.BOOKED,
            confirmed_at=now - datetime.timedelta(days=49),
            # One of those who do not come asked for their manager to be told.
            notify_manager=member.user.email == "admin@northshire.example",
            manager_email="manager@northshire.example"
            if member.user.email == "admin@northshire.example"
            else "",
        )
        _audit(booking, lead, partnership)
    return selectors.session_for_register(partnership=partnership, session_id=session.pk)


def _demo_trainer(partnership: Partnership, lead: User) -> Trainer | None:
    """The demo trainer's own trainer record, linking it to their account if no trainer is."""
    member = Membership.objects.filter(partnership=partnership, user__email=TRAINER_EMAIL).first()
    if member is None:
        return None
    linked: Trainer | None = Trainer.objects.filter(
        partnership=partnership, membership=member
    ).first()
    if linked is not None:
        return linked
    trainer: Trainer | None = (
        Trainer.objects.filter(partnership=partnership, membership__isnull=True)
        .order_by("pk")
        .first()
    )
    if trainer is not None:
        trainer.membership = member
        trainer.save(update_fields=["membership", "updated_at"])
        audit_change(
            actor=lead,
            action=AuditAction.UPDATE,
            obj=trainer,
            partnership=partnership,
            changed_fields=["membership"],
        )
    return trainer


def _audit(obj: object, lead: User, partnership: Partnership) -> None:
    audit_change(actor=lead, action=AuditAction.CREATE, obj=obj, partnership=partnership)  # type: ignore[arg-type]
