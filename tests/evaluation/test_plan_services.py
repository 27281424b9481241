"""The evaluation plan's services: the default waves, every refusal with a message saying what
to fix, nothing half-saved, and an audit entry for every change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditAction, AuditEntry
from tip.evaluation import selectors, services
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_a_new_plan_has_the_four_default_waves_in_order(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    waves = list(selectors.wave_list(plan=plan))
    assert [(w.name, w.kind, w.offset_days) for w in waves] == [
        ("Baseline", "baseline", -7),
        ("Straight after", "post", 0),
        ("Six months after", "follow_up", 182),
        ("Twelve months after", "follow_up", 365),
    ]
    assert all(w.partnership == world_a.partnership for w in waves)
    entries = AuditEntry.objects.filter(action=AuditAction.CREATE, partnership=world_a.partnership)
    assert entries.filter(object_type="evaluation.EvaluationPlan").count() == 1
    assert entries.filter(object_type="evaluation.Wave").count() == 4


def test_a_programme_has_one_plan_only(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    with pytest.raises(ValidationError) as exc:
        d.plan()
    assert "already has an evaluation plan" in exc.value.messages[0]
    assert EvaluationPlan.objects.count() == 1
    assert Wave.objects.count() == 4


def test_a_comparison_group_needs_saying_who_and_changes_are_audited(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    with pytest.raises(ValidationError) as exc:
        services.plan_update(plan=plan, comparison_group=True, by=d.lead)
    assert "who the comparison group will be" in _messages(exc)["comparison_description"][0]
    services.plan_update(
        plan=plan, comparison_group=True, comparison_description="Trained next year", by=d.lead
    )
    plan.refresh_from_db()
    assert plan.comparison_group and plan.comparison_description == "Trained next year"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("pk")
    assert entry.changed_fields == ["comparison_description", "comparison_group"]


@pytest.mark.parametrize(
    ("kind", "offset", "field", "words"),
    [
        ("baseline", 3, "offset_days", "A baseline is before the session or on its day"),
        ("follow_up", 0, "offset_days", "A follow-up is after the session"),
        ("post", -1, "offset_days", "cannot be before it"),
        ("follow_up", 1096, "offset_days", "from -90 (three months before the session)"),
        ("baseline", -91, "offset_days", "to 1095 (three years after)"),
        ("follow_up", "soon", "offset_days", "as a whole number"),
        ("later", 30, "kind", "baseline, straight after or a follow-up"),
    ],
)
def test_wave_timing_is_checked(
    world_a: World, kind: str, offset: object, field: str, words: str
) -> None:
    d = Planned(world_a)
    plan = d.plan()
    with pytest.raises(ValidationError) as exc:
        services.wave_create(plan=plan, name="Extra", kind=kind, offset_days=offset, by=d.lead)
    assert words in _messages(exc)[field][0]
    assert Wave.objects.count() == 4


def test_wave_names_are_unique_in_a_plan(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    with pytest.raises(ValidationError) as exc:
        services.wave_create(
            plan=plan, name="six months AFTER", kind="follow_up", offset_days=180, by=d.lead
        )
    assert "already has a wave called" in _messages(exc)["name"][0]
    wave = services.wave_create(
        plan=plan, name="Two years after", kind="follow_up", offset_days=730, by=d.lead
    )
    assert list(selectors.wave_list(plan=plan))[-1] == wave
    services.wave_update(
        wave=wave, name="Two years on", kind="follow_up", offset_days=730, by=d.lead
    )
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="evaluation.Wave", changed_fields=["name"]
    ).exists()


def test_the_last_wave_and_a_measures_only_wave_cannot_go(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    waves = d.waves(plan)
    d.measure(plan, offsets=(-7,))
    with pytest.raises(ValidationError) as exc:
        services.wave_delete(wave=waves[-7], by=d.lead)
    assert "the only wave of TIP knowledge" in exc.value.messages[0]
    for offset in (0, 182, 365):
        services.wave_delete(wave=waves[offset], by=d.lead)
    PlannedMeasure.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.wave_delete(wave=waves[-7], by=d.lead)
    assert "at least one wave" in exc.value.messages[0]
    assert Wave.objects.filter(plan=plan).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.DELETE).count() == 3


def test_a_measure_needs_an_instrument_and_version_in_the_library(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    waves = d.waves(plan)
    with pytest.raises(ValidationError) as exc:
        services.measure_create(
            plan=plan, instrument_id="artic", instrument_version=1, waves=[], by=d.lead
        )
    errors = _messages(exc)
    assert "no instrument “artic” in the library: choose one of" in errors["instrument_id"][0]
    assert "tip-kac" in errors["instrument_id"][0]
    assert "at least one wave" in errors["waves"][0]
    with pytest.raises(ValidationError) as exc:
        services.measure_create(
            plan=plan, instrument_id="tip-kac", instrument_version=2, waves=[waves[0]], by=d.lead
        )
    assert "use version 1" in _messages(exc)["instrument_version"][0]
    measure = d.measure(plan)
    assert (measure.instrument_id, measure.instrument_version) == ("tip-kac", 1)
    with pytest.raises(ValidationError) as exc:
        d.measure(plan)
    assert "already uses TIP knowledge" in _messages(exc)["instrument_id"][0]
    assert PlannedMeasure.objects.count() == 1


def test_a_measure_links_only_to_its_own_plan_and_programme(world_a: World) -> None:
    d = Planned(world_a)
    other = Planned(world_a, name="Another programme")
    plan, other_plan = d.plan(), other.plan()
    with pytest.raises(ValidationError) as exc:
        services.measure_create(
            plan=plan,
            instrument_id="tip-kac",
            instrument_version=1,
            waves=[other.waves(other_plan)[0]],
            outcomes=[other.outcome, d.activity],
            indicators=[other.indicator],
            by=d.lead,
        )
    errors = _messages(exc)
    assert "waves of this programme's evaluation plan" in errors["waves"][0]
    assert "outcomes of this programme's Theory of Change" in errors["outcomes"][0]
    assert "indicators of the outcomes in this programme" in errors["indicators"][0]
    assert not PlannedMeasure.objects.exists()
    assert not AuditEntry.objects.filter(object_type="evaluation.PlannedMeasure").exists()


def test_changing_a_measure_is_all_or_nothing_and_audited(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    waves = d.waves(plan)
    measure = d.measure(plan, offsets=(-7, 182))
    with pytest.raises(ValidationError):
        services.measure_update(
            measure=measure,
            instrument_id="tip-kac",
            instrument_version=1,
            waves=[waves[0]],
            outcomes=[d.activity],
            by=d.lead,
        )
    measure.refresh_from_db()
    assert {w.offset_days for w in measure.waves.all()} == {-7, 182}
    services.measure_update(
        measure=measure,
        instrument_id="tip-kac",
        instrument_version=1,
        waves=[waves[-7], waves[0], waves[365]],
        outcomes=[d.outcome],
        indicators=[],
        by=d.lead,
    )
    assert {w.offset_days for w in measure.waves.all()} == {-7, 0, 365}
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="evaluation.PlannedMeasure"
    ).get()
    assert entry.changed_fields == ["indicators", "waves"]
    services.measure_delete(measure=measure, by=d.lead)
    assert not PlannedMeasure.objects.exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.DELETE, object_type="evaluation.PlannedMeasure"
    ).exists()


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-7, "7 days before the session"),
        (-1, "1 day before the session"),
        (0, "On the day of the session"),
        (14, "14 days after the session"),
        (182, "About 6 months after the session (182 days)"),
        (365, "About 12 months after the session (365 days)"),
    ],
)
def test_timing_in_words(days: int, words: str) -> None:
    assert selectors.timing(days) == words
