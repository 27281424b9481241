"""The demo prints a personal survey link for its practitioner, and the link opens the survey's
consent page; each run gives a new link and the last one stops working."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client


def _link(out: str) -> str:
    found = re.search(
        r"Demo survey for practitioner@northshire\.example .*?(/evaluation/s/\S+)", out
    )
    assert found, out
    return found.group(1)


@pytest.mark.django_db
def test_the_demo_gives_a_working_survey_link_for_its_practitioner() -> None:
    first = io.StringIO()
    call_command("seed_demo", stdout=first)
    old = _link(first.getvalue())
    second = io.StringIO()
    call_command("seed_demo", stdout=second)
    new = _link(second.getvalue())
    assert new != old
    client = Client()
    response = client.get(new)
    assert response.status_code == 302
    assert response["Location"].endswith("/consent/")
    # The earlier link no longer opens anything.
    assert client.get(old).status_code == 404
