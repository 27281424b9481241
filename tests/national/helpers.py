"""Shared aggregates and national analysts for the national app's tests."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils import timezone

from tests.factories import PartnershipFactory, UserFactory
from tip.core.models import User
from tip.evaluation.analysis.aggregate import InstrumentScores, build_aggregate
from tip.evaluation.models import EvaluationPlan
from tip.national.demo import synthetic_scores
from tip.national.models import NationalAnalyst, SharedAggregate
from tip.programmes.models import Programme

WAVES = [(1, "Baseline", "baseline", -7), (2, "After", "post", 0), (3, "Later", "follow_up", 182)]


def analyst(email: str = "analyst@national.example") -> User:
    user: User = UserFactory(email=email, full_name="Nat Analyst")
    NationalAnalyst.objects.create(user=user)
    return user


def payload(*, seed: int, trained: int = 40, comparison: int = 10, effect: float = 0.4) -> Any:
    frame = synthetic_scores(
        np.random.default_rng(seed),
        waves=WAVES,
        trained=trained,
        comparison=comparison,
        effect=effect,
        sectors=["police", "health"],
    )
    scores = InstrumentScores("tip-kac", 1, "Knowledge, attitudes and confidence", frame)
    return build_aggregate([scores], created="2026-01-01T00:00:00+00:00", nation="england")


def shared(name: str, *, seed: int, named: bool = False, **kwargs: Any) -> SharedAggregate:
    """A partnership called ``name`` with a programme and plan whose aggregate is shared."""
    partnership = PartnershipFactory(name=name)
    programme = Programme.objects.create(
        partnership=partnership, name=f"{name} programme", aims="Aims."
    )
    plan = EvaluationPlan.objects.create(partnership=partnership, programme=programme)
    return SharedAggregate.objects.create(
        partnership=partnership,
        plan=plan,
        payload=payload(seed=seed, **kwargs),
        named=named,
        shared_at=timezone.now(),
    )
