"""Observations: the form built from the observation instrument (in English and Welsh), answers
checked by the instrument's rules, the date not in the future, scores, tenancy and audit."""

from __future__ import annotations

import dataclasses
import datetime
import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import World, signed_in_client
from tests.core.test_api import call, token_for
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import services_observations as services
from tip.evaluation.models import Observation


def text(response: Any) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def _date(day: datetime.date) -> dict[str, str]:
    return {
        "observed_on_day": str(day.day),
        "observed_on_month": str(day.month),
        "observed_on_year": str(day.year),
    }


def test_the_form_is_built_from_the_instrument_with_anchors(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    url = reverse("evaluation:observation-create", kwargs={"programme_id": d.programme.pk})
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    words = text(page)
    # A rating: radios with its points, "Not seen", and what each rating looks like.
    assert 'name="item_safety"' in body
    assert "Consistently" in words and "Not seen" in words
    assert "Safety is considered throughout" in words
    # Notes as text areas; sections as headings.
    assert '<textarea class="govuk-textarea" id="id_item_went_well"' in body
    assert "The principles of trauma-informed practice" in words


def test_the_form_is_in_welsh_for_a_welsh_reader(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    from tip.evaluation.forms_observations import ObservationForm

    with translation.override("cy"):
        form = ObservationForm(plan=plan)
        assert form.fields["item_safety"].label.startswith("Diogelwch")
        blocks = form.sections()
    assert any("Gan amlaf" in str(item) for block in blocks for item in block.items)


def test_recording_saves_checked_answers_audits_and_shows_scores(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    evaluator = world_a.user(Role.EVALUATOR)
    client = signed_in_client(evaluator)
    url = reverse("evaluation:observation-create", kwargs={"programme_id": d.programme.pk})
    ratings = {f"item_{i}": "3" for i in ("safety", "trust", "choice", "collaboration")}
    body = {"team": "Duty team", **_date(timezone.localdate()), **ratings}
    body |= {"item_minutes": "45", "item_went_well": "  Calm pacing  ", "item_language": "4"}
    response = client.post(url, body)
    assert response.status_code == 302
    observation = Observation.objects.get()
    assert observation.observer == evaluator
    assert observation.answers["safety"] == 3 and observation.answers["minutes"] == 45
    assert observation.answers["went_well"] == "Calm pacing"
    assert (observation.instrument_id, observation.instrument_version) == ("tip-observation", 1)
    entry = AuditEntry.objects.get(object_type="evaluation.Observation", action="create")
    assert entry.actor == evaluator
    page = text(client.get(response["Location"]))
    assert "3.00" in page  # the six principles' mean of four ratings
    assert "Too few ratings to score" in page  # the practice subscale: one rating of two needed


def test_answers_the_instrument_refuses_are_shown_with_what_was_typed(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    url = reverse("evaluation:observation-create", kwargs={"programme_id": d.programme.pk})
    body = {"team": "Duty team", **_date(timezone.localdate())}
    body |= {"item_minutes": "999", "item_safety": "7", "item_went_well": "Kept this"}
    page = client.post(url, body)
    assert page.status_code == 400
    words = text(page)
    assert "There is a problem" in words
    assert "Enter a number between 5 and 480." in words
    assert "is not one of the answers to this question" in words
    assert 'href="#id_item_minutes"' in page.content.decode()
    assert "Kept this" in words and 'value="999"' in page.content.decode()
    assert not Observation.objects.exists()


def test_the_date_cannot_be_in_the_future_and_something_must_be_observed(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.observation_create(
            plan=plan, by=world_a.user(Role.EVALUATOR), observed_on=tomorrow, answers={}
        )
    assert "today or in the past" in " ".join(caught.value.message_dict["observed_on"])
    assert "session" in caught.value.message_dict
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    url = reverse("evaluation:observation-create", kwargs={"programme_id": d.programme.pk})
    page = client.post(url, {"team": "Duty team", **_date(tomorrow)})
    assert page.status_code == 400
    assert "The date observed must be today or in the past" in text(page)


def test_required_items_are_enforced(world_a: World) -> None:
    instrument = services.observation_instrument()
    first = dataclasses.replace(instrument.items[0], required=True)
    strict = dataclasses.replace(instrument, items=(first, *instrument.items[1:]))
    errors: dict[str, str] = {}
    services.clean_observation_answers(strict, {"safety": "2", "nonsense": 1}, errors)
    assert errors["answers.setting"] == "Answer this question."
    assert "answers.nonsense" in errors


def test_change_and_remove_are_audited(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    evaluator = world_a.user(Role.EVALUATOR)
    observation = services.observation_create(
        plan=plan,
        by=evaluator,
        organisation=world_a.organisations[0],
        observed_on=datetime.date(2025, 5, 1),
        answers={"safety": 2},
    )
    client = signed_in_client(evaluator)
    edit = reverse("evaluation:observation-edit", kwargs={"observation_id": observation.pk})
    page = client.get(edit)
    assert page.status_code == 200
    assert 'value="2" checked' in page.content.decode()
    body = {"organisation": world_a.organisations[0].pk, **_date(datetime.date(2025, 5, 2))}
    assert client.post(edit, body | {"item_safety": "4"}).status_code == 302
    observation.refresh_from_db()
    assert observation.answers == {"safety": 4}
    assert AuditEntry.objects.filter(action="update", object_id=str(observation.pk)).exists()
    remove = reverse("evaluation:observation-remove", kwargs={"observation_id": observation.pk})
    assert client.post(remove).status_code == 302
    assert not Observation.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_type="evaluation.Observation")


def test_another_partnerships_observations_answer_404(world_a: World, world_b: World) -> None:
    theirs = Planned(world_b)
    plan = theirs.plan()
    observation = services.observation_create(
        plan=plan,
        by=world_b.user(Role.EVALUATOR),
        team="Theirs",
        observed_on=datetime.date(2025, 1, 1),
        answers={},
    )
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    for name in (
        "evaluation:observation",
        "evaluation:observation-edit",
        "evaluation:observation-remove",
    ):
        assert (
            client.get(reverse(name, kwargs={"observation_id": observation.pk})).status_code == 404
        )
    for name in ("evaluation:observation-list", "evaluation:observation-create"):
        url = reverse(name, kwargs={"programme_id": theirs.programme.pk})
        assert client.get(url).status_code == 404
    # Nor can their organisation be chosen for ours.
    ours = Planned(world_a)
    with pytest.raises(ValidationError) as caught:
        services.observation_create(
            plan=ours.plan(),
            by=world_a.user(Role.EVALUATOR),
            organisation=world_b.organisations[0],
            observed_on=datetime.date(2025, 1, 1),
            answers={},
        )
    assert "organisation" in caught.value.message_dict


def test_trainers_and_practitioners_cannot_record(world_a: World) -> None:
    d = Planned(world_a)
    d.plan()
    url = reverse("evaluation:observation-list", kwargs={"programme_id": d.programme.pk})
    for role in (Role.TRAINER, Role.PRACTITIONER):
        assert signed_in_client(world_a.user(role)).get(url).status_code == 403


def test_the_api_records_reads_lists_and_removes(world_a: World, world_b: World) -> None:
    d = Planned(world_a)
    d.plan()
    key = token_for(world_a.members[Role.EVALUATOR])
    url = f"/api/evaluation/programmes/{d.programme.pk}/observations"
    refused = call(
        "post", url, key, {"team": "Duty", "observed_on": "2025-01-01", "answers": {"safety": 9}}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "answers.safety"
    made = call(
        "post",
        url,
        key,
        {
            "team": "Duty",
            "observed_on": "2025-01-01",
            "answers": {"safety": 3, "trust": 3, "choice": 4, "collaboration": 2},
        },
    )
    assert made.status_code == 201
    found = made.json()
    assert found["scores"]["principles"] == 3.0 and found["team"] == "Duty"
    assert [o["id"] for o in call("get", url, key).json()] == [found["id"]]
    one = f"/api/evaluation/observations/{found['id']}"
    assert call("get", one, key).json()["answers"]["safety"] == 3
    assert call("get", one, token_for(world_b.members[Role.EVALUATOR])).status_code == 404
    assert call("delete", one, key).status_code == 204
    assert AuditEntry.objects.filter(object_type="evaluation.Observation", via="api").count() == 2
