"""The evaluation plan's pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA
checks, no sideways scrolling at 320px in Welsh, no script errors; a refused form shows its
error summary; and the plan is made without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, check_page, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_evaluation_plan_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    d = Planned(world_a)
    Planned(world_a, name="A programme without a plan")
    plan = d.plan(comparison_group=True, comparison_description="Staff trained next year")
    measure = d.measure(plan, offsets=(-7, 182))
    wave = d.waves(plan)[0]
    p = d.programme.pk
    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(
        page,
        language,
        [
            ("/evaluation/", 200),
            (f"/evaluation/programmes/{p}/", 200),
            (f"/evaluation/programmes/{p}/plan/", 200),
            (f"/evaluation/programmes/{p}/waves/new/", 200),
            (f"/evaluation/waves/{wave.pk}/", 200),
            (f"/evaluation/waves/{wave.pk}/remove/", 200),
            (f"/evaluation/programmes/{p}/measures/new/", 200),
            (f"/evaluation/measures/{measure.pk}/", 200),
            (f"/evaluation/measures/{measure.pk}/remove/", 200),
            (f"/programmes/{p}/", 200),
        ],
    )


def test_a_plan_is_made_without_javascript(world_a: World, open_page: OpenPage) -> None:
    d = Planned(world_a)
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), language="en", javascript=False)
    visit(page, f"/evaluation/programmes/{d.programme.pk}/")
    page.get_by_role("button", name="Create the evaluation plan").click()
    page.wait_for_load_state("load")
    check_page(page)
    page.get_by_label("Yes").check()
    submit(page, page.get_by_role("button", name="Create the plan"), status=400)
    assert page.locator(".govuk-error-summary").is_visible()
    page.fill("#id_comparison_description", "Staff trained next year")
    submit(page, page.get_by_role("button", name="Create the plan"))
    assert page.get_by_text("About 6 months after the session (182 days)").is_visible()
