"""Providers and trainers: the key-criteria check, answers, pages, tenancy, audit and the API."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.core.services import api_token_create
from tip.training import selectors_providers as selectors
from tip.training import services_providers as services
from tip.training.models_providers import Provider, Trainer, TrainerAnswer
from tip.training.trainer_questions import DataFileError, key_codes, load_questions

KEYS_MET = {code: ("yes", "") for code in key_codes()}


def make_provider(world: World, name: str = "Safe Minds Ltd") -> Provider:
    return services.provider_create(
        partnership=world.partnership,
        name=name,
        kind="specialist",
        by=world.user(Role.PROGRAMME_LEAD),
    )


def make_trainer(provider: Provider, world: World, name: str, answers: Any = None) -> Trainer:
    by = world.user(Role.PROGRAMME_LEAD)
    trainer = services.trainer_create(provider=provider, name=name, by=by)
    if answers:
        services.trainer_answers_set(trainer=trainer, answers=answers, by=by)
    return trainer


def lead(world: World) -> Client:
    return signed_in_client(world.user(Role.PROGRAMME_LEAD))


# --- The questions file ----------------------------------------------------------------------


def test_the_questions_follow_the_guidance_in_english_and_welsh() -> None:
    questions = load_questions()
    codes = [q.code for q in questions]
    assert codes == [
        "qualification",
        "professional_development",
        "support_if_triggered",
        "training_experience",
        "cohort_experience",
        "young_people_experience",
        "lived_experience",
    ]
    assert key_codes() == ["qualification", "support_if_triggered", "training_experience"]
    for q in questions:
        assert q.question("cy") != q.question("en") and q.title("cy-gb") == q.title_cy


def test_a_faulty_questions_file_is_refused_naming_the_entry(tmp_path: Any) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text(
        "questions:\n  - code: qualification\n    key: maybe\n"
        "    title: {en: A, cy: B}\n    question: {en: Aa, cy: Bb}\n"
    )
    with pytest.raises(DataFileError, match=r"question 1 \(qualification\), key"):
        load_questions(bad)
    none_key = tmp_path / "none.yaml"
    none_key.write_text(
        "questions:\n  - code: q\n    key: false\n    title: {en: A, cy: B}\n"
        "    question: {en: Aa, cy: Bb}\n"
    )
    with pytest.raises(DataFileError, match="at least one question as a key criterion"):
        load_questions(none_key)


# --- Services ----------------------------------------------------------------------------------


def test_provider_names_are_unique_in_a_partnership_only(world_a: World, world_b: World) -> None:
    make_provider(world_a)
    with pytest.raises(ValidationError) as exc:
        make_provider(world_a, "safe minds ltd")
    assert "already listed" in str(exc.value.message_dict["name"])
    make_provider(world_b)  # another partnership may use the name


def test_answers_are_saved_once_and_changes_audited(world_a: World) -> None:
    trainer = make_trainer(make_provider(world_a), world_a, "Asha")
    by = world_a.user(Role.PROGRAMME_LEAD)
    services.trainer_answers_set(trainer=trainer, answers={"qualification": ("yes", "MSc")}, by=by)
    services.trainer_answers_set(trainer=trainer, answers={"qualification": ("yes", "MSc")}, by=by)
    assert TrainerAnswer.objects.filter(trainer=trainer).count() == 1
    entries = AuditEntry.objects.filter(object_type="training.Trainer", object_id=str(trainer.pk))
    assert [e.action for e in entries.order_by("pk")] == [AuditAction.CREATE, AuditAction.UPDATE]
    with pytest.raises(ValidationError):
        services.trainer_answers_set(trainer=trainer, answers={"astrology": ("yes", "")}, by=by)
    with pytest.raises(ValidationError):
        services.trainer_answers_set(trainer=trainer, answers={"qualification": ("?", "")}, by=by)


def test_the_team_says_who_meets_the_key_criteria_and_why_not(world_a: World) -> None:
    provider = make_provider(world_a)
    make_trainer(provider, world_a, "Asha", KEYS_MET)
    make_trainer(provider, world_a, "Ben", {**KEYS_MET, "support_if_triggered": ("no", "")})
    team = selectors.team(trainers=selectors.trainer_list(provider=provider))
    assert [t.name for t in team.meeting] == ["Asha"] and not team.enough
    ben = team.rows[1]
    assert [(q.code, answer) for q, answer in ben.gaps] == [("support_if_triggered", "No")]
    assert "lived_experience" in [q.code for q in team.uncovered]
    make_trainer(provider, world_a, "Cy", KEYS_MET)
    assert selectors.team(trainers=selectors.trainer_list(provider=provider)).enough


# --- Pages -------------------------------------------------------------------------------------


def test_the_provider_page_says_whether_two_trainers_meet_the_key_criteria(
    world_a: World,
) -> None:
    provider = make_provider(world_a)
    make_trainer(provider, world_a, "Asha Trainer", KEYS_MET)
    make_trainer(provider, world_a, "Ben Trainer", {"qualification": ("partly", "")})
    client = lead(world_a)
    url = reverse("training:provider-detail", kwargs={"provider_id": provider.pk})
    page = html.unescape(client.get(url).content.decode())
    assert "Only 1 trainer meets the key criteria" in page
    assert "Relevant qualification: Partly" in page
    assert "Experienced trainer: Not known yet" in page
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_id=str(provider.pk), purpose__startswith="Training:"
    ).exists()
    make_trainer(provider, world_a, "Cara Trainer", KEYS_MET)
    page = html.unescape(client.get(url).content.decode())
    assert "2 trainers meet the key criteria" in page and "Asha Trainer, Cara Trainer" in page


def test_answers_form_records_every_question(world_a: World) -> None:
    trainer = make_trainer(make_provider(world_a), world_a, "Asha")
    url = reverse("training:trainer-answers", kwargs={"trainer_id": trainer.pk})
    body = {f"{q.code}-answer": "yes" for q in load_questions()}
    body["qualification-evidence"] = "Doctorate in clinical psychology"
    response = lead(world_a).post(url, body)
    assert response.status_code == 302
    assert TrainerAnswer.objects.filter(trainer=trainer, answer="yes").count() == len(body) - 1
    page = lead(world_a).get(response["Location"]).content.decode()
    assert "Doctorate in clinical psychology" in page and "All met" in page


def test_a_missing_answer_is_named_in_the_error(world_a: World) -> None:
    trainer = make_trainer(make_provider(world_a), world_a, "Asha")
    url = reverse("training:trainer-answers", kwargs={"trainer_id": trainer.pk})
    response = lead(world_a).post(url, {"qualification-answer": "yes"})
    assert response.status_code == 400
    assert "Choose an answer to: Are they an experienced" in html.unescape(
        response.content.decode()
    )


def test_practitioners_see_providers_but_not_trainers(world_a: World) -> None:
    provider = make_provider(world_a)
    trainer = make_trainer(provider, world_a, "Asha Hidden")
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    page = client.get(reverse("training:provider-list")).content.decode()
    assert "Safe Minds Ltd" in page and "Asha Hidden" not in page
    detail = reverse("training:trainer-detail", kwargs={"trainer_id": trainer.pk})
    assert client.get(detail).status_code == 403


def test_another_partnerships_trainer_is_not_found(world_a: World, world_b: World) -> None:
    theirs = make_trainer(make_provider(world_b), world_b, "Bravo Trainer")
    url = reverse("training:trainer-detail", kwargs={"trainer_id": theirs.pk})
    assert lead(world_a).get(url).status_code == 404


# --- API ---------------------------------------------------------------------------------------


def api(world: World, role: str = Role.PROGRAMME_LEAD) -> tuple[Client, dict[str, str]]:
    member = world.members[role]
    _token, key = api_token_create(membership=member, name="script", by=member.user)
    return Client(), {"Authorization": f"Bearer {key}"}


def test_the_api_lists_providers_and_audits_trainers(world_a: World, world_b: World) -> None:
    provider = make_provider(world_a)
    make_trainer(provider, world_a, "Asha", KEYS_MET)
    client, headers = api(world_a)
    listed = client.get("/api/training/providers", headers=headers).json()
    assert listed == [
        {
            "id": provider.pk,
            "name": "Safe Minds Ltd",
            "kind": "specialist",
            "description": "",
            "trainers": 1,
            "trainers_meeting_key_criteria": 1,
        }
    ]
    trainers = client.get(f"/api/training/providers/{provider.pk}/trainers", headers=headers).json()
    assert trainers[0]["meets_key_criteria"] is True
    assert trainers[0]["answers"][0] == {
        "question": "qualification",
        "key_criterion": True,
        "answer": "yes",
        "evidence": "",
    }
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, via="api").exists()
    theirs = make_provider(world_b, "Bravo Minds")
    response = client.get(f"/api/training/providers/{theirs.pk}", headers=headers)
    assert response.status_code == 404


def test_the_api_refuses_a_duplicate_provider_with_the_field_named(world_a: World) -> None:
    make_provider(world_a)
    client, headers = api(world_a)
    response = client.post(
        "/api/training/providers",
        {"name": "Safe Minds Ltd", "kind": "specialist"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
