"""The booking pages and API as people use them: book, join the waiting list, accept an offer,
confirm, ask for and withdraw a check-in, cancel; book for staff; the managers' list and the
trainers' check-in list (each audited); welfare offers; refusals shown plainly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.training.bookings_helpers import add_trainer, make_session, member
from tip.core.models import ApiToken, AuditEntry
from tip.core.roles import Role
from tip.training import services_bookings as services
from tip.training.models_bookings import Booking, BookingStatus, CheckInRequest
from tip.training.models_delivery import WelfareOffer


@pytest.fixture
def lead(world_a: World):
    return world_a.user(Role.PROGRAMME_LEAD)


def test_a_practitioner_books_confirms_asks_for_a_check_in_and_cancels(
    world_a: World, lead
) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    client = signed_in_client(person.user)
    page = client.get("/training/my/")
    assert page.status_code == 200 and b"Foundation day" in page.content
    form = client.get(f"/training/sessions/{session.pk}/book/")
    assert b"check in with me" in form.content and b"A case study of exploitation" in form.content
    done = client.post(f"/training/sessions/{session.pk}/book/", {"check_in": "on"})
    booking = Booking.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/training/my/bookings/{booking.pk}/"
    assert CheckInRequest.objects.filter(booking=booking).exists()
    detail = client.get(f"/training/my/bookings/{booking.pk}/")
    assert b"meet.example.org" in detail.content  # the link, for the booked only
    assert b"Withdraw my request" in detail.content
    again = client.post(f"/training/sessions/{session.pk}/book/", {})
    assert again.status_code == 400 and b"already booked" in again.content
    client.post(f"/training/my/bookings/{booking.pk}/", {"action": "withdraw_check_in"})
    assert not CheckInRequest.objects.exists()
    client.post(f"/training/my/bookings/{booking.pk}/", {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_full_session_offers_the_waiting_list_and_the_offer_is_accepted(
    world_a: World, lead
) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    holder = member(world_a.partnership, world_a.organisations[0], "Holder")
    services.book(session=session, person=holder, booker=holder)
    person = world_a.members[Role.PRACTITIONER]
    client = signed_in_client(person.user)
    page = client.get(f"/training/sessions/{session.pk}/book/")
    assert b"Join the waiting list" in page.content
    refused = client.post(f"/training/sessions/{session.pk}/book/", {})
    assert refused.status_code == 400 and b"This session is full" in refused.content
    assert Booking.objects.count() == 1
    client.post(f"/training/sessions/{session.pk}/book/", {"join_waiting_list": "on"})
    waiting = Booking.objects.get(membership=person)
    assert waiting.status == BookingStatus.WAITING
    services.cancel(booking=Booking.objects.get(membership=holder), by=holder.user)
    mine = client.get("/training/my/")
    assert b"Places offered to you" in mine.content and b"Accept the place" in mine.content
    client.post(f"/training/my/bookings/{waiting.pk}/", {"action": "accept"})
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_an_expired_offer_is_refused_on_the_page(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    booking = Booking.objects.create(
        partnership=world_a.partnership,
        session=session,
        membership=person,
        status=BookingStatus.OFFERED,
        offer_expires_at=timezone.now() - timedelta(hours=1),
    )
    client = signed_in_client(person.user)
    assert b"This offer has expired" in client.get(f"/training/my/bookings/{booking.pk}/").content
    refused = client.post(f"/training/my/bookings/{booking.pk}/", {"action": "accept"})
    assert refused.status_code == 400 and b"This offer expired on" in refused.content
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFERED


def test_someone_elses_booking_answers_404(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    booking = services.book(session=session, person=person, booker=person)
    other = signed_in_client(world_a.user(Role.CHAMPION))
    assert other.get(f"/training/my/bookings/{booking.pk}/").status_code == 404
    assert (
        other.post(f"/training/my/bookings/{booking.pk}/", {"action": "cancel"}).status_code == 404
    )


def test_a_champion_books_their_own_organisations_staff(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    colleague = member(world_a.partnership, world_a.organisations[0], "Colleague Carys")
    outsider = member(world_a.partnership, world_a.organisations[1], "Outsider Owen")
    client = signed_in_client(world_a.user(Role.CHAMPION))
    page = client.get(f"/training/sessions/{session.pk}/book-for-staff/")
    assert b"Colleague Carys" in page.content and b"Outsider Owen" not in page.content
    assert AuditEntry.objects.filter(action="view", purpose=services.BOOK_FOR_STAFF).exists()
    refused = client.post(
        f"/training/sessions/{session.pk}/book-for-staff/", {"person": outsider.pk}
    )
    assert refused.status_code == 400
    done = client.post(f"/training/sessions/{session.pk}/book-for-staff/", {"person": colleague.pk})
    assert done.status_code == 302
    booking = Booking.objects.get(membership=colleague)
    assert booking.booked_by == world_a.user(Role.CHAMPION)
    assert mail.outbox[-1].to == [colleague.user.email]
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    assert practitioner.get(f"/training/sessions/{session.pk}/book-for-staff/").status_code == 403


def test_the_bookings_list_is_audited_and_never_shows_check_ins(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    services.book(session=session, person=person, booker=person, check_in=True)
    page = signed_in_client(lead).get(f"/training/sessions/{session.pk}/bookings/")
    assert page.status_code == 200 and person.user.email.encode() in page.content
    assert b"check in" not in page.content.lower()
    assert AuditEntry.objects.filter(action="view", purpose=services.SESSION_BOOKINGS).exists()
    blocked = signed_in_client(lead).get(f"/training/sessions/{session.pk}/check-ins/")
    assert blocked.status_code == 403


def test_only_the_sessions_trainer_sees_the_check_in_list(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    trainer = world_a.members[Role.TRAINER]
    person = world_a.members[Role.PRACTITIONER]
    services.book(session=session, person=person, booker=person, check_in=True)
    url = f"/training/sessions/{session.pk}/check-ins/"
    assert signed_in_client(trainer.user).get(url).status_code == 404  # not their session
    add_trainer(session, trainer)
    page = signed_in_client(trainer.user).get(url)
    assert page.status_code == 200 and person.user.full_name.encode() in page.content
    entry = AuditEntry.objects.filter(action="view", purpose=services.CHECK_IN_REQUESTS).get()
    assert entry.actor == trainer.user
    for role in (Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.PRACTITIONER):
        assert signed_in_client(world_a.user(role)).get(url).status_code == 403


def test_welfare_offers_are_kept_per_organisation(world_a: World, lead) -> None:
    client = signed_in_client(lead)
    org = world_a.organisations[1]
    assert b"Not recorded" in client.get("/training/welfare-offers/").content
    done = client.post(
        f"/training/welfare-offers/{org.pk}/", {"offer": "Counselling", "contacts": "HR: 0100"}
    )
    assert done.status_code == 302
    assert WelfareOffer.objects.get(organisation=org).contacts == "HR: 0100"
    practitioner = signed_in_client(world_a.user(Role.PRACTITIONER))
    assert practitioner.get("/training/welfare-offers/").status_code == 403


def _api(membership) -> tuple[Client, dict[str, str]]:
    from tip.core import services as core_services

    _token, key = core_services.api_token_create(
        membership=membership, name="t", by=membership.user
    )
    return Client(), {"Authorization": f"Bearer {key}"}


def test_the_api_books_lists_and_cancels_your_own_bookings(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    person = world_a.members[Role.PRACTITIONER]
    client, headers = _api(person)
    created = client.post(
        "/api/training/bookings",
        {"session": session.pk},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "booked" and body["session"] == session.pk and body["starts_at"]
    again = client.post(
        "/api/training/bookings",
        {"session": session.pk},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 422 and "already booked" in again.json()["detail"]
    listed = client.get("/api/training/bookings", headers=headers).json()
    assert [b["id"] for b in listed] == [body["id"]]
    other, other_headers = _api(world_a.members[Role.CHAMPION])
    full = other.post(
        "/api/training/bookings",
        {"session": session.pk},
        content_type="application/json",
        headers=other_headers,
    )
    assert full.status_code == 422 and "full" in full.json()["detail"]
    assert (
        other.post(f"/api/training/bookings/{body['id']}/cancel", headers=other_headers).status_code
        == 404
    )
    cancelled = client.post(f"/api/training/bookings/{body['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert ApiToken.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="training.Booking", via="api").count() == 2
