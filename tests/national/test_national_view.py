"""The national view: who may open it, what it shows (pooled results, suppression, names only
with consent), the audit entry every opening writes, and its bounded cost."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.factories import MembershipFactory
from tests.national.helpers import analyst, shared
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation.analysis.meta import DL, REML, StudyEffect, meta_analyse
from tip.national.models import NationalAnalyst
from tip.national.purposes import NATIONAL_VIEW

URL = "/national/"


@pytest.fixture
def three(db: None) -> list[Any]:
    return [
        shared("Eastvale VRU", seed=1, named=True),
        shared("Westmoor VRU", seed=2),
        shared("Southmere VRU", seed=3, comparison=3),
    ]


def test_a_national_analyst_sees_the_pooled_results(three: list[Any]) -> None:
    client = signed_in_client(analyst())
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Eastvale VRU: Eastvale VRU programme" in html
    # Not named without consent: numbered among the unnamed, in the order they shared.
    assert "Westmoor" not in html and "Southmere" not in html
    assert "Partnership 1" in html and "Partnership 2" in html
    assert "data:image/svg+xml;base64," in html
    assert 'alt="Forest plot of Hedges&#x27; g_av in 3 partnerships' in html
    assert "Tau squared" in html and "I squared" in html and "Cochran" in html


def test_the_pooled_figures_are_the_meta_analysis_of_the_shared_ones(three: list[Any]) -> None:
    client = signed_in_client(analyst())
    for method in (REML, DL):
        response = client.get(URL, {"method": method})
        results = response.context["results"]
        first = next(
            r["pooled"]
            for r in results
            if r["pooled"].scale == "knowledge" and r["pooled"].pair == "baseline_post"
        )
        studies = []
        for share in three:
            rows = [
                c
                for c in share.payload["instruments"][0]["changes"]
                if c["scale"] == "knowledge"
                and c["group"] == "trained"
                and c["pair"] == "baseline_post"
            ]
            studies.append(StudyEffect("x", rows[0]["g_av"], rows[0]["g_av_variance"]))
        expected = meta_analyse(studies, method=method)
        assert first.result.k == 3
        assert first.result.method_code == method
        assert first.result.pooled.value == pytest.approx(expected.pooled.value, rel=1e-12)
        assert first.result.tau2 == pytest.approx(expected.tau2, rel=1e-9, abs=1e-12)


def test_small_groups_are_suppressed(db: None) -> None:
    shared("Tiny VRU", seed=4, trained=4, comparison=0)
    shared("Big VRU", seed=5, trained=40, comparison=0)
    response = signed_in_client(analyst()).get(URL)
    html = response.content.decode()
    assert "fewer than 5" in html
    pooled = response.context["results"][0]["pooled"]
    assert pooled.result.k == 1 and not pooled.result.pooled_ok
    assert [c.suppressed for c in pooled.contributions] == [True, False]


def test_every_opening_is_audited_as_a_view(three: list[Any]) -> None:
    user = analyst()
    signed_in_client(user).get(URL)
    entry = AuditEntry.objects.get(actor=user, action=AuditAction.VIEW)
    assert entry.purpose == NATIONAL_VIEW and entry.partnership_id is None


def test_nothing_shared_yet(db: None) -> None:
    response = signed_in_client(analyst()).get(URL)
    assert response.status_code == 200
    assert b"Nothing has been shared yet." in response.content


@pytest.mark.parametrize("role", list(Role))
def test_partnership_members_are_refused(world_a: World, three: list[Any], role: str) -> None:
    client = signed_in_client(world_a.user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_an_analyst_who_joins_a_partnership_loses_the_national_view(
    world_a: World, three: list[Any]
) -> None:
    user = analyst()
    MembershipFactory(
        partnership=world_a.partnership,
        organisation=world_a.organisations[0],
        user=user,
        roles=[Role.PRACTITIONER],
    )
    assert signed_in_client(user).get(URL).status_code == 403


def test_an_inactive_analyst_is_refused_and_a_stranger_signs_in_first(db: None) -> None:
    user = analyst()
    NationalAnalyst.objects.filter(user=user).update(active=False)
    assert signed_in_client(user).get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_second_factor_comes_first(db: None) -> None:
    client = Client()
    client.force_login(analyst())
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two-factor"))


def test_twenty_partnerships_pool_in_a_bounded_number_of_queries(db: None) -> None:
    client = signed_in_client(analyst())
    for i in range(3):
        shared(f"Few {i}", seed=100 + i)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(17):
        shared(f"Many {i}", seed=200 + i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"method": DL})
    assert response.status_code == 200
    assert response.context["results"][0]["pooled"].result.k == 20
    # Timing is measured in benchmarks/bench_national.py (docs/benchmarks.md), not here.
    assert len(many) == len(few) <= 12
