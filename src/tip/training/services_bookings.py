"""Writes to bookings. Each runs in one transaction, records itself in the audit log and sends its
emails through the task queue.

The rules live here, so the pages and the API refuse the same things with the same messages and
change nothing when they refuse:

* A place is taken only on a published session that has not started, by someone not already
  booked, waiting or offered a place on it. Taking one locks the session's row
  (``select_for_update``), so two people booking the last place at the same moment cannot both
  get it: the second waits for the first, then finds the session full.
* A full session offers the waiting list, in the order people joined it. A freed place (a
  cancellation, a declined or expired offer, a place released for want of re-confirmation) is
  offered to the next person, theirs for the partnership's ``offer_hours`` (default 48) but never
  past the start; an expired offer moves on.
* Re-confirmation follows ``tip.training.analysis.bookings`` (the schedule and its deadlines),
  on the session's own days or its partnership's for its format (``reconfirm_days_of``).
* A private check-in request is kept until the session's last day plus the partnership's
  ``check_in_retention_days`` (default 7), then deleted.

Changes TIP makes by itself (``sweep``) are audited with ``audit_automatic_change``: no actor,
``via="task"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tip.core.audit import audit_automatic_change, audit_change, audit_view
from tip.core.languages import in_language_of
from tip.core.models import AuditAction, Membership, Organisation, Partnership, User
from tip.programmes.models import WorkforceGroup
from tip.training import ical_bookings as ical
from tip.training import selectors_bookings as selectors
from tip.training.analysis import bookings as rules
from tip.training.models_bookings import (
    Attendance,
    AttendanceMark,
    Booking,
    BookingStatus,
    CheckInRequest,
)
from tip.training.models_delivery import WelfareOffer
from tip.training.models_sessions import Session, SessionPart, SessionStatus
from tip.training.selectors_courses import version_content
from tip.training.tasks_bookings import (
    bookings_sweep,
    purge_check_ins,
    schedule,
    send_booking_email,
)

# Written to the audit log in English whatever the reader's language (see tip.core.purposes).
SESSION_BOOKINGS = gettext_noop("Training: the people booked on a session")
CHECK_IN_REQUESTS = gettext_noop(
    "Training: a session's private check-in requests, seen by its trainer to check in with them"
)
BOOK_FOR_STAFF = gettext_noop("Training: choosing a member of staff to book onto a session")

ACTIVE = (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED)
# The reminder (with the signposting) goes this long before the first part: after the last
# re-confirmation deadline, so it reaches only the people still coming.
REMINDER_BEFORE = timedelta(hours=24)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _audit(action: str, obj: Any, by: User | None, fields: Iterable[str], via: str) -> None:
    partnership = obj.partnership
    if by is None:
        audit_automatic_change(
            action=action, obj=obj, partnership=partnership, changed_fields=fields
        )
    else:
        audit_change(
            actor=by,
            action=action,
            obj=obj,
            partnership=partnership,
            changed_fields=fields,
            via=via,
        )


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# --- Emails ---------------------------------------------------------------------------------------


def _link(name: str, **kwargs: Any) -> str:
    return settings.TIP_BASE_URL + reverse(name, kwargs=kwargs)


def _signposting(booking: Booking, session: Session) -> dict[str, Any]:
    """What every participant is sent before and after: the content warnings, the breaks, and
    their own organisation's welfare offer."""
    content = version_content(version=session.course_version)
    return {
        "warnings": content.warnings,
        "breaks": session.planned_breaks.strip(),
        "welfare": selectors.welfare_offer_of(organisation=booking.membership.organisation),
        "organisation": booking.membership.organisation,
    }


SUBJECTS = {
    "booked": gettext_noop("Your place on %(session)s"),
    "waiting": gettext_noop("You are on the waiting list for %(session)s"),
    "offered": gettext_noop("A place is free on %(session)s: accept by %(deadline)s"),
    "offer_lapsed": gettext_noop("The place offered on %(session)s has gone to the next person"),
    "reconfirm": gettext_noop("Please confirm your place on %(session)s by %(deadline)s"),
    "released": gettext_noop("Your place on %(session)s has been released"),
    "cancelled": gettext_noop("Your booking on %(session)s is cancelled"),
    "reminder": gettext_noop("Reminder: %(session)s starts on %(start)s"),
    "after": gettext_noop("After %(session)s: looking after yourself"),
    "updated": gettext_noop("Changed: %(session)s"),
    "session_cancelled": gettext_noop("Cancelled: %(session)s"),
    "no_show": gettext_noop("%(name)s did not attend %(session)s"),
}
# The emails that carry the booking's calendar events, and how.
CALENDAR = {
    "booked": ical.REQUEST,
    "updated": ical.REQUEST,
    "cancelled": ical.CANCEL,
    "session_cancelled": ical.CANCEL,
}


def send(kind: str, booking: Booking, *, to: str | None = None, **extra: Any) -> None:
    """Queue one of the booking's emails (`SUBJECTS` names them)."""
    session = booking.session
    parts = selectors.parts_of(session)
    start = parts[0].starts_at if parts else None
    context: dict[str, Any] = {
        "booking": booking,
        "session": session,
        "parts": parts,
        "person": booking.membership.user,
        "my_training": _link("training:my-training"),
        "booking_link": _link("training:my-booking", booking_id=booking.pk),
        "show_link": booking.status == BookingStatus.BOOKED,
        "address": " ".join(session.venue.address.split()) if session.venue else "",
        **extra,
    }
    if kind in {"booked", "reminder", "after"}:
        context |= _signposting(booking, session)
    # In the participant's language, whoever or whatever caused it; the manager's notice of a
    # no-show too (their address has no account to hold a language).
    with in_language_of(booking.membership.user):
        subject = _(SUBJECTS[kind]) % {
            "session": str(session),
            "deadline": _when(booking.offer_expires_at or booking.confirm_by or timezone.now()),
            "start": _when(start) if start else "",
            "name": booking.membership.user.full_name,
        }
        body = render_to_string(f"training/booking_email_{kind}.txt", context)
        ics = ""
        if kind in CALENDAR and parts:
            ics = ical.invitation(
                booking=booking, session=session, parts=parts, method=CALENDAR[kind], description=""
            )
    send_booking_email.enqueue(
        subject=" ".join(subject.split()),
        body=body,
        to=[to or booking.membership.user.email],
        ics=ics,
        ics_method=CALENDAR.get(kind, ""),
    )


def _schedule_sweep(when: datetime | None) -> None:
    if when is not None:
        schedule(bookings_sweep, when)


def _schedule_session(session: Session, now: datetime) -> None:
    """Wake the sweep when the session's next ask, deadline or reminder falls due."""
    start = selectors.first_start(session)
    if start is None:
        return
    asks = rules.reconfirm_asks(start, selectors.reconfirm_days_of(session))
    moments = [w for w in [rules.next_wake(asks, now), start - REMINDER_BEFORE] if w and w > now]
    end = selectors.last_end(session)
    if end and end > now:
        moments.append(end)
    _schedule_sweep(min(moments) if moments else None)


# --- Booking --------------------------------------------------------------------------------------


def _locked(session: Session) -> Session:
    """The session again, its row locked until the transaction ends: whoever takes a place holds
    the lock, so places are counted and taken one booking at a time."""
    locked: Session = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the venue's outer join.
        Session.objects.select_for_update(of=("self",))
        .select_related("course", "course_version", "venue", "partnership")
        .get(pk=session.pk, partnership_id=session.partnership_id)
    )
    # The parts, read after the lock (prefetched: the rules below read them more than once).
    prefetch_related_objects(
        [locked], Prefetch("parts", queryset=SessionPart.objects.order_by("starts_at"))
    )
    return locked


def _check_open(session: Session, now: datetime) -> datetime:
    """The session's first start, or a refusal saying why it cannot be booked."""
    start = selectors.first_start(session)
    if session.status == SessionStatus.CANCELLED:
        raise _refuse(_("This session has been cancelled, so it cannot be booked."), "cancelled")
    if session.status != SessionStatus.PUBLISHED or start is None:
        raise _refuse(_("This session is not open for booking yet."), "not_open")
    if start <= now:
        raise _refuse(
            _("This session started on %(start)s, so it can no longer be booked.")
            % {"start": _when(start)},
            "past",
        )
    return start


def _already(booking: Booking, *, yourself: bool) -> ValidationError:
    name = booking.membership.user.full_name
    messages = {
        BookingStatus.BOOKED: (
            _("You are already booked on this session.")
            if yourself
            else _("%(name)s is already booked on this session.") % {"name": name}
        ),
        BookingStatus.WAITING: (
            _("You are already on the waiting list for this session.")
            if yourself
            else _("%(name)s is already on the waiting list for this session.") % {"name": name}
        ),
        BookingStatus.OFFERED: (
            _("A place on this session is already offered to you: accept it from My training.")
            if yourself
            else _("A place on this session is already offered to %(name)s.") % {"name": name}
        ),
    }
    return _refuse(messages[BookingStatus(booking.status)], "already")


def check_booker(*, booker: Membership, person: Membership) -> None:
    """Refuse unless `booker` may book `person`: themselves; anyone in the partnership for its
    admins and programme leads; the people of their own organisation for champions."""
    if booker.pk == person.pk:
        return
    if person.partnership_id != booker.partnership_id:
        raise _refuse(_("Choose someone in this partnership."), "not_allowed")
    roles = booker.role_codes
    if roles & selectors.BOOK_ANYONE_ROLES:
        return
    if roles & selectors.BOOK_OWN_ORGANISATION_ROLES:
        if person.organisation_id == booker.organisation_id:
            return
        raise _refuse(
            _("Champions can book the people of their own organisation only."), "not_allowed"
        )
    raise _refuse(_("You can book only yourself onto a session."), "not_allowed")


def _clean_manager(notify_manager: bool, manager_email: str) -> str:
    manager_email = (manager_email or "").strip()
    if not notify_manager:
        return ""
    if not manager_email:
        raise ValidationError(
            {"manager_email": _("Enter your manager's email address, or untick the box")}
        )
    try:
        validate_email(manager_email)
    except ValidationError as exc:
        raise ValidationError(
            {
                "manager_email": _(
                    "Enter your manager's email address in the right format, like name@example.org"
                )
            }
        ) from exc
    return manager_email.lower()


@transaction.atomic
def book(
    *,
    session: Session,
    person: Membership,
    booker: Membership,
    join_waiting_list: bool = False,
    notify_manager: bool = False,
    manager_email: str = "",
    check_in: bool = False,
    staff_group: str = "",
    via: str = "web",
    now: datetime | None = None,
) -> Booking:
    """Book `person` onto `session` (as `booker`: themselves or someone allowed to book for
    staff). A full session refuses with code "full" unless `join_waiting_list`, when the person
    joins the end of the waiting list instead. Only the person themselves can ask for a check-in
    (it is private)."""
    now = _now(now)
    by = booker.user
    if session.partnership_id != booker.partnership_id:
        raise _refuse(_("Choose a session in this partnership."), "not_allowed")
    check_booker(booker=booker, person=person)
    if check_in and booker.pk != person.pk:
        raise _refuse(_("Only the participant can ask a trainer to check in with them."), "private")
    manager_email = _clean_manager(notify_manager, manager_email)
    staff_group = (staff_group or "").strip()
    if staff_group and staff_group not in WorkforceGroup.values:
        raise ValidationError({"staff_group": _("Choose a group of staff from the list")})
    session = _locked(session)
    _check_open(session, now)
    existing = selectors.my_active_booking(membership=person, session=session)
    if existing is not None:
        raise _already(existing, yourself=booker.pk == person.pk)
    _offer_free_places(session, now)  # anyone waiting goes before a newcomer
    places = selectors.places(session=session)
    full = places.free == 0
    if full and not join_waiting_list:
        raise _refuse(
            _(
                "This session is full. You can join the waiting list, and you will be offered a "
                "place if one comes free."
            ),
            "full",
        )
    booking = Booking.objects.create(
        partnership_id=session.partnership_id,
        session=session,
        membership=person,
        booked_by=by,
        status=BookingStatus.WAITING if full else BookingStatus.BOOKED,
        waiting_since=now if full else None,
        confirmed_at=None if full else now,
        notify_manager=bool(manager_email),
        manager_email=manager_email,
        staff_group=staff_group,
    )
    fields = ["session", "membership", "status", "notify_manager", "manager_email", "staff_group"]
    _audit(AuditAction.CREATE, booking, by, fields, via)
    if check_in:
        _check_in_create(booking, session, by, via)
    send("waiting" if full else "booked", booking)
    _schedule_session(session, now)
    return booking


def _check_in_create(booking: Booking, session: Session, by: User, via: str) -> CheckInRequest:
    day = selectors.last_day(session)
    assert day is not None
    retention = selectors.delivery_settings(partnership=session.partnership).check_in_retention_days
    request = CheckInRequest.objects.create(
        partnership_id=booking.partnership_id,
        booking=booking,
        delete_after=rules.check_in_delete_after(day, retention),
    )
    _audit(AuditAction.CREATE, request, by, ["booking", "delete_after"], via)
    # Deleted the day after `delete_after`, at midnight in Europe/London.
    when = timezone.make_aware(
        datetime.combine(request.delete_after + timedelta(days=1), time.min), selectors.LONDON
    )
    schedule(purge_check_ins, when)
    return request


@transaction.atomic
def check_in_set(*, booking: Booking, wanted: bool, by: User, via: str = "web") -> None:
    """The participant asks for a check-in, or withdraws the request. Only they can."""
    if booking.membership.user_id != by.pk:
        raise _refuse(_("Only the participant can change their check-in request."), "private")
    existing = CheckInRequest.objects.filter(booking=booking).first()
    if wanted and existing is None:
        if booking.status not in ACTIVE:
            raise _refuse(_("This booking is no longer active."), "inactive")
        session = booking.session
        end = selectors.last_end(session)
        if end is None or end <= timezone.now():
            raise _refuse(_("This session has already finished."), "past")
        _check_in_create(booking, session, by, via)
    elif not wanted and existing is not None:
        _audit(AuditAction.DELETE, existing, by, [], via)
        existing.delete()


# --- Offers and the waiting list ------------------------------------------------------------------


def _offer_free_places(session: Session, now: datetime) -> list[Booking]:
    """Offer each free place to the next person waiting (the session's row must be locked)."""
    start = selectors.first_start(session)
    if session.status != SessionStatus.PUBLISHED or start is None or start <= now:
        return []
    free = selectors.places(session=session).free
    if free <= 0:
        return []
    waiting = list(
        Booking.objects.filter(
            session=session, partnership_id=session.partnership_id, status=BookingStatus.WAITING
        )
        .select_related("membership__user", "membership__organisation")
        .order_by("waiting_since", "pk")[:free]
    )
    hours = selectors.delivery_settings(partnership=session.partnership).offer_hours
    for booking in waiting:
        booking.session = session
        booking.status = BookingStatus.OFFERED
        booking.offer_expires_at = rules.offer_expiry(now, hours, start)
        booking.save(update_fields=["status", "offer_expires_at"])
        _audit(AuditAction.UPDATE, booking, None, ["status", "offer_expires_at"], "task")
        send(
            "offered",
            booking,
            accept_link=_link("training:my-booking", booking_id=booking.pk) + "#offer",
            decline_link=_link("training:my-booking", booking_id=booking.pk) + "#offer",
        )
        _schedule_sweep(booking.offer_expires_at)
    return waiting


@transaction.atomic
def accept_offer(
    *, booking: Booking, by: User, via: str = "web", now: datetime | None = None
) -> Booking:
    now = _now(now)
    session = _locked(booking.session)
    booking = (
        Booking.objects.select_for_update()
        .select_related("membership__user", "membership__organisation")
        .get(pk=booking.pk)
    )
    booking.session = session
    if booking.membership.user_id != by.pk:
        raise _refuse(_("Only the person offered the place can accept it."), "not_allowed")
    if booking.status != BookingStatus.OFFERED:
        raise _refuse(_("There is no place offered to you on this session."), "not_offered")
    if booking.offer_expires_at is not None and booking.offer_expires_at <= now:
        raise _refuse(
            _(
                "This offer expired on %(when)s, so the place has been offered to the next person "
                "waiting."
            )
            % {"when": _when(booking.offer_expires_at)},
            "expired",
        )
    _check_open(session, now)
    booking.status = BookingStatus.BOOKED
    booking.offer_expires_at = None
    booking.confirmed_at = now
    booking.confirm_by = None
    booking.save(update_fields=["status", "offer_expires_at", "confirmed_at", "confirm_by"])
    _audit(AuditAction.UPDATE, booking, by, ["status", "offer_expires_at", "confirmed_at"], via)
    send("booked", booking)
    return booking


def decline_offer(
    *, booking: Booking, by: User, via: str = "web", now: datetime | None = None
) -> Booking:
    if booking.status != BookingStatus.OFFERED:
        raise _refuse(_("There is no place offered to you on this session."), "not_offered")
    return cancel(booking=booking, by=by, via=via, now=now)


@transaction.atomic
def expire_offers(*, now: datetime | None = None) -> int:
    """Offers past their time lapse and the place goes to the next person. Idempotent."""
    now = _now(now)
    count = 0
    session_ids = set(
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now).values_list(
            "session_id", flat=True
        )
    )
    for session in Session.objects.filter(pk__in=session_ids).order_by("pk"):
        session = _locked(session)
        lapsed = Booking.objects.filter(
            session=session, status=BookingStatus.OFFERED, offer_expires_at__lte=now
        ).select_related("membership__user", "membership__organisation")
        for booking in lapsed:
            booking.session = session
            booking.status = BookingStatus.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
            _audit(AuditAction.UPDATE, booking, None, ["status", "cancelled_at"], "task")
            send("offer_lapsed", booking)
            count += 1
        _offer_free_places(session, now)
    return count


# --- Re-confirmation ------------------------------------------------------------------------------


@transaction.atomic
def confirm(
    *, booking: Booking, by: User, via: str = "web", now: datetime | None = None
) -> Booking:
    now = _now(now)
    if booking.membership.user_id != by.pk:
        raise _refuse(_("Only the participant can confirm their place."), "not_allowed")
    if booking.status != BookingStatus.BOOKED:
        raise _refuse(_("Only a booked place can be confirmed."), "not_booked")
    if booking.confirm_by is not None and booking.confirm_by <= now:
        raise _refuse(_("The time to confirm this place has passed."), "expired")
    booking.confirmed_at = now
    booking.confirm_by = None
    booking.save(update_fields=["confirmed_at", "confirm_by"])
    _audit(AuditAction.UPDATE, booking, by, ["confirmed_at", "confirm_by"], via)
    return booking


def _reconfirm_session(session: Session, now: datetime) -> tuple[int, int]:
    """Release the places whose deadline passed, then send the ask that is due. The session's
    row must be locked."""
    released = 0
    late = Booking.objects.filter(
        session=session, status=BookingStatus.BOOKED, confirm_by__lte=now
    ).select_related("membership__user", "membership__organisation")
    for booking in late:
        booking.session = session
        booking.status = BookingStatus.RELEASED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        _audit(AuditAction.UPDATE, booking, None, ["status", "cancelled_at"], "task")
        send("released", booking)
        released += 1
    if released:
        _offer_free_places(session, now)
    start = selectors.first_start(session)
    if start is None or start <= now:
        return released, 0
    asks = rules.reconfirm_asks(start, selectors.reconfirm_days_of(session))
    ask = rules.due_ask(asks, now)
    asked = 0
    if ask is not None:
        booked = Booking.objects.filter(
            session=session, status=BookingStatus.BOOKED
        ).select_related("membership__user", "membership__organisation")
        for booking in booked:
            if not rules.needs_asking(
                ask,
                confirmed_at=booking.confirmed_at,
                confirm_by=booking.confirm_by,
                booked_at=booking.created_at,
            ):
                continue
            booking.session = session
            booking.confirm_by = ask.confirm_by
            booking.save(update_fields=["confirm_by"])
            _audit(AuditAction.UPDATE, booking, None, ["confirm_by"], "task")
            send(
                "reconfirm",
                booking,
                confirm_link=_link("training:my-booking", booking_id=booking.pk) + "#confirm",
            )
            asked += 1
    return released, asked


def _remind_session(session: Session, now: datetime) -> tuple[int, int]:
    """The reminder with the signposting before the session, and the signposting after it."""
    start, end = selectors.first_start(session), selectors.last_end(session)
    reminded = after = 0
    if start is None or end is None:
        return 0, 0
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED).select_related(
        "membership__user", "membership__organisation"
    )
    for booking in booked:
        booking.session = session
        if start - REMINDER_BEFORE <= now < start and booking.reminded_at is None:
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            _audit(AuditAction.UPDATE, booking, None, ["reminded_at"], "task")
            send("reminder", booking)
            reminded += 1
        elif now >= end and booking.signposted_after_at is None:
            booking.signposted_after_at = now
            booking.save(update_fields=["signposted_after_at"])
            _audit(AuditAction.UPDATE, booking, None, ["signposted_after_at"], "task")
            send("after", booking)
            after += 1
    return reminded, after


def sweep(*, now: datetime | None = None, session: Session | None = None) -> dict[str, int]:
    """Everything that falls due with time, for every partnership (or one session): expired
    offers move on, unconfirmed places are released, re-confirmations and reminders go out,
    signposting follows the session, and check-in requests past their time are deleted.
    Idempotent: call it as often as you like."""
    now = _now(now)
    totals = {"expired": expire_offers(now=now)}
    totals |= {"released": 0, "asked": 0, "reminded": 0, "after": 0}
    sessions = Session.objects.filter(status=SessionStatus.PUBLISHED)
    if session is not None:
        sessions = sessions.filter(pk=session.pk)
    # Sessions still to come, or finished within the last fortnight (for the signposting after).
    sessions = sessions.filter(parts__ends_at__gte=now - timedelta(days=14)).distinct()
    for found in sessions.order_by("pk"):
        with transaction.atomic():
            locked = _locked(found)
            released, asked = _reconfirm_session(locked, now)
            reminded, after = _remind_session(locked, now)
        totals["released"] += released
        totals["asked"] += asked
        totals["reminded"] += reminded
        totals["after"] += after
    totals["purged"] = purge_check_in_requests(now=now)
    return totals


# --- Cancelling -----------------------------------------------------------------------------------


@transaction.atomic
def cancel(*, booking: Booking, by: User, via: str = "web", now: datetime | None = None) -> Booking:
    """The participant (or whoever booked them) cancels: before the session only. Within 48 hours
    of the start the register records "cancelled late". A freed place goes to the waiting list."""
    now = _now(now)
    session = _locked(booking.session)
    booking = (
        Booking.objects.select_for_update()
        .select_related("membership__user", "membership__organisation")
        .get(pk=booking.pk)
    )
    booking.session = session
    if booking.membership.user_id != by.pk and booking.booked_by_id != by.pk:
        raise _refuse(_("Only the participant, or whoever booked them, can cancel."), "not_allowed")
    if booking.status not in ACTIVE:
        raise _refuse(_("This booking is already cancelled."), "inactive")
    start = selectors.first_start(session)
    if start is not None and start <= now:
        raise _refuse(
            _("This session started on %(start)s, so the booking can no longer be cancelled.")
            % {"start": _when(start)},
            "past",
        )
    was = booking.status
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.offer_expires_at = None
    booking.confirm_by = None
    booking.save(update_fields=["status", "cancelled_at", "offer_expires_at", "confirm_by"])
    _audit(AuditAction.UPDATE, booking, by, ["status", "cancelled_at"], via)
    if was == BookingStatus.BOOKED and start is not None and rules.is_late_cancellation(now, start):
        mark = Attendance.objects.create(
            partnership_id=booking.partnership_id,
            booking=booking,
            mark=AttendanceMark.LATE_CANCELLATION,
            marked_by=by,
        )
        _audit(AuditAction.CREATE, mark, by, ["booking", "mark"], via)
    request = CheckInRequest.objects.filter(booking=booking).first()
    if request is not None:  # nobody needs it now: delete it at once
        _audit(AuditAction.DELETE, request, by, [], via)
        request.delete()
    if was == BookingStatus.BOOKED:
        send("cancelled", booking)
    if was in (BookingStatus.BOOKED, BookingStatus.OFFERED):
        _offer_free_places(session, now)
    return booking


def cancelled_late(booking: Booking, *, session: Session | None = None) -> bool:
    """Whether the booking was cancelled within 48 hours of the session's start."""
    start = selectors.first_start(session or booking.session)
    return (
        booking.status == BookingStatus.CANCELLED
        and booking.cancelled_at is not None
        and start is not None
        and rules.is_late_cancellation(booking.cancelled_at, start)
    )


# --- The session's changes, and no-shows ----------------------------------------------------------


def notify_session_changed(*, session: Session) -> int:
    """Send every booked participant the updated calendar invitation (call after bumping
    ``session.sequence``, in the transaction that changed the session)."""
    count = 0
    for booking in _booked(session):
        send("updated", booking)
        count += 1
    return count


def notify_session_cancelled(*, session: Session) -> int:
    """Send everyone booked, offered or waiting the cancellation (with ``METHOD:CANCEL`` for the
    booked, whose calendars hold the events)."""
    count = 0
    for booking in _booked(session, statuses=ACTIVE):
        send("session_cancelled", booking)
        count += 1
    return count


def on_session_change(session: Session, change: str) -> None:
    """The session pages' listener (``services_sessions.register_session_listener``): after a
    published session's times, venue or link change, or it is cancelled, tell the people on it,
    with the calendar update or cancellation."""
    fresh = (
        Session.objects.filter(pk=session.pk)
        .select_related("course", "course_version", "venue", "partnership")
        .prefetch_related(Prefetch("parts", queryset=SessionPart.objects.order_by("starts_at")))
        .first()
    )
    if fresh is None:
        return
    if change == "cancelled":
        notify_session_cancelled(session=fresh)
    else:
        notify_session_changed(session=fresh)


def _booked(session: Session, statuses: Iterable[str] = (BookingStatus.BOOKED,)) -> list[Booking]:
    bookings = list(
        Booking.objects.filter(session=session, status__in=list(statuses))
        .select_related("membership__user", "membership__organisation")
        .order_by("pk")
    )
    for b in bookings:
        b.session = session
    return bookings


def notify_manager_of_no_show(booking: Booking) -> bool:
    """Tell the participant's manager they did not attend, if the participant asked for that when
    booking. Returns whether an email was queued. The attendance register calls this when it
    marks a no-show."""
    if not booking.notify_manager or not booking.manager_email:
        return False
    send("no_show", booking, to=booking.manager_email)
    return True


# --- Check-in requests ----------------------------------------------------------------------------


def check_in_requests_for_trainer(
    *, session: Session, membership: Membership, via: str = "web"
) -> list[CheckInRequest]:
    """The session's check-in requests, for one of its trainers; each look is audited."""
    found = selectors.check_in_list(session=session, membership=membership)
    audit_view(
        actor=membership.user,
        obj=session,
        partnership=session.partnership,
        purpose=CHECK_IN_REQUESTS,
        via=via,
    )
    return found


def purge_check_in_requests(*, now: datetime | None = None) -> int:
    """Delete every check-in request past its ``delete_after`` day (in Europe/London).
    Idempotent."""
    today = timezone.localtime(_now(now), selectors.LONDON).date()
    count = 0
    with transaction.atomic():
        for request in CheckInRequest.objects.filter(delete_after__lt=today).order_by("pk"):
            audit_automatic_change(
                action=AuditAction.DELETE, obj=request, partnership=request.partnership
            )
            request.delete()
            count += 1
    return count


# --- Welfare offers -------------------------------------------------------------------------------


@transaction.atomic
def welfare_offer_set(
    *, organisation: Organisation, offer: str, contacts: str, by: User, via: str = "web"
) -> WelfareOffer | None:
    """Keep the organisation's welfare offer (an empty offer removes it)."""
    offer, contacts = (offer or "").strip(), (contacts or "").strip()
    existing = selectors.welfare_offer_of(organisation=organisation)
    if not offer:
        if contacts:
            raise ValidationError({"offer": _("Describe the support the organisation offers")})
        if existing is not None:
            _audit(AuditAction.DELETE, existing, by, [], via)
            existing.delete()
        return None
    if existing is None:
        created = WelfareOffer.objects.create(
            partnership_id=organisation.partnership_id,
            organisation=organisation,
            offer=offer,
            contacts=contacts,
        )
        _audit(AuditAction.CREATE, created, by, ["organisation", "offer", "contacts"], via)
        return created
    changed = [
        n for n, v in {"offer": offer, "contacts": contacts}.items() if getattr(existing, n) != v
    ]
    if changed:
        existing.offer, existing.contacts = offer, contacts
        existing.save()
        _audit(AuditAction.UPDATE, existing, by, changed, via)
    return existing


def audit_session_bookings_view(
    *, session: Session, by: User, partnership: Partnership, via: str = "web"
) -> None:
    audit_view(actor=by, obj=session, partnership=partnership, purpose=SESSION_BOOKINGS, via=via)
