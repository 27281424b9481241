"""Registers, certificates and training records: who may take a register, a register saved whole
or not at all, certificates issued and revoked with it, the manager told once of a no-show, the
rates page on known data, the public check that never names anyone, the PDF, the records and
their CSV, and the API."""

from __future__ import annotations

import datetime
import io
import json
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.conftest import World, signed_in_client
from tests.factories import MembershipFactory
from tip.core import services as core_services
from tip.core.models import AuditEntry, Membership
from tip.core.roles import Role
from tip.training import selectors_attendance as selectors
from tip.training import services_attendance as services
from tip.training import services_courses
from tip.training.models_bookings import Attendance, Booking
from tip.training.models_delivery import Certificate
from tip.training.models_providers import Provider, Trainer
from tip.training.models_sessions import Session, SessionPart, SessionTrainer

NOW = timezone.now()
LONDON = zoneinfo.ZoneInfo("Europe/London")


def make_session(
    world: World,
    *,
    days_ago: int = 10,
    hours: int = 6,
    fmt: str = "in_person",
    name: str = "Foundation day",
    people: list[Membership] | None = None,
) -> Session:
    """A session that started `days_ago` days ago (negative: in the future), taught by a trainer
    linked to the world's trainer account, with `people` booked (default: practitioner and
    champion)."""
    lead = world.user(Role.PROGRAMME_LEAD)
    p = world.partnership
    course = services_courses.course_create(partnership=p, name=name, hours=hours, by=lead)
    provider, _ = Provider.objects.get_or_create(
        partnership=p, name="Provider", defaults={"kind": "in_house"}
    )
    trainer, _ = Trainer.objects.get_or_create(
        partnership=p,
        provider=provider,
        name="Tess Trainer",
        defaults={"membership": world.members[Role.TRAINER]},
    )
    session = Session.objects.create(
        partnership=p,
        course=course,
        course_version=course.versions.get(),
        format=fmt,
        capacity=20,
        status="published",
    )
    start = NOW - datetime.timedelta(days=days_ago)
    if days_ago >= 1:
        # At 09:00 UK time that day, so its seven hours end the same day whenever the tests run
        # (started late in the evening, a session would end the next day and move every date
        # worked out from its last day).
        day = start.astimezone(LONDON).date()
        start = datetime.datetime.combine(day, datetime.time(9), tzinfo=LONDON)
    SessionPart.objects.create(
        partnership=p, session=session, starts_at=start, ends_at=start + datetime.timedelta(hours=7)
    )
    SessionTrainer.objects.create(partnership=p, session=session, trainer=trainer)
    for member in people or [world.members[Role.PRACTITIONER], world.members[Role.CHAMPION]]:
        Booking.objects.create(partnership=p, session=session, membership=member, status="booked")
    return selectors.session_for_register(partnership=p, session_id=session.pk)


def marks_for(session: Session, *marks: str) -> dict[int, services.MarkInput]:
    rows = selectors.register_rows(session=session)
    return {r.booking.pk: services.MarkInput(m) for r, m in zip(rows, marks, strict=True)}


def booking_of(session: Session, member: Membership) -> Booking:
    return Booking.objects.get(session=session, membership=member)


# --- Who may take a register ---------------------------------------------------------------------


def test_the_sessions_trainer_and_managers_open_the_register_others_do_not(
    world_a: World, world_b: World
) -> None:
    session = make_session(world_a)
    url = f"/training/registers/{session.pk}/"
    for role in (Role.TRAINER, Role.PROGRAMME_LEAD, Role.PARTNERSHIP_ADMIN):
        response = signed_in_client(world_a.user(role)).get(url)
        assert response.status_code == 200, role
        assert b"Champion" in response.content
    # A trainer who does not teach it: as if it did not exist.
    other = MembershipFactory(partnership=world_a.partnership, roles=[Role.TRAINER])
    assert signed_in_client(other.user).get(url).status_code == 404
    for role in (Role.PRACTITIONER, Role.EVALUATOR, Role.CHAMPION, Role.AUDITOR):
        assert signed_in_client(world_a.user(role)).get(url).status_code == 403
    # Another partnership's register.
    b_session = make_session(world_b)
    client = signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))
    assert client.get(f"/training/registers/{b_session.pk}/").status_code == 404


def test_opening_the_register_is_audited(world_a: World) -> None:
    session = make_session(world_a)
    trainer = world_a.user(Role.TRAINER)
    signed_in_client(trainer).get(f"/training/registers/{session.pk}/")
    entry = AuditEntry.objects.filter(actor=trainer, action="view").latest("at")
    assert entry.purpose == "Training: taking a session's attendance register"
    assert entry.object_id == str(session.pk)


def test_the_register_lists_the_booked_and_late_cancellations_only(world_a: World) -> None:
    people = [world_a.members[r] for r in (Role.PRACTITIONER, Role.CHAMPION, Role.EVALUATOR)]
    session = make_session(world_a, people=people)
    start = selectors.session_starts_at(session)
    assert start is not None
    late = booking_of(session, world_a.members[Role.CHAMPION])
    late.status, late.cancelled_at = "cancelled", start - datetime.timedelta(hours=3)
    late.save()
    early = booking_of(session, world_a.members[Role.EVALUATOR])
    early.status, early.cancelled_at = "cancelled", start - datetime.timedelta(days=5)
    early.save()
    rows = selectors.register_rows(session=session)
    assert [(r.name, r.cancelled_late, r.suggested) for r in rows] == [
        ("Alpha Champion", True, "late_cancel"),
        ("Alpha Practitioner", False, ""),
    ]


# --- Saving: all or nothing ----------------------------------------------------------------------


def test_a_register_missing_a_mark_saves_nothing(world_a: World) -> None:
    session = make_session(world_a)
    rows = selectors.register_rows(session=session)
    trainer = world_a.user(Role.TRAINER)
    with pytest.raises(Exception) as refused:
        services.register_save(
            session=session, marks={rows[0].booking.pk: services.MarkInput("attended")}, by=trainer
        )
    assert "Choose whether Alpha Practitioner attended" in str(refused.value)
    assert not Attendance.objects.exists() and not Certificate.objects.exists()

    # Through the page: the form says so, and nothing is saved either.
    client = signed_in_client(trainer)
    body = {f"mark-{rows[0].booking.pk}": "attended", f"mark-{rows[1].booking.pk}": ""}
    response = client.post(f"/training/registers/{session.pk}/", body)
    assert response.status_code == 400
    assert "Choose whether Alpha Practitioner attended" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_bad_mark_or_another_sessions_booking_saves_nothing(world_a: World) -> None:
    session = make_session(world_a)
    other = make_session(world_a, name="Another course")
    marks = marks_for(session, "attended", "attended")
    stranger = selectors.register_rows(session=other)[0].booking.pk
    trainer = world_a.user(Role.TRAINER)
    with pytest.raises(Exception, match="not on this session's register"):
        services.register_save(
            session=session, marks=marks | {stranger: services.MarkInput("attended")}, by=trainer
        )
    first = next(iter(marks))
    with pytest.raises(Exception, match="Choose one of the marks"):
        services.register_save(
            session=session, marks=marks | {first: services.MarkInput("asleep")}, by=trainer
        )
    assert not Attendance.objects.exists() and not Certificate.objects.exists()


def test_a_register_is_refused_before_the_session_starts(world_a: World) -> None:
    session = make_session(world_a, days_ago=-3)
    with pytest.raises(Exception, match="once the session has started"):
        services.register_save(
            session=session,
            marks=marks_for(session, "attended", "attended"),
            by=world_a.user(Role.TRAINER),
        )
    response = signed_in_client(world_a.user(Role.TRAINER)).get(
        f"/training/registers/{session.pk}/"
    )
    assert b"once the session has started" in response.content
    assert not Attendance.objects.exists()


def test_saving_the_register_marks_everyone_and_issues_certificates(world_a: World) -> None:
    session = make_session(world_a)
    rows = selectors.register_rows(session=session)
    client = signed_in_client(world_a.user(Role.TRAINER))
    body = {
        f"mark-{rows[0].booking.pk}": "partly",
        f"note-{rows[0].booking.pk}": "Left at lunch",
        f"mark-{rows[1].booking.pk}": "attended",
    }
    response = client.post(f"/training/registers/{session.pk}/", body, follow=True)
    assert response.status_code == 200
    assert "Register saved: 2 people marked. 1 certificate issued." in response.content.decode()
    champion, practitioner = rows[0].booking, rows[1].booking
    assert Attendance.objects.get(booking=champion).note == "Left at lunch"
    # Partly attended earns no certificate; attended does, with the course's hours.
    assert not Certificate.objects.filter(booking=champion).exists()
    certificate = Certificate.objects.get(booking=practitioner)
    assert certificate.hours == 6
    assert len(certificate.code) >= 16 and certificate.code[0].isalnum()
    assert (
        AuditEntry.objects.filter(object_type="training.Attendance", action="create").count() == 2
    )
    assert AuditEntry.objects.filter(object_type="training.Certificate", action="create").exists()


def test_changing_a_mark_revokes_and_reinstates_the_certificate(world_a: World) -> None:
    session = make_session(world_a)
    trainer = world_a.user(Role.TRAINER)
    services.register_save(
        session=session, marks=marks_for(session, "attended", "attended"), by=trainer
    )
    first = Certificate.objects.order_by("pk").first()
    assert first is not None and Certificate.objects.count() == 2
    services.register_save(
        session=session, marks=marks_for(session, "no_show", "attended"), by=trainer
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    services.register_save(
        session=session, marks=marks_for(session, "attended", "attended"), by=trainer
    )
    first.refresh_from_db()
    assert first.revoked_at is None
    assert Certificate.objects.count() == 2  # one per booking, its code unchanged


def test_certificate_hours_never_exceed_the_session(world_a: World) -> None:
    session = make_session(world_a, hours=6)
    part = SessionPart.objects.get(session=session)
    SessionPart.objects.filter(pk=part.pk).update(
        ends_at=part.starts_at + datetime.timedelta(hours=3)
    )
    session = selectors.session_for_register(partnership=world_a.partnership, session_id=session.pk)
    services.register_save(
        session=session,
        marks=marks_for(session, "attended", "attended"),
        by=world_a.user(Role.TRAINER),
    )
    assert {c.hours for c in Certificate.objects.all()} == {3}


def test_the_manager_is_told_once_of_a_no_show(
    world_a: World, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(world_a)
    practitioner = booking_of(session, world_a.members[Role.PRACTITIONER])
    practitioner.notify_manager, practitioner.manager_email = True, "manager@alpha.example"
    practitioner.save()
    champion = booking_of(session, world_a.members[Role.CHAMPION])
    trainer = world_a.user(Role.TRAINER)
    mail.outbox.clear()
    marks = {
        practitioner.pk: services.MarkInput("no_show"),
        champion.pk: services.MarkInput("no_show"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        saved = services.register_save(session=session, marks=marks, by=trainer)
    assert saved.managers_told == 1
    told = [m for m in mail.outbox if "manager@alpha.example" in m.to]
    assert len(told) == 1 and "Alpha Practitioner" in told[0].subject
    assert Attendance.objects.get(booking=practitioner).manager_notified_at is not None
    # Saved again (and even changed and changed back): not told twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.register_save(
            session=session,
            marks=marks | {practitioner.pk: services.MarkInput("attended")},
            by=trainer,
        )
        services.register_save(session=session, marks=marks, by=trainer)
    assert len([m for m in mail.outbox if "manager@alpha.example" in m.to]) == 1


# --- Rates ---------------------------------------------------------------------------------------


def test_the_rates_page_on_known_data(world_a: World) -> None:
    people = [
        world_a.members[r] for r in (Role.PRACTITIONER, Role.CHAMPION, Role.EVALUATOR, Role.AUDITOR)
    ]
    virtual = make_session(world_a, fmt="virtual", people=people)
    start = selectors.session_starts_at(virtual)
    assert start is not None
    released = booking_of(virtual, world_a.members[Role.AUDITOR])
    released.status = "released"
    released.save()
    services.register_save(
        session=virtual,
        marks=marks_for(virtual, "attended", "no_show", "attended"),
        by=world_a.user(Role.TRAINER),
    )
    # A future session's bookings are not counted yet.
    make_session(world_a, days_ago=-5, name="Later course")
    client = signed_in_client(world_a.user(Role.EVALUATOR))
    response = client.get("/training/attendance/rates/")
    assert response.status_code == 200
    text = response.content.decode()
    # 4 bookings made, 3 held at the session: 1 no-show (33.3%), 2 dropped out (50.0%).
    assert "33.3%" in text and "50.0%" in text
    assert "Virtual" in text and "Alpha Police" in text
    assert (
        signed_in_client(world_a.user(Role.PRACTITIONER))
        .get("/training/attendance/rates/")
        .status_code
        == 403
    )


def test_rate_tallies_count_late_cancellations_from_the_booking(world_a: World) -> None:
    session = make_session(world_a)
    start = selectors.session_starts_at(session)
    assert start is not None
    late = booking_of(session, world_a.members[Role.CHAMPION])
    late.status, late.cancelled_at = "cancelled", start - datetime.timedelta(hours=2)
    late.save()
    outcomes = {t.outcome: t.count for t in selectors.rate_tallies(partnership=world_a.partnership)}
    assert outcomes == {"late_cancel": 1, "unmarked": 1}


# --- Certificates: the PDF and the public check --------------------------------------------------


def _certified(world: World) -> tuple[Session, Certificate]:
    session = make_session(world, name="Trauma-informed foundation day")
    services.register_save(
        session=session, marks=marks_for(session, "partly", "attended"), by=world.user(Role.TRAINER)
    )
    certificate = Certificate.objects.get()
    return session, certificate


def test_the_public_check_says_genuine_with_only_course_date_and_hours(world_a: World) -> None:
    _session, certificate = _certified(world_a)
    client = Client()  # signed out
    response = client.get("/training/certificates/check/", {"code": certificate.code})
    assert response.status_code == 200
    text = response.content.decode()
    assert "This certificate is genuine" in text
    assert "Trauma-informed foundation day" in text and "6 hours" in text
    for secret in Membership.objects.values_list("user__full_name", "user__email"):
        for value in secret:
            assert value not in text
    assert world_a.partnership.name not in text
    assert "Alpha Police" not in text
    assert response["Cache-Control"] == "no-store"


def test_the_public_check_says_not_found_and_no_longer_valid(world_a: World) -> None:
    _session, certificate = _certified(world_a)
    client = Client()
    other = ("B" if certificate.code[0] == "A" else "A") + certificate.code[1:]
    missing = client.get("/training/certificates/check/", {"code": other})
    assert missing.status_code == 200
    assert "No certificate has this code" in missing.content.decode()
    assert "Trauma-informed foundation day" not in missing.content.decode()
    empty = client.get("/training/certificates/check/", {"code": ""})
    assert empty.status_code == 400
    assert "Enter the code printed on the certificate" in empty.content.decode()
    certificate.revoked_at = timezone.now()
    certificate.save()
    revoked = client.get("/training/certificates/check/", {"code": certificate.code})
    assert "This certificate is no longer valid" in revoked.content.decode()
    assert "Trauma-informed foundation day" not in revoked.content.decode()
    # The bare page: just the form.
    assert client.get("/training/certificates/check/").status_code == 200


def test_found_and_not_found_take_the_same_one_query(
    world_a: World, django_assert_num_queries: Any
) -> None:
    _session, certificate = _certified(world_a)
    with django_assert_num_queries(1):
        assert selectors.certificate_check(code=certificate.code) is not None
    with django_assert_num_queries(1):
        assert selectors.certificate_check(code="nothing-like-it") is None
    with django_assert_num_queries(1):
        assert selectors.certificate_check(code="x" * 500) is None


def test_the_holder_and_managers_download_the_pdf_others_do_not(world_a: World) -> None:
    _session, certificate = _certified(world_a)
    url = f"/training/certificates/{certificate.pk}/"
    holder = certificate.booking.membership.user
    response = signed_in_client(holder).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert not AuditEntry.objects.filter(
        action="export", object_type="training.Certificate"
    ).exists()
    lead = world_a.user(Role.PROGRAMME_LEAD)
    assert signed_in_client(lead).get(url).status_code == 200
    entry = AuditEntry.objects.get(action="export", object_type="training.Certificate")
    assert entry.actor == lead and entry.purpose
    assert signed_in_client(world_a.user(Role.EVALUATOR)).get(url).status_code == 404


def test_the_pdf_shows_name_course_date_hours_partnership_and_code(world_a: World) -> None:
    from pypdf import PdfReader

    _session, certificate = _certified(world_a)
    pdf = services.certificate_download(
        certificate=certificate, by=certificate.booking.membership.user
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    for expected in (
        "Alpha Practitioner",
        "Trauma-informed foundation day",
        "6 hours",
        world_a.partnership.name,
        certificate.code,
        "/training/certificates/check/",
    ):
        assert expected in text, expected


# --- Training records ----------------------------------------------------------------------------


def test_my_training_record_and_its_csv(world_a: World) -> None:
    _session, certificate = _certified(world_a)
    practitioner = world_a.user(Role.PRACTITIONER)
    client = signed_in_client(practitioner)
    page = client.get("/training/my-record/").content.decode()
    assert "My training record" in page and "Trauma-informed foundation day" in page
    assert f"/training/certificates/{certificate.pk}/" in page
    champion_page = signed_in_client(world_a.user(Role.CHAMPION)).get("/training/my-record/")
    assert "None: partly attended" in champion_page.content.decode()
    response = client.get("/training/my-record/csv/")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("course,version,session,starts")
    assert certificate.code in lines[1] and ",attended,6.00," in lines[1]


def test_csv_cells_are_safe_from_formulas(world_a: World) -> None:
    session = make_session(world_a, name='=HYPERLINK("http://evil.example")')
    services.register_save(
        session=session,
        marks=marks_for(session, "attended", "attended"),
        by=world_a.user(Role.TRAINER),
    )
    record = selectors.training_record(membership=world_a.members[Role.PRACTITIONER])
    text = services.record_csv(record).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_managers_see_a_persons_record_audited(world_a: World) -> None:
    _certified(world_a)
    lead = world_a.user(Role.PROGRAMME_LEAD)
    member = world_a.members[Role.PRACTITIONER]
    client = signed_in_client(lead)
    listing = client.get("/training/records/").content.decode()
    assert "Alpha Practitioner" in listing and "Alpha Champion" in listing
    page = client.get(f"/training/records/{member.pk}/").content.decode()
    assert "Training record: Alpha Practitioner" in page
    csv_response = client.get(f"/training/records/{member.pk}/csv/")
    assert csv_response.status_code == 200
    purposes = set(AuditEntry.objects.filter(actor=lead).values_list("purpose", flat=True))
    assert {
        "Training: people's training records",
        "Training: a person's record of training",
        "Training: exporting a person's record of training",
    } <= purposes
    assert (
        signed_in_client(world_a.user(Role.PRACTITIONER))
        .get(f"/training/records/{member.pk}/")
        .status_code
        == 403
    )


# --- API -----------------------------------------------------------------------------------------


def _token(member: Membership) -> dict[str, str]:
    _token, key = core_services.api_token_create(membership=member, name="script", by=member.user)
    return {"Authorization": f"Bearer {key}"}


def test_the_api_reads_and_saves_a_register_whole(world_a: World) -> None:
    session = make_session(world_a)
    headers = _token(world_a.members[Role.TRAINER])
    client = Client()
    got = client.get(f"/api/training/registers/{session.pk}", headers=headers)
    assert got.status_code == 200
    rows = got.json()["rows"]
    assert [r["participant"] for r in rows] == ["Alpha Champion", "Alpha Practitioner"]
    assert all(r["mark"] is None for r in rows)
    half = {"marks": [{"booking": rows[0]["booking"], "mark": "attended"}]}
    refused = client.put(
        f"/api/training/registers/{session.pk}",
        json.dumps(half),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 422
    assert "Choose whether Alpha Practitioner attended" in refused.json()["detail"]
    assert not Attendance.objects.exists()
    whole = {"marks": [{"booking": r["booking"], "mark": "attended"} for r in rows]}
    saved = client.put(
        f"/api/training/registers/{session.pk}",
        json.dumps(whole),
        content_type="application/json",
        headers=headers,
    )
    assert saved.status_code == 200
    assert {r["mark"] for r in saved.json()["rows"]} == {"attended"}
    assert Certificate.objects.count() == 2
    assert AuditEntry.objects.filter(via="api", object_type="training.Attendance").count() == 2

    record = client.get(
        "/api/training/my-record", headers=_token(world_a.members[Role.PRACTITIONER])
    )
    assert record.status_code == 200
    body = record.json()
    assert body["sessions_attended"] == 1 and body["certified_hours"] == 6.0
    assert body["entries"][0]["certificate_valid"] is True
