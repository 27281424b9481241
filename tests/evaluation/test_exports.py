"""A plan's exports: the long CSV's columns and rows, pseudonyms (stable in a plan, different
across plans, never an id or email), formulas neutralised, the data package's schema naming
every column of every CSV, free text left out after retention, tenancy and audit."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.evaluation.export_helpers import answered, observed
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import exports
from tip.evaluation.models import EvaluationPlan


def _rows(plan: EvaluationPlan, **options: Any) -> list[dict[str, str]]:
    text = "".join(exports.stream_csv(exports.answer_rows(plan, exports.ExportOptions(**options))))
    return list(csv.DictReader(io.StringIO(text)))


def _plan(world: World, name: str = "Trauma-informed schools") -> tuple[Planned, EvaluationPlan]:
    d = Planned(world, name=name)
    return d, d.plan()


def test_one_row_per_answer_with_scores_after_reverse_scoring(world_a: World) -> None:
    d, plan = _plan(world_a)
    response = answered(plan, d.waves(plan)[-7], email="ann@example.org")
    rows = _rows(plan)
    assert list(rows[0]) == [c.name for c in exports.ANSWER_COLUMNS]
    by_item = {r["item_id"]: r for r in rows}
    assert set(by_item) == {"k01", "a01", "a02", "engaged", "most_useful", "sector"}
    a02 = by_item["a02"]
    assert (a02["value"], a02["scored_value"]) == ("2", "4")  # reverse-scored on 1 to 5
    assert by_item["a01"]["scored_value"] == "4"
    assert by_item["k01"]["scored_value"] in {"0", "1"}
    assert "attitudes" in by_item["a01"]["subscales"] or by_item["a01"]["subscales"]
    assert a02["wave"] == "Baseline" and a02["wave_kind"] == "baseline"
    assert a02["wave_offset_days"] == "-7" and a02["group"] == "trained"
    assert a02["instrument_id"] == "tip-kac" and a02["instrument_version"] == "1"
    assert a02["answered_on"] == timezone.localdate(response.submitted_at).isoformat()
    assert a02["record"] == "answer" and by_item["sector"]["record"] == "covariate"
    assert by_item["sector"]["value"] == "education"


def test_pseudonyms_are_stable_in_a_plan_differ_across_plans_and_hide_ids(
    world_a: World,
) -> None:
    d, plan = _plan(world_a)
    other_d, other = _plan(world_a, name="Another programme")
    first = answered(plan, d.waves(plan)[-7], email="ann@example.org")
    answered(plan, d.waves(plan)[182], respondent=first.respondent)
    answered(other, other_d.waves(other)[-7], respondent=None)
    rows = _rows(plan)
    respondents = {r["respondent"] for r in rows}
    assert len(respondents) == 1  # the same person at both waves
    pseudonym = respondents.pop()
    assert pseudonym.startswith("R-") and len(pseudonym) == 18
    assert len({r["response"] for r in rows}) == 2
    assert {r["respondent"] for r in _rows(plan)} == {pseudonym}  # stable between exports
    names = exports.Pseudonyms(other)
    assert names.of("R", first.respondent_id) != pseudonym
    text = "".join(exports.stream_csv(exports.answer_rows(plan)))
    assert "ann@example.org" not in text
    for row in rows:
        assert row["respondent"] not in {str(first.respondent_id), f"R-{first.respondent_id}"}
        assert row["response"].startswith("A-") and row["response"] != f"A-{first.pk}"


def test_organisation_covariates_are_codes_unless_exact(world_a: World) -> None:
    d, plan = _plan(world_a)
    organisation = world_a.organisations[0]
    answered(plan, d.waves(plan)[-7], covariates={"organisation": organisation.pk})
    coded = {r["item_id"]: r["value"] for r in _rows(plan)}["organisation"]
    assert coded.startswith("O-") and str(organisation.pk) != coded
    exact = {r["item_id"]: r["value"] for r in _rows(plan, exact_organisations=True)}
    assert exact["organisation"] == str(organisation.pk)


def test_formulas_are_neutralised(world_a: World) -> None:
    d, plan = _plan(world_a)
    answered(plan, d.waves(plan)[-7])
    by_item = {r["item_id"]: r for r in _rows(plan)}
    assert by_item["most_useful"]["value"].startswith("'=HYPERLINK")
    assert exports.csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert exports.csv_safe("+1") == "'+1" and exports.csv_safe("-1") == "'-1"
    assert exports.csv_safe("plain") == "plain"


def test_free_text_is_left_out_once_retention_has_passed(world_a: World) -> None:
    d, plan = _plan(world_a)
    long_ago = timezone.now() - datetime.timedelta(days=1000)
    answered(plan, d.waves(plan)[-7], closes_at=long_ago)
    observed(plan)
    assert "most_useful" not in {r["item_id"] for r in _rows(plan)}
    text = "".join(exports.stream_csv(exports.observation_rows(plan)))
    assert "Good pacing" not in text and "Calm room" not in text
    plan.retention_days = 5000
    plan.save()
    assert "most_useful" in {r["item_id"] for r in _rows(plan)}


def _package(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_data_package_describes_every_column(world_a: World) -> None:
    d, plan = _plan(world_a)
    answered(plan, d.waves(plan)[-7])
    observed(plan, by=world_a.user(Role.EVALUATOR))
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    url = reverse("evaluation:export-package", kwargs={"programme_id": d.programme.pk})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = _package(response)
    assert set(archive.namelist()) == {
        "answers.csv",
        "observations.csv",
        "items.csv",
        "datapackage.json",
        "README.txt",
    }
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        for f in fields:
            assert f["type"] in {"string", "integer", "number", "date"}
            assert f["description"] and "required" in f["constraints"]
    answers = descriptor["resources"][0]["schema"]["fields"]
    kinds = next(f for f in answers if f["name"] == "wave_kind")
    assert kinds["constraints"]["enum"] == ["baseline", "post", "follow_up"]
    observations = archive.read("observations.csv").decode()
    assert "Duty team" not in observations and ",T-" in observations
    assert "Pseudonyms" in archive.read("README.txt").decode()
    entry = AuditEntry.objects.get(action="export")
    assert (
        entry.purpose == exports.PURPOSE_PACKAGE
        and entry.object_type == "evaluation.EvaluationPlan"
    )


def test_leads_may_export_names_evaluators_get_codes(world_a: World) -> None:
    d, plan = _plan(world_a)
    observed(plan)
    url = reverse("evaluation:export-observations", kwargs={"programme_id": d.programme.pk})
    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    named = b"".join(lead.get(url + "?organisations=names").streaming_content).decode()
    assert "Duty team" in named
    evaluator = signed_in_client(world_a.user(Role.EVALUATOR))
    coded = b"".join(evaluator.get(url + "?organisations=names").streaming_content).decode()
    assert "Duty team" not in coded
    page = evaluator.get(reverse("evaluation:export", kwargs={"programme_id": d.programme.pk}))
    assert page.status_code == 200 and b"organisations=names" not in page.content
    assert (
        AuditEntry.objects.filter(action="export", purpose=exports.PURPOSE_OBSERVATIONS).count()
        == 2
    )


def test_another_partnerships_exports_answer_404(world_a: World, world_b: World) -> None:
    theirs, _plan_b = _plan(world_b)
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    for name in ("evaluation:export", "evaluation:export-answers", "evaluation:export-package"):
        url = reverse(name, kwargs={"programme_id": theirs.programme.pk})
        assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_artic_scores_are_a_row_each_with_the_form_as_version(world_a: World) -> None:
    d, plan = _plan(world_a)
    scores = {"total": 5.5, "subscales": {"Underlying causes": 4.0, "Personal support": 6.25}}
    response = answered(plan, d.waves(plan)[-7], answers={"artic": scores}, covariates={})
    response.versions = {"artic": "ARTIC-45"}  # as imports.py saves them
    response.save(update_fields=["versions"])
    rows = [r for r in _rows(plan) if r["record"] == "answer"]
    assert [(r["item_id"], r["value"], r["scored_value"]) for r in rows] == [
        ("total", "5.5", "5.5"),
        ("subscale:Personal support", "6.25", "6.25"),
        ("subscale:Underlying causes", "4.0", "4.0"),
    ]
    assert {(r["instrument_id"], r["instrument_version"], r["subscales"]) for r in rows} == {
        ("artic", "ARTIC-45", "")
    }
    assert not any("{" in r["value"] for r in rows)  # no JSON cell
    # The schema says so: the answers' version is text, the observations' still a number.
    descriptor = exports.datapackage(plan, exports.ExportOptions())
    types = {
        resource["name"]: {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    assert types["answers"]["instrument_version"] == "string"
    assert types["observations"]["instrument_version"] == "integer"
    assert types["items"]["instrument_version"] == "integer"


def test_numbered_versions_are_still_written_as_numbers(world_a: World) -> None:
    d, plan = _plan(world_a)
    answered(plan, d.waves(plan)[-7])
    versions = {r["instrument_version"] for r in _rows(plan) if r["record"] == "answer"}
    assert versions == {"1"}
