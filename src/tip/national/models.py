"""What is shared beyond a partnership, and who may see it (docs/evaluation-sharing.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.evaluation.models import EvaluationPlan


class NationalAnalyst(models.Model):
    """A person a platform operator lets see the national view: every shared aggregate, pooled.
    They see aggregates only, and belong to no partnership (granting refuses a member)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_analyst"
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("why they have access"), max_length=200, blank=True)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["user__email"]
        verbose_name = _("national analyst")
        verbose_name_plural = _("national analysts")

    def __str__(self) -> str:
        return str(self.user)


class SharedAggregate(TenantModel):
    """A programme's aggregate (``aggregate.schema.json``) as its partnership shared it. One per
    plan: sharing again replaces it, withdrawing deletes it. ``named``: whether national analysts
    may see the partnership's name (otherwise "Partnership 1, 2...")."""

    plan = models.OneToOneField(
        EvaluationPlan, on_delete=models.CASCADE, related_name="shared_aggregate"
    )
    payload = models.JSONField(_("aggregate"))
    named = models.BooleanField(_("show the partnership's name"), default=False)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_at = models.DateTimeField(_("shared"))

    class Meta:
        ordering = ["shared_at", "pk"]
        verbose_name = _("shared aggregate")
        verbose_name_plural = _("shared aggregates")

    def __str__(self) -> str:
        return str(_("Shared aggregate %(id)s") % {"id": self.pk})
