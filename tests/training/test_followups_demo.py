"""The demo's follow-ups: Northshire's attended foundation day has invitations, some completed,
one missed and some scheduled; a senior leader attended; seeding again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import Partnership
from tip.programmes.readiness import readiness_report
from tip.training.demo_providers import PARTNERSHIP
from tip.training.models_courses import Course
from tip.training.models_followups import FollowUpInvitation


@pytest.mark.django_db
def test_the_demo_follows_up_its_registers_once() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo follow-ups:" in out.getvalue()
    northshire = Partnership.objects.get(name=PARTNERSHIP)
    invitations = FollowUpInvitation.objects.filter(partnership=northshire)
    statuses = list(invitations.values_list("status", flat=True))
    assert statuses.count("completed") >= 1
    assert statuses.count("missed") == 1
    assert statuses.count("scheduled") >= 1
    practitioner = invitations.filter(
        booking__membership__user__email="practitioner@northshire.example"
    )
    assert set(practitioner.values_list("status", flat=True)) == {"completed", "scheduled"}
    course = Course.objects.filter(partnership=northshire, follow_ups__invitations__isnull=False)
    programme = course.first().programme  # type: ignore[union-attr]
    assert programme is not None
    evidence = [e for f in readiness_report(programme).findings for e in f.evidence]
    assert any(e.source == "Training attendance" and e.value is True for e in evidence)
    assert any(e.source == "Follow-up invitations" for e in evidence)

    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    assert "Demo follow-ups already recorded" in again.getvalue()
    assert list(invitations.values_list("status", flat=True)) == statuses
