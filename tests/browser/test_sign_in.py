"""Signing in with a second factor, linking an authenticator app the first time, signing out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import setup_key_code, submit, totp_code, visit
from tests.conftest import World
from tests.factories import PASSWORD, verified_device
from tip.core.models import User
from tip.core.roles import Role

pytestmark = pytest.mark.browser


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in_with_password(page: Page, user: User) -> None:
    visit(page, "/accounts/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Sign in"))


def test_sign_in_with_authenticator_code(world_a: World, page: Page):
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    device = verified_device(admin)

    sign_in_with_password(page, admin)
    assert path_of(page) == "/accounts/two-factor/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")

    # A wrong code is refused with an error summary, and the page is still accessible.
    right = totp_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page.get_by_label("Security code").fill(wrong)
    submit(page, page.get_by_role("button", name="Continue"))
    assert page.title().startswith("Error:")
    expect(page.get_by_role("alert")).to_contain_text("The security code is not right")
    # django-otp refuses any code for a second after a wrong one.
    page.wait_for_timeout(1_100)

    page.get_by_label("Security code").fill(right)
    submit(page, page.get_by_role("button", name="Continue"))
    assert path_of(page) == "/dashboard/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    submit(page, page.get_by_role("button", name="Sign out"))
    assert path_of(page) == "/"
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_first_sign_in_links_an_authenticator_app(world_a: World, page: Page):
    auditor = world_a.user(Role.AUDITOR)
    assert not auditor.totpdevice_set.exists()

    sign_in_with_password(page, auditor)
    assert path_of(page) == "/accounts/two-factor/set-up/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Link an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()

    # Type the setup key into an "app": the code it shows finishes the set-up.
    setup_key = page.get_by_text("Setup key:").locator("code").inner_text()
    page.get_by_label("Security code").fill(setup_key_code(setup_key))
    submit(page, page.get_by_role("button", name="Continue"))

    assert path_of(page) == "/dashboard/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert auditor.totpdevice_set.filter(confirmed=True).count() == 1
