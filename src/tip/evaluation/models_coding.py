"""Qualitative coding (docs/evaluation-qualitative-coding.md): a plan's codebook, evaluators'
codings of free text (a free-text answer of a response, or an observation's notes) and the
sample of texts a second coder codes too, so the two can be compared (Cohen's kappa).

A text is not copied: a coding points at it (a response with the instrument and item ids, or an
observation), so when the retention schedule removes the text there is nothing left to quote.
Each coder's coding of a text is its own row, so two coders can code the same texts without
seeing each other's work change. A coding with no codes says the coder read the text and found
none of the codes in it, which is not the same as not having read it.

Checks that need more than one row (a code of the same plan, a text of the plan that still
exists) are the services' (services_coding.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.evaluation.models_collection import Observation, Response
from tip.evaluation.models_plan import EvaluationPlan

__all__ = ["Code", "Coding", "SampledText", "TextReference"]


class Code(TenantModel):
    """A code of the plan's codebook: a label, what it means (so two coders apply it alike) and,
    optionally, the theme it belongs to (another code). Codes in use are retired, not deleted,
    so past codings keep their meaning."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="codes")
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("what it means"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("theme"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "label", "pk"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="code_label_once_per_plan")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class TextReference(TenantModel):
    """Which text: a free-text answer (a response, the instrument and the item) or an
    observation's notes. Exactly one of the two."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    instrument_id = models.CharField(_("instrument"), max_length=100, blank=True)
    item_id = models.CharField(_("question"), max_length=100, blank=True)
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def text_key(self) -> str:
        """The text's key in addresses: ``r12.tip-kac.q9`` or ``o7`` (services_coding)."""
        if self.observation_id is not None:
            return f"o{self.observation_id}"
        return f"r{self.response_id}.{self.instrument_id}.{self.item_id}"


def _one_text(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            models.Q(response__isnull=False, observation__isnull=True)
            & ~models.Q(instrument_id="")
            & ~models.Q(item_id="")
        )
        | models.Q(response__isnull=True, observation__isnull=False, instrument_id="", item_id=""),
        name=name,
    )


class Coding(TextReference):
    """One coder's reading of one text: the codes they found in it (perhaps none)."""

    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    codes = models.ManyToManyField(Code, blank=True, related_name="codings")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        constraints = [
            _one_text("coding_one_text"),
            models.UniqueConstraint(
                fields=["coder", "response", "instrument_id", "item_id"],
                condition=models.Q(response__isnull=False),
                name="coding_answer_once_per_coder",
            ),
            models.UniqueConstraint(
                fields=["coder", "observation"],
                condition=models.Q(observation__isnull=False),
                name="coding_observation_once_per_coder",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Coding %(number)s") % {"number": self.pk})


class SampledText(TextReference):
    """A text in the plan's double-coding sample: coded by a second coder too, so the two
    codings can be compared."""

    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("text in the double-coding sample")
        verbose_name_plural = _("texts in the double-coding sample")
        constraints = [
            _one_text("sampled_text_one_text"),
            models.UniqueConstraint(
                fields=["plan", "response", "instrument_id", "item_id"],
                condition=models.Q(response__isnull=False),
                name="sampled_answer_once",
            ),
            models.UniqueConstraint(
                fields=["plan", "observation"],
                condition=models.Q(observation__isnull=False),
                name="sampled_observation_once",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Sampled text %(number)s") % {"number": self.pk})
