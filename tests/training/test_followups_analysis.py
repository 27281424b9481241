"""The follow-up rules in plain Python: due dates in weeks and calendar months (short months,
leap years, the clock change), when an invitation is sent, who earns one, counts and the checks
on recording an outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from tip.training.analysis import followups as rules


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 4, 30)),
        (dt.date(2026, 1, 15), 1, dt.date(2026, 2, 15)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 31), 12, dt.date(2027, 12, 31)),
        (dt.date(2026, 5, 10), 0, dt.date(2026, 5, 10)),
        (dt.date(2027, 2, 28), 12, dt.date(2028, 2, 28)),
        (dt.date(2026, 6, 1), 120, dt.date(2036, 6, 1)),
    ],
)
def test_calendar_months_clamp_to_the_end_of_a_shorter_month(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert rules.add_months(day, months) == expected


def test_negative_months_are_refused() -> None:
    with pytest.raises(ValueError):
        rules.add_months(dt.date(2026, 1, 1), -1)


def test_due_dates_in_weeks_and_months() -> None:
    last_day = dt.date(2026, 1, 31)
    assert rules.due_on(last_day, 6, rules.WEEKS) == dt.date(2026, 3, 14)
    assert rules.due_on(last_day, 1, rules.MONTHS) == dt.date(2026, 2, 28)
    assert rules.due_on(last_day, 12, rules.MONTHS) == dt.date(2027, 1, 31)
    with pytest.raises(ValueError):
        rules.due_on(last_day, 0, rules.WEEKS)
    with pytest.raises(ValueError):
        rules.due_on(last_day, 1, "fortnights")


def test_invitations_go_at_nine_in_london_in_winter_and_summer() -> None:
    winter = rules.send_moment(dt.date(2026, 1, 12))
    summer = rules.send_moment(dt.date(2026, 7, 13))
    assert winter.astimezone(dt.UTC).hour == 9
    assert summer.astimezone(dt.UTC).hour == 8  # British Summer Time
    # The day the clocks go forward: 09:00 exists.
    assert rules.send_moment(dt.date(2026, 3, 29)).astimezone(dt.UTC).hour == 8
    at_eight = dt.datetime(2026, 1, 12, 8, 59, tzinfo=dt.UTC)
    assert not rules.is_due(dt.date(2026, 1, 12), at_eight)
    assert rules.is_due(dt.date(2026, 1, 12), at_eight + dt.timedelta(minutes=1))
    assert rules.is_due(dt.date(2026, 1, 1), at_eight)


def test_attended_and_partly_attended_earn_follow_ups() -> None:
    assert rules.earns_follow_ups("attended")
    assert rules.earns_follow_ups("partly")
    for mark in ("no_show", "late_cancel", ""):
        assert not rules.earns_follow_ups(mark)


def test_counts() -> None:
    today = dt.date(2026, 6, 1)
    counts = rules.counts(
        [
            ("scheduled", dt.date(2026, 7, 1)),
            ("invited", dt.date(2026, 5, 30)),
            ("invited", dt.date(2026, 4, 1)),  # overdue
            ("completed", dt.date(2026, 4, 1)),
            ("completed", dt.date(2026, 4, 1)),
            ("declined", dt.date(2026, 4, 1)),
            ("missed", dt.date(2026, 4, 1)),
        ],
        today=today,
    )
    assert (counts.total, counts.scheduled, counts.invited, counts.overdue) == (7, 1, 2, 1)
    assert (counts.completed, counts.declined, counts.missed, counts.closed) == (2, 1, 1, 4)
    assert counts.completion_rate == 0.5
    assert rules.counts([], today=today).completion_rate is None


def test_recording_an_outcome() -> None:
    attended, today = dt.date(2026, 3, 1), dt.date(2026, 5, 1)

    def problem(status: str, on: dt.date | None) -> str:
        return rules.completion_problem(
            status=status, completed_on=on, attended=attended, today=today
        )

    assert problem("completed", dt.date(2026, 4, 20)) == ""
    assert problem("completed", attended) == ""
    assert problem("completed", today) == ""
    assert problem("completed", None) == "missing_date"
    assert problem("completed", dt.date(2026, 5, 2)) == "future"
    assert problem("completed", dt.date(2026, 2, 28)) == "before_course"
    assert problem("declined", None) == ""
    assert problem("missed", dt.date(2030, 1, 1)) == ""  # a date is ignored
    assert problem("scheduled", None) == "status"
    assert problem("anything", None) == "status"
