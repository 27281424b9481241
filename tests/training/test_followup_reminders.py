"""Reminders before a follow-up is due: the partnership's number of days (default 7, 0 for none),
queued from the register like the invitations, sent at once when the register is taken late,
sent once (a re-run sends nothing), never once an outcome is recorded or on the due day itself,
and shown on the follow-up pages and the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.core.test_api import call, token_for
from tests.training.test_attendance import make_session
from tests.training.test_followups import last_day, take, with_follow_ups
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.training import services_delivery
from tip.training import services_followups as services
from tip.training import tasks_followups as tasks
from tip.training.analysis import followups as rules
from tip.training.models_followups import FollowUpInvitation
from tip.training.models_sessions import Session

pytestmark = pytest.mark.django_db

LONDON = rules.LONDON


def at_nine(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON)


def reflective(session: Session) -> datetime.date:
    """When the six-week reflective practice session is due."""
    return last_day(session) + datetime.timedelta(weeks=6)


def remind_in(world: World, days: int) -> None:
    services_delivery.delivery_settings_set(
        partnership=world.partnership,
        by=world.user(Role.PROGRAMME_LEAD),
        follow_up_reminder_days=days,
    )


def reminders() -> list[Any]:
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


# --- The rules -----------------------------------------------------------------------------------


def test_a_reminder_is_due_from_its_morning_until_the_due_day() -> None:
    due = datetime.date(2026, 3, 30)  # the clocks went forward the day before
    moment = rules.reminder_moment(due, 7)
    assert moment == at_nine(datetime.date(2026, 3, 23))
    assert rules.reminder_moment(due, 0) is None
    assert not rules.reminder_due(due, 7, moment - datetime.timedelta(minutes=1))
    assert rules.reminder_due(due, 7, moment)
    assert rules.reminder_due(due, 7, at_nine(due) - datetime.timedelta(hours=10))  # 23:00 before
    assert not rules.reminder_due(due, 7, at_nine(due) - datetime.timedelta(hours=8))  # due day
    assert not rules.reminder_due(due, 0, moment)


# --- Scheduling ----------------------------------------------------------------------------------


def test_reminders_are_queued_for_their_morning_like_the_invitations(
    world_a: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[Any, datetime.datetime, dict[str, Any]]] = []
    monkeypatch.setattr(
        services, "schedule", lambda task, when, **kw: queued.append((task, when, kw)) or True
    )
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "no_show")
    invitations = {i.follow_up.name: i for i in FollowUpInvitation.objects.all()}
    wanted = {
        (invitation.pk, at_nine(invitation.due_on - datetime.timedelta(days=7)))
        for invitation in invitations.values()
    }
    got = {
        (kw["invitation_id"], when)
        for task, when, kw in queued
        if task is tasks.send_follow_up_reminder
    }
    assert got == wanted
    assert not reminders()


def test_no_reminder_is_queued_when_the_partnership_turns_them_off(
    world_a: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    remind_in(world_a, 0)
    queued: list[Any] = []
    monkeypatch.setattr(services, "schedule", lambda task, when, **kw: queued.append(task) or True)
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "attended")
    assert queued and tasks.send_follow_up_reminder not in queued
    far = timezone.now() + datetime.timedelta(days=400)
    for day in range(0, 400, 3):
        services.sweep(now=timezone.now() + datetime.timedelta(days=day))
    assert services.sweep(now=far)["reminded"] == 0
    assert not reminders()
    assert not FollowUpInvitation.objects.filter(reminded_at__isnull=False).exists()


# --- Sending once --------------------------------------------------------------------------------


def test_the_reminder_goes_once_on_its_morning(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "partly")
    moment = at_nine(reflective(session) - datetime.timedelta(days=7))
    assert services.sweep(now=moment - datetime.timedelta(minutes=1)) == {
        "invited": 0,
        "reminded": 0,
    }
    assert services.sweep(now=moment) == {"invited": 0, "reminded": 2}
    # The queued task, and the sweep again, find them sent.
    sent = FollowUpInvitation.objects.filter(reminded_at__isnull=False)
    assert sent.count() == 2 and {i.follow_up.name for i in sent} == {"Reflective practice"}
    for invitation in sent:
        assert services.send_reminder(invitation_id=invitation.pk, now=moment) is False
        assert invitation.reminded_at == moment and invitation.status == "scheduled"
    assert services.sweep(now=moment + datetime.timedelta(days=1)) == {
        "invited": 0,
        "reminded": 0,
    }
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: Reflective practice")
    assert message.to[0] in {
        world_a.user(Role.PRACTITIONER).email,
        world_a.user(Role.CHAMPION).email,
    }
    assert reflective(session).strftime("%-d %B %Y") in message.body
    assert "/training/my/" in message.body
    automatic = AuditEntry.objects.filter(
        object_type="training.FollowUpInvitation", action="update", actor=None
    )
    assert automatic.count() == 2
    assert all(e.changed_fields == ["reminded_at"] for e in automatic)
    # The invitation still goes on its day.
    assert services.sweep(now=at_nine(reflective(session)))["invited"] == 2


def test_no_reminder_once_an_outcome_is_recorded(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "attended")
    lead = world_a.user(Role.PROGRAMME_LEAD)
    first, second = FollowUpInvitation.objects.filter(
        follow_up__name="Reflective practice"
    ).order_by("pk")
    services.invitation_mark(
        invitation=first, status="completed", completed_on=timezone.localdate(), by=lead
    )
    services.invitation_mark(invitation=second, status="declined", by=lead)
    moment = at_nine(reflective(session) - datetime.timedelta(days=7))
    assert services.sweep(now=moment)["reminded"] == 0
    assert services.send_reminder(invitation_id=first.pk, now=moment) is False
    assert not reminders()
    # A mark changed to "did not attend" deletes the scheduled ones: nothing left to remind.
    take(session, world_a, "no_show", "no_show")
    assert services.sweep(now=moment)["reminded"] == 0


def test_a_register_taken_late_sends_the_reminder_at_once(world_a: World) -> None:
    # The six-week follow-up is due in 2 days: its reminder's morning has passed, its day not.
    session = with_follow_ups(make_session(world_a, days_ago=40), world_a)
    take(session, world_a, "attended", "no_show")
    assert [m.subject for m in mail.outbox] == [
        "Reminder: Reflective practice, after Foundation day, is due on "
        + reflective(session).strftime("%-d %B %Y")
    ]
    # Taken on the due day, or later, the invitation says it all: no reminder.
    mail.outbox.clear()
    late = with_follow_ups(make_session(world_a, days_ago=42, name="Later day"), world_a)
    take(late, world_a, "attended", "no_show")
    assert [m.subject for m in mail.outbox] == ["Follow-up to Later day: Reflective practice"]


def test_each_partnership_reminds_on_its_own_days(world_a: World, world_b: World) -> None:
    remind_in(world_a, 3)
    a_session = with_follow_ups(make_session(world_a), world_a)
    b_session = with_follow_ups(make_session(world_b), world_b)
    take(a_session, world_a, "attended", "no_show")
    take(b_session, world_b, "attended", "no_show")
    due = reflective(a_session)
    assert due == reflective(b_session)
    assert services.sweep(now=at_nine(due - datetime.timedelta(days=7)))["reminded"] == 1
    assert FollowUpInvitation.objects.get(reminded_at__isnull=False).partnership == (
        world_b.partnership
    )
    assert services.sweep(now=at_nine(due - datetime.timedelta(days=4)))["reminded"] == 0
    assert services.sweep(now=at_nine(due - datetime.timedelta(days=3)))["reminded"] == 1
    # A queued task that fires at the old moment after the setting changed sends nothing early.
    remind_in(world_b, 1)
    c_session = with_follow_ups(make_session(world_b, name="Third day"), world_b)
    take(c_session, world_b, "attended", "no_show")
    c = FollowUpInvitation.objects.get(
        booking__session=c_session, follow_up__name="Reflective practice"
    )
    assert (
        services.send_reminder(
            invitation_id=c.pk, now=at_nine(c.due_on - datetime.timedelta(days=7))
        )
        is False
    )


# --- Shown on the pages and the API --------------------------------------------------------------


def test_the_follow_up_pages_show_when_the_reminder_went(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=40), world_a)
    take(session, world_a, "attended", "no_show")
    invitation = FollowUpInvitation.objects.get(reminded_at__isnull=False)
    day = timezone.localdate(invitation.reminded_at).strftime("%-d %B %Y")
    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    course = lead.get(f"/training/courses/{session.course.pk}/follow-up-invitations/")
    assert f"Reminder sent on {day}" in course.content.decode()
    page = lead.get(f"/training/follow-up-invitations/{invitation.pk}/")
    assert f"reminder sent on {day}" in page.content.decode()
    champion = signed_in_client(world_a.user(Role.CHAMPION))
    assert f"Reminder sent on {day}" in champion.get("/training/my/").content.decode()
    response = call(
        "get",
        f"/api/training/courses/{session.course.pk}/follow-up-invitations",
        token_for(world_a.members[Role.PROGRAMME_LEAD]),
    )
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["invitations"]}
    assert rows[invitation.pk]["reminded_at"] is not None
