"""A programme's answers to the readiness check's planning questions (data/readiness.yaml)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel

__all__ = ["ReadinessAnswers"]


class ReadinessAnswers(TenantModel):
    """One programme's planning answers, kept as ``{question id: {"answer": ..., "details":
    ...}}``: a yes or no question's answer is "yes", "no" or absent (not decided yet), a number
    question's is a number. The questions live in a data file, so a new question needs no
    migration; answers to a question that has since been removed are kept but not shown."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="readiness_answers"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("readiness planning answers")
        verbose_name_plural = _("readiness planning answers")

    def __str__(self) -> str:
        return str(_("Planning answers for %(programme)s") % {"programme": self.programme.name})
