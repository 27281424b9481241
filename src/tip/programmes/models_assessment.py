"""Organisational self-assessment: a partner organisation rates itself, now and again, on the
components of trauma-informed practice (``components.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import Organisation, TenantModel

__all__ = ["AssessmentLevel", "ComponentRating", "SelfAssessment"]


class AssessmentLevel(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNING = "planning", _("Planning")
    DEVELOPING = "developing", _("Developing")
    EMBEDDED = "embedded", _("Embedded")


class SelfAssessment(TenantModel):
    """One round of an organisation rating itself on every component."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="self_assessments"
    )
    assessed_on = models.DateField(_("date of the assessment"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return f"{self.organisation} {self.assessed_on:%Y-%m-%d}"


class ComponentRating(TenantModel):
    """Where an organisation is with one component, what shows it and who looks after it."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    component_code = models.CharField(max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=AssessmentLevel.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        verbose_name = _("component rating")
        verbose_name_plural = _("component ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "component_code"], name="component_rated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.component_code}: {self.level}"
