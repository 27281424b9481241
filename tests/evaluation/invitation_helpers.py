"""A planned programme with a session and booked participants, for the invitation tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tests.training.bookings_helpers import member
from tip.core.models import Membership
from tip.evaluation.models import EvaluationPlan
from tip.training import services_courses
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_courses import Course
from tip.training.models_sessions import Session, SessionFormat, SessionPart, SessionStatus

LONDON = ZoneInfo("Europe/London")


def london(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


class Collecting(Planned):
    """`Planned` with a plan measuring at the baseline and six months (tip-kac), straight after
    (tip-feedback), a session of the programme's course on ``day`` and ``people`` booked."""

    def __init__(self, world: World, *, day: date, people: int = 2, name: str = "") -> None:
        super().__init__(world, **({"name": name} if name else {}))
        self.evaluation: EvaluationPlan = self.plan()
        self.measure(self.evaluation, "tip-kac", (-7, 182))
        self.measure(self.evaluation, "tip-feedback", (0,))
        self.session = self.add_session(day)
        self.people: list[Membership] = []
        self.bookings: list[Booking] = []
        for n in range(people):
            self.book(self.session, f"Person {self.programme.pk} {n}")

    def add_session(self, day: date) -> Session:
        """A one-day session on ``day`` of a course of this programme (its own course)."""
        course = Course.objects.filter(programme=self.programme).first()
        if course is None:
            course = services_courses.course_create(
                partnership=self.world.partnership,
                name=f"Course of {self.programme.name}",
                hours=6,
                programme=self.programme,
                by=self.lead,
            )
        start = london(day, 9, 30)
        session = Session.objects.create(
            partnership=self.world.partnership,
            course=course,
            course_version=course.versions.get(),
            title=f"Day {day}",
            format=SessionFormat.VIRTUAL,
            capacity=20,
            status=SessionStatus.PUBLISHED,
        )
        SessionPart.objects.create(
            partnership=self.world.partnership,
            session=session,
            starts_at=start,
            ends_at=start + timedelta(hours=6),
        )
        return session

    def book(self, session: Session, name: str) -> Booking:
        person = member(self.world.partnership, self.world.organisations[0], name)
        booking = Booking.objects.create(
            partnership=self.world.partnership,
            session=session,
            membership=person,
            status=BookingStatus.BOOKED,
        )
        self.people.append(person)
        self.bookings.append(booking)
        return booking
