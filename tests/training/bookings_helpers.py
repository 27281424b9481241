"""Sessions for the booking tests, made directly through the models (the session services have
their own tests): a published session of a course with a content warning, its parts in UTC, and
a trainer linked to a member's account."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tests.factories import MembershipFactory
from tip.core.models import Membership, Partnership
from tip.core.roles import Role
from tip.training import services_courses
from tip.training.models_courses import Course
from tip.training.models_providers import Provider, Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)


def course_for(partnership: Partnership, by: Any) -> Course:
    course = Course.objects.filter(partnership=partnership, name="Booking test course").first()
    if course is None:
        course = services_courses.course_create(
            partnership=partnership, name="Booking test course", hours=6, by=by
        )
        services_courses.module_create(
            version=course.versions.get(),
            title="Recognising trauma",
            duration_minutes=90,
            content_warnings="A case study of exploitation and violence",
            by=by,
        )
    return course


def make_session(
    partnership: Partnership,
    by: Any,
    *,
    starts: datetime | None = None,
    days: int = 1,
    capacity: int = 10,
    status: str = SessionStatus.PUBLISHED,
    format: str = SessionFormat.VIRTUAL,
    reconfirm_days: list[int] | None = None,
    title: str = "Foundation day",
    breaks: str = "Breaks at 11:00 and 14:30; lunch at 12:30.",
) -> Session:
    course = course_for(partnership, by)
    starts = starts or timezone.now() + timedelta(days=20)
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=course.versions.get(),
        title=title,
        format=format,
        online_link="https://meet.example.org/foundation" if format != "in_person" else "",
        capacity=capacity,
        planned_breaks=breaks,
        reconfirm_days=reconfirm_days or [],
        status=status,
    )
    for day in range(days):
        at = starts + timedelta(days=day)
        SessionPart.objects.create(
            partnership=partnership, session=session, starts_at=at, ends_at=at + timedelta(hours=6)
        )
    return session


def add_trainer(session: Session, membership: Membership | None, name: str = "Tess") -> Trainer:
    provider, _ = Provider.objects.get_or_create(
        partnership=session.partnership, name="Booking test provider", defaults={"kind": "in_house"}
    )
    trainer = Trainer.objects.create(
        partnership=session.partnership, provider=provider, name=name, membership=membership
    )
    SessionTrainer.objects.create(partnership=session.partnership, session=session, trainer=trainer)
    return trainer


def member(
    partnership: Partnership, organisation: Any, name: str, role: str = Role.PRACTITIONER
) -> Membership:
    slug = name.lower().replace(" ", ".")
    membership: Membership = MembershipFactory(
        partnership=partnership,
        organisation=organisation,
        user__email=f"{slug}@example.org",
        user__full_name=name,
        roles=[role],
    )
    return membership
