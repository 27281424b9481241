"""The demo's registers: Northshire's past sessions marked, with a few no-shows and
certificates, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tip.core.models import Partnership
from tip.training import selectors_attendance
from tip.training.demo_providers import PARTNERSHIP
from tip.training.models_bookings import Attendance
from tip.training.models_delivery import Certificate


@pytest.mark.django_db
def test_the_demo_takes_registers_with_no_shows_and_certificates_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    northshire = Partnership.objects.get(name=PARTNERSHIP)
    marks = list(Attendance.objects.filter(partnership=northshire).values_list("mark", flat=True))
    assert marks.count("no_show") >= 2
    assert "attended" in marks and "partly" in marks
    assert Certificate.objects.filter(partnership=northshire).count() == marks.count("attended")
    tallies = selectors_attendance.rate_tallies(partnership=northshire)
    assert sum(t.count for t in tallies if t.outcome == "no_show") == marks.count("no_show")

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo registers already taken" in out.getvalue()
    assert Attendance.objects.filter(partnership=northshire).count() == len(marks)
