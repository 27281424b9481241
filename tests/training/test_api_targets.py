"""A programme's training targets through the JSON API: the pages' rules (people who manage
training only), the dashboard's services (the same refusals, naming the field), an audit entry
for every change, and another partnership's ids answering 404."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.core.test_api import assert_json_error, call, token_for
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.programmes.models import Programme
from tip.training import services_dashboard as services
from tip.training.models_followups import TrainingTarget

pytestmark = pytest.mark.django_db


def _programme(world: World, name: str = "Trauma-informed schools") -> Programme:
    return programme_services.programme_create(
        partnership=world.partnership,
        name=name,
        aims="",
        by=world.user(Role.PROGRAMME_LEAD),
    )


def _list_url(programme: Programme) -> str:
    return f"/api/training/programmes/{programme.pk}/training-targets"


def _url(target: TrainingTarget) -> str:
    return f"/api/training/training-targets/{target.pk}"


def _entries(**kw: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="training.TrainingTarget", **kw))


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        TrainingTarget.objects.order_by("pk").values_list(
            "pk", "programme_id", "sector", "organisation_id", "staff_group", "people"
        )
    )


@pytest.fixture
def programme(world_a: World) -> Programme:
    return _programme(world_a)


@pytest.fixture
def lead_key(world_a: World) -> str:
    return token_for(world_a.members[Role.PROGRAMME_LEAD])


def test_a_lead_adds_reads_changes_and_removes_a_target(
    world_a: World, programme: Programme, lead_key: str
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    schools = world_a.organisations[1]
    created = call(
        "POST",
        _list_url(programme),
        lead_key,
        {"sector": "education", "organisation": schools.pk, "staff_group": "senior_leaders"}
        | {"people": 12},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    target = TrainingTarget.objects.get()
    assert body == {
        "id": target.pk,
        "programme": programme.pk,
        "sector": "education",
        "organisation": schools.pk,
        "staff_group": "senior_leaders",
        "people": 12,
        "description": "Education, Alpha Schools, Senior leaders",
    }
    assert target.partnership == world_a.partnership and target.programme == programme
    [entry] = _entries(action=AuditAction.CREATE)
    assert entry.actor == lead and entry.partnership == world_a.partnership
    assert entry.via == "api" and entry.object_id == str(target.pk)

    listed = call("GET", _list_url(programme), lead_key)
    assert listed.status_code == 200 and [t["id"] for t in listed.json()] == [target.pk]
    assert call("GET", _url(target), lead_key).json() == body

    # Only what is sent changes; the organisation stays, so the sector must stay its own.
    changed = call("PATCH", _url(target), lead_key, {"people": 30, "staff_group": ""})
    assert changed.status_code == 200, changed.content
    assert changed.json()["people"] == 30 and changed.json()["organisation"] == schools.pk
    target.refresh_from_db()
    assert (target.people, target.staff_group, target.sector) == (30, "", "education")
    [update] = _entries(action=AuditAction.UPDATE)
    assert update.via == "api" and sorted(update.changed_fields) == ["people", "staff_group"]
    # A null organisation and an empty sector mean any: the target becomes everyone.
    everyone = call("PATCH", _url(target), lead_key, {"organisation": None, "sector": ""})
    assert everyone.json()["description"] == "Everyone"
    # Sending the values it has already changes nothing and writes nothing.
    assert call("PATCH", _url(target), lead_key, {"people": 30}).status_code == 200
    assert len(_entries(action=AuditAction.UPDATE)) == 2

    removed = call("DELETE", _url(target), lead_key)
    assert removed.status_code == 204
    assert not TrainingTarget.objects.exists()
    [deleted] = _entries(action=AuditAction.DELETE)
    assert deleted.actor == lead and deleted.via == "api"
    assert call("GET", _url(target), lead_key).status_code == 404


def test_an_admin_may_too_and_the_dashboard_counts_the_new_target(
    world_a: World, programme: Programme
) -> None:
    key = token_for(world_a.members[Role.PARTNERSHIP_ADMIN])
    created = call("POST", _list_url(programme), key, {"people": 600})
    assert created.status_code == 201, created.content
    assert created.json()["description"] == "Everyone"
    dashboard = call("GET", f"/api/training/programmes/{programme.pk}/dashboard", key).json()
    assert [t["target"] for t in dashboard["targets"]] == [created.json()["id"]]


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.PRACTITIONER, Role.CHAMPION, Role.AUDITOR])
def test_roles_that_do_not_manage_training_are_refused(
    world_a: World, programme: Programme, role: Role
) -> None:
    target = services.target_create(
        programme=programme, people=10, by=world_a.user(Role.PROGRAMME_LEAD)
    )
    before, entries = _snapshot(), len(_entries())
    key = token_for(world_a.members[role])
    for method, url, body in (
        ("GET", _list_url(programme), None),
        ("POST", _list_url(programme), {"people": 5, "sector": "police"}),
        ("GET", _url(target), None),
        ("PATCH", _url(target), {"people": 99}),
        ("DELETE", _url(target), None),
    ):
        assert_json_error(call(method, url, key, body), 403)
    assert _snapshot() == before and len(_entries()) == entries


def test_another_partnerships_programme_and_targets_answer_404(
    world_a: World, world_b: World, programme: Programme, lead_key: str
) -> None:
    theirs = _programme(world_b, "Bravo schools")
    their_target = services.target_create(
        programme=theirs, people=10, by=world_b.user(Role.PROGRAMME_LEAD)
    )
    before, entries = _snapshot(), len(_entries())
    for method, url, body in (
        ("GET", _list_url(theirs), None),
        ("POST", _list_url(theirs), {"people": 5}),
        ("GET", _url(their_target), None),
        ("PATCH", _url(their_target), {"people": 99}),
        ("DELETE", _url(their_target), None),
    ):
        response = assert_json_error(call(method, url, lead_key, body), 404)
        assert "another partnership" in response["detail"]
    assert _snapshot() == before and len(_entries()) == entries
    assert TrainingTarget.objects.get(pk=their_target.pk).people == 10


def _bad_bodies(world_a: World, world_b: World) -> list[tuple[dict[str, Any], str, str]]:
    """Bodies that must be refused: (body, the field named, words of the message)."""
    police, _schools = world_a.organisations
    return [
        ({"sector": "space", "people": 5}, "sector", "Choose one of the sectors"),
        ({"staff_group": "giants", "people": 5}, "staff_group", "Choose one of the groups"),
        (
            {"organisation": world_b.organisations[0].pk, "people": 5},
            "organisation",
            "Choose one of the partnership's organisations",
        ),
        ({"organisation": 987654, "people": 5}, "organisation", "partnership's organisations"),
        (
            {"sector": "education", "organisation": police.pk, "people": 5},
            "organisation",
            "is in the Police sector, not Education",
        ),
        ({"people": 0}, "people", "must be 1 or more"),
        ({"people": -4}, "people", "must be 1 or more"),
        ({"people": 100_001}, "people", "100,000 or fewer"),
        ({"people": "lots"}, "people", "integer"),
        ({}, "people", "required"),
        ({"people": 5, "deadline": "2027-01-01"}, "deadline", "not a field"),
    ]


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    world_a: World, world_b: World, programme: Programme, lead_key: str
) -> None:
    for body, field, words in _bad_bodies(world_a, world_b):
        response = assert_json_error(call("POST", _list_url(programme), lead_key, body), 422)
        fields = {e["field"]: e["message"] for e in response["errors"]}
        assert field in fields, (body, response)
        assert words in " ".join(e["message"] for e in response["errors"]), (body, response)
    assert not TrainingTarget.objects.exists() and not _entries()


def test_a_bad_change_is_refused_and_the_target_stays_as_it_was(
    world_a: World, world_b: World, programme: Programme, lead_key: str
) -> None:
    target = services.target_create(
        programme=programme, people=10, by=world_a.user(Role.PROGRAMME_LEAD)
    )
    before, entries = _snapshot(), len(_entries())
    for body, field, words in _bad_bodies(world_a, world_b):
        if not body:
            continue  # a change of nothing is allowed: it changes nothing
        response = assert_json_error(call("PATCH", _url(target), lead_key, body), 422)
        assert field in {e["field"] for e in response["errors"]}, (body, response)
        assert words in " ".join(e["message"] for e in response["errors"]), (body, response)
    assert _snapshot() == before and len(_entries()) == entries


def test_a_refused_code_lists_the_codes_to_choose_from(programme: Programme, lead_key: str) -> None:
    response = assert_json_error(
        call("POST", _list_url(programme), lead_key, {"sector": "space", "people": 5}), 422
    )
    messages = [e["message"] for e in response["errors"] if e["field"] == "sector"]
    assert messages[0] == "Choose one of the sectors, or any sector"
    assert "police" in messages[1] and "education" in messages[1]


def test_null_for_a_value_is_refused_rather_than_read_as_any(
    world_a: World, programme: Programme, lead_key: str
) -> None:
    target = services.target_create(
        programme=programme, sector="police", people=10, by=world_a.user(Role.PROGRAMME_LEAD)
    )
    for field in ("sector", "staff_group", "people"):
        response = assert_json_error(call("PATCH", _url(target), lead_key, {field: None}), 422)
        assert response["errors"][0]["field"] == field
        assert "cannot be null" in response["errors"][0]["message"]
    target.refresh_from_db()
    assert (target.sector, target.people) == ("police", 10)


def test_a_second_target_for_the_same_people_is_refused(
    world_a: World, programme: Programme, lead_key: str
) -> None:
    url = _list_url(programme)
    first = call("POST", url, lead_key, {"staff_group": "support_staff", "people": 5})
    assert first.status_code == 201, first.content
    again = assert_json_error(
        call("POST", url, lead_key, {"staff_group": "support_staff", "people": 8}), 422
    )
    assert "already has a target for Support staff" in again["detail"]
    assert TrainingTarget.objects.get().people == 5
    other = call("POST", url, lead_key, {"staff_group": "volunteers", "people": 8}).json()
    # Changing one target into another the programme has is refused the same way.
    refused = call(
        "PATCH",
        f"/api/training/training-targets/{other['id']}",
        lead_key,
        {"staff_group": "support_staff"},
    )
    assert refused.status_code == 422 and "already has a target" in refused.json()["detail"]
    assert len(_entries(action=AuditAction.CREATE)) == 2 and not _entries(action=AuditAction.UPDATE)
