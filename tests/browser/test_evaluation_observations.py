"""The observation and export pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2
AA checks, no sideways scrolling at 320px in Welsh, no script errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.export_helpers import observed
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_observation_and_export_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    d = Planned(world_a)
    plan = d.plan()
    observation = observed(plan, by=world_a.user(Role.EVALUATOR))
    p, o = d.programme.pk, observation.pk
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), language=language)
    sweep(
        page,
        language,
        [
            (f"/evaluation/programmes/{p}/observations/", 200),
            (f"/evaluation/programmes/{p}/observations/new/", 200),
            (f"/evaluation/observations/{o}/", 200),
            (f"/evaluation/observations/{o}/change/", 200),
            (f"/evaluation/observations/{o}/remove/", 200),
            (f"/evaluation/programmes/{p}/export/", 200),
        ],
    )
