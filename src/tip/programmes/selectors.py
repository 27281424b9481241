"""Reads of programme data, each scoped to the partnership."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Partnership
from tip.programmes.models import Programme


def programme_list(*, partnership: Partnership) -> QuerySet[Programme]:
    qs: QuerySet[Programme] = (
        Programme.objects.for_partnership(partnership)
        .annotate(element_count=Count("elements", distinct=True))
        .order_by("name")
    )
    return qs


def programme_get(*, partnership: Partnership, programme_id: int) -> Programme:
    obj: Programme = get_object_or_404(
        Programme.objects.for_partnership(partnership), pk=programme_id
    )
    return obj
