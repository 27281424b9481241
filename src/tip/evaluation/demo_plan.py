"""The demo's evaluation plan for Northshire's sample programme: the default waves, TIP's four
instruments at the waves they are written for, linked to the Theory of Change's outcomes (by
their outcomes-library codes) and those outcomes' indicators, and a comparison group.

Built through the services, so it is validated and audited. Idempotent: nothing is done once
the programme has a plan."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from tip.core.models import User
from tip.evaluation import services
from tip.evaluation.instrument_library import shipped_instrument
from tip.evaluation.models import EvaluationPlan, Wave
from tip.programmes.demo import LEAD, NAME, PARTNERSHIP
from tip.programmes.models import Element, Indicator, Programme

COMPARISON = (
    "Frontline staff in two partner organisations who are trained in the programme's second "
    "year, matched by sector and role."
)
NOTES = "Surveys are sent with the session's joining instructions and its follow-up invitations."
# (instrument, the default waves it is used at by offset, the outcomes' library codes)
MEASURES = [
    (
        "tip-kac",
        (-7, 0, 182, 365),
        ("practitioners.short.knowledge", "practitioners.short.confidence"),
    ),
    ("tip-feedback", (0,), ()),
    ("tip-practice-change", (182, 365), ("practitioners.medium.recognition",)),
    ("tip-observation", (182,), ("organisations.short.practice_and_policy",)),
]


def seed_demo_plan() -> str:
    programme = Programme.objects.filter(partnership__name=PARTNERSHIP, name=NAME).first()
    lead = User.objects.filter(email=LEAD).first()
    if programme is None or lead is None:
        return "Demo evaluation plan skipped: the sample programme is missing."
    if EvaluationPlan.objects.filter(programme=programme).exists():
        return "Demo evaluation plan already there."
    with transaction.atomic(), translation.override("en"):
        plan = services.plan_create(
            programme=programme,
            comparison_group=True,
            comparison_description=COMPARISON,
            notes=NOTES,
            by=lead,
        )
        waves = {w.offset_days: w for w in Wave.objects.filter(plan=plan)}
        outcomes = {
            e.outcome_code: e
            for e in Element.objects.filter(programme=programme, kind="outcome")
            if e.outcome_code
        }
        for instrument_id, offsets, codes in MEASURES:
            chosen = [outcomes[c] for c in codes if c in outcomes]
            services.measure_create(
                plan=plan,
                instrument_id=instrument_id,
                instrument_version=shipped_instrument(instrument_id).version,
                waves=[waves[o] for o in offsets],
                outcomes=chosen,
                indicators=list(Indicator.objects.filter(outcome__in=chosen)),
                by=lead,
            )
    return f"Demo evaluation plan created: {len(MEASURES)} instruments at 4 waves."
