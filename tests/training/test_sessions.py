"""Sessions and venues through their services: formats, London times across the clock changes,
trainers' clashes, clearances on confirming, publishing, cancelling, the sequence calendar
updates follow, the version lock, who sees the online link, and the demo."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.training import (
    selectors_courses,
    selectors_sessions,
    services_clearances,
    services_courses,
    services_providers,
)
from tip.training import services_sessions as services
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_sessions import Session, SessionStatus, Venue
from tip.training.services_sessions import PartIn

FUTURE = date.today() + timedelta(days=60)


def part(day: date = FUTURE, starts: str = "09:30", ends: str = "16:30") -> PartIn:
    h1, m1 = (int(x) for x in starts.split(":"))
    h2, m2 = (int(x) for x in ends.split(":"))
    return PartIn(day, time(h1, m1), time(h2, m2))


class Kit:
    """A lead, a course with two versions, a school setting, venues and three trainers."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lead = world.user(Role.PROGRAMME_LEAD)
        p = world.partnership
        self.course = services_courses.course_create(
            partnership=p, name="Foundation day", hours=6, by=self.lead
        )
        services_courses.course_version_create(course=self.course, changes="New case", by=self.lead)
        self.setting = services_clearances.setting_create(
            partnership=p,
            name="Schools",
            kind="school",
            required_clearances=["dbs_enhanced"],
            by=self.lead,
        )
        self.school = services.venue_create(
            partnership=p,
            name="Hill School",
            setting=self.setting,
            step_free_access="yes",
            by=self.lead,
        )
        self.hall = services.venue_create(partnership=p, name="Town hall", by=self.lead)
        provider = services_providers.provider_create(
            partnership=p, name="Calm Minds", kind="specialist", by=self.lead
        )
        self.tess = services_providers.trainer_create(provider=provider, name="Tess", by=self.lead)
        self.omar = services_providers.trainer_create(provider=provider, name="Omar", by=self.lead)
        services_clearances.clearance_create(
            trainer=self.tess,
            clearance_type="dbs_enhanced",
            status="granted",
            issued_on=date.today() - timedelta(days=100),
            expires_on=date.today() + timedelta(days=900),
            by=self.lead,
        )
        # Omar's check expires a month before FUTURE.
        services_clearances.clearance_create(
            trainer=self.omar,
            clearance_type="dbs_enhanced",
            status="granted",
            issued_on=date.today() - timedelta(days=100),
            expires_on=date.today() + timedelta(days=30),
            by=self.lead,
        )

    def session(self, parts: list[PartIn] | None = None, **values: Any) -> Session:
        values = {"format": "in_person", "venue": self.hall, "capacity": 20, **values}
        session, _notes = services.session_create(
            partnership=self.world.partnership,
            course=values.pop("course", self.course),
            parts=parts or [part()],
            by=self.lead,
            **values,
        )
        return session


@pytest.fixture
def kit(world_a: World) -> Kit:
    return Kit(world_a)


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- Venues --------------------------------------------------------------------------------------


def test_a_venue_keeps_its_access_details_and_setting(kit: Kit) -> None:
    venue = services.venue_create(
        partnership=kit.world.partnership,
        name="  Youth centre ",
        setting=kit.setting,
        step_free_access="yes",
        hearing_loop="no",
        quiet_room="",
        parking="Free car park",
        cost="£80 a day",
        provided_by="Youth trust",
        notes="Lift to the first floor",
        by=kit.lead,
    )
    assert venue.name == "Youth centre" and venue.quiet_room == "unknown"
    assert AuditEntry.objects.filter(
        object_type="training.Venue", action=AuditAction.CREATE
    ).exists()
    services.venue_update(venue=venue, hearing_loop="yes", by=kit.lead)
    venue.refresh_from_db()
    assert venue.hearing_loop == "yes"


def test_venue_names_are_unique_and_settings_belong_to_the_partnership(
    kit: Kit, world_b: World
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.venue_create(partnership=kit.world.partnership, name="hill school", by=kit.lead)
    assert "already listed" in messages_of(refused)
    other = services_clearances.setting_create(
        partnership=world_b.partnership,
        name="B schools",
        kind="school",
        required_clearances=[],
        by=world_b.user(Role.PROGRAMME_LEAD),
    )
    with pytest.raises(ValidationError):
        services.venue_create(
            partnership=kit.world.partnership, name="Elsewhere", setting=other, by=kit.lead
        )


def test_a_venue_in_use_cannot_be_removed(kit: Kit) -> None:
    kit.session()
    with pytest.raises(ValidationError) as refused:
        services.venue_delete(venue=kit.hall, by=kit.lead)
    assert "Town hall" in messages_of(refused)
    services.venue_delete(venue=kit.school, by=kit.lead)
    assert not Venue.objects.filter(pk=kit.school.pk).exists()


# --- Formats and values --------------------------------------------------------------------------


def test_formats_need_a_venue_a_link_or_both(kit: Kit) -> None:
    with pytest.raises(ValidationError) as refused:
        kit.session(venue=None)
    assert "venue" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        kit.session(format="virtual", venue=None)
    assert "online_link" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        kit.session(format="hybrid", online_link="https://meet.example/x", venue=None)
    assert "venue" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        kit.session(format="virtual", online_link="not a link")
    assert "web address" in refused.value.message_dict["online_link"][0]

    virtual = kit.session(format="virtual", online_link="https://meet.example/x", venue=kit.hall)
    assert virtual.venue is None  # a virtual session has no venue
    in_person = kit.session(online_link="https://meet.example/y", recommended_group_size=5)
    assert in_person.online_link == "" and in_person.recommended_group_size is None
    hybrid = kit.session(format="hybrid", online_link="https://meet.example/z")
    assert hybrid.venue == kit.hall and hybrid.online_link


def test_values_are_checked_and_tidied(kit: Kit) -> None:
    with pytest.raises(ValidationError) as refused:
        kit.session(capacity=0)
    assert "capacity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        kit.session(
            format="virtual",
            online_link="https://m.example/a",
            capacity=10,
            recommended_group_size=12,
        )
    assert "more than the places" in refused.value.message_dict["recommended_group_size"][0]
    with pytest.raises(ValidationError):
        kit.session(audience_sectors=["pirates"])
    with pytest.raises(ValidationError) as refused:
        kit.session(reconfirm_days=[0])
    assert "reconfirm_days" in refused.value.message_dict
    session = kit.session(
        audience_sectors=["police", "education", "police"],
        audience_groups=["frontline"],
        reconfirm_days=[2, 7, 2],
        planned_breaks="  Lunch 12:30  ",
    )
    assert session.audience_sectors == ["police", "education"]
    assert session.reconfirm_days == [7, 2] and session.planned_breaks == "Lunch 12:30"


def test_the_version_taught_defaults_to_the_latest(kit: Kit) -> None:
    assert kit.session().course_version.number == 2
    assert kit.session(version_number=1).course_version.number == 1
    with pytest.raises(ValidationError) as refused:
        kit.session(version_number=5)
    assert "no version 5" in messages_of(refused)


def test_a_version_any_session_teaches_is_locked(kit: Kit) -> None:
    first, second = kit.course.versions.order_by("number")
    assert not selectors_courses.course_version_is_locked(second)
    kit.session(version_number=2)
    assert selectors_courses.course_version_is_locked(second)
    assert not selectors_courses.course_version_is_locked(first)
    with pytest.raises(ValidationError) as refused:
        services_courses.module_create(
            version=second, title="New", duration_minutes=30, by=kit.lead
        )
    assert "has been taught" in messages_of(refused)


# --- Times ---------------------------------------------------------------------------------------


def test_times_are_taken_in_london_and_stored_in_utc(kit: Kit) -> None:
    session = kit.session([part(date(2027, 7, 1), "09:30", "12:00")])
    stored = session.parts.get()
    assert stored.starts_at.isoformat() == "2027-07-01T08:30:00+00:00"
    assert services.when_text(stored.starts_at, stored.ends_at) == "1 July 2027, 09:30 to 12:00"


def test_a_time_skipped_in_spring_is_refused_by_name(kit: Kit) -> None:
    with pytest.raises(ValidationError) as refused:
        kit.session([part(date(2026, 3, 29), "01:30", "03:00")])
    message = refused.value.message_dict["starts"][0]
    assert "01:30 on 29 March 2026 does not exist" in message
    assert not Session.objects.exists()


def test_an_ambiguous_autumn_time_is_read_as_summer_time_and_said(kit: Kit) -> None:
    session, notes = services.session_create(
        partnership=kit.world.partnership,
        course=kit.course,
        parts=[part(date(2026, 10, 25), "01:30", "04:00")],
        format="in_person",
        venue=kit.hall,
        capacity=5,
        by=kit.lead,
    )
    assert session.parts.get().starts_at.isoformat() == "2026-10-25T00:30:00+00:00"
    assert len(notes) == 1 and "British Summer Time" in notes[0] and "01:30" in notes[0]


def test_parts_end_after_they_start_and_do_not_overlap(kit: Kit) -> None:
    with pytest.raises(ValidationError) as refused:
        kit.session([part(ends="09:00")])
    assert "ends" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        kit.session([part(), part(starts="12:00", ends="17:00")])
    assert "overlap" in messages_of(refused)
    session = kit.session()
    with pytest.raises(ValidationError):
        services.part_add(session=session, day=FUTURE, starts=time(16), ends=time(18), by=kit.lead)
    services.part_add(
        session=session, day=FUTURE + timedelta(days=7), starts=time(9), ends=time(12), by=kit.lead
    )
    assert session.parts.count() == 2
    only = kit.session()
    with pytest.raises(ValidationError) as refused:
        services.part_delete(part=only.parts.get(), by=kit.lead)
    assert "at least one part" in messages_of(refused)


# --- Trainers and clashes ------------------------------------------------------------------------


def test_a_trainer_cannot_be_in_two_places_at_once(kit: Kit) -> None:
    first = kit.session(title="Morning for schools")
    services.trainer_add(session=first, trainer=kit.tess, by=kit.lead)
    second = kit.session([part(starts="13:00", ends="15:00")])
    with pytest.raises(ValidationError) as refused:
        services.trainer_add(session=second, trainer=kit.tess, by=kit.lead)
    message = messages_of(refused)
    assert "Tess already teaches “Morning for schools”" in message
    assert FUTURE.strftime("%Y") in message and "09:30 to 16:30" in message
    assert not second.session_trainers.exists()

    # Back to back is fine; and a part moved onto the other session's time is refused.
    third = kit.session([part(starts="16:30", ends="18:00")])
    services.trainer_add(session=third, trainer=kit.tess, by=kit.lead)
    with pytest.raises(ValidationError) as refused:
        services.part_update(
            part=third.parts.get(), day=FUTURE, starts=time(16), ends=time(18), by=kit.lead
        )
    assert "Morning for schools" in messages_of(refused)


def test_a_cancelled_session_does_not_clash(kit: Kit) -> None:
    first = kit.session()
    services.trainer_add(session=first, trainer=kit.tess, by=kit.lead)
    services.session_cancel(session=first, reason="Venue flooded", by=kit.lead)
    second = kit.session()
    services.trainer_add(session=second, trainer=kit.tess, by=kit.lead)


def test_a_trainer_is_added_once(kit: Kit) -> None:
    session = kit.session()
    services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    with pytest.raises(ValidationError) as refused:
        services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    assert "already teaches this session" in messages_of(refused)


# --- Publishing, confirming, cancelling ----------------------------------------------------------


def test_confirming_checks_clearances_for_the_venues_setting(kit: Kit) -> None:
    session = kit.session(venue=kit.school)
    with pytest.raises(ValidationError) as refused:
        services.session_confirm(session=session, by=kit.lead)
    assert "at least one trainer" in messages_of(refused)
    services.trainer_add(session=session, trainer=kit.omar, by=kit.lead)
    with pytest.raises(ValidationError) as refused:
        services.session_confirm(session=session, by=kit.lead)
    assert "Omar" in messages_of(refused) and "expires" in messages_of(refused)
    assert [p.trainer for p in services.clearance_problems(session=session)] == [kit.omar]
    session.refresh_from_db()
    assert session.confirmed_at is None

    services.trainer_remove(link=session.session_trainers.get(), by=kit.lead)
    services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    services.session_confirm(session=session, by=kit.lead)
    assert session.confirmed_at is not None


def test_virtual_sessions_and_venues_without_a_setting_need_no_clearances(kit: Kit) -> None:
    for session in (
        kit.session(),  # the town hall has no setting
        kit.session(
            [part(FUTURE + timedelta(days=1))],
            format="virtual",
            online_link="https://meet.example/a",
        ),
    ):
        services.trainer_add(session=session, trainer=kit.omar, by=kit.lead)
        services.session_confirm(session=session, by=kit.lead)


def test_changing_trainers_or_times_undoes_the_confirmation(kit: Kit) -> None:
    session = kit.session()
    services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    services.session_confirm(session=session, by=kit.lead)
    services.part_update(
        part=session.parts.get(), day=FUTURE, starts=time(10), ends=time(16), by=kit.lead
    )
    session.refresh_from_db()
    assert session.confirmed_at is None


def test_publishing_opens_a_draft_that_has_not_started(kit: Kit) -> None:
    session = kit.session()
    services.session_publish(session=session, by=kit.lead)
    assert session.status == SessionStatus.PUBLISHED and session.published_at
    with pytest.raises(ValidationError):
        services.session_publish(session=session, by=kit.lead)
    past = kit.session([part(date.today() - timedelta(days=3))])
    with pytest.raises(ValidationError) as refused:
        services.session_publish(session=past, by=kit.lead)
    assert "cannot be opened" in messages_of(refused)


def test_changes_people_must_hear_about_bump_the_sequence(kit: Kit) -> None:
    heard: list[tuple[int, str]] = []
    services.register_session_listener(lambda s, change: heard.append((s.pk, change)))
    session = kit.session()
    services.part_update(  # a draft: nobody to tell
        part=session.parts.get(), day=FUTURE, starts=time(9), ends=time(16), by=kit.lead
    )
    session.refresh_from_db()
    assert session.sequence == 0
    services.session_publish(session=session, by=kit.lead)
    services.session_update(session=session, capacity=25, by=kit.lead)
    assert session.sequence == 0  # places are not in the invitation
    services.session_update(session=session, venue=kit.school, by=kit.lead)
    assert session.sequence == 1
    services.part_update(
        part=session.parts.get(), day=FUTURE, starts=time(10), ends=time(16), by=kit.lead
    )
    session.refresh_from_db()
    assert session.sequence == 2
    services.session_cancel(session=session, reason="Trainer ill", by=kit.lead)
    assert session.sequence == 3 and session.status == SessionStatus.CANCELLED
    assert session.cancellation_reason == "Trainer ill" and session.cancelled_at


def test_a_cancelled_session_changes_no_more(kit: Kit) -> None:
    session = kit.session()
    with pytest.raises(ValidationError) as refused:
        services.session_cancel(session=session, reason="  ", by=kit.lead)
    assert "reason" in refused.value.message_dict
    services.session_cancel(session=session, reason="No bookings", by=kit.lead)
    for attempt in (
        lambda: services.session_update(session=session, capacity=3, by=kit.lead),
        lambda: services.trainer_add(session=session, trainer=kit.tess, by=kit.lead),
        lambda: services.session_cancel(session=session, reason="Again", by=kit.lead),
    ):
        with pytest.raises(ValidationError):
            attempt()


def test_the_version_stays_once_the_session_is_open(kit: Kit) -> None:
    session = kit.session()
    services.session_update(session=session, version_number=1, by=kit.lead)
    assert session.course_version.number == 1
    services.session_publish(session=session, by=kit.lead)
    with pytest.raises(ValidationError) as refused:
        services.session_update(session=session, version_number=2, by=kit.lead)
    assert "version" in refused.value.message_dict


# --- Who sees the link ---------------------------------------------------------------------------


def test_the_online_link_is_for_trainers_managers_and_booked_participants(kit: Kit) -> None:
    world = kit.world
    session = kit.session(format="virtual", online_link="https://meet.example/secret")
    trainer_member = world.members[Role.TRAINER]
    services.trainer_account_set(trainer=kit.tess, membership=trainer_member, by=kit.lead)
    services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    session = selectors_sessions.session_get(partnership=world.partnership, session_id=session.pk)
    see = selectors_sessions.can_see_online_link
    practitioner = world.members[Role.PRACTITIONER]
    assert see(session, world.members[Role.PROGRAMME_LEAD])
    assert see(session, trainer_member)
    assert not see(session, practitioner) and not see(session, None)
    booking = Booking.objects.create(
        partnership=world.partnership,
        session=session,
        membership=practitioner,
        status=BookingStatus.WAITING,
    )
    assert not see(session, practitioner)
    booking.status = BookingStatus.BOOKED
    booking.save()
    assert see(session, practitioner)
    assert selectors_sessions.link_visible_in([session], practitioner) == {session.pk}
    assert selectors_sessions.link_visible_in([session], world.members[Role.CHAMPION]) == set()
    assert [s.pk for s in selectors_sessions.sessions_taught_by(membership=trainer_member)] == [
        session.pk
    ]


def test_a_trainer_links_only_to_a_member_of_the_partnership(kit: Kit, world_b: World) -> None:
    with pytest.raises(ValidationError):
        services.trainer_account_set(
            trainer=kit.tess, membership=world_b.members[Role.TRAINER], by=kit.lead
        )


# --- Lists ---------------------------------------------------------------------------------------


def test_the_list_splits_upcoming_and_past_and_filters(kit: Kit) -> None:
    soon = kit.session([part(date.today() + timedelta(days=3))])
    later = kit.session(
        [part(date.today() + timedelta(days=9))], format="virtual", online_link="https://m.example/"
    )
    gone = kit.session([part(date.today() - timedelta(days=9))])
    p = kit.world.partnership
    assert list(selectors_sessions.session_list(partnership=p)) == [soon, later]
    assert list(selectors_sessions.session_list(partnership=p, past=True)) == [gone]
    assert list(selectors_sessions.session_list(partnership=p, format="virtual")) == [later]
    Booking.objects.create(
        partnership=p,
        session=soon,
        membership=kit.world.members[Role.PRACTITIONER],
        status=BookingStatus.BOOKED,
    )
    listed = selectors_sessions.session_list(partnership=p, now=timezone.now())[0]
    assert selectors_sessions.places_left(listed) == 19


# --- Demo ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_has_past_and_future_sessions_and_one_at_risk() -> None:
    from django.core.management import call_command

    from tip.training.demo_sessions import AT_RISK_TITLE, seed_demo_sessions

    call_command("seed_demo", verbosity=0)
    assert seed_demo_sessions() == "Demo sessions already there."
    sessions = Session.objects.filter(partnership__name__startswith="Northshire")
    partnership = sessions.first().partnership  # type: ignore[union-attr]
    assert selectors_sessions.session_list(partnership=partnership, past=True).count() >= 3
    upcoming = list(selectors_sessions.session_list(partnership=partnership))
    assert {s.format for s in upcoming} == {"virtual", "in_person", "hybrid"}
    at_risk = sessions.get(title=AT_RISK_TITLE)
    problems = services.clearance_problems(session=at_risk)
    assert problems and problems[0].trainer.name == "Rhys Morgan"
    assert sessions.filter(confirmed_at__isnull=False).count() >= 4
