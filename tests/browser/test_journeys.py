"""Welsh, error summaries, keyboard-only use, pages without JavaScript, and partnership walls."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import OpenPage, submit, totp_code, visit
from tests.conftest import World
from tests.factories import PASSWORD, verified_device
from tip.core.models import Organisation
from tip.core.roles import Role

pytestmark = pytest.mark.browser


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def tab_to(page: Page, target: Locator, limit: int = 25) -> None:
    """Press Tab until `target` has focus, as a keyboard user would; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{target} was not reached with {limit} presses of Tab")


def test_language_switcher_changes_the_page_to_welsh_and_back(world_a: World, open_page: OpenPage):
    page = open_page(user=world_a.user(Role.PARTNERSHIP_ADMIN))
    visit(page, "/organisations/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    submit(page, page.get_by_role("button", name="Cymraeg"))
    assert path_of(page) == "/organisations/", "the switcher should return to the same page"
    expect(html).to_have_attribute("lang", "cy")
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    expect(
        page.get_by_role("button", name="Allgofnodi"),
        "the Welsh catalogue should translate 'Sign out' (compile it: make translations)",
    ).to_be_visible()

    submit(page, page.get_by_role("button", name="English"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("button", name="Cymraeg")).to_have_attribute("lang", "cy")


ERROR_FORMS = {
    # path: (who, submit button, the fields the summary links to, in order)
    "/organisations/new/": (Role.PARTNERSHIP_ADMIN, "Save", ["id_name", "id_sector"]),
    "/people/new/": (
        Role.PARTNERSHIP_ADMIN,
        "Save",
        ["id_full_name", "id_email", "id_organisation", "id_roles"],
    ),
    "/account/api-tokens/": (Role.AUDITOR, "Create token", ["id_name"]),
    "/accounts/sign-in/": (None, "Sign in", ["id_username", "id_password"]),
    "/accounts/password-reset/": (None, "Send the link", ["id_email"]),
}


@pytest.mark.parametrize("path", ERROR_FORMS)
def test_error_summary_links_move_focus_to_the_fields(
    world_a: World, open_page: OpenPage, path: str
):
    role, button, field_ids = ERROR_FORMS[path]
    page = open_page(user=world_a.user(role) if role else None)
    visit(page, path)
    heading = page.get_by_role("heading", level=1).inner_text()
    submit(page, page.get_by_role("button", name=button, exact=True))

    assert page.title().startswith(f"Error: {heading}"), page.title()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it first.
    expect(page.locator(".govuk-error-summary")).to_be_focused()

    links = summary.get_by_role("link")
    expect(links).to_have_count(len(field_ids))
    for i, field_id in enumerate(field_ids):
        link = links.nth(i)
        assert link.get_attribute("href") == f"#{field_id}"
        link.click()
        assert focused_id(page) == field_id, f"{link.inner_text()!r} did not focus #{field_id}"
        # The field (or the fieldset round a group of radios or checkboxes) is described by
        # its own error message too.
        described_by = page.evaluate(
            """(id) => {
                const field = document.getElementById(id);
                const holder = field.closest("fieldset") || field;
                return holder.getAttribute("aria-describedby") || "";
            }""",
            field_id,
        )
        messages = [page.locator(f"#{ref}") for ref in described_by.split()]
        assert any(m.get_attribute("class") == "govuk-error-message" for m in messages), (
            f"#{field_id} is not described by its error message"
        )


def test_add_an_organisation_with_the_keyboard_only(world_a: World, open_page: OpenPage):
    page = open_page(user=world_a.user(Role.PARTNERSHIP_ADMIN))
    visit(page, "/organisations/")
    keyboard = page.keyboard

    # The skip link comes first and takes focus to the main content.
    keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()

    # From there, the first control is the "Add an organisation" button; Space presses it.
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add an organisation")).to_be_focused()
    submit(page, lambda: keyboard.press("Space"))
    assert path_of(page) == "/organisations/new/"

    # Tab through the page in order: name, then the sector radios.
    tab_to(page, page.get_by_label("Name"))
    keyboard.type("Alpha Youth Service")
    keyboard.press("Tab")
    expect(page.get_by_label("Police")).to_be_focused()
    # Arrow keys move through the radios and choose; Space keeps the choice.
    keyboard.press("ArrowDown")
    keyboard.press("Space")
    chosen = page.locator("input[name=sector]:checked")
    expect(chosen).to_have_count(1)
    chosen_value = chosen.get_attribute("value")
    assert chosen_value and chosen_value != "police"

    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save")).to_be_focused()
    submit(page, lambda: keyboard.press("Enter"))

    org = Organisation.objects.get(partnership=world_a.partnership, name="Alpha Youth Service")
    assert org.sector == chosen_value
    assert path_of(page) == f"/organisations/{org.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Youth Service")


def test_sign_in_and_add_an_organisation_without_javascript(world_a: World, open_page: OpenPage):
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    device = verified_device(admin)
    page = open_page(javascript=False)

    visit(page, "/accounts/sign-in/")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Sign in"))
    page.get_by_label("Security code").fill(totp_code(device))
    submit(page, page.get_by_role("button", name="Continue"))
    assert path_of(page) == "/dashboard/"

    # The service navigation is reachable without its menu script.
    submit(page, page.get_by_role("link", name="Organisations").first)
    submit(page, page.get_by_role("button", name="Add an organisation"))
    assert path_of(page) == "/organisations/new/"

    # An empty form is answered with the error summary, and the page still works.
    submit(page, page.get_by_role("button", name="Save"))
    assert page.title().startswith("Error:")
    page.get_by_label("Name").fill("Alpha Health Board")
    page.get_by_label("Health").check()
    submit(page, page.get_by_role("button", name="Save"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha Health Board")
    expect(page.get_by_text("Alpha Health Board added")).to_be_visible()
    assert Organisation.objects.filter(
        partnership=world_a.partnership, name="Alpha Health Board", sector="health"
    ).exists()


def test_another_partnerships_records_are_not_found(
    world_a: World, world_b: World, open_page: OpenPage
):
    page = open_page(user=world_a.user(Role.PARTNERSHIP_ADMIN))
    theirs = world_b.organisations[0]
    their_person = world_b.members[Role.TRAINER]
    for path in [
        f"/organisations/{theirs.pk}/",
        f"/organisations/{theirs.pk}/edit/",
        f"/organisations/{theirs.pk}/remove/",
        f"/people/{their_person.pk}/",
        f"/people/{their_person.pk}/edit/",
    ]:
        visit(page, path, status=404)
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.get_by_text(theirs.name)).to_have_count(0)

    # Posting to another partnership's record changes nothing either.
    visit(page, "/organisations/")
    csrf = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"/organisations/{theirs.pk}/remove/", form={"csrfmiddlewaretoken": csrf}
    )
    assert response.status == 404
    assert Organisation.objects.filter(pk=theirs.pk).exists()


def test_create_and_revoke_an_api_token(world_a: World, open_page: OpenPage):
    page = open_page(user=world_a.user(Role.PROGRAMME_LEAD))
    visit(page, "/account/api-tokens/")
    page.get_by_label("Name of the token").fill("Monthly report script")
    submit(page, page.get_by_role("button", name="Create token"))
    expect(page.get_by_role("heading", name="Token created", level=2)).to_be_visible()
    expect(page.locator("#new-token")).to_contain_text("tip_")

    submit(page, page.get_by_role("link", name="Revoke Monthly report script"))
    submit(page, page.get_by_role("button", name="Revoke token"))
    expect(page.get_by_text("Token Monthly report script revoked")).to_be_visible()
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()


def test_too_many_wrong_passwords_lock_the_account(world_a: World, open_page: OpenPage):
    user = world_a.user(Role.PRACTITIONER)
    page = open_page()
    visit(page, "/accounts/sign-in/")
    csrf = page.locator("main input[name=csrfmiddlewaretoken]").input_value()
    for _ in range(4):
        page.request.post(
            "/accounts/sign-in/",
            form={"csrfmiddlewaretoken": csrf, "username": user.email, "password": "wrong"},
        )
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("still wrong")
    submit(page, page.get_by_role("button", name="Sign in"), status=429)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account is locked for 30 minutes"
    )
