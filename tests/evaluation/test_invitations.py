"""Survey invitations: respondents from bookings, scheduling from session dates (across clock
changes), sending once, reminders once, closing, withdrawal, and comparison cohorts' members
added all or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.conftest import World
from tests.evaluation.invitation_helpers import Collecting, london
from tip.core.models import AuditEntry
from tip.core.roles import Role
from tip.evaluation import links
from tip.evaluation import services_invitations as s
from tip.evaluation.models_collection import Group, Invitation, InvitationStatus, Respondent
from tip.training.models_bookings import BookingStatus

DAY = date(2030, 3, 20)  # a Wednesday; British Summer Time starts on Sunday 31 March 2030


def test_opening_and_closing_keep_9am_london_across_the_clock_change() -> None:
    opens = s.opens_at(DAY, -7)
    assert opens == datetime(2030, 3, 13, 9, tzinfo=UTC)  # GMT
    closes = s.closes_at(opens, 21)
    assert closes == datetime(2030, 4, 3, 8, tzinfo=UTC)  # 09:00 BST
    assert s.opens_at(date(2030, 3, 31), 0) == datetime(2030, 3, 31, 8, tzinfo=UTC)
    # The autumn change: 27 October 2030.
    assert s.closes_at(s.opens_at(date(2030, 10, 20), 0), 14) == datetime(
        2030, 11, 3, 9, tzinfo=UTC
    )
    assert s.closes_at(opens, 0) > opens  # at least a day


def test_every_booked_participant_is_invited_to_each_measured_wave(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=3)
    now = datetime(2030, 1, 1, tzinfo=UTC)
    result = s.sync_respondents(c.evaluation, now=now)
    # The default waves: -7, 0, 182, 365; only the first three have an instrument.
    assert (result.respondents, result.invitations) == (3, 9)
    respondent = Respondent.objects.get(booking=c.bookings[0])
    assert respondent.group == Group.TRAINED and respondent.anchor_date == DAY
    assert respondent.membership_id == c.people[0].pk
    offsets = sorted(
        (i.wave.offset_days, i.opens_at, i.closes_at) for i in respondent.invitations.all()
    )
    assert [o[0] for o in offsets] == [-7, 0, 182]
    assert offsets[0][1] == london(date(2030, 3, 13))
    assert offsets[1][1] == london(DAY) and offsets[1][2] == london(date(2030, 4, 3))
    assert all(i.status == InvitationStatus.SCHEDULED for i in Invitation.objects.all())
    # Idempotent.
    again = s.sync_respondents(c.evaluation, now=now)
    assert again.as_dict() == {"respondents": 0, "invitations": 0, "withdrawn": 0, "rescheduled": 0}
    assert Invitation.objects.count() == 9
    assert AuditEntry.objects.filter(object_type="evaluation.Invitation", via="task").count() == 9


def test_waiting_list_cancelled_sessions_and_other_programmes_are_left_out(
    world_a: World,
) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    waiting = c.book(c.session, "Waiting Person")
    waiting.status = BookingStatus.WAITING
    waiting.save()
    other = Collecting(world_a, day=DAY, people=1, name="Another programme")
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert list(Respondent.objects.values_list("booking_id", flat=True)) == [c.bookings[0].pk]
    assert other.bookings[0].pk not in Respondent.objects.values_list("booking_id", flat=True)


def test_waves_already_closed_are_not_created(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 5, 1, tzinfo=UTC))
    assert [i.wave.offset_days for i in Invitation.objects.all()] == [182]


def test_sending_once_in_the_persons_language_with_a_personal_link(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=2)
    welsh = c.people[1].user
    welsh.language = "cy"
    welsh.save()
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    now = london(date(2030, 3, 13), 10)
    totals = s.sweep(now=now)
    assert totals["sent"] == 2 and len(mail.outbox) == 2
    again = s.sweep(now=now + timedelta(hours=1))
    assert again["sent"] == 0 and len(mail.outbox) == 2
    english = next(m for m in mail.outbox if m.to == [c.people[0].user.email])
    assert "/s/" in english.body and "survey" in english.subject
    token = english.body.split("/s/")[1].split("/")[0]
    found = links.invitation_for_token(token)
    assert found is not None and found.status == InvitationStatus.SENT
    assert found.respondent.membership_id == c.people[0].pk
    assert token not in str(list(Invitation.objects.values()))
    welsh_mail = next(m for m in mail.outbox if m.to == [welsh.email])
    # Composed in Welsh: the greeting TIP's Welsh catalogue already has.
    assert english.body.startswith("Hello,") and not welsh_mail.body.startswith("Hello,")
    assert any(
        "sent_at" in fields
        for fields in AuditEntry.objects.filter(
            object_type="evaluation.Invitation", via="task"
        ).values_list("changed_fields", flat=True)
    )


def test_a_second_send_of_the_same_invitation_does_nothing(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    invitation = Invitation.objects.get(wave__offset_days=-7)
    now = london(date(2030, 3, 13), 10)
    assert s.send_invitation(invitation_id=invitation.pk, now=now - timedelta(hours=2)) is False
    assert s.send_invitation(invitation_id=invitation.pk, now=now) is True
    assert s.send_invitation(invitation_id=invitation.pk, now=now) is False
    assert len(mail.outbox) == 1


def test_one_reminder_before_closing_unless_completed(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=2)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    s.sweep(now=london(date(2030, 3, 13), 10))
    done = Invitation.objects.filter(wave__offset_days=-7).order_by("pk")[1]
    done.status, done.completed_at = InvitationStatus.COMPLETED, london(date(2030, 3, 14))
    done.save()
    mail.outbox.clear()
    # Closes 27 March 09:00; the reminder goes 3 days before: 24 March 09:00.
    assert s.sweep(now=london(date(2030, 3, 24), 8))["reminded"] == 0
    assert s.sweep(now=london(date(2030, 3, 24), 9))["reminded"] == 1
    assert s.sweep(now=london(date(2030, 3, 25), 9))["reminded"] == 0
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert [m.to for m in reminders] == [[c.people[0].user.email]]


def test_closing_after_the_window(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    s.sweep(now=london(date(2030, 3, 13), 10))
    totals = s.sweep(now=london(date(2030, 3, 27), 9))
    assert totals["closed"] == 1
    assert Invitation.objects.get(wave__offset_days=-7).status == InvitationStatus.CLOSED


def test_an_invitation_never_sent_in_its_window_is_closed_not_sent(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    invitation = Invitation.objects.get(wave__offset_days=-7)
    assert s.send_invitation(invitation_id=invitation.pk, now=london(date(2030, 3, 28))) is False
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CLOSED and not mail.outbox


def test_a_cancelled_booking_withdraws_future_invitations(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    s.sweep(now=london(date(2030, 3, 13), 10))  # the baseline goes
    booking = c.bookings[0]
    booking.status = BookingStatus.CANCELLED
    booking.save()
    mail.outbox.clear()
    totals = s.sweep(now=london(date(2030, 3, 20), 10))
    assert totals["withdrawn"] == 2 and totals["sent"] == 0 and not mail.outbox
    statuses = dict(Invitation.objects.values_list("wave__offset_days", "status"))
    assert statuses == {
        -7: InvitationStatus.SENT,
        0: InvitationStatus.WITHDRAWN,
        182: InvitationStatus.WITHDRAWN,
    }
    # No reminder either, and nothing new is created.
    assert s.sweep(now=london(date(2030, 3, 24), 10))["reminded"] == 0
    assert Invitation.objects.count() == 3


def test_nobody_is_emailed_after_withdrawing(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    respondent = Respondent.objects.get()
    s.withdraw_respondent(respondent, by=c.lead)
    assert s.sweep(now=london(date(2030, 9, 20), 10))["sent"] == 0
    assert not mail.outbox


def test_a_moved_session_moves_the_invitations_not_sent(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=1)
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    part = c.session.parts.get()
    part.starts_at += timedelta(days=7)
    part.ends_at += timedelta(days=7)
    part.save()
    result = s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert result.rescheduled == 3
    assert Invitation.objects.get(wave__offset_days=0).opens_at == london(date(2030, 3, 27))


def test_the_command_runs_the_sweep(world_a: World) -> None:
    Collecting(world_a, day=date.today() + timedelta(days=30), people=1)
    with open("/dev/null", "w") as sink:
        call_command("evaluation_sweep", stdout=sink)
    assert Invitation.objects.count() == 3


# --- Comparison cohorts --------------------------------------------------------------------------


def _cohort(c: Collecting, **values: object) -> object:
    return s.cohort_create(
        plan=c.evaluation,
        name=values.get("name", "Next year's staff"),
        reference_date=values.get("reference_date", DAY),
        organisations=[c.world.organisations[1]],
        by=c.lead,
    )


def test_pasted_addresses_are_all_or_nothing_with_line_numbers(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=0)
    cohort = _cohort(c)
    text = "a@example.org\n\nnot-an-address\nA@example.org\nb@example.org\n"
    with pytest.raises(ValidationError) as refused:
        s.members_add_emails(cohort=cohort, text=text, by=c.lead)  # type: ignore[arg-type]
    messages = refused.value.message_dict["emails"]
    assert messages == [
        "Line 3: enter an email address in the correct format, like name@example.com",
        "Line 4: the same address is on line 1",
    ]
    assert not Respondent.objects.exists()
    added = s.members_add_emails(
        cohort=cohort,  # type: ignore[arg-type]
        text="a@example.org\nb@example.org\n" + c.world.user(Role.CHAMPION).email,
        by=c.lead,
    )
    assert len(added) == 3 and all(r.group == Group.COMPARISON for r in added)
    assert added[2].membership_id == c.world.members[Role.CHAMPION].pk and not added[2].email
    with pytest.raises(ValidationError) as again:
        s.members_add_emails(cohort=cohort, text="c@example.org\nB@example.org", by=c.lead)  # type: ignore[arg-type]
    assert again.value.message_dict["emails"] == ["Line 2: this person is already in the cohort"]
    assert Respondent.objects.count() == 3


def test_comparison_members_are_invited_from_the_reference_date_in_english(
    world_a: World,
) -> None:
    c = Collecting(world_a, day=DAY, people=0)
    cohort = _cohort(c, reference_date=date(2030, 6, 1))
    s.members_add_emails(cohort=cohort, text="someone@example.org", by=c.lead)  # type: ignore[arg-type]
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    invitation = Invitation.objects.get(wave__offset_days=0)
    assert invitation.opens_at == london(date(2030, 6, 1))
    s.sweep(now=london(date(2030, 6, 1), 10))
    # The baseline (opened 25 May, still open) and straight after.
    assert [m.to for m in mail.outbox] == [["someone@example.org"]] * 2
    assert "comparison group" in mail.outbox[0].body
    # A new reference date moves the invitations not sent.
    s.cohort_update(
        cohort=cohort,  # type: ignore[arg-type]
        name="Next year's staff",
        reference_date=date(2030, 7, 1),
        organisations=[],
        by=c.lead,
    )
    moved = Invitation.objects.get(wave__offset_days=182)
    assert moved.opens_at == london(date(2030, 7, 1) + timedelta(days=182))


def test_cohort_names_are_unique_and_removal_is_refused_once_answered(world_a: World) -> None:
    c = Collecting(world_a, day=DAY, people=0)
    cohort = _cohort(c)
    with pytest.raises(ValidationError) as refused:
        _cohort(c)
    assert "name" in refused.value.message_dict
    s.members_add_emails(cohort=cohort, text="x@example.org", by=c.lead)  # type: ignore[arg-type]
    s.sync_respondents(c.evaluation, now=datetime(2030, 1, 1, tzinfo=UTC))
    Invitation.objects.filter(wave__offset_days=-7).update(
        status=InvitationStatus.STARTED, started_at=london(DAY)
    )
    with pytest.raises(ValidationError):
        s.cohort_delete(cohort=cohort, by=c.lead)  # type: ignore[arg-type]
    Invitation.objects.update(started_at=None)
    s.cohort_delete(cohort=cohort, by=c.lead)  # type: ignore[arg-type]
    assert not Respondent.objects.exists() and not Invitation.objects.exists()
