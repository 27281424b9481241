"""Clearances: validation that names the problem, the check sessions will call, lead times and
the optimism-bias uplift per partnership, and the planner page."""

from __future__ import annotations

import html
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.conftest import World, signed_in_client
from tip.core.models import AuditAction, AuditEntry, Membership, User
from tip.core.roles import Role
from tip.training import selectors_clearances as selectors
from tip.training import services_clearances as services
from tip.training import services_providers
from tip.training.clearance_types import DataFileError, clearance_types, load_clearance_types
from tip.training.models_clearances import DeliverySetting
from tip.training.models_providers import Trainer

TODAY = services.london_today()


@pytest.fixture
def trainer(world_a: World) -> Trainer:
    by = world_a.user(Role.PROGRAMME_LEAD)
    provider = services_providers.provider_create(
        partnership=world_a.partnership, name="Safe Minds", kind="specialist", by=by
    )
    return services_providers.trainer_create(provider=provider, name="Asha Okafor", by=by)


@pytest.fixture
def school(world_a: World) -> DeliverySetting:
    return services.setting_create(
        partnership=world_a.partnership,
        name="Secondary schools",
        kind="school",
        required_clearances=["school_clearance", "dbs_enhanced"],
        by=world_a.user(Role.PROGRAMME_LEAD),
    )


def grant(trainer: Trainer, code: str, expires_on: date | None = None) -> None:
    services.clearance_create(
        trainer=trainer,
        clearance_type=code,
        status="granted",
        issued_on=TODAY - timedelta(days=100),
        expires_on=expires_on,
        by=_lead(trainer),
    )


def _lead(trainer: Trainer) -> User:
    return Membership.objects.get(
        partnership=trainer.partnership, roles__role=Role.PROGRAMME_LEAD
    ).user


def test_the_clearance_types_file_has_dbs_police_vetting_and_settings() -> None:
    types = clearance_types()
    assert {t.family for t in types.values()} == {"dbs", "police_vetting", "setting"}
    assert types["dbs_enhanced_barred"].satisfies("dbs_enhanced")
    assert not types["dbs_enhanced"].satisfies("dbs_enhanced_barred")
    assert types["nppv3"].satisfies("nppv1")
    assert all(t.name("cy") != t.name("en") for t in types.values())


def test_a_type_covering_an_unknown_code_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "types.yaml"
    bad.write_text(
        "clearance_types:\n  - code: a\n    family: dbs\n    lead_time_days: 3\n"
        "    name: {en: A, cy: B}\n    covers: [zz]\n"
    )
    with pytest.raises(DataFileError, match=r"clearance type 1 \(a\): covers 'zz'"):
        load_clearance_types(bad)


def test_messages_name_the_problem_with_the_dates(trainer: Trainer) -> None:
    by = _lead(trainer)
    with pytest.raises(ValidationError) as exc:
        services.clearance_create(
            trainer=trainer,
            clearance_type="dbs_enhanced",
            status="granted",
            issued_on=date(2025, 3, 1),
            expires_on=date(2025, 3, 1),
            by=by,
        )
    assert exc.value.message_dict["expires_on"] == [
        "The expiry date must be after the date issued (1 March 2025)"
    ]
    with pytest.raises(ValidationError) as exc:
        services.clearance_create(
            trainer=trainer, clearance_type="dbs_enhanced", status="granted", by=by
        )
    assert "Enter the date the clearance was issued" in exc.value.message_dict["issued_on"]
    with pytest.raises(ValidationError) as exc:
        services.clearance_create(
            trainer=trainer, clearance_type="astral_projection", status="applied", by=by
        )
    assert set(exc.value.message_dict) == {"clearance_type", "applied_on"}


def test_problems_list_what_is_missing_applied_for_or_expiring(
    trainer: Trainer, school: DeliverySetting
) -> None:
    on = TODAY + timedelta(days=60)
    problems = services.trainer_clearance_problems(trainer=trainer, setting=school, on_date=on)
    assert [(p.clearance_type, p.kind) for p in problems] == [
        ("dbs_enhanced", "missing"),
        ("school_clearance", "missing"),
    ]
    assert problems[0].message == (
        "Asha Okafor does not have the Enhanced DBS check needed in Secondary schools."
    )
    # A higher level counts; one that lapses before the day does not.
    grant(trainer, "dbs_enhanced_barred", expires_on=on - timedelta(days=1))
    services.clearance_create(
        trainer=trainer,
        clearance_type="school_clearance",
        status="applied",
        applied_on=TODAY,
        by=_lead(trainer),
    )
    problems = services.trainer_clearance_problems(trainer=trainer, setting=school, on_date=on)
    assert [p.kind for p in problems] == ["expires", "applied"]
    assert "expires on" in problems[0].message and problems[0].expires_on == on - timedelta(days=1)
    with translation.override("cy"):
        welsh = services.trainer_clearance_problems(trainer=trainer, setting=school, on_date=on)
    assert "Gwiriad DBS manylach" in welsh[0].message


def test_no_problems_once_everything_is_granted_and_valid(
    trainer: Trainer, school: DeliverySetting
) -> None:
    grant(trainer, "dbs_enhanced")
    grant(trainer, "school_clearance", expires_on=TODAY + timedelta(days=365))
    assert not services.trainer_clearance_problems(
        trainer=trainer, setting=school, on_date=TODAY + timedelta(days=30)
    )


def test_a_trainer_and_setting_of_different_partnerships_are_refused(
    trainer: Trainer, world_b: World
) -> None:
    theirs = services.setting_create(
        partnership=world_b.partnership,
        name="Bravo schools",
        kind="school",
        required_clearances=[],
        by=world_b.user(Role.PROGRAMME_LEAD),
    )
    with pytest.raises(ValueError):
        services.trainer_clearance_problems(trainer=trainer, setting=theirs, on_date=TODAY)


def test_lead_times_and_the_uplift_are_set_per_partnership(world_a: World, world_b: World) -> None:
    by = world_a.user(Role.PROGRAMME_LEAD)
    services.clearance_planning_set(
        partnership=world_a.partnership,
        lead_times={"dbs_enhanced": 40, "nppv1": None},
        optimism_bias_percent=25,
        by=by,
    )
    assert selectors.lead_times(partnership=world_a.partnership)["dbs_enhanced"] == 40
    assert selectors.optimism_bias(partnership=world_a.partnership) == 25
    assert selectors.lead_times(partnership=world_b.partnership)["dbs_enhanced"] == 28
    assert selectors.optimism_bias(partnership=world_b.partnership) == 50
    assert AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="training.LeadTimeOverride"
    ).exists()
    with pytest.raises(ValidationError) as exc:
        services.clearance_planning_set(
            partnership=world_a.partnership,
            lead_times={"dbs_enhanced": 0},
            optimism_bias_percent=-1,
            by=by,
        )
    assert set(exc.value.message_dict) == {"dbs_enhanced", "optimism_bias_percent"}


def test_the_planner_shows_what_is_at_risk_and_the_latest_day_to_apply(
    world_a: World, trainer: Trainer, school: DeliverySetting
) -> None:
    grant(trainer, "dbs_enhanced")
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    planned = TODAY + timedelta(days=60)
    response = client.get(
        reverse("training:clearance-planner"),
        {
            "setting": school.pk,
            "planned_on_day": planned.day,
            "planned_on_month": planned.month,
            "planned_on_year": planned.year,
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    # School clearance: 14 days, uplifted by 50% to 21 days before the training.
    apply_by = planned - timedelta(days=21)
    assert f"Apply by {apply_by.day} {apply_by:%B %Y} (planned lead time 21 days)" in page
    assert "Ready" in page and "Asha Okafor" in page
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, purpose__contains="planning").exists()


def test_the_planner_names_a_bad_date(world_a: World, school: DeliverySetting) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.get(
        reverse("training:clearance-planner"),
        {"setting": school.pk, "planned_on_day": "31", "planned_on_month": "2"},
    )
    assert response.status_code == 400
    assert "The date of the training must include a year" in html.unescape(
        response.content.decode()
    )


def test_the_clearance_form_shows_the_date_problem_against_the_field(
    world_a: World, trainer: Trainer
) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    response = client.post(
        reverse("training:clearance-create", kwargs={"trainer_id": trainer.pk}),
        {
            "clearance_type": "nppv2",
            "status": "granted",
            "issued_on_day": "5",
            "issued_on_month": "5",
            "issued_on_year": "2025",
            "expires_on_day": "1",
            "expires_on_month": "5",
            "expires_on_year": "2025",
        },
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert '<a href="#id_expires_on_day">The expiry date must be after the date issued' in page
