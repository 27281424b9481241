"""The demo's language settings for Northshire: a rule of its own (local jargon), one of TIP's
rules silenced with a reason, a place's name it never wants flagged, and some "not relevant
here" feedback over the last months, so the settings page shows which rules misfire.

Idempotent: once Northshire has a rule of its own, nothing more is added."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tip.core.models import Partnership, User
from tip.language import selectors, services
from tip.language.models import Feedback, PartnershipRule

PARTNERSHIP = "Northshire Violence Reduction Partnership"
ADMIN = "admin@northshire.example"
LEAD = "lead@northshire.example"

OWN_RULE: dict[str, Any] = {
    "rule_id": "northshire-nfa",
    "language": "en",
    "category": "care-jargon",
    "applies_to": "all",
    "severity": "suggestion",
    "phrases": ["=NFA", "no further action"],
    "exceptions": [],
    "explanation": (
        "People read their own records. 'NFA' tells them nothing, and 'no further action' can "
        "read as 'nothing happened to you matters'. Say what was decided and what support is "
        "still there."
    ),
    "suggestions": [
        "the police will not take the case further because [say why]; [say what support is "
        "still offered]"
    ],
    "source": "Northshire VRP language guide (2025)",
}
# Preferred rules to silence and to count feedback for, if TIP's rules have them.
SILENCE = ("placement", "contact")
ALLOWED = "Hope House"


def _pick(language: str, wanted: tuple[str, ...], skip: set[str]) -> str | None:
    ids = [rule.id for rule in selectors.shipped_rules(language)]
    for rule_id in (*wanted, *ids):
        if rule_id in ids and rule_id not in skip:
            return rule_id
    return None


def seed_demo_language() -> str:
    partnership = Partnership.objects.filter(name=PARTNERSHIP).first()
    admin = User.objects.filter(email=ADMIN).first()
    lead = User.objects.filter(email=LEAD).first() or admin
    if partnership is None or admin is None or lead is None:
        return "Demo language checker: no Northshire yet, nothing added."
    if PartnershipRule.objects.filter(partnership=partnership).exists():
        return "Demo language checker: Northshire's settings are already there."
    with transaction.atomic():
        services.partnership_rule_create(partnership=partnership, by=admin, **OWN_RULE)
        silenced = _pick("en", SILENCE, set())
        if silenced:
            services.shipped_rule_silence(
                partnership=partnership,
                by=admin,
                rule_id=silenced,
                language="en",
                reason=(
                    "Our foster carers' association asked us to keep this word in placement "
                    "agreements; we review this in April."
                ),
            )
        services.phrase_allow(partnership=partnership, by=admin, phrase=ALLOWED, language="en")
        today = timezone.localdate()
        counted = 0
        others = [
            rule_id
            for rule_id in (
                _pick("en", (), {silenced or ""}),
                _pick("en", ("refused-to-engage",), {silenced or ""}),
            )
            if rule_id
        ]
        marks = [(rule_id, days) for rule_id in others[:1] for days in (3, 12, 40, 75, 130)]
        marks += [(rule_id, days) for rule_id in others[1:] for days in (20, 200)]
        marks += [(str(OWN_RULE["rule_id"]), 8)]
        for rule_id, days in marks:
            services.feedback_record(
                partnership=partnership,
                by=lead,
                rule=rule_id,
                where="language:check",
                language="en",
                on=today - datetime.timedelta(days=days),
            )
            counted += 1
    total = Feedback.objects.filter(partnership=partnership).count()
    return (
        f"Demo language checker: Northshire has a rule of its own, a silenced rule, an allowed "
        f"phrase and {counted} 'not relevant here' marks ({total} in all): see "
        "http://127.0.0.1:8000/language/settings/"
    )
