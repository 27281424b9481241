"""Booking times: when participants are asked to re-confirm their place and by when they must
answer, how long an offered place stays open, whether a cancellation is late, and when a private
check-in request is deleted.

Pure date arithmetic, no Django import. Callers pass "now" (aware, in UTC) so the answers never
depend on the clock.

Re-confirmation, as decided for TIP (docs/training-bookings.md):

* Participants are asked at each of the session's "ask to confirm" days before its first part;
  a session without its own uses its partnership's days for its format (the delivery settings),
  or TIP's defaults: virtual sessions 7 and 2 days, in-person and hybrid sessions 7 days.
* Each ask has its own deadline: the next ask, or for the last ask 24 hours before the first
  part. A deadline is never less than 24 hours after its ask (nobody gets an hour to answer), and
  never after the first part starts.
* A place not confirmed by its deadline is released to the waiting list. Booking, or accepting an
  offered place, counts as confirming: someone who books after an ask is not asked again for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = [
    "ANSWER_AT_LEAST",
    "DEFAULT_RECONFIRM_DAYS",
    "LAST_DEADLINE_BEFORE",
    "LATE_CANCELLATION",
    "Ask",
    "check_in_delete_after",
    "due_ask",
    "is_late_cancellation",
    "needs_asking",
    "next_wake",
    "offer_expiry",
    "reconfirm_asks",
    "reconfirm_days",
]

DEFAULT_RECONFIRM_DAYS: dict[str, tuple[int, ...]] = {
    "virtual": (7, 2),
    "in_person": (7,),
    "hybrid": (7,),
}
# The last ask's deadline, before the first part starts.
LAST_DEADLINE_BEFORE = timedelta(hours=24)
# Nobody is given less than this to answer an ask.
ANSWER_AT_LEAST = timedelta(hours=24)
# A cancellation this close to the start is "late" on the register.
LATE_CANCELLATION = timedelta(hours=48)


@dataclass(frozen=True)
class Ask:
    """One request to re-confirm: sent at `asks_at`, to be answered by `confirm_by`."""

    days_before: int
    asks_at: datetime
    confirm_by: datetime


def _positive(days: Iterable[int] | None) -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in (days or ()) if int(d) > 0}, reverse=True))


def reconfirm_days(
    session_format: str,
    chosen: Iterable[int] | None,
    defaults: Mapping[str, Sequence[int]] | None = None,
) -> tuple[int, ...]:
    """The days before the first part when participants are asked, furthest first: the session's
    own choice, or the days for its format in `defaults` (the partnership's settings), or TIP's
    defaults. Zero and negative days are ignored."""
    days = _positive(chosen)
    if days:
        return days
    days = _positive((defaults or {}).get(session_format))
    if days:
        return days
    return DEFAULT_RECONFIRM_DAYS.get(session_format, (7,))


def reconfirm_asks(first_start: datetime, days: Sequence[int]) -> list[Ask]:
    """Each ask with its deadline, in the order they are sent (see the module's rules)."""
    ordered = sorted({d for d in days if d > 0}, reverse=True)
    times = [first_start - timedelta(days=d) for d in ordered]
    asks = []
    for i, (d, at) in enumerate(zip(ordered, times, strict=True)):
        deadline = times[i + 1] if i + 1 < len(times) else first_start - LAST_DEADLINE_BEFORE
        deadline = min(max(deadline, at + ANSWER_AT_LEAST), first_start)
        asks.append(Ask(days_before=d, asks_at=at, confirm_by=deadline))
    return asks


def due_ask(asks: Sequence[Ask], now: datetime) -> Ask | None:
    """The ask whose time has come and whose deadline has not passed, if any (the latest such:
    when asks overlap, the later one counts)."""
    current = [a for a in asks if a.asks_at <= now < a.confirm_by]
    return current[-1] if current else None


def needs_asking(
    ask: Ask, *, confirmed_at: datetime | None, confirm_by: datetime | None, booked_at: datetime
) -> bool:
    """Whether a booked participant still has to be sent this ask: not when they booked or
    confirmed after it went out, nor when they were already sent it (their `confirm_by` is its
    deadline)."""
    if booked_at >= ask.asks_at:
        return False
    if confirmed_at is not None and confirmed_at >= ask.asks_at:
        return False
    return confirm_by != ask.confirm_by


def next_wake(asks: Sequence[Ask], now: datetime) -> datetime | None:
    """The next moment something is due (an ask goes out or a deadline passes), for scheduling."""
    moments = [t for a in asks for t in (a.asks_at, a.confirm_by) if t > now]
    return min(moments) if moments else None


def offer_expiry(now: datetime, offer_hours: int, first_start: datetime) -> datetime:
    """When a place offered now stops being the person's: `offer_hours` from now, but never after
    the session starts."""
    return min(now + timedelta(hours=offer_hours), first_start)


def is_late_cancellation(cancelled_at: datetime, first_start: datetime) -> bool:
    """Cancelled within 48 hours of the start (the register shows "cancelled late")."""
    return first_start - cancelled_at < LATE_CANCELLATION


def check_in_delete_after(last_day: date, retention_days: int) -> date:
    """The day after which a check-in request is deleted: the session's last day plus the
    partnership's retention (default 7 days)."""
    return last_day + timedelta(days=retention_days)
