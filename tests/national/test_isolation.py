"""A national analyst belongs to no partnership: every partnership page refuses them, whoever's
ids it is given, and the API has no token of theirs. The route tests (tests/core/test_routes.py)
check the other way: every member of a partnership is refused the national pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from tests.conftest import build_world, signed_in_client
from tests.national.helpers import analyst
from tests.routes import Side, all_routes, make_tenant, url_for
from tip.core.roles import Role

ALLOWED = {403, 405}


@pytest.fixture
def _quiet_refusals() -> Iterator[None]:
    # Hundreds of deliberate 403s: do not log each one.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.usefixtures("_quiet_refusals")
def test_a_national_analyst_reaches_no_partnership_page(db: None) -> None:
    tenant = make_tenant(build_world("Alpha"))
    client = signed_in_client(analyst())
    side = Side(tenant, Role.PARTNERSHIP_ADMIN)
    problems = []
    checked = 0
    for route in all_routes():
        if route.kind != "page" or route.access is None or route.is_public or route.is_national:
            continue
        path = url_for(route, side)
        # A POST is refused before any form is read, so an empty body will do.
        for method, response in (("GET", client.get(path)), ("POST", client.post(path, {}))):
            if response.status_code == 302 and response["Location"] == "/national/":
                continue  # the dashboard sends someone of no partnership to their own home
            if response.status_code not in ALLOWED:
                problems.append(f"{method} {path}: {response.status_code}")
        checked += 1
    assert checked > 50
    assert not problems, "\n".join(problems)


def test_the_national_pages_are_the_only_ones_an_analyst_opens(db: None) -> None:
    client = signed_in_client(analyst())
    national = [r for r in all_routes() if r.is_national]
    assert [r.name for r in national] == ["national:index"]
    assert client.get("/national/").status_code == 200
    assert client.get("/national/sharing/").status_code == 403
    assert client.get("/api/me").status_code == 401
