"""A person's language: chosen on their account page or with the switcher at the top of every
page, audited, opened on sign-in, and the one TIP's emails to them are written in."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import World, signed_in_client
from tests.factories import PASSWORD
from tip.core import services
from tip.core.languages import in_language_of, language_choices, language_for
from tip.core.models import AuditAction, AuditEntry, User
from tip.core.roles import Role

pytestmark = pytest.mark.django_db

ACCOUNT = "/account/language/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def language_entries(user: User) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_type="core.User", object_id=str(user.pk)
        )
    )


def stored(user: User) -> str:
    return User.objects.values_list("language", flat=True).get(pk=user.pk)


# --- The helper every email uses ------------------------------------------------------------------


def test_a_persons_language_is_theirs_else_english_whatever_the_thread(world_a: World) -> None:
    person = world_a.user(Role.PRACTITIONER)
    with translation.override("cy"):
        assert language_for(person) == "en"  # not chosen: the service's default, not the thread's
        assert language_for(None) == "en"
    person.language = "cy"
    assert language_for(person) == "cy"
    with in_language_of(person):
        assert translation.get_language() == "cy"
    person.language = "fr"  # no longer offered
    assert language_for(person) == "en"
    assert language_choices() == [("en", "English"), ("cy", "Cymraeg")]


def test_the_invitation_to_a_new_account_is_in_its_language(world_a: World) -> None:
    someone = world_a.user(Role.TRAINER)
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    with translation.override("cy"):  # an admin reading TIP in Welsh
        services.user_invite_send(user=someone, partnership=world_a.partnership, invited_by=admin)
    assert mail.outbox[-1].subject.startswith("You have been added to")
    someone.language = "cy"
    services.user_invite_send(user=someone, partnership=world_a.partnership, invited_by=admin)
    assert mail.outbox[-1].subject.startswith("Rydych wedi cael eich ychwanegu at")


# --- The service ----------------------------------------------------------------------------------


def test_setting_the_language_saves_and_audits_a_change_only(world_a: World) -> None:
    person = world_a.user(Role.PRACTITIONER)
    services.user_language_set(
        user=person, language="cy", by=person, partnership=world_a.partnership
    )
    assert stored(person) == "cy"
    [entry] = language_entries(person)
    assert entry.actor == person and entry.partnership == world_a.partnership
    assert entry.changed_fields == ["language"]
    services.user_language_set(
        user=person, language="cy", by=person, partnership=world_a.partnership
    )
    assert len(language_entries(person)) == 1  # the same again changes nothing


@pytest.mark.parametrize("bad", ["fr", "", "cy-gb", "Welsh"])
def test_a_language_not_offered_is_refused_and_changes_nothing(world_a: World, bad: str) -> None:
    person = world_a.user(Role.PRACTITIONER)
    with pytest.raises(ValidationError) as refused:
        services.user_language_set(
            user=person, language=bad, by=person, partnership=world_a.partnership
        )
    assert refused.value.message_dict == {"language": ["Choose one of the languages listed"]}
    assert stored(person) == "" and not language_entries(person)


# --- The account page -----------------------------------------------------------------------------


def test_the_account_page_changes_the_language_audits_it_and_opens_it(world_a: World) -> None:
    person = world_a.user(Role.PRACTITIONER)
    client = signed_in_client(person)
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "Your account" in text and "Which language should TIP use for you?" in text
    assert 'type="radio"' in text and 'value="cy"' in text
    # Each language by its own name, marked with its language for screen readers.
    assert re.search(
        r'<label class="govuk-label govuk-radios__label"[^>]*lang="cy"[^>]*>\s*Cymraeg', text
    )
    assert re.search(
        r'<label class="govuk-label govuk-radios__label"[^>]*lang="en"[^>]*>\s*English', text
    )
    done = client.post(ACCOUNT, {"language": "cy"})
    assert done.status_code == 302 and done["Location"] == ACCOUNT
    assert done.cookies[COOKIE].value == "cy"
    assert stored(person) == "cy"
    [entry] = language_entries(person)
    assert entry.actor == person and entry.partnership == world_a.partnership
    assert entry.via == "web"
    after = client.get(ACCOUNT).content.decode()
    assert '<html lang="cy"' in after
    assert 'value="cy" checked' in after  # their choice is shown


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"language": "fr"}, "Choose one of the languages listed"),
        ({"language": "cy-gb"}, "Choose one of the languages listed"),
        ({}, "Choose the language TIP should use for you"),
    ],
)
def test_the_account_page_refuses_a_language_not_offered(
    world_a: World, body: dict[str, str], message: str
) -> None:
    person = world_a.user(Role.PRACTITIONER)
    client = signed_in_client(person)
    refused = client.post(ACCOUNT, body)
    assert refused.status_code == 400
    text = html.unescape(refused.content.decode())
    assert "There is a problem" in text and message in text
    assert COOKIE not in refused.cookies
    assert stored(person) == "" and not language_entries(person)


def test_the_account_page_is_for_signed_in_people_only() -> None:
    response = Client().get(ACCOUNT)
    assert response.status_code == 302 and reverse("core:sign-in") in response["Location"]
    assert Client().post(ACCOUNT, {"language": "cy"}).status_code == 302
    assert not User.objects.exclude(language="").exists()


def test_the_account_page_is_linked_from_every_signed_in_page(world_a: World) -> None:
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert dashboard.count(f'href="{ACCOUNT}"') == 2  # the header and the dashboard's list


# --- The switcher at the top of every page ------------------------------------------------------


def test_the_switcher_also_stores_a_signed_in_persons_choice(world_a: World) -> None:
    person = world_a.user(Role.CHAMPION)
    client = signed_in_client(person)
    dashboard = reverse("core:dashboard")
    response = client.post(reverse("set_language"), {"language": "cy", "next": dashboard})
    assert response.status_code == 302 and response["Location"] == dashboard
    assert response.cookies[COOKIE].value == "cy"
    assert stored(person) == "cy"
    [entry] = language_entries(person)
    assert entry.actor == person and entry.partnership == world_a.partnership
    client.post(reverse("set_language"), {"language": "en", "next": dashboard})
    assert stored(person) == "en"
    # A code the service does not offer changes nothing.
    client.post(reverse("set_language"), {"language": "fr", "next": dashboard})
    assert stored(person) == "en" and len(language_entries(person)) == 2


def test_the_switcher_still_works_for_someone_not_signed_in() -> None:
    response = Client().post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[COOKIE].value == "cy"
    assert not AuditEntry.objects.exists()


# --- Signing in -----------------------------------------------------------------------------------


def test_signing_in_opens_the_service_in_the_persons_language(world_a: World) -> None:
    person = world_a.user(Role.PRACTITIONER)
    User.objects.filter(pk=person.pk).update(language="cy")
    client = Client()
    client.cookies[COOKIE] = "en"  # this browser last showed English
    response = client.post(
        reverse("core:sign-in"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "cy"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="cy"' in page and "Dangosfwrdd" in page


def test_signing_in_without_a_choice_keeps_the_browsers_language(world_a: World) -> None:
    person = world_a.user(Role.PRACTITIONER)
    client = Client()
    client.cookies[COOKIE] = "cy"
    response = client.post(
        reverse("core:sign-in"), {"username": person.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and COOKIE not in response.cookies
    assert '<html lang="cy"' in client.get(response["Location"]).content.decode()
