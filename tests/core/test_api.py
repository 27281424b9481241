"""The JSON API: its schema, token sign-in, tenancy, malformed input and the audit trail."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.factories import MembershipFactory
from tip.core import services
from tip.core.api import api
from tip.core.models import ApiToken, AuditAction, AuditEntry, Membership, Organisation
from tip.core.roles import Role

# --- helpers ---------------------------------------------------------------------------------


def token_for(membership: Membership, name: str = "script") -> str:
    _token, key = services.api_token_create(membership=membership, name=name, by=membership.user)
    return key


def call(
    method: str, path: str, key: str | None = None, body: Any = None, *, raw: str | None = None
) -> Any:
    """One API request, as a script would send it."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    data = raw if raw is not None else (json.dumps(body) if body is not None else "")
    client = Client(enforce_csrf_checks=True)
    return getattr(client, method.lower())(
        path, data=data, content_type="application/json", **headers
    )


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


@pytest.fixture
def admin_key(world_a: World) -> str:
    return token_for(world_a.members[Role.PARTNERSHIP_ADMIN])


# --- the schema ------------------------------------------------------------------------------

EXPECTED_OPERATIONS = {
    ("get", "/api/me"),
    ("get", "/api/organisations"),
    ("post", "/api/organisations"),
    ("get", "/api/organisations/{organisation_id}"),
    ("put", "/api/organisations/{organisation_id}"),
    ("patch", "/api/organisations/{organisation_id}"),
    ("delete", "/api/organisations/{organisation_id}"),
    ("get", "/api/people"),
    ("get", "/api/people/{membership_id}"),
    # Added by the programmes app through core's register_router.
    ("get", "/api/programmes"),
    ("post", "/api/programmes"),
    ("get", "/api/programmes/{programme_id}"),
    ("get", "/api/programmes/{programme_id}/elements"),
    ("post", "/api/programmes/{programme_id}/elements"),
    ("get", "/api/programmes/{programme_id}/elements/{element_id}"),
    ("patch", "/api/programmes/{programme_id}/elements/{element_id}"),
    ("delete", "/api/programmes/{programme_id}/elements/{element_id}"),
    ("get", "/api/programmes/{programme_id}/links"),
    ("post", "/api/programmes/{programme_id}/links"),
    ("delete", "/api/programmes/{programme_id}/links/{link_id}"),
    ("get", "/api/programmes/{programme_id}/readiness"),
    ("get", "/api/programmes/{programme_id}/readiness/answers"),
    ("patch", "/api/programmes/{programme_id}/readiness/answers"),
    # Added by the training app: providers and trainers.
    ("get", "/api/training/providers"),
    ("post", "/api/training/providers"),
    ("get", "/api/training/providers/{provider_id}"),
    ("patch", "/api/training/providers/{provider_id}"),
    ("delete", "/api/training/providers/{provider_id}"),
    ("get", "/api/training/providers/{provider_id}/trainers"),
    ("post", "/api/training/providers/{provider_id}/trainers"),
    ("get", "/api/training/trainers/{trainer_id}"),
    ("delete", "/api/training/trainers/{trainer_id}"),
    # Added by the training app: courses.
    ("get", "/api/training/courses"),
    ("get", "/api/training/bookings"),
    ("post", "/api/training/bookings"),
    ("post", "/api/training/bookings/{booking_id}/cancel"),
    ("post", "/api/training/courses"),
    ("get", "/api/training/courses/{course_id}"),
    ("get", "/api/training/sessions"),
    ("post", "/api/training/sessions"),
    ("get", "/api/training/sessions/{session_id}"),
    # Added by the training app: the train-the-trainer cascade.
    ("get", "/api/training/trainers/{trainer_id}/certifications"),
    ("post", "/api/training/trainers/{trainer_id}/certifications"),
    ("get", "/api/training/trainers/{trainer_id}/observations"),
    ("post", "/api/training/trainers/{trainer_id}/observations"),
    # Added by the training app: attendance registers and training records.
    ("get", "/api/training/registers/{register_id}"),
    ("put", "/api/training/registers/{register_id}"),
    ("get", "/api/training/my-record"),
    # Added by the training app: follow-up invitations.
    ("get", "/api/training/my-follow-ups"),
    ("get", "/api/training/courses/{course_id}/follow-up-invitations"),
    ("patch", "/api/training/follow-up-invitations/{invitation_id}"),
    # Added by the training app: a programme's delivery dashboard.
    ("get", "/api/training/programmes/{programme_id}/dashboard"),
    # Added by the training app: a programme's training targets.
    ("get", "/api/training/programmes/{programme_id}/training-targets"),
    ("post", "/api/training/programmes/{programme_id}/training-targets"),
    ("get", "/api/training/training-targets/{target_id}"),
    ("patch", "/api/training/training-targets/{target_id}"),
    ("delete", "/api/training/training-targets/{target_id}"),
    # Added by the evaluation app: a programme's evaluation plan.
    ("get", "/api/evaluation/instruments"),
    ("get", "/api/evaluation/programmes/{programme_id}/plan"),
    ("put", "/api/evaluation/programmes/{programme_id}/plan"),
    ("get", "/api/evaluation/programmes/{programme_id}/waves"),
    ("post", "/api/evaluation/programmes/{programme_id}/waves"),
    ("patch", "/api/evaluation/waves/{wave_id}"),
    ("delete", "/api/evaluation/waves/{wave_id}"),
    ("get", "/api/evaluation/programmes/{programme_id}/measures"),
    ("post", "/api/evaluation/programmes/{programme_id}/measures"),
    ("patch", "/api/evaluation/measures/{measure_id}"),
    ("delete", "/api/evaluation/measures/{measure_id}"),
    # Added by the evaluation app: observations, invitations, response rates, comparison cohorts.
    ("get", "/api/evaluation/programmes/{programme_id}/observations"),
    ("post", "/api/evaluation/programmes/{programme_id}/observations"),
    ("get", "/api/evaluation/observations/{observation_id}"),
    ("delete", "/api/evaluation/observations/{observation_id}"),
    ("get", "/api/evaluation/partnership-instruments"),
    ("post", "/api/evaluation/partnership-instruments"),
    ("get", "/api/evaluation/partnership-instruments/{partnership_instrument_id}"),
    ("delete", "/api/evaluation/partnership-instruments/{partnership_instrument_id}"),
    ("get", "/api/evaluation/programmes/{programme_id}/invitations"),
    ("post", "/api/evaluation/programmes/{programme_id}/invitations/sync"),
    ("get", "/api/evaluation/programmes/{programme_id}/rates"),
    ("get", "/api/evaluation/programmes/{programme_id}/cohorts"),
    ("post", "/api/evaluation/programmes/{programme_id}/cohorts"),
    ("get", "/api/evaluation/cohorts/{cohort_id}"),
    ("patch", "/api/evaluation/cohorts/{cohort_id}"),
    ("delete", "/api/evaluation/cohorts/{cohort_id}"),
    ("post", "/api/evaluation/cohorts/{cohort_id}/members"),
    # Added by the evaluation app: responses, pseudonymised, and imports of them.
    ("get", "/api/evaluation/programmes/{programme_id}/responses"),
    ("post", "/api/evaluation/programmes/{programme_id}/imports"),
    # Added by the evaluation app: reports' results, aggregates only.
    ("get", "/api/evaluation/programmes/{programme_id}/report"),
    ("get", "/api/evaluation/courses/{course_id}/report"),
    ("get", "/api/evaluation/sessions/{session_id}/report"),
    ("get", "/api/evaluation/report"),
    ("get", "/api/programmes/{programme_id}/notes"),
    ("get", "/api/programmes/{programme_id}/elements/{element_id}/notes"),
    ("post", "/api/programmes/{programme_id}/elements/{element_id}/notes"),
    ("get", "/api/programmes/{programme_id}/links/{link_id}/notes"),
    ("post", "/api/programmes/{programme_id}/links/{link_id}/notes"),
    ("delete", "/api/programmes/{programme_id}/notes/{note_id}"),
    ("get", "/api/programmes/{programme_id}/indicators"),
    ("get", "/api/programmes/{programme_id}/elements/{element_id}/indicators"),
    ("post", "/api/programmes/{programme_id}/elements/{element_id}/indicators"),
    ("delete", "/api/programmes/{programme_id}/indicators/{indicator_id}"),
    ("get", "/api/programmes/{programme_id}/questions"),
    ("post", "/api/programmes/{programme_id}/questions"),
    ("get", "/api/programmes/{programme_id}/proposals"),
    ("post", "/api/programmes/{programme_id}/proposals/{proposal_key}/accept"),
    ("post", "/api/programmes/{programme_id}/proposals/{proposal_key}/dismiss"),
    ("get", "/api/self-assessments"),
    ("post", "/api/self-assessments"),
    ("get", "/api/self-assessments/components"),
    ("get", "/api/self-assessments/latest"),
    ("get", "/api/self-assessments/{assessment_id}"),
    ("post", "/api/language/check"),
    ("get", "/api/language/rules"),
    ("post", "/api/language/feedback"),
    ("get", "/api/language/partnership-rules"),
    ("post", "/api/language/partnership-rules"),
    ("delete", "/api/language/partnership-rules/{partnership_rule_id}"),
}


def openapi() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_the_schema_is_public(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_schema_lists_every_route(db: None) -> None:
    schema = openapi()
    assert set(operations(schema)) == EXPECTED_OPERATIONS
    # And every URL the API serves, so a route left out of the schema is noticed.
    routes = {"/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)) for p in api.urls[0]}
    routes -= {"/api/openapi.json", "/api/"}
    assert routes == set(schema["paths"])


def test_every_route_documents_its_errors(db: None) -> None:
    schema = openapi()
    assert "ErrorOut" in schema["components"]["schemas"]
    for (method, path), op in operations(schema).items():
        where = f"{method.upper()} {path}"
        responses = op["responses"]
        assert any(code.startswith("2") for code in responses), where
        expected = {"401"}
        if path != "/api/me":
            expected.add("403")
        if "{" in path:
            expected.add("404")
        if "requestBody" in op:
            expected |= {"400", "422", "409"}
        assert expected <= set(responses), where
        for code in expected:
            response = responses[code]
            assert response["description"] not in {"Unauthorized", "Unknown Status Code"}, where
            ref = response["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), where
        assert op.get("security"), f"{where} must need a token"
        assert op.get("summary"), where


def test_request_bodies_refuse_unknown_fields_in_the_schema(db: None) -> None:
    schemas = openapi()["components"]["schemas"]
    for name in ["OrganisationIn", "OrganisationPatch"]:
        assert schemas[name]["additionalProperties"] is False, name


# --- tokens ----------------------------------------------------------------------------------


def test_no_token_is_refused_with_a_clear_message(world_a: World) -> None:
    for method, path in EXPECTED_OPERATIONS:
        concrete = path.replace("{organisation_id}", str(world_a.organisations[0].pk)).replace(
            "{membership_id}", str(world_a.members[Role.TRAINER].pk)
        )
        concrete = re.sub(r"\{\w+\}", "1", concrete)  # other apps' ids: any will do
        response = call(method, concrete, body={} if method in {"post", "put", "patch"} else None)
        body = assert_json_error(response, 401)
        assert "Authorization: Bearer" in body["detail"], (method, path)
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer garbage", "Bearer ", "Bearer tip_" + "x" * 43, "Basic dXNlcjpwYXNz", "tip_abc"],
)
def test_a_bad_token_is_refused(world_a: World, header: str) -> None:
    response = Client().get("/api/me", HTTP_AUTHORIZATION=header)
    body = assert_json_error(response, 401)
    assert "token" in body["detail"]


def test_a_revoked_token_is_refused(world_a: World) -> None:
    membership = world_a.members[Role.TRAINER]
    key = token_for(membership)
    token = ApiToken.objects.get(membership=membership)
    services.api_token_revoke(token=token, by=membership.user)
    body = assert_json_error(call("get", "/api/me", key), 401)
    assert "revoked" in body["detail"]


def test_a_token_of_a_switched_off_account_is_refused(world_a: World) -> None:
    membership = world_a.members[Role.TRAINER]
    key = token_for(membership)
    membership.user.is_active = False
    membership.user.save()
    assert_json_error(call("get", "/api/me", key), 401)


def test_revoking_on_the_page_stops_the_token_at_once(world_a: World) -> None:
    membership = world_a.members[Role.PARTNERSHIP_ADMIN]
    key = token_for(membership)
    assert call("get", "/api/organisations", key).status_code == 200
    token = ApiToken.objects.get(membership=membership)
    client = signed_in_client(membership.user)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert_json_error(call("get", "/api/organisations", key), 401)


def test_nobody_else_can_revoke_a_token(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.TRAINER])
    token = ApiToken.objects.get(membership=world_a.members[Role.TRAINER])
    for other in [world_a.user(Role.PARTNERSHIP_ADMIN), world_b.user(Role.PARTNERSHIP_ADMIN)]:
        response = signed_in_client(other).post(f"/account/api-tokens/{token.pk}/revoke/")
        assert response.status_code == 404
    assert call("get", "/api/me", key).status_code == 200


def test_using_a_token_records_when_it_was_last_used(world_a: World) -> None:
    membership = world_a.members[Role.TRAINER]
    key = token_for(membership)
    token = ApiToken.objects.get(membership=membership)
    assert token.last_used_at is None
    before = timezone.now()
    call("get", "/api/me", key)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_tokens_are_stored_only_as_a_hash(world_a: World) -> None:
    membership = world_a.members[Role.TRAINER]
    client = signed_in_client(membership.user)
    response = client.post("/account/api-tokens/", {"name": "monthly report"})
    assert response.status_code == 200
    found = re.search(r"tip_[A-Za-z0-9_-]{40,}", response.content.decode())
    assert found, "the new key is shown once"
    key = found.group(0)
    assert call("get", "/api/me", key).status_code == 200

    token = ApiToken.objects.get(membership=membership)
    assert token.key_hash == ApiToken.hash_key(key)
    assert len(token.prefix) == 8
    # The key is nowhere in the database: not in the token, the audit log or anything else.
    for model in apps.get_models():
        for row in model._default_manager.values():
            assert key not in json.dumps(row, default=str), model._meta.label
    # And it is not shown again.
    assert key not in client.get("/account/api-tokens/").content.decode()


def test_a_token_sees_only_its_own_partnership(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PARTNERSHIP_ADMIN])
    me = call("get", "/api/me", key).json()
    assert me["partnership"] == world_a.partnership.name
    names = {o["name"] for o in call("get", "/api/organisations", key).json()}
    assert names == {o.name for o in world_a.organisations}
    people = {p["email"] for p in call("get", "/api/people", key).json()}
    assert people == {m.user.email for m in world_a.members.values()}

    foreign_org = world_b.organisations[1]
    foreign_person = world_b.members[Role.TRAINER]
    assert_json_error(call("get", f"/api/organisations/{foreign_org.pk}", key), 404)
    assert_json_error(call("get", f"/api/people/{foreign_person.pk}", key), 404)
    assert_json_error(
        call(
            "put", f"/api/organisations/{foreign_org.pk}", key, {"name": "Mine", "sector": "health"}
        ),
        404,
    )
    assert_json_error(
        call("patch", f"/api/organisations/{foreign_org.pk}", key, {"name": "Mine"}), 404
    )
    assert_json_error(call("delete", f"/api/organisations/{foreign_org.pk}", key), 404)
    foreign_org.refresh_from_db()
    assert foreign_org.name == "Bravo Schools"
    assert Organisation.objects.filter(pk=foreign_org.pk).exists()


def test_a_token_stays_in_the_partnership_it_was_made_in(world_a: World, world_b: World) -> None:
    # Someone in both partnerships: each token answers for its own membership only.
    person = world_a.user(Role.PROGRAMME_LEAD)
    in_b = MembershipFactory(
        partnership=world_b.partnership,
        organisation=world_b.organisations[0],
        user=person,
        roles=[Role.PROGRAMME_LEAD],
    )
    key_a = token_for(world_a.members[Role.PROGRAMME_LEAD])
    key_b = token_for(in_b)
    assert call("get", "/api/me", key_a).json()["partnership"] == world_a.partnership.name
    assert call("get", "/api/me", key_b).json()["partnership"] == world_b.partnership.name
    ids_b = {o["id"] for o in call("get", "/api/organisations", key_b).json()}
    assert ids_b == {o.pk for o in world_b.organisations}


def test_roles_limit_what_a_token_can_do(world_a: World) -> None:
    key = token_for(world_a.members[Role.PRACTITIONER])
    assert call("get", "/api/organisations", key).status_code == 200
    assert_json_error(call("get", "/api/people", key), 403)
    body = {"name": "Not allowed", "sector": "health"}
    assert_json_error(call("post", "/api/organisations", key, body), 403)
    assert not Organisation.objects.filter(name="Not allowed").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_the_api_needs_no_csrf_token_because_it_uses_bearer_tokens(admin_key: str) -> None:
    # `call` enforces CSRF checks: a token-authenticated write still goes through.
    response = call(
        "post", "/api/organisations", admin_key, {"name": "Youth Hub", "sector": "voluntary"}
    )
    assert response.status_code == 201


# --- malformed input -------------------------------------------------------------------------

BAD_BODIES = [
    pytest.param("{not json", 400, "", "JSON", id="invalid-json"),
    pytest.param('{"name": "Trailing", "sector": "police",}', 400, "", "JSON", id="trailing-comma"),
    pytest.param("[]", 422, "", "JSON object", id="array"),
    pytest.param('"text"', 422, "", "JSON object", id="string"),
    pytest.param("null", 422, "", "JSON object", id="null"),
    pytest.param("", 422, "", "JSON object", id="empty"),
    pytest.param("{}", 422, "name", "required", id="missing-fields"),
    pytest.param('{"sector": "police"}', 422, "name", "required", id="missing-name"),
    pytest.param('{"name": 5, "sector": "police"}', 422, "name", "text", id="number-for-name"),
    pytest.param('{"name": ["A"], "sector": "police"}', 422, "name", "text", id="list-for-name"),
    pytest.param('{"name": {"a": 1}, "sector": "police"}', 422, "name", "text", id="object-name"),
    pytest.param('{"name": "A", "sector": "pirates"}', 422, "sector", "police", id="bad-sector"),
    pytest.param('{"name": "A", "sector": 3}', 422, "sector", "police", id="number-sector"),
    pytest.param('{"name": "A", "sector": null}', 422, "sector", "police", id="null-sector"),
    pytest.param(
        json.dumps({"name": "A" * 201, "sector": "police"}), 422, "name", "200", id="long"
    ),
    pytest.param('{"name": "", "sector": "police"}', 422, "name", "empty", id="empty-name"),
    pytest.param('{"name": "   ", "sector": "police"}', 422, "name", "blank", id="blank-name"),
    pytest.param(
        '{"name": "A", "sector": "police", "colour": "red"}', 422, "colour", "spelling", id="extra"
    ),
    pytest.param('{"nme": "A", "sector": "police"}', 422, "nme", "spelling", id="typo"),
    pytest.param(
        '{"name": "A\\u0000B", "sector": "police"}', 422, "name", "null character", id="nul-char"
    ),
]


@pytest.mark.parametrize(("raw", "status", "field", "words"), BAD_BODIES)
def test_bad_input_to_create_gets_a_4xx_json_answer_naming_the_field(
    world_a: World, admin_key: str, raw: str, status: int, field: str, words: str
) -> None:
    before = Organisation.objects.count()
    body = assert_json_error(call("post", "/api/organisations", admin_key, raw=raw), status)
    if field:
        assert field in [e["field"] for e in body["errors"]], body
        assert field in body["detail"], body
    assert words in body["detail"], body
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.filter(via="api").exists()


@pytest.mark.parametrize(("raw", "status", "field", "words"), BAD_BODIES)
def test_bad_input_to_replace_gets_a_4xx_json_answer(
    world_a: World, admin_key: str, raw: str, status: int, field: str, words: str
) -> None:
    org = world_a.organisations[1]
    response = call("put", f"/api/organisations/{org.pk}", admin_key, raw=raw)
    assert_json_error(response, status)
    org.refresh_from_db()
    assert (org.name, org.sector) == ("Alpha Schools", "education")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"nme": "Typo"}', "nme"),
        ('{"name": null}', "name"),
        ('{"sector": null}', "sector"),
        ('{"name": "A", "id": 5}', "id"),
        ('{"name": 7}', "name"),
        ('{"sector": "pirates"}', "sector"),
        ('{"name": "A\\u0000B"}', "name"),
    ],
)
def test_bad_input_to_change_is_refused_not_ignored(
    world_a: World, admin_key: str, raw: str, field: str
) -> None:
    org = world_a.organisations[1]
    body = assert_json_error(call("patch", f"/api/organisations/{org.pk}", admin_key, raw=raw), 422)
    assert field in [e["field"] for e in body["errors"]]
    org.refresh_from_db()
    assert (org.name, org.sector) == ("Alpha Schools", "education")


def test_unknown_ids_and_routes_answer_404_in_json(admin_key: str) -> None:
    for method, path in [
        ("get", "/api/organisations/999999"),
        ("patch", "/api/organisations/999999"),
        ("delete", "/api/organisations/999999"),
        ("get", "/api/people/999999"),
        ("get", "/api/organisations/abc"),
        ("get", "/api/people/-1"),
        ("get", "/api/nothing-here"),
        ("get", "/api/"),
        ("post", "/api/nothing-here"),
    ]:
        body = {"name": "X"} if method == "patch" else None
        assert_json_error(call(method, path, admin_key, body), 404)


def test_a_duplicate_organisation_name_is_a_conflict(world_a: World, admin_key: str) -> None:
    other = world_a.organisations[1]
    for method, path, body in [
        ("post", "/api/organisations", {"name": "Alpha Police", "sector": "police"}),
        ("post", "/api/organisations", {"name": "  alpha POLICE ", "sector": "health"}),
        ("put", f"/api/organisations/{other.pk}", {"name": "Alpha Police", "sector": "health"}),
        ("patch", f"/api/organisations/{other.pk}", {"name": "alpha police"}),
    ]:
        response = call(method, path, admin_key, body)
        detail = assert_json_error(response, 409)["detail"]
        assert "already" in detail, (method, path)
    assert Organisation.objects.filter(name__iexact="alpha police").count() == 1
    # Keeping an organisation's own name is not a conflict.
    response = call(
        "put",
        f"/api/organisations/{other.pk}",
        admin_key,
        {"name": "Alpha Schools", "sector": "health"},
    )
    assert response.status_code == 200


def test_the_same_name_in_another_partnership_is_fine(world_a: World, world_b: World) -> None:
    key_b = token_for(world_b.members[Role.PARTNERSHIP_ADMIN])
    response = call(
        "post", "/api/organisations", key_b, {"name": "Alpha Police", "sector": "police"}
    )
    assert response.status_code == 201


def test_removing_an_organisation_with_people_is_a_conflict(world_a: World, admin_key: str) -> None:
    org = world_a.organisations[0]
    body = assert_json_error(call("delete", f"/api/organisations/{org.pk}", admin_key), 409)
    assert org.name in body["detail"]
    assert Organisation.objects.filter(pk=org.pk).exists()


# --- writes and the audit log ----------------------------------------------------------------


def test_writes_are_audited_as_api(world_a: World, admin_key: str) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    created = call(
        "post", "/api/organisations", admin_key, {"name": "Youth Hub", "sector": "voluntary"}
    )
    assert created.status_code == 201
    org_id = created.json()["id"]
    assert created.json()["name"] == "Youth Hub"
    path = f"/api/organisations/{org_id}"
    assert call("get", path, admin_key).json()["sector"] == "voluntary"
    assert (
        call("put", path, admin_key, {"name": "Youth Hub North", "sector": "voluntary"}).status_code
        == 200
    )
    assert call("patch", path, admin_key, {"sector": "health"}).json()["sector"] == "health"
    # A change that changes nothing records nothing.
    assert call("patch", path, admin_key, {}).status_code == 200
    assert call("delete", path, admin_key).status_code == 204
    assert not Organisation.objects.filter(pk=org_id).exists()

    entries = list(
        AuditEntry.objects.filter(object_type="core.Organisation", object_id=str(org_id)).order_by(
            "id"
        )
    )
    assert [(e.action, e.changed_fields) for e in entries] == [
        (AuditAction.CREATE, ["name", "sector"]),
        (AuditAction.UPDATE, ["name"]),
        (AuditAction.UPDATE, ["sector"]),
        (AuditAction.DELETE, []),
    ]
    for entry in entries:
        assert entry.via == "api"
        assert entry.actor == admin
        assert entry.partnership == world_a.partnership


def test_reading_people_is_audited_with_a_purpose(world_a: World) -> None:
    lead = world_a.members[Role.PROGRAMME_LEAD]
    key = token_for(lead)
    person = world_a.members[Role.TRAINER]
    assert call("get", "/api/people", key).status_code == 200
    detail = call("get", f"/api/people/{person.pk}", key)
    assert detail.status_code == 200
    assert detail.json()["email"] == person.user.email
    assert sorted(detail.json()["roles"]) == ["trainer"]

    views = list(AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("id"))
    assert len(views) == 2
    listing, one = views
    for entry in views:
        assert entry.via == "api"
        assert entry.actor == lead.user
        assert entry.partnership == world_a.partnership
        assert entry.purpose
    assert listing.object_type == "core.Membership"
    assert listing.object_id == ""
    assert one.object_id == str(person.pk)


def test_a_refused_read_of_people_is_not_recorded_as_a_view(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PARTNERSHIP_ADMIN])
    call("get", f"/api/people/{world_b.members[Role.TRAINER].pk}", key)
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_organisations_are_not_personal_data_reads(world_a: World, admin_key: str) -> None:
    call("get", "/api/organisations", admin_key)
    call("get", f"/api/organisations/{world_a.organisations[0].pk}", admin_key)
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_an_unexpected_failure_answers_in_json_without_details(
    admin_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("tip.core.selectors.organisation_list", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/organisations", HTTP_AUTHORIZATION=f"Bearer {admin_key}")
    body = assert_json_error(response, 500)
    assert "hunter2" not in response.content.decode()
    assert "Try again later" in body["detail"]


def test_a_method_the_route_does_not_take_answers_in_json(client) -> None:  # type: ignore[no-untyped-def]
    response = client.delete("/api/organisations")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "DELETE" in body["detail"] and "GET" in body["detail"]
    assert "GET" in response["Allow"]
