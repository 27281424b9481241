"""The session list in pages of 50 (a large partnership has hundreds of upcoming sessions: see
docs/benchmarks.md), its filters kept from page to page, and places counted per session."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.conftest import World, signed_in_client
from tests.training.test_sessions import Kit, part
from tip.core.roles import Role
from tip.training import selectors_sessions
from tip.training.models_bookings import Booking, BookingStatus
from tip.training.models_sessions import Session, SessionPart
from tip.training.views_sessions import SESSIONS_PER_PAGE


@pytest.fixture
def kit(world_a: World) -> Kit:
    return Kit(world_a)


def _copies(kit: Kit, count: int, **values: object) -> None:
    """`count` more upcoming sessions like one made through the service, written in bulk."""
    first = kit.session([part(date.today() + timedelta(days=10))], **values)
    parts = list(first.parts.all())
    for _ in range(count - 1):
        first.pk = None
        first.save()
        SessionPart.objects.bulk_create(
            SessionPart(
                partnership_id=p.partnership_id,
                session=first,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
            )
            for p in parts
        )


def _rows(response: object) -> int:
    body = response.content.decode()  # type: ignore[attr-defined]
    return len(re.findall(r'href="/training/sessions/\d+/"', body))


def test_the_list_shows_fifty_sessions_a_page_and_keeps_the_filters(kit: Kit) -> None:
    _copies(kit, SESSIONS_PER_PAGE + 5, format="virtual", venue=None, online_link="https://m.ex/")
    _copies(kit, 3)
    client = signed_in_client(kit.world.user(Role.PRACTITIONER))
    url = reverse("training:session-list")

    first = client.get(url)
    assert first.status_code == 200 and _rows(first) == SESSIONS_PER_PAGE
    assert "Page 1 of 2" in html.unescape(first.content.decode())
    second = client.get(url + "?page=2")
    assert _rows(second) == SESSIONS_PER_PAGE + 5 + 3 - SESSIONS_PER_PAGE

    virtual = client.get(url + "?format=virtual")
    body = html.unescape(virtual.content.decode())
    assert "?format=virtual&page=2" in body
    assert _rows(client.get(url + "?format=virtual&page=2")) == 5
    # A page past the end shows the last one.
    assert _rows(client.get(url + "?format=virtual&page=99")) == 5


def test_the_list_counts_each_sessions_places_taken(kit: Kit) -> None:
    full = kit.session([part(date.today() + timedelta(days=3))], capacity=2)
    other = kit.session([part(date.today() + timedelta(days=4), "09:30", "12:00")])
    SessionPart.objects.create(
        partnership=kit.world.partnership,
        session=other,
        starts_at=other.parts.get().starts_at + timedelta(days=1),
        ends_at=other.parts.get().ends_at + timedelta(days=1),
    )
    members = list(kit.world.members.values())
    for m, status in zip(
        members,
        [BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.WAITING],
        strict=False,
    ):
        Booking.objects.create(
            partnership=kit.world.partnership, session=full, membership=m, status=status
        )
    Booking.objects.create(
        partnership=kit.world.partnership,
        session=other,
        membership=members[0],
        status=BookingStatus.CANCELLED,
    )
    listed = {s.pk: s for s in selectors_sessions.session_list(partnership=kit.world.partnership)}
    assert selectors_sessions.places_left(listed[full.pk]) == 0
    assert selectors_sessions.places_left(listed[other.pk]) == 20
    assert listed[other.pk].part_count == 2  # type: ignore[attr-defined]
    assert Session.objects.count() == 2
