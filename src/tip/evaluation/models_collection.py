"""Collecting evaluation data (issue 5, the collection side): who is asked (respondents, in the
trained group through their booking or in a comparison cohort), when (an invitation for each
wave, reached by a personal link kept only as a digest), what they answered (a response saved
page by page, so nothing is lost), and observations of practice or sessions.

Checks that need more than one row are the services'. Answers are kept as JSON keyed by the
instrument's item ids, with the instrument's id and version, because instruments are data files
(docs/evaluation-instruments.md), not tables.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import Organisation, TenantModel
from tip.evaluation.models_plan import EvaluationPlan, Wave
from tip.training.models_bookings import Booking
from tip.training.models_sessions import Session

__all__ = [
    "ComparisonCohort",
    "Group",
    "Invitation",
    "InvitationStatus",
    "Observation",
    "Respondent",
    "Response",
    "ResponseSource",
    "link_digest",
    "new_link_token",
]

# A personal link's token: 32 random bytes, URL-safe (43 characters). Only its SHA-256 digest is
# stored, so a copy of the database cannot be used to answer as someone else.
LINK_TOKEN_BYTES = 32


def new_link_token() -> str:
    return secrets.token_urlsafe(LINK_TOKEN_BYTES)


def link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Group(models.TextChoices):
    TRAINED = "trained", _("Trained")
    COMPARISON = "comparison", _("Comparison")


class ComparisonCohort(TenantModel):
    """Staff not (yet) trained, in similar organisations, asked the same questions at the same
    waves; their waves count from the cohort's reference date, as a trained person's count from
    their session."""

    plan = models.ForeignKey(
        EvaluationPlan, on_delete=models.CASCADE, related_name="comparison_cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("who they are"), max_length=500, blank=True)
    reference_date = models.DateField(_("date the waves count from"))
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("comparison cohort")
        verbose_name_plural = _("comparison cohorts")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="cohort_name_once_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class Respondent(TenantModel):
    """Someone the plan asks to answer: a trained participant, identified through their booking
    (which links their answers over time), or a member of a comparison cohort. Their waves count
    from ``anchor_date``: the session's first day, or the cohort's reference date."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="respondents")
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    membership = models.ForeignKey(
        "core.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        ComparisonCohort,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    # Where the invitation goes when there is no account (a comparison member without one);
    # deleted with the other identifiers on the plan's retention schedule.
    email = models.EmailField(_("email address"), blank=True)
    anchor_date = models.DateField(_("date the waves count from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "booking"],
                condition=models.Q(booking__isnull=False),
                name="respondent_booking_once_per_plan",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(group="trained", cohort__isnull=True)
                    | models.Q(group="comparison", booking__isnull=True, cohort__isnull=False)
                ),
                name="respondent_group_matches_source",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Respondent %(number)s") % {"number": self.pk})


class InvitationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed without an answer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Invitation(TenantModel):
    """One respondent asked to answer at one wave, by a personal link (stored as its digest)
    that works from ``opens_at`` to ``closes_at``."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="invitations")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    link_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InvitationStatus.choices,
        default=InvitationStatus.SCHEDULED,
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "wave"], name="invitation_once_per_wave"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="invitation_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wave} ({self.get_status_display()})"


class ResponseSource(models.TextChoices):
    WEB = "web", _("Answered in TIP")
    IMPORT = "import", _("Imported")


class Response(TenantModel):
    """One person's answers at one wave, saved after every page so nothing is lost if they leave
    or the server restarts. ``answers`` maps each instrument id to its items' answers;
    ``versions`` gives the instrument versions they were answered in. In anonymous mode the
    self-generated code is kept only as keyed hashes (``code_hashes``, codes.py)."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="responses")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    respondent = models.ForeignKey(
        Respondent, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    source = models.CharField(
        _("source"), max_length=8, choices=ResponseSource.choices, default=ResponseSource.WEB
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    versions = models.JSONField(default=dict, blank=True)
    # Baseline facts for matching a comparison group: sector, role, years in role, prior
    # trauma training, organisation (ids and codes, see services).
    covariates = models.JSONField(default=dict, blank=True)
    code_hashes = models.JSONField(null=True, blank=True)
    # The page to resume from.
    position = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(_("Response %(number)s") % {"number": self.pk})


class Observation(TenantModel):
    """An observation of practice or of a session, recorded with an observation instrument
    (tip-observation, or a partnership's own)."""

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="observations")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.CharField(_("team"), max_length=200, blank=True)
    observed_on = models.DateField(_("date observed"))
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    instrument_id = models.CharField(_("instrument"), max_length=100)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-observed_on", "pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        # What was observed (a session, an organisation or a team) is checked by the service:
        # a session or organisation removed later leaves the observation standing.

    def __str__(self) -> str:
        return str(_("Observation on %(date)s") % {"date": self.observed_on})
