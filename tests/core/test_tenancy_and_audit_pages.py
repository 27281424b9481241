"""Switching partnership, the auditor's search and export, the admin's audit trail, and email
through the database-backed worker."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import World, signed_in_client
from tests.factories import MembershipFactory
from tip.core import services
from tip.core.models import AuditAction, AuditEntry, User
from tip.core.roles import Role
from tip.core.tasks import send_email


def test_a_person_in_two_partnerships_switches_and_sees_only_the_current_one(
    world_a: World, world_b: World, client_for
) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    MembershipFactory(
        partnership=world_b.partnership,
        organisation=world_b.organisations[0],
        user=lead,
        roles=[Role.PRACTITIONER],
    )
    client = client_for(lead)
    a_org, b_org = world_a.organisations[0], world_b.organisations[0]

    assert client.get(f"/organisations/{a_org.pk}/").status_code == 200
    assert client.get(f"/organisations/{b_org.pk}/").status_code == 404

    response = client.post("/partnership/switch/", {"partnership": world_b.partnership.pk})
    assert response.status_code == 302
    assert client.get(f"/organisations/{b_org.pk}/").status_code == 200
    assert client.get(f"/organisations/{a_org.pk}/").status_code == 404
    # As a practitioner in B, the people directory is not theirs to see.
    assert client.get("/people/").status_code == 403


def test_switching_to_a_partnership_you_are_not_in_is_not_found(
    world_a: World, world_b: World, client_for
) -> None:
    client = client_for(world_a.user(Role.PARTNERSHIP_ADMIN))
    response = client.post("/partnership/switch/", {"partnership": world_b.partnership.pk})
    assert response.status_code == 404
    response = client.post("/partnership/switch/", {"partnership": "not-a-number"})
    assert response.status_code == 404
    assert client.get("/dashboard/").context["current_partnership"] == world_a.partnership


def _entries(world: World) -> None:
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    services.organisation_create(
        partnership=world.partnership, name="=HYPERLINK(evil)", sector="other", by=admin
    )
    services.organisation_create(
        partnership=world.partnership, name="Harbour Youth Club", sector="voluntary", by=admin
    )


def test_auditor_searches_the_log_of_their_partnership_only(
    world_a: World, world_b: World, client_for
) -> None:
    _entries(world_a)
    _entries(world_b)
    client = client_for(world_a.user(Role.AUDITOR))
    response = client.get("/audit/", {"text": "Harbour", "action": "create"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 1
    assert page[0].partnership_id == world_a.partnership.pk
    assert world_b.partnership.name.encode() not in response.content
    assert b"bravo" not in response.content.lower()


def test_audit_search_explains_bad_dates(world_a: World, client_for) -> None:
    client = client_for(world_a.user(Role.AUDITOR))
    response = client.get("/audit/", {"date_from": "31/2/2026"})
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"Enter a real date" in response.content
    response = client.get("/audit/", {"date_from": "2/3/2026", "date_to": "1/3/2026"})
    assert response.status_code == 400
    assert b"must be the same as or after" in response.content


def test_auditor_exports_csv_safely_and_the_export_is_audited(
    world_a: World, world_b: World, client_for
) -> None:
    _entries(world_a)
    _entries(world_b)
    auditor = world_a.user(Role.AUDITOR)
    client = client_for(auditor)
    response = client.get("/audit/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["time", "actor", "action"]
    names = [r[5] for r in rows[1:]]
    assert "Harbour Youth Club" in names
    # A cell that a spreadsheet would run as a formula is neutralised.
    assert "'=HYPERLINK(evil)" in names
    assert "=HYPERLINK(evil)" not in names
    assert not any("bravo" in r[1] for r in rows[1:])
    assert AuditEntry.objects.filter(
        actor=auditor, action=AuditAction.EXPORT, partnership=world_a.partnership
    ).exists()


def test_audit_entries_have_no_edit_or_delete_route(world_a: World, client_for) -> None:
    from django.urls import get_resolver

    names = [str(p.pattern) for p in get_resolver().url_patterns]
    client = client_for(world_a.user(Role.AUDITOR))
    assert client.post("/audit/", {"delete": "1"}).status_code in {200, 405}
    assert not any("audit" in n and ("edit" in n or "delete" in n) for n in names)


@pytest.mark.django_db
def test_admin_changes_are_audited(world_a: World) -> None:
    staff = User.objects.create_superuser("operator@example.org", "x" * 16, full_name="Operator")
    client = signed_in_client(staff)
    org = world_a.organisations[1]
    response = client.post(
        f"/admin/core/organisation/{org.pk}/change/",
        {"name": "Renamed by operator", "sector": org.sector, "partnership": org.partnership_id},
    )
    assert response.status_code == 302, response.content[:500]
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(org.pk), via="admin")
    assert entry.actor == staff
    assert entry.changed_fields == ["name"]
    # Opening a person's record in the admin is a view of personal data.
    member = world_a.members[Role.TRAINER]
    assert client.get(f"/admin/core/membership/{member.pk}/change/").status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_id=str(member.pk), via="admin"
    ).exists()
    # The audit log is read-only in the admin too.
    entry_url = f"/admin/core/auditentry/{entry.pk}/delete/"
    assert client.post(entry_url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_email_goes_through_the_database_worker() -> None:
    result = send_email.enqueue(subject="Hello", body="Body", to=["someone@example.org"])
    assert len(mail.outbox) == 0  # queued, not sent by the request
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox] == ["Hello"]


@pytest.mark.django_db
def test_admin_lists_of_people_are_audited_views(world_a: World) -> None:
    staff = User.objects.create_superuser("operator@example.org", "x" * 16, full_name="Operator")
    client = signed_in_client(staff)
    for url, label in [
        ("/admin/core/user/", "core.User"),
        ("/admin/core/membership/", "core.Membership"),
    ]:
        assert client.get(url).status_code == 200
        assert AuditEntry.objects.filter(
            action=AuditAction.VIEW, object_type=label, via="admin", actor=staff
        ).exists()


def test_without_a_choice_a_person_works_in_the_partnership_they_joined_first(
    world_a: World, world_b: World, client_for
) -> None:
    # The later membership sorts first by name; the first one joined still wins.
    world_b.partnership.name = "Aardvark Violence Reduction Partnership"
    world_b.partnership.save()
    lead = world_a.user(Role.PROGRAMME_LEAD)
    MembershipFactory(
        partnership=world_b.partnership,
        organisation=world_b.organisations[0],
        user=lead,
        roles=[Role.PRACTITIONER],
    )
    response = client_for(lead).get("/dashboard/")
    assert response.context["current_partnership"] == world_a.partnership
