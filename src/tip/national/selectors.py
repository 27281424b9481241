"""Reading what has been shared: for the national view (every share, labelled) and for a
partnership's own sharing page (its plan and its share)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tip.core.models import Partnership
from tip.evaluation.models import EvaluationPlan
from tip.national.models import SharedAggregate
from tip.national.pooling import Share


def shares_for_national_view() -> list[Share]:
    """Every shared aggregate, oldest share first, in one query. A partnership that agreed to be
    named is shown by name; the others as "Partnership 1", "Partnership 2"... numbered in that
    order among the unnamed."""
    found = []
    unnamed = 0
    rows = SharedAggregate.objects.order_by("shared_at", "pk").values_list(
        "named", "payload", "partnership__name", "plan__programme__name"
    )
    for named, payload, partnership, programme in rows:
        if named:
            label = f"{partnership}: {programme}"
        else:
            unnamed += 1
            label = _("Partnership %(number)s") % {"number": unnamed}
        found.append(Share(label=label, payload=payload))
    return found


def plan_of(partnership: Partnership, programme_id: int) -> EvaluationPlan:
    """The programme's evaluation plan, in the partnership only (404 otherwise)."""
    plan: EvaluationPlan = get_object_or_404(
        EvaluationPlan.objects.select_related("programme", "partnership"),
        partnership=partnership,
        programme_id=programme_id,
    )
    return plan


def plans_with_shares(
    partnership: Partnership,
) -> list[tuple[EvaluationPlan, SharedAggregate | None]]:
    """The partnership's evaluation plans by programme name, each with its share (two
    queries)."""
    plans = list(
        EvaluationPlan.objects.filter(partnership=partnership)
        .select_related("programme")
        .order_by("programme__name", "pk")
    )
    shares = {s.plan_id: s for s in SharedAggregate.objects.filter(partnership=partnership)}
    return [(plan, shares.get(plan.pk)) for plan in plans]


def share_of(plan: EvaluationPlan) -> SharedAggregate | None:
    return SharedAggregate.objects.filter(partnership_id=plan.partnership_id, plan=plan).first()
