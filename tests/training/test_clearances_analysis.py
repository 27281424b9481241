"""The clearance date arithmetic and the trainers' key-criteria check: pure Python, no database."""

from __future__ import annotations

from datetime import date

import pytest

from tip.training.analysis.clearances import (
    Held,
    Requirement,
    Risk,
    State,
    apply_by,
    check,
    check_all,
    uplifted_days,
)
from tip.training.analysis.trainers import key_criteria_gaps, team_check

TODAY = date(2026, 3, 2)
SESSION = date(2026, 6, 1)
ENHANCED = Requirement("dbs_enhanced", 28)


def held(code: str, *, granted: bool = True, **dates: date | None) -> Held:
    covers = {"dbs_enhanced_barred": {"dbs_enhanced", "dbs_standard", "dbs_basic"}}
    return Held(code, granted, frozenset({code, *covers.get(code, set())}), **dates)


def test_the_uplift_rounds_up_to_whole_days() -> None:
    assert uplifted_days(28, 50) == 42
    assert uplifted_days(14, 0) == 14
    assert uplifted_days(15, 50) == 23  # 22.5 days is planned as 23
    assert uplifted_days(1, 1) == 2
    with pytest.raises(ValueError):
        uplifted_days(-1, 50)


def test_the_latest_day_to_apply_counts_back_the_uplifted_lead_time() -> None:
    assert apply_by(SESSION, 28, 50) == date(2026, 4, 20)
    # Across the clocks going forward (29 March 2026): whole days, not hours.
    assert apply_by(date(2026, 4, 10), 14, 0) == date(2026, 3, 27)
    # Across a leap day.
    assert apply_by(date(2028, 3, 1), 2, 0) == date(2028, 2, 28)


def test_a_granted_clearance_valid_on_the_day_is_ready() -> None:
    got = check(
        ENHANCED,
        [held("dbs_enhanced", issued_on=date(2025, 1, 1), expires_on=SESSION)],
        needed_on=SESSION,
        today=TODAY,
        optimism_bias_percent=50,
    )
    assert got.state is State.READY and got.risk is Risk.NONE and got.ready


def test_a_higher_level_covers_a_lower_one_but_not_the_reverse() -> None:
    barred = [held("dbs_enhanced_barred", issued_on=date(2025, 1, 1))]
    kw = {"needed_on": SESSION, "today": TODAY, "optimism_bias_percent": 50}
    assert check(ENHANCED, barred, **kw).ready  # type: ignore[arg-type]
    basic = [held("dbs_basic", issued_on=date(2025, 1, 1))]
    assert check(ENHANCED, basic, **kw).state is State.MISSING  # type: ignore[arg-type]


def test_a_clearance_expiring_the_day_before_is_not_enough() -> None:
    got = check(
        ENHANCED,
        [held("dbs_enhanced", issued_on=date(2024, 1, 1), expires_on=date(2026, 5, 31))],
        needed_on=SESSION,
        today=TODAY,
        optimism_bias_percent=50,
    )
    assert got.state is State.EXPIRES
    assert got.apply_by == date(2026, 4, 20) and got.risk is Risk.ACTION


def test_missing_is_at_risk_once_the_latest_day_to_apply_has_passed() -> None:
    kw = {"needed_on": SESSION, "optimism_bias_percent": 50}
    in_time = check(ENHANCED, [], today=date(2026, 4, 20), **kw)  # type: ignore[arg-type]
    assert in_time.state is State.MISSING and in_time.risk is Risk.ACTION
    late = check(ENHANCED, [], today=date(2026, 4, 21), **kw)  # type: ignore[arg-type]
    assert late.risk is Risk.AT_RISK and late.apply_by == date(2026, 4, 20)


def test_an_application_is_waiting_or_at_risk_by_when_it_is_expected() -> None:
    applied = [held("dbs_enhanced", granted=False, applied_on=date(2026, 4, 1))]
    kw = {"today": TODAY, "optimism_bias_percent": 50}
    got = check(ENHANCED, applied, needed_on=SESSION, **kw)  # type: ignore[arg-type]
    assert got.state is State.APPLIED and got.expected_on == date(2026, 5, 13)
    assert got.risk is Risk.WAITING
    soon = check(ENHANCED, applied, needed_on=date(2026, 5, 12), **kw)  # type: ignore[arg-type]
    assert soon.risk is Risk.AT_RISK


def test_a_clearance_issued_after_the_day_does_not_count_for_it() -> None:
    later = [held("dbs_enhanced", issued_on=date(2026, 7, 1))]
    got = check(ENHANCED, later, needed_on=SESSION, today=TODAY, optimism_bias_percent=0)
    assert got.state is State.MISSING


def test_check_all_keeps_the_order_of_the_requirements() -> None:
    reqs = [Requirement("nppv2", 56), ENHANCED]
    got = check_all(reqs, [], needed_on=SESSION, today=TODAY, optimism_bias_percent=50)
    assert [c.code for c in got] == ["nppv2", "dbs_enhanced"]
    assert got[0].planned_days == 84


def test_key_criteria_gaps_name_each_unmet_criterion_and_its_answer() -> None:
    answers = {"qualification": "yes", "support": "partly"}
    assert key_criteria_gaps(answers, ["qualification", "support", "experience"]) == [
        ("support", "partly"),
        ("experience", "unknown"),
    ]


def test_a_team_needs_two_trainers_meeting_the_key_criteria() -> None:
    keys, every = ["q", "s"], ["q", "s", "lived"]
    one = team_check(
        {"Asha": {"q": "yes", "s": "yes"}, "Ben": {"q": "yes", "s": "no"}},
        key_codes=keys,
        all_codes=every,
    )
    assert one.meeting == ["Asha"] and not one.enough
    assert one.trainers[1].gaps == (("s", "no"),)
    assert one.uncovered == ("lived",)
    two = team_check(
        {"Asha": {"q": "yes", "s": "yes"}, "Cy": {"q": "yes", "s": "yes", "lived": "yes"}},
        key_codes=keys,
        all_codes=every,
    )
    assert two.enough and two.uncovered == ()
