"""Fixtures for the programmes tests: a programme in partnership A and one in B."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tip.core.roles import Role
from tip.programmes import services
from tip.programmes.models import Programme


@pytest.fixture
def programme(world_a: World) -> Programme:
    return services.programme_create(
        partnership=world_a.partnership,
        name="Trauma-informed schools",
        aims="Calmer classrooms",
        by=world_a.user(Role.PROGRAMME_LEAD),
    )


@pytest.fixture
def other_programme(world_b: World) -> Programme:
    return services.programme_create(
        partnership=world_b.partnership,
        name="Bravo youth work",
        aims="",
        by=world_b.user(Role.PROGRAMME_LEAD),
    )
