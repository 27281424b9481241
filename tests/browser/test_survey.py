"""A practitioner answers a baseline survey from the personal link in their email, as a new user
would: in Welsh on a phone-sized screen (320 CSS pixels) they agree to take part, answer half,
close the page, open the link again, find their answers, finish and see the confirmation; and
the same in English with JavaScript switched off. Every page goes through `visit` or `submit`,
which run axe-core (WCAG 2.2 AA) on it, and `Person.arrived`, which checks its language and,
at 320 pixels, that it does not scroll sideways.

The plan, the invitation and the link are made with the models beforehand, as the invitation
scheduler would have made and sent them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, check_page
from tests.browser.test_training_journey import Person
from tests.conftest import World
from tests.evaluation.survey_helpers import make_survey
from tip.evaluation.models_collection import InvitationStatus, Response

pytestmark = pytest.mark.browser


def _radio(person: Person, name: str, value: str) -> None:
    person.main.locator(f'input[name="{name}"][value="{value}"]').check()


def _journey(open_page: OpenPage, world: World, language: str, javascript: bool) -> None:
    survey = make_survey(world)
    practitioner = Person(open_page(language=language, javascript=javascript), language)

    # The link from the email opens the consent and privacy page.
    practitioner.open(survey.start)
    expect(practitioner.main.locator("h1")).to_have_text(practitioner.t("Before you start"))
    _radio(practitioner, "agree", "yes")
    practitioner.button("Continue")

    # About you (the baseline), then the first part of the questionnaire.
    expect(practitioner.main.locator("h1")).to_have_text(practitioner.t("About you and your work"))
    _radio(practitioner, "sector", "education")
    practitioner.main.locator('input[name="role"]').fill("School nurse")
    practitioner.main.locator('input[name="years_in_role"]').fill("4")
    practitioner.button("Save and continue")
    _radio(practitioner, "k01", "true")
    _radio(practitioner, "k02", "dont_know")
    practitioner.button("Save and continue")
    # Half-way: an answer on the next page, then they close the page without saving it.
    _radio(practitioner, "a01", "5")
    practitioner.page.context.close()

    # Later, the same link in a new browser: back where they stopped, with earlier answers.
    again = Person(open_page(language=language, javascript=javascript), language)
    again.open(survey.start)
    assert again.path == survey.url("q/tip-kac.attitudes/")
    expect(again.main.locator('input[name="a01"]:checked')).to_have_count(0)
    again.go(again.page.get_by_role("link", name=again.t("Back"), exact=True))
    expect(again.main.locator('input[name="k01"][value="true"]')).to_be_checked()
    expect(again.main.locator('input[name="k02"][value="dont_know"]')).to_be_checked()
    again.button("Save and continue")
    _radio(again, "a01", "4")
    again.button("Save and continue")
    _radio(again, "c01", "3")
    again.button("Save and continue")

    # Check your answers, then send them.
    expect(again.main.locator("h1")).to_have_text(again.t("Check your answers before sending them"))
    expect(again.main).to_contain_text("School nurse")
    again.button("Send my answers")
    expect(again.main.locator(".govuk-panel__title")).to_have_text(
        again.t("Your answers have been sent")
    )

    # The link used again changes nothing.
    again.open(survey.start)
    expect(again.main.locator("h1")).to_have_text(again.t("You have already answered, thank you"))

    response = Response.objects.get(invitation=survey.invitation)
    assert response.submitted_at is not None
    assert response.answers == {"tip-kac": {"k01": "true", "k02": "dont_know", "a01": 4, "c01": 3}}
    assert response.covariates == {
        "sector": "education",
        "role": "School nurse",
        "years_in_role": 4,
    }
    survey.invitation.refresh_from_db()
    assert survey.invitation.status == InvitationStatus.COMPLETED


def test_a_practitioner_answers_in_welsh_on_a_phone_leaving_half_way(
    open_page: OpenPage, world_a: World
) -> None:
    _journey(open_page, world_a, "cy", javascript=True)


def test_a_practitioner_answers_in_english_without_javascript(
    open_page: OpenPage, world_a: World
) -> None:
    _journey(open_page, world_a, "en", javascript=False)


def test_an_unknown_link_says_what_to_do(open_page: OpenPage) -> None:
    person = Person(open_page(language="cy"), "cy")
    person.page.goto("/evaluation/s/not-a-real-link/")
    check_page(person.page)
    person.arrived()
    expect(person.main.locator("h1")).to_have_text(person.t("This link does not work"))
