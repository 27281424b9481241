"""A plan with an invitation reached by a personal link, for the survey pages' tests (made with
the models directly, not the invitation scheduler)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.conftest import World
from tests.evaluation.plan_helpers import Planned
from tip.core.roles import Role
from tip.evaluation import links
from tip.evaluation.models import EvaluationPlan, PlannedMeasure, Wave
from tip.evaluation.models_collection import Invitation, InvitationStatus, Respondent


@dataclass
class Survey:
    planned: Planned
    plan: EvaluationPlan
    wave: Wave
    invitation: Invitation
    token: str

    @property
    def start(self) -> str:
        return links.survey_path(self.token)

    def url(self, suffix: str) -> str:
        return self.start + suffix


def make_survey(
    world: World,
    *,
    anonymous: bool = False,
    offset: int = -7,
    instruments: tuple[str, ...] = ("tip-kac",),
    opens_in: timedelta = timedelta(hours=-1),
    closes_in: timedelta = timedelta(days=14),
    status: str = InvitationStatus.SENT,
    name: str = "Trauma-informed schools",
    with_account: bool = True,
) -> Survey:
    planned = Planned(world, name=name)
    plan = planned.plan()
    if anonymous:
        plan.anonymous = True
        plan.save(update_fields=["anonymous"])
    wave = planned.waves(plan)[offset]
    for instrument_id in instruments:
        measure = PlannedMeasure.objects.create(
            partnership=world.partnership,
            plan=plan,
            instrument_id=instrument_id,
            instrument_version=1,
        )
        measure.waves.set([wave])
    now = timezone.now()
    respondent = Respondent.objects.create(
        partnership=world.partnership,
        plan=plan,
        group="trained",
        membership=world.members[Role.PRACTITIONER] if with_account else None,
        anchor_date=(now + timedelta(days=7)).date(),
    )
    invitation = Invitation.objects.create(
        partnership=world.partnership,
        respondent=respondent,
        wave=wave,
        link_digest=links.unissued_digest(),
        status=status,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
    )
    token = links.issue_link(invitation)
    return Survey(planned, plan, wave, invitation, token)
