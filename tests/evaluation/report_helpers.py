"""An evaluation with answers for the report tests: a programme whose plan measures tip-kac at
the baseline, straight after and six months on, a trained group that improves (some drop out)
and a comparison cohort that does not, with covariates (sector, years in role, prior training,
organisation). Made in bulk through the models, so thousands of people take seconds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone

from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.core.models import Organisation
from tip.evaluation.links import unissued_digest
from tip.evaluation.models import (
    ComparisonCohort,
    EvaluationPlan,
    Invitation,
    PlannedMeasure,
    Respondent,
    Response,
    Wave,
)

KNOWLEDGE: tuple[str, ...] = ("k01", "k02", "k03", "k04", "k05", "k06", "k07", "k08", "k09", "k10")
KNOWLEDGE += ("k11", "k12", "k13", "k14")
KEY = dict(
    zip(
        KNOWLEDGE,
        (True, True, False, False, True, False, True, True, True, False, False, True, True, False),
        strict=True,
    )
)
ATTITUDES = tuple(f"a0{i}" for i in range(1, 9))
CONFIDENCE = tuple(f"c0{i}" for i in range(1, 9))
REVERSED = frozenset({"a02", "a04", "a06", "a08"})
SECTORS = ("education", "police", "health")


@dataclass
class Seeded:
    planned: Planned
    plan: EvaluationPlan
    waves: dict[int, Wave]
    measure: PlannedMeasure
    organisations: list[Organisation]


def _answers(rng: np.random.Generator, level: float) -> dict[str, Any]:
    """tip-kac answers for someone at ``level`` (0 to 1): knowledge items right with that
    chance, agreement around 1 + 4 * level."""
    answers: dict[str, Any] = {}
    for item in KNOWLEDGE:
        right = rng.random() < level
        answers[item] = "true" if KEY[item] == right else "false"
    for item in ATTITUDES + CONFIDENCE:
        value = int(np.clip(round(1 + 4 * level + rng.normal(0, 0.7)), 1, 5))
        # Reverse-scored items are answered the other way round; the scorer turns them back.
        answers[item] = 6 - value if item in REVERSED else value
    return answers


def seed_evaluation(
    world: World,
    *,
    trained: int = 30,
    comparison: int = 20,
    seed: int = 7,
    name: str = "Trauma-informed schools",
) -> Seeded:
    rng = np.random.default_rng(seed)
    planned = Planned(world, name=name)
    plan = planned.plan(comparison_group=True, comparison_description="Next year's staff")
    waves = planned.waves(plan)
    measure = planned.measure(plan, "tip-kac", offsets=(-7, 0, 182))
    p = world.partnership
    organisations = list(world.organisations) + [
        Organisation.objects.create(partnership=p, name=f"{name} org {i}", sector=SECTORS[i % 3])
        for i in range(4)
    ]
    cohort = ComparisonCohort.objects.create(
        partnership=p, plan=plan, name="Comparison", reference_date=datetime.date(2025, 1, 10)
    )
    people = Respondent.objects.bulk_create(
        [
            Respondent(
                partnership=p,
                plan=plan,
                group="trained" if i < trained else "comparison",
                cohort=None if i < trained else cohort,
                anchor_date=datetime.date(2025, 1, 10),
            )
            for i in range(trained + comparison)
        ]
    )
    now = timezone.now()
    invitations: list[Invitation] = []
    pending: list[dict[str, Any]] = []
    for i, person in enumerate(people):
        is_trained = person.group == "trained"
        start = float(np.clip(rng.normal(0.45, 0.12), 0.05, 0.95))
        gain = {-7: 0.0, 0: 0.15 if is_trained else 0.0, 182: 0.1 if is_trained else 0.02}
        covariates = {
            "sector": SECTORS[i % 3],
            "years_in_role": int(rng.integers(0, 20)),
            "prior_training": "yes" if rng.random() < 0.3 else "no",
            "organisation": organisations[i % len(organisations)].pk,
        }
        # One in eight answers the baseline only.
        gone = i % 8 == 3
        for offset in (-7, 0, 182):
            if not is_trained and offset == 0:
                continue
            invitation = Invitation(
                partnership=p,
                respondent=person,
                wave=waves[offset],
                link_digest=unissued_digest(),
                status="completed",
                opens_at=now - datetime.timedelta(days=30),
                closes_at=now - datetime.timedelta(days=1),
            )
            invitations.append(invitation)
            # Some never answer after the baseline.
            dropped = offset >= 0 and (gone or rng.random() < (0.25 if offset == 182 else 0.1))
            if dropped:
                invitation.status = "closed"
                continue
            pending.append(
                {
                    "invitation": invitation,
                    "respondent": person,
                    "wave": waves[offset],
                    "group": person.group,
                    "answers": {"tip-kac": _answers(rng, min(start + gain[offset], 0.98))},
                    "covariates": covariates if offset == -7 else {},
                }
            )
    Invitation.objects.bulk_create(invitations)
    Response.objects.bulk_create(
        [
            Response(
                partnership=p,
                plan=plan,
                wave=row["wave"],
                invitation=row["invitation"],
                respondent=row["respondent"],
                group=row["group"],
                answers=row["answers"],
                versions={"tip-kac": 1},
                covariates=row["covariates"],
                submitted_at=now - datetime.timedelta(days=2),
            )
            for row in pending
        ]
    )
    return Seeded(planned, plan, waves, measure, organisations)
