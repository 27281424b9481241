"""Bookings: the refusals (each changes nothing), booking for staff, the waiting list and offers,
re-confirmation and release, cancellation (late ones recorded), reminders and signposting,
calendar invitations, check-in requests and their deletion, the manager's notice."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from tests.conftest import World
from tests.training.bookings_helpers import add_trainer, make_session, member
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.training import selectors_bookings as selectors
from tip.training import services_bookings as services
from tip.training.models_bookings import (
    Attendance,
    AttendanceMark,
    Booking,
    BookingStatus,
    CheckInRequest,
)
from tip.training.models_delivery import DeliverySettings, WelfareOffer


@pytest.fixture
def lead(world_a: World):
    return world_a.user(Role.PROGRAMME_LEAD)


def _people(world: World, n: int) -> list:
    return [member(world.partnership, world.organisations[0], f"Person {i}") for i in range(n)]


def _book(session, person, **kw):
    return services.book(session=session, person=person, booker=person, **kw)


def _statuses(session) -> list[str]:
    return list(
        Booking.objects.filter(session=session).order_by("pk").values_list("status", flat=True)
    )


# --- Booking and its refusals -------------------------------------------------------------------


def test_booking_yourself_sends_the_invitation_and_the_signposting(world_a: World, lead) -> None:
    WelfareOffer.objects.create(
        partnership=world_a.partnership,
        organisation=world_a.organisations[0],
        offer="Free counselling through our employee assistance programme.",
        contacts="EAP: 0800 000 0000",
    )
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    booking = _book(session, person)
    assert booking.status == BookingStatus.BOOKED and booking.confirmed_at is not None
    [email] = mail.outbox
    assert email.to == [person.user.email]
    assert "Foundation day" in email.subject
    body = email.body
    assert "A case study of exploitation and violence" in body  # the content warning
    assert "Breaks at 11:00" in body  # the break plan
    assert "camera off" in body and "step out of the room" in body  # permission
    assert "breathe in for a count of four" in body  # self-regulation tips
    assert "employee assistance programme" in body and "0800 000 0000" in body
    [(_name, ics, mimetype)] = email.attachments
    assert mimetype.startswith("text/calendar; method=REQUEST")
    assert "METHOD:REQUEST" in ics and f"UID:tip-booking-{booking.pk}@" in ics
    start = selectors.first_start(session)
    assert start is not None
    assert f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%S}Z" in ics
    assert "SEQUENCE:0" in ics
    entry = AuditEntry.objects.filter(object_type="training.Booking").latest("id")
    assert entry.actor == person.user and entry.action == "create"


def test_without_a_welfare_offer_people_are_told_where_to_ask(world_a: World, lead) -> None:
    _book(make_session(world_a.partnership, lead), world_a.members[Role.PRACTITIONER])
    assert "ask your manager or HR team" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("past", "can no longer be booked"),
        ("draft", "not open for booking"),
        ("cancelled", "has been cancelled"),
    ],
)
def test_sessions_that_cannot_be_booked_are_refused(
    world_a: World, lead, kind: str, message: str
) -> None:
    values = {
        "past": {"starts": timezone.now() - timedelta(days=1)},
        "draft": {"status": "draft"},
        "cancelled": {"status": "cancelled"},
    }[kind]
    session = make_session(world_a.partnership, lead, **values)
    with pytest.raises(ValidationError, match=message):
        _book(session, world_a.members[Role.PRACTITIONER])
    assert not Booking.objects.exists() and not mail.outbox


def test_booking_twice_is_refused_whatever_the_place(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    first, second = _people(world_a, 2)
    _book(session, first)
    with pytest.raises(ValidationError, match="already booked"):
        _book(session, first)
    _book(session, second, join_waiting_list=True)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        _book(session, second, join_waiting_list=True)
    assert _statuses(session) == ["booked", "waiting"]


def test_a_full_session_refuses_then_offers_its_waiting_list(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    first, second = _people(world_a, 2)
    _book(session, first)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        _book(session, second)
    assert refused.value.code == "full" and "waiting list" in refused.value.messages[0]
    assert _statuses(session) == ["booked"] and not mail.outbox
    waiting = _book(session, second, join_waiting_list=True)
    assert waiting.status == BookingStatus.WAITING and waiting.waiting_since is not None
    assert "waiting list" in mail.outbox[0].subject and not mail.outbox[0].attachments


def test_the_managers_email_is_checked(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    with pytest.raises(ValidationError) as missing:
        _book(session, person, notify_manager=True)
    assert "manager_email" in missing.value.message_dict
    with pytest.raises(ValidationError):
        _book(session, person, notify_manager=True, manager_email="not-an-email")
    booking = _book(session, person, notify_manager=True, manager_email="Boss@Example.org")
    assert booking.manager_email == "boss@example.org" and booking.notify_manager


def test_who_may_book_for_staff(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    same_org = member(world_a.partnership, world_a.organisations[0], "Same Org")
    other_org = member(world_a.partnership, world_a.organisations[1], "Other Org")
    admin = world_a.members[Role.PARTNERSHIP_ADMIN]
    champion = world_a.members[Role.CHAMPION]
    practitioner = world_a.members[Role.PRACTITIONER]
    booking = services.book(session=session, person=other_org, booker=admin)
    assert booking.booked_by == admin.user
    services.book(session=session, person=same_org, booker=champion)
    with pytest.raises(ValidationError, match="own organisation"):
        services.book(session=session, person=other_org, booker=champion)
    third = member(world_a.partnership, world_a.organisations[1], "Third Person")
    with pytest.raises(ValidationError, match="own organisation"):
        services.book(session=session, person=third, booker=champion)
    with pytest.raises(ValidationError, match="only yourself"):
        services.book(session=session, person=third, booker=practitioner)
    with pytest.raises(ValidationError, match="Only the participant"):
        services.book(session=session, person=third, booker=admin, check_in=True)
    people = set(selectors.bookable_people(partnership=world_a.partnership, booker=champion))
    assert same_org in people and other_org not in people
    assert not selectors.bookable_people(partnership=world_a.partnership, booker=practitioner)


def test_another_partnerships_session_cannot_be_booked(
    world_a: World, world_b: World, lead
) -> None:
    session = make_session(world_b.partnership, world_b.user(Role.PROGRAMME_LEAD))
    with pytest.raises(ValidationError):
        _book(session, world_a.members[Role.PRACTITIONER])
    with pytest.raises(ValidationError):
        services.book(
            session=make_session(world_a.partnership, lead),
            person=world_b.members[Role.PRACTITIONER],
            booker=world_a.members[Role.PARTNERSHIP_ADMIN],
        )
    assert not Booking.objects.exists()


# --- The waiting list and offers ----------------------------------------------------------------


def test_a_freed_place_is_offered_in_waiting_order_and_accepted(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    booked, early, late = _people(world_a, 3)
    first = _book(session, booked)
    now = timezone.now()
    a = services.book(session=session, person=early, booker=early, join_waiting_list=True, now=now)
    services.book(
        session=session,
        person=late,
        booker=late,
        join_waiting_list=True,
        now=now + timedelta(minutes=1),
    )
    mail.outbox.clear()
    services.cancel(booking=first, by=booked.user)
    a.refresh_from_db()
    assert a.status == BookingStatus.OFFERED
    expected = timezone.now() + timedelta(hours=48)
    assert a.offer_expires_at is not None
    assert abs((a.offer_expires_at - expected).total_seconds()) < 60
    offer = next(m for m in mail.outbox if m.to == [early.user.email])
    assert "accept by" in offer.subject and f"/training/my/bookings/{a.pk}/#offer" in offer.body
    cancellation = next(m for m in mail.outbox if m.to == [booked.user.email])
    assert "METHOD:CANCEL" in cancellation.attachments[0][1]
    accepted = services.accept_offer(booking=a, by=early.user)
    assert accepted.status == BookingStatus.BOOKED and accepted.confirmed_at is not None
    assert _statuses(session) == ["cancelled", "booked", "waiting"]


def test_the_partnerships_offer_hours_are_used_but_never_past_the_start(
    world_a: World, lead
) -> None:
    DeliverySettings.objects.create(partnership=world_a.partnership, offer_hours=12)
    soon = make_session(
        world_a.partnership, lead, capacity=1, starts=timezone.now() + timedelta(hours=5)
    )
    booked, waiting = _people(world_a, 2)
    first = _book(soon, booked)
    w = _book(soon, waiting, join_waiting_list=True)
    services.cancel(booking=first, by=booked.user)
    w.refresh_from_db()
    assert w.offer_expires_at == selectors.first_start(soon)


def test_an_expired_offer_is_refused_and_moves_on(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    booked, first, second = _people(world_a, 3)
    b = _book(session, booked)
    w1 = _book(session, first, join_waiting_list=True)
    w2 = _book(session, second, join_waiting_list=True)
    services.cancel(booking=b, by=booked.user)
    later = timezone.now() + timedelta(hours=49)
    with pytest.raises(ValidationError, match="expired"):
        services.accept_offer(booking=w1, by=first.user, now=later)
    w1.refresh_from_db()
    assert w1.status == BookingStatus.OFFERED  # the refusal changed nothing
    assert services.sweep(now=later)["expired"] == 1
    w1.refresh_from_db()
    w2.refresh_from_db()
    assert w1.status == BookingStatus.CANCELLED and w2.status == BookingStatus.OFFERED
    assert services.sweep(now=later)["expired"] == 0  # idempotent
    entry = AuditEntry.objects.filter(object_type="training.Booking", object_id=str(w1.pk)).latest(
        "id"
    )
    assert entry.actor is None and entry.via == "task"
    with pytest.raises(ValidationError, match="no place offered"):
        services.accept_offer(booking=w1, by=first.user)


def test_declining_an_offer_moves_it_on(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, capacity=1)
    booked, first, second = _people(world_a, 3)
    b = _book(session, booked)
    w1 = _book(session, first, join_waiting_list=True)
    w2 = _book(session, second, join_waiting_list=True)
    services.cancel(booking=b, by=booked.user)
    services.decline_offer(booking=Booking.objects.get(pk=w1.pk), by=first.user)
    w2.refresh_from_db()
    assert w2.status == BookingStatus.OFFERED
    with pytest.raises(ValidationError):
        services.accept_offer(booking=w2, by=first.user)  # not theirs


# --- Re-confirmation ----------------------------------------------------------------------------


def test_reconfirmation_asks_then_releases_the_unconfirmed(world_a: World, lead) -> None:
    start = timezone.now() + timedelta(days=10)
    session = make_session(world_a.partnership, lead, capacity=2, starts=start)  # virtual: 7, 2
    keen, silent, waiting = _people(world_a, 3)
    b_keen = _book(session, keen, now=start - timedelta(days=9))
    b_silent = _book(session, silent, now=start - timedelta(days=9))
    w = _book(session, waiting, join_waiting_list=True, now=start - timedelta(days=9))
    Booking.objects.filter(pk__in=[b_keen.pk, b_silent.pk]).update(
        created_at=start - timedelta(days=9)
    )
    mail.outbox.clear()
    asked_at = start - timedelta(days=7)
    totals = services.sweep(now=asked_at)
    assert totals["asked"] == 2
    b_keen.refresh_from_db()
    assert b_keen.confirm_by == start - timedelta(days=2)
    assert any("Please confirm" in m.subject for m in mail.outbox)
    assert services.sweep(now=asked_at + timedelta(hours=1))["asked"] == 0  # asked once
    services.confirm(booking=b_keen, by=keen.user, now=asked_at + timedelta(hours=2))
    totals = services.sweep(now=start - timedelta(days=2))
    assert totals["released"] == 1
    b_silent.refresh_from_db()
    w.refresh_from_db()
    b_keen.refresh_from_db()
    assert b_silent.status == BookingStatus.RELEASED
    assert w.status == BookingStatus.OFFERED
    # The second ask goes to the confirmed person again, with the last deadline.
    assert b_keen.confirm_by == start - timedelta(days=1)


def test_confirming_after_the_deadline_is_refused(world_a: World, lead) -> None:
    start = timezone.now() + timedelta(days=10)
    session = make_session(
        world_a.partnership, lead, starts=start, format="in_person", reconfirm_days=[]
    )
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person, now=start - timedelta(days=9))
    Booking.objects.filter(pk=b.pk).update(created_at=start - timedelta(days=9))
    services.sweep(now=start - timedelta(days=7))
    b.refresh_from_db()
    assert b.confirm_by == start - timedelta(days=1)  # in person: one ask, 24 hours before
    with pytest.raises(ValidationError, match="passed"):
        services.confirm(booking=b, by=person.user, now=start - timedelta(hours=23))


# --- Cancelling ---------------------------------------------------------------------------------


def test_a_cancellation_within_48_hours_is_recorded_as_late(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, starts=timezone.now() + timedelta(hours=30))
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person)
    services.cancel(booking=b, by=person.user)
    assert Attendance.objects.get(booking=b).mark == AttendanceMark.LATE_CANCELLATION
    assert services.cancelled_late(Booking.objects.get(pk=b.pk))
    early = make_session(world_a.partnership, lead)
    b2 = _book(early, person)
    services.cancel(booking=b2, by=person.user)
    assert not Attendance.objects.filter(booking=b2).exists()


def test_cancelling_after_the_start_or_twice_is_refused(world_a: World, lead) -> None:
    start = timezone.now() + timedelta(days=2)
    session = make_session(world_a.partnership, lead, starts=start)
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person)
    with pytest.raises(ValidationError, match="no longer be cancelled"):
        services.cancel(booking=b, by=person.user, now=start + timedelta(minutes=5))
    with pytest.raises(ValidationError, match="Only the participant"):
        services.cancel(booking=b, by=world_a.user(Role.EVALUATOR))
    services.cancel(booking=b, by=person.user)
    with pytest.raises(ValidationError, match="already cancelled"):
        services.cancel(booking=b, by=person.user)


# --- Reminders, signposting after, session changes ----------------------------------------------


def test_reminder_and_signposting_after_go_once(world_a: World, lead) -> None:
    start = timezone.now() + timedelta(days=3)
    session = make_session(world_a.partnership, lead, starts=start, format="in_person")
    person = world_a.members[Role.PRACTITIONER]
    _book(session, person)
    mail.outbox.clear()
    assert services.sweep(now=start - timedelta(hours=20))["reminded"] == 1
    assert services.sweep(now=start - timedelta(hours=19))["reminded"] == 0
    reminder = mail.outbox[-1]
    assert "Reminder" in reminder.subject and "A case study of exploitation" in reminder.body
    end = selectors.last_end(session)
    assert end is not None
    assert services.sweep(now=end + timedelta(hours=1))["after"] == 1
    assert services.sweep(now=end + timedelta(hours=2))["after"] == 0
    after = mail.outbox[-1]
    assert "looking after yourself" in after.subject and "ask your manager" in after.body


def test_session_changes_and_cancellation_update_the_calendars(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person)
    mail.outbox.clear()
    session.sequence = 3
    session.save()
    assert services.notify_session_changed(session=session) == 1
    ics = mail.outbox[-1].attachments[0][1]
    assert "METHOD:REQUEST" in ics and "SEQUENCE:3" in ics and f"tip-booking-{b.pk}@" in ics
    session.status = "cancelled"
    session.save()
    assert services.notify_session_cancelled(session=session) == 1
    ics = mail.outbox[-1].attachments[0][1]
    assert "METHOD:CANCEL" in ics and "SEQUENCE:4" in ics and "STATUS:CANCELLED" in ics


def test_a_multi_day_session_has_an_event_per_part_with_stable_uids(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, days=2)
    b = _book(session, world_a.members[Role.PRACTITIONER])
    ics = mail.outbox[0].attachments[0][1]
    assert ics.count("BEGIN:VEVENT") == 2
    assert f"UID:tip-booking-{b.pk}@" in ics and f"UID:tip-booking-{b.pk}-part-2@" in ics


def test_the_manager_is_told_of_a_no_show_only_when_asked(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    asked, not_asked = _people(world_a, 2)
    b1 = _book(session, asked, notify_manager=True, manager_email="boss@example.org")
    b2 = _book(session, not_asked)
    mail.outbox.clear()
    assert services.notify_manager_of_no_show(b1)
    assert not services.notify_manager_of_no_show(b2)
    [email] = mail.outbox
    assert email.to == ["boss@example.org"] and "did not attend" in email.subject


# --- Check-in requests --------------------------------------------------------------------------


def test_check_in_requests_are_seen_only_by_the_sessions_trainers(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead, days=2)
    trainer_member = world_a.members[Role.TRAINER]
    add_trainer(session, trainer_member)
    other_trainer = member(
        world_a.partnership, world_a.organisations[0], "Other Trainer", Role.TRAINER
    )
    add_trainer(make_session(world_a.partnership, lead, title="Other"), other_trainer, "Other")
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person, check_in=True)
    request = CheckInRequest.objects.get(booking=b)
    last_day = selectors.last_day(session)
    assert last_day is not None
    assert request.delete_after == last_day + timedelta(days=7)
    found = services.check_in_requests_for_trainer(session=session, membership=trainer_member)
    assert [r.booking.membership for r in found] == [person]
    entry = AuditEntry.objects.filter(action="view").latest("id")
    assert entry.actor == trainer_member.user and "check-in" in entry.purpose
    for outsider in (
        other_trainer,
        world_a.members[Role.PARTNERSHIP_ADMIN],
        world_a.members[Role.PROGRAMME_LEAD],
        person,
    ):
        with pytest.raises(Http404):
            services.check_in_requests_for_trainer(session=session, membership=outsider)
    # The managers' list of bookings never carries it.
    assert (
        "check_in_request" not in selectors.session_bookings(session=session)[0]._state.fields_cache
    )


def test_the_participant_can_withdraw_and_ask_again(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person)
    services.check_in_set(booking=b, wanted=True, by=person.user)
    assert CheckInRequest.objects.filter(booking=b).exists()
    with pytest.raises(ValidationError):
        services.check_in_set(booking=b, wanted=False, by=world_a.user(Role.PARTNERSHIP_ADMIN))
    services.check_in_set(booking=b, wanted=False, by=person.user)
    assert not CheckInRequest.objects.filter(booking=b).exists()


def test_check_in_requests_are_deleted_after_their_time(world_a: World, lead) -> None:
    DeliverySettings.objects.create(partnership=world_a.partnership, check_in_retention_days=3)
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person, check_in=True)
    request = CheckInRequest.objects.get(booking=b)
    last_day = selectors.last_day(session)
    assert last_day is not None and request.delete_after == last_day + timedelta(days=3)
    assert services.purge_check_in_requests() == 0
    after = timezone.now() + timedelta(days=40)
    assert services.purge_check_in_requests(now=after) == 1
    assert services.purge_check_in_requests(now=after) == 0
    entry = AuditEntry.objects.filter(object_type="training.CheckInRequest", action="delete").get()
    assert entry.actor is None and entry.via == "task"


def test_the_purge_command_is_safe_to_run(world_a: World, lead, capsys) -> None:
    session = make_session(world_a.partnership, lead, starts=timezone.now() - timedelta(days=30))
    b = Booking.objects.create(
        partnership=world_a.partnership,
        session=session,
        membership=world_a.members[Role.PRACTITIONER],
        status="booked",
    )
    CheckInRequest.objects.create(
        partnership=world_a.partnership,
        booking=b,
        delete_after=timezone.localdate() - timedelta(days=1),
    )
    call_command("purge_check_ins")
    assert "Deleted 1" in capsys.readouterr().out
    assert not CheckInRequest.objects.exists()
    call_command("booking_sweep")


def test_cancelling_deletes_the_check_in_request_at_once(world_a: World, lead) -> None:
    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    b = _book(session, person, check_in=True)
    services.cancel(booking=b, by=person.user)
    assert not CheckInRequest.objects.exists()


# --- Welfare offers -----------------------------------------------------------------------------


def test_welfare_offers_are_kept_changed_and_removed(world_a: World, lead) -> None:
    org = world_a.organisations[1]
    offer = services.welfare_offer_set(organisation=org, offer="Supervision", contacts="", by=lead)
    assert offer is not None and offer.offer == "Supervision"
    services.welfare_offer_set(organisation=org, offer="Supervision", contacts="HR", by=lead)
    assert WelfareOffer.objects.get().contacts == "HR"
    with pytest.raises(ValidationError):
        services.welfare_offer_set(organisation=org, offer="", contacts="HR", by=lead)
    services.welfare_offer_set(organisation=org, offer="", contacts="", by=lead)
    assert not WelfareOffer.objects.exists()


def test_the_session_pages_changes_reach_the_people_booked(
    world_a: World, lead, django_capture_on_commit_callbacks
) -> None:
    from tip.training import services_sessions

    session = make_session(world_a.partnership, lead)
    person = world_a.members[Role.PRACTITIONER]
    _book(session, person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_sessions.session_cancel(session=session, reason="The trainer is ill", by=lead)
    [email] = mail.outbox
    assert email.subject.startswith("Cancelled") and "The trainer is ill" in email.body
    assert "METHOD:CANCEL" in email.attachments[0][1]
