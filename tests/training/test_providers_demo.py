"""The demo's providers: two for Northshire, four trainers whose clearances show every case in
the planner, built once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from tip.core.models import Partnership
from tip.training import selectors_clearances, selectors_providers
from tip.training.demo_providers import PARTNERSHIP
from tip.training.models_providers import Provider, Trainer
from tip.training.services_clearances import london_today


@pytest.mark.django_db
def test_the_demo_gives_northshire_providers_trainers_and_settings_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    northshire = Partnership.objects.get(name=PARTNERSHIP)
    providers = list(selectors_providers.provider_list(partnership=northshire))
    assert len(providers) == 2
    # Four from the providers' demo; the sessions' demo adds the demo trainer account's own.
    assert Trainer.objects.filter(partnership=northshire, membership__isnull=True).count() == 4
    assert [selectors_providers.meeting_count(provider=p) for p in providers] == [2, 0]

    custody = selectors_clearances.setting_list(partnership=northshire).get(kind="custody")
    today = london_today()
    plan = selectors_clearances.plan(
        partnership=northshire, setting=custody, needed_on=today + timedelta(weeks=12), today=today
    )
    states = {c.check.state.value for row in plan for c in row.clearances}
    assert states == {"ready", "expires", "applied", "missing"}

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Training providers already there" in out.getvalue()
    assert Provider.objects.filter(partnership=northshire).count() == 2
