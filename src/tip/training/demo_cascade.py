"""The demo's train-the-trainer cascade in Northshire, on the foundation day: Dr Amara Okafor,
the lead trainer, certified on version 1, who certified Rhys Morgan and Jade Thompson on version
1. Amara and Rhys have been observed; Jade is due an observation. Version 2 of the course exists,
so each was told of it. None of the three has a TIP account: the lead recorded on their behalf
that Amara (in person) and Jade (by phone) acknowledged it; Rhys has not, and is listed as not
reachable by email. A future session taught by Rhys shows as a cascade risk.

Built through the services, so every record is validated and audited. Dates are relative to the
day the demo is built. Idempotent: nothing is done once Northshire has a certification."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.programmes.demo import LEAD, PARTNERSHIP
from tip.training import services_cascade as services
from tip.training.demo_courses import FOUNDATION
from tip.training.models_courses import Course
from tip.training.models_delivery import (
    AcknowledgementMeans,
    TrainerCertification,
    VersionAcknowledgement,
)
from tip.training.models_providers import Trainer
from tip.training.models_sessions import (
    Session,
    SessionFormat,
    SessionPart,
    SessionStatus,
    SessionTrainer,
)
from tip.training.services_clearances import london_today

LONDON = ZoneInfo("Europe/London")
LEAD_TRAINER = "Dr Amara Okafor"
OBSERVED = "Rhys Morgan"
DUE = "Jade Thompson"
RISK_SESSION_TITLE = "Foundation day: Eastgate community centre (cascade)"
GOOD = {"fidelity": 4, "accuracy": 3, "handling_distress": 4, "engagement": 3}


def seed_demo_cascade() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    course = Course.objects.filter(partnership__name=PARTNERSHIP, name=FOUNDATION).first()
    if partnership is None or lead is None or course is None:
        return "Demo cascade skipped: the foundation course is missing."
    trainers = {
        t.name: t
        for t in Trainer.objects.filter(
            partnership=partnership, name__in=[LEAD_TRAINER, OBSERVED, DUE]
        )
    }
    if len(trainers) < 3:
        return "Demo cascade skipped: the demo trainers are missing."
    if TrainerCertification.objects.filter(partnership=partnership).exists():
        return "Demo cascade already there."
    with transaction.atomic():
        _build(partnership, lead, course, trainers)
    return (
        "Demo cascade created: 3 trainers certified on the foundation day, 2 observed, 1 due, "
        "2 acknowledgements of version 2 recorded on trainers' behalf, 1 pending, 1 future "
        "session at risk."
    )


def _build(
    partnership: Partnership, lead: User, course: Course, trainers: dict[str, Trainer]
) -> None:
    today = london_today()
    versions = {v.number: v for v in course.versions.all()}
    first = versions[1]
    amara, rhys, jade = trainers[LEAD_TRAINER], trainers[OBSERVED], trainers[DUE]
    services.certification_create(
        trainer=amara, course_version=first, certified_on=today - timedelta(days=300), by=lead
    )
    services.certification_create(
        trainer=rhys,
        course_version=first,
        certified_on=today - timedelta(days=200),
        certified_by=amara,
        by=lead,
    )
    services.certification_create(
        trainer=jade,
        course_version=first,
        certified_on=today - timedelta(days=150),
        certified_by=amara,
        by=lead,
    )
    services.observation_create(
        trainer=amara,
        observed_on=today - timedelta(days=60),
        observer="Northshire VRU training lead",
        ratings=GOOD,
        notes="Confident, faithful delivery; the room felt safe throughout.",
        by=lead,
    )
    services.observation_create(
        trainer=rhys,
        observed_on=today - timedelta(days=100),
        observer="Dr Amara Okafor, lead trainer",
        ratings={"fidelity": 3, "accuracy": 3, "handling_distress": 2, "engagement": 4},
        notes="Engaging. Give the content warning before the case study, not after; signpost "
        "the welfare offer at each break.",
        by=lead,
    )
    # Version 2 was made before any certification, so each was told of it when certified.
    for trainer, means in (
        (amara, AcknowledgementMeans.IN_PERSON),
        (jade, AcknowledgementMeans.PHONE),
    ):
        for ack in VersionAcknowledgement.objects.filter(
            trainer=trainer, acknowledged_at__isnull=True
        ):
            services.acknowledgement_record(
                acknowledgement=ack, means=means, told_on=today, by=lead
            )
    _risk_session(partnership, lead, course, rhys)


def _risk_session(partnership: Partnership, lead: User, course: Course, trainer: Trainer) -> None:
    """A draft foundation day in five weeks, taught by the out-of-date trainer, unless they
    already teach a future session of the course."""
    future = (
        SessionTrainer.objects.filter(trainer=trainer, session__course=course)
        .annotate(first=Min("session__parts__starts_at"))
        .filter(first__gt=timezone.now())
    )
    if future.exists():
        return
    day = london_today() + timedelta(days=35)
    latest = course.versions.order_by("-number").first()
    assert latest is not None
    session = Session.objects.create(
        partnership=partnership,
        course=course,
        course_version=latest,
        title=RISK_SESSION_TITLE,
        format=SessionFormat.IN_PERSON,
        capacity=20,
        status=SessionStatus.DRAFT,
        created_by=lead,
    )
    SessionPart.objects.create(
        partnership=partnership,
        session=session,
        starts_at=datetime.combine(day, time(9, 30), tzinfo=LONDON),
        ends_at=datetime.combine(day, time(16, 30), tzinfo=LONDON),
    )
    taught = SessionTrainer.objects.create(
        partnership=partnership, session=session, trainer=trainer
    )
    for obj, fields in (
        (session, ["course", "course_version", "title", "format", "capacity", "status"]),
        (taught, ["session", "trainer"]),
    ):
        audit_change(
            actor=lead,
            action=AuditAction.CREATE,
            obj=obj,
            partnership=partnership,
            changed_fields=fields,
        )
