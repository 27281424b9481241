"""Follow-up invitations: scheduled from the register (attended and partly attended), due their
offset after the session's last day, sent once on their day (by the queued task or the sweep),
cancelled when a mark changes before they are sent, their outcome recorded on the course's page
and the API, shown on My training, and counted by the readiness check."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.training.test_attendance import booking_of, make_session, marks_for
from tip.core import services as core_services
from tip.core.models import AuditEntry, Membership
from tip.core.roles import Role
from tip.programmes import services as programme_services
from tip.programmes.models import Programme, WorkforceGroup
from tip.programmes.readiness import readiness_report
from tip.training import selectors_followups as selectors
from tip.training import services_attendance, services_courses
from tip.training import services_followups as services
from tip.training import tasks_followups as tasks
from tip.training.analysis import followups as rules
from tip.training.models_bookings import Booking
from tip.training.models_followups import FollowUpInvitation
from tip.training.models_sessions import Session
from tip.training.readiness_followups import followup_facts

pytestmark = pytest.mark.django_db


def with_follow_ups(session: Session, world: World) -> Session:
    """Give the session's course a reflective session after 6 weeks and a refresher after 12
    months."""
    lead = world.user(Role.PROGRAMME_LEAD)
    for name, kind, offset, unit in (
        ("Reflective practice", "follow_up", 6, "weeks"),
        ("Refresher", "refresher", 12, "months"),
    ):
        services_courses.follow_up_create(
            course=session.course, name=name, kind=kind, offset=offset, offset_unit=unit, by=lead
        )
    return session


def take(session: Session, world: World, *marks: str) -> None:
    services_attendance.register_save(
        session=session, marks=marks_for(session, *marks), by=world.user(Role.TRAINER)
    )


def last_day(session: Session) -> datetime.date:
    from tip.training.selectors_bookings import last_day as last

    day = last(session)
    assert day is not None
    return day


# --- Scheduling from the register ----------------------------------------------------------------


def test_attended_and_partly_attended_are_invited_to_each_follow_up(world_a: World) -> None:
    people = [world_a.members[r] for r in (Role.CHAMPION, Role.EVALUATOR, Role.PRACTITIONER)]
    session = with_follow_ups(make_session(world_a, people=people), world_a)
    take(session, world_a, "attended", "no_show", "partly")  # by name: champion, evaluator, ...
    invitations = FollowUpInvitation.objects.order_by("booking__membership__user__full_name", "pk")
    got = [(i.booking.membership.user.full_name, i.follow_up.name) for i in invitations]
    assert got == [
        ("Alpha Champion", "Reflective practice"),
        ("Alpha Champion", "Refresher"),
        ("Alpha Practitioner", "Reflective practice"),
        ("Alpha Practitioner", "Refresher"),
    ]
    day = last_day(session)
    reflective = invitations.filter(follow_up__name="Reflective practice").first()
    refresher = invitations.filter(follow_up__name="Refresher").first()
    assert reflective is not None and refresher is not None
    assert reflective.due_on == day + datetime.timedelta(weeks=6)
    assert refresher.due_on == rules.add_months(day, 12)
    assert {i.status for i in invitations} == {"scheduled"}  # none due yet: nothing sent
    assert not mail.outbox
    created = AuditEntry.objects.filter(action="create", object_type="training.FollowUpInvitation")
    assert created.count() == 4


def test_saving_the_register_again_creates_nothing_twice(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "attended")
    take(session, world_a, "attended", "partly")
    assert FollowUpInvitation.objects.count() == 4


def test_a_refused_register_schedules_nothing(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    marks = marks_for(session, "attended", "attended")
    marks.pop(next(iter(marks)))  # someone left without a mark: refused whole
    with pytest.raises(Exception, match="Choose whether"):
        services_attendance.register_save(
            session=session, marks=marks, by=world_a.user(Role.TRAINER)
        )
    assert not FollowUpInvitation.objects.exists()


def test_a_course_without_follow_ups_invites_nobody(world_a: World) -> None:
    session = make_session(world_a)
    take(session, world_a, "attended", "attended")
    assert not FollowUpInvitation.objects.exists()


def test_changing_a_mark_cancels_the_invitations_not_yet_sent(world_a: World) -> None:
    # 50 days ago: the six-week follow-up is due and sent at once; the refresher is not.
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "attended")
    champion = booking_of(session, world_a.members[Role.CHAMPION])
    assert sorted(champion.follow_ups.values_list("status", flat=True)) == ["invited", "scheduled"]
    take(session, world_a, "no_show", "attended")
    # The refresher not yet sent is gone; the invitation already sent stays, to be recorded.
    assert list(champion.follow_ups.values_list("follow_up__name", "status")) == [
        ("Reflective practice", "invited")
    ]
    deleted = AuditEntry.objects.filter(action="delete", object_type="training.FollowUpInvitation")
    assert deleted.count() == 1
    # Marked attended again: the refresher is scheduled again.
    take(session, world_a, "attended", "attended")
    assert champion.follow_ups.count() == 2


def test_one_due_already_is_sent_at_once_and_only_once(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "no_show")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world_a.members[Role.CHAMPION].user.email]
    assert "Reflective practice" in message.subject
    assert "/training/my/" in message.body
    invitation = FollowUpInvitation.objects.get(status="invited")
    assert invitation.invited_at is not None
    # The queued task and the sweep both find it sent: nothing goes twice.
    assert services.send_invitation(invitation_id=invitation.pk) is False
    assert services.sweep() == {"invited": 0, "reminded": 0}
    assert len(mail.outbox) == 1
    automatic = AuditEntry.objects.filter(
        object_type="training.FollowUpInvitation", action="update", actor=None
    )
    assert automatic.count() == 1


def test_future_invitations_are_queued_for_their_morning(
    world_a: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[Any, datetime.datetime, dict[str, Any]]] = []
    monkeypatch.setattr(
        services, "schedule", lambda task, when, **kw: queued.append((task, when, kw)) or True
    )
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "no_show")
    due = last_day(session) + datetime.timedelta(weeks=6)
    invitations = [(w, kw) for task, w, kw in queued if task is tasks.send_follow_up_invitation]
    moments = sorted(when for when, _kw in invitations)
    assert moments[0] == datetime.datetime.combine(due, datetime.time(9), tzinfo=rules.LONDON)
    ids = {kw["invitation_id"] for _when, kw in invitations}
    assert ids == set(FollowUpInvitation.objects.values_list("pk", flat=True))


def test_the_sweep_sends_what_is_due_once(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "partly")
    due = last_day(session) + datetime.timedelta(weeks=6)
    before = datetime.datetime.combine(due, datetime.time(8, 59), tzinfo=rules.LONDON)
    assert services.sweep(now=before) == {"invited": 0, "reminded": 0}
    at = before + datetime.timedelta(minutes=1)
    assert services.sweep(now=at) == {"invited": 2, "reminded": 0}
    assert services.sweep(now=at) == {"invited": 0, "reminded": 0}
    assert len(mail.outbox) == 2
    # The command runs the same sweep.
    call_command("follow_up_sweep")


def test_an_outcome_recorded_before_sending_stops_the_invitation(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "no_show")
    invitation = FollowUpInvitation.objects.filter(follow_up__name="Reflective practice").get()
    services.invitation_mark(
        invitation=invitation, status="declined", by=world_a.user(Role.PROGRAMME_LEAD)
    )
    far = timezone.now() + datetime.timedelta(days=400)
    assert services.sweep(now=far) == {"invited": 1, "reminded": 0}  # only the refresher
    invitation.refresh_from_db()
    assert invitation.status == "declined" and invitation.invited_at is None


def test_recording_an_outcome_checks_the_date(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "attended", "no_show")
    invitation = FollowUpInvitation.objects.filter(follow_up__name="Reflective practice").get()
    lead = world_a.user(Role.PROGRAMME_LEAD)
    today = timezone.localdate()
    for on, message in [
        (None, "Enter the date they completed it"),
        (today + datetime.timedelta(days=1), "today or in the past"),
        (last_day(session) - datetime.timedelta(days=1), "on or after the course"),
    ]:
        with pytest.raises(Exception, match=message):
            services.invitation_mark(
                invitation=invitation, status="completed", completed_on=on, by=lead
            )
    with pytest.raises(Exception, match="Choose whether"):
        services.invitation_mark(invitation=invitation, status="invited", by=lead)
    invitation.refresh_from_db()
    assert invitation.status == "scheduled"
    services.invitation_mark(invitation=invitation, status="completed", completed_on=today, by=lead)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.completed_on) == ("completed", today)
    entry = AuditEntry.objects.filter(object_type="training.FollowUpInvitation", action="update")
    assert sorted(entry.latest("at").changed_fields) == ["completed_on", "status"]
    # Then missed: the date goes.
    services.invitation_mark(invitation=invitation, status="missed", completed_on=today, by=lead)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.completed_on) == ("missed", None)


# --- Pages ---------------------------------------------------------------------------------------


def test_the_course_page_lists_invitations_by_due_date_with_counts(
    world_a: World, world_b: World, django_assert_max_num_queries: Any
) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "partly")
    url = f"/training/courses/{session.course.pk}/follow-up-invitations/"
    lead = world_a.user(Role.PROGRAMME_LEAD)
    client = signed_in_client(lead)
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alpha Champion" in text and "Alpha Practitioner" in text
    assert text.index("Reflective practice") < text.index("Refresher")
    entry = AuditEntry.objects.filter(actor=lead, action="view").latest("at")
    assert entry.purpose.startswith("Training: a course's follow-up invitations")
    only = client.get(url + "?status=scheduled").content.decode()
    assert "Invitations: Scheduled" in only
    # Others may not see it; another partnership's course is not found.
    for role in (Role.PRACTITIONER, Role.TRAINER, Role.CHAMPION, Role.EVALUATOR):
        assert signed_in_client(world_a.user(role)).get(url).status_code == 403
    other = make_session(world_b)
    other_url = f"/training/courses/{other.course.pk}/follow-up-invitations/"
    assert client.get(other_url).status_code == 404
    # The course page links to it.
    detail = client.get(f"/training/courses/{session.course.pk}/").content.decode()
    assert "follow-up-invitations/" in detail


def test_recording_an_outcome_on_its_page(world_a: World, world_b: World) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "no_show")
    invitation = FollowUpInvitation.objects.get(status="invited")
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = f"/training/follow-up-invitations/{invitation.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Alpha Champion" in page.content.decode()
    refused = client.post(url, {"status": "completed"})
    assert refused.status_code == 400
    assert "Enter the date they completed it" in refused.content.decode()
    today = timezone.localdate()
    done = client.post(
        url,
        {
            "status": "completed",
            "completed_on_day": today.day,
            "completed_on_month": today.month,
            "completed_on_year": today.year,
        },
    )
    assert done.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.status, invitation.completed_on) == ("completed", today)
    b_session = with_follow_ups(make_session(world_b, days_ago=50), world_b)
    take(b_session, world_b, "attended", "attended")
    b_invitation = FollowUpInvitation.objects.filter(partnership=world_b.partnership).first()
    assert b_invitation is not None
    assert client.get(f"/training/follow-up-invitations/{b_invitation.pk}/").status_code == 404


def test_my_training_shows_my_follow_ups_only(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a), world_a)
    take(session, world_a, "no_show", "attended")
    mine = signed_in_client(world_a.user(Role.PRACTITIONER)).get("/training/my/")
    text = mine.content.decode()
    assert "Your follow-ups" in text and "Reflective practice" in text
    theirs = signed_in_client(world_a.user(Role.CHAMPION)).get("/training/my/")
    assert "Your follow-ups" not in theirs.content.decode()


# --- API -----------------------------------------------------------------------------------------


def _headers(member: Membership) -> dict[str, str]:
    _token, key = core_services.api_token_create(membership=member, name="script", by=member.user)
    return {"Authorization": f"Bearer {key}"}


def test_the_api_lists_mine_lists_a_courses_and_records_outcomes(
    world_a: World, world_b: World
) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "attended")
    client = Client()
    mine = client.get(
        "/api/training/my-follow-ups", headers=_headers(world_a.members[Role.PRACTITIONER])
    )
    assert mine.status_code == 200
    assert [(f["activity"], f["status"]) for f in mine.json()] == [
        ("Reflective practice", "invited"),
        ("Refresher", "scheduled"),
    ]
    lead = _headers(world_a.members[Role.PROGRAMME_LEAD])
    listed = client.get(
        f"/api/training/courses/{session.course.pk}/follow-up-invitations", headers=lead
    )
    assert listed.status_code == 200
    body = listed.json()
    assert body["counts"]["total"] == 4 and body["counts"]["invited"] == 2
    first = body["invitations"][0]
    assert first["status"] == "invited"
    url = f"/api/training/follow-up-invitations/{first['id']}"
    refused = client.patch(
        url, {"status": "completed"}, content_type="application/json", headers=lead
    )
    assert refused.status_code == 422
    assert "Enter the date they completed it" in refused.content.decode()
    ok = client.patch(url, {"status": "missed"}, content_type="application/json", headers=lead)
    assert ok.status_code == 200 and ok.json()["status"] == "missed"
    practitioner = _headers(world_a.members[Role.PRACTITIONER])
    assert (
        client.patch(
            url, {"status": "missed"}, content_type="application/json", headers=practitioner
        ).status_code
        == 403
    )
    other = _headers(world_b.members[Role.PROGRAMME_LEAD])
    assert (
        client.patch(
            url, {"status": "missed"}, content_type="application/json", headers=other
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/training/courses/{session.course.pk}/follow-up-invitations", headers=other
        ).status_code
        == 404
    )


# --- Readiness -----------------------------------------------------------------------------------


def _programme(world: World, groups: list[str]) -> Programme:
    lead = world.user(Role.PROGRAMME_LEAD)
    programme = programme_services.programme_create(
        partnership=world.partnership, name="Safer schools", aims="Calm", by=lead
    )
    Programme.objects.filter(pk=programme.pk).update(target_groups=groups)
    programme.refresh_from_db()
    return programme


def _facts(programme: Programme) -> dict[str, Any]:
    return {f.key: f for f in followup_facts(programme)}


def test_readiness_counts_senior_leaders_who_attended_and_follow_ups(
    world_a: World, django_assert_max_num_queries: Any
) -> None:
    programme = _programme(world_a, [])
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    session.course.programme = programme
    session.course.save(update_fields=["programme"])
    assert _facts(programme) == {}  # nobody attended: nothing to say
    Booking.objects.filter(session=session, membership=world_a.members[Role.CHAMPION]).update(
        staff_group=WorkforceGroup.SENIOR_LEADERS
    )
    take(session, world_a, "partly", "attended")
    facts = _facts(programme)
    senior = facts["senior_staff_included"]
    assert senior.value is True
    assert senior.evidence.startswith("1 senior leader has attended")
    assert "(1 in part only)" in senior.evidence and "of 2 people" in senior.evidence
    follow = facts["follow_up_planned"]
    assert follow.value is True
    assert "4 follow-up invitations have been scheduled for 2 participants" in follow.evidence
    assert "2 invited and waiting, 2 still to send" in follow.evidence
    with django_assert_max_num_queries(2):
        list(followup_facts(programme))


def test_the_programmes_own_record_decides_a_tie_on_senior_staff(world_a: World) -> None:
    """The programme's record (given first) says it is for frontline staff only; a senior leader
    attended anyway. The record decides; the attendance is shown as evidence."""
    programme = _programme(world_a, [WorkforceGroup.FRONTLINE])
    session = make_session(world_a)
    session.course.programme = programme
    session.course.save(update_fields=["programme"])
    Booking.objects.filter(session=session, membership=world_a.members[Role.CHAMPION]).update(
        staff_group=WorkforceGroup.SENIOR_LEADERS
    )
    take(session, world_a, "attended", "attended")
    report = readiness_report(programme)
    finding = next(
        f for f in report.findings if "senior_staff_included" in [t.fact for t in f.criterion.tests]
    )
    assert finding.status.value == "not_met"
    assert any(e.key == "senior_staff_included" and e.value is True for e in finding.evidence)
    # With no record of who it is for, the attendance decides.
    Programme.objects.filter(pk=programme.pk).update(target_groups=[])
    programme.refresh_from_db()
    finding = next(
        f
        for f in readiness_report(programme).findings
        if "senior_staff_included" in [t.fact for t in f.criterion.tests]
    )
    assert finding.status.value == "met"


def test_attendance_without_senior_leaders_is_evidence_without_a_value(world_a: World) -> None:
    programme = _programme(world_a, [])
    session = make_session(world_a)
    session.course.programme = programme
    session.course.save(update_fields=["programme"])
    take(session, world_a, "attended", "no_show")
    facts = _facts(programme)
    assert facts["senior_staff_included"].value is None
    assert "none said they were a senior leader" in facts["senior_staff_included"].evidence
    assert "follow_up_planned" not in facts


def test_selectors_count_a_course(world_a: World) -> None:
    session = with_follow_ups(make_session(world_a, days_ago=50), world_a)
    take(session, world_a, "attended", "attended")
    counts = selectors.course_counts(course=session.course)
    assert (counts.total, counts.invited, counts.scheduled) == (4, 2, 2)
    activities = selectors.activity_counts(course=session.course)
    assert [(a.name, a.counts.total, a.counts.invited) for a in activities] == [
        ("Reflective practice", 2, 2),
        ("Refresher", 2, 0),
    ]
