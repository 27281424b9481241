"""The survey pages a personal link opens: link states, consent, question pages with the
instrument's checks, saving and resuming, the anonymous code, covariates, check and submit."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import World
from tests.evaluation.helpers import build
from tests.evaluation.survey_helpers import Survey, make_survey
from tip.core.models import AuditEntry
from tip.evaluation import survey_services
from tip.evaluation.codes import hash_code
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models_collection import InvitationStatus, Response

pytestmark = pytest.mark.django_db

KNOWLEDGE = "q/tip-kac.knowledge/"
ATTITUDES = "q/tip-kac.attitudes/"
CONFIDENCE = "q/tip-kac.confidence/"


def consent(client: Client, survey: Survey) -> None:
    response = client.post(survey.url("consent/"), {"agree": "yes"})
    assert response.status_code == 302


def response_of(survey: Survey) -> Response:
    return Response.objects.get(invitation=survey.invitation)


# --- Link states --------------------------------------------------------------------------------


def test_an_unknown_link_says_it_does_not_work_and_what_to_do(client: Client) -> None:
    for path in ("/evaluation/s/not-a-real-token/", "/evaluation/s/x/check/"):
        response = client.get(path)
        assert response.status_code == 404
        text = response.content.decode()
        assert "This link does not work" in text
        assert "ask the person who sent you the survey" in text
        assert response["Cache-Control"] == "no-store"


def test_a_link_not_open_yet_says_when_it_opens(world_a: World, client: Client) -> None:
    survey = make_survey(world_a, opens_in=timedelta(days=2), closes_in=timedelta(days=10))
    response = client.get(survey.start)
    assert response.status_code == 200
    text = response.content.decode()
    assert "This survey is not open yet" in text
    assert survey.invitation.opens_at.strftime("%Y") in text
    assert not Response.objects.exists()


def test_a_closed_or_withdrawn_link_says_it_closed(world_a: World, client: Client) -> None:
    survey = make_survey(world_a, opens_in=timedelta(days=-20), closes_in=timedelta(days=-1))
    text = client.get(survey.start).content.decode()
    assert "This survey has closed" in text and "It closed on" in text
    assert client.post(survey.url("consent/"), {"agree": "yes"}).status_code == 200
    assert not Response.objects.exists()
    withdrawn = make_survey(world_a, status=InvitationStatus.WITHDRAWN, name="Other programme")
    text = client.get(withdrawn.url(KNOWLEDGE)).content.decode()
    assert "This survey has closed" in text and "closed this survey early" in text


def test_a_completed_link_thanks_them_and_changes_nothing(world_a: World, client: Client) -> None:
    survey = make_survey(world_a)
    consent(client, survey)
    client.post(survey.url(KNOWLEDGE), {"k01": "true"})
    assert client.post(survey.url("check/")).status_code == 302
    saved = response_of(survey)
    assert saved.submitted_at is not None
    survey.invitation.refresh_from_db()
    assert survey.invitation.status == InvitationStatus.COMPLETED
    completed_at = survey.invitation.completed_at

    again = Client()
    text = again.get(survey.start).content.decode()
    assert "You have already answered, thank you" in text
    again.post(survey.url(KNOWLEDGE), {"k01": "false"})
    again.post(survey.url("check/"))
    again.post(survey.url("consent/"), {"agree": "no"})
    later = response_of(survey)
    assert later.answers == saved.answers and later.submitted_at == saved.submitted_at
    survey.invitation.refresh_from_db()
    assert survey.invitation.completed_at == completed_at
    done = again.get(survey.url("done/"))
    assert done.status_code == 200 and "Your answers have been sent" in done.content.decode()


# --- Consent ------------------------------------------------------------------------------------


def test_the_consent_page_says_what_why_who_and_when(world_a: World, client: Client) -> None:
    survey = make_survey(world_a, anonymous=True)
    response = client.get(survey.start, follow=True)
    text = response.content.decode()
    assert "Before you start" in text
    assert shipped_instrument("tip-kac").title.en in text
    assert "your sector, role" in text  # baseline covariates
    assert "scrambled form" in text  # the anonymous code
    assert "evaluators and programme leads" in text
    assert "counts and averages" in text
    delete_on = survey_services.retention_date(survey.invitation)
    assert delete_on.strftime("%Y") in text and "24 months after" in text
    assert "optional" in text and "stop at any time" in text


def test_consent_yes_records_it_and_no_saves_nothing(world_a: World, client: Client) -> None:
    survey = make_survey(world_a)
    response = client.post(survey.url("consent/"), {"agree": "no"})
    assert response["Location"] == survey.url("declined/")
    assert "Thank you for letting us know" in client.get(response["Location"]).content.decode()
    assert not Response.objects.exists()
    survey.invitation.refresh_from_db()
    assert survey.invitation.status == InvitationStatus.SENT
    # No choice at all is an error, not a consent.
    assert client.post(survey.url("consent/"), {}).status_code == 400
    # Pages before consent go back to the consent page.
    assert client.get(survey.url(KNOWLEDGE))["Location"] == survey.url("consent/")

    response = client.post(survey.url("consent/"), {"agree": "yes"})
    assert response["Location"] == survey.url("q/about-you/")
    saved = response_of(survey)
    assert saved.consented_at is not None and saved.answers == {}
    assert saved.partnership_id == world_a.partnership.pk


def test_the_language_follows_the_account_then_the_cookie(world_a: World) -> None:
    user = world_a.members["practitioner"].user
    user.language = "cy"
    user.save(update_fields=["language"])
    survey = make_survey(world_a)
    client = Client()
    page = client.get(survey.url("consent/"))
    assert '<html lang="cy"' in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(survey.url("consent/"))
    assert '<html lang="en"' in page.content.decode()


# --- Question pages -----------------------------------------------------------------------------


def test_a_likert_value_not_on_the_scale_is_refused_and_nothing_saved(
    world_a: World, client: Client
) -> None:
    survey = make_survey(world_a)
    consent(client, survey)
    response = client.post(survey.url(ATTITUDES), {"a01": "9", "a02": "4"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "is not one of the answers to this question" in text
    assert 'href="#id_a01"' in text
    assert 'value="4" checked' in text  # what they chose is kept
    assert response_of(survey).answers == {}
    assert response_of(survey).position == ""


def test_an_out_of_range_number_is_refused_and_nothing_saved(
    world_a: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    instrument = build()

    def found(partnership: object, instrument_id: str, version: int | None = None) -> object:
        if instrument_id == instrument.id:
            return instrument
        return shipped_instrument(instrument_id)

    monkeypatch.setattr(survey_services, "instrument_for", found)
    survey = make_survey(world_a, offset=0, instruments=(instrument.id,))
    consent(client, survey)
    pages = survey_services.survey_pages(survey.invitation)
    assert [p.key for p in pages] == [f"{instrument.id}.1", f"{instrument.id}.2"]
    first = survey.url(f"q/{instrument.id}.1/")
    response = client.post(first, {"l1": "3", "n1": "11"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a number between 0 and 10." in text
    assert 'value="11"' in text
    assert response_of(survey).answers == {}
    # The instrument marks n1 as required.
    response = client.post(first, {"l1": "3"})
    assert response.status_code == 400 and "Answer this question." in response.content.decode()
    response = client.post(first, {"l1": "3", "n1": "7", "k1": "true"})
    assert response.status_code == 302
    assert response_of(survey).answers == {instrument.id: {"l1": 3, "n1": 7, "k1": "true"}}
    # The second page: free text (a character count) and multiple choice, kept as a list.
    second = survey.url(f"q/{instrument.id}.2/")
    assert "govuk-character-count" in client.get(second).content.decode()
    response = client.post(second, {"t1": "  fine  ", "m1": ["b", "a"]})
    assert response.status_code == 302, response.content.decode()
    answers = response_of(survey).answers[instrument.id]
    assert answers["t1"] == "fine" and answers["m1"] == ["a", "b"] and answers["n1"] == 7


def test_a_question_page_in_welsh_uses_the_instrument_welsh(world_a: World) -> None:
    survey = make_survey(world_a)
    client = Client()
    client.cookies["django_language"] = "cy"
    consent(client, survey)
    text = client.get(survey.url(ATTITUDES)).content.decode()
    assert '<html lang="cy"' in text
    assert "Cytuno&#39;n gryf" in text


def test_answers_are_saved_per_page_and_resume_after_a_restart(
    world_a: World, client: Client
) -> None:
    survey = make_survey(world_a, offset=0)  # straight after: no questions about the person
    consent(client, survey)
    response = client.post(survey.url(KNOWLEDGE), {"k01": "true", "k02": "dont_know"})
    assert response["Location"] == survey.url(ATTITUDES)
    saved = response_of(survey)
    assert saved.answers == {"tip-kac": {"k01": "true", "k02": "dont_know"}}
    assert saved.versions == {"tip-kac": 1}
    assert saved.position == "tip-kac.attitudes"
    survey.invitation.refresh_from_db()
    assert survey.invitation.status == InvitationStatus.STARTED
    started = survey.invitation.started_at
    assert started is not None

    # A new browser (or the server restarted): the same link resumes where they stopped.
    other = Client()
    assert other.get(survey.start)["Location"] == survey.url(ATTITUDES)
    other.post(survey.url(ATTITUDES), {"a01": "5"})
    survey.invitation.refresh_from_db()
    assert survey.invitation.started_at == started
    assert response_of(survey).answers["tip-kac"] == {"k01": "true", "k02": "dont_know", "a01": 5}
    assert other.get(survey.start)["Location"] == survey.url(CONFIDENCE)

    # Back goes to the previous page, which shows the answers saved there.
    page = other.get(survey.url(CONFIDENCE)).content.decode()
    assert f'href="{survey.url(ATTITUDES)}"' in page
    back = other.get(survey.url(ATTITUDES)).content.decode()
    assert 'name="a01" type="radio" value="5" checked' in back
    # Clearing an answer removes it; other pages' answers stay.
    other.post(survey.url(ATTITUDES), {})
    assert response_of(survey).answers["tip-kac"] == {"k01": "true", "k02": "dont_know"}


def test_check_answers_lists_everything_and_submits_once(world_a: World, client: Client) -> None:
    survey = make_survey(world_a, offset=0)
    consent(client, survey)
    client.post(survey.url(KNOWLEDGE), {"k01": "true"})
    client.post(survey.url(ATTITUDES), {"a01": "4"})
    response = client.post(survey.url(CONFIDENCE), {})
    assert response["Location"] == survey.url("check/")
    text = client.get(survey.url("check/")).content.decode()
    assert "Check your answers before sending them" in text
    assert "Agree (4)" in text and "Not answered" in text
    assert f"{survey.url(ATTITUDES)}?change=1" in text
    # Change: back to the check page afterwards.
    response = client.post(survey.url(ATTITUDES), {"a01": "2", "change": "1"})
    assert response["Location"] == survey.url("check/")
    assert client.post(survey.url("check/"))["Location"] == survey.url("done/")
    first = response_of(survey).submitted_at
    assert client.post(survey.url("check/")).status_code == 200  # the "already answered" page
    assert response_of(survey).submitted_at == first
    text = client.get(survey.url("done/")).content.decode()
    assert "govuk-panel" in text and "Your answers have been sent" in text


# --- Covariates and the anonymous code ----------------------------------------------------------


def test_covariates_are_asked_and_saved_at_the_baseline_only(
    world_a: World, client: Client
) -> None:
    survey = make_survey(world_a)
    consent(client, survey)
    organisation = world_a.organisations[1]
    bad = client.post(survey.url("q/about-you/"), {"years_in_role": "61"})
    assert bad.status_code == 400
    assert "Enter the years as a whole number from 0 to 60" in bad.content.decode()
    assert response_of(survey).covariates == {}
    client.post(
        survey.url("q/about-you/"),
        {
            "sector": "education",
            "role": "School nurse",
            "years_in_role": "4",
            "prior_training": "not_sure",
            "organisation": str(organisation.pk),
        },
    )
    assert response_of(survey).covariates == {
        "sector": "education",
        "role": "School nurse",
        "years_in_role": 4,
        "prior_training": "not_sure",
        "organisation": organisation.pk,
    }
    later = make_survey(world_a, offset=182, name="Later programme")
    consent(client, later)
    pages = [p.key for p in survey_services.survey_pages(later.invitation)]
    assert "about-you" not in pages
    assert client.get(later.url("q/about-you/")).status_code == 404


def test_an_organisation_of_another_partnership_is_refused(
    world_a: World, world_b: World, client: Client
) -> None:
    survey = make_survey(world_a)
    consent(client, survey)
    text = client.get(survey.url("q/about-you/")).content.decode()
    assert world_a.organisations[0].name in text
    assert world_b.organisations[0].name not in text
    response = client.post(
        survey.url("q/about-you/"), {"organisation": str(world_b.organisations[0].pk)}
    )
    assert response.status_code == 400
    assert response_of(survey).covariates == {}


CLEAR = {
    "parent_initial": "Q",
    "older_siblings": "13",
    "birth_day": "29",
    "birth_month": "Chwefror",
    "birthplace_initial": "Z",
    "first_name_last_letter": "X",
}


def test_the_anonymous_code_is_hashed_and_never_kept_in_clear(
    world_a: World, client: Client
) -> None:
    survey = make_survey(world_a, anonymous=True)
    consent(client, survey)
    bad = client.post(survey.url("q/code/"), {**CLEAR, "birth_day": "40"})
    assert bad.status_code == 400
    assert "Enter a whole number from 1 to 31" in bad.content.decode()
    assert response_of(survey).code_hashes is None
    posted = {**CLEAR, "older_siblings": "", "older_siblings_dont_know": "on"}
    response = client.post(survey.url("q/code/"), posted)
    assert response["Location"] == survey.url(f"q/{'tip-kac.knowledge'}/")
    saved = response_of(survey)
    expected = hash_code({**CLEAR, "older_siblings": None}, context=f"plan-{survey.plan.pk}")
    assert saved.code_hashes == list(expected)
    assert saved.code_hashes[1] is None
    row = json.dumps(
        {f.attname: str(getattr(saved, f.attname)) for f in Response._meta.concrete_fields}
    )
    audit = json.dumps(
        [[e.object_repr, e.changed_fields, e.purpose] for e in AuditEntry.objects.all()]
    )
    for value in ("Chwefror", '"13"', '"29"'):
        assert value not in row and value not in audit
    # The page never shows them again: it says they were answered.
    again = client.get(survey.url("q/code/")).content.decode()
    assert "You have answered these questions already" in again
    assert "Chwefror" not in again
    # Left empty, the page keeps the code it has.
    client.post(survey.url("q/code/"), {})
    assert response_of(survey).code_hashes == list(expected)


# --- Isolation and cost -------------------------------------------------------------------------


def test_a_link_shows_only_its_own_answers(world_a: World, world_b: World, client: Client) -> None:
    mine = make_survey(world_a, offset=0)
    theirs = make_survey(world_b, offset=0)
    other = Client()
    consent(other, theirs)
    other.post(theirs.url("q/tip-kac.attitudes/"), {"a01": "1"})
    consent(client, mine)
    text = client.get(mine.url(ATTITUDES)).content.decode()
    assert "checked" not in text
    assert world_b.partnership.name not in client.get(mine.url("consent/")).content.decode()
    assert response_of(mine).answers == {}


def test_queries_are_bounded_per_page(world_a: World, client: Client) -> None:
    survey = make_survey(world_a, anonymous=True)
    consent(client, survey)
    for path in ("", "consent/", "q/about-you/", "q/code/", KNOWLEDGE, "check/"):
        with CaptureQueriesContext(connection) as reads:
            response = client.get(survey.url(path))
        assert response.status_code in (200, 302), path
        assert len(reads) <= 10, (path, [q["sql"] for q in reads])
    with CaptureQueriesContext(connection) as writes:
        client.post(survey.url(KNOWLEDGE), {"k01": "true"})
    assert len(writes) <= 14, [q["sql"] for q in writes]
