"""Calendar invitations for a booking (iCalendar, RFC 5545, built with the `icalendar` package).

* One event per part of the session. The first part's UID is ``tip-booking-<id>@<host>``, later
  parts add ``-part-<n>``: stable for the booking, so an update replaces the events a calendar
  already holds and a cancellation removes them.
* ``METHOD:REQUEST`` invites (and, with a higher SEQUENCE, updates); ``METHOD:CANCEL`` removes.
  SEQUENCE is the session's ``sequence``, which the session pages bump on every change people
  must hear about; a cancellation uses one more, so it always supersedes the last invitation.
* Times are written in UTC (``DTSTART:20270305T093000Z``): every calendar converts them to its
  reader's zone, and the clock changes in Europe/London cannot be misread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from tip.training.models_bookings import Booking
from tip.training.models_sessions import Session, SessionPart

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _host() -> str:
    return urlsplit(settings.TIP_BASE_URL).hostname or "tip.invalid"


def booking_uid(booking: Booking, position: int = 1) -> str:
    """The event's UID: the same for a booking's part whatever changes."""
    suffix = "" if position == 1 else f"-part-{position}"
    return f"tip-booking-{booking.pk}{suffix}@{_host()}"


def _location(session: Session) -> str:
    if session.venue is not None:
        return ", ".join(
            x for x in [session.venue.name, " ".join(session.venue.address.split())] if x
        )
    return "Online"


def invitation(
    *,
    booking: Booking,
    session: Session,
    parts: list[SessionPart],
    method: str = REQUEST,
    description: str = "",
    now: datetime | None = None,
) -> str:
    """The .ics text for the booking: an invitation (or update), or a cancellation."""
    if method not in {REQUEST, CANCEL}:
        raise ValueError(method)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//TIP//Training bookings//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    organiser_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@tip.invalid"
    organiser = vCalAddress(f"mailto:{organiser_address}")
    organiser.params["cn"] = vText("TIP")
    attendee = vCalAddress(f"mailto:{booking.membership.user.email}")
    attendee.params["cn"] = vText(
        booking.membership.user.full_name or booking.membership.user.email
    )
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    sequence = session.sequence + (1 if method == CANCEL else 0)
    title = str(session)
    for position, part in enumerate(parts, start=1):
        event = Event()
        event.add("uid", booking_uid(booking, position))
        event.add("dtstamp", stamp)
        event.add("dtstart", part.starts_at.astimezone(UTC))
        event.add("dtend", part.ends_at.astimezone(UTC))
        event.add("sequence", sequence)
        event.add(
            "summary",
            title if len(parts) == 1 else f"{title} ({position}/{len(parts)})",
        )
        event.add("location", _location(session))
        if description:
            event.add("description", description)
        if session.online_link and method == REQUEST:
            event.add("url", session.online_link)
        event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event["organizer"] = organiser
        event.add("attendee", attendee, encode=False)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data.decode()
