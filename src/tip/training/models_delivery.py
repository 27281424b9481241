"""What delivering training needs beyond sessions and bookings: each partnership's delivery
settings, each organisation's welfare offer (sent to its staff before and after sessions),
certificates of attendance, and the train-the-trainer cascade with its quality assurance."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_bookings import Booking
from tip.training.models_courses import CourseVersion
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session

__all__ = [
    "AcknowledgementMeans",
    "Certificate",
    "DeliverySettings",
    "QaObservation",
    "TrainerCertification",
    "VersionAcknowledgement",
    "WelfareOffer",
]


# The days before a session people are asked to re-confirm their place, by the session's format,
# unless the session sets its own (tip.training.analysis.bookings keeps the same defaults).
def default_reconfirm_days_virtual() -> list[int]:
    return [7, 2]


def default_reconfirm_days_in_person() -> list[int]:
    return [7]


def default_reconfirm_days_hybrid() -> list[int]:
    return [7]


class DeliverySettings(TenantModel):
    """A partnership's choices for running sessions; a partnership without a row uses the
    defaults. Changed on the delivery settings page (services_delivery.delivery_settings_set)."""

    # How long a freed place offered to the next person waiting stays theirs.
    offer_hours = models.PositiveIntegerField(_("hours to accept an offered place"), default=48)
    # How long after a session a private check-in request is kept.
    check_in_retention_days = models.PositiveIntegerField(
        _("days to keep check-in requests after the session"), default=7
    )
    # How long after certification a cascade trainer's first observation is due, and how long a
    # certification lasts without one.
    observation_due_days = models.PositiveIntegerField(
        _("days after certification an observation is due"), default=90
    )
    certification_lapses_days = models.PositiveIntegerField(
        _("days after the last observation a certification lapses"), default=365
    )
    # Re-confirmation days for sessions that do not set their own, furthest first.
    reconfirm_days_virtual = models.JSONField(
        _("ask to confirm a virtual session, days before"), default=default_reconfirm_days_virtual
    )
    reconfirm_days_in_person = models.JSONField(
        _("ask to confirm an in-person session, days before"),
        default=default_reconfirm_days_in_person,
    )
    reconfirm_days_hybrid = models.JSONField(
        _("ask to confirm a hybrid session, days before"), default=default_reconfirm_days_hybrid
    )
    # How long before a follow-up activity is due its reminder goes; 0 sends none.
    follow_up_reminder_days = models.PositiveIntegerField(
        _("days before a follow-up is due to remind people"), default=7
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery settings")
        verbose_name_plural = _("delivery settings")
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="delivery_settings_once")
        ]

    def __str__(self) -> str:
        return str(_("Delivery settings"))


class WelfareOffer(TenantModel):
    """An organisation's offer of support to its staff, sent to them with the content warnings
    before a session and again after it."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="welfare_offer"
    )
    offer = models.TextField(_("what support the organisation offers"))
    contacts = models.TextField(_("support contacts"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("welfare offer")
        verbose_name_plural = _("welfare offers")

    def __str__(self) -> str:
        return str(_("Welfare offer"))


class Certificate(TenantModel):
    """A certificate of attendance. Its code lets anyone check it is genuine on a public page
    that shows nothing else about the person."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class TrainerCertification(TenantModel):
    """A trainer certified to deliver a course version, by a train-the-trainer session and
    perhaps by another trainer: the links make the cascade (who trained whom, on what)."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="certifications")
    course_version = models.ForeignKey(
        CourseVersion, on_delete=models.PROTECT, related_name="certifications"
    )
    certified_on = models.DateField(_("date certified"))
    certified_by = models.ForeignKey(
        Trainer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certified",
        verbose_name=_("trained by"),
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="certifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certified_on", "pk"]
        verbose_name = _("trainer certification")
        verbose_name_plural = _("trainer certifications")

    def __str__(self) -> str:
        return f"{self.trainer} ({self.course_version})"


class QaObservation(TenantModel):
    """A quality-assurance observation of a trainer delivering: ratings on a structured form
    (fidelity to content, accuracy, handling of distress, engagement) and notes."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="observations")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    observed_on = models.DateField(_("date observed"))
    observer = models.CharField(_("observer"), max_length=200)
    # {criterion code: rating 1-4}; the form's criteria live in a data file.
    ratings = models.JSONField(_("ratings"), default=dict)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["observed_on", "pk"]
        verbose_name = _("quality-assurance observation")
        verbose_name_plural = _("quality-assurance observations")

    def __str__(self) -> str:
        return f"{self.trainer} {self.observed_on}"


class AcknowledgementMeans(models.TextChoices):
    """How a trainer without a TIP account was told of a new version."""

    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Another way")


class VersionAcknowledgement(TenantModel):
    """A trainer in the cascade told of a new course version, and when they acknowledged it.

    Trainers with a TIP account acknowledge on their own page. For a trainer without one, the
    people who manage training record on their behalf how they were told and the day they
    acknowledged (``recorded_*``); ``acknowledged_at`` is then when that was recorded."""

    trainer = models.ForeignKey(
        Trainer, on_delete=models.CASCADE, related_name="version_acknowledgements"
    )
    course_version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    notified_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_means = models.CharField(
        _("how they were told"), max_length=10, choices=AcknowledgementMeans.choices, blank=True
    )
    recorded_on = models.DateField(_("date told and acknowledged"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("version acknowledgement")
        verbose_name_plural = _("version acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "course_version"], name="acknowledge_version_once"
            ),
            # Recorded on a trainer's behalf: the means and the day together, and acknowledged.
            models.CheckConstraint(
                condition=models.Q(recorded_means="", recorded_on__isnull=True)
                | (
                    ~models.Q(recorded_means="")
                    & models.Q(recorded_on__isnull=False, acknowledged_at__isnull=False)
                ),
                name="acknowledgement_recorded_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainer} {self.course_version}"

    @property
    def acknowledged_on(self) -> date | None:
        """The day they acknowledged: the one recorded on their behalf, or the day they did."""
        if self.recorded_on is not None:
            return self.recorded_on
        if self.acknowledged_at is None:
            return None
        return timezone.localdate(self.acknowledged_at)
