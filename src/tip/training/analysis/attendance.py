"""Attendance, drop-out and no-show: what each booking came to, the rates by group, and the
hours a certificate states. Pure computation (no Django), so the definitions can be read and
tested on their own.

What a booking came to (its *outcome*), from its status and the register's mark:

* ``attended``, ``partly`` (partly attended), ``no_show`` (did not attend) and ``late_cancel``
  (cancelled late): the register's mark of a place held when the session ran, or of a
  cancellation made late (within LATE_CANCELLATION_HOURS of the start, or after it);
* ``unmarked``: a place held, but the register does not say yet;
* ``cancelled``: cancelled in good time; ``released``: not re-confirmed by the deadline, so the
  place went to the waiting list;
* none: still waiting, or holding an offer: not a booking made (yet).

The rates, over sessions that have started and were not cancelled:

* **no-show rate** = did not attend / booked at session time, where *booked at session time*
  is every place the register marks attended, partly attended or did not attend (a late
  cancellation had given the place up, and an unmarked place is not known yet);
* **drop-out rate** = (cancelled + cancelled late + released + did not attend) / bookings made,
  where *bookings made* is every booking that held a place: all outcomes above, unmarked ones
  included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "DROP_OUT_OUTCOMES",
    "LATE_CANCELLATION_HOURS",
    "OUTCOMES",
    "RateRow",
    "Tally",
    "booking_outcome",
    "certificate_hours",
    "is_late_cancellation",
    "overall",
    "percent",
    "rate_table",
]

# A cancellation this close to the start (or after it) is a late one: too late to offer the
# place to someone else.
LATE_CANCELLATION_HOURS = 48

OUTCOMES = ("attended", "partly", "no_show", "late_cancel", "unmarked", "cancelled", "released")
BOOKED_AT_SESSION = ("attended", "partly", "no_show")
DROP_OUT_OUTCOMES = ("cancelled", "late_cancel", "released", "no_show")
# The register's marks, as stored (tip.training.models_bookings.AttendanceMark).
MARKS = ("attended", "partly", "no_show", "late_cancel")


def is_late_cancellation(cancelled_at: datetime | None, starts_at: datetime | None) -> bool:
    """Whether a cancellation came within LATE_CANCELLATION_HOURS of the start, or after it (as
    the bookings service decides when it records a late cancellation)."""
    if cancelled_at is None or starts_at is None:
        return False
    return starts_at - cancelled_at < timedelta(hours=LATE_CANCELLATION_HOURS)


def booking_outcome(status: str, mark: str | None, *, late: bool = False) -> str | None:
    """What a booking came to, from its status (booked, waiting, offered, cancelled, released),
    its register mark, if any, and whether it was cancelled late (``is_late_cancellation``).
    None: still waiting or offered, not a booking made."""
    if status == "booked":
        return mark if mark in MARKS else "unmarked"
    if status == "cancelled":
        # The register's mark, where there is one, says what the trainer knew: someone who
        # cancelled late may still have come.
        if mark in ("attended", "partly"):
            return mark
        if mark in MARKS:
            return "late_cancel"
        return "late_cancel" if late else "cancelled"
    if status == "released":
        return "released"
    return None


def certificate_hours(course_hours: Decimal, parts: Sequence[tuple[datetime, datetime]]) -> Decimal:
    """The hours a certificate of attendance states: the course's length, but never more than
    the session's parts add up to (a session run shorter than the course certifies what it
    ran). Rounded to a quarter of an hour."""
    hours = Decimal(course_hours)
    if parts:
        seconds = sum((end - start).total_seconds() for start, end in parts)
        ran = Decimal(str(seconds)) / Decimal(3600)
        hours = min(hours, ran)
    quarters = (hours * 4).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (quarters / 4).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Tally:
    """How many bookings of one kind came to one outcome. The grouping fields are codes or
    names, as the caller wants them shown; ``month`` is "YYYY-MM" of the session's start."""

    format: str
    organisation: str
    sector: str
    month: str
    outcome: str
    count: int


@dataclass(frozen=True)
class RateRow:
    """One group's counts by outcome, and its rates."""

    group: str
    counts: Mapping[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> int:
        return self.counts.get(outcome, 0)

    @property
    def made(self) -> int:
        """Bookings made: every booking that held a place."""
        return sum(self.count(o) for o in OUTCOMES)

    @property
    def booked_at_session(self) -> int:
        return sum(self.count(o) for o in BOOKED_AT_SESSION)

    @property
    def dropped_out(self) -> int:
        return sum(self.count(o) for o in DROP_OUT_OUTCOMES)

    @property
    def no_show_rate(self) -> Fraction | None:
        """Did not attend / booked at session time; None when nobody was."""
        if not self.booked_at_session:
            return None
        return Fraction(self.count("no_show"), self.booked_at_session)

    @property
    def drop_out_rate(self) -> Fraction | None:
        """(Cancelled, cancelled late, released or did not attend) / bookings made."""
        if not self.made:
            return None
        return Fraction(self.dropped_out, self.made)


def _sum(tallies: Iterable[Tally], group: str) -> RateRow:
    counts: dict[str, int] = {}
    for t in tallies:
        if t.outcome in OUTCOMES:
            counts[t.outcome] = counts.get(t.outcome, 0) + t.count
    return RateRow(group=group, counts=counts)


def rate_table(tallies: Iterable[Tally], by: Callable[[Tally], str]) -> list[RateRow]:
    """One row per group (``by`` picks it from a tally), in the groups' order."""
    groups: dict[str, list[Tally]] = {}
    for t in tallies:
        groups.setdefault(by(t), []).append(t)
    return [_sum(groups[g], g) for g in sorted(groups)]


def overall(tallies: Iterable[Tally]) -> RateRow:
    return _sum(tallies, "")


def percent(rate: Fraction | None) -> Decimal | None:
    """A rate as a percentage to one decimal place (half up), or None."""
    if rate is None:
        return None
    value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
