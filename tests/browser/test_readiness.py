"""The readiness check's pages in real Chromium, in English and Welsh: the report with all three
results, the planning questions, and the form showing its errors, all through axe-core."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tip.core.roles import Role
from tip.programmes import services
from tip.programmes.services_readiness import readiness_answers_set

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_readiness_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    p = services.programme_create(
        partnership=world_a.partnership, name="Trauma-informed policing", aims="Calm", by=lead
    )
    readiness_answers_set(
        programme=p,
        answers={
            "course_hours": {"answer": 3},
            "screening_for_triage": {"answer": "no", "details": "Full assessments only."},
        },
        by=lead,
    )
    page = open_page(user=lead, language=language)
    base = f"/programmes/{p.pk}/readiness"
    sweep(page, language, [(f"{base}/", 200), (f"{base}/plan/", 200)])

    # A number the form cannot read: the error summary and the field's message pass axe too.
    page.fill("#id_course_hours", "a day")
    submit(page, page.locator("main form[method=post] button.govuk-button"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#id_course_hours-error").is_visible()
