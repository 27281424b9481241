"""The demo's sample programme: built through the services, rich enough to explore, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import AuditAction, AuditEntry
from tip.programmes.demo import NAME
from tip.programmes.models import Element, Indicator, Link, Programme


@pytest.mark.django_db
def test_seed_demo_builds_a_sample_theory_of_change_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(name=NAME)
    assert programme.partnership.name == "Northshire Violence Reduction Partnership"
    assert Element.objects.filter(programme=programme).count() >= 15
    ratings = set(Link.objects.filter(programme=programme).values_list("evidence", flat=True))
    assert ratings == {"strong", "moderate", "emerging", "none"}
    assert Indicator.objects.filter(outcome__programme=programme).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="programmes.Programme", object_id=str(programme.pk)
    ).exists()

    counts = (Element.objects.count(), Link.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert (Element.objects.count(), Link.objects.count(), AuditEntry.objects.count()) == counts
    assert "already there" in out.getvalue()


@pytest.mark.django_db
def test_the_sample_programme_proposes_evaluation_questions(client) -> None:  # type: ignore[no-untyped-def]
    from tip.programmes import analysis, selectors

    call_command("seed_demo", stdout=io.StringIO())
    programme = Programme.objects.get(name=NAME)
    proposals = analysis.propose_questions(selectors.toc_graph(programme=programme))
    keys = [p.key for p in proposals]
    assert any(k.startswith("link:") for k in keys)
    assert any(k.startswith("indicator:") for k in keys)
