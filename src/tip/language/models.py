"""What a partnership changes about the language checker, and the "not relevant here" counts.

TIP's own rules are data files (``data/rules/<language>.yaml``) shipped with the code. A
partnership adds rules of its own (the same fields as a rule in a file), silences one of TIP's
rules with a reason, and allows phrases it never wants flagged. ``RulesVersion`` changes with
each of them, so a cached rule set is rebuilt as soon as any of them changes.

Feedback stores which rule someone marked "not relevant here", in which language, on which page
or form (its URL name) and on which day: never the text, and not who it was (the audit log has
that).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel


class Language(models.TextChoices):
    # Each language by its own name: the language of the text, whatever the page's language.
    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"


class Category(models.TextChoices):
    VICTIM_BLAMING = "victim-blaming", _("Victim-blaming language")
    DEFICIT_LABEL = "deficit-label", _("Deficit label")
    CARE_JARGON = "care-jargon", _("Care-system jargon")
    SERVICE_CENTRED = "service-centred", _("Service-centred language")
    DEHUMANISING = "dehumanising", _("Dehumanising term")


class AppliesTo(models.TextChoices):
    ALL = "all", _("Everyone")
    CHILDREN = "children", _("Children")
    ADULTS = "adults", _("Adults")


class Severity(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    WARNING = "warning", _("Warning")
    ERROR = "error", _("Change this")


RULE_ID_LENGTH = 80
PHRASE_LENGTH = 200
WHERE_LENGTH = 200


class PartnershipRule(TenantModel):
    """A rule of the partnership's own, for one language. With the id of one of TIP's rules it
    replaces that rule for the partnership."""

    rule_id = models.CharField(_("rule id"), max_length=RULE_ID_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    phrases = models.JSONField(_("phrases"), default=list)
    exceptions = models.JSONField(_("harmless uses"), default=list, blank=True)
    explanation = models.TextField(_("why"))
    suggestions = models.JSONField(_("what to write instead"), default=list)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "rule_id"]
        verbose_name = _("partnership language rule")
        verbose_name_plural = _("partnership language rules")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "language", "rule_id"],
                name="language_rule_id_unique_in_partnership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.language})"

    def as_rule_data(self) -> dict[str, object]:
        """The rule as a rule file writes it (the engine's ``rules_from_data`` reads it)."""
        data: dict[str, object] = {
            "id": self.rule_id,
            "category": self.category,
            "applies_to": self.applies_to,
            "severity": self.severity,
            "phrases": list(self.phrases),
            "explanation": self.explanation,
            "suggestions": list(self.suggestions),
        }
        if self.exceptions:
            data["except"] = list(self.exceptions)
        if self.source:
            data["sources"] = [self.source]
        return data


class SilencedRule(TenantModel):
    """One of TIP's rules the partnership does not want flagged, and why."""

    rule_id = models.CharField(_("rule id"), max_length=RULE_ID_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    reason = models.CharField(_("reason"), max_length=500)
    silenced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    silenced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "rule_id"]
        verbose_name = _("silenced language rule")
        verbose_name_plural = _("silenced language rules")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "language", "rule_id"],
                name="language_silenced_once_in_partnership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.language})"


class AllowedPhrase(TenantModel):
    """Words the checker never flags for the partnership (a place's name, a service's name)."""

    phrase = models.CharField(_("phrase"), max_length=PHRASE_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("allowed phrase")
        verbose_name_plural = _("allowed phrases")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "language", "phrase"],
                name="language_phrase_allowed_once_in_partnership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.language})"


class Feedback(TenantModel):
    """Someone marked a finding of ``rule_id`` "not relevant here". Never the text."""

    rule_id = models.CharField(_("rule id"), max_length=RULE_ID_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    where = models.CharField(_("page or form"), max_length=WHERE_LENGTH)
    recorded_on = models.DateField(_("date"))

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("language checker feedback")
        verbose_name_plural = _("language checker feedback")
        indexes = [models.Index(fields=["partnership", "rule_id"], name="language_feedback_rule")]

    def __str__(self) -> str:
        return f"Not relevant here: {self.rule_id} ({self.language})"


class RulesVersion(TenantModel):
    """A new random value each time the partnership's rules, silenced rules or allowed phrases
    change: part of the key its cached rule set is kept under. Random rather than a count, so a
    value is never used twice, even after a transaction that set it is rolled back."""

    version = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("language rules version")
        verbose_name_plural = _("language rules versions")
        constraints = [models.UniqueConstraint(fields=["partnership"], name="language_one_version")]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.version}"
