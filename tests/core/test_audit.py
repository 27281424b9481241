"""The audit service: it refuses changes nobody signed in made, and what it writes stays written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from tests.conftest import World
from tip.core.audit import AnonymousChangeError, audit_change, audit_event, audit_view
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_a_change_without_a_signed_in_person_is_refused(world_a: World, actor: object) -> None:
    org = world_a.organisations[0]
    with pytest.raises(AnonymousChangeError):
        audit_change(
            actor=actor, action=AuditAction.UPDATE, obj=org, partnership=world_a.partnership
        )
    with pytest.raises(AnonymousChangeError):
        audit_view(actor=actor, obj=org, partnership=world_a.partnership, purpose="Checking")
    assert not AuditEntry.objects.filter(object_id=str(org.pk)).exists()


def test_only_changes_are_recorded_as_changes_and_every_view_states_its_purpose(
    world_a: World,
) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    with pytest.raises(ValueError, match="not a change"):
        audit_change(actor=admin, action=AuditAction.VIEW, partnership=world_a.partnership)
    with pytest.raises(ValueError, match="purpose"):
        audit_view(actor=admin, obj=None, partnership=world_a.partnership, purpose="")
    with pytest.raises(ValueError, match="sign-in event"):
        audit_event(action=AuditAction.DELETE, actor=admin)


def test_a_change_records_who_what_where_and_which_fields(world_a: World) -> None:
    admin = world_a.user(Role.PARTNERSHIP_ADMIN)
    org = world_a.organisations[0]
    entry = audit_change(
        actor=admin,
        action=AuditAction.UPDATE,
        obj=org,
        partnership=world_a.partnership,
        changed_fields=["sector", "name"],
        via="api",
    )
    entry.refresh_from_db()
    assert entry.actor == admin
    assert entry.actor_email == admin.email
    assert entry.partnership == world_a.partnership
    assert (entry.action, entry.object_type) == (AuditAction.UPDATE, "core.Organisation")
    assert (entry.object_id, entry.object_repr) == (str(org.pk), org.name)
    # Names of the fields, sorted, never their values.
    assert entry.changed_fields == ["name", "sector"]
    assert entry.via == "api"
    assert entry.purpose == ""


def test_a_view_records_its_purpose(world_a: World) -> None:
    auditor = world_a.user(Role.AUDITOR)
    person = world_a.members[Role.TRAINER]
    entry = audit_view(
        actor=auditor, obj=person, partnership=world_a.partnership, purpose="x" * 300
    )
    assert entry.action == AuditAction.VIEW
    assert entry.object_type == "core.Membership"
    assert entry.object_id == str(person.pk)
    assert entry.purpose == "x" * 200
    listed = audit_view(
        actor=auditor,
        obj=None,
        object_type="core.Membership",
        partnership=world_a.partnership,
        purpose="Directory",
    )
    assert (listed.object_type, listed.object_id) == ("core.Membership", "")


def test_a_failed_sign_in_keeps_the_address_tried_without_an_actor(db: None) -> None:
    entry = audit_event(action=AuditAction.SIGN_IN_FAILED, actor=None, email="who@example.org")
    assert entry.actor is None
    assert entry.actor_email == "who@example.org"
    assert entry.object_id == ""


@pytest.fixture
def entry(world_a: World) -> AuditEntry:
    return audit_change(
        actor=world_a.user(Role.PARTNERSHIP_ADMIN),
        action=AuditAction.CREATE,
        obj=world_a.organisations[0],
        partnership=world_a.partnership,
        changed_fields=["name"],
    )


def test_an_entry_cannot_be_changed(entry: AuditEntry) -> None:
    entry.object_repr = "Something else"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="Something else")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().update(purpose="covered up")
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.object_repr != "Something else"
    assert fresh.purpose == ""


def test_an_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_people_and_partnerships_in_the_log_cannot_be_deleted_from_under_it(
    entry: AuditEntry,
) -> None:
    with pytest.raises(ProtectedError):
        entry.actor.delete()  # type: ignore[union-attr]
    with pytest.raises(ProtectedError):
        entry.partnership.delete()  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
