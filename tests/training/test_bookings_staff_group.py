"""The participant's group of staff, asked when booking (themselves or for staff): optional,
"Prefer not to say" keeps it blank, and a value not on the list is refused, changing nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World, signed_in_client
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
