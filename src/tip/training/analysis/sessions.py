"""Session times: reading a date and a wall-clock time in Europe/London, and finding trainers'
clashes between sessions. Pure code, no Django import.

Clock changes in Europe/London:

* In spring the clocks go forward at 01:00 GMT: on that Sunday the times from 01:00 to 01:59
  never happen. Such a time is refused (``NonexistentTime``), naming it.
* In autumn the clocks go back at 02:00 BST: on that Sunday the times from 01:00 to 01:59
  happen twice. TIP reads such a time as the first time it happens, while British Summer Time
  still applies (``LocalTime.ambiguous`` says so, so the page can tell the person).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

__all__ = [
    "LONDON",
    "Clash",
    "Interval",
    "LocalTime",
    "NonexistentTime",
    "clashes",
    "from_london",
    "overlaps",
    "to_london",
]

LONDON = ZoneInfo("Europe/London")


class NonexistentTime(ValueError):
    """A wall-clock time that does not happen in Europe/London (the spring clock change)."""

    def __init__(self, day: date, at: time) -> None:
        super().__init__(f"{at:%H:%M} on {day.isoformat()} does not exist in Europe/London")
        self.day = day
        self.at = at


@dataclass(frozen=True)
class LocalTime:
    """A London wall-clock time read as an instant. `ambiguous`: it happens twice (autumn), and
    was read as the first time, in British Summer Time."""

    utc: datetime
    ambiguous: bool = False


def from_london(day: date, at: time) -> LocalTime:
    """The instant (aware, UTC) of `at` on `day` in Europe/London.

    Raises NonexistentTime for a time skipped when the clocks go forward; reads a repeated time
    (clocks going back) as its first occurrence and says it was ambiguous."""
    first = datetime.combine(day, at.replace(tzinfo=None), tzinfo=LONDON).replace(fold=0)
    second = first.replace(fold=1)
    as_utc = first.astimezone(UTC)
    # A skipped time does not survive the round trip: 01:30 becomes 02:30 BST.
    back = as_utc.astimezone(LONDON)
    if (back.date(), back.time().replace(tzinfo=None)) != (day, first.time()):
        raise NonexistentTime(day, at)
    return LocalTime(utc=as_utc, ambiguous=first.utcoffset() != second.utcoffset())


def to_london(instant: datetime) -> datetime:
    """An aware instant as Europe/London wall-clock time."""
    if instant.tzinfo is None:
        raise ValueError("A naive datetime has no instant to convert")
    return instant.astimezone(LONDON)


@dataclass(frozen=True)
class Interval:
    """A span of time: [starts, ends), aware datetimes."""

    starts: datetime
    ends: datetime


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two spans share any time. One ending as the other starts is not an overlap, so a
    trainer may teach 09:00 to 12:00 and 12:00 to 15:00."""
    return a.starts < b.ends and b.starts < a.ends


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Clash(Generic[K]):
    """A part of this session (`mine`) overlaps a part (`theirs`) of another session (`other`)."""

    other: K
    mine: Interval
    theirs: Interval


def clashes(mine: Sequence[Interval], others: Mapping[K, Iterable[Interval]]) -> list[Clash[K]]:
    """Every overlap between this session's parts and each other session's parts, earliest
    first. `others` maps another session's key to its parts."""
    found = [
        Clash(other=key, mine=m, theirs=t)
        for key, parts in others.items()
        for t in parts
        for m in mine
        if overlaps(m, t)
    ]
    return sorted(found, key=lambda c: (c.theirs.starts, c.mine.starts))
