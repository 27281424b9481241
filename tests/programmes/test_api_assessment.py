"""Organisational self-assessment through the API: the components, recording an assessment with
the page's refusals and messages, history, the heatmap, other partnerships' ids, roles, the audit
trail and the schema."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.conftest import World
from tests.core.test_api import assert_json_error, call, token_for
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.programmes.components import component_codes, load_components
from tip.programmes.models_assessment import ComponentRating, SelfAssessment

URL = "/api/self-assessments"


def _body(organisation: int, level: str = "planning", **extra: Any) -> dict[str, Any]:
    body = {
        "organisation": organisation,
        "assessed_on": "2026-03-01",
        "ratings": {code: {"level": level} for code in component_codes()},
    }
    return body | extra


def test_the_components_to_rate(world_a: World) -> None:
    key = token_for(world_a.members[Role.PRACTITIONER])
    components = call("get", f"{URL}/components", key).json()
    assert [c["code"] for c in components] == component_codes()
    screening = next(c for c in components if c["code"] == "services.screening")
    assert screening["group"] == "services"
    assert "ACE-Q" in screening["caution"]
    assert screening["title"] == load_components()[5].title_en


def test_record_an_assessment_and_read_it_back(world_a: World) -> None:
    key = token_for(world_a.members[Role.CHAMPION])
    police, schools = (o.pk for o in world_a.organisations)
    body = _body(police)
    body["ratings"]["workforce.training"] = {
        "level": "embedded",
        "evidence": "  Training records for 2025  ",
        "owner": "Learning and development",
    }
    made = call("post", URL, key, body)
    assert made.status_code == 201, made.content
    result = made.json()
    assert result["organisation"] == police and result["organisation_name"] == "Alpha Police"
    assert result["assessed_on"] == "2026-03-01"
    assert result["counts"] == {
        "not_started": 0,
        "planning": len(component_codes()) - 1,
        "developing": 0,
        "embedded": 1,
    }
    first = result["ratings"][0]
    assert first["component"] == "workforce.training"
    assert first["level"] == "embedded"
    assert first["evidence"] == "Training records for 2025"
    assert first["owner"] == "Learning and development"
    assert [r["component"] for r in result["ratings"]] == component_codes()

    assert call("get", f"{URL}/{result['id']}", key).json() == result
    later = call("post", URL, key, _body(police, "developing", assessed_on="2026-09-01"))
    assert later.status_code == 201, later.content

    history = call("get", f"{URL}?organisation_id={police}", key).json()
    assert [a["assessed_on"] for a in history] == ["2026-03-01", "2026-09-01"]
    assert "ratings" not in history[0]
    assert call("get", f"{URL}?organisation_id={schools}", key).json() == []
    assert len(call("get", URL, key).json()) == 2

    heatmap = {row["organisation_name"]: row for row in call("get", f"{URL}/latest", key).json()}
    assert heatmap["Alpha Schools"]["latest"] is None
    latest = heatmap["Alpha Police"]["latest"]
    assert latest["id"] == later.json()["id"]
    assert {r["level"] for r in latest["ratings"]} == {"developing"}

    entries = AuditEntry.objects.filter(
        partnership=world_a.partnership, via="api", object_type="programmes.SelfAssessment"
    )
    assert entries.count() == 2
    assert set(entries.values_list("action", flat=True)) == {AuditAction.CREATE}
    assert entries.filter(actor=world_a.user(Role.CHAMPION)).count() == 2
    assert "workforce.training" in entries.first().changed_fields  # type: ignore[union-attr]


def test_every_component_needs_a_level_and_the_missing_ones_are_named(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    body = _body(world_a.organisations[0].pk)
    del body["ratings"]["workforce.training"]
    del body["ratings"]["services.screening"]
    refused = assert_json_error(call("post", URL, key, body), 422)
    titles = {c.code: c.title_en for c in load_components()}
    assert refused["errors"] == [
        {
            "field": "ratings.workforce.training",
            "message": f"Choose a level for “{titles['workforce.training']}”",
        },
        {
            "field": "ratings.services.screening",
            "message": f"Choose a level for “{titles['services.screening']}”",
        },
    ]
    assert not SelfAssessment.objects.exists() and not ComponentRating.objects.exists()


def test_refusals_name_what_to_fix_and_save_nothing(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    police = world_a.organisations[0].pk

    def refused(body: Any) -> list[dict[str, str]]:
        errors: list[dict[str, str]] = assert_json_error(call("post", URL, key, body), 422)[
            "errors"
        ]
        return errors

    unknown = _body(police)
    unknown["ratings"]["made.up"] = {"level": "planning"}
    assert refused(unknown) == [
        {
            "field": "ratings",
            "message": "These are not components of the self-assessment: made.up",
        }
    ]
    assert refused(_body(police, assessed_on="2099-01-01")) == [
        {"field": "assessed_on", "message": "The date of the assessment cannot be in the future."}
    ]
    assert refused(_body(police, assessed_on="1/3/2026"))[0]["field"] == "assessed_on"
    bad_level = refused(_body(police, level="great"))
    assert bad_level[0]["field"] == "ratings.workforce.training.level"
    assert "not_started" in bad_level[0]["message"]
    long_owner = _body(police)
    long_owner["ratings"]["workforce.leadership"]["owner"] = "x" * 201
    assert refused(long_owner) == [
        {
            "field": "ratings.workforce.leadership.owner",
            "message": "Use 200 characters or fewer.",
        }
    ]
    assert refused(_body(world_b.organisations[0].pk)) == [
        {"field": "organisation", "message": "Choose an organisation in this partnership."}
    ]
    assert refused({"organisation": police})[0] == {
        "field": "assessed_on",
        "message": "This field is required.",
    }
    assert refused(_body(police, completed_by=1)) == [
        {
            "field": "completed_by",
            "message": "This is not a field of this record. Check the spelling, or leave it out.",
        }
    ]
    assert not SelfAssessment.objects.exists() and not ComponentRating.objects.exists()
    assert not AuditEntry.objects.filter(object_type="programmes.SelfAssessment").exists()


def test_other_partnerships_assessments_are_not_found(world_a: World, world_b: World) -> None:
    b_key = token_for(world_b.members[Role.PROGRAMME_LEAD])
    b_org = world_b.organisations[0].pk
    b_assessment = call("post", URL, b_key, _body(b_org)).json()["id"]
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    assert_json_error(call("get", f"{URL}/{b_assessment}", key), 404)
    assert_json_error(call("get", f"{URL}?organisation_id={b_org}", key), 404)
    assert call("get", URL, key).json() == []
    latest = call("get", f"{URL}/latest", key).json()
    assert [row["organisation_name"] for row in latest] == ["Alpha Police", "Alpha Schools"]
    assert all(row["latest"] is None for row in latest)


def test_roles_decide_who_may_record(world_a: World) -> None:
    police = world_a.organisations[0].pk
    for role in (Role.TRAINER, Role.PRACTITIONER, Role.AUDITOR):
        key = token_for(world_a.members[role])
        assert call("get", URL, key).status_code == 200, role
        assert call("get", f"{URL}/latest", key).status_code == 200, role
        assert "roles" in assert_json_error(call("post", URL, key, _body(police)), 403)["detail"]
    for role in (Role.PARTNERSHIP_ADMIN, Role.EVALUATOR):
        assert call("post", URL, token_for(world_a.members[role]), _body(police)).status_code == 201
    assert SelfAssessment.objects.count() == 2


def test_the_schema_lists_and_documents_the_operations(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    expected = {
        URL: {"get", "post"},
        f"{URL}/components": {"get"},
        f"{URL}/latest": {"get"},
        f"{URL}/{{assessment_id}}": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            op = paths[path][method]
            assert op["summary"] and op["tags"] == ["self-assessment"], (method, path)
            assert {"401", "403"} <= set(op["responses"]), (method, path)
    create = paths[URL]["post"]
    assert {"201", "400", "422"} <= set(create["responses"])
    listing = paths[URL]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["organisation_id"]
    schemas = schema["components"]["schemas"]
    assert schemas["AssessmentIn"]["additionalProperties"] is False
    assert schemas["RatingIn"]["additionalProperties"] is False
