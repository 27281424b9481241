"""Training sessions: where (a venue with its accessibility details, or online), when (one or more
parts, stored in UTC and shown in Europe/London), who teaches (trainers, checked for clashes and
clearances), which version of the course, how many places, and the breaks planned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_clearances import DeliverySetting
from tip.training.models_courses import Course, CourseVersion
from tip.training.models_providers import Trainer

__all__ = [
    "Access",
    "Session",
    "SessionFormat",
    "SessionPart",
    "SessionStatus",
    "SessionTrainer",
    "Venue",
]


class Access(models.TextChoices):
    """Whether a venue has an accessibility feature: said plainly, or not known yet."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class Venue(TenantModel):
    """A place where in-person training happens, with what people need to know to get there and
    take part. Its setting says which clearances trainers need there."""

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    setting = models.ForeignKey(
        DeliverySetting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("setting"),
    )
    step_free_access = models.CharField(
        _("step-free access"), max_length=7, choices=Access.choices, default=Access.UNKNOWN
    )
    hearing_loop = models.CharField(
        _("hearing loop"), max_length=7, choices=Access.choices, default=Access.UNKNOWN
    )
    quiet_room = models.CharField(
        _("quiet room"), max_length=7, choices=Access.choices, default=Access.UNKNOWN
    )
    parking = models.CharField(_("parking"), max_length=300, blank=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    provided_by = models.CharField(_("provided by"), max_length=200, blank=True)
    notes = models.TextField(_("other access information"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="venue_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SessionFormat(models.TextChoices):
    VIRTUAL = "virtual", _("Virtual")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for booking")
    CANCELLED = "cancelled", _("Cancelled")


class Session(TenantModel):
    """One delivery of a course version. Published sessions take bookings; a session is confirmed
    once its trainers are checked (no clashes, clearances valid on its dates)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    # The version taught: a version in use is locked against editing.
    course_version = models.ForeignKey(
        CourseVersion,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("course version"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=SessionFormat.choices)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("venue"),
    )
    # Shown only to the people booked on the session (and its trainers and managers).
    online_link = models.URLField(_("online joining link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    # Virtual sessions: the group size the trainers recommend (breakout work, safety).
    recommended_group_size = models.PositiveIntegerField(
        _("recommended group size"), null=True, blank=True
    )
    planned_breaks = models.TextField(_("planned breaks"), blank=True)
    audience_sectors = models.JSONField(_("sectors"), default=list, blank=True)
    audience_groups = models.JSONField(_("groups of staff"), default=list, blank=True)
    # Days before the first part when each participant is asked to confirm their place; empty
    # means the format's defaults (virtual 7 and 2, in person and hybrid 7).
    reconfirm_days = models.JSONField(_("ask to confirm, days before"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True)
    # Bumped on every change participants must hear about, so calendar invitations update.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_has_places")
        ]

    def __str__(self) -> str:
        return self.title or str(self.course)


class SessionPart(TenantModel):
    """A sitting of a session: a session may run over several days or half-days. Times are
    stored in UTC; forms take and pages show Europe/London."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session part")
        verbose_name_plural = _("session parts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_part_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class SessionTrainer(TenantModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_trainers")
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="session_trainers")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("session trainer")
        verbose_name_plural = _("session trainers")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainer"], name="trainer_once_per_session")
        ]

    def __str__(self) -> str:
        return str(self.trainer)
