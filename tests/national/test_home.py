"""A national analyst, who belongs to no partnership, lands on the national view instead of a
refusal; members still get their dashboard, and someone with neither is still refused."""

from __future__ import annotations

import pytest

from tests.conftest import World, signed_in_client
from tip.core.models import User
from tip.core.roles import Role
from tip.national.models import NationalAnalyst


@pytest.mark.django_db
def test_a_national_analyst_is_sent_from_the_dashboard_to_the_national_view() -> None:
    analyst = User.objects.create_user("analyst@example.org", "x" * 16, full_name="An Analyst")
    NationalAnalyst.objects.create(user=analyst)
    response = signed_in_client(analyst).get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/national/"


@pytest.mark.django_db
def test_someone_in_no_partnership_and_no_analyst_is_still_refused() -> None:
    stranger = User.objects.create_user("stranger@example.org", "x" * 16, full_name="Stranger")
    assert signed_in_client(stranger).get("/dashboard/").status_code == 403


def test_members_keep_their_dashboard(world_a: World) -> None:
    response = signed_in_client(world_a.user(Role.PRACTITIONER)).get("/dashboard/")
    assert response.status_code == 200
