"""The demo's training providers for Northshire: two providers, four trainers with a mix of
valid, expiring, applied-for and missing clearances, and three settings. Built through the
services, so every record is validated and audited. Idempotent.

Clearance dates are set relative to the day the demo is built, so the planner always shows each
case: ready, expiring before a training date, waiting for an application, and missing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from tip.core.models import Partnership, User
from tip.training import services_clearances, services_providers
from tip.training.models_providers import Provider

PARTNERSHIP = "Northshire Violence Reduction Partnership"
LEAD = "lead@northshire.example"
FIRST = "Northshire Trauma Recovery Centre"

YES_TO_KEY = {"qualification": "yes", "support_if_triggered": "yes", "training_experience": "yes"}
Clearances = list[tuple[str, str, int, int | None]]
TRAINERS: list[tuple[int, str, str, dict[str, str], Clearances]] = [
    # provider, name, role, answers, clearances: (type, status, days ago applied/issued, expires
    # in days or None)
    (
        0,
        "Dr Amara Okafor",
        "Clinical psychologist",
        YES_TO_KEY | {"professional_development": "yes", "young_people_experience": "yes"},
        [("dbs_enhanced_barred", "granted", 400, 700), ("nppv2", "granted", 300, 800)],
    ),
    (
        0,
        "Rhys Morgan",
        "Trauma therapist and trainer",
        YES_TO_KEY | {"cohort_experience": "yes"},
        # Expires in about six weeks: before a training date twelve weeks away.
        [("dbs_enhanced", "granted", 1000, 45), ("nppv1", "applied", 10, None)],
    ),
    (
        1,
        "Jade Thompson",
        "Youth worker",
        {"qualification": "partly", "support_if_triggered": "no", "lived_experience": "yes"},
        [("dbs_enhanced_barred", "applied", 5, None)],
    ),
    (
        1,
        "Sam Patel",
        "Community trainer",
        {"qualification": "yes", "training_experience": "yes", "support_if_triggered": "unknown"},
        [],
    ),
]
PROVIDERS = [
    (
        FIRST,
        "specialist",
        "Clinical psychologists who train multi-agency groups; commissioned for the first year.",
    ),
    (
        "Northshire Youth Voices",
        "voluntary",
        "A youth charity whose staff and volunteers bring lived experience into the training.",
    ),
]
SETTINGS = [
    ("Northshire secondary schools", "school", ["dbs_enhanced_barred", "school_clearance"]),
    ("Eastgate police custody suite", "custody", ["dbs_enhanced", "nppv2", "custody_access"]),
    ("Northshire youth centres", "community", ["dbs_enhanced"]),
]


def seed_demo_providers() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    if partnership is None or lead is None:
        return "Training providers skipped: the Northshire partnership is missing."
    if Provider.objects.filter(partnership=partnership, name=FIRST).exists():
        return "Training providers already there."
    with transaction.atomic():
        _build(partnership, lead)
    return "Training providers created: 2 providers, 4 trainers and 3 settings for Northshire."


def _build(partnership: Partnership, lead: User) -> None:
    today = services_clearances.london_today()
    providers = [
        services_providers.provider_create(
            partnership=partnership, name=name, kind=kind, description=about, by=lead
        )
        for name, kind, about in PROVIDERS
    ]
    for index, name, role, answers, clearances in TRAINERS:
        trainer = services_providers.trainer_create(
            provider=providers[index], name=name, role=role, by=lead
        )
        services_providers.trainer_answers_set(
            trainer=trainer, answers={code: (a, "") for code, a in answers.items()}, by=lead
        )
        for code, status, days_ago, expires_in in clearances:
            when = today - timedelta(days=days_ago)
            services_clearances.clearance_create(
                trainer=trainer,
                clearance_type=code,
                status=status,
                applied_on=when - timedelta(days=30) if status == "granted" else when,
                issued_on=when if status == "granted" else None,
                expires_on=today + timedelta(days=expires_in) if expires_in else None,
                by=lead,
            )
    for name, kind, required in SETTINGS:
        services_clearances.setting_create(
            partnership=partnership, name=name, kind=kind, required_clearances=required, by=lead
        )
    services_clearances.clearance_planning_set(
        partnership=partnership, lead_times={"nppv2": 63}, optimism_bias_percent=50, by=lead
    )
