"""Organisational self-assessment in the JSON API: the components, the assessments, each
organisation's latest (the heatmap), and recording a new assessment.

Registered from ProgrammesConfig.ready() at /api/self-assessments. The page's service records the
assessment, so the API refuses what the page refuses, with the same messages, and writes the same
audit entry. Reading needs `view_programmes`; recording needs `assess_organisations`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, field_validator

from tip.core.api import VIA, InputSchema, _documented, _need
from tip.core.models import Organisation
from tip.programmes import selectors_assessment as selectors
from tip.programmes import services_assessment as services
from tip.programmes.components import Component, load_components
from tip.programmes.models_assessment import AssessmentLevel, ComponentRating, SelfAssessment
from tip.programmes.roles import ASSESS_ORGANISATIONS, VIEW_PROGRAMMES

router = Router(tags=["self-assessment"])


class ComponentOut(Schema):
    code: str = Field(description="The key to rate it under in `ratings`.")
    group: str = Field(description="workforce, services, environment or yef.")
    title: str
    caution: str = Field(description="What to take care over when rating it; often empty.")


class RatingOut(Schema):
    component: str = Field(description="The component's code.")
    title: str = Field(description="The component's title; empty for a code no longer listed.")
    level: AssessmentLevel
    evidence: str
    owner: str


class AssessmentSummaryOut(Schema):
    id: int
    organisation: int = Field(description="The organisation's id.")
    organisation_name: str
    assessed_on: date
    created_at: datetime
    counts: dict[str, int] = Field(description="How many components are at each level.")


class AssessmentOut(AssessmentSummaryOut):
    ratings: list[RatingOut] = Field(description="One for each component, in the guide's order.")


class LatestOut(Schema):
    organisation: int = Field(description="The organisation's id.")
    organisation_name: str
    latest: AssessmentOut | None = Field(
        description="The organisation's most recent assessment; null when it has none yet."
    )


class AssessmentFilter(Schema):
    organisation_id: int | None = Field(
        default=None, description="Only this organisation's assessments."
    )


class RatingIn(InputSchema):
    level: AssessmentLevel
    evidence: str = Field(
        default="",
        max_length=2000,
        description="What shows this, for example a policy, a plan or training records.",
    )
    owner: str = Field(
        default="", max_length=200, description="The person or team who looks after this."
    )


class AssessmentIn(InputSchema):
    organisation: int = Field(description="The id of an organisation in this partnership.")
    assessed_on: date = Field(description="The date of the assessment, YYYY-MM-DD; not later.")
    ratings: dict[str, RatingIn] = Field(
        description="A rating for every component, by its code (see GET "
        "/api/self-assessments/components)."
    )

    @field_validator("assessed_on", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(_("Enter the date of the assessment as YYYY-MM-DD, like 2026-03-27."))


def _language() -> str:
    return get_language() or "en"


def _summary(assessment: SelfAssessment, ratings: list[ComponentRating]) -> dict[str, Any]:
    counts = dict.fromkeys(AssessmentLevel.values, 0)
    for rating in ratings:
        counts[rating.level] = counts.get(rating.level, 0) + 1
    return {
        "id": assessment.pk,
        "organisation": assessment.organisation_id,
        "organisation_name": assessment.organisation.name,
        "assessed_on": assessment.assessed_on,
        "created_at": assessment.created_at,
        "counts": counts,
    }


def _full(assessment: SelfAssessment, ratings: list[ComponentRating]) -> dict[str, Any]:
    components = load_components()
    order = {c.code: i for i, c in enumerate(components)}
    titles = {c.code: c.title(_language()) for c in components}
    ordered = sorted(ratings, key=lambda r: (order.get(r.component_code, len(order)), r.pk))
    return _summary(assessment, ratings) | {
        "ratings": [
            {
                "component": r.component_code,
                "title": titles.get(r.component_code, ""),
                "level": r.level,
                "evidence": r.evidence,
                "owner": r.owner,
            }
            for r in ordered
        ]
    }


def _component(c: Component) -> dict[str, Any]:
    language = _language()
    return {
        "code": c.code,
        "group": c.group,
        "title": c.title(language),
        "caution": c.caution(language),
    }


def _assessments(request: HttpRequest) -> QuerySet[SelfAssessment]:
    m = _need(request, VIEW_PROGRAMMES)
    qs: QuerySet[SelfAssessment] = SelfAssessment.objects.for_partnership(
        m.partnership
    ).select_related("organisation")
    return qs


@router.get(
    "/components",
    summary="The components to rate",
    description="Table 1 of the guidance in its three groups, and the three YEF elements, in "
    "the order the pages show them. An assessment rates every one.",
    **_documented({200: list[ComponentOut]}, 401, 403),
)
def assessment_components(request: HttpRequest) -> Any:
    _need(request, VIEW_PROGRAMMES)
    return [_component(c) for c in load_components()]


@router.get(
    "",
    summary="List the self-assessments",
    description="Every assessment in the partnership, oldest first, with how many components "
    "are at each level. Give `organisation_id` for one organisation's history; another "
    "partnership's organisation answers 404.",
    **_documented({200: list[AssessmentSummaryOut]}, 401, 403, 404),
)
def assessment_list(request: HttpRequest, filters: Query[AssessmentFilter]) -> Any:
    m = _need(request, VIEW_PROGRAMMES)
    organisation = None
    if filters.organisation_id is not None:
        organisation = selectors.organisation_get(
            partnership=m.partnership, organisation_id=filters.organisation_id
        )
    rounds = selectors.rounds(partnership=m.partnership, organisation=organisation)
    return [_summary(r.assessment, list(r.ratings.values())) for r in rounds]


@router.get(
    "/latest",
    summary="Each organisation's latest self-assessment (the heatmap)",
    description="Every organisation in the partnership, by name, with its most recent "
    "assessment and that assessment's ratings; `latest` is null for an organisation that has "
    "not assessed itself yet.",
    **_documented({200: list[LatestOut]}, 401, 403),
)
def assessment_latest(request: HttpRequest) -> Any:
    m = _need(request, VIEW_PROGRAMMES)
    organisations = selectors.organisations(partnership=m.partnership)
    latest = selectors.latest_by_organisation(selectors.rounds(partnership=m.partnership))
    result = []
    for org in organisations:
        found = latest.get(org.pk)
        result.append(
            {
                "organisation": org.pk,
                "organisation_name": org.name,
                "latest": _full(found.assessment, list(found.ratings.values())) if found else None,
            }
        )
    return result


@router.get(
    "/{int:assessment_id}",
    summary="One self-assessment, with its component ratings",
    **_documented({200: AssessmentOut}, 401, 403, 404),
)
def assessment_detail(request: HttpRequest, assessment_id: int) -> Any:
    assessment = get_object_or_404(_assessments(request), pk=assessment_id)
    ratings = ComponentRating.objects.filter(
        assessment=assessment, partnership_id=assessment.partnership_id
    )
    return _full(assessment, list(ratings))


@router.post(
    "",
    summary="Record an organisation's self-assessment",
    description="A level for every component (see GET /api/self-assessments/components), "
    "with optional evidence and owner. Refused with 422, naming what to fix, when a component "
    "is missing or unknown, a level is not one of the four, the date is in the future or the "
    "organisation is not in this partnership. Nothing is saved unless all of it is right.",
    **_documented({201: AssessmentOut}, 400, 401, 403, 409, 422),
)
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Any:
    m = _need(request, ASSESS_ORGANISATIONS)
    organisation = (
        Organisation.objects.for_partnership(m.partnership).filter(pk=payload.organisation).first()
    )
    if organisation is None:
        raise ValidationError({"organisation": _("Choose an organisation in this partnership.")})
    language = _language()
    missing = {
        f"ratings.{c.code}": _("Choose a level for “%(title)s”") % {"title": c.title(language)}
        for c in load_components()
        if c.code not in payload.ratings
    }
    if missing:
        raise ValidationError(missing)
    try:
        assessment = services.assessment_record(
            partnership=m.partnership,
            organisation=organisation,
            assessed_on=payload.assessed_on,
            ratings={
                code: services.RatingInput(level=r.level, evidence=r.evidence, owner=r.owner)
                for code, r in payload.ratings.items()
            },
            by=m.user,
            via=VIA,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        # The service's messages name the problem; say which field it is in.
        future = payload.assessed_on > timezone.localdate()
        raise ValidationError({"assessed_on" if future else "ratings": exc.messages}) from exc
    ratings = ComponentRating.objects.filter(assessment=assessment)
    return Status(201, _full(assessment, list(ratings)))
