"""Writes to organisational self-assessments: one whole assessment at a time, all or nothing,
recorded in the audit log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Organisation, Partnership, User
from tip.programmes.components import component_codes
from tip.programmes.models_assessment import AssessmentLevel, ComponentRating, SelfAssessment


@dataclass(frozen=True)
class RatingInput:
    """What an organisation says about one component."""

    level: str
    evidence: str = ""
    owner: str = ""


@transaction.atomic
def assessment_record(
    *,
    partnership: Partnership,
    organisation: Organisation,
    assessed_on: datetime.date,
    ratings: dict[str, RatingInput],
    by: User,
    via: str = "web",
) -> SelfAssessment:
    """Record one round of an organisation's self-assessment: a level for every component.
    Nothing is saved unless the whole assessment is right."""
    if organisation.partnership_id != partnership.pk:
        raise ValidationError(_("Choose an organisation in this partnership."))
    if assessed_on > timezone.localdate():
        raise ValidationError(_("The date of the assessment cannot be in the future."))
    codes = component_codes()
    unknown = sorted(set(ratings) - set(codes))
    if unknown:
        raise ValidationError(
            _("These are not components of the self-assessment: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    missing = [code for code in codes if code not in ratings]
    if missing:
        raise ValidationError(_("Choose a level for every component."))
    levels = set(AssessmentLevel.values)
    if any(r.level not in levels for r in ratings.values()):
        raise ValidationError(_("Choose a level for every component."))

    assessment = SelfAssessment(
        partnership=partnership, organisation=organisation, assessed_on=assessed_on, completed_by=by
    )
    assessment.full_clean()
    assessment.save()
    rows = []
    for code in codes:
        rating = ratings[code]
        row = ComponentRating(
            partnership=partnership,
            assessment=assessment,
            component_code=code,
            level=rating.level,
            evidence=rating.evidence.strip(),
            owner=rating.owner.strip(),
        )
        row.full_clean(exclude=["assessment"], validate_unique=False)
        rows.append(row)
    ComponentRating.objects.bulk_create(rows)
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=assessment,
        partnership=partnership,
        changed_fields=["organisation", "assessed_on", *codes],
        via=via,
    )
    return assessment
