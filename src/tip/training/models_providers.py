"""Who delivers the training: providers, their trainers, and each trainer's assessment against
the guidance's questions on qualifications, skills and experience (``trainer_questions.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel

__all__ = ["Answer", "Provider", "ProviderKind", "Trainer", "TrainerAnswer"]


class ProviderKind(models.TextChoices):
    SPECIALIST = "specialist", _("External specialist organisation")
    VOLUNTARY = "voluntary", _("Voluntary or community sector organisation")
    IN_HOUSE = "in_house", _("In-house, within the partnership")


class Provider(TenantModel):
    """An organisation, or an in-house team, that delivers trauma-informed training."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of provider"), max_length=12, choices=ProviderKind.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="provider_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Trainer(TenantModel):
    """A person who delivers training for a provider. Their assessment and clearances are
    personal data: pages that show them record who looked, and why."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    # The trainer's own account in the partnership, if they have one: it lets them see the
    # sessions they teach, their check-in requests and registers.
    membership = models.ForeignKey(
        "core.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_records",
        verbose_name=_("TIP account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known yet")


class TrainerAnswer(TenantModel):
    """A trainer's answer to one of the questions, with what shows it."""

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="answers")
    question_code = models.CharField(max_length=60)
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["trainer", "pk"]
        verbose_name = _("trainer's answer")
        verbose_name_plural = _("trainers' answers")
        constraints = [
            models.UniqueConstraint(
                fields=["trainer", "question_code"], name="trainer_question_answered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_code}: {self.answer}"
