"""The partnership's instruments pages in real Chromium, in English and Welsh: axe-core's WCAG
2.2 AA checks, no sideways scrolling at 320px in Welsh, no script errors; a refused instrument
shows every problem in the error summary."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.test_partnership_instruments import BROKEN, add
from tip.core.roles import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_instrument_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    stored = add(world_a)
    page = open_page(user=world_a.user(Role.EVALUATOR), language=language)
    sweep(
        page,
        language,
        [
            ("/evaluation/instruments/", 200),
            ("/evaluation/instruments/new/", 200),
            (f"/evaluation/instruments/{stored.pk}/", 200),
            (f"/evaluation/instruments/{stored.pk}/remove/", 200),
        ],
    )


def test_a_broken_instrument_lists_its_problems(world_a: World, open_page: OpenPage) -> None:
    page = open_page(user=world_a.user(Role.EVALUATOR), language="en", javascript=False)
    visit(page, "/evaluation/instruments/new/")
    page.fill("#id_text", BROKEN)
    submit(page, page.get_by_role("button", name="Check and add the instrument"), status=400)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "title.cy" in summary.inner_text() and "items[0].scale" in summary.inner_text()
