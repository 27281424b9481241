"""Partnerships' own instruments: adding one (pasted or uploaded) checked like TIP's own, every
problem listed with its place; ids kept for TIP; a version never changed, and not removed once
used; only ever seen by its partnership; used in a plan and answered on the survey pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import World
from tests.core.test_api import call, token_for
from tests.evaluation.plan_helpers import Planned
from tests.evaluation.survey_helpers import make_survey
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import selectors, services, services_instruments
from tip.evaluation.models import PartnershipInstrument
from tip.evaluation.selectors_instruments import instrument_for

pytestmark = pytest.mark.django_db

INSTRUMENT = """\
id: northshire-wellbeing
version: {version}
languages: [en, cy]
title: {{en: Staff wellbeing check, cy: Gwiriad llesiant staff}}
description: {{en: For staff after training., cy: Ar gyfer staff ar ôl hyfforddiant.}}
respondent: self
licence: CC BY 4.0
source: {{en: Northshire's evaluation team., cy: Tîm gwerthuso Northshire.}}
validated: false
validation_note: {{en: Not yet validated., cy: Heb ei ddilysu eto.}}
scales:
  - id: agreement
    type: likert
    points:
      - {{value: 1, label: {{en: Disagree, cy: Anghytuno}}}}
      - {{value: 2, label: {{en: Not sure, cy: Ddim yn siŵr}}}}
      - {{value: 3, label: {{en: Agree, cy: Cytuno}}}}
sections:
  - id: wellbeing
    title: {{en: Your wellbeing, cy: Eich llesiant}}
items:
  - id: supported
    section: wellbeing
    scale: agreement
    text: {{en: I feel supported at work., cy: Rydw i'n teimlo fy mod i'n cael fy nghefnogi.}}
"""

BROKEN = """\
id: northshire-broken
version: 1
languages: [en, cy]
title: {en: Broken, cy: ""}
description: {en: A broken one., cy: Un wedi torri.}
respondent: self
licence: CC BY 4.0
source: {en: Us., cy: Ni.}
validated: false
validation_note: {en: No., cy: Na.}
scales:
  - id: agreement
    type: likert
    points:
      - {value: 1, label: {en: No, cy: Na}}
      - {value: 2, label: {en: Yes, cy: Ie}}
items:
  - id: q1
    scale: nowhere
    text: {en: A question, cy: Cwestiwn}
"""


def text(version: int = 1) -> str:
    return INSTRUMENT.format(version=version)


def add(world: World, version: int = 1) -> PartnershipInstrument:
    return services_instruments.partnership_instrument_add(
        partnership=world.partnership, text=text(version), by=world.user(Role.EVALUATOR)
    )


# --- Adding -------------------------------------------------------------------------------------


def test_a_valid_upload_is_kept_and_audited(world_a: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world_a.user(Role.EVALUATOR))
    upload = SimpleUploadedFile("wellbeing.yaml", text().encode("utf-8"))
    response = client.post("/evaluation/instruments/new/", {"file": upload})
    assert response.status_code == 302
    stored = PartnershipInstrument.objects.get(partnership=world_a.partnership)
    assert (stored.instrument_id, stored.version, stored.fmt) == ("northshire-wellbeing", 1, "yaml")
    assert stored.title_en == "Staff wellbeing check"
    assert stored.created_by == world_a.user(Role.EVALUATOR)
    assert AuditEntry.objects.filter(object_id=str(stored.pk), action="create").exists()
    page = client.get(response["Location"]).content.decode()
    assert "I feel supported at work." in page and "3: Agree" in page
    welsh = client_for(world_a.user(Role.EVALUATOR))
    welsh.cookies["django_language"] = "cy"
    cy = welsh.get(response["Location"]).content.decode()
    assert "Gwiriad llesiant staff" in cy and "Anghytuno" in cy
    listed = client.get("/evaluation/instruments/").content.decode()
    assert "Staff wellbeing check" in listed and "tip-kac" in listed


def test_pasted_json_is_accepted(world_a: World) -> None:
    import json

    import yaml

    data = yaml.safe_load(text())
    stored = services_instruments.partnership_instrument_add(
        partnership=world_a.partnership,
        text=json.dumps(data),
        fmt="json",
        by=world_a.user(Role.EVALUATOR),
    )
    assert stored.fmt == "json" and instrument_for(world_a.partnership, stored.instrument_id)


def test_an_invalid_instrument_lists_every_problem_with_its_path(
    world_a: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(world_a.user(Role.EVALUATOR))
    response = client.post("/evaluation/instruments/new/", {"text": BROKEN})
    assert response.status_code == 400
    page = response.content.decode()
    assert "title.cy" in page
    assert "items[0].scale" in page
    assert not PartnershipInstrument.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services_instruments.partnership_instrument_add(
            partnership=world_a.partnership, text=BROKEN, by=world_a.user(Role.EVALUATOR)
        )
    messages = refused.value.message_dict["text"]
    assert len(messages) >= 2
    assert any(m.startswith("title.cy:") for m in messages)
    assert any(m.startswith("items[0].scale:") for m in messages)


def test_files_that_are_not_instruments_are_refused(world_a: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world_a.user(Role.EVALUATOR))
    for name, data, words in (
        ("notes.txt", b"id: x", ".yaml, .yml or .json"),
        ("big.yaml", b"#" * (services_instruments.MAX_BYTES + 1), "200 KB"),
        ("latin1.yaml", "id: caf\xe9".encode("latin-1"), "UTF-8"),
    ):
        response = client.post(
            "/evaluation/instruments/new/", {"file": SimpleUploadedFile(name, data)}
        )
        assert response.status_code == 400, name
        assert words in response.content.decode()
    assert client.post("/evaluation/instruments/new/", {}).status_code == 400
    assert not PartnershipInstrument.objects.exists()


def test_the_same_id_and_version_is_refused_and_a_new_version_accepted(world_a: World) -> None:
    add(world_a)
    with pytest.raises(ValidationError) as refused:
        add(world_a)
    assert "already has version 1" in refused.value.messages[0]
    add(world_a, version=2)
    assert instrument_for(world_a.partnership, "northshire-wellbeing").version == 2
    assert instrument_for(world_a.partnership, "northshire-wellbeing", 1).version == 1


def test_ids_kept_for_tip_are_refused(world_a: World) -> None:
    for code in ("tip-wellbeing", "tip-kac"):
        with pytest.raises(ValidationError) as refused:
            services_instruments.partnership_instrument_add(
                partnership=world_a.partnership,
                text=text().replace("northshire-wellbeing", code),
                by=world_a.user(Role.EVALUATOR),
            )
        assert refused.value.messages[0].startswith("id: ids beginning “tip-”")
    assert not PartnershipInstrument.objects.exists()


# --- Tenancy ------------------------------------------------------------------------------------


def test_another_partnership_never_sees_or_uses_it(
    world_a: World,
    world_b: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    stored = add(world_a)
    outsider = client_for(world_b.user(Role.EVALUATOR))
    assert outsider.get(f"/evaluation/instruments/{stored.pk}/").status_code == 404
    assert outsider.post(f"/evaluation/instruments/{stored.pk}/remove/").status_code == 404
    assert "Staff wellbeing check" not in outsider.get("/evaluation/instruments/").content.decode()
    with pytest.raises(KeyError):
        instrument_for(world_b.partnership, "northshire-wellbeing")
    assert "northshire-wellbeing" not in {i.id for i in selectors.instruments(world_b.partnership)}
    planned = Planned(world_b)
    plan = planned.plan()
    with pytest.raises(ValidationError) as refused:
        services.measure_create(
            plan=plan,
            instrument_id="northshire-wellbeing",
            instrument_version=1,
            waves=[planned.waves(plan)[-7]],
            by=planned.lead,
        )
    assert "instrument_id" in refused.value.message_dict
    key = token_for(world_b.members[Role.EVALUATOR])
    assert (
        call("get", f"/api/evaluation/partnership-instruments/{stored.pk}", key).status_code == 404
    )
    assert call("get", "/api/evaluation/partnership-instruments", key).json() == []
    assert PartnershipInstrument.objects.filter(pk=stored.pk).exists()


def test_people_without_the_capability_are_refused(world_a: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world_a.user(Role.PRACTITIONER))
    assert client.get("/evaluation/instruments/").status_code == 403


# --- Using it -----------------------------------------------------------------------------------


def test_a_plan_measures_with_it_and_its_used_version_cannot_be_removed(
    world_a: World,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    stored = add(world_a)
    planned = Planned(world_a)
    plan = planned.plan()
    assert ("northshire-wellbeing", "Staff wellbeing check (northshire-wellbeing, version 1)") in (
        selectors.instrument_choices(world_a.partnership)
    )
    measure = services.measure_create(
        plan=plan,
        instrument_id="northshire-wellbeing",
        instrument_version=1,
        waves=[planned.waves(plan)[0]],
        by=planned.lead,
    )
    assert (measure.instrument_id, measure.instrument_version) == ("northshire-wellbeing", 1)
    assert selectors.measure_views(plan=plan)[0].title == "Staff wellbeing check"
    with pytest.raises(ValidationError) as wrong:
        services.measure_update(
            measure=measure,
            instrument_id="northshire-wellbeing",
            instrument_version=9,
            waves=[planned.waves(plan)[0]],
            by=planned.lead,
        )
    assert "instrument_version" in wrong.value.message_dict
    with pytest.raises(ValidationError) as used:
        services_instruments.partnership_instrument_delete(
            stored=stored, by=world_a.user(Role.EVALUATOR)
        )
    assert "Trauma-informed schools" in used.value.messages[0]
    client = client_for(world_a.user(Role.EVALUATOR))
    assert client.post(f"/evaluation/instruments/{stored.pk}/remove/").status_code == 400
    key = token_for(world_a.members[Role.EVALUATOR])
    url = f"/api/evaluation/partnership-instruments/{stored.pk}"
    assert call("delete", url, key).status_code == 422
    assert PartnershipInstrument.objects.filter(pk=stored.pk).exists()
    plan_page = client.get(f"/evaluation/programmes/{planned.programme.pk}/").content.decode()
    assert "Staff wellbeing check" in plan_page


def test_an_unused_version_is_removed_and_audited(world_a: World, client_for) -> None:  # type: ignore[no-untyped-def]
    stored = add(world_a)
    client = client_for(world_a.user(Role.EVALUATOR))
    assert client.get(f"/evaluation/instruments/{stored.pk}/remove/").status_code == 200
    assert client.post(f"/evaluation/instruments/{stored.pk}/remove/").status_code == 302
    assert not PartnershipInstrument.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(stored.pk), action="delete").exists()


def test_a_survey_page_asks_its_items(world_a: World, client: Client) -> None:
    add(world_a)
    survey = make_survey(world_a, offset=0, instruments=("northshire-wellbeing",))
    assert client.post(survey.url("consent/"), {"agree": "yes"}).status_code == 302
    page = client.get(survey.url("q/northshire-wellbeing.wellbeing/"))
    assert page.status_code == 200
    assert "I feel supported at work." in page.content.decode()
    saved = client.post(survey.url("q/northshire-wellbeing.wellbeing/"), {"supported": "3"})
    assert saved.status_code == 302


# --- The API ------------------------------------------------------------------------------------


def test_the_api_lists_creates_reads_and_deletes(world_a: World) -> None:
    key = token_for(world_a.members[Role.EVALUATOR])
    base = "/api/evaluation/partnership-instruments"
    refused = call("post", base, key, {"text": BROKEN})
    assert refused.status_code == 422
    paths = {e["message"].split(":")[0] for e in refused.json()["errors"]}
    assert {"title.cy", "items[0].scale"} <= paths
    made = call("post", base, key, {"text": text()})
    assert made.status_code == 201
    body = made.json()
    assert (body["instrument_id"], body["version"], body["title"]) == (
        "northshire-wellbeing",
        1,
        "Staff wellbeing check",
    )
    assert call("post", base, key, {"text": text()}).status_code == 422
    assert [i["id"] for i in call("get", base, key).json()] == [body["id"]]
    assert call("get", f"{base}/{body['id']}", key).json()["text"] == text()
    listed = call("get", "/api/evaluation/instruments", key).json()
    assert "northshire-wellbeing" in {i["id"] for i in listed}
    assert call("delete", f"{base}/{body['id']}", key).status_code == 204
    assert call("get", f"{base}/{body['id']}", key).status_code == 404
