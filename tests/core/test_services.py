"""Services write what they change to the audit log; selectors never reach another partnership."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.conftest import World
from tip.core import selectors, services
from tip.core.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Organisation,
    User,
)
from tip.core.roles import Role


def _entries(world: World) -> list[tuple[str, str, str, list[str], str]]:
    return [
        (e.action, e.object_type, e.actor_email, e.changed_fields, e.via)
        for e in AuditEntry.objects.filter(partnership=world.partnership).order_by("id")
    ]


@pytest.fixture
def admin(world_a: World) -> User:
    return world_a.user(Role.PARTNERSHIP_ADMIN)


# --- Organisations -------------------------------------------------------------------------------


def test_organisation_create_update_and_delete_are_audited(world_a: World, admin: User) -> None:
    org = services.organisation_create(
        partnership=world_a.partnership, name="  Harbour Youth Club ", sector="voluntary", by=admin
    )
    assert org.name == "Harbour Youth Club"
    org_id = org.pk
    services.organisation_update(organisation=org, by=admin, via="api", sector="health")
    services.organisation_delete(organisation=org, by=admin)
    assert not Organisation.objects.filter(pk=org_id).exists()
    assert _entries(world_a) == [
        ("create", "core.Organisation", admin.email, ["name", "sector"], "web"),
        ("update", "core.Organisation", admin.email, ["sector"], "api"),
        ("delete", "core.Organisation", admin.email, [], "web"),
    ]
    assert {e.object_id for e in AuditEntry.objects.filter(partnership=world_a.partnership)} == {
        str(org_id)
    }


def test_an_update_that_changes_nothing_writes_nothing(world_a: World, admin: User) -> None:
    org = world_a.organisations[0]
    services.organisation_update(organisation=org, by=admin, name=org.name, sector=org.sector)
    assert _entries(world_a) == []
    with pytest.raises(ValidationError):
        services.organisation_update(organisation=org, by=admin, partnership="elsewhere")


def test_an_organisation_with_people_is_not_removed(world_a: World, admin: User) -> None:
    org = world_a.organisations[0]
    with pytest.raises(ValidationError):
        services.organisation_delete(organisation=org, by=admin)
    assert Organisation.objects.filter(pk=org.pk).exists()
    assert _entries(world_a) == []


def test_a_duplicate_organisation_name_is_refused(world_a: World, admin: User) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(
            partnership=world_a.partnership, name="Alpha Police", sector="police", by=admin
        )
    assert _entries(world_a) == []


# --- People --------------------------------------------------------------------------------------


def test_adding_a_new_person_records_the_account_and_the_membership(
    world_a: World, admin: User
) -> None:
    membership = services.membership_create(
        partnership=world_a.partnership,
        email=" New.Person@Example.org ",
        full_name="New Person",
        organisation=world_a.organisations[1],
        roles=[Role.TRAINER, Role.CHAMPION],
        job_title="Trainer",
        by=admin,
    )
    assert membership.user.email == "new.person@example.org"
    assert not membership.user.has_usable_password()
    assert membership.role_codes == {Role.TRAINER, Role.CHAMPION}
    assert _entries(world_a) == [
        ("create", "core.User", admin.email, ["email", "full_name"], "web"),
        ("create", "core.Membership", admin.email, ["job_title", "organisation", "roles"], "web"),
    ]


def test_adding_someone_from_another_partnership_reuses_their_account(
    world_a: World, world_b: World, admin: User
) -> None:
    bravo_trainer = world_b.user(Role.TRAINER)
    membership = services.membership_create(
        partnership=world_a.partnership,
        email=bravo_trainer.email,
        full_name="Ignored",
        organisation=world_a.organisations[0],
        roles=[Role.PRACTITIONER],
        by=admin,
    )
    assert membership.user == bravo_trainer
    bravo_trainer.refresh_from_db()
    assert bravo_trainer.full_name == "Bravo Trainer"
    assert [e[1] for e in _entries(world_a)] == ["core.Membership"]
    # B's own records of them are untouched, and B's log says nothing of A's change.
    assert Membership.objects.get(partnership=world_b.partnership, user=bravo_trainer)
    assert _entries(world_b) == []


def test_membership_create_refuses_an_organisation_of_another_partnership(
    world_a: World, world_b: World, admin: User
) -> None:
    people = Membership.objects.count()
    with pytest.raises(ValidationError):
        services.membership_create(
            partnership=world_a.partnership,
            email="someone@example.org",
            full_name="Someone",
            organisation=world_b.organisations[0],
            roles=[Role.PRACTITIONER],
            by=admin,
        )
    assert Membership.objects.count() == people
    assert not User.objects.filter(email="someone@example.org").exists()
    assert _entries(world_a) == [] and _entries(world_b) == []


def test_membership_create_refuses_someone_already_in_the_partnership(
    world_a: World, admin: User
) -> None:
    with pytest.raises(ValidationError):
        services.membership_create(
            partnership=world_a.partnership,
            email=world_a.user(Role.TRAINER).email,
            full_name="Again",
            organisation=world_a.organisations[0],
            roles=[Role.TRAINER],
            by=admin,
        )
    assert _entries(world_a) == []


def test_membership_update_records_the_fields_changed(world_a: World, admin: User) -> None:
    trainer = world_a.members[Role.TRAINER]
    services.membership_update(
        membership=trainer,
        organisation=trainer.organisation,
        roles=[Role.TRAINER, Role.CHAMPION],
        job_title=trainer.job_title,
        by=admin,
    )
    services.membership_update(
        membership=trainer,
        organisation=world_a.organisations[1],
        roles=[Role.TRAINER, Role.CHAMPION],
        job_title="Lead trainer",
        by=admin,
    )
    # The same again changes nothing, and records nothing.
    services.membership_update(
        membership=trainer,
        organisation=world_a.organisations[1],
        roles=[Role.CHAMPION, Role.TRAINER],
        job_title="Lead trainer",
        by=admin,
    )
    assert [e[3] for e in _entries(world_a)] == [["roles"], ["job_title", "organisation"]]
    assert trainer.role_codes == {Role.TRAINER, Role.CHAMPION}


def test_membership_update_refuses_an_organisation_of_another_partnership(
    world_a: World, world_b: World, admin: User
) -> None:
    trainer = world_a.members[Role.TRAINER]
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=trainer,
            organisation=world_b.organisations[0],
            roles=[Role.TRAINER],
            job_title="",
            by=admin,
        )
    trainer.refresh_from_db()
    assert trainer.organisation == world_a.organisations[0]
    assert _entries(world_a) == []


def test_removing_a_person_is_audited_but_nobody_removes_themselves(
    world_a: World, admin: User
) -> None:
    with pytest.raises(ValidationError):
        services.membership_remove(membership=world_a.members[Role.PARTNERSHIP_ADMIN], by=admin)
    trainer = world_a.members[Role.TRAINER]
    services.membership_remove(membership=trainer, by=admin)
    assert not Membership.objects.filter(pk=trainer.pk).exists()
    assert User.objects.filter(pk=trainer.user_id).exists()  # the account stays
    assert _entries(world_a) == [("delete", "core.Membership", admin.email, [], "web")]


# --- API tokens ----------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_a_hash_and_its_revocation_is_audited(world_a: World) -> None:
    member = world_a.members[Role.EVALUATOR]
    token, key = services.api_token_create(membership=member, name=" Report ", by=member.user)
    assert key.startswith("tip_") and token.prefix == key[4:12]
    assert token.name == "Report"
    assert key not in {token.key_hash, token.prefix}
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)) == token
    services.api_token_revoke(token=token, by=member.user)
    revoked_at = token.revoked_at
    services.api_token_revoke(token=token, by=member.user)  # again: nothing more happens
    assert token.revoked_at == revoked_at is not None
    assert _entries(world_a) == [
        ("create", "core.ApiToken", member.user.email, ["name"], "web"),
        ("update", "core.ApiToken", member.user.email, ["revoked_at"], "web"),
    ]


# --- Selectors -----------------------------------------------------------------------------------


def test_selectors_answer_404_for_another_partnerships_ids(world_a: World, world_b: World) -> None:
    a = world_a.partnership
    with pytest.raises(Http404):
        selectors.organisation_get(partnership=a, organisation_id=world_b.organisations[0].pk)
    with pytest.raises(Http404):
        selectors.membership_get(partnership=a, membership_id=world_b.members[Role.TRAINER].pk)
    bravo = world_b.members[Role.TRAINER]
    token, _key = services.api_token_create(membership=bravo, name="B", by=bravo.user)
    with pytest.raises(Http404):
        selectors.api_token_get(membership=world_a.members[Role.TRAINER], token_id=token.pk)
    # Their own ids are found.
    org = world_a.organisations[0]
    assert selectors.organisation_get(partnership=a, organisation_id=org.pk) == org
    trainer = world_a.members[Role.TRAINER]
    assert selectors.membership_get(partnership=a, membership_id=trainer.pk) == trainer


def test_a_token_is_found_only_for_its_own_member(world_a: World) -> None:
    trainer, champion = world_a.members[Role.TRAINER], world_a.members[Role.CHAMPION]
    token, _key = services.api_token_create(membership=trainer, name="Mine", by=trainer.user)
    assert selectors.api_token_get(membership=trainer, token_id=token.pk) == token
    with pytest.raises(Http404):
        selectors.api_token_get(membership=champion, token_id=token.pk)
    assert list(selectors.api_token_list(membership=champion)) == []


def test_lists_hold_only_the_partnerships_own_records(world_a: World, world_b: World) -> None:
    a, b = world_a.partnership, world_b.partnership
    services.organisation_create(
        partnership=b, name="Only in B", sector="other", by=world_b.user(Role.PARTNERSHIP_ADMIN)
    )
    assert {o.partnership_id for o in selectors.organisation_list(partnership=a)} == {a.pk}
    assert {m.partnership_id for m in selectors.membership_list(partnership=a)} == {a.pk}
    assert selectors.membership_list(partnership=a).count() == len(Role)
    assert list(selectors.audit_search(partnership=a)) == []
    assert [e.object_repr for e in selectors.audit_search(partnership=b)] == ["Only in B"]
    assert selectors.dashboard_counts(partnership=a) == {"organisations": 2, "people": len(Role)}
