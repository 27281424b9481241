"""The cascade's pure logic: a trainer's status from their certification and observations, out
of date with the content, the tree of who trained whom, and the quality-assurance summary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tip.training.analysis.cascade import (
    CERTIFIED,
    LAPSED,
    OBSERVATION_DUE,
    cascade_tree,
    is_out_of_date,
    qa_summary,
    standing,
)

CERTIFIED_ON = date(2026, 1, 5)


def on(days: int) -> date:
    return CERTIFIED_ON + timedelta(days=days)


def status(today: date, *observed: date, due: int = 90, lapses: int = 365) -> str:
    return standing(
        certified_on=CERTIFIED_ON,
        observed_on=observed,
        today=today,
        observation_due_days=due,
        certification_lapses_days=lapses,
    ).status


def test_a_new_trainer_is_certified_until_their_first_observation_falls_due() -> None:
    assert status(on(0)) == CERTIFIED
    assert status(on(89)) == CERTIFIED
    assert status(on(90)) == OBSERVATION_DUE
    assert status(on(364)) == OBSERVATION_DUE
    assert status(on(365)) == LAPSED


def test_an_observation_renews_the_certification_from_its_date() -> None:
    s = standing(certified_on=CERTIFIED_ON, observed_on=[on(100)], today=on(200))
    assert s.status == CERTIFIED and s.observed and s.last_observed_on == on(100)
    assert s.lapses_on == on(465)
    # Due again observation_due_days before it would lapse.
    assert s.observation_due_on == on(375)
    assert status(on(375), on(100)) == OBSERVATION_DUE
    assert status(on(465), on(100)) == LAPSED


def test_observations_before_certification_or_in_the_future_do_not_count() -> None:
    assert status(on(120), on(-10)) == OBSERVATION_DUE
    assert status(on(120), on(130)) == OBSERVATION_DUE
    assert status(on(120), None) == OBSERVATION_DUE  # type: ignore[arg-type]


def test_the_partnerships_settings_change_the_dates() -> None:
    assert status(on(31), due=30, lapses=60) == OBSERVATION_DUE
    assert status(on(60), due=30, lapses=60) == LAPSED
    # Lapsing sooner than the first observation is due: due when it lapses.
    assert status(on(20), due=90, lapses=20) == LAPSED
    with pytest.raises(ValueError):
        standing(certified_on=CERTIFIED_ON, observed_on=[], today=on(1), observation_due_days=-1)


def test_out_of_date_until_the_latest_version_is_acknowledged() -> None:
    assert not is_out_of_date(certified_version=2, latest_version=2)
    assert is_out_of_date(certified_version=1, latest_version=2)
    assert is_out_of_date(certified_version=1, latest_version=3, acknowledged=[2])
    assert not is_out_of_date(certified_version=1, latest_version=3, acknowledged=[2, 3])


def _shape(nodes: list) -> list:  # type: ignore[type-arg]
    return [(n.key, _shape(n.children)) for n in nodes]


def test_the_tree_puts_each_trainer_under_whoever_trained_them() -> None:
    tree = cascade_tree(
        ["amara", "rhys", "jade", "sam"], {"rhys": "amara", "jade": "amara", "sam": "rhys"}
    )
    assert _shape(tree) == [("amara", [("rhys", [("sam", [])]), ("jade", [])])]


def test_the_tree_survives_bad_data_with_every_trainer_once() -> None:
    keys = ["a", "b", "c", "d", "e"]
    # a and b trained each other; c trained itself; d's trainer is not in the cascade.
    tree = cascade_tree(keys, {"a": "b", "b": "a", "c": "c", "d": "zed", "e": "d"})
    seen = [n.key for root in tree for n in root.walk()]
    assert sorted(seen) == keys
    assert _shape(tree) == [("a", []), ("b", []), ("c", []), ("d", [("e", [])])]


def test_quality_assurance_is_in_place_when_everyone_is_observed_or_not_yet_due() -> None:
    today = on(120)
    observed = standing(certified_on=CERTIFIED_ON, observed_on=[on(100)], today=today)
    new = standing(certified_on=on(100), observed_on=[], today=today)
    due = standing(certified_on=CERTIFIED_ON, observed_on=[], today=today)
    lapsed = standing(certified_on=on(-400), observed_on=[], today=today)
    assert qa_summary([]).in_place is None
    assert qa_summary([observed, new]).in_place is True
    assert qa_summary([observed, due]).in_place is None
    summary = qa_summary([observed, new, due, lapsed])
    assert summary.in_place is False
    assert (summary.trainers, summary.observed, summary.not_yet_due, summary.due) == (4, 1, 1, 1)
    assert summary.lapsed == 1
