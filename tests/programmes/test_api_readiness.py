"""The readiness check through the API: the same findings and refusals as the pages."""

from __future__ import annotations

from tests.conftest import World
from tests.core.test_api import call, token_for
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.programmes.models import Programme


def test_answer_planning_questions_and_run_the_check(world_a: World, programme: Programme) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    base = f"/api/programmes/{programme.pk}/readiness"
    saved = call(
        "patch",
        f"{base}/answers",
        key,
        {"answers": {"course_hours": {"answer": 3}, "screening_for_triage": {"answer": "no"}}},
    )
    assert saved.status_code == 200, saved.content
    answers = {a["question"]: a for a in saved.json()}
    assert answers["course_hours"]["answer"] == 3
    assert answers["follow_up_planned"]["answer"] is None

    report = call("get", base, key).json()
    assert (report["met"], report["not_met"], report["unknown"]) == (1, 1, 11)
    findings = {f["id"]: f for f in report["findings"]}
    length = findings["course_length"]
    assert length["status"] == "not_met" and length["kind"] == "caution"
    assert length["seed_section"] == "Training content and length"
    assert length["advice"]
    assert length["evidence"][0]["fact"] == "course_hours"
    assert length["evidence"][0]["value"] == 3 and length["evidence"][0]["deciding"]
    assert findings["screening_not_triage"]["status"] == "met"
    assert findings["screening_not_triage"]["advice"] == ""
    assert AuditEntry.objects.filter(
        via="api", object_type="programmes.ReadinessAnswers", action="create"
    ).exists()


def test_bad_answers_are_refused_naming_the_question_and_nothing_is_saved(
    world_a: World, programme: Programme
) -> None:
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    url = f"/api/programmes/{programme.pk}/readiness/answers"
    refused = call(
        "patch",
        url,
        key,
        {"answers": {"follow_up_planned": {"answer": "yes"}, "course_hours": {"answer": -1}}},
    )
    assert refused.status_code == 422, refused.content
    assert "How long is the main training course?" in refused.content.decode()
    unknown = call("patch", url, key, {"answers": {"made_up": {"answer": "yes"}}})
    assert unknown.status_code == 422 and "made_up" in unknown.content.decode()
    assert all(a["answer"] is None for a in call("get", url, key).json())
