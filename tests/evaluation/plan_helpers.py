"""A programme with a small Theory of Change, for the evaluation plan's tests."""

from __future__ import annotations

from tests.conftest import World
from tip.core.roles import Role
from tip.evaluation import services
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave
from tip.programmes import services as programme_services
from tip.programmes.models import Element, Indicator, Programme


class Planned:
    """A programme with an outcome (with an indicator) and an activity; `plan()` adds the
    evaluation plan with its default waves, `measure()` an instrument on it."""

    def __init__(self, world: World, name: str = "Trauma-informed schools") -> None:
        self.world = world
        self.lead = world.user(Role.PROGRAMME_LEAD)
        self.programme: Programme = programme_services.programme_create(
            partnership=world.partnership, name=name, aims="", by=self.lead
        )
        self.outcome: Element = programme_services.element_create(
            programme=self.programme,
            kind="outcome",
            title="Staff recognise trauma",
            level="practitioners",
            horizon="short",
            by=self.lead,
        )
        self.activity: Element = programme_services.element_create(
            programme=self.programme, kind="activity", title="Training", by=self.lead
        )
        self.indicator: Indicator = programme_services.indicator_create(
            outcome=self.outcome,
            what="Confidence",
            how="Survey",
            from_whom="Staff",
            when="Termly",
            by=self.lead,
        )

    def plan(self, **values: object) -> EvaluationPlan:
        return services.plan_create(programme=self.programme, by=self.lead, **values)  # type: ignore[arg-type]

    def waves(self, plan: EvaluationPlan) -> dict[int, Wave]:
        return {w.offset_days: w for w in plan.waves.all()}

    def measure(
        self, plan: EvaluationPlan, instrument: str = "tip-kac", offsets: tuple[int, ...] = (-7,)
    ) -> PlannedMeasure:
        waves = self.waves(plan)
        return services.measure_create(
            plan=plan,
            instrument_id=instrument,
            instrument_version=1,
            waves=[waves[o] for o in offsets],
            outcomes=[self.outcome],
            indicators=[self.indicator],
            by=self.lead,
        )
