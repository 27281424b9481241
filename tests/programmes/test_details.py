"""About the programme: who it is for, phases in order, governance and co-design."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.programmes import services
from tip.programmes.models import (
    CoDesignActivity,
    DeliveryBoardMember,
    OrganisationLead,
    Phase,
    Programme,
)


def lead_client(world: World) -> Client:
    return signed_in_client(world.user(Role.PROGRAMME_LEAD))


def url(name: str, programme: Programme, **kw: object) -> str:
    return reverse(f"programmes:{name}", kwargs={"programme_id": programme.pk, **kw})


PHASES = {
    "learn_starts_on_day": "1",
    "learn_starts_on_month": "4",
    "learn_starts_on_year": "2026",
    "learn_ends_on_day": "30",
    "learn_ends_on_month": "6",
    "learn_ends_on_year": "2026",
    "implement_starts_on_day": "1",
    "implement_starts_on_month": "7",
    "implement_starts_on_year": "2026",
    "implement_ends_on_day": "31",
    "implement_ends_on_month": "3",
    "implement_ends_on_year": "2027",
    "review_starts_on_day": "1",
    "review_starts_on_month": "4",
    "review_starts_on_year": "2027",
    "review_ends_on_day": "30",
    "review_ends_on_month": "6",
    "review_ends_on_year": "2027",
}


def test_details_and_phases_are_saved_audited_and_shown(
    world_a: World, programme: Programme
) -> None:
    client = lead_client(world_a)
    response = client.post(
        url("details-edit", programme),
        {
            "name": "Safer schools",
            "aims": "Calmer classrooms",
            "target_sectors": ["education"],
            "target_groups": ["senior_leaders", "support_staff"],
        },
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.target_groups == ["senior_leaders", "support_staff"]
    assert client.post(url("phases-edit", programme), PHASES).status_code == 302
    assert Phase.objects.filter(programme=programme).count() == 3
    assert AuditEntry.objects.filter(object_type="programmes.Phase", action="create").count() == 3
    assert AuditEntry.objects.filter(
        object_type="programmes.Programme", action="update", object_id=str(programme.pk)
    ).exists()
    page = client.get(url("programme-detail", programme)).content.decode()
    assert "About the programme" in page
    assert "Support staff, such as reception and admin" in page
    assert "1 July 2026" in page
    # The form shows the saved dates back.
    form = client.get(url("phases-edit", programme)).content.decode()
    assert 'name="implement_starts_on_month"' in form and 'value="2026"' in form


def test_a_phase_ending_before_it_starts_is_refused_naming_it(
    world_a: World, programme: Programme
) -> None:
    client = lead_client(world_a)
    body = PHASES | {"implement_ends_on_day": "1", "implement_ends_on_month": "6"}
    body["implement_ends_on_year"] = "2026"
    response = client.post(url("phases-edit", programme), body)
    assert response.status_code == 400
    assert "The implement phase must end on or after the day it starts" in response.content.decode()
    assert not Phase.objects.exists()


def test_phases_out_of_order_are_refused_with_nothing_saved(
    world_a: World, programme: Programme
) -> None:
    client = lead_client(world_a)
    body = PHASES | {
        "review_starts_on_day": "1",
        "review_starts_on_month": "1",
        "review_starts_on_year": "2027",
    }  # before implement ends
    response = client.post(url("phases-edit", programme), body)
    assert response.status_code == 400
    assert (
        "The review phase must start on or after the day the implement phase ends"
        in response.content.decode()
    )
    assert not Phase.objects.exists()
    assert not AuditEntry.objects.filter(object_type="programmes.Phase").exists()


def test_a_date_that_does_not_exist_is_refused(world_a: World, programme: Programme) -> None:
    response = lead_client(world_a).post(
        url("phases-edit", programme),
        PHASES
        | {
            "learn_starts_on_day": "31",
            "learn_starts_on_month": "2",
            "learn_starts_on_year": "2026",
        },
    )
    assert response.status_code == 400
    assert "The learn phase's start date must be a real date" in html.unescape(
        response.content.decode()
    )


def test_an_organisation_from_another_partnership_is_refused(
    world_a: World, world_b: World, programme: Programme
) -> None:
    by = world_a.user(Role.PROGRAMME_LEAD)
    other = world_b.organisations[0]
    with pytest.raises(ValidationError):
        services.organisation_lead_set(programme=programme, organisation=other, name="X", by=by)
    with pytest.raises(ValidationError):
        services.board_member_create(programme=programme, name="X", organisation=other, by=by)
    assert not OrganisationLead.objects.exists()
    assert not DeliveryBoardMember.objects.exists()
    # On the page, another partnership's organisation is not among the choices.
    response = lead_client(world_a).post(
        url("organisation-lead-create", programme),
        {"organisation": other.pk, "name": "X"},
    )
    assert response.status_code == 400
    assert not OrganisationLead.objects.exists()


def test_governance_and_codesign_pages(world_a: World, programme: Programme) -> None:
    client = lead_client(world_a)
    org = world_a.organisations[1]
    assert client.get(url("sro-edit", programme)).status_code == 200
    sro = world_a.members[Role.PROGRAMME_LEAD]
    response = client.post(
        url("sro-edit", programme), {"sro_member": sro.pk, "sro_name": "", "sro_role": "Director"}
    )
    assert response.status_code == 302
    body = {"name": "Ade Board", "role": "Chair", "organisation": org.pk}
    assert client.post(url("board-member-create", programme), body).status_code == 302
    body = {"organisation": org.pk, "name": "Lee Lead", "role": "Head"}
    assert client.post(url("organisation-lead-create", programme), body).status_code == 302
    # Naming a lead again for the same organisation replaces them.
    body = {"organisation": org.pk, "name": "Lou Lead", "role": "Head"}
    assert client.post(url("organisation-lead-create", programme), body).status_code == 302
    assert list(OrganisationLead.objects.values_list("name", flat=True)) == ["Lou Lead"]
    response = client.post(
        url("codesign-create", programme),
        {
            "who_took_part": ["young_people", "other"],
            "who_else": "Parents",
            "how": "Two workshops",
            "held_on_day": "12",
            "held_on_month": "5",
            "held_on_year": "2026",
            "what_changed": "The training starts with safety",
        },
    )
    assert response.status_code == 302
    activity = CoDesignActivity.objects.get()
    assert activity.held_on == datetime.date(2026, 5, 12)
    page = client.get(url("governance", programme)).content.decode()
    page += client.get(url("codesign-list", programme)).content.decode()
    assert (
        "1 delivery board member" in client.get(url("programme-detail", programme)).content.decode()
    )
    for text in (
        "Ade Board",
        "Lou Lead",
        "Young people",
        "Parents",
        "Director",
        sro.user.full_name,
    ):
        assert text in page
    member = DeliveryBoardMember.objects.get()
    response = client.post(url("board-member-delete", programme, board_member_id=member.pk))
    assert response.status_code == 302
    assert response["Location"] == url("governance", programme)
    assert not DeliveryBoardMember.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="programmes.DeliveryBoardMember", action="delete"
    ).exists()
    assert AuditEntry.objects.filter(object_type="programmes.CoDesignActivity").exists()


def test_codesign_needs_who_how_when_and_what_changed(world_a: World, programme: Programme) -> None:
    response = lead_client(world_a).post(url("codesign-create", programme), {"how": ""})
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Choose who took part",
        "Describe how people took part",
        "Enter the date it took place",
        "Describe what changed because of it",
    ):
        assert message in page
    assert not CoDesignActivity.objects.exists()


def test_a_date_missing_its_month_is_refused_naming_it(
    world_a: World, programme: Programme
) -> None:
    response = lead_client(world_a).post(
        url("phases-edit", programme), PHASES | {"learn_ends_on_month": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The learn phase's end date must include a month" in html.unescape(page)
    assert 'href="#id_learn_ends_on_day"' in page  # the error summary links into the date
    assert not Phase.objects.exists()
