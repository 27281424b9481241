"""How a plan's surveys run (docs/evaluation-plan.md): linking answers through the booking or
with an anonymous code, the code elements that may differ, the days a survey stays open, the
reminder and how long identifiers are kept. Set through the service, the plan's form and the
API with the same refusals, nothing half-saved, audited field by field; and the consent page's
note on questionnaires not yet tested as measures."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.core.test_api import call, token_for
from tests.evaluation.plan_helpers import Planned
from tests.evaluation.survey_helpers import make_survey
from tests.evaluation.test_partnership_instruments import INSTRUMENT
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import services, services_instruments
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import EvaluationPlan, Response

SETTINGS = ("anonymous", "link_mismatches", "days_open", "reminder_days", "retention_days")
DEFAULTS = {
    "anonymous": False,
    "link_mismatches": 1,
    "days_open": 14,
    "reminder_days": 3,
    "retention_days": 730,
}


def text(response: Any) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def settings_of(plan: EvaluationPlan) -> dict[str, Any]:
    plan.refresh_from_db()
    return {name: getattr(plan, name) for name in SETTINGS}


def update(d: Planned, plan: EvaluationPlan, **values: Any) -> EvaluationPlan:
    return services.plan_update(plan=plan, comparison_group=False, by=d.lead, **values)


def answered(plan: EvaluationPlan) -> Response:
    """Someone has consented at the plan's first wave: the plan has a response."""
    return Response.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        wave=plan.waves.order_by("offset_days").first(),
        group="trained",
    )


# --- The service --------------------------------------------------------------------------------


def test_a_new_plan_takes_the_defaults_or_the_values_given(world_a: World) -> None:
    d = Planned(world_a)
    assert settings_of(d.plan()) == DEFAULTS
    other = Planned(world_a, name="Another programme")
    plan = services.plan_create(
        programme=other.programme,
        anonymous=True,
        link_mismatches=2,
        days_open="21",
        reminder_days=0,
        retention_days=365,
        by=other.lead,
    )
    assert settings_of(plan) == {
        "anonymous": True,
        "link_mismatches": 2,
        "days_open": 21,
        "reminder_days": 0,
        "retention_days": 365,
    }


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"anonymous": "yes"}, "anonymous", "through the booking or with an anonymous code"),
        ({"link_mismatches": -1}, "link_mismatches", "from 0 (exact codes only) to 3"),
        ({"link_mismatches": 4}, "link_mismatches", "from 0 (exact codes only) to 3"),
        ({"link_mismatches": True}, "link_mismatches", "as a whole number"),
        ({"days_open": 2}, "days_open", "whole number from 3 to 60"),
        ({"days_open": 61}, "days_open", "whole number from 3 to 60"),
        ({"days_open": "a fortnight"}, "days_open", "whole number from 3 to 60"),
        ({"reminder_days": -1}, "reminder_days", "or 0 for no reminder"),
        ({"reminder_days": 14}, "reminder_days", "while the survey is open (14 days)"),
        (
            {"days_open": 5, "reminder_days": 7},
            "reminder_days",
            "enter fewer days before closing, from 1 to 4, or 0 for no reminder",
        ),
        ({"retention_days": 89}, "retention_days", "from 90 (about 3 months) to 3650"),
        ({"retention_days": 3651}, "retention_days", "to 3650 (about 10 years)"),
        ({"retention_days": 2.5}, "retention_days", "as a whole number"),
    ],
)
def test_each_bound_is_checked_with_a_message_saying_what_to_fix(
    world_a: World, values: dict[str, Any], field: str, words: str
) -> None:
    d = Planned(world_a)
    plan = d.plan()
    with pytest.raises(ValidationError) as exc:
        update(d, plan, **values)
    assert words in exc.value.message_dict[field][0]
    assert settings_of(plan) == DEFAULTS


def test_the_bounds_themselves_are_accepted(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    update(d, plan, link_mismatches=0, days_open=3, reminder_days=2, retention_days=90)
    assert settings_of(plan) == DEFAULTS | {
        "link_mismatches": 0,
        "days_open": 3,
        "reminder_days": 2,
        "retention_days": 90,
    }
    update(d, plan, link_mismatches=3, days_open=60, reminder_days=59, retention_days=3650)
    assert settings_of(plan) == DEFAULTS | {
        "link_mismatches": 3,
        "days_open": 60,
        "reminder_days": 59,
        "retention_days": 3650,
    }


def test_nothing_is_half_saved_and_every_refusal_is_named(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            plan=plan,
            comparison_group=False,
            notes="Kept?",
            anonymous=True,
            days_open=90,
            retention_days=30,
            by=d.lead,
        )
    assert set(exc.value.message_dict) == {"days_open", "retention_days"}
    plan.refresh_from_db()
    assert plan.notes == "" and settings_of(plan) == DEFAULTS
    assert AuditEntry.objects.count() == before


def test_changes_are_audited_field_by_field_and_left_out_values_are_kept(
    world_a: World,
) -> None:
    d = Planned(world_a)
    plan = d.plan()
    created = AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="evaluation.EvaluationPlan"
    ).get()
    assert set(SETTINGS) <= set(created.changed_fields)
    update(d, plan, anonymous=True, days_open=21)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).latest("pk")
    assert entry.changed_fields == ["anonymous", "days_open"]
    assert entry.object_id == str(plan.pk) and entry.via == "web"
    # Left out (None): the plan keeps its values, and an unchanged plan writes no entry.
    count = AuditEntry.objects.count()
    update(d, plan)
    assert settings_of(plan) == DEFAULTS | {"anonymous": True, "days_open": 21}
    assert AuditEntry.objects.count() == count


def test_how_answers_are_linked_cannot_switch_once_anyone_has_answered(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    answered(plan)
    with pytest.raises(ValidationError) as exc:
        update(d, plan, anonymous=True)
    message = exc.value.message_dict["anonymous"][0]
    assert "already answered through their booking" in message
    assert "could not be linked" in message
    assert settings_of(plan)["anonymous"] is False
    # Everything else can still change, including the code's allowance.
    update(d, plan, anonymous=False, link_mismatches=2, days_open=10, reminder_days=2)
    assert settings_of(plan)["link_mismatches"] == 2

    other = Planned(world_a, name="Anonymous programme")
    anonymous = other.plan(anonymous=True)
    answered(anonymous)
    with pytest.raises(ValidationError) as exc:
        update(other, anonymous, anonymous=False)
    assert "already answered with an anonymous code" in exc.value.message_dict["anonymous"][0]


def test_retention_can_be_shortened_but_not_lengthened_once_anyone_has_answered(
    world_a: World,
) -> None:
    d = Planned(world_a)
    plan = d.plan()
    update(d, plan, retention_days=1000)  # nobody has answered yet: anything in range
    answered(plan)
    with pytest.raises(ValidationError) as exc:
        update(d, plan, retention_days=1001)
    assert "enter 1000 or fewer" in exc.value.message_dict["retention_days"][0]
    update(d, plan, retention_days=365)
    assert settings_of(plan)["retention_days"] == 365


# --- The page's form ----------------------------------------------------------------------------


def test_the_form_shows_the_current_values_and_the_plan_page_summarises_them(
    world_a: World,
) -> None:
    d = Planned(world_a)
    plan = d.plan(anonymous=True, link_mismatches=2, days_open=21, reminder_days=0)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    edit = reverse("evaluation:plan-edit", kwargs={"programme_id": d.programme.pk})
    page = client.get(edit)
    assert page.status_code == 200
    body = page.content.decode()
    assert re.search(r'value="code"[^>]*checked', body)
    assert 'name="link_mismatches" type="text" value="2"' in body
    assert 'name="days_open" type="text" value="21"' in body
    assert 'name="reminder_days" type="text" value="0"' in body
    assert 'name="retention_days" type="text" value="730"' in body
    words = text(page)
    assert "Link answers over time" in words and "Through the booking" in words
    assert "TIP keeps only a scrambled form of the answers" in words  # a choice's hint
    assert "Now 730 days: about 24 months." in words

    shown = text(client.get(reverse("evaluation:plan", kwargs={"programme_id": plan.programme_id})))
    assert "Link answers over time With an anonymous code" in shown
    assert "Code elements that may differ 2" in shown
    assert "Days a survey stays open 21 days" in shown
    assert "Reminder No reminder" in shown
    assert "730 days (about 24 months) after the last survey closes" in shown


def test_the_form_refuses_bad_values_with_govuk_errors_and_saves_nothing(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    edit = reverse("evaluation:plan-edit", kwargs={"programme_id": d.programme.pk})
    body = {
        "comparison_group": "no",
        "notes": "Changed",
        "anonymous": "code",
        "link_mismatches": "1",
        "days_open": "10",
        "reminder_days": "10",
        "retention_days": "40",
    }
    refused = client.post(edit, body)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert 'href="#id_reminder_days"' in page and 'href="#id_retention_days"' in page
    words = text(refused)
    assert "The reminder has to go while the survey is open (10 days)" in words
    assert "from 90 (about 3 months) to 3650 (about 10 years)" in words
    # What was typed is shown again, to correct.
    assert 'name="retention_days" type="text" value="40"' in page
    plan.refresh_from_db()
    assert plan.notes == "" and settings_of(plan) == DEFAULTS

    unreadable = client.post(edit, body | {"days_open": "ten", "retention_days": ""})
    assert unreadable.status_code == 400
    words = text(unreadable)
    assert "Enter the number of days a survey stays open as a whole number from 3 to 60" in words
    assert "Enter how many days to keep identifiers and free text" in words
    assert settings_of(plan) == DEFAULTS

    done = client.post(edit, body | {"reminder_days": "2", "retention_days": "365"})
    assert done.status_code == 302
    assert settings_of(plan) == {
        "anonymous": True,
        "link_mismatches": 1,
        "days_open": 10,
        "reminder_days": 2,
        "retention_days": 365,
    }


def test_the_form_says_why_linking_cannot_switch_after_answers(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    answered(plan)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    edit = reverse("evaluation:plan-edit", kwargs={"programme_id": d.programme.pk})
    body = {"comparison_group": "no", "anonymous": "code"} | {
        name: str(DEFAULTS[name]) for name in SETTINGS[1:]
    }
    refused = client.post(edit, body)
    assert refused.status_code == 400
    assert "People have already answered through their booking" in text(refused)
    assert settings_of(plan) == DEFAULTS


# --- The API ------------------------------------------------------------------------------------


def test_the_api_puts_the_settings_and_refuses_bad_values(world_a: World) -> None:
    d = Planned(world_a)
    key = token_for(world_a.members[Role.EVALUATOR])
    url = f"/api/evaluation/programmes/{d.programme.pk}/plan"
    made = call("put", url, key, {"comparison_group": False, "days_open": 28})
    assert made.status_code == 201
    assert {name: made.json()[name] for name in SETTINGS} == DEFAULTS | {"days_open": 28}
    plan = EvaluationPlan.objects.get(programme=d.programme)

    refused = call("put", url, key, {"comparison_group": False, "days_open": 7, "reminder_days": 7})
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["reminder_days"]
    assert "while the survey is open (7 days)" in errors[0]["message"]
    for bad in (
        {"link_mismatches": 4},
        {"days_open": 61},
        {"retention_days": 89},
        {"days_open": "soon"},
        {"anonymous": None},
    ):
        answer = call("put", url, key, {"comparison_group": False} | bad)
        assert answer.status_code == 422, bad
    assert settings_of(plan) == DEFAULTS | {"days_open": 28}

    # Left out: kept. Changed: audited as from the API, field by field.
    changed = call(
        "put", url, key, {"comparison_group": False, "anonymous": True, "link_mismatches": 0}
    )
    assert changed.status_code == 200
    assert changed.json()["days_open"] == 28 and changed.json()["anonymous"] is True
    entry = AuditEntry.objects.filter(via="api", action=AuditAction.UPDATE).latest("pk")
    assert entry.changed_fields == ["anonymous", "link_mismatches"]

    answered(plan)
    switched = call("put", url, key, {"comparison_group": False, "anonymous": False})
    assert switched.status_code == 422
    assert switched.json()["errors"][0]["field"] == "anonymous"
    assert settings_of(plan)["anonymous"] is True


# --- The consent page ---------------------------------------------------------------------------


def test_the_consent_page_notes_questionnaires_not_yet_tested(world_a: World) -> None:
    tested = INSTRUMENT.format(version=1).replace("validated: false", "validated: true")
    services_instruments.partnership_instrument_add(
        partnership=world_a.partnership, text=tested, by=world_a.user(Role.EVALUATOR)
    )
    survey = make_survey(world_a, instruments=("tip-kac", "northshire-wellbeing"))
    client = Client()
    client.cookies["django_language"] = "en"
    words = text(client.get(survey.url("consent/")))
    kac = shipped_instrument("tip-kac")
    assert (
        f"The {kac.title.en} was written for this programme and has not yet been tested as a "
        "measure." in words
    )
    assert " ".join(kac.validation_note.en.split()) in words
    assert "Staff wellbeing check" in words  # listed, but tested: no note
    assert "The Staff wellbeing check was written" not in words
    assert words.count("has not yet been tested as a measure") == 1

    client.cookies["django_language"] = "cy"
    welsh = text(client.get(survey.url("consent/")))
    assert " ".join(kac.validation_note.cy.split()) in welsh
