"""Reads. Every read of tenant data takes the partnership and is scoped to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import (
    ApiToken,
    AuditEntry,
    Membership,
    MembershipRole,
    Organisation,
    Partnership,
    User,
)


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("partnership", "organisation")
        .prefetch_related("roles")
        .order_by("partnership__name")
    )


def organisation_list(*, partnership: Partnership) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = (
        Organisation.objects.for_partnership(partnership)
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    return qs


def organisation_get(*, partnership: Partnership, organisation_id: int) -> Organisation:
    """The partnership's organisation, or 404: another partnership's id is simply not found."""
    obj: Organisation = get_object_or_404(
        Organisation.objects.for_partnership(partnership), pk=organisation_id
    )
    return obj


def membership_list(
    *, partnership: Partnership, organisation: Organisation | None = None
) -> QuerySet[Membership]:
    qs = (
        Membership.objects.for_partnership(partnership)
        .select_related("user", "organisation")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.order_by("user__full_name")


def membership_get(*, partnership: Partnership, membership_id: int) -> Membership:
    obj: Membership = get_object_or_404(
        Membership.objects.for_partnership(partnership)
        .select_related("user", "organisation")
        .prefetch_related("roles"),
        pk=membership_id,
    )
    return obj


def api_token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership).order_by("-created_at")


def api_token_get(*, membership: Membership, token_id: int) -> ApiToken:
    obj: ApiToken = get_object_or_404(ApiToken.objects.filter(membership=membership), pk=token_id)
    return obj


def audit_search(
    *,
    partnership: Partnership,
    text: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """The partnership's audit log, newest first, filtered as an auditor asks."""
    qs = AuditEntry.objects.filter(partnership=partnership)
    if text:
        qs = qs.filter(
            Q(actor_email__icontains=text)
            | Q(object_type__icontains=text)
            | Q(object_repr__icontains=text)
            | Q(purpose__icontains=text)
            | Q(object_id=text)
        )
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")


def dashboard_counts(*, partnership: Partnership) -> dict[str, Any]:
    return {
        "organisations": Organisation.objects.for_partnership(partnership).count(),
        "people": Membership.objects.for_partnership(partnership).count(),
    }
