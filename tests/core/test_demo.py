"""The demo data: fictional partnerships, a sign-in per role, and idempotent re-runs."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tip.core.models import Membership, MembershipRole, Organisation, Partnership, User
from tip.core.roles import Role


def _snapshot() -> tuple[int, ...]:
    return (
        Partnership.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        MembershipRole.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_builds_northshire_and_a_second_partnership() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    northshire = Partnership.objects.get(name="Northshire Violence Reduction Partnership")
    assert Organisation.objects.filter(partnership=northshire).count() >= 10
    sectors = set(
        Organisation.objects.filter(partnership=northshire).values_list("sector", flat=True)
    )
    assert len(sectors) >= 8
    roles_held = set(
        MembershipRole.objects.filter(membership__partnership=northshire).values_list(
            "role", flat=True
        )
    )
    assert roles_held == {r.value for r in Role}
    # Northshire, the second partnership with sign-ins, and the national view's two fictional
    # partnerships that share only aggregates (tip.national.demo).
    assert Partnership.objects.count() == 4
    # No real people: every demo address is on the reserved .example domain.
    assert all(email.endswith(".example") for email in User.objects.values_list("email", flat=True))


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing() -> None:
    with open("/dev/null", "w") as sink:
        call_command("seed_demo", stdout=sink)
        first = _snapshot()
        call_command("seed_demo", stdout=sink)
    assert _snapshot() == first


@pytest.mark.django_db
def test_every_demo_user_can_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    from tip.core.management.commands.seed_demo import DEMO_PASSWORD

    with open("/dev/null", "w") as sink:
        call_command("seed_demo", stdout=sink)
    # The pilot cohort behind the delivery dashboard's figures has no passwords by design:
    # nobody signs in as them. Every account with a password must work.
    accounts = [u for u in User.objects.all() if u.has_usable_password()]
    assert len(accounts) >= 9
    assert User.objects.filter(email__endswith="@pilot.northshire.example").exists()
    for user in accounts:
        client.logout()
        response = client.post(
            "/accounts/sign-in/", {"username": user.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, user.email
