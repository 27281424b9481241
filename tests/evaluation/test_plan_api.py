"""The evaluation plan in the JSON API: the same services, the same refusals (422 naming the
field), 404 across partnerships, audit entries marked as from the API."""

from __future__ import annotations

from tests.conftest import World
from tests.core.test_api import call, token_for
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation.models import PlannedMeasure, Wave


def _key(world: World, role: str = Role.EVALUATOR) -> str:
    return token_for(world.members[role])


def test_instruments_are_listed_with_their_versions(world_a: World) -> None:
    body = call("get", "/api/evaluation/instruments", _key(world_a)).json()
    ids = {i["id"]: i for i in body}
    assert set(ids) >= {"tip-kac", "tip-feedback", "tip-observation", "tip-practice-change"}
    assert ids["tip-kac"]["version"] == 1 and ids["tip-kac"]["validated"] is False
    assert (
        call("get", "/api/evaluation/instruments", _key(world_a, Role.PRACTITIONER)).status_code
        == 403
    )


def test_put_creates_then_changes_the_plan(world_a: World) -> None:
    d = Planned(world_a)
    key = _key(world_a)
    url = f"/api/evaluation/programmes/{d.programme.pk}/plan"
    assert call("get", url, key).status_code == 404
    refused = call("put", url, key, {"comparison_group": True})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "comparison_description"
    made = call("put", url, key, {"comparison_group": False, "notes": "By email"})
    assert made.status_code == 201 and made.json()["notes"] == "By email"
    waves = call("get", f"/api/evaluation/programmes/{d.programme.pk}/waves", key).json()
    assert [(w["kind"], w["offset_days"]) for w in waves] == [
        ("baseline", -7),
        ("post", 0),
        ("follow_up", 182),
        ("follow_up", 365),
    ]
    assert waves[2]["timing"] == "About 6 months after the session (182 days)"
    changed = call(
        "put", url, key, {"comparison_group": True, "comparison_description": "Next year's"}
    )
    assert changed.status_code == 200 and changed.json()["comparison_group"] is True
    assert (
        AuditEntry.objects.filter(via="api", object_type="evaluation.EvaluationPlan").count() == 2
    )


def test_waves_through_the_api(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    key = _key(world_a)
    url = f"/api/evaluation/programmes/{d.programme.pk}/waves"
    refused = call("post", url, key, {"name": "Later", "kind": "follow_up", "offset_days": -3})
    assert refused.status_code == 422
    assert "A follow-up is after the session" in refused.json()["errors"][0]["message"]
    made = call("post", url, key, {"name": "Later", "kind": "follow_up", "offset_days": 730})
    assert made.status_code == 201
    wave_id = made.json()["id"]
    patched = call("patch", f"/api/evaluation/waves/{wave_id}", key, {"offset_days": 545})
    assert patched.status_code == 200 and patched.json()["name"] == "Later"
    assert call("delete", f"/api/evaluation/waves/{wave_id}", key).status_code == 204
    assert Wave.objects.filter(plan=plan).count() == 4


def test_measures_through_the_api(world_a: World, world_b: World) -> None:
    d = Planned(world_a)
    theirs = Planned(world_b)
    plan = d.plan()
    their_plan = theirs.plan()
    waves = d.waves(plan)
    key = _key(world_a)
    url = f"/api/evaluation/programmes/{d.programme.pk}/measures"
    refused = call(
        "post",
        url,
        key,
        {
            "instrument_id": "tip-kac",
            "instrument_version": 1,
            "waves": [theirs.waves(their_plan)[0].pk],
            "outcomes": [theirs.outcome.pk],
        },
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"waves", "outcomes"}
    unknown = call(
        "post",
        url,
        key,
        {"instrument_id": "artic", "instrument_version": 1, "waves": [waves[0].pk]},
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "instrument_id"
    made = call(
        "post",
        url,
        key,
        {
            "instrument_id": "tip-kac",
            "instrument_version": 1,
            "waves": [waves[-7].pk, waves[182].pk],
            "outcomes": [d.outcome.pk],
            "indicators": [d.indicator.pk],
        },
    )
    assert made.status_code == 201
    body = made.json()
    assert body["title"].startswith("TIP knowledge") and body["outcomes"] == [d.outcome.pk]
    patched = call("patch", f"/api/evaluation/measures/{body['id']}", key, {"waves": [waves[0].pk]})
    assert patched.status_code == 200 and patched.json()["waves"] == [waves[0].pk]
    assert patched.json()["indicators"] == [d.indicator.pk]
    listed = call("get", url, key).json()
    assert [m["id"] for m in listed] == [body["id"]]
    assert call("delete", f"/api/evaluation/measures/{body['id']}", key).status_code == 204
    assert not PlannedMeasure.objects.filter(plan=plan).exists()


def test_another_partnerships_ids_answer_404(world_a: World, world_b: World) -> None:
    theirs = Planned(world_b)
    plan = theirs.plan()
    measure = theirs.measure(plan)
    wave = theirs.waves(plan)[0]
    key = _key(world_a)
    p = theirs.programme.pk
    for method, url, body in [
        ("get", f"/api/evaluation/programmes/{p}/plan", None),
        ("put", f"/api/evaluation/programmes/{p}/plan", {"comparison_group": False}),
        ("get", f"/api/evaluation/programmes/{p}/waves", None),
        ("get", f"/api/evaluation/programmes/{p}/measures", None),
        ("patch", f"/api/evaluation/waves/{wave.pk}", {"name": "Mine"}),
        ("delete", f"/api/evaluation/waves/{wave.pk}", None),
        ("patch", f"/api/evaluation/measures/{measure.pk}", {"waves": []}),
        ("delete", f"/api/evaluation/measures/{measure.pk}", None),
    ]:
        assert call(method, url, key, body).status_code == 404, (method, url)
    assert Wave.objects.filter(plan=plan).count() == 4
    assert PlannedMeasure.objects.filter(plan=plan).count() == 1
