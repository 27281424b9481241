"""Evaluation reports in the API: the JSON's figures are the analyses' own on the same frames
(checked against SciPy too); each scope covers what it should; another partnership's ids answer
404; only the roles that may see reports may read them; every read is audited; the queries do
not grow with the people; and no person-level data ever appears (no ids or pseudonyms, no
per-person results, nothing the size of the data)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from scipy import stats

from tests.conftest import World
from tests.core.test_api import call, token_for
from tests.evaluation.plan_helpers import Planned
from tests.evaluation.report_helpers import Seeded, seed_evaluation
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import analysis_data, reports
from tip.evaluation.analysis import attrition, linking, prepost, reliability
from tip.evaluation.analysis_data import Scope
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import Respondent, Response
from tip.evaluation.views_reports import PURPOSE_REPORT
from tip.training import services_courses
from tip.training.models_sessions import Session

pytestmark = pytest.mark.django_db

CONFIDENCE = "subscale:confidence"
ALLOWED = {Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, Role.AUDITOR}


@pytest.fixture
def seeded(world_a: World) -> Seeded:
    return seed_evaluation(world_a, trained=40, comparison=30)


def _url(seeded: Seeded) -> str:
    return f"/api/evaluation/programmes/{seeded.planned.programme.pk}/report"


def _strict_json(response: Any) -> dict[str, Any]:
    """The body, refusing NaN and infinity (which are not JSON)."""
    assert response.status_code == 200, response.content

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in the JSON: figures that cannot be worked out are null")

    body: dict[str, Any] = json.loads(response.content, parse_constant=refuse)
    return body


def _get(seeded: Seeded, world: World, role: str = Role.EVALUATOR) -> dict[str, Any]:
    return _strict_json(call("get", _url(seeded), token_for(world.members[role])))


def _measure(body: dict[str, Any], column: str = CONFIDENCE) -> dict[str, Any]:
    (plan,) = body["plans"]
    found: dict[str, Any] = next(m for m in plan["measures"] if m["measure"] == column)
    return found


def _change(measure: dict[str, Any], wave: str, group: str = "trained") -> dict[str, Any]:
    found: dict[str, Any] = next(
        c for c in measure["changes"] if c["wave"] == wave and c["group"] == group
    )
    return found


def _course_and_session(world: World, seeded: Seeded) -> tuple[int, int]:
    course = services_courses.course_create(
        partnership=world.partnership,
        programme=seeded.planned.programme,
        name="Foundation day",
        hours=6,
        by=world.user(Role.PROGRAMME_LEAD),
    )
    session = Session.objects.create(
        partnership=world.partnership,
        course=course,
        course_version=course.versions.get(),
        title="Foundation day, March",
        format="in_person",
        capacity=20,
        status="published",
    )
    return course.pk, session.pk


# --- No person-level data ------------------------------------------------------------------------

PSEUDONYM = re.compile(r"\b[RLA]\d+\b")
# Keys that would carry a person's data: ids, pseudonyms, individual results, matching's weights.
PERSONAL_KEYS = frozenset(
    {"person", "people", "ids", "id_list", "respondent", "respondents", "weights", "subclass"}
    | {"treated", "distances", "rci", "pairs", "scores", "email", "name_of"}
)


def person_level_problems(body: Any, n_people: int) -> list[str]:
    """Where the JSON could point at a person: a pseudonym ("R12", "L3", "A7") in any text, a
    key that holds per-person data, or a list as long as a group of people (a Series)."""
    problems: list[str] = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in PERSONAL_KEYS:
                    problems.append(f"{where}.{key}: a per-person field")
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            if len(value) >= min(n_people, 20):
                problems.append(f"{where}: a list of {len(value)} (the size of the data)")
            for i, item in enumerate(value):
                walk(item, f"{where}[{i}]")
        elif isinstance(value, str) and PSEUDONYM.search(value):
            problems.append(f"{where}: {value!r} names a person")

    walk(body, "")
    return problems


def test_the_check_for_person_level_data_can_fail() -> None:
    assert person_level_problems({"a": [{"b": "R12"}]}, 50)
    assert person_level_problems({"a": "linked to L3 at baseline"}, 50)
    assert person_level_problems({"matching": {"weights": [1.0]}}, 50)
    assert person_level_problems({"x": list(range(30))}, 30)
    assert not person_level_problems({"a": [{"n": 12, "wave": "Baseline", "g": 0.4}]}, 50)


def test_no_person_level_data_appears(world_a: World, seeded: Seeded) -> None:
    body = _get(seeded, world_a)
    assert person_level_problems(body, 70) == []
    text = json.dumps(body)
    # Nor any respondent's database id, in any form.
    ids = set(Respondent.objects.filter(plan=seeded.plan).values_list("pk", flat=True))
    for pk in ids:
        assert f'"R{pk}"' not in text and f'"respondent": {pk}' not in text
    # The analyses the report ran do hold people (so the check means something): the API
    # leaves them out.
    report = reports.build_report(
        scope=Scope("programme", world_a.partnership.pk, seeded.planned.programme.pk),
        partnership=world_a.partnership,
        subject="Schools",
    )
    held = next(m for m in report.plans[0].measures if m.measure == CONFIDENCE)
    assert any(r.people for r in held.reliable_change.values())
    assert held.matching is not None and len(held.matching.weights) >= 40
    measure = _measure(body)
    assert measure["reliable_change"] and "people" not in measure["reliable_change"][0]
    assert measure["matching"] is not None and "weights" not in measure["matching"]


# --- The figures are the analyses' own ---------------------------------------------------------


def _pairs(frame: pd.DataFrame, base: int, later: int, column: str = CONFIDENCE) -> pd.DataFrame:
    trained = frame[frame["group"] == "trained"]
    pre = trained[trained["wave_id"] == base].set_index("person")[column]
    post = trained[trained["wave_id"] == later].set_index("person")[column]
    return pd.concat([pre.rename("pre"), post.rename("post")], axis=1, join="inner").dropna()


def test_change_reliability_and_reliable_change_equal_the_analyses(
    world_a: World, seeded: Seeded
) -> None:
    body = _get(seeded, world_a)
    measure = _measure(body)
    scope = Scope("programme", world_a.partnership.pk, seeded.planned.programme.pk)
    frame = analysis_data.scores_frame(seeded.plan, "tip-kac", scope=scope)
    base, post = seeded.waves[-7], seeded.waves[0]
    both = _pairs(frame, base.pk, post.pk)
    expected = prepost.paired_change(both["pre"], both["post"])
    got = _change(measure, post.name)
    assert got["n"] == expected.n == len(both)
    assert got["mean_difference"]["value"] == pytest.approx(expected.mean_difference.value)
    assert got["mean_difference"]["ci_low"] == pytest.approx(expected.mean_difference.ci_low)
    assert got["mean_difference"]["ci_high"] == pytest.approx(expected.mean_difference.ci_high)
    assert got["d_z"]["value"] == pytest.approx(expected.d_z.value)
    assert got["d_z"]["ci_low"] == pytest.approx(expected.d_z.ci_low)
    assert got["g_av"]["value"] == pytest.approx(expected.g_av.value)
    assert got["g_av"]["ci_high"] == pytest.approx(expected.g_av.ci_high)
    assert got["g_av"]["ci_method"] and got["d_z"]["ci_method"]
    assert got["wilcoxon"]["p_value"] == pytest.approx(expected.wilcoxon.p_value)
    # And independent references: SciPy's paired t-test and signed-rank test.
    t = stats.ttest_rel(both["post"], both["pre"])
    assert got["t_test"]["statistic"] == pytest.approx(float(t.statistic), rel=1e-6)
    assert got["t_test"]["p_value"] == pytest.approx(float(t.pvalue), rel=1e-6)
    assert got["t_test"]["df"] == len(both) - 1
    mean = float((both["post"] - both["pre"]).mean())
    assert got["mean_difference"]["value"] == pytest.approx(mean, rel=1e-9)
    assert got["method"] and got["assumptions"] and isinstance(got["notes"], list)

    # Reliability at baseline: the analysis of the same items.
    items = analysis_data.items_frame(seeded.plan, "tip-kac", wave_id=base.pk)
    alpha = reliability.reliability_of(shipped_instrument("tip-kac"), items)
    scale = next(s for s in alpha.subscales if s.label == "confidence")
    shown = measure["reliability"]
    assert shown["alpha"]["value"] == pytest.approx(scale.alpha.value)
    assert shown["alpha"]["ci_low"] == pytest.approx(scale.alpha.ci_low)
    assert shown["omega"]["value"] == pytest.approx(scale.omega.value)
    assert (shown["n"], shown["k"]) == (scale.n, scale.k) and shown["wave"] == base.name

    # Reliable change: counts, shares and the threshold, with that alpha.
    assert scale.alpha.value is not None
    rci = prepost.reliable_change(both["pre"], both["post"], reliability=scale.alpha.value)
    found = next(
        r for r in measure["reliable_change"] if r["wave"] == post.name and r["group"] == "trained"
    )
    assert (found["improved"], found["unchanged"], found["worse"]) == (
        rci.improved,
        rci.unchanged,
        rci.worse,
    )
    assert found["share_improved"] == pytest.approx(rci.share_improved)
    assert found["smallest_reliable_change"] == pytest.approx(rci.smallest_reliable_change)
    assert found["reliability"] == pytest.approx(scale.alpha.value)


def test_models_matching_did_attrition_and_subgroups_equal_the_report(
    world_a: World, seeded: Seeded
) -> None:
    body = _get(seeded, world_a)
    scope = Scope("programme", world_a.partnership.pk, seeded.planned.programme.pk)
    report = reports.build_report(scope=scope, partnership=world_a.partnership, subject="x")
    (part,) = report.plans
    held = next(m for m in part.measures if m.measure == CONFIDENCE)
    measure = _measure(body)

    mixed = measure["mixed_model"]
    assert mixed["n_observations"] == held.mixed.n_observations
    assert [c["estimate"]["value"] for c in mixed["coefficients"]] == pytest.approx(
        [c.estimate.value for c in held.mixed.coefficients]
    )
    assert [c["estimate"]["ci_low"] for c in mixed["coefficients"]] == pytest.approx(
        [c.estimate.ci_low for c in held.mixed.coefficients]
    )
    assert [(m["wave"], m["group"]) for m in mixed["means"]] == [
        (m.wave, m.group) for m in held.mixed.means
    ]
    assert {v["name"] for v in mixed["variance"]} >= {"person", "residual"}
    assert mixed["converged"] == held.mixed.converged

    matching = measure["matching"]
    assert matching["n_treated"] == held.matching.n_treated
    assert matching["n_treated_matched"] == held.matching.n_treated_matched
    assert matching["n_controls_used"] == held.matching.n_controls_used
    assert [b["covariate"] for b in matching["balance"]] == [
        b.covariate for b in held.matching.balance
    ]
    for shown, row in zip(matching["balance"], held.matching.balance, strict=True):
        for name in ("smd_before", "smd_after", "variance_ratio_after"):
            value = getattr(row, name)
            if value is None or not math.isfinite(value):
                assert shown[name] is None
            else:
                assert shown[name] == pytest.approx(value)
    effect = measure["effect_on_treated"]
    assert effect["att"] == pytest.approx(held.matched_effect.att)
    assert effect["se"] == pytest.approx(held.matched_effect.se)
    assert (effect["ci_low"], effect["ci_high"]) == pytest.approx(
        (held.matched_effect.ci_low, held.matched_effect.ci_high)
    )
    assert effect["wave"] == seeded.waves[182].name  # the first wave both groups answered
    assert effect["se_method"] and effect["method"]

    did = measure["difference_in_differences"]
    assert did["estimate"] == pytest.approx(held.did.estimate.value)
    assert did["se"] == pytest.approx(held.did.estimate.se)
    assert did["n_clusters"] == held.did.n_clusters

    # Attrition: the flow of the same frame.
    flow = attrition.attrition_flow(analysis_data.flow_frame(seeded.plan, scope=scope))
    shown_flow = body["plans"][0]["attrition"]
    assert [
        (r["wave"], r["group"], r["invited"], r["responded"], r["linked"], r["analysed"])
        for r in shown_flow["rows"]
    ] == [(r.wave, r.group, r.invited, r.responded, r.linked, r.analysed) for r in flow.rows]
    assert shown_flow["n"] == flow.n

    # Subgroups: withheld levels have no figures; the others are the analysis's.
    for result in measure["subgroups"]:
        kept = held.subgroups[result["by"]]
        for level, expected in zip(result["levels"], kept.levels, strict=True):
            assert level["withheld"] == expected.suppressed
            if expected.suppressed:
                assert level["n"] is None and level["change"] is None
            else:
                assert level["n"] == expected.n
                assert level["change"]["mean_difference"]["value"] == pytest.approx(
                    expected.change.mean_difference.value
                )

    # The Theory of Change: each outcome with its change, as figures.
    outcome = next(
        o
        for o in body["plans"][0]["outcomes"]
        if o["indicator"] == "Confidence"
        and "Confidence" in o["measure"]
        and o["wave"] == seeded.waves[0].name
    )
    change = held.prepost[(seeded.waves[0].name, "trained")]
    assert outcome["outcome"] == "Staff recognise trauma"
    assert outcome["n"] == change.n
    assert outcome["mean_change"]["value"] == pytest.approx(change.mean_difference.value)
    assert outcome["g_av"]["value"] == pytest.approx(change.g_av.value)
    assert outcome["direction"] == change.direction


def test_every_result_says_its_n_method_and_assumptions(world_a: World, seeded: Seeded) -> None:
    measure = _measure(_get(seeded, world_a))
    results = [
        measure["reliability"],
        measure["mixed_model"],
        measure["matching"],
        measure["effect_on_treated"],
        measure["difference_in_differences"],
        measure["dropouts"],
        *measure["changes"],
        *measure["reliable_change"],
        *measure["subgroups"],
    ]
    for result in results:
        assert result is not None
        assert isinstance(result["n"], int) and result["n"] > 0, result
        assert result["method"], result
        assert isinstance(result["assumptions"], list) and isinstance(result["notes"], list)


def test_figures_that_cannot_be_worked_out_are_null(world_a: World) -> None:
    # Two trained people and nobody to compare with: too few for most figures.
    seeded = seed_evaluation(world_a, trained=2, comparison=0, seed=3)
    body = _get(seeded, world_a)  # refuses NaN
    (plan,) = body["plans"]
    assert plan["measures"]
    for measure in plan["measures"]:
        assert measure["matching"] is None and measure["difference_in_differences"] is None
        for change in measure["changes"]:
            if change["n"] < 3:
                assert change["d_z"]["ci_low"] is None and change["notes"]


def test_a_programme_without_a_plan_has_an_empty_report(world_a: World) -> None:
    planned = Planned(world_a, name="Not yet planned")
    url = f"/api/evaluation/programmes/{planned.programme.pk}/report"
    body = _strict_json(call("get", url, token_for(world_a.members[Role.EVALUATOR])))
    assert body["plans"] == [] and body["subject"] == "Not yet planned"
    assert body["evidence_caveat"] and body["caveats"] and body["methods"]


# --- Scopes --------------------------------------------------------------------------------------


def test_scopes(world_a: World, seeded: Seeded) -> None:
    other = seed_evaluation(world_a, trained=8, comparison=6, name="Youth services")
    course, session = _course_and_session(world_a, seeded)
    key = token_for(world_a.members[Role.EVALUATOR])

    whole = _strict_json(call("get", "/api/evaluation/report", key))
    assert whole["scope"] == {"kind": "partnership", "id": world_a.partnership.pk}
    assert {p["plan_id"] for p in whole["plans"]} == {seeded.plan.pk, other.plan.pk}

    one = _get(seeded, world_a)
    assert one["scope"] == {"kind": "programme", "id": seeded.planned.programme.pk}
    assert [p["plan_id"] for p in one["plans"]] == [seeded.plan.pk]
    assert one["generated_at"] and one["title"]

    # A course or session covers its programme's plan, but only its own trained people: none
    # booked here, so only the comparison group is left.
    for kind, pk in (("course", course), ("session", session)):
        body = _strict_json(call("get", f"/api/evaluation/{kind}s/{pk}/report", key))
        assert body["scope"] == {"kind": kind, "id": pk}
        assert [p["plan_id"] for p in body["plans"]] == [seeded.plan.pk]
        measure = _measure(body)
        assert measure["changes"]
        assert {c["group"] for c in measure["changes"]} == {"comparison"}


# --- Tenancy, roles, audit -----------------------------------------------------------------------


def test_another_partnerships_ids_answer_404(world_a: World, world_b: World) -> None:
    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    course, session = _course_and_session(world_a, seeded)
    key = token_for(world_b.members[Role.EVALUATOR])
    for url in (
        _url(seeded),
        f"/api/evaluation/courses/{course}/report",
        f"/api/evaluation/sessions/{session}/report",
    ):
        got = call("get", url, key)
        assert got.status_code == 404, url
        assert "another partnership" in got.json()["detail"]
    # B's own partnership report has nothing of A's.
    whole = _strict_json(call("get", "/api/evaluation/report", key))
    assert whole["plans"] == [] and whole["partnership"] == world_b.partnership.name
    assert not AuditEntry.objects.filter(partnership=world_a.partnership, purpose=PURPOSE_REPORT)


def test_only_the_roles_that_see_reports_may_read_them(world_a: World) -> None:
    seeded = seed_evaluation(world_a, trained=6, comparison=0)
    for role in Role:
        got = call("get", _url(seeded), token_for(world_a.members[role]))
        assert got.status_code == (200 if role in ALLOWED else 403), role
        if got.status_code == 403:
            assert got.json()["detail"]
    assert call("get", _url(seeded)).status_code == 401


def test_every_read_is_audited_with_its_purpose(world_a: World, seeded: Seeded) -> None:
    course, session = _course_and_session(world_a, seeded)
    member = world_a.members[Role.AUDITOR]
    key = token_for(member)
    expected = {
        _url(seeded): ("programmes.Programme", seeded.planned.programme.pk),
        f"/api/evaluation/courses/{course}/report": ("training.Course", course),
        f"/api/evaluation/sessions/{session}/report": ("training.Session", session),
        "/api/evaluation/report": ("core.Partnership", world_a.partnership.pk),
    }
    for url, (object_type, pk) in expected.items():
        before = AuditEntry.objects.count()
        assert call("get", url, key).status_code == 200, url
        assert AuditEntry.objects.count() == before + 1, url
        entry = AuditEntry.objects.order_by("-pk").first()
        assert entry is not None
        assert entry.action == AuditAction.VIEW and entry.via == "api"
        assert entry.purpose == PURPOSE_REPORT
        assert (entry.actor_id, entry.partnership_id) == (member.user_id, world_a.partnership.pk)
        assert (entry.object_type.lower(), entry.object_id) == (object_type.lower(), str(pk))


# --- Queries -------------------------------------------------------------------------------------


def _queries(run: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_the_queries_do_not_grow_with_the_people(world_a: World) -> None:
    key = token_for(world_a.members[Role.EVALUATOR])
    small = seed_evaluation(world_a, trained=6, comparison=4, seed=1)
    big = seed_evaluation(world_a, trained=60, comparison=40, seed=2, name="Bigger")
    call("get", _url(small), key)  # the first request fills per-process caches
    few = _queries(lambda: call("get", _url(small), key))
    many = _queries(lambda: call("get", _url(big), key))
    assert many == few
    assert many <= 40


def test_the_texts_follow_the_requests_language(world_a: World) -> None:
    seeded = seed_evaluation(world_a, trained=8, comparison=0, seed=4)
    key = token_for(world_a.members[Role.EVALUATOR])
    got = Client().get(_url(seeded), HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="cy")
    body = _strict_json(got)
    assert body["language"] == "cy"
    # The instrument's own Welsh names its scores.
    labels = " ".join(m["label"] for m in body["plans"][0]["measures"])
    assert "Hyder wrth ddefnyddio" in labels


def test_the_schema_documents_the_reports(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    for path in (
        "/api/evaluation/programmes/{programme_id}/report",
        "/api/evaluation/courses/{course_id}/report",
        "/api/evaluation/sessions/{session_id}/report",
        "/api/evaluation/report",
    ):
        ok = schema["paths"][path]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/ReportOut"), path
    fields = schema["components"]["schemas"]["ReportReliableChange"]["properties"]
    assert "improved" in fields and "people" not in fields
    assert "weights" not in schema["components"]["schemas"]["ReportMatching"]["properties"]


def test_an_anonymous_plans_linked_people_are_not_named(world_a: World) -> None:
    """In an anonymous plan the frames name people "L<n>" (chains of answers linked by their
    codes): those never reach the JSON either."""
    seeded = seed_evaluation(world_a, trained=24, comparison=16, seed=5)
    seeded.plan.anonymous = True
    seeded.plan.save(update_fields=["anonymous"])
    width = len(linking.ELEMENTS)
    rows = list(Response.objects.filter(plan=seeded.plan))
    for row in rows:
        row.code_hashes = [f"h{row.respondent_id}-{k}" for k in range(width)]
    Response.objects.bulk_update(rows, ["code_hashes"])
    scope = Scope("programme", world_a.partnership.pk, seeded.planned.programme.pk)
    frame = analysis_data.scores_frame(seeded.plan, "tip-kac", scope=scope)
    assert frame["person"].str.fullmatch(r"L\d+").all()

    body = _get(seeded, world_a)
    assert _measure(body)["changes"]  # linked over waves, so there is change to show
    assert person_level_problems(body, 40) == []
