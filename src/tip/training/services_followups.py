"""Writes for follow-up invitations (docs/training-followups.md). Dates follow
``tip.training.analysis.followups``.

* ``on_attendance`` listens to the attendance register (``register_attendance_listener``): a
  person marked *attended* or *partly attended* gets an invitation to each follow-up activity
  of the session's course, due its offset after the session's last day; a mark changed to
  anything else deletes the invitations not sent yet (one already sent stays, for the people
  who manage training to record). It runs in the register's transaction, so a register that is
  refused schedules nothing. Saving a register again creates nothing twice.
* Each invitation is sent on its day by a task queued with ``run_after`` (at once when the day
  has passed); ``sweep`` sends any that are due and unsent, and ``tip follow-up-sweep`` runs it
  from a timer as a safety net. Sending claims the invitation first, so it goes once however
  many times the task and the sweep run.
* A reminder goes the partnership's ``follow_up_reminder_days`` (delivery settings, default 7;
  0 sends none) before the due day, queued the same way as the invitation (at once when its
  moment has passed, unless the due day has come), only while nothing is recorded, and once:
  sending sets ``reminded_at`` under a row lock. The sweep sends any due and unsent, so a
  change to the setting reaches invitations already queued.
* ``invitation_mark`` records the outcome: completed (with its date), declined or missed.

Every change is audited; those TIP makes by itself (sending) with ``audit_automatic_change``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tip.core.audit import audit_automatic_change, audit_change
from tip.core.languages import in_language_of
from tip.core.models import AuditAction, User
from tip.training import selectors_bookings
from tip.training.analysis import followups as rules
from tip.training.models_bookings import Attendance, Booking
from tip.training.models_courses import CourseFollowUp
from tip.training.models_delivery import DeliverySettings
from tip.training.models_followups import FollowUpInvitation, FollowUpStatus
from tip.training.models_sessions import Session
from tip.training.tasks_bookings import schedule, send_booking_email


def _today(now: datetime) -> date:
    return timezone.localtime(now, rules.LONDON).date()


def _follow_ups(session: Session) -> list[CourseFollowUp]:
    return list(CourseFollowUp.objects.filter(course_id=session.course_id).order_by("pk"))


def on_attendance(booking: Booking, attendance: Attendance, by: User, via: str) -> None:
    """The register's listener: schedule follow-ups for the attended, cancel them for others."""
    if rules.earns_follow_ups(attendance.mark):
        schedule_for_booking(booking, by=by, via=via)
    else:
        cancel_unsent(booking, by=by, via=via)


def schedule_for_booking(
    booking: Booking, *, by: User, via: str = "web", now: datetime | None = None
) -> list[FollowUpInvitation]:
    """Create the booking's missing invitations (one per follow-up activity of its course) and
    queue each to be sent on its day; return those created."""
    now = now or timezone.now()
    session = booking.session
    follow_ups = _follow_ups(session)
    if not follow_ups:
        return []
    last_day = selectors_bookings.last_day(session)
    if last_day is None:
        return []
    have = set(
        FollowUpInvitation.objects.filter(booking=booking).values_list("follow_up_id", flat=True)
    )
    created: list[FollowUpInvitation] = []
    reminder_days = _reminder_days(booking.partnership_id)
    for follow_up in follow_ups:
        if follow_up.pk in have:
            continue
        invitation = FollowUpInvitation.objects.create(
            partnership_id=booking.partnership_id,
            booking=booking,
            follow_up=follow_up,
            due_on=rules.due_on(last_day, follow_up.offset, follow_up.offset_unit),
        )
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=invitation,
            partnership=session.partnership,
            changed_fields=["booking", "follow_up", "due_on"],
            via=via,
        )
        created.append(invitation)
        _queue(invitation, now, reminder_days)
    return created


def _queue(invitation: FollowUpInvitation, now: datetime, reminder_days: int) -> None:
    """Send the invitation now if its moment has passed, else queue it for that moment (in the
    caller's transaction: a refused register queues nothing); and the same for its reminder."""
    from tip.training.tasks_followups import send_follow_up_invitation, send_follow_up_reminder

    moment = rules.send_moment(invitation.due_on)
    if moment <= now:
        send_invitation(invitation_id=invitation.pk, now=now)
    else:
        schedule(send_follow_up_invitation, moment, invitation_id=invitation.pk)
    reminder = rules.reminder_moment(invitation.due_on, reminder_days)
    if reminder is None:
        return
    if reminder <= now:
        send_reminder(invitation_id=invitation.pk, now=now)
    else:
        schedule(send_follow_up_reminder, reminder, invitation_id=invitation.pk)


def _reminder_days(partnership_id: int) -> int:
    found = DeliverySettings.objects.filter(partnership_id=partnership_id).first()
    return (found or DeliverySettings()).follow_up_reminder_days


def cancel_unsent(booking: Booking, *, by: User, via: str = "web") -> int:
    """Delete the booking's invitations not sent yet; return how many."""
    count = 0
    for invitation in FollowUpInvitation.objects.filter(
        booking=booking, status=FollowUpStatus.SCHEDULED
    ).order_by("pk"):
        audit_change(
            actor=by,
            action=AuditAction.DELETE,
            obj=invitation,
            partnership=booking.session.partnership,
            via=via,
        )
        invitation.delete()
        count += 1
    return count


# --- Sending -------------------------------------------------------------------------------------


def _send(invitation: FollowUpInvitation, *, template: str, reminder: bool) -> None:
    """The invitation to a follow-up, or the reminder before it is due, in the person's
    language."""
    booking = invitation.booking
    person = booking.membership.user
    session = booking.session
    follow_up = invitation.follow_up
    with in_language_of(person):
        due = date_format(invitation.due_on, "j F Y")
        context: dict[str, Any] = {
            "person": person,
            "follow_up": follow_up,
            "kind": follow_up.get_kind_display(),
            "course": session.course.name,
            "session": session,
            "due": due,
            "my_training": settings.TIP_BASE_URL + reverse("training:my-training"),
        }
        names = {"course": session.course.name, "activity": follow_up.name, "due": due}
        if reminder:
            subject = _("Reminder: %(activity)s, after %(course)s, is due on %(due)s") % names
        else:
            subject = _("Follow-up to %(course)s: %(activity)s") % names
        body = render_to_string(template, context)
    send_booking_email.enqueue(subject=" ".join(subject.split()), body=body, to=[person.email])


def _email(invitation: FollowUpInvitation) -> None:
    _send(invitation, template="training/followup_email_invitation.txt", reminder=False)


@transaction.atomic
def send_invitation(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send one invitation if it is due and not sent yet (claiming it first, so it goes once);
    say whether it was sent."""
    now = now or timezone.now()
    invitation = (
        FollowUpInvitation.objects.select_for_update(of=("self",))
        .select_related(
            "follow_up", "booking__membership__user", "booking__session__course", "partnership"
        )
        .filter(pk=invitation_id, status=FollowUpStatus.SCHEDULED)
        .first()
    )
    if invitation is None or not rules.is_due(invitation.due_on, now):
        return False
    invitation.status = FollowUpStatus.INVITED
    invitation.invited_at = now
    invitation.save(update_fields=["status", "invited_at", "updated_at"])
    audit_automatic_change(
        action=AuditAction.UPDATE,
        obj=invitation,
        partnership=invitation.partnership,
        changed_fields=["status", "invited_at"],
    )
    _email(invitation)
    return True


def _reminder_email(invitation: FollowUpInvitation) -> None:
    _send(invitation, template="training/followup_email_reminder.txt", reminder=True)


@transaction.atomic
def send_reminder(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send the reminder of one invitation if its moment has come, its due day has not, nothing
    is recorded yet and it was not sent already (claiming it first, so it goes once); say
    whether it was sent."""
    now = now or timezone.now()
    invitation = (
        FollowUpInvitation.objects.select_for_update(of=("self",))
        .select_related(
            "follow_up", "booking__membership__user", "booking__session__course", "partnership"
        )
        .filter(pk=invitation_id, status__in=rules.OPEN, reminded_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    if not rules.reminder_due(invitation.due_on, _reminder_days(invitation.partnership_id), now):
        return False
    invitation.reminded_at = now
    invitation.save(update_fields=["reminded_at", "updated_at"])
    audit_automatic_change(
        action=AuditAction.UPDATE,
        obj=invitation,
        partnership=invitation.partnership,
        changed_fields=["reminded_at"],
    )
    _reminder_email(invitation)
    return True


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Send every invitation that is due and not sent yet, and every reminder, in every
    partnership. Idempotent."""
    now = now or timezone.now()
    due = list(
        FollowUpInvitation.objects.filter(status=FollowUpStatus.SCHEDULED, due_on__lte=_today(now))
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    sent = sum(1 for pk in due if send_invitation(invitation_id=pk, now=now))
    return {"invited": sent, "reminded": _sweep_reminders(now)}


def _sweep_reminders(now: datetime) -> int:
    """Send the reminders due and not sent: invitations still open, due after today and within
    the longest reminder any partnership asks for (each checked against its own)."""
    today = _today(now)
    chosen = dict(DeliverySettings.objects.values_list("partnership_id", "follow_up_reminder_days"))
    usual = DeliverySettings().follow_up_reminder_days
    longest = max([usual, *chosen.values()])
    if longest <= 0:
        return 0
    candidates = (
        FollowUpInvitation.objects.filter(
            status__in=rules.OPEN,
            reminded_at__isnull=True,
            due_on__gt=today,
            due_on__lte=today + timedelta(days=longest),
        )
        .order_by("due_on", "pk")
        .values_list("pk", "partnership_id", "due_on")
    )
    sent = 0
    for pk, partnership_id, due_on in candidates:
        days = chosen.get(partnership_id, usual)
        if rules.reminder_due(due_on, days, now) and send_reminder(invitation_id=pk, now=now):
            sent += 1
    return sent


# --- Recording the outcome -----------------------------------------------------------------------


def _problem_message(code: str, attended: date | None) -> ValidationError:
    if code == "status":
        return ValidationError(
            {"status": _("Choose whether they completed it, declined it or missed it")}
        )
    if code == "missing_date":
        return ValidationError({"completed_on": _("Enter the date they completed it")})
    if code == "future":
        return ValidationError(
            {"completed_on": _("The date they completed it must be today or in the past")}
        )
    return ValidationError(
        {
            "completed_on": _("The date they completed it must be on or after the course, %(day)s")
            % {"day": date_format(attended, "j F Y") if attended else ""}
        }
    )


@transaction.atomic
def invitation_mark(
    *,
    invitation: FollowUpInvitation,
    status: str,
    completed_on: date | None = None,
    by: User,
    via: str = "web",
    now: datetime | None = None,
) -> FollowUpInvitation:
    """Record whether the person completed the follow-up (and when), declined or missed it.
    Recording it before the invitation is sent means it is never sent."""
    now = now or timezone.now()
    invitation = (
        FollowUpInvitation.objects.select_for_update(of=("self",))
        .select_related("booking__session", "partnership")
        .get(pk=invitation.pk, partnership_id=invitation.partnership_id)
    )
    attended = selectors_bookings.last_day(invitation.booking.session)
    code = rules.completion_problem(
        status=status,
        completed_on=completed_on,
        attended=attended or date.min,
        today=_today(now),
    )
    if code:
        raise _problem_message(code, attended)
    completed_on = completed_on if status == FollowUpStatus.COMPLETED else None
    changed = [
        name
        for name, value in (("status", status), ("completed_on", completed_on))
        if getattr(invitation, name) != value
    ]
    if changed:
        invitation.status = status
        invitation.completed_on = completed_on
        invitation.save(update_fields=[*changed, "updated_at"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=invitation,
            partnership=invitation.partnership,
            changed_fields=changed,
            via=via,
        )
    return invitation
