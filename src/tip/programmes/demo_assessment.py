"""The demo's self-assessments: two rounds for each of Northshire's organisations, about six
months apart, showing progress. Recorded through the service, so each is validated and audited
like a real one. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tip.core.models import Organisation, Partnership, User
from tip.programmes.components import load_components
from tip.programmes.demo import LEAD, PARTNERSHIP
from tip.programmes.models_assessment import AssessmentLevel, SelfAssessment
from tip.programmes.services_assessment import RatingInput, assessment_record

LEVELS = list(AssessmentLevel.values)  # not started, planning, developing, embedded

EVIDENCE = {
    "workforce.training": ("Training plan agreed", "Training records"),
    "workforce.secondary_trauma": ("", "Monthly reflective-practice sessions"),
    "environment.written_policies": ("Policy review booked", "Policies updated and approved"),
    "services.screening": ("", "Screening informs a full assessment; it never decides access"),
}


def seed_demo_self_assessment() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    if partnership is None or lead is None:
        return "Sample self-assessments skipped: the Northshire partnership is missing."
    if SelfAssessment.objects.for_partnership(partnership).exists():
        return "Sample self-assessments already there."
    organisations = list(Organisation.objects.for_partnership(partnership).order_by("name"))
    today = timezone.localdate()
    first, second = today - datetime.timedelta(days=210), today - datetime.timedelta(days=28)
    with transaction.atomic():
        for number, organisation in enumerate(organisations):
            _record(partnership, organisation, lead, first, number, later=False)
            _record(partnership, organisation, lead, second, number, later=True)
    return f"Sample self-assessments created: two rounds for {len(organisations)} organisations."


def _record(
    partnership: Partnership,
    organisation: Organisation,
    by: User,
    on: datetime.date,
    number: int,
    *,
    later: bool,
) -> None:
    ratings = {}
    for index, component in enumerate(load_components()):
        start = (index + number) % 3  # not started, planning or developing at first
        # Six months on, most components move up a level; a few stay where they were.
        step = 1 if later and (index + number) % 5 else 0
        level = LEVELS[min(start + step, len(LEVELS) - 1)]
        before, after = EVIDENCE.get(component.code, ("", ""))
        evidence = after if later else before
        ratings[component.code] = RatingInput(
            level=level,
            evidence=evidence,
            owner="Trauma-informed practice champion" if evidence else "",
        )
    assessment_record(
        partnership=partnership,
        organisation=organisation,
        assessed_on=on,
        ratings=ratings,
        by=by,
    )
