"""Shared fixtures. Two partnerships, A and B, each with one person per role: every test that
touches tenant data has an outsider for free (B must never see A's records, nor A B's)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    verified_device,
)
from tip.core.models import Membership, Organisation, Partnership, User
from tip.core.roles import Role


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Every test starts in English: a request in Welsh activates Welsh for the thread (Django's
    locale middleware never switches it back), which would leak into the next test's messages."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@dataclass
class World:
    partnership: Partnership
    organisations: list[Organisation]
    members: dict[str, Membership] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.members[role].user


def build_world(name: str) -> World:
    partnership = PartnershipFactory(name=f"{name} Violence Reduction Partnership")
    orgs = [
        OrganisationFactory(partnership=partnership, name=f"{name} Police"),
        OrganisationFactory(partnership=partnership, name=f"{name} Schools", sector="education"),
    ]
    world = World(partnership=partnership, organisations=orgs)
    for role in Role:
        world.members[role] = MembershipFactory(
            partnership=partnership,
            organisation=orgs[0],
            user__email=f"{role.value}@{name.lower()}.example",
            user__full_name=f"{name} {role.label}",
            roles=[role],
        )
    return world


@pytest.fixture
def world_a(db: None) -> World:
    return build_world("Alpha")


@pytest.fixture
def world_b(db: None) -> World:
    return build_world("Bravo")


def signed_in_client(user: User) -> Client:
    """A client signed in as `user`, past the second factor when their roles need one."""
    client = Client()
    client.force_login(user)
    device = verified_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for():
    return signed_in_client
