"""A partnership shares a programme's aggregate, replaces it by sharing again and withdraws it;
each is audited. The preview page shows the aggregate; the package holds it with its schema. And
national-analyst access is granted only to people outside every partnership."""

from __future__ import annotations

import io
import json
import zipfile

import jsonschema
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.factories import UserFactory
from tests.national.helpers import payload
from tip.core.models import AuditAction, AuditEntry
from tip.core.roles import Role
from tip.evaluation import aggregates
from tip.evaluation.models import EvaluationPlan
from tip.national import services
from tip.national.models import NationalAnalyst, SharedAggregate
from tip.programmes.models import Programme


@pytest.fixture
def plan(world_a: World) -> EvaluationPlan:
    programme = Programme.objects.create(
        partnership=world_a.partnership, name="Alpha schools", aims="Aims."
    )
    return EvaluationPlan.objects.create(partnership=world_a.partnership, programme=programme)


def test_share_replace_and_withdraw_are_audited(world_a: World, plan: EvaluationPlan) -> None:
    lead = world_a.user(Role.PROGRAMME_LEAD)
    first = services.share(plan=plan, by=lead, named=False, payload=payload(seed=1))
    second = services.share(plan=plan, by=lead, named=True, payload=payload(seed=2))
    assert SharedAggregate.objects.count() == 1
    assert second.pk == first.pk and second.named and second.payload == payload(seed=2)
    assert services.withdraw(plan=plan, by=lead)
    assert not SharedAggregate.objects.exists()
    assert not services.withdraw(plan=plan, by=lead)
    actions = list(
        AuditEntry.objects.filter(actor=lead, object_type="national.SharedAggregate")
        .order_by("pk")
        .values_list("action", "partnership_id")
    )
    p = world_a.partnership.pk
    assert actions == [
        (AuditAction.CREATE, p),
        (AuditAction.UPDATE, p),
        (AuditAction.DELETE, p),
    ]


def test_a_payload_that_breaks_the_schema_is_refused(world_a: World, plan: EvaluationPlan) -> None:
    bad = payload(seed=1)
    bad["instruments"][0]["groups"][0]["participants"] = {"value": 2, "suppressed": False}
    with pytest.raises(ValidationError, match="schema"):
        services.share(plan=plan, by=world_a.user(Role.PROGRAMME_LEAD), named=False, payload=bad)
    assert not SharedAggregate.objects.exists()


def test_an_empty_plan_has_a_valid_empty_aggregate(plan: EvaluationPlan) -> None:
    built = aggregates.plan_aggregate(plan)
    assert built["instruments"] == [] and built["nation"] == plan.partnership.nation
    jsonschema.validate(built, aggregates.schema())


def test_the_pages_preview_share_and_withdraw(world_a: World, plan: EvaluationPlan) -> None:
    client = signed_in_client(world_a.user(Role.PARTNERSHIP_ADMIN))
    url = reverse("national:share", kwargs={"programme_id": plan.programme_id})
    listing = client.get(reverse("national:share-list"))
    assert b"Alpha schools" in listing.content and b"Not shared" in listing.content
    page = client.get(url)
    assert page.status_code == 200 and b"There are no scores to share yet." in page.content
    assert client.post(url, {"action": "share", "named": "yes"}).status_code == 302
    assert SharedAggregate.objects.get(plan=plan).named
    assert b"Withdraw the shared aggregate" in client.get(url).content
    assert client.post(url, {"action": "withdraw"}).status_code == 302
    assert not SharedAggregate.objects.exists()
    assert client.post(url, {"action": "other"}).status_code == 400


def test_another_partnerships_programme_is_not_found(
    world_a: World, world_b: World, plan: EvaluationPlan
) -> None:
    client = signed_in_client(world_b.user(Role.PARTNERSHIP_ADMIN))
    for name in ("national:share", "national:share-package"):
        url = reverse(name, kwargs={"programme_id": plan.programme_id})
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("national:share", kwargs={"programme_id": plan.programme_id}),
            {"action": "share"},
        ).status_code
        == 404
    )
    assert not SharedAggregate.objects.exists()


def test_the_package_holds_the_aggregate_its_schema_and_a_readme(
    world_a: World, plan: EvaluationPlan
) -> None:
    client = signed_in_client(world_a.user(Role.PROGRAMME_LEAD))
    url = reverse("national:share-package", kwargs={"programme_id": plan.programme_id})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "aggregate.json",
        "aggregate.schema.json",
        "datapackage.json",
    ]
    schema = json.loads(archive.read("aggregate.schema.json"))
    jsonschema.validate(json.loads(archive.read("aggregate.json")), schema)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert [r["path"] for r in descriptor["resources"]] == [
        "aggregate.json",
        "aggregate.schema.json",
    ]
    assert "under 5" in archive.read("README.txt").decode()
    assert AuditEntry.objects.filter(
        actor=world_a.user(Role.PROGRAMME_LEAD), action=AuditAction.EXPORT
    ).exists()


def test_granting_national_analyst_access(world_a: World) -> None:
    outsider = UserFactory(email="analyst@national.example")
    out = io.StringIO()
    call_command("grant_national_analyst", "Analyst@National.example", stdout=out)
    assert NationalAnalyst.objects.get(user=outsider).active
    assert "analyst@national.example is a national analyst" in out.getvalue()
    # Again: still one, still active.
    call_command("grant_national_analyst", "analyst@national.example", stdout=out)
    assert NationalAnalyst.objects.count() == 1
    with pytest.raises(CommandError, match="belongs to a partnership"):
        call_command("grant_national_analyst", world_a.user(Role.AUDITOR).email)
    with pytest.raises(CommandError, match="Nobody has the email address"):
        call_command("grant_national_analyst", "nobody@example.org")


def test_an_operator_grants_access_in_the_admin_and_it_is_audited(db: None) -> None:
    operator = UserFactory(email="operator@platform.example", is_staff=True, is_superuser=True)
    outsider = UserFactory(email="analyst@national.example")
    client = signed_in_client(operator)
    response = client.post(
        reverse("admin:national_nationalanalyst_add"),
        {"user": outsider.pk, "active": "on", "note": "Evaluation team"},
    )
    assert response.status_code == 302
    assert NationalAnalyst.objects.get(user=outsider).note == "Evaluation team"
    assert AuditEntry.objects.filter(
        actor=operator, action=AuditAction.CREATE, object_type="national.NationalAnalyst"
    ).exists()
    listing = client.get(reverse("admin:national_nationalanalyst_changelist"))
    assert b"analyst@national.example" in listing.content
    assert AuditEntry.objects.filter(actor=operator, action=AuditAction.VIEW).exists()
