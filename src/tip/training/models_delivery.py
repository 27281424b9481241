"""What delivering training needs beyond sessions and bookings: each partnership's delivery
settings, each organisation's welfare offer (sent to its staff before and after sessions),
certificates of attendance, and the train-the-trainer cascade with its quality assurance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_bookings import Booking
from tip.training.models_courses import CourseVersion
from tip.training.models_providers import Trainer
from tip.training.models_sessions import Session

__all__ = [
    "Certificate",
    "DeliverySettings",
    "QaObservation",
    "TrainerCertification",
    "VersionAcknowledgement",
    "WelfareOffer",
]


class DeliverySettings(TenantModel):
    """A partnership's choices for running sessions; a partnership without a row uses the
    defaults."""

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


class VersionAcknowledgement(TenantModel):
    """A trainer in the cascade told of a new course version, and when they acknowledged it."""

    trainer = models.ForeignKey(
        Trainer, on_delete=models.CASCADE, related_name="version_acknowledgements"
    )
    course_version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    notified_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("version acknowledgement")
        verbose_name_plural = _("version acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "course_version"], name="acknowledge_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainer} {self.course_version}"
