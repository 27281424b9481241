"""The demo's sample programme for Northshire: a Theory of Change built through the services,
so every record is validated and audited like a real one. Idempotent."""

from __future__ import annotations

from django.db import transaction

from tip.core.models import Partnership, User
from tip.programmes import services
from tip.programmes.models import Element, Programme
from tip.programmes.outcome_library import load_outcomes

NAME = "Northshire trauma-informed workforce programme"
PARTNERSHIP = "Northshire Violence Reduction Partnership"
LEAD = "lead@northshire.example"

ACTIVITIES = [
    "One-day, in-person trauma-informed training for frontline staff",
    "Train-the-trainer cascade with quality-assurance observations",
    "Monthly reflective-practice sessions for trained staff",
    "Champions network across the partner agencies",
]
OUTPUTS = [
    "600 practitioners trained across police, health, schools and councils",
    "20 in-house trainers accredited and observed twice",
    "Reflective-practice groups running in 8 organisations",
    "A champion in every partner organisation",
]
OUTCOMES = [
    "practitioners.short.knowledge",
    "practitioners.short.confidence",
    "practitioners.medium.recognition",
    "practitioners.medium.wellbeing",
    "organisations.short.practice_and_policy",
    "organisations.medium.multi_agency",
    "organisations.medium.referrals",
    "beneficiaries.short.relationships",
    "beneficiaries.medium.retraumatisation",
]
# (source, target, evidence, rationale); sources and targets are activity/output indexes
# ("a0", "o1") or outcome library codes.
LINKS = [
    ("a0", "o0", "strong", "Attendance is recorded at every session."),
    ("a1", "o1", "moderate", "Observations are planned for every new trainer."),
    ("a2", "o2", "moderate", "Groups are booked with each organisation's lead."),
    ("a3", "o3", "emerging", "Champions volunteer; some agencies may not have one."),
    ("o0", "practitioners.short.knowledge", "strong", "EIF: training raises knowledge."),
    ("o0", "practitioners.short.confidence", "moderate", "Pre/post surveys elsewhere."),
    ("o1", "practitioners.short.knowledge", "emerging", "Cascades can dilute content."),
    (
        "practitioners.short.knowledge",
        "practitioners.medium.recognition",
        "moderate",
        "Knowledge turns into practice when supported by supervision.",
    ),
    ("o2", "practitioners.medium.wellbeing", "emerging", "Reflective practice may reduce stress."),
    (
        "o3",
        "organisations.short.practice_and_policy",
        "none",
        "Assumed: champions will change local policies.",
    ),
    (
        "organisations.short.practice_and_policy",
        "organisations.medium.multi_agency",
        "emerging",
        "Shared language across agencies eases joint work.",
    ),
    (
        "organisations.medium.multi_agency",
        "organisations.medium.referrals",
        "none",
        "Assumed: better joint work brings better referrals.",
    ),
    (
        "practitioners.medium.recognition",
        "beneficiaries.short.relationships",
        "emerging",
        "Young people describe staff who notice them.",
    ),
    (
        "beneficiaries.short.relationships",
        "beneficiaries.medium.retraumatisation",
        "none",
        "Assumed: trusting relationships avoid re-traumatising practice.",
    ),
]
INDICATORS = {
    "practitioners.short.knowledge": (
        "Knowledge of trauma and its effects",
        "Survey with the same questions before and after training",
        "Trained practitioners",
        "Before training, straight after, and six months later",
    ),
    "practitioners.medium.recognition": (
        "Trauma-informed responses in practice",
        "Observation and case-file audit",
        "Supervisors and case files",
        "Six and twelve months after training",
    ),
    "organisations.medium.multi_agency": (
        "Joint case formulation",
        "Count of multi-agency case discussions",
        "Partner agencies' records",
        "Every quarter",
    ),
}


def seed_demo_programme() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    lead = User.objects.filter(email=LEAD).first()
    if partnership is None or lead is None:
        return "Sample programme skipped: the Northshire partnership is missing."
    if Programme.objects.filter(partnership=partnership, name=NAME).exists():
        return f"Sample programme already there: {NAME}."
    with transaction.atomic():
        _build(partnership, lead)
    return f"Sample programme created: {NAME}."


def _build(partnership: Partnership, lead: User) -> None:
    programme = services.programme_create(
        partnership=partnership,
        name=NAME,
        aims=(
            "Help staff across Northshire's agencies realise the impact of trauma, recognise its "
            "signs, respond in a trauma-informed way and avoid re-traumatising the people they "
            "support."
        ),
        by=lead,
    )
    library = {o.code: o for o in load_outcomes()}
    elements: dict[str, Element] = {}
    for i, title in enumerate(ACTIVITIES):
        elements[f"a{i}"] = services.element_create(
            programme=programme, kind="activity", title=title, by=lead
        )
    for i, title in enumerate(OUTPUTS):
        elements[f"o{i}"] = services.element_create(
            programme=programme, kind="output", title=title, by=lead
        )
    for code in OUTCOMES:
        outcome = library[code]
        elements[code] = services.element_create(
            programme=programme,
            kind="outcome",
            title=outcome.title_en,
            level=outcome.level,
            horizon=outcome.horizon,
            outcome_code=code,
            by=lead,
        )
    for source, target, evidence, rationale in LINKS:
        services.link_create(
            programme=programme,
            source=elements[source],
            target=elements[target],
            evidence=evidence,
            rationale=rationale,
            by=lead,
        )
    for code, (what, how, from_whom, when) in INDICATORS.items():
        services.indicator_create(
            outcome=elements[code], what=what, how=how, from_whom=from_whom, when=when, by=lead
        )
    services.note_create(
        programme=programme,
        kind="barrier",
        text="Police shift patterns make a full day away from duty hard to arrange.",
        element=elements["a0"],
        by=lead,
    )
    services.note_create(
        programme=programme,
        kind="enabler",
        text="The chief constable and the director of children's services sponsor the programme.",
        element=elements["a3"],
        by=lead,
    )
    services.note_create(
        programme=programme,
        kind="assumption",
        text="Staff can attend reflective practice in paid time.",
        element=elements["a2"],
        by=lead,
    )
