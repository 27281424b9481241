"""Collected data for the export and retention tests, made directly through the models (the
survey and invitation services have their own tests)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tip.evaluation.links import unissued_digest
from tip.evaluation.models import (
    EvaluationPlan,
    Invitation,
    Observation,
    Respondent,
    Response,
    Wave,
)


def answered(
    plan: EvaluationPlan,
    wave: Wave,
    *,
    email: str = "",
    answers: dict[str, Any] | None = None,
    closes_at: datetime.datetime | None = None,
    submitted_at: datetime.datetime | None = None,
    covariates: dict[str, Any] | None = None,
    code_hashes: Any = None,
    respondent: Respondent | None = None,
) -> Response:
    """A trained respondent (new unless given) invited at the wave, and their submitted answers."""
    closes = closes_at or timezone.now() - datetime.timedelta(days=1)
    if respondent is None:
        respondent = Respondent.objects.create(
            partnership_id=plan.partnership_id,
            plan=plan,
            group="trained",
            email=email,
            anchor_date=datetime.date(2025, 1, 10),
        )
    invitation = Invitation.objects.create(
        partnership_id=plan.partnership_id,
        respondent=respondent,
        wave=wave,
        link_digest=unissued_digest(),
        status="completed",
        opens_at=closes - datetime.timedelta(days=14),
        closes_at=closes,
    )
    return Response.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        wave=wave,
        invitation=invitation,
        respondent=respondent,
        group="trained",
        answers=answers
        if answers is not None
        else {
            "tip-kac": {"k01": "true", "a01": 4, "a02": 2},
            "tip-feedback": {"engaged": 5, "most_useful": '=HYPERLINK("x") the case studies'},
        },
        versions={"tip-kac": 1, "tip-feedback": 1},
        covariates=covariates if covariates is not None else {"sector": "education"},
        code_hashes=code_hashes,
        submitted_at=submitted_at or closes - datetime.timedelta(days=2),
    )


def observed(plan: EvaluationPlan, *, notes: str = "Calm room", by: Any = None) -> Observation:
    return Observation.objects.create(
        partnership_id=plan.partnership_id,
        plan=plan,
        team="Duty team",
        observed_on=datetime.date(2025, 3, 1),
        observer=by,
        instrument_id="tip-observation",
        instrument_version=1,
        answers={"safety": 3, "trust": 4, "went_well": "Good pacing", "setting": "meeting"},
        notes=notes,
    )
