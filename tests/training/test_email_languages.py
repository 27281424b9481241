"""Every email about training is written in its recipient's language: the one on their account,
else English. Neither the language of whoever caused it (a lead booking for staff, a trainer
taking the register) nor that of the thread that happens to send it (a sweep) counts. The
manager's notice of a no-show, to an address without an account, is in the participant's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone, translation

from tests.conftest import World, signed_in_client
from tests.training.bookings_helpers import make_session, member
from tests.training.test_attendance import make_session as attended_session
from tests.training.test_cascade import Cascade
from tests.training.test_followups import take, with_follow_ups
from tip.core.models import Membership, User
from tip.core.roles import Role
from tip.training import services_bookings as services
from tip.training import services_courses
from tip.training.models_bookings import Booking

pytestmark = pytest.mark.django_db

# Phrases of the Welsh catalogue (src/tip/locale/cy/LC_MESSAGES/django.po).
WELSH_RECONFIRM_SUBJECT = "Cadarnhewch eich lle ar"
WELSH_RECONFIRM_BODY = "Ydych chi'n dal i ddod i"
WELSH_REMINDER_SUBJECT = "Nodyn atgoffa: mae"
WELSH_REMINDER_BODY = "Nodyn atgoffa: mae Foundation day yn dod yn fuan."
WELSH_PLACE_SUBJECT = "Eich lle ar"
WELSH_PLACE_BODY = "Mae gennych le ar"
WELSH_GREETING = "Annwyl"


@pytest.fixture
def lead(world_a: World) -> User:
    return world_a.user(Role.PROGRAMME_LEAD)


def prefers(membership: Membership, language: str) -> Membership:
    User.objects.filter(pk=membership.user_id).update(language=language)
    membership.user.refresh_from_db()
    return membership


def to(person: Membership) -> list[EmailMessage]:
    return [m for m in mail.outbox if m.to == [person.user.email]]


def test_a_reconfirmation_ask_from_the_sweep_is_in_each_persons_language(
    world_a: World, lead: User
) -> None:
    start = timezone.now() + timedelta(days=10)
    session = make_session(world_a.partnership, lead, starts=start)  # virtual: asks 7 and 2 days
    welsh = prefers(member(world_a.partnership, world_a.organisations[0], "Cerys Jones"), "cy")
    unset = member(world_a.partnership, world_a.organisations[0], "Sam Smith")
    booked_at = start - timedelta(days=9)
    for person in (welsh, unset):
        services.book(session=session, person=person, booker=person, now=booked_at)
    Booking.objects.filter(session=session).update(created_at=booked_at)
    mail.outbox.clear()
    # The sweep runs in whatever language its thread is in: here Welsh, which must not matter.
    with translation.override("cy"):
        assert services.sweep(now=start - timedelta(days=7))["asked"] == 2
    [cymraeg] = to(welsh)
    assert cymraeg.subject.startswith(WELSH_RECONFIRM_SUBJECT), cymraeg.subject
    assert WELSH_RECONFIRM_BODY in cymraeg.body and WELSH_GREETING in cymraeg.body
    assert "Please confirm" not in cymraeg.subject + cymraeg.body
    # Nobody chose a language for Sam: English, though the thread was in Welsh.
    [english] = to(unset)
    assert english.subject.startswith("Please confirm your place on"), english.subject
    assert "Are you still coming to" in english.body
    assert WELSH_RECONFIRM_BODY not in english.body


def test_the_reminder_is_in_welsh_for_someone_who_chose_welsh(world_a: World, lead: User) -> None:
    start = timezone.now() + timedelta(days=3)
    session = make_session(world_a.partnership, lead, starts=start, format="in_person")
    welsh = prefers(world_a.members[Role.PRACTITIONER], "cy")
    services.book(session=session, person=welsh, booker=welsh)
    mail.outbox.clear()
    assert services.sweep(now=start - timedelta(hours=20))["reminded"] == 1
    [reminder] = to(welsh)
    assert reminder.subject.startswith(WELSH_REMINDER_SUBJECT), reminder.subject
    assert WELSH_REMINDER_BODY in reminder.body
    assert "Reminder" not in reminder.subject and "A reminder" not in reminder.body


def test_a_lead_booking_in_english_for_welsh_speaking_staff_sends_welsh(
    world_a: World, lead: User
) -> None:
    session = make_session(world_a.partnership, lead)
    staff = prefers(member(world_a.partnership, world_a.organisations[1], "Dafydd Evans"), "cy")
    prefers(world_a.members[Role.PROGRAMME_LEAD], "en")
    client = signed_in_client(lead)
    client.cookies["django_language"] = "en"
    page = client.get(f"/training/sessions/{session.pk}/book-for-staff/")
    assert page.status_code == 200 and b'<html lang="en"' in page.content  # the lead's English
    done = client.post(f"/training/sessions/{session.pk}/book-for-staff/", {"person": staff.pk})
    assert done.status_code == 302
    [confirmation] = to(staff)
    assert confirmation.subject.startswith(WELSH_PLACE_SUBJECT), confirmation.subject
    assert WELSH_PLACE_BODY in confirmation.body and WELSH_GREETING in confirmation.body
    assert "You have a place on" not in confirmation.body
    assert confirmation.attachments  # the calendar invitation still goes with it


def test_the_managers_no_show_notice_is_in_the_participants_language(
    world_a: World, lead: User
) -> None:
    session = make_session(world_a.partnership, lead)
    welsh = prefers(member(world_a.partnership, world_a.organisations[0], "Gwen Price"), "cy")
    booking = services.book(
        session=session,
        person=welsh,
        booker=welsh,
        notify_manager=True,
        manager_email="rheolwr@example.org",
    )
    mail.outbox.clear()
    # Taken by a trainer reading TIP in English.
    with translation.override("en"):
        assert services.notify_manager_of_no_show(booking)
    [notice] = mail.outbox
    assert notice.to == ["rheolwr@example.org"]
    assert notice.subject.startswith("Ni wnaeth Gwen Price fynychu"), notice.subject


def test_a_follow_up_invitation_is_in_the_attenders_language(world_a: World) -> None:
    champion = prefers(world_a.members[Role.CHAMPION], "cy")
    # 50 days ago: the six-week follow-up is due, so taking the register sends it at once.
    session = with_follow_ups(attended_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "no_show")  # by the trainer, in English
    [invitation] = to(champion)
    assert invitation.subject.startswith("Gweithgaredd dilynol i"), invitation.subject
    assert invitation.body.startswith("Helo,")


def test_a_new_versions_email_is_in_the_trainers_language(
    world_a: World, django_capture_on_commit_callbacks: Any
) -> None:
    trainer = prefers(world_a.members[Role.TRAINER], "cy")
    cascade = Cascade(world_a)
    cascade.standard()
    with django_capture_on_commit_callbacks(execute=True):
        services_courses.course_version_create(
            course=cascade.course, changes="A new case study on exploitation", by=cascade.lead
        )
    [message] = to(trainer)
    assert message.subject.startswith("Fersiwn newydd o"), message.subject
