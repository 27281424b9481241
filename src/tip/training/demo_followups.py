"""The demo's follow-ups: everyone the demo's registers mark as attending a Northshire foundation
day (in full or in part) has their invitations to its reflective practice session (six weeks on)
and refresher morning (twelve months on). Those already due are recorded: all but one completed,
the last missed; the refreshers stay scheduled. The practitioner and the champion said, when
booking, which group of staff they belong to (the champion is a senior leader), so the
programme's readiness check counts a senior leader trained. Idempotent: once any outcome is
recorded, nothing more is done."""

from __future__ import annotations

from django.db import transaction

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.programmes.demo import LEAD, PARTNERSHIP
from tip.programmes.models import WorkforceGroup
from tip.training import selectors_followups as selectors
from tip.training import services_followups as services
from tip.training.analysis import followups as rules
from tip.training.demo_courses import FOUNDATION
from tip.training.models_bookings import AttendanceMark, Booking
from tip.training.models_followups import FollowUpInvitation, FollowUpStatus

# Who said which group of staff they belong to, when booking (email, group).
DEMO_GROUPS = [
    ("practitioner@northshire.example", WorkforceGroup.FRONTLINE),
    ("champion@northshire.example", WorkforceGroup.SENIOR_LEADERS),
]
# Recorded first, so the practitioner's My training shows a completed follow-up.
FIRST = "practitioner@northshire.example"


def seed_demo_followups() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    if partnership is None or lead is None:
        return "Demo follow-ups skipped: the demo partnership is missing."
    invitations = FollowUpInvitation.objects.filter(partnership=partnership)
    if invitations.filter(status__in=rules.OUTCOMES).exists():
        return "Demo follow-ups already recorded."
    with transaction.atomic():
        bookings = list(
            Booking.objects.filter(
                partnership=partnership,
                session__course__name=FOUNDATION,
                attendance__mark__in=[AttendanceMark.ATTENDED, AttendanceMark.PARTLY],
            )
            .select_related("session__partnership", "membership__user")
            .order_by("pk")
        )
        for booking in bookings:
            services.schedule_for_booking(booking, by=lead)
        _groups(bookings, lead, partnership)
        due = sorted(
            invitations.filter(booking__in=bookings, due_on__lte=selectors.today()).select_related(
                "booking__membership__user"
            ),
            key=lambda i: (i.booking.membership.user.email != FIRST, i.due_on, i.pk),
        )
        for i, invitation in enumerate(due):
            last = i == len(due) - 1 and len(due) > 1
            services.invitation_mark(
                invitation=invitation,
                status=FollowUpStatus.MISSED if last else FollowUpStatus.COMPLETED,
                completed_on=None if last else invitation.due_on,
                by=lead,
            )
    scheduled = invitations.filter(status=FollowUpStatus.SCHEDULED).count()
    missed = 1 if len(due) > 1 else 0
    return (
        f"Demo follow-ups: {len(bookings)} people followed up, {len(due) - missed} completed, "
        f"{missed} missed, {scheduled} scheduled."
    )


def _groups(bookings: list[Booking], lead: User, partnership: Partnership) -> None:
    groups = dict(DEMO_GROUPS)
    for booking in bookings:
        group = groups.get(booking.membership.user.email)
        if group and not booking.staff_group:
            booking.staff_group = group
            booking.save(update_fields=["staff_group"])
            audit_change(
                actor=lead,
                action=AuditAction.UPDATE,
                obj=booking,
                partnership=partnership,
                changed_fields=["staff_group"],
            )
