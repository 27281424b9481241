"""Follow-up after training, and what a programme plans to train: invitations to the follow-up
activities a course defines (scheduled from the date someone attended), and targets for how many
people, by sector, organisation and group of staff, the delivery dashboard compares with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_bookings import Booking
from tip.training.models_courses import CourseFollowUp

__all__ = ["FollowUpInvitation", "FollowUpStatus", "TrainingTarget"]


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    INVITED = "invited", _("Invited")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    MISSED = "missed", _("Missed")


class FollowUpInvitation(TenantModel):
    """One person's invitation to one follow-up activity of the course they attended: due the
    follow-up's offset after the day they attended, a reminder before it is due, and whether they
    completed it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="follow_ups")
    follow_up = models.ForeignKey(
        CourseFollowUp, on_delete=models.CASCADE, related_name="invitations"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    # The reminder sent a set number of days before it is due (the partnership's delivery
    # settings), once: a re-run finds it set and sends nothing.
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(_("date completed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up invitation")
        verbose_name_plural = _("follow-up invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "follow_up"], name="one_invitation_per_follow_up"
            )
        ]

    def __str__(self) -> str:
        return f"{self.follow_up} {self.due_on}"


class TrainingTarget(TenantModel):
    """How many people a programme plans to train, for a sector, an organisation and/or a group
    of staff (each blank for any)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="training_targets"
    )
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    staff_group = models.CharField(_("group of staff"), max_length=20, blank=True)
    people = models.PositiveIntegerField(_("people to train"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("training target")
        verbose_name_plural = _("training targets")

    def __str__(self) -> str:
        return str(self.people)
