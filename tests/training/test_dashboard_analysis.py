"""The delivery dashboard's arithmetic on known data (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tip.training.analysis.dashboard import (
    Count,
    Target,
    Trained,
    breakdown,
    is_low_booking,
    matches,
    progress,
    progress_percent,
    total,
    withhold_small,
)
from tip.training.dashboard_chart import Bar, render_bars

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

# Five people, each of their own kind.
PEOPLE = [
    Trained("police", 10, "frontline", 1),
    Trained("police", 10, "senior_leaders", 1),
    Trained("police", 11, "frontline", 1),
    Trained("education", 20, "support_staff", 1),
    Trained("education", 20, "", 1),
]


def test_kinds_of_person_count_as_many_people_as_they_hold() -> None:
    kinds = [Trained("police", 10, "frontline", 4), Trained("police", 11, "frontline", 3)]
    assert total(kinds) == 7
    assert breakdown(kinds, lambda k: k.sector) == [Count("police", 7, 7)]
    assert breakdown(kinds, lambda k: k.organisation) == [Count(10, 4, 4), Count(11, 3, 3)]
    assert [p.trained for p in progress([Target(1, 10, staff_group="frontline")], kinds)] == [7]


def test_a_target_counts_the_people_matching_every_part_it_names() -> None:
    targets = [
        Target(1, 600),
        Target(2, 3, sector="police"),
        Target(3, 4, organisation=10),
        Target(4, 2, sector="police", staff_group="frontline"),
        Target(5, 1, staff_group="support_staff"),
        Target(6, 5, organisation=99),
    ]
    result = progress(targets, PEOPLE)
    assert [p.trained for p in result] == [5, 3, 2, 2, 1, 0]
    assert [p.met for p in result] == [False, True, False, True, True, False]
    assert [p.percent for p in result] == [
        Decimal(1),
        Decimal(100),
        Decimal(50),
        Decimal(100),
        Decimal(100),
        Decimal(0),
    ]
    assert matches(Target(7, 1, staff_group=""), PEOPLE[4])


def test_progress_rounds_half_up_and_may_pass_a_hundred() -> None:
    assert progress_percent(1, 8) == Decimal(13)  # 12.5
    assert progress_percent(3, 2) == Decimal(150)
    assert progress_percent(0, 0) == Decimal(0)


def test_breakdowns_are_largest_first_with_not_given_as_its_own_group() -> None:
    assert breakdown(PEOPLE, lambda p: p.sector) == [
        Count("police", 3, 3),
        Count("education", 2, 2),
    ]
    groups = breakdown(PEOPLE, lambda p: p.staff_group)
    assert groups[0] == Count("frontline", 2, 2)
    assert Count("", 1, 1) in groups


def test_small_counts_are_withheld_with_the_next_smallest_when_alone() -> None:
    rows = [Count(1, 12, 12), Count(2, 7, 7), Count(3, 3, 3), Count(4, 0, 0)]
    shown = [r.shown for r in withhold_small(rows)]
    # 3 alone would be 22 minus the others: the next smallest (7) goes too; 0 stays.
    assert shown == [12, None, None, 0]
    two = [Count(1, 9, 9), Count(2, 4, 4), Count(3, 1, 1)]
    assert [r.shown for r in withhold_small(two)] == [9, None, None]
    assert [r.shown for r in withhold_small([Count(1, 5, 5)])] == [5]
    assert [r.shown for r in withhold_small([Count(1, 2, 2)])] == [None]


def test_low_bookings_are_under_half_full_within_fourteen_days() -> None:
    now = T0
    soon = now + timedelta(days=14)
    assert is_low_booking(capacity=20, taken=9, starts_at=soon, now=now)
    assert not is_low_booking(capacity=20, taken=10, starts_at=soon, now=now)  # exactly half
    assert is_low_booking(capacity=5, taken=2, starts_at=soon, now=now)  # 2 < 2.5
    assert not is_low_booking(capacity=20, taken=0, starts_at=soon + timedelta(minutes=1), now=now)
    assert not is_low_booking(capacity=20, taken=0, starts_at=now, now=now)  # started
    assert is_low_booking(capacity=20, taken=0, starts_at=soon, now=now, days=14)


def test_the_chart_writes_every_number_and_escapes_labels() -> None:
    svg = render_bars(
        [
            Bar("Police & <fire>", 3, "3 of 10 (30%)", target=10),
            Bar("Riverside", None, "fewer than 5"),
        ],
        chart_id="chart-x",
        title="People trained",
        description="Bars",
        empty="Nobody",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert "Police &amp; &lt;fire&gt;" in svg
    assert "3 of 10 (30%)" in svg and "fewer than 5" in svg
    assert svg.count("<rect") == 2  # the target's outline and one filled bar; none withheld
    assert "Nobody" in render_bars([], chart_id="e", title="t", description="d", empty="Nobody")
