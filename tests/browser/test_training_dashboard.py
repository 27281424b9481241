"""A programme's delivery dashboard and its targets in real Chromium, in English and Welsh:
axe-core's WCAG 2.2 AA checks (the SVG charts included) and no sideways scrolling at 320px (the
dashboard in both languages); a duplicate target refused without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training.test_dashboard import Delivery, _past_sessions
from tip.core.roles import Role
from tip.training import services_dashboard as services
from tip.training.models_followups import TrainingTarget

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    d = Delivery(world_a)
    _past_sessions(d)
    target = services.target_create(programme=d.programme, sector="education", people=40, by=d.lead)
    services.target_create(programme=d.programme, organisation=d.police, people=12, by=d.lead)
    programme = d.programme.pk
    page = open_page(user=d.lead, language=language)
    paths = [
        ("/training/dashboards/", 200),
        (f"/training/programmes/{programme}/dashboard/", 200),
        (f"/training/programmes/{programme}/targets/", 200),
        (f"/training/targets/{target.pk}/", 200),
        (f"/training/targets/{target.pk}/remove/", 200),
    ]
    sweep(page, language, paths)
    # An evaluator's dashboard, with small counts withheld.
    evaluator = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(evaluator, language, paths[:2])
    # The dashboard at 320px in English too (Welsh is already swept at 320px).
    page.set_viewport_size(PHONE)
    visit(page, f"/training/programmes/{programme}/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_lead_sets_targets_without_javascript(world_a: World, open_page: OpenPage) -> None:
    d = Delivery(world_a)
    page = open_page(user=d.lead, javascript=False)
    visit(page, f"/training/programmes/{d.programme.pk}/targets/")
    page.get_by_label("Group of staff (optional)").select_option("senior_leaders")
    page.get_by_label("People to train").fill("15")
    submit(page, page.get_by_role("button", name="Add the target"))
    assert "Target added: 15 for Senior leaders" in page.inner_text("body")
    page.get_by_label("Group of staff (optional)").select_option("senior_leaders")
    page.get_by_label("People to train").fill("20")
    submit(page, page.get_by_role("button", name="Add the target"), status=400)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "already has a target for Senior leaders" in summary
    assert TrainingTarget.objects.get().people == 15
    visit(page, f"/training/programmes/{d.programme.pk}/dashboard/")
    assert "Senior leaders" in page.inner_text("main")
