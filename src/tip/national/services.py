"""Sharing a programme's aggregate, withdrawing it, and granting national-analyst access.
Every share and withdrawal is written to the partnership's audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Membership, User
from tip.evaluation import aggregates
from tip.evaluation.models import EvaluationPlan
from tip.national.models import NationalAnalyst, SharedAggregate


@transaction.atomic
def share(
    *, plan: EvaluationPlan, by: Any, named: bool, payload: dict[str, Any] | None = None
) -> SharedAggregate:
    """Share the plan's aggregate (built now, unless ``payload`` is given, as the demo's
    fictional partnerships do), replacing any earlier share of the plan. The payload must match
    the schema."""
    payload = aggregates.plan_aggregate(plan) if payload is None else payload
    try:
        aggregates.validate(payload)
    except aggregates.AggregateInvalid as exc:
        raise ValidationError(str(exc)) from exc
    shared, created = SharedAggregate.objects.update_or_create(
        plan=plan,
        defaults={
            "partnership_id": plan.partnership_id,
            "payload": payload,
            "named": named,
            "shared_by": by,
            "shared_at": timezone.now(),
        },
    )
    audit_change(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=shared,
        partnership=plan.partnership,
        changed_fields=["payload", "named", "shared_at"],
        summary=f"Shared the aggregate of evaluation plan {plan.pk}"
        + (" with the partnership named" if named else " without the partnership's name"),
    )
    return shared


@transaction.atomic
def withdraw(*, plan: EvaluationPlan, by: Any) -> bool:
    """Withdraw the plan's shared aggregate; False when there was none."""
    shared = SharedAggregate.objects.filter(plan=plan, partnership_id=plan.partnership_id).first()
    if shared is None:
        return False
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=shared,
        partnership=plan.partnership,
        summary=f"Withdrew the shared aggregate of evaluation plan {plan.pk}",
    )
    shared.delete()
    return True


class GrantRefused(ValueError):
    """Granting national-analyst access is not possible; the message says why."""


def grant_national_analyst(*, email: str, note: str = "") -> NationalAnalyst:
    """Let the person with this email address see the national view. Refused for someone who
    belongs to a partnership: a national analyst sees aggregates only, so keeps no other role."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise GrantRefused(f"Nobody has the email address {email}. Add their account first.")
    if Membership.objects.filter(user=user).exists():
        raise GrantRefused(
            f"{user.email} belongs to a partnership. A national analyst must not: use a separate "
            "account for national analysis."
        )
    analyst, _created = NationalAnalyst.objects.update_or_create(
        user=user, defaults={"active": True, **({"note": note} if note else {})}
    )
    return analyst
