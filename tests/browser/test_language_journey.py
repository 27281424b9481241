"""The language checker's "done when", in real Chromium, in English and in Welsh: a practitioner,
as a new user would, pastes a case note with several problems into the checker, sees each one
explained with an alternative, and marks one as not relevant here; then, writing in one of TIP's
forms, sees the same hints as they type, saves (saving is never blocked), and finds the hints in
a banner on the next page; and without JavaScript the banner still comes after the save.

Every page goes through `visit` or `submit` (axe-core's WCAG 2.2 AA checks), and the page with
live hints is checked again once they show; Welsh pages are read at 320px with no sideways
scrolling. Elements are found by their structure (ids, names, classes), so the Welsh run checks
the same facts with Welsh notes against the Welsh rules; English interface words are checked in
the English run only, as the Welsh translation is done later."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OpenPage, axe_check, submit, visit
from tests.browser.test_pages import LANGUAGES, VIEWPORTS
from tests.conftest import World
from tip.core.roles import Role
from tip.language.models import Feedback
from tip.programmes.models import Programme

pytestmark = pytest.mark.browser

HINT_TIMEOUT_MS = 8_000

# A case note with several problems, in each language, and the words the checker must find.
CASE_NOTES = {
    "en": (
        "Visited Jo at home. She refused to engage with support again and is attention "
        "seeking at school. The family are hard to reach, and her son keeps putting himself "
        "at risk.",
        ["refused to engage", "attention seeking", "hard to reach", "putting himself at risk"],
    ),
    "cy": (
        "Ymwelais â Jo gartref. Gwrthododd ymgysylltu â'r gwasanaeth eto. "
        "Mae diffyg ymgysylltu gan y teulu.",
        ["Gwrthododd ymgysylltu", "diffyg ymgysylltu"],
    ),
}
# What a person writes in a form: one problem, then the same sentence said with care.
WRITING = {
    "en": (
        "Families told us they refused to engage because letters came too late.",
        "refused to engage",
        "Families told us letters came too late to act on.",
    ),
    "cy": (
        "Gwrthododd ymgysylltu â'r gwasanaeth am fod y llythyrau'n hwyr.",
        "Gwrthododd ymgysylltu",
        "Daeth y llythyrau'n rhy hwyr i'r teulu.",
    ),
}


def _as_read(page: Page, language: str) -> None:
    """The page is in the reader's language and, in Welsh at 320px, does not scroll sideways
    (WCAG 1.4.10)."""
    lang = page.locator("html").get_attribute("lang")
    assert lang == language, f"<html lang={lang!r}> on {page.url}, not {language!r}"
    width = page.evaluate("document.documentElement.scrollWidth")
    allowed = VIEWPORTS[language]["width"]
    assert width <= allowed, f"{page.url} is {width}px wide in a {allowed}px window"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_practitioner_checks_a_case_note_and_marks_a_finding_not_relevant(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    practitioner = world_a.user(Role.PRACTITIONER)
    note, expected = CASE_NOTES[language]
    page = open_page(user=practitioner, language=language)
    page.set_viewport_size(VIEWPORTS[language])

    # The checker is in the navigation, as a new user would find it.
    visit(page, "/dashboard/")
    link = page.locator("header a[href='/language/']")
    assert link.count() == 1, "The checker is not in the service navigation"
    if not link.is_visible():  # on a narrow screen the navigation is behind its menu button
        page.locator("header .govuk-service-navigation__toggle").click()
    submit(page, link)
    _as_read(page, language)

    page.locator("textarea[name='text']").fill(note)
    submit(page, page.locator("main form button.govuk-button:not([name])").first)
    _as_read(page, language)
    findings = page.locator("main li[id^='finding-']")
    assert findings.count() >= len(expected), findings.all_inner_texts()
    headings = " ".join(findings.locator("h4").all_inner_texts())
    for words in expected:
        assert words in headings, f"{words!r} is not among the findings: {headings}"
    for item in findings.all():
        # Each finding: its kind, why it matters, and what to write instead (not by colour).
        values = [v.strip() for v in item.locator(".govuk-summary-list__value").all_inner_texts()]
        assert len(values) >= 3 and all(values[:3]), values
    if language == "en":
        expect(page.locator("main")).to_contain_text("felt unable to accept support")

    # "Not relevant here" on the first finding: counted for the partnership, without the text.
    first = page.locator("main li#finding-1")
    rule = first.locator("button[name='not_relevant']").get_attribute("value")
    submit(page, first.locator("button[name='not_relevant']"))
    _as_read(page, language)
    assert page.locator("main li#finding-1 button[name='not_relevant']").count() == 0
    counted = Feedback.objects.filter(partnership=world_a.partnership, rule_id=rule)
    assert counted.count() == 1
    assert note not in str(list(counted.values()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_hints_appear_as_a_person_types_and_after_the_save(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    harmful, words, careful = WRITING[language]
    page = open_page(user=lead, language=language)
    page.set_viewport_size(VIEWPORTS[language])
    visit(page, "/programmes/new/")
    _as_read(page, language)

    aims = page.locator("textarea#id_aims")
    region = page.locator("#id_aims-language-hints")
    expect(aims).to_have_attribute("data-tip-language-check", "/language/check.json")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_be_empty()

    page.locator("#id_name").fill("Calm homes")
    aims.press_sequentially(harmful[:20], delay=5)
    aims.fill(harmful)  # the rest, as if pasted
    expect(region.locator("li")).to_have_count(1, timeout=HINT_TIMEOUT_MS)
    expect(region).to_contain_text(words)
    if language == "en":
        expect(region).to_contain_text("felt unable to accept support at this time")
    _as_read(page, language)
    axe_check(page)

    # Written with care, the hints go; the problem again, and they come back.
    aims.fill(careful)
    expect(region).to_be_empty(timeout=HINT_TIMEOUT_MS)
    aims.fill(harmful)
    expect(region.locator("li")).to_have_count(1, timeout=HINT_TIMEOUT_MS)

    # Saving is never blocked: the programme is saved as written, and the next page shows the
    # hints in a banner, by the field's label.
    submit(page, page.locator("main form button.govuk-button").last)
    _as_read(page, language)
    programme = Programme.objects.get(partnership=world_a.partnership, name="Calm homes")
    assert programme.aims == harmful
    banner = page.locator("main .tip-text-hints-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(words)
    expect(banner.locator("h3")).to_have_count(1)
    if language == "en":
        expect(banner).to_contain_text("Language suggestions for what you saved")
        expect(banner.locator("h3")).to_have_text("Aims (optional)")
        expect(banner).to_contain_text("felt unable to accept support at this time")
    button = banner.locator("form button[type='submit']")
    expect(button).to_have_count(1)
    rule = banner.locator("input[name='rule']").get_attribute("value")

    # "Not relevant here" from the banner: counted, and back to the same page without it.
    here = page.url
    submit(page, button)
    assert page.url == here
    assert page.locator("main .tip-text-hints-banner").count() == 0
    assert Feedback.objects.filter(
        partnership=world_a.partnership, rule_id=rule, where="programmes:programme-create"
    ).exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_banner_still_comes_after_the_save(
    world_a: World, open_page: OpenPage, language: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    harmful, words, _careful = WRITING[language]
    page = open_page(user=lead, language=language, javascript=False)
    page.set_viewport_size(VIEWPORTS[language])
    visit(page, "/programmes/new/")
    page.locator("#id_name").fill("Quiet homes")
    page.locator("textarea#id_aims").fill(harmful)
    expect(page.locator("#id_aims-language-hints")).to_be_empty()
    submit(page, page.locator("main form button.govuk-button").last)
    _as_read(page, language)
    assert Programme.objects.get(name="Quiet homes").aims == harmful
    banner = page.locator("main .tip-text-hints-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(words)

    # A form that comes back (no name) shows the hints under the field, not as an error.
    visit(page, "/programmes/new/")
    page.locator("textarea#id_aims").fill(harmful)
    submit(page, page.locator("main form button.govuk-button").last)
    region = page.locator("#id_aims-language-hints")
    expect(region).to_contain_text(words)
    expect(page.locator("#id_aims-error")).to_have_count(0)
