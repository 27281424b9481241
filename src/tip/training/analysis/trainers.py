"""Whether a provider has enough trainers who meet the key criteria, and why the others do not.

The guidance asks whether "multiple trainers ... can fulfil key criteria and deliver to the same
standard in case one trainer is unable to complete all the delivery", so "enough" is at least
two. Answers are "yes", "partly", "no" or "unknown"; only "yes" meets a criterion. Pure Python,
no Django import.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["ENOUGH", "TeamCheck", "TrainerGaps", "key_criteria_gaps", "team_check"]

ENOUGH = 2
MEETS = "yes"


@dataclass(frozen=True)
class TrainerGaps:
    """One trainer, and the key criteria they do not meet, each with their answer."""

    trainer: Hashable
    gaps: tuple[tuple[str, str], ...]  # (question code, answer or "unknown")

    @property
    def meets(self) -> bool:
        return not self.gaps


@dataclass(frozen=True)
class TeamCheck:
    trainers: tuple[TrainerGaps, ...]
    uncovered: tuple[str, ...]  # questions no trainer answers "yes" to, key or not

    @property
    def meeting(self) -> list[Hashable]:
        return [t.trainer for t in self.trainers if t.meets]

    @property
    def enough(self) -> bool:
        return len(self.meeting) >= ENOUGH


def key_criteria_gaps(
    answers: Mapping[str, str], key_codes: Sequence[str]
) -> list[tuple[str, str]]:
    """The key criteria not met, in question order, with the answer given ("unknown" if none)."""
    return [
        (code, answers.get(code, "unknown")) for code in key_codes if answers.get(code) != MEETS
    ]


def team_check(
    trainers: Mapping[Hashable, Mapping[str, str]],
    *,
    key_codes: Sequence[str],
    all_codes: Sequence[str],
) -> TeamCheck:
    """Each trainer's gaps against the key criteria, and the questions nobody in the team meets
    (the guidance allows criteria to be "spread across a team of trainers")."""
    checked = tuple(
        TrainerGaps(trainer, tuple(key_criteria_gaps(answers, key_codes)))
        for trainer, answers in trainers.items()
    )
    uncovered = tuple(
        code for code in all_codes if not any(a.get(code) == MEETS for a in trainers.values())
    )
    return TeamCheck(checked, uncovered)
