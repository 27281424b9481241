"""The venue and session pages and API: a lead's whole flow, times across the clock changes,
clashes and clearances refused with names, who sees the online link, cancelling, the lists'
filters, linking a trainer to their account, and the API's London offsets."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.core.test_api import assert_json_error, call, token_for
from tests.training.test_sessions import FUTURE, Kit, part
from tip.core.roles import Role
from tip.training import services_sessions as services
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_sessions import Session, SessionStatus, Venue


def url(name: str, **kw: Any) -> str:
    return reverse(f"training:{name}", kwargs=kw or None)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def day_fields(day: date, prefix: str = "day") -> dict[str, Any]:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_a_lead_runs_a_session_from_venue_to_confirmed(world_a: World) -> None:
    kit = Kit(world_a)
    client = signed_in_client(kit.lead)
    response = client.post(
        url("venue-create"),
        {
            "name": "Riverside Centre",
            "setting": kit.setting.pk,
            "step_free_access": "yes",
            "hearing_loop": "no",
            "quiet_room": "unknown",
            "parking": "Free car park",
            "cost": "£80 a day",
            "provided_by": "Youth trust",
        },
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Riverside Centre")
    listed = text(client.get(url("venue-list")))
    assert "Riverside Centre" in listed and "Free car park" in listed and "Schools" in listed

    form = client.get(url("session-create"))
    assert form.status_code == 200 and "Foundation day" in text(form)
    response = client.post(
        url("session-create"),
        {
            "course": kit.course.pk,
            "title": "Foundation for Riverside",
            "format": "in_person",
            "venue": venue.pk,
            "capacity": "18",
            "planned_breaks": "Lunch 12:30 to 13:15",
            "audience_sectors": ["education"],
            **day_fields(date(2027, 7, 1)),
            "starts": "9:30",
            "ends": "4:30pm",
        },
    )
    session = Session.objects.get(title="Foundation for Riverside")
    assert response.status_code == 302
    assert response["Location"] == url("session-detail", session_id=session.pk)
    assert session.status == SessionStatus.DRAFT and session.course_version.number == 2
    assert session.parts.get().starts_at.isoformat() == "2027-07-01T08:30:00+00:00"

    response = client.post(
        url("session-part-create", session_id=session.pk),
        {**day_fields(date(2027, 7, 8)), "starts": "09:30", "ends": "12:30"},
    )
    assert response.status_code == 302 and session.parts.count() == 2
    response = client.post(
        url("session-trainer-add", session_id=session.pk), {"trainer": kit.tess.pk}
    )
    assert response.status_code == 302
    assert client.post(url("session-publish", session_id=session.pk)).status_code == 302
    assert client.post(url("session-confirm", session_id=session.pk)).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED and session.confirmed_at

    page = text(client.get(url("session-detail", session_id=session.pk)))
    for expected in (
        "Foundation for Riverside",
        "1 July 2027, 09:30 to 16:30",
        "8 July 2027, 09:30 to 12:30",
        "Riverside Centre",
        "Step-free access",
        "Free car park",
        "Lunch 12:30 to 13:15",
        "Tess",
        "18 places left of 18",
        "Open for booking, trainers confirmed",
        "7 days before",
    ):
        assert expected in page, expected
    listed = text(client.get(url("session-list")))
    assert "Foundation for Riverside" in listed and "18" in listed


def test_a_time_that_does_not_exist_is_refused_on_the_page(world_a: World) -> None:
    kit = Kit(world_a)
    client = signed_in_client(kit.lead)
    response = client.post(
        url("session-create"),
        {
            "course": kit.course.pk,
            "format": "in_person",
            "venue": kit.hall.pk,
            "capacity": "10",
            **day_fields(date(2026, 3, 29)),
            "starts": "01:30",
            "ends": "03:00",
        },
    )
    assert response.status_code == 400
    assert "01:30 on 29 March 2026 does not exist in the UK" in text(response)
    assert not Session.objects.exists()


def test_an_ambiguous_autumn_time_is_explained(world_a: World) -> None:
    kit = Kit(world_a)
    session = kit.session()
    client = signed_in_client(kit.lead)
    response = client.post(
        url("session-part-create", session_id=session.pk),
        {**day_fields(date(2026, 10, 25)), "starts": "01:30", "ends": "03:00"},
        follow=True,
    )
    assert "happens twice in the UK" in text(response)
    assert "British Summer Time" in text(response)


def test_clashes_and_clearances_are_refused_with_names(world_a: World) -> None:
    kit = Kit(world_a)
    first = kit.session(title="Morning for schools")
    services.trainer_add(session=first, trainer=kit.omar, by=kit.lead)
    second = kit.session(venue=kit.school)
    client = signed_in_client(kit.lead)
    response = client.post(
        url("session-trainer-add", session_id=second.pk), {"trainer": kit.omar.pk}
    )
    assert response.status_code == 400
    assert "Omar already teaches “Morning for schools”" in text(response)

    third = kit.session([part(FUTURE + timedelta(days=1))], venue=kit.school)
    services.trainer_add(session=third, trainer=kit.omar, by=kit.lead)
    page = text(client.get(url("session-detail", session_id=third.pk)))
    assert "At risk" in page and "Omar" in page
    response = client.post(url("session-confirm", session_id=third.pk))
    assert response.status_code == 400
    assert "Omar's Enhanced DBS check" in text(response) or "Omar" in text(response)
    third.refresh_from_db()
    assert third.confirmed_at is None


def test_only_trainers_managers_and_booked_people_see_the_link(world_a: World) -> None:
    kit = Kit(world_a)
    session = kit.session(format="virtual", online_link="https://meet.example/secret-room")
    services.trainer_account_set(
        trainer=kit.tess, membership=world_a.members[Role.TRAINER], by=kit.lead
    )
    services.trainer_add(session=session, trainer=kit.tess, by=kit.lead)
    page = url("session-detail", session_id=session.pk)
    secret = "secret-room"
    assert secret in text(signed_in_client(kit.lead).get(page))
    assert secret in text(signed_in_client(world_a.user(Role.TRAINER)).get(page))
    practitioner = world_a.members[Role.PRACTITIONER]
    assert secret not in text(signed_in_client(practitioner.user).get(page))
    Booking.objects.create(
        partnership=world_a.partnership,
        session=session,
        membership=practitioner,
        status=BookingStatus.BOOKED,
    )
    assert secret in text(signed_in_client(practitioner.user).get(page))
    teaching = text(signed_in_client(world_a.user(Role.TRAINER)).get(url("sessions-teaching")))
    assert "Foundation day" in teaching


def test_cancelling_needs_a_reason_and_is_shown(world_a: World) -> None:
    kit = Kit(world_a)
    session = kit.session()
    services.session_publish(session=session, by=kit.lead)
    client = signed_in_client(kit.lead)
    cancel = url("session-cancel", session_id=session.pk)
    assert client.post(cancel, {"reason": ""}).status_code == 400
    response = client.post(
        url("session-cancel", session_id=session.pk), {"reason": "The venue flooded"}, follow=True
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    assert "This session was cancelled: The venue flooded" in text(response)


def test_the_list_filters_by_course_format_and_time(world_a: World) -> None:
    kit = Kit(world_a)
    kit.session(title="Soon in person")
    kit.session(title="Soon online", format="virtual", online_link="https://meet.example/a")
    kit.session([part(date.today() - timedelta(days=5))], title="Gone by")
    client = signed_in_client(world_a.user(Role.PRACTITIONER))
    upcoming = text(client.get(url("session-list")))
    assert "Soon in person" in upcoming and "Soon online" in upcoming and "Gone by" not in upcoming
    online = text(client.get(url("session-list") + "?format=virtual"))
    assert "Soon online" in online and "Soon in person" not in online
    past = text(client.get(url("session-list") + "?when=past"))
    assert "Gone by" in past and "Soon online" not in past
    assert "Add a session" not in upcoming  # practitioners do not manage sessions
    other = text(client.get(url("session-list") + f"?course={kit.course.pk + 999}"))
    assert "No upcoming sessions match" in other


def test_a_trainer_is_linked_to_a_members_account(world_a: World) -> None:
    kit = Kit(world_a)
    client = signed_in_client(kit.lead)
    member = world_a.members[Role.TRAINER]
    page = client.get(url("trainer-account", trainer_id=kit.tess.pk))
    assert page.status_code == 200 and member.user.email in text(page)
    account = url("trainer-account", trainer_id=kit.tess.pk)
    response = client.post(account, {"membership": member.pk})
    assert response.status_code == 302
    kit.tess.refresh_from_db()
    assert kit.tess.membership == member


def test_another_partnerships_sessions_answer_404(world_a: World, world_b: World) -> None:
    kit = Kit(world_b)
    session = kit.session()
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    assert client.get(url("session-detail", session_id=session.pk)).status_code == 404
    assert client.get(url("venue-edit", venue_id=kit.hall.pk)).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_the_api_lists_gets_and_adds_sessions_with_london_offsets(world_a: World) -> None:
    kit = Kit(world_a)
    winter = kit.session([part(date(2027, 1, 12), "09:30", "12:00")], title="Winter")
    kit.session(
        [part(date(2027, 7, 1), "09:30", "12:00")],
        title="Summer",
        format="virtual",
        online_link="https://meet.example/summer",
    )
    lead_key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    listed = call("get", "/api/training/sessions", lead_key)
    assert listed.status_code == 200
    body = {s["title"]: s for s in listed.json()}
    assert body["Winter"]["parts"][0]["starts_at"] == "2027-01-12T09:30:00+00:00"
    assert body["Summer"]["parts"][0]["starts_at"] == "2027-07-01T09:30:00+01:00"
    assert body["Summer"]["online_link"] == "https://meet.example/summer"
    assert body["Winter"]["places_left"] == 20

    practitioner_key = token_for(world_a.members[Role.PRACTITIONER])
    seen = {s["title"]: s for s in call("get", "/api/training/sessions", practitioner_key).json()}
    assert seen["Summer"]["online_link"] is None

    services.trainer_add(session=winter, trainer=kit.tess, by=kit.lead)
    one = call("get", f"/api/training/sessions/{winter.pk}", lead_key)
    assert one.status_code == 200 and one.json()["trainers"][0]["name"] == "Tess"

    created = call(
        "post",
        "/api/training/sessions",
        lead_key,
        {
            "course": kit.course.pk,
            "version": 1,
            "format": "hybrid",
            "venue": kit.hall.pk,
            "online_link": "https://meet.example/hybrid",
            "capacity": 30,
            "parts": [{"date": "2027-07-02", "starts": "13:00", "ends": "15:00"}],
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft" and created.json()["course_version"] == 1
    assert created.json()["parts"][0]["starts_at"] == "2027-07-02T13:00:00+01:00"

    refused = call(
        "post",
        "/api/training/sessions",
        lead_key,
        {
            "course": kit.course.pk,
            "format": "virtual",
            "online_link": "https://meet.example/x",
            "capacity": 3,
            "parts": [{"date": "2026-03-29", "starts": "01:15", "ends": "03:00"}],
        },
    )
    assert "01:15 on 29 March 2026 does not exist" in str(assert_json_error(refused, 422))
    assert_json_error(
        call(
            "post",
            "/api/training/sessions",
            practitioner_key,
            {
                "course": kit.course.pk,
                "format": "virtual",
                "online_link": "https://m.example",
                "capacity": 3,
                "parts": [{"date": "2027-07-02", "starts": "13:00", "ends": "15:00"}],
            },
        ),
        403,
    )


def test_the_api_keeps_to_the_partnership(world_a: World, world_b: World) -> None:
    theirs = Kit(world_b).session()
    key = token_for(world_a.members[Role.PROGRAMME_LEAD])
    assert_json_error(call("get", f"/api/training/sessions/{theirs.pk}", key), 404)
    assert call("get", "/api/training/sessions", key).json() == []
    mine = Kit(world_a)
    response = call(
        "post",
        "/api/training/sessions",
        key,
        {
            "course": mine.course.pk,
            "format": "in_person",
            "venue": Venue.objects.get(partnership=world_b.partnership, name="Town hall").pk,
            "capacity": 3,
            "parts": [{"date": "2027-07-02", "starts": "13:00", "ends": "15:00"}],
        },
    )
    assert_json_error(response, 404)
