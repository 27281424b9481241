"""A programme and its Theory of Change: elements, links between them with evidence ratings,
the assumptions, barriers and enablers behind them, indicators, and evaluation questions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel


class Programme(TenantModel):
    name = models.CharField(_("name"), max_length=200)
    aims = models.TextField(_("aims"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the programme is for: sector codes (tip.core.models.Sector) and WorkforceGroup codes.
    target_sectors = models.JSONField(_("sectors"), default=list, blank=True)
    target_groups = models.JSONField(_("groups of staff"), default=list, blank=True)
    # Governance: the senior responsible owner, named here or chosen from the partnership.
    sro_member = models.ForeignKey(
        "core.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("senior responsible owner"),
    )
    sro_name = models.CharField(_("senior responsible owner's name"), max_length=200, blank=True)
    sro_role = models.CharField(_("senior responsible owner's role"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="programme_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkforceGroup(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline practitioners")
    SENIOR_LEADERS = "senior_leaders", _("Senior leaders")
    MANAGERS = "managers", _("Managers and supervisors")
    SUPPORT_STAFF = "support_staff", _("Support staff, such as reception and admin")
    VOLUNTEERS = "volunteers", _("Volunteers")


class PhaseKind(models.TextChoices):
    LEARN = "learn", _("Learn")
    IMPLEMENT = "implement", _("Implement")
    REVIEW = "review", _("Review")


PHASE_ORDER = [PhaseKind.LEARN, PhaseKind.IMPLEMENT, PhaseKind.REVIEW]


class Phase(TenantModel):
    """One of the programme's phases, learn, implement and review, which run in that order."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=10, choices=PhaseKind.choices)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="phase_once_per_programme"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class DeliveryBoardMember(TenantModel):
    """A member of the programme's delivery board."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="board_members")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("delivery board member")
        verbose_name_plural = _("delivery board members")

    def __str__(self) -> str:
        return self.name


class OrganisationLead(TenantModel):
    """The named lead for the programme in one partner organisation."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="organisation_leads"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("organisation lead")
        verbose_name_plural = _("organisation leads")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="one_lead_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participant(models.TextChoices):
    PRACTITIONERS = "practitioners", _("Practitioners")
    YOUNG_PEOPLE = "young_people", _("Young people")
    LIVED_EXPERIENCE = "lived_experience", _("Other people with lived experience")
    OTHER = "other", _("Others")


class CoDesignActivity(TenantModel):
    """A record of co-design: who took part, how, when, and what changed because of it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="codesign_activities"
    )
    who_took_part = models.JSONField(_("who took part"), default=list)
    who_else = models.CharField(_("who else took part"), max_length=300, blank=True)
    how = models.TextField(_("how they took part"))
    held_on = models.DateField(_("when"))
    what_changed = models.TextField(_("what changed because of it"))

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("co-design activity")
        verbose_name_plural = _("co-design activities")

    def __str__(self) -> str:
        return self.how[:80]

    @property
    def who_took_part_labels(self) -> list[str]:
        labels = dict(Participant.choices)
        return [str(labels[v]) for v in self.who_took_part if v in labels]


class ElementKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


class Level(models.TextChoices):
    PRACTITIONERS = "practitioners", _("Practitioners")
    ORGANISATIONS = "organisations", _("Organisations and systems")
    BENEFICIARIES = "beneficiaries", _("End beneficiaries")
    SECTOR = "sector", _("Sector-specific")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


class Element(TenantModel):
    """A box in the Theory of Change. Outcomes have a level and a horizon."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("kind"), max_length=10, choices=ElementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices, blank=True)
    # The outcomes-library entry this came from, if any (e.g. "practitioners.knowledge").
    outcome_code = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("Theory of Change element")
        verbose_name_plural = _("Theory of Change elements")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="outcome") | (~models.Q(level="") & ~models.Q(horizon="")),
                name="outcome_has_level_and_horizon",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceRating(models.TextChoices):
    STRONG = "strong", _("Strong")
    MODERATE = "moderate", _("Moderate")
    EMERGING = "emerging", _("Emerging")
    NONE = "none", _("None or assumed")


class Link(TenantModel):
    """'This leads to that', with why we believe it and how strong the evidence is."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="links_in")
    rationale = models.TextField(_("rationale"), blank=True)
    evidence = models.CharField(_("evidence rating"), max_length=10, choices=EvidenceRating.choices)
    evidence_source = models.CharField(_("source of the evidence"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Theory of Change link")
        verbose_name_plural = _("Theory of Change links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="link_once"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class NoteKind(models.TextChoices):
    ASSUMPTION = "assumption", _("Assumption")
    BARRIER = "barrier", _("Barrier")
    ENABLER = "enabler", _("Enabler")


class Note(TenantModel):
    """An assumption, barrier or enabler, attached to an element or to a link."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices)
    text = models.TextField(_("text"))
    element = models.ForeignKey(
        Element, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    link = models.ForeignKey(
        Link, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("assumption, barrier or enabler")
        verbose_name_plural = _("assumptions, barriers and enablers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(element__isnull=True, link__isnull=False)
                | models.Q(element__isnull=False, link__isnull=True),
                name="note_on_element_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(TenantModel):
    """How an outcome is measured: what, how, from whom, when."""

    outcome = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="indicators")
    what = models.CharField(_("what is measured"), max_length=300)
    how = models.CharField(_("how it is measured"), max_length=300)
    from_whom = models.CharField(_("from whom"), max_length=300)
    when = models.CharField(_("when"), max_length=300)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.what


class QuestionStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class EvaluationQuestion(TenantModel):
    """A question the evaluation will answer: proposed by TIP and accepted (perhaps edited) or
    dismissed by a person, or written by them."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="evaluation_questions"
    )
    # What the proposal was about, so a dismissed proposal is not proposed again.
    proposal_key = models.CharField(max_length=100, blank=True)
    text = models.TextField(_("question"))
    status = models.CharField(max_length=10, choices=QuestionStatus.choices)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self) -> str:
        return self.text[:80]


from tip.programmes.models_assessment import *  # noqa: E402, F403
from tip.programmes.models_readiness import *  # noqa: E402, F403
