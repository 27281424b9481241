"""The demo's national view: three partnerships' aggregates (Northshire's from its demo answers,
two fictional ones built from scores made up in memory), a national analyst, and a second run
that changes nothing."""

from __future__ import annotations

import io

import jsonschema
from django.core.management import call_command

from tests.conftest import signed_in_client
from tip.core.models import AuditEntry, User
from tip.evaluation import aggregates
from tip.national.demo import ANALYST_EMAIL
from tip.national.models import NationalAnalyst, SharedAggregate


def _state() -> list[tuple[object, ...]]:
    return list(
        SharedAggregate.objects.order_by("pk").values_list(
            "pk", "partnership__name", "named", "shared_at"
        )
    )


def test_seed_demo_shares_three_aggregates_once(db: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert ANALYST_EMAIL in out.getvalue()
    shares = {s.partnership.name: s for s in SharedAggregate.objects.select_related("partnership")}
    assert set(shares) == {
        "Northshire Violence Reduction Partnership",
        "Eastvale Violence Reduction Unit",
        "Westmoor Violence Reduction Unit",
    }
    for share in shares.values():
        jsonschema.validate(share.payload, aggregates.schema())
    north = shares["Northshire Violence Reduction Partnership"].payload
    kac = next(i for i in north["instruments"] if i["instrument_id"] == "tip-kac")
    trained = [
        c for c in kac["changes"] if c["group"] == "trained" and c["pair"] == "baseline_post"
    ]
    assert trained and all(c["n_pairs"]["value"] >= 5 for c in trained)
    assert all(c["g_av"] is not None for c in trained)
    # Westmoor's comparison group is small: suppressed.
    west = shares["Westmoor Violence Reduction Unit"]
    assert not west.named
    groups = {g["group"]: g for g in west.payload["instruments"][0]["groups"]}
    assert groups["comparison"]["participants"]["suppressed"]

    analyst = User.objects.get(email=ANALYST_EMAIL)
    assert NationalAnalyst.objects.filter(user=analyst, active=True).exists()
    assert not analyst.memberships.exists()
    response = signed_in_client(analyst).get("/national/")
    html = response.content.decode()
    assert "Eastvale Violence Reduction Unit" in html and "Partnership 1" in html
    assert "Westmoor" not in html
    pooled = response.context["results"][0]["pooled"].result
    assert pooled.k == 3
    # ...and the national view shows it as "fewer than 5", in Westmoor's own table.
    west_part = next(
        t["part"] for t in response.context["taking_part"] if t["part"].label == "Partnership 1"
    )
    people = next(r for r in west_part.rows if r.kind == "people")
    assert dict(zip(west_part.groups, people.cells, strict=True))["comparison"].suppressed
    assert "fewer than 5" in html

    before, audit = _state(), AuditEntry.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert _state() == before
    assert AuditEntry.objects.count() == audit
