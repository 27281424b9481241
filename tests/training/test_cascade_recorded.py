"""Recording, for a cascade trainer without a TIP account, that they were told of a new course
version and acknowledged it: how they were told and the day, checked (not in the future, not
before the version was made), audited, refused for trainers who acknowledge themselves, and shown
on the cascade pages and in the demo."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.training.test_cascade import Cascade, text
from tip.core.models import AuditAction, AuditEntry, Partnership
from tip.core.roles import Role
from tip.training import selectors_cascade as selectors
from tip.training import services_cascade as services
from tip.training import services_courses
from tip.training.models_courses import Course
from tip.training.models_delivery import VersionAcknowledgement
from tip.training.services_clearances import london_today

pytestmark = pytest.mark.django_db


def with_new_version(world: World) -> tuple[Cascade, VersionAcknowledgement]:
    """The standard cascade and a version 2; Rhys (no account) has still to acknowledge it."""
    c = Cascade(world)
    c.standard()
    v2 = services_courses.course_version_create(course=c.course, changes="New module", by=c.lead)
    return c, VersionAcknowledgement.objects.get(trainer=c.rhys, course_version=v2)


def record_url(ack: VersionAcknowledgement) -> str:
    return reverse("training:cascade-acknowledgement-record", args=[ack.pk])


def updates() -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=AuditAction.UPDATE, object_type="training.VersionAcknowledgement"
        )
    )


def test_a_lead_records_that_a_trainer_without_an_account_acknowledged(world_a: World) -> None:
    c, ack = with_new_version(world_a)
    assert selectors.course_cascade(course=c.course).by_trainer[c.rhys.pk].out_of_date
    today = london_today()
    done = services.acknowledgement_record(
        acknowledgement=ack, means="phone", told_on=today, by=c.lead
    )
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None and ack.acknowledged_on == today
    assert (ack.recorded_by, ack.recorded_means, ack.recorded_on) == (c.lead, "phone", today)
    assert done.pk == ack.pk
    [entry] = updates()
    assert entry.actor == c.lead and entry.partnership == world_a.partnership
    assert entry.changed_fields == sorted(
        ["acknowledged_at", "recorded_by", "recorded_means", "recorded_on"]
    )
    cascade = selectors.course_cascade(course=c.course)
    assert not cascade.by_trainer[c.rhys.pk].out_of_date
    assert [(a.trainer.name, a.recorded_means) for a in cascade.recorded] == [
        ("Rhys Morgan", "phone")
    ]


@pytest.mark.parametrize(
    ("means", "told_in_days", "field", "message"),
    [
        ("phone", 1, "recorded_on", "must be today or in the past"),
        ("phone", -1, "recorded_on", "must be on or after"),
        ("phone", None, "recorded_on", "Enter the date they were told and acknowledged"),
        ("carrier pigeon", 0, "recorded_means", "Choose how they were told"),
        ("", 0, "recorded_means", "Choose how they were told"),
    ],
)
def test_bad_input_is_refused_with_what_to_fix_and_nothing_saved(
    world_a: World, means: str, told_in_days: int | None, field: str, message: str
) -> None:
    c, ack = with_new_version(world_a)
    told_on = None if told_in_days is None else london_today() + timedelta(days=told_in_days)
    with pytest.raises(ValidationError) as refused:
        services.acknowledgement_record(
            acknowledgement=ack, means=means, told_on=told_on, by=c.lead
        )
    assert message in refused.value.message_dict[field][0]
    ack.refresh_from_db()
    assert ack.acknowledged_at is None and ack.recorded_means == "" and ack.recorded_on is None
    assert not updates()


def test_the_version_must_exist_on_the_day_recorded(world_a: World) -> None:
    c, ack = with_new_version(world_a)
    made = london_today() - timedelta(days=10)
    ack.course_version.__class__.objects.filter(pk=ack.course_version_id).update(
        created_at=ack.course_version.created_at - timedelta(days=10)
    )
    ack.refresh_from_db()
    with pytest.raises(ValidationError, match=made.strftime("%-d %B %Y")):
        services.acknowledgement_record(
            acknowledgement=ack, means="email", told_on=made - timedelta(days=1), by=c.lead
        )
    services.acknowledgement_record(acknowledgement=ack, means="email", told_on=made, by=c.lead)


def test_trainers_with_an_account_and_acknowledged_versions_are_refused(world_a: World) -> None:
    c, ack = with_new_version(world_a)
    amaras = VersionAcknowledgement.objects.get(trainer=c.amara, course_version=ack.course_version)
    with pytest.raises(ValidationError, match="has a TIP account"):
        services.acknowledgement_record(
            acknowledgement=amaras, means="email", told_on=london_today(), by=c.lead
        )
    amaras.refresh_from_db()
    assert amaras.acknowledged_at is None and amaras.recorded_means == ""
    services.acknowledgement_record(
        acknowledgement=ack, means="in_person", told_on=london_today(), by=c.lead
    )
    with pytest.raises(ValidationError, match="already acknowledged version 2"):
        services.acknowledgement_record(
            acknowledgement=ack, means="phone", told_on=london_today(), by=c.lead
        )
    ack.refresh_from_db()
    assert ack.recorded_means == "in_person"
    assert len(updates()) == 1


# --- The pages -----------------------------------------------------------------------------------


def test_the_cascade_page_links_to_the_form_which_records_it(world_a: World) -> None:
    c, ack = with_new_version(world_a)
    client = signed_in_client(c.lead)
    cascade_url = reverse("training:course-cascade", args=[c.course.pk])
    page = text(client.get(cascade_url))
    assert record_url(ack) in page
    form = client.get(record_url(ack))
    assert form.status_code == 200
    assert "Record that Rhys Morgan acknowledged version 2" in text(form)
    assert "New module" in text(form)  # what changed, to tell them
    viewed = AuditEntry.objects.filter(action=AuditAction.VIEW, actor=c.lead).latest("at")
    assert viewed.purpose.startswith("Training: recording that a trainer without an account")
    today = london_today()
    refused = client.post(
        record_url(ack),
        {
            "recorded_means": "phone",
            "recorded_on_day": today.day,
            "recorded_on_month": today.month,
            "recorded_on_year": today.year + 1,
        },
    )
    assert refused.status_code == 400
    assert "must be today or in the past" in text(refused)
    missing = client.post(record_url(ack), {})
    assert missing.status_code == 400
    assert "Choose how they were told" in text(missing)
    assert "Enter the date they were told and acknowledged" in text(missing)
    assert not updates()
    done = client.post(
        record_url(ack),
        {
            "recorded_means": "phone",
            "recorded_on_day": today.day,
            "recorded_on_month": today.month,
            "recorded_on_year": today.year,
        },
    )
    assert done.status_code == 302 and done["Location"].startswith(cascade_url)
    page = text(client.get(cascade_url))
    assert "Acknowledgements recorded for trainers without an account" in page
    assert "Phone" in page and world_a.user(Role.PROGRAMME_LEAD).full_name in page
    assert record_url(ack) not in page  # no longer waiting
    again = client.get(record_url(ack))
    assert "How they were told" in text(again) and '<form method="post"' not in text(again)


def test_a_trainer_with_an_account_is_pointed_to_their_own_page(world_a: World) -> None:
    c, ack = with_new_version(world_a)
    amaras = VersionAcknowledgement.objects.get(trainer=c.amara, course_version=ack.course_version)
    client = signed_in_client(c.lead)
    page = client.get(record_url(amaras))
    assert page.status_code == 200 and "has a TIP account" in text(page)
    today = london_today()
    refused = client.post(
        record_url(amaras),
        {
            "recorded_means": "email",
            "recorded_on_day": today.day,
            "recorded_on_month": today.month,
            "recorded_on_year": today.year,
        },
    )
    assert refused.status_code == 400 and "has a TIP account" in text(refused)
    amaras.refresh_from_db()
    assert amaras.acknowledged_at is None


def test_only_those_who_manage_training_and_only_their_partnerships(
    world_a: World, world_b: World
) -> None:
    _c, ack = with_new_version(world_a)
    for role in (Role.PRACTITIONER, Role.TRAINER, Role.CHAMPION, Role.EVALUATOR, Role.AUDITOR):
        client = signed_in_client(world_a.user(role))
        assert client.get(record_url(ack)).status_code == 403
        assert client.post(record_url(ack), {"recorded_means": "phone"}).status_code == 403
    _b, b_ack = with_new_version(world_b)
    lead = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    assert lead.get(record_url(b_ack)).status_code == 404
    today = london_today()
    body = {
        "recorded_means": "phone",
        "recorded_on_day": today.day,
        "recorded_on_month": today.month,
        "recorded_on_year": today.year,
    }
    assert lead.post(record_url(b_ack), body).status_code == 404
    b_ack.refresh_from_db()
    assert b_ack.acknowledged_at is None
    with pytest.raises(Http404):
        selectors.acknowledgement_get(partnership=world_a.partnership, acknowledgement_id=b_ack.pk)


def test_the_demo_records_two_acknowledgements_on_trainers_behalf() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    northshire = Partnership.objects.get(name="Northshire Violence Reduction Partnership")
    course = Course.objects.get(partnership=northshire, name__startswith="Trauma-informed practice")
    recorded = selectors.course_cascade(course=course).recorded
    assert {(a.trainer.name, a.recorded_means) for a in recorded} == {
        ("Dr Amara Okafor", "in_person"),
        ("Jade Thompson", "phone"),
    }
    assert all(a.recorded_by is not None for a in recorded)
