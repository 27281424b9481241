"""The retention schedule: nothing changes before a plan's date; after it, links stop working,
emails, bookings and codes go, free text is removed, the respondent stays; audited as TIP's own
change; a second run changes nothing; a dry run only counts."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tests.conftest import World
from tests.evaluation.export_helpers import answered, observed
from tests.evaluation.plan_helpers import Planned
from tip.core.models import AuditEntry
from tip.evaluation import retention
from tip.evaluation.links import invitation_for_token
from tip.evaluation.models import Invitation, Observation, Respondent, Response


def _setup(world: World, days_ago: int):  # type: ignore[no-untyped-def]
    d = Planned(world)
    plan = d.plan()
    plan.retention_days = 30
    plan.save()
    closes = timezone.now() - datetime.timedelta(days=days_ago)
    response = answered(
        plan,
        d.waves(plan)[-7],
        email="ann@example.org",
        closes_at=closes,
        code_hashes={"mother": "abc"},
    )
    observed(plan)
    return plan, response


def test_nothing_changes_before_the_date(world_a: World) -> None:
    plan, response = _setup(world_a, days_ago=29)
    assert not retention.is_due(plan)
    assert retention.retention_sweep().changed is False
    response.refresh_from_db()
    assert response.code_hashes and "most_useful" in response.answers["tip-feedback"]
    assert Respondent.objects.get().email == "ann@example.org"


def test_after_the_date_identifiers_and_free_text_go_and_it_is_idempotent(
    world_a: World,
) -> None:
    _plan, response = _setup(world_a, days_ago=31)
    digest = Invitation.objects.get().link_digest
    totals = retention.retention_sweep()
    assert totals.as_dict() == {
        "plans": 1,
        "invitations": 1,
        "respondents": 1,
        "code_hashes": 1,
        "free_text_answers": 1,
        "observation_notes": 1,
    }
    invitation = Invitation.objects.get()
    assert invitation.link_digest != digest and invitation.link_digest.startswith("retired-")
    assert invitation_for_token("anything") is None
    respondent = Respondent.objects.get()
    assert (respondent.email, respondent.booking_id, respondent.membership_id) == ("", None, None)
    response.refresh_from_db()
    assert response.respondent_id == respondent.pk  # the waves stay linked
    assert response.code_hashes is None
    assert response.answers["tip-feedback"] == {"engaged": 5}
    assert response.answers["tip-kac"] == {"k01": "true", "a01": 4, "a02": 2}
    assert Observation.objects.get().notes == ""
    entries = AuditEntry.objects.filter(via="retention")
    assert entries.count() == 4 and all(e.actor is None for e in entries)
    # A second run changes nothing and records nothing.
    again = retention.retention_sweep()
    assert not again.changed and AuditEntry.objects.filter(via="retention").count() == 4
    assert Invitation.objects.get().link_digest == invitation.link_digest


def test_a_plan_without_invitations_counts_from_its_last_response(world_a: World) -> None:
    plan, response = _setup(world_a, days_ago=1)
    Invitation.objects.all().delete()
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert retention.is_due(plan)


def test_the_dry_run_counts_and_changes_nothing(world_a: World) -> None:
    _plan, response = _setup(world_a, days_ago=31)
    out = StringIO()
    call_command("evaluation_retention", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and "respondents: 1" in out.getvalue()
    response.refresh_from_db()
    assert response.code_hashes and Respondent.objects.get().email == "ann@example.org"
    assert not AuditEntry.objects.filter(via="retention").exists()
    call_command("evaluation_retention", stdout=StringIO())
    assert Respondent.objects.get().email == ""
