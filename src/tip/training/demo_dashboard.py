"""The demo's training targets for Northshire's sample programme, and a pilot cohort trained
against them, so its delivery dashboard shows progress against a plan.

Targets: everyone (the Theory of Change's 600 practitioners), police and education staff,
senior leaders and support staff, and Northshire Police on its own. The pilot cohort: 24
fictional participants across six organisations (with no password: they cannot sign in), booked
on two past sessions of the programme's courses (a foundation day in person, an online awareness
session for support staff) with their group of staff, and registers taken: most attended, a few
did not attend, one cancelled late.

Targets are built through the services, so each is validated and audited; the registers through
the attendance service. Idempotent: nothing is done once the programme has a target."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tip.core.audit import audit_change
from tip.core.models import (
    AuditAction,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    Sector,
    User,
)
from tip.core.roles import Role
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP
from tip.programmes.models import Programme, WorkforceGroup
from tip.training import selectors_attendance, services_attendance
from tip.training import services_dashboard as services
from tip.training.demo_courses import AWARENESS, FOUNDATION
from tip.training.models_bookings import AttendanceMark, Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_followups import TrainingTarget
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)

LONDON = ZoneInfo("Europe/London")
F, S, M, L = (
    WorkforceGroup.FRONTLINE,
    WorkforceGroup.SUPPORT_STAFF,
    WorkforceGroup.MANAGERS,
    WorkforceGroup.SENIOR_LEADERS,
)
ATT, NO, LATE = AttendanceMark.ATTENDED, AttendanceMark.NO_SHOW, AttendanceMark.LATE_CANCELLATION
Cohort = list[tuple[str, str, str, str]]
# The foundation day's pilot cohort: (name, organisation, group of staff, mark).
FOUNDATION_COHORT: list[tuple[str, str, str, str]] = [
    ("Priya Shah", "Northshire Police", F, ATT),
    ("Tom Hughes", "Northshire Police", F, ATT),
    ("Grace Bennett", "Northshire Police", F, ATT),
    ("Owen Price", "Northshire Police", L, ATT),
    ("Sian Evans", "Northshire Police", M, ATT),
    ("Daniel Okoro", "Northshire Police", F, NO),
    ("Megan Lloyd", "Riverside Academy Trust", F, ATT),
    ("Hannah Clarke", "Riverside Academy Trust", F, ATT),
    ("Ravi Patel", "Riverside Academy Trust", L, ATT),
    ("Chloe Adams", "Riverside Academy Trust", F, ATT),
    ("Liam Foster", "Riverside Academy Trust", "", ATT),
    ("Aisha Rahman", "Northshire Youth Justice Service", F, ATT),
    ("Ben Carter", "Northshire Youth Justice Service", M, ATT),
    ("Zara Ahmed", "Northshire Youth Justice Service", F, LATE),
    ("Ellie Morris", "Northshire Integrated Care Board", F, ATT),
    ("Kofi Mensah", "Northshire Integrated Care Board", L, ATT),
    ("Nia Roberts", "Open Doors Youth Charity", F, ATT),
    ("Sam Wright", "Open Doors Youth Charity", "", NO),
]
# The online awareness session for support staff.
AWARENESS_COHORT: list[tuple[str, str, str, str]] = [
    ("Joan Whitfield", "Northshire Police", S, ATT),
    ("Paul Dennis", "Northshire Police", S, ATT),
    ("Amy Turner", "Riverside Academy Trust", S, ATT),
    ("Rosa Lopez", "Riverside Academy Trust", S, NO),
    ("Gareth Jones", "Northshire Homes", S, ATT),
    ("Fatima Ali", "Northshire Integrated Care Board", S, ATT),
]

# (sector, organisation's name or "", group of staff, people)
TARGETS = [
    ("", "", "", 600),
    (Sector.POLICE, "", "", 150),
    (Sector.EDUCATION, "", "", 200),
    ("", "", WorkforceGroup.SENIOR_LEADERS, 40),
    ("", "", WorkforceGroup.SUPPORT_STAFF, 60),
    ("", "Northshire Police", "", 120),
]


def seed_demo_dashboard() -> str:
    programme = Programme.objects.filter(partnership__name=PARTNERSHIP, name=NAME).first()
    lead = User.objects.filter(email=LEAD).first()
    if programme is None or lead is None:
        return "Demo training targets skipped: the sample programme is missing."
    if TrainingTarget.objects.filter(programme=programme).exists():
        return "Demo training targets already there."
    organisations = {
        o.name: o for o in Organisation.objects.filter(partnership_id=programme.partnership_id)
    }
    made = 0
    with transaction.atomic():
        for sector, organisation, group, people in TARGETS:
            if organisation and organisation not in organisations:
                continue
            services.target_create(
                programme=programme,
                sector=sector,
                organisation=organisations.get(organisation) if organisation else None,
                staff_group=group,
                people=people,
                by=lead,
            )
            made += 1
        trained = _pilot(programme.partnership, programme, lead, organisations)
    return (
        f"Demo training targets created: {made} for the sample programme, and a pilot cohort "
        f"of {trained} people trained against them."
    )


def _pilot(
    partnership: Partnership,
    programme: Programme,
    lead: User,
    organisations: dict[str, Organisation],
) -> int:
    courses = {c.name: c for c in Course.objects.filter(programme=programme)}
    foundation, awareness = courses.get(FOUNDATION), courses.get(AWARENESS)
    if foundation is None or awareness is None:
        return 0
    trained = 0
    sessions: list[tuple[Course, str, str, int, Cohort]] = [
        (
            foundation,
            "Foundation day: pilot cohort (demo)",
            SessionFormat.IN_PERSON,
            91,
            FOUNDATION_COHORT,
        ),
        (
            awareness,
            "Trauma awareness for support staff: pilot (demo)",
            SessionFormat.VIRTUAL,
            63,
            AWARENESS_COHORT,
        ),
    ]
    for course, title, fmt, days_ago, cohort in sessions:
        session = _session(partnership, course, lead, title, fmt, days_ago)
        marks: dict[int, services_attendance.MarkInput] = {}
        for name, organisation, group, mark in cohort:
            if organisation not in organisations:
                continue
            booking = Booking.objects.create(
                partnership=partnership,
                session=session,
                membership=_participant(partnership, organisations[organisation], name),
                booked_by=lead,
                status=BookingStatus.CANCELLED if mark == LATE else BookingStatus.BOOKED,
                staff_group=group,
                cancelled_at=_start(days_ago) - datetime.timedelta(hours=20)
                if mark == LATE
                else None,
            )
            _created(booking, lead, partnership)
            marks[booking.pk] = services_attendance.MarkInput(mark=mark)
            trained += int(mark == ATT)
        session = selectors_attendance.session_for_register(
            partnership=partnership, session_id=session.pk
        )
        services_attendance.register_save(session=session, marks=marks, by=lead)
    return trained


def _start(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=LONDON)


def _session(
    partnership: Partnership, course: Course, lead: User, title: str, fmt: str, days_ago: int
) -> Session:
    version = course.versions.order_by("number").first()
    assert version is not None
    start = _start(days_ago)
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=version,
        title=title,
        format=fmt,
        online_link="https://meet.example/northshire-pilot" if fmt == SessionFormat.VIRTUAL else "",
        capacity=24,
        status=SessionStatus.PUBLISHED,
        published_at=start - datetime.timedelta(days=30),
        confirmed_at=start - datetime.timedelta(days=30),
        created_by=lead,
    )
    _created(session, lead, partnership)
    hours = min(float(course.hours), 7.0)
    part = SessionPart.objects.create(
        partnership=partnership,
        session=session,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
    )
    _created(part, lead, partnership)
    trainer = Trainer.objects.filter(partnership=partnership).order_by("pk").first()
    if trainer is not None:
        _created(
            SessionTrainer.objects.create(
                partnership=partnership, session=session, trainer=trainer
            ),
            lead,
            partnership,
        )
    return session


def _participant(partnership: Partnership, organisation: Organisation, name: str) -> Membership:
    """A fictional participant with no password, so nobody can sign in as them."""
    email = name.lower().replace(" ", ".") + "@pilot.northshire.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, full_name=name
    )
    membership, created = Membership.objects.get_or_create(
        partnership=partnership, user=user, defaults={"organisation": organisation}
    )
    if created:
        MembershipRole.objects.get_or_create(membership=membership, role=Role.PRACTITIONER)
    return membership


def _created(obj: object, lead: User, partnership: Partnership) -> None:
    audit_change(actor=lead, action=AuditAction.CREATE, obj=obj, partnership=partnership)  # type: ignore[arg-type]
