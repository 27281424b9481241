"""The delivery dashboard's arithmetic: people trained against a programme's targets, the
breakdowns by sector, organisation and group of staff, which sessions have too few bookings, and
which counts are too small to show. Pure computation (no Django), so the rules can be read and
tested on their own.

* **Trained**: a person (not a booking) the register marks *attended* at one or more sessions of
  the programme's courses. Partly attended does not count, as it earns no certificate. A person
  trained twice counts once. Their sector and organisation are their organisation's now; their
  group of staff is the one they gave on the latest booking at which they attended ("" when they
  gave none, shown as its own row).
* **A target** counts the trained people matching every part it names: a sector, an
  organisation, a group of staff; a part left blank matches anyone.
* **Low bookings**: a published session starting within LOW_BOOKING_DAYS days with fewer places
  taken than half its capacity (taken < capacity / 2).
* **Small counts**: where a viewer should not see exact small numbers, a count from 1 to
  SMALL_COUNT - 1 is withheld, and when only one count in a table is withheld, the next smallest
  is withheld too, so it cannot be worked out from the total.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

__all__ = [
    "LOW_BOOKING_DAYS",
    "NOT_GIVEN",
    "SMALL_COUNT",
    "Count",
    "Target",
    "TargetProgress",
    "TrainedPerson",
    "breakdown",
    "is_low_booking",
    "matches",
    "progress",
    "progress_percent",
    "trained_people",
    "withhold_small",
]

LOW_BOOKING_DAYS = 14
SMALL_COUNT = 5
# The group of staff of someone who did not give one.
NOT_GIVEN = ""


class Attended(NamedTuple):
    """One attended booking: who, their organisation now, the group they gave, when the session
    was (its last part's start) and the booking, which settles a tie between two bookings of
    the same time. A named tuple rather than a dataclass: a programme has tens of thousands."""

    person: int
    sector: str
    organisation: int
    staff_group: str
    starts_at: datetime
    booking: int = 0


class TrainedPerson(NamedTuple):
    person: int
    sector: str
    organisation: int
    staff_group: str


def trained_people(attended: Iterable[Attended]) -> list[TrainedPerson]:
    """Each person once, with the group of staff from their latest attended booking (of two at
    the same time, the one booked last)."""
    latest: dict[int, Attended] = {}
    for a in attended:
        seen = latest.get(a.person)
        if seen is None or (a.starts_at, a.booking) > (seen.starts_at, seen.booking):
            latest[a.person] = a
    return [
        TrainedPerson(a.person, a.sector, a.organisation, a.staff_group)
        for _p, a in sorted(latest.items())
    ]


@dataclass(frozen=True)
class Target:
    """How many people to train; a blank part (or None organisation) matches anyone."""

    key: int
    people: int
    sector: str = ""
    organisation: int | None = None
    staff_group: str = ""


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    trained: int

    @property
    def met(self) -> bool:
        return self.trained >= self.target.people

    @property
    def percent(self) -> Decimal:
        return progress_percent(self.trained, self.target.people)


def matches(target: Target, person: TrainedPerson) -> bool:
    return (
        (not target.sector or target.sector == person.sector)
        and (target.organisation is None or target.organisation == person.organisation)
        and (not target.staff_group or target.staff_group == person.staff_group)
    )


def progress(targets: Sequence[Target], people: Sequence[TrainedPerson]) -> list[TargetProgress]:
    """Each target with the number of trained people it counts, in the targets' order."""
    # People alike in everything a target can name are counted together, so each target looks
    # at a few hundred kinds of person rather than at every person.
    kinds = Counter(p._replace(person=0) for p in people)
    return [
        TargetProgress(t, sum(n for kind, n in kinds.items() if matches(t, kind))) for t in targets
    ]


def progress_percent(trained: int, target: int) -> Decimal:
    """Trained as a percentage of the target, to a whole number (half up); may pass 100."""
    if target <= 0:
        return Decimal(0)
    return (Decimal(trained * 100) / Decimal(target)).quantize(Decimal(1), ROUND_HALF_UP)


@dataclass(frozen=True)
class Count:
    """One row of a breakdown. ``shown`` is None when the count is withheld as too small."""

    key: str | int
    count: int
    shown: int | None

    @property
    def withheld(self) -> bool:
        return self.shown is None


def breakdown(
    people: Iterable[TrainedPerson], by: Callable[[TrainedPerson], str | int]
) -> list[Count]:
    """People trained per group, largest first, then by key; every count shown."""
    counts = Counter(by(p) for p in people)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [Count(k, n, n) for k, n in rows]


def withhold_small(rows: Sequence[Count], threshold: int = SMALL_COUNT) -> list[Count]:
    """The rows with counts from 1 to threshold - 1 withheld; if that withholds exactly one,
    the smallest count still shown is withheld too, so the total does not give it away."""
    small = {i for i, r in enumerate(rows) if 0 < r.count < threshold}
    if len(small) == 1:
        rest = [i for i in range(len(rows)) if i not in small and rows[i].count > 0]
        if rest:
            small.add(min(rest, key=lambda i: (rows[i].count, i)))
    return [Count(r.key, r.count, None if i in small else r.count) for i, r in enumerate(rows)]


def is_low_booking(
    *,
    capacity: int,
    taken: int,
    starts_at: datetime,
    now: datetime,
    days: int = LOW_BOOKING_DAYS,
) -> bool:
    """A session starting within ``days`` days (and not yet started) with fewer places taken
    than half its capacity."""
    if not now < starts_at <= now + timedelta(days=days):
        return False
    return taken * 2 < capacity
