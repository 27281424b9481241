"""Responses in the API: pseudonymised exactly as the answers export (stable, never an id or an
email), filters and pages, free text left out after retention, tenancy, capability and audit;
imports in one request: a dry run lists every problem, a commit saves all or nothing, and a file
that cannot be read is refused naming the field."""

from __future__ import annotations

import base64
import csv
import datetime
import io
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.core.test_api import call, token_for
from tests.evaluation.export_helpers import answered
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import exports, imports
from tip.evaluation.models import EvaluationPlan, Respondent, Response, Wave

pytestmark = pytest.mark.django_db


def _url(d: Planned, what: str = "responses") -> str:
    return f"/api/evaluation/programmes/{d.programme.pk}/{what}"


def _export_rows(plan: EvaluationPlan) -> list[dict[str, str]]:
    text = "".join(exports.stream_csv(exports.answer_rows(plan)))
    return list(csv.DictReader(io.StringIO(text)))


# Reading ---------------------------------------------------------------------------------------


def test_responses_are_pseudonymised_as_the_export_and_stable(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    organisation = world_a.organisations[0]
    first = answered(
        plan,
        d.waves(plan)[-7],
        email="ann@example.org",
        covariates={"sector": "education", "organisation": organisation.pk},
    )
    answered(plan, d.waves(plan)[182], respondent=first.respondent)
    draft = answered(plan, d.waves(plan)[182], email="draft@example.org")
    Response.objects.filter(pk=draft.pk).update(submitted_at=None)
    key = token_for(world_a.members[Role.EVALUATOR])

    got = call("get", _url(d), key)
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["count"] == 2 and len(body["responses"]) == 2
    names = exports.Pseudonyms(plan)
    one = body["responses"][0]
    assert one["respondent"] == names.of("R", first.respondent_id)
    assert one["response"] == names.of("A", first.pk)
    assert {r["respondent"] for r in body["responses"]} == {one["respondent"]}
    # The same pseudonyms as the export's, and the same on every read.
    rows = _export_rows(plan)
    assert {r["response"] for r in body["responses"]} == {r["response"] for r in rows}
    assert {r["respondent"] for r in rows} == {one["respondent"]}
    assert call("get", _url(d), key).json() == body
    assert one["wave"] == d.waves(plan)[-7].pk and one["wave_name"] == "Baseline"
    assert one["group"] == "trained" and one["source"] == first.source
    assert one["submitted_on"] == timezone.localdate(first.submitted_at).isoformat()
    assert one["versions"] == {"tip-kac": 1, "tip-feedback": 1}
    assert one["answers"]["tip-kac"] == {"k01": "true", "a01": 4, "a02": 2}
    assert one["covariates"] == {
        "organisation": names.of("O", organisation.pk),
        "sector": "education",
    }
    text = got.content.decode()
    for secret in ("ann@example.org", "draft@example.org", organisation.name):
        assert secret not in text
    for response in body["responses"]:
        assert set(response) == {
            "respondent",
            "response",
            "wave",
            "wave_name",
            "group",
            "source",
            "submitted_on",
            "versions",
            "answers",
            "covariates",
        }
        assert response["response"] not in {str(first.pk), f"A-{first.pk}"}


def test_filters_and_pages(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    baseline, later = d.waves(plan)[-7], d.waves(plan)[182]
    made = [answered(plan, baseline), answered(plan, baseline), answered(plan, later)]
    feedback_only = answered(plan, later, answers={"tip-feedback": {"engaged": 4}})
    names = exports.Pseudonyms(plan)
    key = token_for(world_a.members[Role.EVALUATOR])

    def pseudonyms(query: str) -> list[str]:
        got = call("get", _url(d) + query, key)
        assert got.status_code == 200, got.content
        return [r["response"] for r in got.json()["responses"]]

    assert pseudonyms(f"?wave={baseline.pk}") == [names.of("A", r.pk) for r in made[:2]]
    assert pseudonyms("?instrument=tip-kac") == [names.of("A", r.pk) for r in made]
    assert pseudonyms(f"?wave={later.pk}&instrument=tip-feedback") == [
        names.of("A", made[2].pk),
        names.of("A", feedback_only.pk),
    ]
    page = call("get", _url(d) + "?limit=2&offset=1", key).json()
    assert page["count"] == 4 and (page["limit"], page["offset"]) == (2, 1)
    assert [r["response"] for r in page["responses"]] == [
        names.of("A", made[1].pk),
        names.of("A", made[2].pk),
    ]
    assert call("get", _url(d) + "?limit=501", key).status_code == 422
    assert call("get", _url(d) + "?offset=-1", key).status_code == 422
    assert call("get", _url(d) + "?limit=500", key).status_code == 200


def test_free_text_is_left_out_once_retention_has_passed(world_a: World) -> None:
    d = Planned(world_a)
    plan = d.plan()
    long_ago = timezone.now() - datetime.timedelta(days=1000)
    answered(plan, d.waves(plan)[-7], closes_at=long_ago)
    key = token_for(world_a.members[Role.EVALUATOR])
    answers = call("get", _url(d), key).json()["responses"][0]["answers"]
    assert answers["tip-feedback"] == {"engaged": 5}
    assert answers["tip-kac"] == {"k01": "true", "a01": 4, "a02": 2}
    plan.retention_days = 5000
    plan.save()
    answers = call("get", _url(d), key).json()["responses"][0]["answers"]
    assert answers["tip-feedback"]["most_useful"] == '=HYPERLINK("x") the case studies'


def test_reads_are_scoped_need_the_capability_and_are_audited(
    world_a: World, world_b: World
) -> None:
    d = Planned(world_a)
    plan = d.plan()
    answered(plan, d.waves(plan)[-7])
    assert call("get", _url(d), token_for(world_b.members[Role.EVALUATOR])).status_code == 404
    for role in (Role.PRACTITIONER, Role.TRAINER):
        assert call("get", _url(d), token_for(world_a.members[role])).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT, via="api").exists()
    evaluator = world_a.members[Role.EVALUATOR]
    assert call("get", _url(d), token_for(evaluator)).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, via="api")
    assert entry.actor_id == evaluator.user_id
    assert entry.partnership_id == world_a.partnership.pk
    assert entry.purpose == exports.PURPOSE_ANSWERS
    assert entry.object_id == str(plan.pk)


# Importing -------------------------------------------------------------------------------------


class Setup:
    def __init__(self, world: World) -> None:
        self.world = world
        self.d = Planned(world)
        self.plan: EvaluationPlan = self.d.plan()
        self.d.measure(self.plan, offsets=(-7, 182))
        self.wave: Wave = self.d.waves(self.plan)[-7]
        self.key = token_for(world.members[Role.EVALUATOR])
        self.ann = self.respondent(world.members[Role.PRACTITIONER])
        self.bob = self.respondent(world.members[Role.TRAINER])

    def respondent(self, membership: Any) -> Respondent:
        return Respondent.objects.create(
            partnership=self.world.partnership,
            plan=self.plan,
            group="trained",
            membership=membership,
            anchor_date=datetime.date(2024, 1, 1),
        )

    def csv(self, bob_a01: str = "2", bob_email: str | None = None) -> str:
        bob = bob_email or self.bob.membership.user.email  # type: ignore[union-attr]
        return (
            "email,date,a01,k01,Sector\n"
            f"{self.ann.membership.user.email},2024-01-31,4,true,education\n"  # type: ignore[union-attr]
            f"{bob},2024-02-01,{bob_a01},false,police\n"
        )

    def send(self, key: str | None = None, **body: Any) -> Any:
        sent: dict[str, Any] = {
            "wave": self.wave.pk,
            "instrument": "tip-kac",
            "mapping": MAPPING,
        } | body
        if "csv" not in sent and "content_base64" not in sent:
            sent["csv"] = self.csv()
        return call("post", _url(self.d, "imports"), key or self.key, sent)


MAPPING = {
    "email": imports.EMAIL,
    "date": imports.DATE,
    "C": "item:a01",
    "k01": "item:k01",
    "Sector": "covariate:sector",
}


def test_a_dry_run_previews_and_lists_every_problem_saving_nothing(world_a: World) -> None:
    s = Setup(world_a)
    good = s.send()
    assert good.status_code == 200, good.content
    body = good.json()
    assert body["ok"] is True and body["rows"] == 2 and body["problems"] == []
    assert [r["row"] for r in body["preview"]] == [2, 3]
    assert body["preview"][0]["answers"] == {"a01": 4, "k01": "true"}
    assert body["preview"][0]["covariates"] == {"sector": "education"}
    bad = s.send(csv=s.csv(bob_a01="9", bob_email="nobody@example.org"))
    assert bad.status_code == 200
    problems = bad.json()["problems"]
    assert bad.json()["ok"] is False
    assert {(p["row"], p["column"][:8]) for p in problems} == {(3, "column A"), (3, "column C")}
    assert any("nobody@example.org" in p["message"] for p in problems)
    unmapped = s.send(mapping={"email": imports.EMAIL})
    assert unmapped.status_code == 200
    assert unmapped.json()["problems"][0]["row"] is None
    assert not Response.objects.exists()
    assert not AuditEntry.objects.filter(object_type="evaluation.Response").exists()


def test_a_commit_saves_every_row_or_none_and_is_audited(world_a: World) -> None:
    s = Setup(world_a)
    refused = s.send(csv=s.csv(bob_a01="9"), dry_run=False)
    assert refused.status_code == 422, refused.content
    errors = refused.json()["errors"]
    assert [(e["field"], e["row"]) for e in errors] == [("file", 3)]
    assert errors[0]["column"].startswith("column C") and "Row 3" in errors[0]["message"]
    assert not Response.objects.exists()  # Ann's good row was not saved either

    done = s.send(dry_run=False)
    assert done.status_code == 201, done.content
    assert done.json() == {"created": 2}
    saved = Response.objects.filter(wave=s.wave, source="import").order_by("pk")
    assert [r.respondent_id for r in saved] == [s.ann.pk, s.bob.pk]
    assert saved[0].answers == {"tip-kac": {"a01": 4, "k01": "true"}}
    entries = AuditEntry.objects.filter(via="api", action=AuditAction.CREATE)
    assert entries.filter(object_type="evaluation.Response").count() == 2
    assert entries.filter(object_type="evaluation.ResponseImport").count() == 1

    again = s.send(dry_run=False)  # the same people have answered at the wave
    assert again.status_code == 422
    assert len(again.json()["errors"]) == 2
    assert Response.objects.count() == 2


def test_files_that_cannot_be_read_are_refused_naming_the_field(world_a: World) -> None:
    s = Setup(world_a)

    def refused(**body: Any) -> dict[str, str]:
        got = s.send(**body)
        assert got.status_code == 422, got.content
        return {e["field"]: e["message"] for e in got.json()["errors"]}

    assert "base64" in refused(content_base64="not base64!", file_name="a.csv")["content_base64"]
    latin = base64.b64encode(s.csv().replace("email", "émail").encode("latin-1")).decode()
    assert "UTF-8" in refused(content_base64=latin, file_name="a.csv")["content_base64"]
    empty = base64.b64encode(b"").decode()
    assert "empty" in refused(content_base64=empty)["content_base64"]
    both = base64.b64encode(s.csv().encode()).decode()
    assert "not both" in refused(content_base64=both, csv=s.csv())[""]
    assert "Its columns are" in refused(mapping=MAPPING | {"Z": "ignore"})["mapping.Z"]
    assert "item:" in refused(mapping=MAPPING | {"email": "respondent:name"})["mapping.email"]
    assert refused(wave=s.d.waves(s.plan)[0].pk)["instrument"]
    assert refused(instrument="tip-feedback")["instrument"]
    assert refused(date_order="ymd")["date_order"]
    assert refused(extra=1)["extra"]
    # A file sent as base64 reads as the same file sent as text.
    ok = s.send(content_base64=both, file_name="answers.csv")
    assert ok.status_code == 200 and ok.json()["ok"] is True
    assert not Response.objects.exists()


def test_imports_are_scoped_and_need_the_capability(world_a: World, world_b: World) -> None:
    s = Setup(world_a)
    other = Setup(world_b)
    assert s.send(key=token_for(world_b.members[Role.EVALUATOR])).status_code == 404
    foreign_wave = s.send(wave=other.wave.pk, dry_run=False)
    assert foreign_wave.status_code == 422
    assert foreign_wave.json()["errors"][0]["field"] == "wave"
    for role in (Role.PRACTITIONER, Role.TRAINER):
        assert s.send(key=token_for(world_a.members[role]), dry_run=False).status_code == 403
    assert not Response.objects.exists()
