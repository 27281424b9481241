"""The delivery dashboard's arithmetic: people trained against a programme's targets, the
breakdowns by sector, organisation and group of staff, which sessions have too few bookings, and
which counts are too small to show. Pure computation (no Django), so the rules can be read and
tested on their own.

* **Trained**: a person (not a booking) the register marks *attended* at one or more sessions of
  the programme's courses. Partly attended does not count, as it earns no certificate. A person
  trained twice counts once. Their sector and organisation are their organisation's now; their
  group of staff is the one they gave on the latest booking at which they attended, the one made
  last, as the most recent thing they told us ("" when they gave none, shown as its own row).
  The database applies this rule and counts people of each kind (``Trained``): the arithmetic
  below needs only those counts, never who the people are.
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
    "Trained",
    "breakdown",
    "is_low_booking",
    "matches",
    "progress",
    "progress_percent",
    "total",
    "withhold_small",
]

LOW_BOOKING_DAYS = 14
SMALL_COUNT = 5
# The group of staff of someone who did not give one.
NOT_GIVEN = ""


class Trained(NamedTuple):
    """How many trained people are of one kind: the same sector, organisation and group of
    staff."""

    sector: str
    organisation: int
    staff_group: str
    people: int


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


def matches(target: Target, kind: Trained) -> bool:
    return (
        (not target.sector or target.sector == kind.sector)
        and (target.organisation is None or target.organisation == kind.organisation)
        and (not target.staff_group or target.staff_group == kind.staff_group)
    )


def progress(targets: Sequence[Target], trained: Sequence[Trained]) -> list[TargetProgress]:
    """Each target with the number of trained people it counts, in the targets' order."""
    return [TargetProgress(t, sum(k.people for k in trained if matches(t, k))) for t in targets]


def total(trained: Iterable[Trained]) -> int:
    return sum(k.people for k in trained)


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


def breakdown(trained: Iterable[Trained], by: Callable[[Trained], str | int]) -> list[Count]:
    """People trained per group, largest first, then by key; every count shown."""
    counts: Counter[str | int] = Counter()
    for kind in trained:
        counts[by(kind)] += kind.people
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
