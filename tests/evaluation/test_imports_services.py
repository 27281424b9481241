"""Importing responses and ARTIC scores through the pages: all or nothing, respondents matched
within the plan only, duplicates, tenancy and audit."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import World, signed_in_client
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import imports
from tip.evaluation.models import EvaluationPlan, Respondent, Response, Wave

pytestmark = pytest.mark.django_db


class Setup:
    def __init__(self, world: World) -> None:
        self.world = world
        self.d = Planned(world)
        self.plan: EvaluationPlan = self.d.plan()
        self.d.measure(self.plan, offsets=(-7, 182))
        self.wave: Wave = self.d.waves(self.plan)[-7]
        self.evaluator = world.user(Role.EVALUATOR)
        self.client: Client = signed_in_client(self.evaluator)
        self.ann = self.respondent(world.members[Role.PRACTITIONER])
        self.bob = self.respondent(world.members[Role.TRAINER])

    def respondent(self, membership: object) -> Respondent:
        return Respondent.objects.create(
            partnership=self.world.partnership,
            plan=self.plan,
            group="trained",
            membership=membership,
            anchor_date=datetime.date(2024, 1, 1),
        )

    def upload(self, data: bytes, name: str = "answers.csv", artic: bool = False) -> str:
        p = self.d.programme.pk
        url = f"/evaluation/programmes/{p}/imports/{'artic' if artic else 'new'}/"
        body: dict[str, object] = {
            "wave": self.wave.pk,
            "group": "trained",
            "file": SimpleUploadedFile(name, data),
        }
        body |= {"version": "ARTIC-45"} if artic else {"instrument": "tip-kac"}
        response = self.client.post(url, body)
        assert response.status_code == 302, response.content.decode()[:3000]
        found = re.search(r"/imports/([0-9a-f]{32})/columns/", response["Location"])
        assert found
        return found.group(1)

    def map(self, key: str, mapping: list[str], order: str = "auto") -> int:
        body = {f"col_{i}": t for i, t in enumerate(mapping)} | {"date_order": order}
        return self.client.post(f"/evaluation/imports/{key}/columns/", body).status_code


def good_csv(s: Setup) -> bytes:
    return (
        "email,date,a01,k01,Sector\n"
        f"{s.ann.membership.user.email},2024-01-31,4,true,education\n"  # type: ignore[union-attr]
        f"{s.bob.membership.user.email},2024-02-01,2,false,police\n"  # type: ignore[union-attr]
    ).encode("utf-8-sig")


MAP = [imports.EMAIL, imports.DATE, "item:a01", "item:k01", "covariate:sector"]


def test_a_file_is_uploaded_mapped_previewed_and_saved_with_audit(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(good_csv(s))
    page = s.client.get(f"/evaluation/imports/{key}/columns/")
    assert page.status_code == 200
    assert "Same as the question" in page.content.decode()
    assert s.map(key, MAP) == 302
    preview = s.client.get(f"/evaluation/imports/{key}/preview/")
    text = preview.content.decode()
    assert "2 responses will be saved" in text
    assert Response.objects.count() == 0
    done = s.client.post(f"/evaluation/imports/{key}/preview/")
    assert done.status_code == 302
    saved = {r.respondent_id: r for r in Response.objects.all()}
    assert set(saved) == {s.ann.pk, s.bob.pk}
    ann = saved[s.ann.pk]
    assert ann.source == "import"
    assert ann.group == "trained"
    assert ann.answers == {"tip-kac": {"a01": 4, "k01": "true"}}
    assert ann.versions == {"tip-kac": 1}
    assert ann.covariates == {"sector": "education"}
    assert ann.submitted_at is not None and ann.submitted_at.date() == datetime.date(2024, 1, 31)
    entries = AuditEntry.objects.filter(partnership=world_a.partnership, actor=s.evaluator)
    assert entries.filter(object_type="evaluation.Response", action="create").count() == 2
    summary = entries.get(object_type="evaluation.ResponseImport")
    assert summary.object_repr.startswith("2 responses imported (tip-kac 1, csv, 5 columns)")
    # The staged file is gone: the key answers 404.
    assert s.client.get(f"/evaluation/imports/{key}/preview/").status_code == 404


def test_one_bad_row_saves_nothing_and_every_error_is_listed(world_a: World) -> None:
    s = Setup(world_a)
    data = good_csv(s) + b"stranger@example.org,2024-02-02,7,true,x\n"
    key = s.upload(data)
    s.map(key, MAP)
    text = s.client.get(f"/evaluation/imports/{key}/preview/").content.decode()
    assert "Row 4, column A (“email”): No respondent of this plan" in text
    assert "Row 4, column C (“a01”): “7” is not one of the answers" in text
    refused = s.client.post(f"/evaluation/imports/{key}/preview/")
    assert refused.status_code == 400
    assert Response.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="evaluation.Response").exists()


def test_duplicates_in_the_file_and_at_the_wave_are_refused(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(good_csv(s))
    s.map(key, MAP)
    s.client.post(f"/evaluation/imports/{key}/preview/")
    assert Response.objects.count() == 2
    email = s.ann.membership.user.email  # type: ignore[union-attr]
    again = f"email,a01\n{email},3\n{email.upper()},3\n".encode()
    key = s.upload(again)
    assert s.map(key, [imports.EMAIL, "item:a01"]) == 302
    text = s.client.get(f"/evaluation/imports/{key}/preview/").content.decode()
    assert "Row 2, column A (“email”): This respondent has already answered at the wave" in text
    assert "Row 3, column A (“email”): The same respondent is already on row 2" in text
    assert s.client.post(f"/evaluation/imports/{key}/preview/").status_code == 400
    assert Response.objects.count() == 2


def test_unchosen_columns_are_listed_on_the_mapping_page(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(b"who,mystery,a01\nx,1,4\n")
    page = s.client.post(
        f"/evaluation/imports/{key}/columns/",
        {"col_0": imports.NUMBER, "col_1": "", "col_2": "item:a01", "date_order": "auto"},
    )
    assert page.status_code == 400
    assert "or choose “Ignore” for them: column B (“mystery”)" in page.content.decode()


def test_cp1252_upload_is_refused_on_the_page(world_a: World) -> None:
    s = Setup(world_a)
    p = s.d.programme.pk
    page = s.client.post(
        f"/evaluation/programmes/{p}/imports/new/",
        {
            "wave": s.wave.pk,
            "instrument": "tip-kac",
            "group": "trained",
            "file": SimpleUploadedFile("a.csv", "n,a01\nCafé,4\n".encode("cp1252")),
        },
    )
    assert page.status_code == 400
    assert "save it as CSV UTF-8" in page.content.decode()


def test_the_instrument_must_be_used_at_the_wave(world_a: World) -> None:
    s = Setup(world_a)
    p = s.d.programme.pk
    page = s.client.post(
        f"/evaluation/programmes/{p}/imports/new/",
        {
            "wave": s.d.waves(s.plan)[0].pk,
            "instrument": "tip-kac",
            "group": "trained",
            "file": SimpleUploadedFile("a.csv", b"n,a01\n1,4\n"),
        },
    )
    assert page.status_code == 400
    assert "does not use" in page.content.decode()


def test_anonymous_numbers_are_not_kept_and_take_the_chosen_group(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(b"n,a01\n1,4\n2,5\n")
    s.map(key, [imports.NUMBER, "item:a01"])
    s.client.post(f"/evaluation/imports/{key}/preview/")
    rows = list(Response.objects.all())
    assert [r.respondent_id for r in rows] == [None, None]
    assert {r.group for r in rows} == {"trained"}
    assert "1" not in str([r.answers for r in rows if "n" in r.answers])


def test_artic_scores_are_imported_with_the_form_stated(world_a: World) -> None:
    s = Setup(world_a)
    email = s.ann.membership.user.email  # type: ignore[union-attr]
    key = s.upload(f"Email,ARTIC total,Underlying causes\n{email},5.5,4\n".encode(), artic=True)
    page = s.client.get(f"/evaluation/imports/{key}/columns/").content.decode()
    assert "ARTIC total score" in page
    assert s.map(key, [imports.EMAIL, imports.ARTIC_TOTAL, imports.ARTIC_SUBSCALE]) == 302
    assert s.client.post(f"/evaluation/imports/{key}/preview/").status_code == 302
    saved = Response.objects.get()
    assert saved.answers == {"artic": {"total": 5.5, "subscales": {"Underlying causes": 4.0}}}
    assert saved.versions == {"artic": "ARTIC-45"}


def test_artic_scores_out_of_range_save_nothing(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(b"ID,ARTIC total\n1,5\n2,8\n", artic=True)
    s.map(key, [imports.NUMBER, imports.ARTIC_TOTAL])
    text = s.client.get(f"/evaluation/imports/{key}/preview/").content.decode()
    assert "Row 3, column B (“ARTIC total”): “8” is not an ARTIC score" in text
    assert s.client.post(f"/evaluation/imports/{key}/preview/").status_code == 400
    assert not Response.objects.exists()


def test_another_partnerships_plan_and_import_are_404(world_a: World, world_b: World) -> None:
    s = Setup(world_a)
    other = Setup(world_b)
    key = other.upload(good_csv(other))
    for path in ("columns", "preview", "cancel"):
        assert s.client.get(f"/evaluation/imports/{key}/{path}/").status_code == 404
    p = other.d.programme.pk
    assert s.client.get(f"/evaluation/programmes/{p}/imports/new/").status_code == 404
    # B's respondents are unknown in A's plan.
    key = s.upload(good_csv(other))
    s.map(key, MAP)
    text = s.client.get(f"/evaluation/imports/{key}/preview/").content.decode()
    assert text.count("No respondent of this plan has the email address") == 2


def test_only_people_who_plan_evaluations_can_import(world_a: World) -> None:
    s = Setup(world_a)
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    p = s.d.programme.pk
    assert client.get(f"/evaluation/programmes/{p}/imports/new/").status_code == 403


def test_cancel_forgets_the_file(world_a: World) -> None:
    s = Setup(world_a)
    key = s.upload(good_csv(s))
    assert s.client.get(f"/evaluation/imports/{key}/cancel/").status_code == 200
    assert s.client.post(f"/evaluation/imports/{key}/cancel/").status_code == 302
    assert s.client.get(f"/evaluation/imports/{key}/columns/").status_code == 404
