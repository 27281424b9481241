"""Places on sessions: bookings with a waiting list, offers of freed places, re-confirmation,
attendance, and the private request for a trainer to check in with someone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tip.core.models import TenantModel
from tip.training.models_sessions import Session

__all__ = [
    "ACTIVE_BOOKING_STATUSES",
    "Attendance",
    "AttendanceMark",
    "Booking",
    "BookingStatus",
    "CheckInRequest",
]


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    # A freed place offered to the next person waiting, theirs until `offer_expires_at`.
    OFFERED = "offered", _("Place offered")
    CANCELLED = "cancelled", _("Cancelled")
    # Not confirmed by the re-confirmation deadline: the place went to the waiting list.
    RELEASED = "released", _("Released")


# A person holds at most one of these per session.
ACTIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED)


class Booking(TenantModel):
    """A practitioner's place (or place in the queue) on a session. Places taken are bookings
    BOOKED or OFFERED; taking the last one locks the session row, so two people cannot both get
    it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    membership = models.ForeignKey(
        "core.Membership",
        on_delete=models.CASCADE,
        related_name="training_bookings",
        verbose_name=_("participant"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the person joined the waiting list: the queue's order.
    waiting_since = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    # The latest re-confirmation the person gave, and the deadline of the one they were asked.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirm_by = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the reminder before the session (with its signposting) and the signposting after it
    # were sent: each goes once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    signposted_after_at = models.DateTimeField(null=True, blank=True)
    # Tell the person's manager when they do not attend (the person's own choice when booking).
    # The participant's group of staff (tip.programmes.models.WorkforceGroup), asked when they
    # book, so delivery can be counted for senior leaders and support staff too.
    staff_group = models.CharField(_("group of staff"), max_length=20, blank=True)
    notify_manager = models.BooleanField(_("tell my manager if I do not attend"), default=False)
    manager_email = models.EmailField(_("manager's email address"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"],
                condition=models.Q(status__in=["booked", "waiting", "offered"]),
                name="one_active_booking_per_person_and_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} on {self.session_id}"


class AttendanceMark(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    PARTLY = "partly", _("Partly attended")
    NO_SHOW = "no_show", _("Did not attend")
    LATE_CANCELLATION = "late_cancel", _("Cancelled late")


class Attendance(TenantModel):
    """The trainer's register: one mark per booking."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(_("attendance"), max_length=12, choices=AttendanceMark.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    marked_at = models.DateTimeField(auto_now=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the participant's manager was told they did not attend (they asked for it when
    # booking): set once, so a register saved again does not tell them twice.
    manager_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return self.mark


class CheckInRequest(TenantModel):
    """A participant's private request that a trainer checks in with them. No reason is asked
    or kept. Only the session's trainers see it, each view is audited, and it is deleted a set
    number of days after the session (``delete_after``)."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="check_in_request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delete_after = models.DateField()

    class Meta:
        verbose_name = _("check-in request")
        verbose_name_plural = _("check-in requests")

    def __str__(self) -> str:
        return str(_("Check-in request"))
