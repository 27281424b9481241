"""Two people booking the last place at the same moment, on PostgreSQL: each in its own thread,
connection and transaction. Taking a place locks the session's row, so one gets the place and
the other is refused as full: the session is never overbooked.

SQLite runs one writer at a time and ignores SELECT ... FOR UPDATE, so the race cannot happen
there and the test is skipped."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from tests.conftest import build_world
from tests.training.bookings_helpers import make_session, member
from tip.core.roles import Role
from tip.training import services_bookings as services
from tip.training.models_bookings import Booking, BookingStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_place_is_never_given_twice() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks (SELECT ... FOR UPDATE)")
    world = build_world("Race")
    session = make_session(world.partnership, world.user(Role.PROGRAMME_LEAD), capacity=2)
    first = member(world.partnership, world.organisations[0], "Already Booked")
    services.book(session=session, person=first, booker=first)
    racers = [member(world.partnership, world.organisations[0], f"Racer {i}") for i in range(2)]
    barrier = threading.Barrier(len(racers))
    results: dict[int, Any] = {}

    def race(i: int) -> None:
        person = racers[i]
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both transactions are open before either books
                results[i] = services.book(session=session, person=person, booker=person).status
        except ValidationError as exc:
            results[i] = exc.code
        except Exception as exc:
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(racers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == [BookingStatus.BOOKED, "full"], results
    booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count()
    assert booked == session.capacity
