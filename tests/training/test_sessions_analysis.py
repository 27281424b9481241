"""The pure time logic of sessions: London wall-clock times across the clock changes, and
overlaps between trainers' sessions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from tip.training.analysis.sessions import (
    Interval,
    NonexistentTime,
    clashes,
    from_london,
    overlaps,
    to_london,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_winter_and_summer_times_convert_with_their_offsets() -> None:
    assert from_london(date(2027, 1, 12), time(9, 30)).utc == utc(2027, 1, 12, 9, 30)
    assert from_london(date(2027, 6, 12), time(9, 30)).utc == utc(2027, 6, 12, 8, 30)
    assert not from_london(date(2027, 6, 12), time(9, 30)).ambiguous


@pytest.mark.parametrize("at", [time(1, 0), time(1, 30), time(1, 59)])
def test_a_time_the_spring_change_skips_is_refused(at: time) -> None:
    with pytest.raises(NonexistentTime) as refused:
        from_london(date(2026, 3, 29), at)
    assert refused.value.day == date(2026, 3, 29) and refused.value.at == at
    assert f"{at:%H:%M}" in str(refused.value)


def test_times_either_side_of_the_spring_change_exist() -> None:
    assert from_london(date(2026, 3, 29), time(0, 59)).utc == utc(2026, 3, 29, 0, 59)
    assert from_london(date(2026, 3, 29), time(2, 0)).utc == utc(2026, 3, 29, 1, 0)


def test_a_time_the_autumn_change_repeats_is_read_as_the_first_in_summer_time() -> None:
    read = from_london(date(2026, 10, 25), time(1, 30))
    assert read.ambiguous
    assert read.utc == utc(2026, 10, 25, 0, 30)  # 01:30 BST, not 01:30 GMT
    assert not from_london(date(2026, 10, 25), time(2, 30)).ambiguous
    assert to_london(read.utc).hour == 1


def test_to_london_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError):
        to_london(datetime(2027, 1, 1, 9))


def test_overlap_needs_shared_time_not_a_shared_moment() -> None:
    morning = Interval(utc(2027, 1, 12, 9), utc(2027, 1, 12, 12))
    afternoon = Interval(utc(2027, 1, 12, 12), utc(2027, 1, 12, 15))
    lunch_over = Interval(utc(2027, 1, 12, 11, 30), utc(2027, 1, 12, 13))
    inside = Interval(utc(2027, 1, 12, 10), utc(2027, 1, 12, 11))
    assert not overlaps(morning, afternoon) and not overlaps(afternoon, morning)
    assert overlaps(morning, lunch_over) and overlaps(lunch_over, afternoon)
    assert overlaps(morning, inside) and overlaps(inside, morning)


def test_clashes_name_each_other_session_and_part_earliest_first() -> None:
    mine = [
        Interval(utc(2027, 1, 12, 9), utc(2027, 1, 12, 12)),
        Interval(utc(2027, 1, 19, 9), utc(2027, 1, 19, 12)),
    ]
    others = {
        "late": [Interval(utc(2027, 1, 19, 11), utc(2027, 1, 19, 13))],
        "early": [Interval(utc(2027, 1, 12, 8), utc(2027, 1, 12, 9, 30))],
        "apart": [Interval(utc(2027, 1, 12, 12), utc(2027, 1, 12, 14))],
    }
    found = clashes(mine, others)
    assert [c.other for c in found] == ["early", "late"]
    assert found[1].mine == mine[1] and found[1].theirs == others["late"][0]
    assert clashes([], others) == [] and clashes(mine, {}) == []
