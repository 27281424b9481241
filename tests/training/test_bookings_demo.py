"""The demo's bookings: a full session with a place offered, a waiting list and re-confirmations
pending, and a check-in request the trainer account can see; built once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import Membership
from tip.training import selectors_bookings as selectors
from tip.training.demo_bookings import (
    AWARENESS_TITLE,
    FULL_TITLE,
    PARTNERSHIP,
    PRACTITIONER,
    TRAINER,
)
from tip.training.models_bookings import Booking, CheckInRequest
from tip.training.models_sessions import Session


@pytest.mark.django_db
def test_the_demo_shows_every_booking_state_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    full = Session.objects.get(partnership__name=PARTNERSHIP, title=FULL_TITLE)
    places = selectors.places(session=full)
    assert places.free == 0 and places.offered == 1 and places.waiting >= 1
    offered = Booking.objects.get(session=full, status="offered")
    assert offered.membership.user.email == PRACTITIONER
    assert (
        Booking.objects.filter(session=full, status="booked").exclude(confirm_by=None).count() == 2
    )
    awareness = Session.objects.get(partnership__name=PARTNERSHIP, title=AWARENESS_TITLE)
    request = CheckInRequest.objects.get(booking__session=awareness)
    assert request.booking.membership.user.email == PRACTITIONER
    trainer = Membership.objects.get(partnership__name=PARTNERSHIP, user__email=TRAINER)
    assert [r.pk for r in selectors.check_in_list(session=awareness, membership=trainer)] == [
        request.pk
    ]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo bookings already there" in out.getvalue()
    assert Session.objects.filter(title=FULL_TITLE).count() == 1
