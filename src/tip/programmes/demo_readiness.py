"""The demo's readiness check: who the sample programme is for, a co-design record and planning
answers, chosen so the report shows a mix of met, not met and unknown. Idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from tip.core.models import User
from tip.programmes import services
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP
from tip.programmes.models import CoDesignActivity, Programme
from tip.programmes.models_readiness import ReadinessAnswers
from tip.programmes.services_readiness import readiness_answers_set

ANSWERS: dict[str, dict[str, Any]] = {
    "wider_tip_integration": {
        "answer": "yes",
        "details": "Each agency is reviewing one policy and its supervision model alongside the "
        "training.",
    },
    "staff_wellbeing_support": {
        "answer": "yes",
        "details": "Monthly reflective practice and an employee assistance line.",
    },
    "knowledge_to_practice": {
        "answer": "yes",
        "details": "Sector case studies, and rewriting a real safeguarding referral together.",
    },
    "follow_up_planned": {
        "answer": "yes",
        "details": "Champions network and a refresher at 9 months.",
    },
    "course_hours": {"answer": 6},
    "train_the_trainer": {"answer": "yes"},
    "quality_assurance": {
        "answer": "yes",
        "details": "Every new trainer is observed twice; content changes go out from one "
        "master copy.",
    },
    "referral_routes": {
        "answer": "no",
        "details": "The map of therapeutic services for young people is not finished.",
    },
    "baseline_planned": {"answer": "yes"},
    "latest_follow_up_months": {"answer": 3},
    # screening_for_triage is left undecided, so one finding is unknown.
}


def seed_demo_readiness() -> str:
    programme = Programme.objects.filter(partnership__name=PARTNERSHIP, name=NAME).first()
    lead = User.objects.filter(email=LEAD).first()
    if programme is None or lead is None:
        return "Readiness answers skipped: the sample programme is missing."
    if ReadinessAnswers.objects.filter(programme=programme).exists():
        return "Readiness answers already there."
    with transaction.atomic():
        if not programme.target_groups:
            services.programme_update(
                programme=programme,
                name=programme.name,
                aims=programme.aims,
                target_sectors=["police", "health", "education", "childrens_services"],
                target_groups=["frontline", "managers", "support_staff"],
                by=lead,
            )
        if not CoDesignActivity.objects.filter(programme=programme).exists():
            services.codesign_create(
                programme=programme,
                who_took_part=["practitioners", "young_people"],
                who_else="",
                how="Two workshops with frontline staff and members of the youth forum, who "
                "reviewed the course outline and case studies.",
                held_on=datetime.date(2026, 2, 12),
                what_changed="Case studies rewritten in young people's words; a module on "
                "first contact added.",
                by=lead,
            )
        readiness_answers_set(programme=programme, answers=ANSWERS, by=lead)
    return "Readiness answers created for the sample programme."
