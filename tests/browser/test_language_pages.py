"""The language checker's rules and settings pages in real Chromium, in English and Welsh:
axe-core's WCAG 2.2 AA checks, no sideways scrolling at 320px in Welsh; and a rule added
without JavaScript, with its error shown by the field first."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tip.core.roles import Role
from tip.language import services
from tip.language.models import PartnershipRule

pytestmark = pytest.mark.browser


def _settings(world: World) -> dict[str, int]:
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    p = world.partnership
    rule = services.partnership_rule_create(
        partnership=p,
        by=admin,
        rule_id="cin-jargon",
        language="en",
        category="care-jargon",
        applies_to="all",
        severity="suggestion",
        phrases=["=CIN"],
        explanation="Families read their records: an abbreviation tells them nothing.",
        suggestions=["a child in need, with support from [say who]"],
    )
    silenced = services.shipped_rule_silence(
        partnership=p, by=admin, rule_id="placement", language="en", reason="Agreed locally."
    )
    allowed = services.phrase_allow(partnership=p, by=admin, phrase="Hope House", language="en")
    for rule_id in ("refused-to-engage", "refused-to-engage", "cin-jargon"):
        services.feedback_record(partnership=p, by=admin, rule=rule_id, where="language:check")
    return {"rule": rule.pk, "silenced": silenced.pk, "allowed": allowed.pk}


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_settings_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    ids = _settings(world_a)
    page = open_page(user=world_a.user(Role.PARTNERSHIP_ADMIN), language=language)
    sweep(
        page,
        language,
        [
            ("/language/", 200),
            ("/language/rules/", 200),
            ("/language/rules/?language=cy", 200),
            ("/language/settings/", 200),
            ("/language/settings/rules/new/", 200),
            (f"/language/settings/rules/{ids['rule']}/", 200),
            (f"/language/settings/rules/{ids['rule']}/remove/", 200),
            ("/language/settings/silence/", 200),
            (f"/language/settings/silenced/{ids['silenced']}/restore/", 200),
            ("/language/settings/allow/", 200),
            (f"/language/settings/allowed/{ids['allowed']}/remove/", 200),
        ],
    )


def test_a_rule_is_added_without_javascript(world_a: World, open_page: OpenPage) -> None:
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD), javascript=False)
    visit(page, "/language/settings/rules/new/")
    page.locator("#id_rule_id").fill("case-closed")
    page.locator("#id_phrases").fill("close the case *")
    page.locator("input[name='category'][value='service-centred']").check()
    page.locator("#id_explanation").fill("A person is not a case to close: say what changes.")
    page.locator("#id_suggestions").fill("our work with [name] ends because [say why]")
    submit(page, page.locator("main form button.govuk-button"), status=400)
    summary = page.locator(".govuk-error-summary a[href='#id_phrases']")
    assert summary.count() == 1
    page.locator("#id_phrases").fill("close the case")
    submit(page, page.locator("main form button.govuk-button"))
    assert PartnershipRule.objects.get().rule_id == "case-closed"
    assert "case-closed" in page.locator("main").inner_text()
