"""What the evaluation plan tells the readiness check: a baseline with a measure, the latest
measured wave in months, and the comparison group; unknown without a plan."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.evaluation import services
from tip.evaluation.readiness_plan import plan_facts
from tip.programmes import services_readiness
from tip.programmes.readiness import RECORDED, Status, readiness_report
from tip.programmes.readiness_rules import load_rules


def _facts(d: Planned) -> dict[str, object]:
    return {f.key: f.value for f in plan_facts(d.programme)}


def _findings(d: Planned) -> dict[str, Status]:
    return {f.criterion.id: f.status for f in readiness_report(d.programme).findings}


def test_the_facts_are_declared_in_the_rules() -> None:
    known = load_rules().fact_ids
    assert {"baseline_planned", "latest_follow_up_months", "comparison_group_planned"} <= known


def test_without_a_plan_every_fact_is_unknown(world_a: World) -> None:
    d = Planned(world_a)
    facts = list(plan_facts(d.programme))
    assert {f.key: f.value for f in facts} == {
        "baseline_planned": None,
        "latest_follow_up_months": None,
        "comparison_group_planned": None,
    }
    assert all(f.weight == RECORDED and "no evaluation plan" in f.evidence for f in facts)
    found = _findings(d)
    assert found["evaluation_from_start"] is Status.UNKNOWN
    assert found["measured_six_months"] is Status.UNKNOWN
    assert found["comparison_group"] is Status.UNKNOWN


def test_a_plan_without_instruments_leaves_the_planning_answers_to_decide(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    assert _facts(d) == {
        "baseline_planned": None,
        "latest_follow_up_months": None,
        "comparison_group_planned": False,
    }
    services_readiness.readiness_answers_set(
        programme=d.programme,
        answers={"baseline_planned": {"answer": "yes"}},
        by=d.lead,
    )
    found = _findings(d)
    assert found["evaluation_from_start"] is Status.MET
    assert found["comparison_group"] is Status.NOT_MET


def test_a_baseline_and_a_six_month_follow_up_meet_the_cautions(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan(comparison_group=True, comparison_description="Trained next year")
    d.measure(plan, offsets=(-7, 0, 182))
    facts = _facts(d)
    assert facts == {
        "baseline_planned": True,
        "latest_follow_up_months": 6.0,
        "comparison_group_planned": True,
    }
    found = _findings(d)
    assert found["evaluation_from_start"] is Status.MET
    assert found["measured_six_months"] is Status.MET
    assert found["comparison_group"] is Status.MET


def test_measuring_only_straight_after_fails_both(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    d.measure(plan, offsets=(0,))
    # Recorded facts outrank the planning answers.
    services_readiness.readiness_answers_set(
        programme=d.programme,
        answers={"baseline_planned": {"answer": "yes"}, "latest_follow_up_months": {"answer": 12}},
        by=d.lead,
    )
    assert _facts(d)["baseline_planned"] is False
    assert _facts(d)["latest_follow_up_months"] == 0.0
    found = _findings(d)
    assert found["evaluation_from_start"] is Status.NOT_MET
    assert found["measured_six_months"] is Status.NOT_MET


@pytest.mark.parametrize(("days", "months", "met"), [(180, 5.9, False), (183, 6.0, True)])
def test_six_months_is_counted_in_days(world_a: World, days: int, months: float, met: bool) -> None:
    d = Planned(world_a)
    plan = d.plan()
    wave = services.wave_create(
        plan=plan, name="Half a year", kind="follow_up", offset_days=days, by=d.lead
    )
    services.measure_create(
        plan=plan,
        instrument_id="tip-practice-change",
        instrument_version=1,
        waves=[wave],
        by=d.lead,
    )
    assert _facts(d)["latest_follow_up_months"] == months
    assert (_findings(d)["measured_six_months"] is Status.MET) is met
