"""The train-the-trainer cascade: a certified trainer's standing, whether they are out of date
with the course's content, the tree of who trained whom, and whether quality assurance is in
place. Pure Python, no Django import.

The guidance ("Train the trainer") warns that cascaded training drifts: "How will you measure the
quality ... If you need to make changes to the content ... how will you cascade this and ensure
consistency?" TIP answers with observations and acknowledged versions:

* A trainer is **certified** on the day they are certified. Their first observation is due
  ``observation_due_days`` later (default 90). A certification **lapses**
  ``certification_lapses_days`` (default 365) after the later of the certification and the last
  observation since it; an observed trainer is due again ``observation_due_days`` before that.
* A trainer is **out of date** when the course has a later version than the one they were
  certified on and they have not acknowledged the latest one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "CERTIFIED",
    "LAPSED",
    "OBSERVATION_DUE",
    "STATUSES",
    "QaSummary",
    "Standing",
    "TreeNode",
    "cascade_tree",
    "is_out_of_date",
    "qa_summary",
    "standing",
]

CERTIFIED = "certified"
OBSERVATION_DUE = "observation_due"
LAPSED = "lapsed"
STATUSES = (CERTIFIED, OBSERVATION_DUE, LAPSED)

DEFAULT_OBSERVATION_DUE_DAYS = 90
DEFAULT_CERTIFICATION_LAPSES_DAYS = 365


@dataclass(frozen=True)
class Standing:
    """A certified trainer's status on one course on a day, with the dates that decide it."""

    status: str
    certified_on: date
    last_observed_on: date | None
    observation_due_on: date
    lapses_on: date

    @property
    def observed(self) -> bool:
        """Observed at least once since they were certified."""
        return self.last_observed_on is not None


def standing(
    *,
    certified_on: date,
    observed_on: Iterable[date | None],
    today: date,
    observation_due_days: int = DEFAULT_OBSERVATION_DUE_DAYS,
    certification_lapses_days: int = DEFAULT_CERTIFICATION_LAPSES_DAYS,
) -> Standing:
    """The trainer's status on ``today``. Observations before the certification or after today
    do not count (one before it observed someone not yet certified on this content)."""
    if observation_due_days < 0 or certification_lapses_days < 0:
        raise ValueError("days must not be negative")
    counted = [d for d in observed_on if d is not None and certified_on <= d <= today]
    last = max(counted) if counted else None
    anchor = last or certified_on
    lapses_on = anchor + timedelta(days=certification_lapses_days)
    if last is None:
        due_on = min(certified_on + timedelta(days=observation_due_days), lapses_on)
    else:
        due_on = max(anchor, lapses_on - timedelta(days=observation_due_days))
    if today >= lapses_on:
        status = LAPSED
    elif today >= due_on:
        status = OBSERVATION_DUE
    else:
        status = CERTIFIED
    return Standing(status, certified_on, last, due_on, lapses_on)


def is_out_of_date(
    *, certified_version: int, latest_version: int, acknowledged: Iterable[int] = ()
) -> bool:
    """Certified on an earlier version than the latest, which they have not acknowledged."""
    return certified_version < latest_version and latest_version not in set(acknowledged)


@dataclass
class TreeNode:
    key: Hashable
    children: list[TreeNode] = field(default_factory=list)

    def walk(self) -> Iterable[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def cascade_tree(
    keys: Sequence[Hashable], parent_of: Mapping[Hashable, Hashable | None]
) -> list[TreeNode]:
    """Who trained whom, as a forest in the order of ``keys``: each key under its parent.

    A key whose parent is missing (not certified on this course, or removed), itself, or part of
    a loop (A trained B and B trained A: a data-entry mistake) starts a tree of its own, so every
    key appears exactly once whatever the data."""
    nodes = {k: TreeNode(k) for k in keys}

    def rooted(key: Hashable) -> bool:
        """Whether following parents from ``key`` ends at a root, not in a loop."""
        seen = {key}
        current = parent_of.get(key)
        while current is not None and current in nodes:
            if current in seen:
                return False
            seen.add(current)
            current = parent_of.get(current)
        return True

    roots: list[TreeNode] = []
    for key in keys:
        parent = parent_of.get(key)
        if parent is not None and parent in nodes and parent != key and rooted(key):
            nodes[parent].children.append(nodes[key])
        else:
            roots.append(nodes[key])
    return roots


@dataclass(frozen=True)
class QaSummary:
    """Counts behind the readiness check's "quality assurance in place" for cascades."""

    trainers: int
    observed: int
    not_yet_due: int
    due: int
    lapsed: int

    @property
    def in_place(self) -> bool | None:
        """True when every certified trainer has been observed since certification or is not yet
        due; False when any has lapsed; None (not known yet) when none is certified, or some are
        due without having lapsed."""
        if not self.trainers:
            return None
        if self.lapsed:
            return False
        if self.observed + self.not_yet_due == self.trainers:
            return True
        return None


def qa_summary(standings: Iterable[Standing]) -> QaSummary:
    trainers = observed = not_yet_due = due = lapsed = 0
    for s in standings:
        trainers += 1
        if s.status == LAPSED:
            lapsed += 1
        elif s.observed:
            observed += 1
        elif s.status == CERTIFIED:
            not_yet_due += 1
        else:
            due += 1
    return QaSummary(trainers, observed, not_yet_due, due, lapsed)
