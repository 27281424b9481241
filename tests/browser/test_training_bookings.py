"""The booking pages in real Chromium, in English and Welsh, through axe: My training with an
offer, a booking and a waiting-list place; booking yourself and booking staff; a booking's page;
the managers' list; the trainer's check-in list; welfare offers. And a practitioner booking,
asking for a check-in and cancelling without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import OpenPage, submit, visit
from tests.browser.test_pages import LANGUAGES, sweep
from tests.conftest import World
from tests.training.bookings_helpers import add_trainer, make_session, member
from tip.core.roles import Role
from tip.training import services_bookings as services
from tip.training.models_bookings import Booking, BookingStatus, CheckInRequest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_pages(world_a: World, open_page: OpenPage, language: str) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    practitioner = world_a.members[Role.PRACTITIONER]
    full = make_session(world_a.partnership, lead, capacity=1, title="Foundation day (full)")
    holder = member(world_a.partnership, world_a.organisations[0], "Holder Hana")
    held = services.book(session=full, person=holder, booker=holder)
    services.book(session=full, person=practitioner, booker=practitioner, join_waiting_list=True)
    services.cancel(booking=held, by=holder.user)  # the practitioner is offered the place
    other = make_session(world_a.partnership, lead, title="Awareness session", days=2)
    mine = services.book(session=other, person=practitioner, booker=practitioner, check_in=True)
    open_session = make_session(world_a.partnership, lead, title="Open session", format="in_person")
    offered = Booking.objects.get(session=full, membership=practitioner)
    assert offered.status == BookingStatus.OFFERED
    page = open_page(user=practitioner.user, language=language)
    sweep(
        page,
        language,
        [
            ("/training/", 200),
            ("/training/my/", 200),
            (f"/training/my/bookings/{offered.pk}/", 200),
            (f"/training/my/bookings/{mine.pk}/", 200),
            (f"/training/sessions/{open_session.pk}/book/", 200),
        ],
    )
    trainer = world_a.members[Role.TRAINER]
    add_trainer(other, trainer)
    sweep(
        open_page(user=trainer.user, language=language),
        language,
        [(f"/training/sessions/{other.pk}/check-ins/", 200)],
    )
    page = open_page(user=lead, language=language)
    sweep(
        page,
        language,
        [
            (f"/training/sessions/{other.pk}/bookings/", 200),
            (f"/training/sessions/{open_session.pk}/book-for-staff/", 200),
            ("/training/welfare-offers/", 200),
            (f"/training/welfare-offers/{world_a.organisations[0].pk}/", 200),
        ],
    )


def test_booking_asking_for_a_check_in_and_cancelling_without_javascript(
    world_a: World, open_page: OpenPage
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    practitioner = world_a.members[Role.PRACTITIONER]
    session = make_session(world_a.partnership, lead)
    page = open_page(user=practitioner.user, javascript=False)
    visit(page, f"/training/sessions/{session.pk}/book/")
    page.get_by_label("I’d like a trainer to check in with me").check()
    submit(page, page.get_by_role("button", name="Book my place"))
    booking = Booking.objects.get()
    assert page.url.endswith(f"/training/my/bookings/{booking.pk}/")
    assert CheckInRequest.objects.filter(booking=booking).exists()
    submit(page, page.get_by_role("button", name="Withdraw my request"))
    assert not CheckInRequest.objects.exists()
    submit(page, page.get_by_role("button", name="Cancel my booking"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
