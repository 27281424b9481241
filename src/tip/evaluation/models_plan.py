"""A programme's evaluation plan: when it measures (waves, in days from the training session)
and what (instruments from the library, by id and version), linked to the outcomes and
indicators of the programme's Theory of Change (docs/evaluation-plan.md).

Checks that need more than one row (a baseline on or before the session day, waves and outcomes
of the same plan and programme, an instrument that exists) are the services' (services.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.programmes.models import Element, Indicator, Programme

__all__ = [
    "EARLIEST_OFFSET",
    "LATEST_OFFSET",
    "EvaluationPlan",
    "PlannedMeasure",
    "Wave",
    "WaveKind",
]

# Offsets of waves from the session day: up to three months before, up to three years after.
EARLIEST_OFFSET = -90
LATEST_OFFSET = 1095


class WaveKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline (before the session)")
    POST = "post", _("Straight after the session")
    FOLLOW_UP = "follow_up", _("Follow-up (later)")


class EvaluationPlan(TenantModel):
    """How a programme will be evaluated: one per programme."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="evaluation_plan"
    )
    comparison_group = models.BooleanField(_("comparison group planned"), default=False)
    comparison_description = models.CharField(
        _("about the comparison group"), max_length=500, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    # How answers are linked over time: through the booking (identified), or by a
    # self-generated code kept only as keyed hashes (anonymous; docs/evaluation-linking.md).
    anonymous = models.BooleanField(_("link answers with an anonymous code"), default=False)
    # Mismatching elements of the anonymous code allowed when linking (analysis/linking.py).
    link_mismatches = models.PositiveSmallIntegerField(
        _("code elements that may differ"), default=1
    )
    # How long a survey stays open after its invitation is sent, and the reminder before it
    # closes (0: none).
    days_open = models.PositiveSmallIntegerField(_("days a survey stays open"), default=14)
    reminder_days = models.PositiveSmallIntegerField(
        _("days before closing to send a reminder"), default=3
    )
    # Identifiers (links, email addresses, codes) and free text are deleted or de-identified
    # this many days after the plan's last wave closes; shown on the consent page.
    retention_days = models.PositiveIntegerField(
        _("days to keep identifiers and free text after the last wave"), default=730
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme__name", "pk"]
        verbose_name = _("evaluation plan")
        verbose_name_plural = _("evaluation plans")

    def __str__(self) -> str:
        return str(_("Evaluation plan for %(programme)s") % {"programme": self.programme.name})


class Wave(TenantModel):
    """A point at which the plan measures, in days from the training session: negative before
    it (a baseline), 0 on the day, positive after."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=WaveKind.choices)
    offset_days = models.IntegerField(_("days from the session"))

    class Meta:
        ordering = ["offset_days", "pk"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="wave_name_once_per_plan"),
            models.CheckConstraint(
                condition=models.Q(offset_days__gte=EARLIEST_OFFSET)
                & models.Q(offset_days__lte=LATEST_OFFSET),
                name="wave_offset_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="baseline") | models.Q(offset_days__lte=0),
                name="wave_baseline_not_after_session",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="follow_up") | models.Q(offset_days__gt=0),
                name="wave_follow_up_after_session",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="post") | models.Q(offset_days__gte=0),
                name="wave_post_not_before_session",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlannedMeasure(TenantModel):
    """An instrument the plan uses, at which waves, and what in the Theory of Change it measures.
    The instrument is kept by id and version, as answers will be."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="measures")
    instrument_id = models.CharField(_("instrument"), max_length=100)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    waves = models.ManyToManyField(Wave, related_name="measures", verbose_name=_("waves"))
    outcomes = models.ManyToManyField(
        Element, blank=True, related_name="planned_measures", verbose_name=_("outcomes")
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="planned_measures", verbose_name=_("indicators")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("planned measure")
        verbose_name_plural = _("planned measures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "instrument_id"], name="measure_instrument_once_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.instrument_version}"
