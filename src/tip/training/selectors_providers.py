"""Reads for providers and trainers, each scoped to the partnership: another partnership's ids
answer 404."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.training.analysis.trainers import ENOUGH, team_check
from tip.training.models_providers import Answer, Provider, Trainer, TrainerAnswer
from tip.training.trainer_questions import TrainerQuestion, load_questions


def provider_list(*, partnership: Partnership) -> QuerySet[Provider]:
    qs: QuerySet[Provider] = (
        Provider.objects.for_partnership(partnership)
        .annotate(trainer_count=Count("trainers"))
        .prefetch_related(
            Prefetch("trainers", queryset=Trainer.objects.prefetch_related("answers"))
        )
        .order_by("name")
    )
    return qs


def provider_get(*, partnership: Partnership, provider_id: int) -> Provider:
    obj: Provider = get_object_or_404(
        Provider.objects.for_partnership(partnership).select_related("partnership"),
        pk=provider_id,
    )
    return obj


def trainer_list(*, provider: Provider) -> list[Trainer]:
    return list(
        Trainer.objects.filter(provider=provider, partnership_id=provider.partnership_id)
        .prefetch_related("answers", "clearances")
        .order_by("name", "pk")
    )


def trainer_get(*, partnership: Partnership, trainer_id: int) -> Trainer:
    obj: Trainer = get_object_or_404(
        Trainer.objects.for_partnership(partnership).select_related("provider", "partnership"),
        pk=trainer_id,
    )
    return obj


def trainer_answers(*, trainer: Trainer) -> dict[str, TrainerAnswer]:
    """The trainer's answers by question code (from the prefetch when there is one)."""
    return {a.question_code: a for a in trainer.answers.all()}


@dataclass
class TrainerRow:
    trainer: Trainer
    meets: bool
    # (question, answer label) for each key criterion not met
    gaps: list[tuple[TrainerQuestion, str]] = field(default_factory=list)


@dataclass
class Team:
    """A provider's trainers against the key criteria: who meets them, and why the others not."""

    rows: list[TrainerRow]
    key_questions: list[TrainerQuestion]
    uncovered: list[TrainerQuestion]
    enough_needed: int = ENOUGH

    @property
    def meeting(self) -> list[Trainer]:
        return [r.trainer for r in self.rows if r.meets]

    @property
    def enough(self) -> bool:
        return len(self.meeting) >= self.enough_needed


def team(*, trainers: list[Trainer]) -> Team:
    """The key-criteria check for these trainers (their answers prefetched)."""
    questions = load_questions()
    by_code = {q.code: q for q in questions}
    keys = [q.code for q in questions if q.key]
    checked = team_check(
        {t.pk: {a.question_code: a.answer for a in t.answers.all()} for t in trainers},
        key_codes=keys,
        all_codes=[q.code for q in questions],
    )
    labels = dict(Answer.choices)
    rows = []
    for trainer, gaps in zip(trainers, checked.trainers, strict=True):
        rows.append(
            TrainerRow(
                trainer=trainer,
                meets=gaps.meets,
                gaps=[
                    (by_code[code], str(labels.get(answer, answer))) for code, answer in gaps.gaps
                ],
            )
        )
    return Team(
        rows=rows,
        key_questions=[by_code[c] for c in keys],
        uncovered=[by_code[c] for c in checked.uncovered],
    )


def meeting_count(*, provider: Provider) -> int:
    """How many of the provider's trainers meet the key criteria (trainers and answers
    prefetched, as `provider_list` does)."""
    return len(team(trainers=list(provider.trainers.all())).meeting)
