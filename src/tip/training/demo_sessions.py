"""The demo's venues and sessions for Northshire, built through the services so every record is
validated and audited like a real one. Idempotent.

Dates are relative to the day the demo is built: three past sessions (in person, virtual over
two mornings, virtual), and four upcoming ones: a confirmed in-person day at a youth centre, a
small virtual awareness session (room for a waiting list), a hybrid draft, and an in-person day
at risk, because Rhys Morgan's enhanced DBS check expires (in about six weeks, see
demo_providers.py) before it. The demo trainer account (Carys Evans) is linked to her trainer
record, so "Sessions I teach" has something to show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from tip.core.models import Membership, Partnership, User
from tip.programmes.demo import LEAD, PARTNERSHIP
from tip.training import services_providers, services_sessions
from tip.training.demo_courses import AWARENESS, FOUNDATION
from tip.training.models_clearances import DeliverySetting
from tip.training.models_courses import Course
from tip.training.models_providers import Provider, Trainer
from tip.training.models_sessions import Session, Venue
from tip.training.services_clearances import london_today
from tip.training.services_sessions import PartIn

CIVIC = "Northshire Civic Centre, Committee Room 2"
YOUTH_CENTRE = "Eastgate Youth Centre"
TRAINER_EMAIL = "trainer@northshire.example"
TRAINER_NAME = "Carys Evans"
AT_RISK_TITLE = "Foundation day: Eastgate youth workers"

BREAKS = "Morning break 10:45 to 11:00, lunch 12:30 to 13:15, afternoon break 14:45 to 15:00."


def seed_demo_sessions() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    courses = {
        c.name: c
        for c in Course.objects.filter(partnership=partnership, name__in=[FOUNDATION, AWARENESS])
    }
    trainers = {t.name: t for t in Trainer.objects.filter(partnership=partnership)}
    if (
        partnership is None
        or lead is None
        or len(courses) < 2
        or not {"Dr Amara Okafor", "Rhys Morgan"} <= set(trainers)
    ):
        return "Demo sessions skipped: the demo courses or trainers are missing."
    if Venue.objects.filter(partnership=partnership, name=CIVIC).exists():
        return "Demo sessions already there."
    with transaction.atomic():
        count = _build(partnership, lead, courses, trainers)
    return f"Demo sessions created: 2 venues and {count} sessions for Northshire."


def _venues(partnership: Partnership, lead: User) -> tuple[Venue, Venue]:
    youth = DeliverySetting.objects.filter(
        partnership=partnership, name="Northshire youth centres"
    ).first()
    civic = services_sessions.venue_create(
        partnership=partnership,
        name=CIVIC,
        address="Civic Centre\nMarket Street\nNorthshire NS1 2AB",
        setting=None,
        step_free_access="yes",
        hearing_loop="yes",
        quiet_room="yes",
        parking="Pay and display car park opposite; two blue badge bays at the entrance",
        cost="Free to partners",
        provided_by="Northshire Council",
        notes="Accessible toilets on every floor. Lift to the second floor.",
        by=lead,
    )
    centre = services_sessions.venue_create(
        partnership=partnership,
        name=YOUTH_CENTRE,
        address="12 Riverside Road\nEastgate NS4 7QT",
        setting=youth,
        step_free_access="yes",
        hearing_loop="no",
        quiet_room="yes",
        parking="Small free car park; street parking after 18:00",
        cost="£80 a day",
        provided_by="Eastgate Youth Trust",
        notes="The quiet room is the library on the ground floor.",
        by=lead,
    )
    return civic, centre


def _demo_trainer(partnership: Partnership, lead: User) -> Trainer | None:
    """Carys Evans, the demo trainer account's own trainer record."""
    member = Membership.objects.filter(partnership=partnership, user__email=TRAINER_EMAIL).first()
    provider = Provider.objects.filter(
        partnership=partnership, name="Northshire Youth Voices"
    ).first()
    if member is None or provider is None:
        return None
    trainer = Trainer.objects.filter(partnership=partnership, membership=member).first()
    if trainer is None:
        trainer = services_providers.trainer_create(
            provider=provider, name=TRAINER_NAME, role="Youth worker and trainer", by=lead
        )
        services_sessions.trainer_account_set(trainer=trainer, membership=member, by=lead)
    return trainer


def _build(
    partnership: Partnership,
    lead: User,
    courses: dict[str, Course],
    trainers: dict[str, Trainer],
) -> int:
    today = london_today()
    civic, centre = _venues(partnership, lead)
    carys = _demo_trainer(partnership, lead)
    amara, rhys = trainers["Dr Amara Okafor"], trainers["Rhys Morgan"]
    foundation, awareness = courses[FOUNDATION], courses[AWARENESS]
    link = "https://meet.example/northshire-"

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    def make(
        course: Course,
        parts: list[tuple[int, time, time]],
        team: list[Trainer | None],
        *,
        publish: bool = True,
        confirm: bool = True,
        version: int | None = None,
        **values: object,
    ) -> Session:
        session, _notes = services_sessions.session_create(
            partnership=partnership,
            course=course,
            parts=[PartIn(day(o), s, e) for o, s, e in parts],
            version_number=version,
            by=lead,
            **values,  # type: ignore[arg-type]
        )
        for trainer in team:
            if trainer is not None:
                services_sessions.trainer_add(session=session, trainer=trainer, by=lead)
        if publish:
            # Past sessions were opened for booking a month before they ran.
            first = min(o for o, _s, _e in parts)
            opened = datetime.combine(day(first - 30), time(9), tzinfo=UTC) if first < 0 else None
            services_sessions.session_publish(session=session, by=lead, now=opened)
        if confirm:
            services_sessions.session_confirm(session=session, by=lead)
        return session

    nine30, half4 = time(9, 30), time(16, 30)
    made = [
        # Past
        make(
            foundation,
            [(-120, nine30, half4)],
            [amara, carys],
            version=1,
            format="in_person",
            venue=civic,
            capacity=24,
            planned_breaks=BREAKS,
            audience_sectors=["education", "police", "youth_justice"],
            title="Foundation day: multi-agency",
        ),
        make(
            foundation,
            [(-80, time(9, 30), time(12, 30)), (-79, time(9, 30), time(12, 30))],
            [amara],
            version=1,
            format="virtual",
            online_link=link + "foundation-spring",
            capacity=20,
            recommended_group_size=10,
            planned_breaks="A 15-minute break each morning at 11:00.",
            title="Foundation online: two mornings",
        ),
        make(
            awareness,
            [(-40, time(13), time(16))],
            [carys],
            format="virtual",
            online_link=link + "awareness-1",
            capacity=16,
            recommended_group_size=8,
            audience_groups=["support_staff"],
        ),
        # Upcoming
        make(
            foundation,
            [(21, nine30, half4)],
            [amara],
            format="in_person",
            venue=centre,
            capacity=20,
            planned_breaks=BREAKS,
            audience_sectors=["childrens_services", "voluntary"],
            title="Foundation day: Eastgate",
        ),
        make(
            awareness,
            [(14, time(13), time(16))],
            [carys],
            format="virtual",
            online_link=link + "awareness-2",
            capacity=6,
            recommended_group_size=6,
            audience_groups=["support_staff"],
            reconfirm_days=[7, 2],
        ),
        make(
            foundation,
            [(35, nine30, time(12, 30)), (42, nine30, time(12, 30))],
            [amara, carys],
            publish=False,
            confirm=False,
            format="hybrid",
            venue=civic,
            online_link=link + "foundation-hybrid",
            capacity=30,
            recommended_group_size=12,
            title="Foundation: hybrid, two mornings",
        ),
        # At risk: Rhys Morgan's enhanced DBS check expires in about 45 days.
        make(
            foundation,
            [(60, nine30, half4)],
            [rhys],
            confirm=False,
            format="in_person",
            venue=centre,
            capacity=20,
            planned_breaks=BREAKS,
            title=AT_RISK_TITLE,
        ),
    ]
    return len(made)
