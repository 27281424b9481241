"""Every page a partnership admin, an auditor and a signed-out visitor can reach, in English and
in Welsh, passes axe-core's WCAG 2.2 AA checks with no script errors or missing assets."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from tests.browser.conftest import OpenPage, axe_check, visit
from tests.conftest import World
from tests.factories import verified_device
from tip.core import services
from tip.core.roles import Role

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "cy"]
INFO_PAGES = ["/accessibility/", "/privacy/", "/cookies/", "/support/"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_axe_check_finds_violations(open_page: OpenPage, live_server, javascript: bool):
    """The checker itself: a page with known faults must fail it, with or without scripts."""
    page = open_page(javascript=javascript)
    page.goto(live_server.url + "/accessibility/")
    page.set_content('<html><body><img src="x.png"><a href="/"></a></body></html>')
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    for rule in ["html-has-lang", "document-title", "image-alt", "link-name"]:
        assert rule in str(failure.value)


# English pages are checked on a desktop screen; Welsh ones, whose words run longer, on the
# narrowest screen WCAG's reflow criterion (1.4.10) asks for: 320 CSS pixels, no sideways
# scrolling of the page.
VIEWPORTS = {"en": {"width": 1280, "height": 900}, "cy": {"width": 320, "height": 640}}


def sweep(page: Page, language: str, paths: list[tuple[str, int]]) -> None:
    """Visit every path; report every page's problems together rather than the first."""
    viewport = VIEWPORTS[language]
    page.set_viewport_size(viewport)
    failures = []
    for path, status in paths:
        try:
            visit(page, path, status=status)
            lang = page.locator("html").get_attribute("lang")
            assert lang == language, f"<html lang={lang!r}>, not {language!r}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (
                f"the page is {width}px wide in a {viewport['width']}px window: it scrolls "
                "sideways (WCAG 1.4.10 Reflow)"
            )
        except AssertionError as exc:
            failures.append(f"{path}\n{exc}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_partnership_admin_pages(world_a: World, world_b: World, open_page: OpenPage, language):
    admin = world_a.members[Role.PARTNERSHIP_ADMIN]
    org = world_a.organisations[1]
    person = world_a.members[Role.TRAINER]
    token, _key = services.api_token_create(
        membership=admin, name="Monthly report script", by=admin.user
    )
    other_org = world_b.organisations[0]
    page = open_page(user=admin.user, language=language)
    sweep(
        page,
        language,
        [
            ("/dashboard/", 200),
            ("/organisations/", 200),
            (f"/organisations/{org.pk}/", 200),
            ("/organisations/new/", 200),
            (f"/organisations/{org.pk}/edit/", 200),
            (f"/organisations/{org.pk}/remove/", 200),
            ("/people/", 200),
            (f"/people/{person.pk}/", 200),
            ("/people/new/", 200),
            (f"/people/{person.pk}/edit/", 200),
            (f"/people/{person.pk}/remove/", 200),
            ("/account/language/", 200),
            ("/account/api-tokens/", 200),
            (f"/account/api-tokens/{token.pk}/revoke/", 200),
            *[(path, 200) for path in INFO_PAGES],
            ("/audit/", 403),
            (f"/organisations/{other_org.pk}/", 404),
            ("/no-such-page/", 404),
        ],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_auditor_pages(world_a: World, open_page: OpenPage, language):
    auditor = world_a.members[Role.AUDITOR]
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    # Something to find in the log, and enough of it for a second page.
    for n in range(55):
        services.organisation_create(
            partnership=world_a.partnership, name=f"Youth Club {n}", sector="education", by=admin
        )
    org = world_a.organisations[0]
    person = world_a.members[Role.TRAINER]
    page = open_page(user=auditor.user, language=language)
    sweep(
        page,
        language,
        [
            ("/dashboard/", 200),
            ("/organisations/", 200),
            (f"/organisations/{org.pk}/", 200),
            ("/people/", 200),
            (f"/people/{person.pk}/", 200),
            ("/audit/", 200),
            ("/audit/?page=2", 200),
            ("/audit/?text=Youth&date_from=31/2/2026&date_to=1/1/2020", 400),
            ("/account/api-tokens/", 200),
            *[(path, 200) for path in INFO_PAGES],
            ("/organisations/new/", 403),
            ("/people/999999/", 404),
        ],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_out_pages(world_a: World, open_page: OpenPage, language):
    user = world_a.user(Role.PRACTITIONER)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = open_page(language=language)
    sweep(
        page,
        language,
        [
            ("/", 200),
            ("/accounts/sign-in/", 200),
            ("/accounts/password-reset/", 200),
            ("/accounts/password-reset/sent/", 200),
            # Django swaps the token for a session and redirects to the form.
            (f"/accounts/reset/{uid}/{token}/", 200),
            (f"/accounts/reset/{uid}/not-a-token/", 200),
            ("/accounts/reset/done/", 200),
            *[(path, 200) for path in INFO_PAGES],
            ("/no-such-page/", 404),
        ],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_second_factor_pages(world_a: World, open_page: OpenPage, language):
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    verified_device(admin)
    page = open_page(user=admin, verified=False, language=language)
    sweep(page, language, [("/accounts/two-factor/", 200)])
    auditor = world_a.user(Role.AUDITOR)
    page = open_page(user=auditor, verified=False, language=language)
    sweep(page, language, [("/accounts/two-factor/set-up/", 200)])
