"""The participant's group of staff, asked when booking (themselves or for staff, on the pages or
through the API): optional, "Prefer not to say" keeps it blank, and a value not on the list is
refused, changing nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World, signed_in_client
from tests.core.test_api import assert_json_error, call, token_for
from tests.training.bookings_helpers import make_session, member
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.training import services_bookings as services
from tip.training.models_bookings import Booking

pytestmark = pytest.mark.django_db


def test_booking_yourself_asks_for_your_group_of_staff(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    session = make_session(world_a.partnership, lead)
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    url = f"/training/sessions/{session.pk}/book/"
    form = client.get(url).content.decode()
    assert "Which group of staff are you in?" in form
    assert "Senior leaders" in form and "Prefer not to say" in form
    refused = client.post(url, {"staff_group": "astronauts"})
    assert refused.status_code == 400
    assert "Choose a group of staff from the list" in refused.content.decode()
    assert not Booking.objects.exists()
    assert client.post(url, {"staff_group": "senior_leaders"}).status_code == 302
    booking = Booking.objects.get()
    assert booking.staff_group == "senior_leaders"
    entry = AuditEntry.objects.get(action="create", object_type="training.Booking")
    assert "staff_group" in entry.changed_fields


def test_prefer_not_to_say_and_leaving_it_out_keep_it_blank(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    session = make_session(world_a.partnership, lead)
    for role, data in ((Role.PRACTITIONER, {"staff_group": ""}), (Role.CHAMPION, {})):
        client = signed_in_client(world_a.user(role))
        assert client.post(f"/training/sessions/{session.pk}/book/", data).status_code == 302
    assert list(Booking.objects.values_list("staff_group", flat=True)) == ["", ""]


def test_booking_for_staff_records_their_group(world_a: World) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    session = make_session(world_a.partnership, lead)
    colleague = member(world_a.partnership, world_a.organisations[0], "Colleague Carys")
    client = signed_in_client(lead)
    url = f"/training/sessions/{session.pk}/book-for-staff/"
    assert "Which group of staff are they in?" in client.get(url).content.decode()
    done = client.post(url, {"person": colleague.pk, "staff_group": "support_staff"})
    assert done.status_code == 302
    assert Booking.objects.get(membership=colleague).staff_group == "support_staff"


def test_the_service_refuses_an_unknown_group(world_a: World) -> None:
    session = make_session(world_a.partnership, world_a.user(Role.PROGRAMME_LEAD))
    person = world_a.members[Role.PRACTITIONER]
    with pytest.raises(ValidationError) as caught:
        services.book(session=session, person=person, booker=person, staff_group="nobody")
    assert "staff_group" in caught.value.message_dict
    assert not Booking.objects.exists()


# --- Through the API -----------------------------------------------------------------------------


def test_booking_through_the_api_records_the_group_and_audits_it(world_a: World) -> None:
    session = make_session(world_a.partnership, world_a.user(Role.PROGRAMME_LEAD))
    key = token_for(world_a.members[Role.PRACTITIONER])
    body = {"session": session.pk, "staff_group": "support_staff"}
    created = call("POST", "/api/training/bookings", key, body)
    assert created.status_code == 201, created.content
    assert created.json()["staff_group"] == "support_staff"
    booking = Booking.objects.get()
    assert booking.staff_group == "support_staff"
    entry = AuditEntry.objects.get(action="create", object_type="training.Booking")
    assert entry.via == "api" and "staff_group" in entry.changed_fields
    listed = call("GET", "/api/training/bookings", key).json()
    assert [(b["id"], b["staff_group"]) for b in listed] == [(booking.pk, "support_staff")]


def test_leaving_the_group_out_of_an_api_booking_keeps_it_blank(world_a: World) -> None:
    session = make_session(world_a.partnership, world_a.user(Role.PROGRAMME_LEAD))
    for role, extra in ((Role.PRACTITIONER, {}), (Role.CHAMPION, {"staff_group": ""})):
        key = token_for(world_a.members[role])
        created = call("POST", "/api/training/bookings", key, {"session": session.pk} | extra)
        assert created.status_code == 201, created.content
        assert created.json()["staff_group"] == ""
    assert list(Booking.objects.values_list("staff_group", flat=True)) == ["", ""]


def test_an_unknown_group_through_the_api_is_refused_and_books_nothing(world_a: World) -> None:
    session = make_session(world_a.partnership, world_a.user(Role.PROGRAMME_LEAD))
    key = token_for(world_a.members[Role.PRACTITIONER])

    def refused(group: object) -> list[tuple[str, str]]:
        body = {"session": session.pk, "staff_group": group}
        response = assert_json_error(call("POST", "/api/training/bookings", key, body), 422)
        return [(e["field"], e["message"]) for e in response["errors"]]

    codes = "Use one of: frontline, senior_leaders, managers, support_staff, volunteers."
    for group in ("astronauts", "Senior leaders"):  # a code, not the label the page shows
        assert refused(group) == [
            ("staff_group", "Choose a group of staff from the list"),
            ("staff_group", codes),
        ]
    assert refused(3) == [("staff_group", "Send text here.")]
    assert not Booking.objects.exists()
    assert not AuditEntry.objects.filter(object_type="training.Booking").exists()
