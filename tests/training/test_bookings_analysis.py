"""The booking time rules, without Django: re-confirmation asks and deadlines, offer expiry, late
cancellation and when check-in requests are deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tip.training.analysis import bookings as rules

START = datetime(2027, 3, 10, 9, 30, tzinfo=UTC)


def test_defaults_by_format_and_a_sessions_own_days() -> None:
    assert rules.reconfirm_days("virtual", []) == (7, 2)
    assert rules.reconfirm_days("in_person", None) == (7,)
    assert rules.reconfirm_days("hybrid", []) == (7,)
    assert rules.reconfirm_days("virtual", [2, 10, 2, 0, -1]) == (10, 2)


def test_each_ask_is_due_by_the_next_and_the_last_24_hours_before() -> None:
    first, second = rules.reconfirm_asks(START, [7, 2])
    assert first.asks_at == START - timedelta(days=7)
    assert first.confirm_by == second.asks_at == START - timedelta(days=2)
    assert second.confirm_by == START - timedelta(hours=24)


def test_a_deadline_gives_at_least_24_hours_and_never_passes_the_start() -> None:
    [ask] = rules.reconfirm_asks(START, [1])
    assert ask.asks_at == START - timedelta(days=1)
    assert ask.confirm_by == START  # 24 hours after the ask, which is the start
    close = rules.reconfirm_asks(START, [3, 2])
    assert close[0].confirm_by == START - timedelta(days=2)  # the next ask, a day later


def test_the_due_ask_and_who_needs_asking() -> None:
    asks = rules.reconfirm_asks(START, [7, 2])
    assert rules.due_ask(asks, START - timedelta(days=8)) is None
    assert rules.due_ask(asks, START - timedelta(days=6)) == asks[0]
    assert rules.due_ask(asks, START - timedelta(days=2)) == asks[1]
    assert rules.due_ask(asks, START - timedelta(hours=12)) is None
    ask = asks[0]
    before = ask.asks_at - timedelta(days=1)
    assert rules.needs_asking(ask, confirmed_at=before, confirm_by=None, booked_at=before)
    # Booked after the ask went out: booking was confirming.
    assert not rules.needs_asking(
        ask, confirmed_at=None, confirm_by=None, booked_at=ask.asks_at + timedelta(hours=1)
    )
    # Confirmed since the ask, or already sent it.
    assert not rules.needs_asking(
        ask, confirmed_at=ask.asks_at + timedelta(hours=1), confirm_by=None, booked_at=before
    )
    assert not rules.needs_asking(
        ask, confirmed_at=before, confirm_by=ask.confirm_by, booked_at=before
    )


def test_next_wake() -> None:
    asks = rules.reconfirm_asks(START, [7, 2])
    assert rules.next_wake(asks, START - timedelta(days=10)) == START - timedelta(days=7)
    assert rules.next_wake(asks, START - timedelta(days=3)) == START - timedelta(days=2)
    assert rules.next_wake(asks, START) is None


def test_offer_expiry_and_late_cancellation() -> None:
    now = START - timedelta(days=5)
    assert rules.offer_expiry(now, 48, START) == now + timedelta(hours=48)
    assert rules.offer_expiry(START - timedelta(hours=10), 48, START) == START
    assert rules.is_late_cancellation(START - timedelta(hours=47), START)
    assert not rules.is_late_cancellation(START - timedelta(hours=49), START)


def test_check_in_requests_are_kept_for_the_retention_days() -> None:
    assert rules.check_in_delete_after(date(2027, 3, 11), 7) == date(2027, 3, 18)
