"""Reading a partnership's language settings, scoped to it: another partnership's ids are not
found (404). TIP's own rules come from the engine's rule files."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tip.core.models import Partnership
from tip.language.checker import Rule, load_shipped
from tip.language.models import AllowedPhrase, Feedback, PartnershipRule, SilencedRule

RECENT_DAYS = 90


def shipped_rules(language: str) -> tuple[Rule, ...]:
    """TIP's rules for the language, in the order of the rule file."""
    return load_shipped(language).rules


def shipped_rule_ids(language: str) -> frozenset[str]:
    return frozenset(rule.id for rule in shipped_rules(language))


def partnership_rules(
    partnership: Partnership, language: str | None = None
) -> QuerySet[PartnershipRule]:
    qs = PartnershipRule.objects.filter(partnership=partnership)
    return qs.filter(language=language) if language else qs


def partnership_rule_get(*, partnership: Partnership, partnership_rule_id: int) -> PartnershipRule:
    return get_object_or_404(PartnershipRule, partnership=partnership, pk=partnership_rule_id)


def silenced_rules(partnership: Partnership, language: str | None = None) -> QuerySet[SilencedRule]:
    qs = SilencedRule.objects.filter(partnership=partnership)
    return qs.filter(language=language) if language else qs


def silenced_rule_get(*, partnership: Partnership, silenced_rule_id: int) -> SilencedRule:
    return get_object_or_404(SilencedRule, partnership=partnership, pk=silenced_rule_id)


def allowed_phrases(
    partnership: Partnership, language: str | None = None
) -> QuerySet[AllowedPhrase]:
    qs = AllowedPhrase.objects.filter(partnership=partnership)
    return qs.filter(language=language) if language else qs


def allowed_phrase_get(*, partnership: Partnership, allowed_phrase_id: int) -> AllowedPhrase:
    return get_object_or_404(AllowedPhrase, partnership=partnership, pk=allowed_phrase_id)


@dataclass(frozen=True)
class FeedbackCount:
    """How often a rule was marked "not relevant here" in the partnership."""

    rule_id: str
    language: str
    recent: int  # in the last RECENT_DAYS days
    total: int
    last: datetime.date


def feedback_counts(partnership: Partnership) -> list[FeedbackCount]:
    """Per rule and language, the most marked in the last 90 days first: the rules that misfire.
    One query, whatever the number of rules or marks."""
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS)
    rows = (
        Feedback.objects.filter(partnership=partnership)
        .values("rule_id", "language")
        .annotate(
            total=Count("pk"),
            recent=Count("pk", filter=Q(recorded_on__gte=since)),
            last=Max("recorded_on"),
        )
        .order_by("-recent", "-total", "rule_id", "language")
    )
    return [
        FeedbackCount(
            rule_id=row["rule_id"],
            language=row["language"],
            recent=row["recent"],
            total=row["total"],
            last=row["last"],
        )
        for row in rows
    ]
