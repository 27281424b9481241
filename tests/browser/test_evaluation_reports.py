"""The evaluation reports in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA checks
on pages full of charts and tables, no sideways scrolling at 320px in Welsh, no script errors;
and the report is read, and its PDF found, without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.report_helpers import seed_evaluation
from tip.core.roles import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    from tip.training import services_courses
    from tip.training.models_sessions import Session

    seeded = seed_evaluation(world_a, trained=30, comparison=20)
    p = seeded.planned.programme.pk
    course = services_courses.course_create(
        partnership=world_a.partnership,
        programme=seeded.planned.programme,
        name="Foundation day",
        hours=6,
        by=world_a.user(Role.PROGRAMME_LEAD),
    )
    Session.objects.create(
        partnership=world_a.partnership,
        course=course,
        course_version=course.versions.get(),
        title="Foundation day, March",
        format="in_person",
        capacity=20,
        status="published",
    )
    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(
        page,
        language,
        [
            (f"/evaluation/programmes/{p}/report/", 200),
            ("/evaluation/report/", 200),
            (f"/evaluation/courses/{course.pk}/report/", 200),
        ],
    )


def test_a_report_is_read_without_javascript(world_a: World, open_page: OpenPage) -> None:
    seeded = seed_evaluation(world_a, trained=12, comparison=8)
    page = open_page(user=world_a.user(Role.AUDITOR), language="en", javascript=False)
    visit(page, f"/evaluation/programmes/{seeded.planned.programme.pk}/report/")
    assert page.get_by_role("heading", name="Results on the Theory of Change").is_visible()
    page.get_by_text("How this was worked out").first.click()
    assert page.get_by_text("Assumptions").first.is_visible()
    link = page.get_by_role("link", name="Download this report (PDF)")
    assert (link.get_attribute("href", timeout=1000) or "").endswith("/report.pdf")
