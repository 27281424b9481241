"""Reads of organisational self-assessments, each scoped to the partnership."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tip.core.models import Organisation, Partnership
from tip.programmes.models_assessment import AssessmentLevel, ComponentRating, SelfAssessment


def organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    qs: QuerySet[Organisation] = Organisation.objects.for_partnership(partnership).order_by("name")
    return qs


def organisation_get(*, partnership: Partnership, organisation_id: int) -> Organisation:
    org: Organisation = get_object_or_404(
        Organisation.objects.for_partnership(partnership), pk=organisation_id
    )
    return org


@dataclass
class Round:
    """One assessment with its ratings by component code."""

    assessment: SelfAssessment
    ratings: dict[str, ComponentRating] = field(default_factory=dict)

    def count(self, level: str) -> int:
        return sum(1 for r in self.ratings.values() if r.level == level)

    @property
    def counts(self) -> dict[str, int]:
        return {level: self.count(level) for level in AssessmentLevel.values}


def rounds(*, partnership: Partnership, organisation: Organisation | None = None) -> list[Round]:
    """Every assessment in the partnership (or of one organisation), oldest first, with its
    ratings: two queries."""
    qs = SelfAssessment.objects.for_partnership(partnership).select_related(
        "organisation", "completed_by"
    )
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    found = {a.pk: Round(a) for a in qs.order_by("assessed_on", "pk")}
    for rating in ComponentRating.objects.for_partnership(partnership).filter(
        assessment_id__in=list(found)
    ):
        found[rating.assessment_id].ratings[rating.component_code] = rating
    return list(found.values())


def latest_by_organisation(all_rounds: list[Round]) -> dict[int, Round]:
    """Each organisation's most recent round."""
    latest: dict[int, Round] = {}
    for r in all_rounds:  # oldest first, so the last one wins
        latest[r.assessment.organisation_id] = r
    return latest


def ratings_for_export(*, partnership: Partnership) -> Iterator[ComponentRating]:
    qs = (
        ComponentRating.objects.for_partnership(partnership)
        .select_related("assessment__organisation", "assessment__completed_by")
        .order_by("assessment__organisation__name", "assessment__assessed_on", "assessment", "pk")
    )
    return qs.iterator()
