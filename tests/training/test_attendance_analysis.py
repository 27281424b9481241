"""The attendance arithmetic on its own: what each booking came to, the no-show and drop-out rates
on known data, late cancellations at the boundary, and a certificate's hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from tip.training.analysis.attendance import (
    RateRow,
    Tally,
    booking_outcome,
    certificate_hours,
    is_late_cancellation,
    overall,
    percent,
    rate_table,
)

START = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_what_each_booking_came_to() -> None:
    assert booking_outcome("booked", "attended") == "attended"
    assert booking_outcome("booked", "partly") == "partly"
    assert booking_outcome("booked", "no_show") == "no_show"
    assert booking_outcome("booked", "late_cancel") == "late_cancel"
    assert booking_outcome("booked", None) == "unmarked"
    assert booking_outcome("cancelled", None) == "cancelled"
    assert booking_outcome("cancelled", None, late=True) == "late_cancel"
    assert booking_outcome("cancelled", "late_cancel") == "late_cancel"
    # Someone who cancelled late but came after all is counted as they were marked.
    assert booking_outcome("cancelled", "attended", late=True) == "attended"
    assert booking_outcome("cancelled", "no_show") == "late_cancel"
    assert booking_outcome("released", None) == "released"
    assert booking_outcome("waiting", None) is None
    assert booking_outcome("offered", None) is None


def test_a_cancellation_is_late_within_48_hours_of_the_start() -> None:
    assert not is_late_cancellation(START - timedelta(hours=48), START)
    assert is_late_cancellation(START - timedelta(hours=47, minutes=59), START)
    assert is_late_cancellation(START + timedelta(hours=1), START)
    assert not is_late_cancellation(None, START)
    assert not is_late_cancellation(START, None)


def _tallies() -> list[Tally]:
    """Virtual: 10 booked at the session (6 attended, 1 partly, 3 no-shows), 2 cancelled early, 1
    late, 2 released, 1 unmarked: 16 bookings made, 8 dropped out. In person: 4 attended, 1 no
    show."""
    v = ("virtual", "Northshire Police", "police", "2026-03")
    p = ("in_person", "Riverside Academy Trust", "education", "2026-04")
    counts = [
        (v, "attended", 6),
        (v, "partly", 1),
        (v, "no_show", 3),
        (v, "cancelled", 2),
        (v, "late_cancel", 1),
        (v, "released", 2),
        (v, "unmarked", 1),
        (p, "attended", 4),
        (p, "no_show", 1),
    ]
    return [Tally(*key, outcome=o, count=n) for key, o, n in counts]


def test_rates_by_format_on_known_data() -> None:
    rows = {r.group: r for r in rate_table(_tallies(), lambda t: t.format)}
    virtual = rows["virtual"]
    assert virtual.made == 16
    assert virtual.booked_at_session == 10
    assert virtual.dropped_out == 8
    assert virtual.no_show_rate == Fraction(3, 10)
    assert virtual.drop_out_rate == Fraction(1, 2)
    in_person = rows["in_person"]
    assert in_person.no_show_rate == Fraction(1, 5)
    assert in_person.drop_out_rate == Fraction(1, 5)
    assert [r.group for r in rate_table(_tallies(), lambda t: t.format)] == [
        "in_person",
        "virtual",
    ]


def test_rates_by_organisation_sector_and_month_and_overall() -> None:
    tallies = _tallies()
    by_org = {r.group: r for r in rate_table(tallies, lambda t: t.organisation)}
    assert by_org["Northshire Police"].made == 16
    by_sector = {r.group: r for r in rate_table(tallies, lambda t: t.sector)}
    assert by_sector["education"].no_show_rate == Fraction(1, 5)
    by_month = {r.group: r for r in rate_table(tallies, lambda t: t.month)}
    assert set(by_month) == {"2026-03", "2026-04"}
    total = overall(tallies)
    assert total.made == 21
    assert total.no_show_rate == Fraction(4, 15)
    assert total.drop_out_rate == Fraction(9, 21)
    assert percent(total.no_show_rate) == Decimal("26.7")
    assert percent(total.drop_out_rate) == Decimal("42.9")


def test_no_rate_without_a_denominator() -> None:
    only_cancelled = RateRow(group="x", counts={"cancelled": 2})
    assert only_cancelled.no_show_rate is None
    assert only_cancelled.drop_out_rate == 1
    empty = RateRow(group="y")
    assert empty.drop_out_rate is None and percent(empty.no_show_rate) is None


def test_certificate_hours_are_the_course_length_at_most_what_the_session_ran() -> None:
    day = [(START, START + timedelta(hours=7))]
    assert certificate_hours(Decimal(6), day) == Decimal("6.00")
    short = [(START, START + timedelta(hours=2, minutes=50))]
    assert certificate_hours(Decimal(6), short) == Decimal("2.75")
    two_halves = [
        (START, START + timedelta(hours=3)),
        (START + timedelta(days=1), START + timedelta(days=1, hours=3, minutes=30)),
    ]
    assert certificate_hours(Decimal("6.5"), two_halves) == Decimal("6.50")
    assert certificate_hours(Decimal("3.5"), []) == Decimal("3.50")
