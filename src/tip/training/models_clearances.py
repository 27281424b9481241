"""Security clearances: what each trainer holds, the settings (kinds of place) that require
clearance types, and each partnership's lead times and optimism-bias uplift for planning.

The clearance types themselves are data (``data/clearance_types.yaml``, ``clearance_types.py``):
records store a type's code, checked against that file by the services."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_providers import Trainer

__all__ = [
    "Clearance",
    "ClearancePlanning",
    "ClearanceStatus",
    "DeliverySetting",
    "LeadTimeOverride",
    "SettingKind",
]


class ClearanceStatus(models.TextChoices):
    APPLIED = "applied", _("Applied for, not granted yet")
    GRANTED = "granted", _("Granted")


class Clearance(TenantModel):
    """One clearance a trainer holds or has applied for."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="clearances")
    clearance_type = models.CharField(_("type of clearance"), max_length=40)
    status = models.CharField(_("status"), max_length=8, choices=ClearanceStatus.choices)
    applied_on = models.DateField(_("date applied"), null=True, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["trainer", "clearance_type", "pk"]
        verbose_name = _("clearance")
        verbose_name_plural = _("clearances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="clearance_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="granted") | models.Q(issued_on__isnull=False),
                name="granted_clearance_has_issue_date",
            ),
        ]

    def __str__(self) -> str:
        return self.clearance_type


class SettingKind(models.TextChoices):
    SCHOOL = "school", _("School or college")
    CUSTODY = "custody", _("Police custody suite")
    POLICE = "police", _("Police station or office")
    PRISON = "prison", _("Prison or young offender institution")
    HEALTH = "health", _("Hospital or health setting")
    COMMUNITY = "community", _("Community venue")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class DeliverySetting(TenantModel):
    """A kind of place where training is delivered, and the clearances trainers need there."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of place"), max_length=10, choices=SettingKind.choices)
    # Clearance type codes (clearance_types.yaml): a trainer needs each, or one that covers it.
    required_clearances = models.JSONField(_("clearances required"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="setting_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LeadTimeOverride(TenantModel):
    """A partnership's own typical lead time for a clearance type, in place of the default."""

    clearance_type = models.CharField(_("type of clearance"), max_length=40)
    lead_time_days = models.PositiveIntegerField(
        _("typical lead time in days"), validators=[MinValueValidator(1), MaxValueValidator(730)]
    )

    class Meta:
        ordering = ["clearance_type"]
        verbose_name = _("lead time")
        verbose_name_plural = _("lead times")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "clearance_type"], name="lead_time_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clearance_type}: {self.lead_time_days}"


DEFAULT_OPTIMISM_BIAS = 50


class ClearancePlanning(TenantModel):
    """A partnership's planning choices for clearances: the optimism-bias uplift on lead times."""

    optimism_bias_percent = models.PositiveIntegerField(
        _("optimism-bias uplift (%)"),
        default=DEFAULT_OPTIMISM_BIAS,
        validators=[MaxValueValidator(300)],
    )

    class Meta:
        verbose_name = _("clearance planning")
        verbose_name_plural = _("clearance planning")
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="clearance_planning_once")
        ]

    def __str__(self) -> str:
        return f"{self.optimism_bias_percent}%"
