"""The programmes API: round trips, the same refusals as the pages, other partnerships' ids,
roles, and the audit trail."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.core.test_api import assert_json_error, call, token_for
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.programmes.models import Element, Link, Programme


def test_build_a_theory_of_change_through_the_api(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    made = call("post", "/api/programmes", key, {"name": "Safer streets", "aims": "Calm"})
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    assert call("get", f"/api/programmes/{pid}", key).json()["name"] == "Safer streets"
    assert "Safer streets" in [p["name"] for p in call("get", "/api/programmes", key).json()]

    base = f"/api/programmes/{pid}"
    activity = call("post", f"{base}/elements", key, {"kind": "activity", "title": "Training"})
    outcome = call(
        "post",
        f"{base}/elements",
        key,
        {"kind": "outcome", "title": "Staff notice", "level": "practitioners", "horizon": "short"},
    )
    assert activity.status_code == 201 and outcome.status_code == 201, outcome.content
    a, x = activity.json()["id"], outcome.json()["id"]
    assert outcome.json()["level"] == "practitioners"
    link = call("post", f"{base}/links", key, {"source": a, "target": x, "evidence": "emerging"})
    assert link.status_code == 201, link.content
    assert link.json()["source"] == a and link.json()["target"] == x
    assert [lk["id"] for lk in call("get", f"{base}/links", key).json()] == [link.json()["id"]]

    patched = call("patch", f"{base}/elements/{x}", key, {"title": "Staff recognise trauma"})
    assert patched.status_code == 200 and patched.json()["title"] == "Staff recognise trauma"
    assert call("get", f"{base}/elements/{x}", key).json()["title"] == "Staff recognise trauma"
    assert len(call("get", f"{base}/elements", key).json()) == 2

    assert call("delete", f"{base}/links/{link.json()['id']}", key).status_code == 204
    assert call("delete", f"{base}/elements/{a}", key).status_code == 204
    assert list(Element.objects.values_list("pk", flat=True)) == [x]
    entries = AuditEntry.objects.filter(partnership=world_a.partnership, via="api")
    assert entries.filter(object_type="programmes.Link").count() == 2
    assert entries.filter(object_type="programmes.Element").count() == 4


def _programme(key: str) -> tuple[str, dict[str, Any]]:
    pid = call("post", "/api/programmes", key, {"name": "Schools"}).json()["id"]
    base = f"/api/programmes/{pid}"
    ids = {}
    for kind, title, extra in [
        ("activity", "Training", {}),
        ("outcome", "Staff", {"level": "practitioners", "horizon": "short"}),
        ("outcome", "Pupils", {"level": "beneficiaries", "horizon": "medium"}),
    ]:
        body = {"kind": kind, "title": title, **extra}
        ids[title] = call("post", f"{base}/elements", key, body).json()["id"]
    return base, ids


def test_bad_input_is_refused_with_a_clear_message(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _programme(key)
    body = assert_json_error(
        call("post", f"{base}/elements", key, {"kind": "outcome", "title": "Safer"}), 422
    )
    assert {e["field"] for e in body["errors"]} == {"level", "horizon"}

    def link(source: int, target: int) -> Any:
        return call(
            "post", f"{base}/links", key, {"source": source, "target": target, "evidence": "none"}
        )

    assert link(ids["Training"], ids["Staff"]).status_code == 201
    assert link(ids["Staff"], ids["Pupils"]).status_code == 201
    loop = assert_json_error(link(ids["Pupils"], ids["Staff"]), 422)
    assert "loop" in loop["detail"] and "Pupils" in loop["detail"]
    backwards = assert_json_error(link(ids["Pupils"], ids["Training"]), 422)
    assert backwards["errors"][0]["field"] == "target"
    assert "already leads" in assert_json_error(link(ids["Training"], ids["Staff"]), 422)["detail"]

    b_key = token_for(world_b.members[Role.PROGRAMME_LEAD])
    _b_base, b_ids = _programme(b_key)
    foreign = assert_json_error(link(ids["Training"], b_ids["Staff"]), 422)
    assert foreign["errors"] == [{"field": "target", "message": "Choose an element from the list"}]
    extra = call(
        "post", f"{base}/links", key, {"source": 1, "target": 2, "evidence": "none", "x": 1}
    )
    assert_json_error(extra, 422)
    assert Link.objects.count() == 2  # B's programme has no links


def test_other_partnerships_ids_are_not_found(world_a: World, world_b: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, _ids = _programme(key)
    b_key = token_for(world_b.members[Role.PROGRAMME_LEAD])
    b_base, b_ids = _programme(b_key)
    assert_json_error(call("get", b_base, key), 404)
    assert_json_error(call("get", f"{b_base}/elements", key), 404)
    assert_json_error(call("get", f"{base}/elements/{b_ids['Staff']}", key), 404)
    assert_json_error(call("delete", f"{base}/elements/{b_ids['Staff']}", key), 404)
    assert_json_error(
        call("patch", f"{b_base}/elements/{b_ids['Staff']}", key, {"title": "x"}), 404
    )
    assert Programme.objects.filter(partnership=world_b.partnership).count() == 1
    assert Element.objects.get(pk=b_ids["Staff"]).title == "Staff"


def test_roles_decide_who_may_change(world_a: World) -> None:
    lead_key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _programme(lead_key)
    key = token_for(world_a.members[Role.PRACTITIONER])
    assert call("get", f"{base}/elements", key).status_code == 200
    assert_json_error(
        call("post", f"{base}/elements", key, {"kind": "activity", "title": "x"}), 403
    )
    assert_json_error(call("delete", f"{base}/elements/{ids['Staff']}", key), 403)


def test_only_outcomes_have_a_level_and_horizon(world_a: World) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base, ids = _programme(key)
    body = {"kind": "activity", "title": "Training", "level": "practitioners"}
    refused = assert_json_error(call("post", f"{base}/elements", key, body), 422)
    assert refused["errors"][0]["field"] == "level"
    patch = call("patch", f"{base}/elements/{ids['Training']}", key, {"horizon": "short"})
    assert assert_json_error(patch, 422)["errors"][0]["field"] == "horizon"
    assert Element.objects.get(pk=ids["Training"]).horizon == ""
