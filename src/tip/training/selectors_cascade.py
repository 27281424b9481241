"""Reads of the train-the-trainer cascade, each scoped to the partnership (another partnership's
ids answer 404): who is certified on which course version and by whom, their standing
(``analysis/cascade.py``), the sessions at risk because a trainer has lapsed or is out of date,
and each trainer's own view.

A trainer's standing on a course comes from one query, whatever the number of trainers: their
certifications, annotated with their last observation since certification, the course's latest
version, whether they acknowledged it, and the partnership's delivery settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tip.core.models import Membership, Partnership
from tip.programmes.models import Programme
from tip.training.analysis.cascade import (
    DEFAULT_CERTIFICATION_LAPSES_DAYS,
    DEFAULT_OBSERVATION_DUE_DAYS,
    LAPSED,
    Standing,
    TreeNode,
    cascade_tree,
    is_out_of_date,
    standing,
)
from tip.training.models_courses import Course, CourseVersion
from tip.training.models_delivery import (
    DeliverySettings,
    QaObservation,
    TrainerCertification,
    VersionAcknowledgement,
)
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session, SessionStatus, SessionTrainer
from tip.training.services_clearances import london_today


@dataclass
class CascadeEntry:
    """A trainer certified on a course: their certifications on it (oldest first), the one that
    counts (the latest version, then the latest date), and their standing."""

    certifications: list[TrainerCertification]
    standing: Standing
    latest_version: int
    out_of_date: bool
    # Told of the latest version and not acknowledged it yet.
    awaiting_acknowledgement: bool
    # Their acknowledgement of the latest version, when they were told of it.
    acknowledgement_id: int | None = None

    @property
    def certification(self) -> TrainerCertification:
        return max(
            self.certifications, key=lambda c: (c.course_version.number, c.certified_on, c.pk)
        )

    @property
    def trainer(self) -> Trainer:
        return self.certification.trainer

    @property
    def course(self) -> Course:
        return self.certification.course_version.course

    @property
    def at_risk(self) -> bool:
        return self.standing.status == LAPSED or self.out_of_date

    @property
    def reachable(self) -> bool:
        """Whether TIP can email them: their trainer record is linked to a TIP account."""
        return self.trainer.membership_id is not None


def _annotated(qs: QuerySet[TrainerCertification], today: date) -> QuerySet[TrainerCertification]:
    course = OuterRef("course_version__course_id")
    observations = (
        QaObservation.objects.filter(
            partnership_id=OuterRef("partnership_id"),
            trainer_id=OuterRef("trainer_id"),
            observed_on__gte=OuterRef("certified_on"),
            observed_on__lte=today,
        )
        # An observation of a session of another course says nothing about this one.
        .filter(Q(session__isnull=True) | Q(session__course_id=course))
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )
    latest = CourseVersion.objects.filter(course_id=course).order_by("-number").values("number")[:1]
    told = VersionAcknowledgement.objects.filter(
        trainer_id=OuterRef("trainer_id"),
        course_version__course_id=course,
        course_version__number=OuterRef("latest_number"),
    )
    settings = DeliverySettings.objects.filter(partnership_id=OuterRef("partnership_id"))
    return qs.annotate(
        last_observed_on=Subquery(observations),
        latest_number=Subquery(latest),
        acknowledged_latest=Exists(told.filter(acknowledged_at__isnull=False)),
        awaiting_latest=Exists(told.filter(acknowledged_at__isnull=True)),
        latest_acknowledgement_id=Subquery(told.values("pk")[:1]),
        due_days=Subquery(settings.values("observation_due_days")[:1]),
        lapse_days=Subquery(settings.values("certification_lapses_days")[:1]),
    )


def _entries(certifications: Iterable[TrainerCertification], today: date) -> list[CascadeEntry]:
    grouped: dict[tuple[int, int], list[TrainerCertification]] = defaultdict(list)
    for c in certifications:
        grouped[(c.trainer_id, c.course_version.course_id)].append(c)
    entries = []
    for certs in grouped.values():
        current = max(certs, key=lambda c: (c.course_version.number, c.certified_on, c.pk))
        row: Any = current
        due = row.due_days if row.due_days is not None else DEFAULT_OBSERVATION_DUE_DAYS
        lapse = row.lapse_days if row.lapse_days is not None else DEFAULT_CERTIFICATION_LAPSES_DAYS
        latest = row.latest_number or current.course_version.number
        entries.append(
            CascadeEntry(
                certifications=certs,
                standing=standing(
                    certified_on=current.certified_on,
                    observed_on=[row.last_observed_on],
                    today=today,
                    observation_due_days=due,
                    certification_lapses_days=lapse,
                ),
                latest_version=latest,
                out_of_date=is_out_of_date(
                    certified_version=current.course_version.number,
                    latest_version=latest,
                    acknowledged=[latest] if row.acknowledged_latest else [],
                ),
                awaiting_acknowledgement=bool(row.awaiting_latest)
                and current.course_version.number < latest,
                acknowledgement_id=row.latest_acknowledgement_id,
            )
        )
    return entries


def cascade_entries(
    *,
    partnership: Partnership,
    course: Course | None = None,
    programme: Programme | None = None,
    trainer: Trainer | None = None,
    membership: Membership | None = None,
    today: date | None = None,
) -> list[CascadeEntry]:
    """Every certified trainer's standing, per course, narrowed as asked. One query."""
    today = today or london_today()
    qs = TrainerCertification.objects.for_partnership(partnership)
    if course is not None:
        qs = qs.filter(course_version__course=course)
    if programme is not None:
        qs = qs.filter(course_version__course__programme=programme)
    if trainer is not None:
        qs = qs.filter(trainer=trainer)
    if membership is not None:
        qs = qs.filter(trainer__membership=membership)
    qs = qs.select_related(
        "trainer__provider",
        "course_version__course",
        "certified_by",
        "session__course",
    ).order_by("certified_on", "pk")
    return _entries(_annotated(qs, today), today)


# --- A course's cascade --------------------------------------------------------------------------


@dataclass
class CascadeRisk:
    """A future session taught by a trainer who has lapsed or is out of date on its course."""

    session: Session
    first_start: datetime
    trainer: Trainer
    lapsed: bool
    out_of_date: bool


@dataclass
class CascadeNode:
    """A trainer in the tree of who trained whom, with the trainers they trained."""

    entry: CascadeEntry
    children: list[CascadeNode]


def _nodes(tree: list[TreeNode], by_trainer: dict[int, CascadeEntry]) -> list[CascadeNode]:
    return [CascadeNode(by_trainer[cast(int, n.key)], _nodes(n.children, by_trainer)) for n in tree]


@dataclass
class CourseCascade:
    course: Course
    entries: list[CascadeEntry]
    tree: list[CascadeNode]
    by_trainer: dict[int, CascadeEntry]
    certifications: list[TrainerCertification]
    risks: list[CascadeRisk] = field(default_factory=list)
    # Acknowledgements recorded on behalf of trainers without an account, newest first.
    recorded: list[VersionAcknowledgement] = field(default_factory=list)

    @property
    def awaiting(self) -> list[CascadeEntry]:
        """Told of the latest version by email, and not acknowledged it yet."""
        return [e for e in self.entries if e.out_of_date and e.reachable]

    @property
    def not_reachable(self) -> list[CascadeEntry]:
        """Out of date, with no TIP account to tell them: someone must tell them another way."""
        return [e for e in self.entries if e.out_of_date and not e.reachable]


def course_cascade(
    *, course: Course, today: date | None = None, now: datetime | None = None
) -> CourseCascade:
    """The course's cascade: who trained whom, each trainer's standing, the future sessions at
    risk, and the acknowledgements recorded on trainers' behalf. Four queries."""
    entries = cascade_entries(partnership=course.partnership, course=course, today=today)
    entries.sort(key=lambda e: (e.certifications[0].certified_on, e.certifications[0].pk))
    by_trainer = {e.trainer.pk: e for e in entries}
    keys = [e.trainer.pk for e in entries]
    # Each trainer sits under whoever trained them first on this course.
    parent_of: dict[Hashable, Hashable | None] = {
        e.trainer.pk: e.certifications[0].certified_by_id for e in entries
    }
    certifications = sorted(
        (c for e in entries for c in e.certifications), key=lambda c: (c.certified_on, c.pk)
    )
    return CourseCascade(
        course=course,
        entries=entries,
        tree=_nodes(cascade_tree(keys, parent_of), by_trainer),
        by_trainer=by_trainer,
        certifications=certifications,
        risks=_risks(course.partnership, entries, now=now),
        recorded=recorded_acknowledgements(course=course),
    )


def _risks(
    partnership: Partnership, entries: list[CascadeEntry], *, now: datetime | None
) -> list[CascadeRisk]:
    risky = {(e.trainer.pk, e.course.pk): e for e in entries if e.at_risk}
    if not risky:
        return []
    now = now or timezone.now()
    rows = (
        SessionTrainer.objects.for_partnership(partnership)
        .filter(
            trainer_id__in={t for t, _c in risky},
            session__course_id__in={c for _t, c in risky},
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .annotate(first_start=Min("session__parts__starts_at"))
        .filter(first_start__gt=now)
        .select_related("session__course", "trainer")
        .order_by("first_start", "session_id", "pk")
    )
    risks = []
    for row in rows:
        entry = risky.get((row.trainer_id, row.session.course_id))
        if entry is None:
            continue
        risks.append(
            CascadeRisk(
                session=row.session,
                first_start=row.first_start,
                trainer=row.trainer,
                lapsed=entry.standing.status == LAPSED,
                out_of_date=entry.out_of_date,
            )
        )
    return risks


def cascade_risks(
    *,
    partnership: Partnership,
    programme: Programme | None = None,
    course: Course | None = None,
    now: datetime | None = None,
    entries: list[CascadeEntry] | None = None,
) -> list[CascadeRisk]:
    """Future sessions taught by a trainer who has lapsed or is out of date on the session's
    course: for the programme lead (the cascade page, and the delivery dashboard). Two queries,
    or one when the caller passes the ``cascade_entries`` it already read."""
    if entries is None:
        entries = cascade_entries(partnership=partnership, programme=programme, course=course)
    return _risks(partnership, entries, now=now)


def recorded_acknowledgements(*, course: Course) -> list[VersionAcknowledgement]:
    """The course's acknowledgements recorded on behalf of trainers without an account, newest
    first. One query."""
    return list(
        VersionAcknowledgement.objects.filter(
            partnership_id=course.partnership_id,
            course_version__course=course,
            recorded_on__isnull=False,
        )
        .select_related("trainer", "course_version", "recorded_by")
        .order_by("-recorded_on", "-pk")
    )


# --- Single records ------------------------------------------------------------------------------


def acknowledgement_get(
    *, partnership: Partnership, acknowledgement_id: int
) -> VersionAcknowledgement:
    """One of the partnership's acknowledgements; another partnership's answers 404."""
    found: VersionAcknowledgement = get_object_or_404(
        VersionAcknowledgement.objects.for_partnership(partnership).select_related(
            "trainer", "course_version__course", "recorded_by"
        ),
        pk=acknowledgement_id,
    )
    return found


def certification_get(*, partnership: Partnership, certification_id: int) -> TrainerCertification:
    certification: TrainerCertification = get_object_or_404(
        TrainerCertification.objects.for_partnership(partnership).select_related(
            "trainer", "course_version__course"
        ),
        pk=certification_id,
    )
    return certification


def observation_list(*, trainer: Trainer) -> list[QaObservation]:
    return list(
        QaObservation.objects.filter(trainer=trainer, partnership_id=trainer.partnership_id)
        .select_related("session__course")
        .order_by("-observed_on", "-pk")
    )


def trainer_choices(*, partnership: Partnership) -> list[Trainer]:
    return list(
        Trainer.objects.for_partnership(partnership)
        .select_related("provider")
        .order_by("name", "pk")
    )


def version_choices(*, course: Course) -> list[CourseVersion]:
    return list(
        CourseVersion.objects.filter(course=course, partnership_id=course.partnership_id).order_by(
            "number"
        )
    )


# How far back the session lists of the forms reach: a certification or an observation is
# recorded soon after the session.
SESSION_CHOICE_DAYS = 730


def _sessions(qs: QuerySet[Session], now: datetime | None) -> list[Session]:
    now = now or timezone.now()
    return list(
        qs.exclude(status=SessionStatus.CANCELLED)
        .annotate(first_start=Min("parts__starts_at"))
        .filter(first_start__gte=now - timedelta(days=SESSION_CHOICE_DAYS), first_start__lte=now)
        .select_related("course")
        .order_by("-first_start", "-pk")[:200]
    )


def certification_session_choices(*, course: Course, now: datetime | None = None) -> list[Session]:
    """Past sessions at which trainers may have been certified on the course: its own, and the
    partnership's train-the-trainer courses'."""
    qs = Session.objects.for_partnership(course.partnership).filter(
        Q(course=course) | Q(course__train_the_trainer=True)
    )
    return _sessions(qs, now)


def observation_session_choices(*, trainer: Trainer, now: datetime | None = None) -> list[Session]:
    """Past sessions the trainer taught."""
    qs = Session.objects.filter(
        partnership_id=trainer.partnership_id, session_trainers__trainer=trainer
    )
    return _sessions(qs, now)


# --- A trainer's own view ------------------------------------------------------------------------


def my_acknowledgements(*, membership: Membership) -> list[VersionAcknowledgement]:
    """The new versions the person's trainer records were told of, newest first."""
    return list(
        VersionAcknowledgement.objects.filter(
            partnership_id=membership.partnership_id, trainer__membership=membership
        )
        .select_related("course_version__course", "trainer")
        .order_by("acknowledged_at", "-notified_at", "-pk")
    )


def my_acknowledgement_get(
    *, membership: Membership, acknowledgement_id: int
) -> VersionAcknowledgement:
    """One of the person's own acknowledgements; anyone else's answers 404."""
    found: VersionAcknowledgement = get_object_or_404(
        VersionAcknowledgement.objects.filter(
            partnership_id=membership.partnership_id, trainer__membership=membership
        ).select_related("course_version__course", "trainer"),
        pk=acknowledgement_id,
    )
    return found
