"""Writes to the train-the-trainer cascade. Each runs in one transaction and records itself in
the audit log.

* A certification says a trainer may deliver a version of a course, from a date, perhaps trained
  by another trainer (who must be certified on the course by then: you cascade what you hold)
  and perhaps at a session (of the course, or of a train-the-trainer course).
* An observation rates a trainer's delivery on the form in ``data/qa_criteria.yaml``.
* A new version of a course (``services_courses.course_version_create``) tells every trainer
  certified on an earlier version: an acknowledgement to give, and an email through the task
  queue when their trainer record is linked to a TIP account. They acknowledge on their page.
* A trainer without an account cannot: the people who manage training record on their behalf
  that they were told and acknowledged, how (email, phone, in person, another way) and on which
  day (``acknowledgement_record``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.languages import in_language_of
from tip.core.models import AuditAction, User
from tip.core.tasks import send_email
from tip.training.models_courses import CourseVersion
from tip.training.models_delivery import (
    AcknowledgementMeans,
    QaObservation,
    TrainerCertification,
    VersionAcknowledgement,
)
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session
from tip.training.qa_criteria import RATINGS, load_qa_criteria
from tip.training.services_clearances import london_today

MAX_NOTES = 5000


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


# --- Certifications ------------------------------------------------------------------------------


@transaction.atomic
def certification_create(
    *,
    trainer: Trainer,
    course_version: CourseVersion,
    certified_on: date,
    certified_by: Trainer | None = None,
    session: Session | None = None,
    by: User,
    via: str = "web",
) -> TrainerCertification:
    """Record that ``trainer`` may deliver ``course_version`` from ``certified_on``. Refused, with
    a message naming the field: another partnership's records, a date in the future, a trainer
    certifying themselves or someone on a course they were not certified on by then, and a
    second certification on the same version."""
    partnership_id = trainer.partnership_id
    errors: dict[str, str] = {}
    if course_version.partnership_id != partnership_id:
        errors["course_version"] = _("Choose a version of one of the partnership's courses")
    if certified_on > london_today():
        errors["certified_on"] = _("The date certified must be today or in the past")
    if certified_by is not None:
        if certified_by.partnership_id != partnership_id:
            errors["certified_by"] = _("Choose one of the partnership's trainers")
        elif certified_by.pk == trainer.pk:
            errors["certified_by"] = _("A trainer cannot certify themselves")
        elif not TrainerCertification.objects.filter(
            partnership_id=partnership_id,
            trainer=certified_by,
            course_version__course_id=course_version.course_id,
            certified_on__lte=certified_on,
        ).exists():
            errors["certified_by"] = _(
                "%(name)s was not certified on this course on or before %(day)s. Record their "
                "certification first, or leave this empty."
            ) % {"name": certified_by.name, "day": _day(certified_on)}
    if session is not None and session.partnership_id != partnership_id:
        errors["session"] = _("Choose one of the partnership's sessions")
    if (
        not errors
        and TrainerCertification.objects.filter(
            trainer=trainer, course_version=course_version
        ).exists()
    ):
        errors["course_version"] = _(
            "%(name)s is already certified on version %(number)d of this course"
        ) % {"name": trainer.name, "number": course_version.number}
    if errors:
        raise ValidationError(errors)
    certification = TrainerCertification.objects.create(
        partnership_id=partnership_id,
        trainer=trainer,
        course_version=course_version,
        certified_on=certified_on,
        certified_by=certified_by,
        session=session,
    )
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=certification,
        partnership=trainer.partnership,
        changed_fields=["trainer", "course_version", "certified_on", "certified_by", "session"],
        via=via,
    )
    # Certified on a version that has been replaced: they must hear of the latest one too.
    latest = (
        CourseVersion.objects.filter(course_id=course_version.course_id).order_by("-number").first()
    )
    if latest is not None and latest.number > course_version.number:
        _notify(latest, [trainer], by=by, via=via)
    return certification


@transaction.atomic
def certification_delete(
    *, certification: TrainerCertification, by: User, via: str = "web"
) -> None:
    """Remove a certification recorded by mistake. Trainers it certified keep theirs, and move
    to the top of the cascade if it was their trainer's only one."""
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=certification,
        partnership=certification.partnership,
        via=via,
    )
    certification.delete()


# --- Observations --------------------------------------------------------------------------------


def _clean_ratings(ratings: Mapping[str, object]) -> dict[str, int]:
    criteria = load_qa_criteria()
    codes = criteria.codes()
    unknown = sorted(set(ratings) - set(codes))
    if unknown:
        raise ValidationError(
            {"ratings": _("Unknown criteria: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    clean: dict[str, int] = {}
    errors: dict[str, str] = {}
    for criterion in criteria.criteria:
        value = ratings.get(criterion.code)
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            number = 0
        if number not in RATINGS:
            errors[criterion.code] = _("Rate “%(criterion)s” from 1 to 4") % {
                "criterion": criterion.title(get_language() or "en")
            }
        else:
            clean[criterion.code] = number
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def observation_create(
    *,
    trainer: Trainer,
    observed_on: date,
    observer: str,
    ratings: Mapping[str, object],
    notes: str = "",
    session: Session | None = None,
    by: User,
    via: str = "web",
) -> QaObservation:
    """Record an observation of ``trainer``: a rating from 1 to 4 for every criterion of the
    form, who observed, when, and perhaps the session (one the trainer taught)."""
    errors: dict[str, str] = {}
    observer = " ".join((observer or "").split())
    notes = (notes or "").strip()
    if not observer:
        errors["observer"] = _("Enter who observed")
    elif len(observer) > 200:
        errors["observer"] = _("Use 200 characters or fewer for who observed")
    if observed_on > london_today():
        errors["observed_on"] = _("The date observed must be today or in the past")
    if len(notes) > MAX_NOTES:
        errors["notes"] = _("Use %(max)d characters or fewer for the notes") % {"max": MAX_NOTES}
    if session is not None and (
        session.partnership_id != trainer.partnership_id
        or not session.session_trainers.filter(trainer=trainer).exists()
    ):
        errors["session"] = _("Choose a session %(name)s taught") % {"name": trainer.name}
    try:
        clean = _clean_ratings(ratings)
    except ValidationError as exc:
        errors |= {k: v[0] for k, v in exc.message_dict.items()}
        clean = {}
    if errors:
        raise ValidationError(errors)
    observation = QaObservation.objects.create(
        partnership_id=trainer.partnership_id,
        trainer=trainer,
        session=session,
        observed_on=observed_on,
        observer=observer,
        ratings=clean,
        notes=notes,
        created_by=by,
    )
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=observation,
        partnership=trainer.partnership,
        changed_fields=["trainer", "session", "observed_on", "observer", "ratings", "notes"],
        via=via,
    )
    return observation


# --- New versions and acknowledgements -----------------------------------------------------------


def _notify(
    version: CourseVersion, trainers: list[Trainer], *, by: User, via: str
) -> list[VersionAcknowledgement]:
    """An acknowledgement of ``version`` for each trainer not already told of it, audited, and an
    email (once the transaction commits) to each whose record is linked to a TIP account."""
    already = set(
        VersionAcknowledgement.objects.filter(
            course_version=version, trainer__in=trainers
        ).values_list("trainer_id", flat=True)
    )
    created = []
    for trainer in trainers:
        if trainer.pk in already:
            continue
        acknowledgement = VersionAcknowledgement.objects.create(
            partnership_id=version.partnership_id, trainer=trainer, course_version=version
        )
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=acknowledgement,
            partnership=version.partnership,
            changed_fields=["trainer", "course_version"],
            via=via,
        )
        created.append(acknowledgement)
    for subject, body, to in _emails(created):
        transaction.on_commit(partial(send_email.enqueue, subject=subject, body=body, to=to))
    return created


def _emails(acknowledgements: list[VersionAcknowledgement]) -> list[tuple[str, str, list[str]]]:
    ids = [a.pk for a in acknowledgements]
    rows = (
        VersionAcknowledgement.objects.filter(pk__in=ids, trainer__membership__isnull=False)
        .select_related("trainer__membership__user", "course_version__course")
        .order_by("pk")
    )
    emails: list[tuple[str, str, list[str]]] = []
    for ack in rows:
        membership = ack.trainer.membership
        if membership is None or not membership.user.is_active or not membership.user.email:
            continue
        path = reverse("training:cascade-acknowledge", kwargs={"acknowledgement_id": ack.pk})
        context = {
            "trainer": ack.trainer,
            "version": ack.course_version,
            "course": ack.course_version.course,
            "link": settings.TIP_BASE_URL + path,
        }
        with in_language_of(membership.user):
            subject = render_to_string("training/email/cascade_version_subject.txt", context)
            body = render_to_string("training/email/cascade_version.txt", context)
        emails.append(("".join(subject.splitlines()), str(body), [membership.user.email]))
    return emails


def version_created(version: CourseVersion, by: User, via: str) -> list[VersionAcknowledgement]:
    """Called by ``course_version_create`` in its transaction: every trainer certified on an
    earlier version of the course is told of the new one."""
    trainers = list(
        Trainer.objects.filter(
            partnership_id=version.partnership_id,
            certifications__course_version__course_id=version.course_id,
            certifications__course_version__number__lt=version.number,
        )
        .distinct()
        .order_by("name", "pk")
    )
    if not trainers:
        return []
    return _notify(version, trainers, by=by, via=via)


@transaction.atomic
def acknowledgement_confirm(
    *, acknowledgement: VersionAcknowledgement, by: User, via: str = "web"
) -> VersionAcknowledgement:
    """The trainer has read what changed in the version. Acknowledging twice changes nothing."""
    locked: VersionAcknowledgement = VersionAcknowledgement.objects.select_for_update().get(
        pk=acknowledgement.pk
    )
    if locked.acknowledged_at is not None:
        return locked
    locked.acknowledged_at = timezone.now()
    locked.save(update_fields=["acknowledged_at"])
    audit_change(
        actor=by,
        action=AuditAction.UPDATE,
        obj=locked,
        partnership=locked.partnership,
        changed_fields=["acknowledged_at"],
        via=via,
    )
    return locked


@transaction.atomic
def acknowledgement_record(
    *,
    acknowledgement: VersionAcknowledgement,
    means: str,
    told_on: date | None,
    by: User,
    via: str = "web",
) -> VersionAcknowledgement:
    """Record, for a trainer without a TIP account, that they were told of the version and
    acknowledged it: how they were told and the day (not in the future, not before the version
    was made). Refused, with nothing saved, for a trainer with an account (they acknowledge
    themselves) and for a version already acknowledged."""
    locked: VersionAcknowledgement = (
        VersionAcknowledgement.objects.select_for_update(of=("self",))
        .select_related("trainer", "course_version", "partnership")
        .get(pk=acknowledgement.pk, partnership_id=acknowledgement.partnership_id)
    )
    trainer, version = locked.trainer, locked.course_version
    if trainer.membership_id is not None:
        raise ValidationError(
            _(
                "%(name)s has a TIP account, so they acknowledge new versions themselves, on "
                "their train-the-trainer page"
            )
            % {"name": trainer.name},
            code="has_account",
        )
    if locked.acknowledged_at is not None:
        day = locked.acknowledged_on
        raise ValidationError(
            _("%(name)s has already acknowledged version %(number)d, on %(day)s")
            % {"name": trainer.name, "number": version.number, "day": _day(day) if day else ""},
            code="already",
        )
    errors: dict[str, str] = {}
    if means not in AcknowledgementMeans.values:
        errors["recorded_means"] = _(
            "Choose how they were told: by email, by phone, in person or another way"
        )
    made_on = timezone.localdate(version.created_at)
    if told_on is None:
        errors["recorded_on"] = _("Enter the date they were told and acknowledged")
    elif told_on > london_today():
        errors["recorded_on"] = _(
            "The date they were told and acknowledged must be today or in the past"
        )
    elif told_on < made_on:
        errors["recorded_on"] = _(
            "The date they were told and acknowledged must be on or after %(day)s, when version "
            "%(number)d was made"
        ) % {"day": _day(made_on), "number": version.number}
    if errors:
        raise ValidationError(errors)
    locked.acknowledged_at = timezone.now()
    locked.recorded_by = by
    locked.recorded_means = means
    locked.recorded_on = told_on
    fields = ["acknowledged_at", "recorded_by", "recorded_means", "recorded_on"]
    locked.save(update_fields=fields)
    audit_change(
        actor=by,
        action=AuditAction.UPDATE,
        obj=locked,
        partnership=locked.partnership,
        changed_fields=fields,
        via=via,
    )
    return locked
