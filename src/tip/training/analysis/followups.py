"""Follow-up invitations in plain Python: when each falls due, when it is sent, who gets one, and
the counts a list of them shows. No Django here, so the rules are tested on their own.

* A follow-up is due its offset after the session's last day (in Europe/London): weeks are
  7 days each; months are calendar months, and a day the month does not have becomes its last
  day (31 January + 1 month is 28 February, or 29 in a leap year; 31 August + 6 months is
  28 or 29 February).
* The invitation is sent at ``SEND_AT`` (09:00, London time) on the day it is due, or at once
  when that moment has passed (a register taken late).
* A reminder goes at ``SEND_AT`` a set number of days before the due day (the partnership's
  delivery settings; 0 sends none), or at once when that moment has passed, but only on a day
  before the due day: on the day itself the invitation says it all.
* Attended and partly attended both earn follow-ups: follow-up reinforces learning, and someone
  who missed part of the course needs it at least as much. (A certificate, by contrast, says the
  person attended the whole course, so partly attended earns none.)
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
SEND_AT = time(9, 0)

WEEKS = "weeks"
MONTHS = "months"

# Attendance marks (tip.training.models_bookings.AttendanceMark) that earn follow-ups.
FOLLOWED_UP_MARKS = frozenset({"attended", "partly"})

SCHEDULED = "scheduled"
INVITED = "invited"
COMPLETED = "completed"
DECLINED = "declined"
MISSED = "missed"
STATUSES = (SCHEDULED, INVITED, COMPLETED, DECLINED, MISSED)
# What the people who manage training record once a follow-up has happened, or has not.
OUTCOMES = (COMPLETED, DECLINED, MISSED)
OPEN = frozenset({SCHEDULED, INVITED})


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, the day clamped to the end of a shorter month."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(last_day: date, offset: int, unit: str) -> date:
    """When a follow-up ``offset`` weeks or months after the course's last day falls due."""
    if offset < 1:
        raise ValueError("a follow-up comes at least one week or month after the course")
    if unit == WEEKS:
        return last_day + timedelta(weeks=offset)
    if unit == MONTHS:
        return add_months(last_day, offset)
    raise ValueError(f"unknown unit {unit!r}")


def send_moment(due: date) -> datetime:
    """When an invitation due on ``due`` is sent: 09:00 in London that day (aware)."""
    return datetime.combine(due, SEND_AT, tzinfo=LONDON)


def is_due(due: date, now: datetime) -> bool:
    """Whether an invitation due on ``due`` should have been sent by ``now`` (aware)."""
    return send_moment(due) <= now


def reminder_moment(due: date, days_before: int) -> datetime | None:
    """When the reminder of a follow-up due on ``due`` goes: 09:00 in London ``days_before``
    days earlier; None when reminders are off (0 days)."""
    if days_before <= 0:
        return None
    return send_moment(due - timedelta(days=days_before))


def reminder_due(due: date, days_before: int, now: datetime) -> bool:
    """Whether the reminder should have gone by ``now`` (aware) and is still worth sending: its
    moment has come and the due day (in London) has not."""
    moment = reminder_moment(due, days_before)
    if moment is None or moment > now:
        return False
    return now.astimezone(LONDON).date() < due


def earns_follow_ups(mark: str) -> bool:
    return mark in FOLLOWED_UP_MARKS


@dataclass(frozen=True)
class Counts:
    """How many invitations are in each status, and how many are overdue (invited, due over
    ``overdue_after`` days ago, and nothing recorded)."""

    total: int
    scheduled: int
    invited: int
    completed: int
    declined: int
    missed: int
    overdue: int

    @property
    def closed(self) -> int:
        return self.completed + self.declined + self.missed

    @property
    def completion_rate(self) -> float | None:
        """Completed out of those with an outcome recorded; None before any is."""
        return self.completed / self.closed if self.closed else None


def counts(items: Iterable[tuple[str, date]], *, today: date, overdue_after: int = 28) -> Counts:
    """Counts of (status, due date) pairs."""
    by_status: Counter[str] = Counter()
    overdue = 0
    for status, due in items:
        by_status[status] += 1
        if status == INVITED and (today - due).days > overdue_after:
            overdue += 1
    return Counts(
        total=sum(by_status.values()),
        scheduled=by_status[SCHEDULED],
        invited=by_status[INVITED],
        completed=by_status[COMPLETED],
        declined=by_status[DECLINED],
        missed=by_status[MISSED],
        overdue=overdue,
    )


def completion_problem(
    *, status: str, completed_on: date | None, attended: date, today: date
) -> str:
    """What is wrong with recording ``status`` (an outcome) with ``completed_on``, as a code:
    "" when nothing is. ``attended`` is the session's last day."""
    if status not in OUTCOMES:
        return "status"
    if status != COMPLETED:
        return ""
    if completed_on is None:
        return "missing_date"
    if completed_on > today:
        return "future"
    if completed_on < attended:
        return "before_course"
    return ""
