"""The demo gives Northshire language settings to look at, once."""

from __future__ import annotations

import io

from django.core.management import call_command

from tip.language import selectors
from tip.language.demo import OWN_RULE, PARTNERSHIP
from tip.language.models import AllowedPhrase, Feedback, PartnershipRule, SilencedRule


def _state() -> tuple[int, int, int, int]:
    return (
        PartnershipRule.objects.count(),
        SilencedRule.objects.count(),
        AllowedPhrase.objects.count(),
        Feedback.objects.count(),
    )


def test_seed_demo_adds_northshire_language_settings_once(db: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo language checker" in out.getvalue()
    rule = PartnershipRule.objects.get()
    assert rule.partnership.name == PARTNERSHIP and rule.rule_id == OWN_RULE["rule_id"]
    first = _state()
    assert first[1] == 1 and first[2] == 1 and first[3] >= 5
    counts = selectors.feedback_counts(rule.partnership)
    assert counts[0].recent >= counts[-1].recent
    call_command("seed_demo", stdout=io.StringIO())
    assert _state() == first
