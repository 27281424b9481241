"""Providers, trainers, clearances, the planner and the delivery settings in real Chromium, in
English and Welsh: axe-core's WCAG 2.2 AA checks, no sideways scrolling at 320px in Welsh, no
script errors; and the planner's GET form works without JavaScript."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.conftest import OpenPage, check_page, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tip.core.roles import Role
from tip.training import services_clearances, services_providers

pytestmark = pytest.mark.browser


def _records(world: World) -> dict[str, int]:
    lead = world.user(Role.PROGRAMME_LEAD)
    provider = services_providers.provider_create(
        partnership=world.partnership, name="Safe Minds Ltd", kind="specialist", by=lead
    )
    trainer = services_providers.trainer_create(
        provider=provider, name="Asha Okafor", role="Clinical psychologist", by=lead
    )
    services_providers.trainer_answers_set(
        trainer=trainer, answers={"qualification": ("yes", "Doctorate")}, by=lead
    )
    clearance = services_clearances.clearance_create(
        trainer=trainer,
        clearance_type="dbs_enhanced",
        status="granted",
        issued_on=datetime.date(2025, 1, 6),
        expires_on=datetime.date(2028, 1, 6),
        by=lead,
    )
    setting = services_clearances.setting_create(
        partnership=world.partnership,
        name="Secondary schools",
        kind="school",
        required_clearances=["dbs_enhanced", "school_clearance"],
        by=lead,
    )
    return {
        "provider": provider.pk,
        "trainer": trainer.pk,
        "clearance": clearance.pk,
        "setting": setting.pk,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_provider_and_clearance_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    ids = _records(world_a)
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), language=language)
    sweep(
        page,
        language,
        [
            ("/training/", 200),
            ("/training/providers/", 200),
            ("/training/providers/new/", 200),
            (f"/training/providers/{ids['provider']}/", 200),
            (f"/training/providers/{ids['provider']}/edit/", 200),
            (f"/training/providers/{ids['provider']}/remove/", 200),
            (f"/training/providers/{ids['provider']}/trainers/new/", 200),
            (f"/training/trainers/{ids['trainer']}/", 200),
            (f"/training/trainers/{ids['trainer']}/edit/", 200),
            (f"/training/trainers/{ids['trainer']}/remove/", 200),
            (f"/training/trainers/{ids['trainer']}/answers/", 200),
            (f"/training/trainers/{ids['trainer']}/clearances/new/", 200),
            (f"/training/clearances/{ids['clearance']}/edit/", 200),
            (f"/training/clearances/{ids['clearance']}/remove/", 200),
            ("/training/clearances/", 200),
            ("/training/clearances/lead-times/", 200),
            ("/training/clearances/settings/new/", 200),
            (f"/training/clearances/settings/{ids['setting']}/edit/", 200),
            (f"/training/clearances/settings/{ids['setting']}/remove/", 200),
            ("/training/clearances/planner/", 200),
            ("/training/settings/", 200),
        ],
    )


def test_the_planner_works_without_javascript(world_a: World, open_page: OpenPage) -> None:
    _records(world_a)
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), language="en", javascript=False)
    visit(page, "/training/clearances/planner/")
    page.fill("#id_planned_on_year", "2030")
    submit(page, page.get_by_role("button", name="Show the plan"))
    assert "planned_on_year=2030" in page.url
    assert page.get_by_text("Expires on 6 January 2028, before the training.").is_visible()
    check_page(page)
