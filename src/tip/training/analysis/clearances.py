"""Clearance dates: whether a trainer's clearances cover a setting on a date, and when to apply.

Pure date arithmetic, no Django import. Lead times are uplifted for optimism bias, as the
guidance advises ("consider optimism bias in your planning"): a 28-day lead time with a 50%
uplift is planned as 42 days, rounded up to whole days. Callers pass "today" (in Europe/London),
so the answers never depend on the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "Check",
    "Held",
    "Requirement",
    "Risk",
    "State",
    "apply_by",
    "check",
    "check_all",
    "uplifted_days",
]


class State(StrEnum):
    READY = "ready"  # granted and valid on the date
    APPLIED = "applied"  # applied for, not granted yet
    EXPIRES = "expires"  # granted, but expires before the date
    MISSING = "missing"  # neither held nor applied for


class Risk(StrEnum):
    NONE = "none"  # ready
    WAITING = "waiting"  # applied, and expected in time
    ACTION = "action"  # still time to apply, by `apply_by`
    AT_RISK = "at_risk"  # not expected in time, even applying today


@dataclass(frozen=True)
class Held:
    """A clearance a trainer holds or has applied for. `satisfies`: the codes it meets, its own
    and the lower levels it covers."""

    code: str
    granted: bool
    satisfies: frozenset[str]
    applied_on: date | None = None
    issued_on: date | None = None
    expires_on: date | None = None

    def valid_on(self, day: date) -> bool:
        if not self.granted or self.issued_on is None or self.issued_on > day:
            return False
        return self.expires_on is None or self.expires_on >= day


@dataclass(frozen=True)
class Requirement:
    code: str
    lead_time_days: int


@dataclass(frozen=True)
class Check:
    """How one required clearance stands for a date."""

    code: str
    state: State
    risk: Risk
    held: Held | None  # the clearance that decided the state, if any
    planned_days: int  # the lead time after the uplift
    apply_by: date | None  # the latest day to start an application (missing or expiring)
    expected_on: date | None  # when an application is expected to be granted

    @property
    def ready(self) -> bool:
        return self.state is State.READY


def uplifted_days(lead_time_days: int, optimism_bias_percent: int) -> int:
    """The lead time to plan with: the typical one plus the uplift, rounded up to whole days."""
    if lead_time_days < 0 or optimism_bias_percent < 0:
        raise ValueError("Lead times and the uplift cannot be negative.")
    return -(-lead_time_days * (100 + optimism_bias_percent) // 100)


def apply_by(needed_on: date, lead_time_days: int, optimism_bias_percent: int) -> date:
    """The latest day to start an application so it is granted by `needed_on`."""
    return needed_on - timedelta(days=uplifted_days(lead_time_days, optimism_bias_percent))


def check(
    requirement: Requirement,
    held: Iterable[Held],
    *,
    needed_on: date,
    today: date,
    optimism_bias_percent: int,
) -> Check:
    """Whether `held` meets `requirement` on `needed_on`, and if not, what to do by when."""
    days = uplifted_days(requirement.lead_time_days, optimism_bias_percent)
    latest = needed_on - timedelta(days=days)
    relevant = [h for h in held if requirement.code in h.satisfies]

    ready = [h for h in relevant if h.valid_on(needed_on)]
    if ready:
        return Check(requirement.code, State.READY, Risk.NONE, ready[0], days, None, None)

    applied = [h for h in relevant if not h.granted]
    if applied:
        # The application made first is the one expected first; no date means "applied today".
        expected = sorted((h.applied_on or today) + timedelta(days=days) for h in applied)[0]
        best = min(applied, key=lambda h: h.applied_on or today)
        risk = Risk.WAITING if expected <= needed_on else Risk.AT_RISK
        return Check(requirement.code, State.APPLIED, risk, best, days, None, expected)

    risk = Risk.ACTION if latest >= today else Risk.AT_RISK
    expiring = [h for h in relevant if h.granted and h.expires_on is not None]
    if expiring:
        last = max(expiring, key=lambda h: h.expires_on or needed_on)
        return Check(requirement.code, State.EXPIRES, risk, last, days, latest, None)
    return Check(requirement.code, State.MISSING, risk, None, days, latest, None)


def check_all(
    requirements: Iterable[Requirement],
    held: Iterable[Held],
    *,
    needed_on: date,
    today: date,
    optimism_bias_percent: int,
) -> list[Check]:
    """`check` for each requirement, in the order given."""
    held = list(held)
    return [
        check(
            r, held, needed_on=needed_on, today=today, optimism_bias_percent=optimism_bias_percent
        )
        for r in requirements
    ]
