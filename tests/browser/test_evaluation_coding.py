"""The qualitative coding pages in real Chromium, in English and Welsh: axe-core's WCAG 2.2 AA
checks, no sideways scrolling at 320px in Welsh, no script errors; and coding a text with the
keyboard-free form (checkboxes, no JavaScript needed)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.evaluation.export_helpers import answered, observed
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role
from tip.evaluation import selectors_coding, services_coding

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_coding_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    d = Planned(world_a)
    plan = d.plan()
    wave = d.waves(plan)[0]
    evaluator, lead = world_a.user(Role.EVALUATOR), world_a.user(Role.PROGRAMME_LEAD)
    for text in ("The case studies", "Role play with Mr Jones", "Time to reflect", "Nothing"):
        answered(plan, wave, answers={"tip-feedback": {"most_useful": text}})
    observed(plan, notes="Calm room", by=lead)
    theme = services_coding.code_create(plan=plan, by=evaluator, label="Learning")
    code = services_coding.code_create(plan=plan, by=evaluator, label="Practice", parent=theme)
    texts = selectors_coding.texts(plan)
    services_coding.sample_add(plan=plan, keys=[t.key for t in texts], by=evaluator)
    for i, t in enumerate(texts):
        services_coding.coding_set(plan=plan, text=t, coder=evaluator, codes=[code])
        services_coding.coding_set(plan=plan, text=t, coder=lead, codes=[code] if i % 2 else [])
    p = d.programme.pk
    page = open_page(user=evaluator, language=language)
    sweep(
        page,
        language,
        [
            (f"/evaluation/programmes/{p}/coding/", 200),
            (f"/evaluation/programmes/{p}/coding/codes/new/", 200),
            (f"/evaluation/coding/codes/{code.pk}/", 200),
            (f"/evaluation/coding/codes/{code.pk}/retire/", 200),
            (f"/evaluation/programmes/{p}/coding/texts/", 200),
            (f"/evaluation/programmes/{p}/coding/texts/?status=maybe", 400),
            (f"/evaluation/programmes/{p}/coding/texts/{texts[0].key}/", 200),
            (f"/evaluation/programmes/{p}/coding/sample/", 200),
            (f"/evaluation/programmes/{p}/coding/agreement/", 200),
            (f"/evaluation/programmes/{p}/coding/themes/", 200),
        ],
    )


def test_coding_a_text_in_the_browser(world_a: World, open_page: OpenPage) -> None:
    d = Planned(world_a)
    plan = d.plan()
    answered(plan, d.waves(plan)[0], answers={"tip-feedback": {"most_useful": "Case studies"}})
    evaluator = world_a.user(Role.EVALUATOR)
    code = services_coding.code_create(plan=plan, by=evaluator, label="Learning")
    key = selectors_coding.texts(plan)[0].key
    page = open_page(user=evaluator, language="en")
    page.goto(f"/evaluation/programmes/{d.programme.pk}/coding/texts/{key}/")
    page.get_by_label("Learning").check()
    submit(page, page.get_by_role("button", name="Save the coding"))
    assert selectors_coding.codings(plan).of(evaluator.pk) == {key: {code.pk}}
