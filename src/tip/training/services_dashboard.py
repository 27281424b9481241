"""Changes to a programme's training targets: how many people to train, for a sector, an
organisation and/or a group of staff. Each change is audited; a refusal changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Organisation, Sector, User
from tip.programmes.models import Programme, WorkforceGroup
from tip.training.models_followups import TrainingTarget

# A ceiling well above any partnership's workforce, so a slip of the keyboard is caught.
MAX_PEOPLE = 100_000
FIELDS = ("sector", "organisation", "staff_group", "people")


def describe(*, sector: str, organisation: Organisation | None, staff_group: str) -> str:
    """The target's parts in words: "Police, Northshire Police, Senior leaders"; "Everyone"
    when it names none."""
    parts = []
    if sector:
        parts.append(str(Sector(sector).label))
    if organisation is not None:
        parts.append(organisation.name)
    if staff_group:
        parts.append(str(WorkforceGroup(staff_group).label))
    return ", ".join(parts) if parts else _("Everyone")


def describe_target(target: TrainingTarget) -> str:
    return describe(
        sector=target.sector, organisation=target.organisation, staff_group=target.staff_group
    )


def _clean(
    programme: Programme,
    *,
    sector: str,
    organisation: Organisation | None,
    staff_group: str,
    people: Any,
    exclude: int | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    sector, staff_group = (sector or "").strip(), (staff_group or "").strip()
    if sector and sector not in Sector.values:
        errors["sector"] = _("Choose one of the sectors, or any sector")
    if staff_group and staff_group not in WorkforceGroup.values:
        errors["staff_group"] = _("Choose one of the groups of staff, or any group")
    if organisation is not None and organisation.partnership_id != programme.partnership_id:
        errors["organisation"] = _("Choose one of the partnership's organisations")
    elif (
        organisation is not None
        and sector
        and "sector" not in errors
        and organisation.sector != sector
    ):
        errors["organisation"] = _(
            "%(organisation)s is in the %(its)s sector, not %(sector)s: choose another "
            "organisation, or any sector"
        ) % {
            "organisation": organisation.name,
            "its": Sector(organisation.sector).label,
            "sector": Sector(sector).label,
        }
    try:
        number = int(people)
    except (TypeError, ValueError):
        errors["people"] = _("Enter the number of people to train, such as 40")
    else:
        if number < 1:
            errors["people"] = _("The number of people to train must be 1 or more")
        elif number > MAX_PEOPLE:
            errors["people"] = _("The number of people to train must be %(max)s or fewer") % {
                "max": f"{MAX_PEOPLE:,}"
            }
    if errors:
        raise ValidationError(errors)
    same = TrainingTarget.objects.filter(
        programme=programme,
        partnership_id=programme.partnership_id,
        sector=sector,
        organisation=organisation,
        staff_group=staff_group,
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError(
            _(
                "The programme already has a target for %(target)s: change that one instead "
                "of adding another"
            )
            % {
                "target": describe(
                    sector=sector, organisation=organisation, staff_group=staff_group
                )
            }
        )
    return {
        "sector": sector,
        "organisation": organisation,
        "staff_group": staff_group,
        "people": number,
    }


def _lock(programme: Programme) -> None:
    """Take turns on the programme's row, so two people cannot add the same target at once."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()


def _audit(action: str, target: TrainingTarget, by: User, fields: Any, via: str) -> None:
    audit_change(
        actor=by,
        action=action,
        obj=target,
        partnership=target.partnership,
        changed_fields=fields,
        via=via,
    )


@transaction.atomic
def target_create(
    *,
    programme: Programme,
    sector: str = "",
    organisation: Organisation | None = None,
    staff_group: str = "",
    people: Any,
    by: User,
    via: str = "web",
) -> TrainingTarget:
    _lock(programme)
    values = _clean(
        programme,
        sector=sector,
        organisation=organisation,
        staff_group=staff_group,
        people=people,
        exclude=None,
    )
    target = TrainingTarget.objects.create(
        partnership_id=programme.partnership_id, programme=programme, **values
    )
    _audit(AuditAction.CREATE, target, by, ["programme", *FIELDS], via)
    return target


@transaction.atomic
def target_update(
    *,
    target: TrainingTarget,
    sector: str = "",
    organisation: Organisation | None = None,
    staff_group: str = "",
    people: Any,
    by: User,
    via: str = "web",
) -> TrainingTarget:
    _lock(target.programme)
    values = _clean(
        target.programme,
        sector=sector,
        organisation=organisation,
        staff_group=staff_group,
        people=people,
        exclude=target.pk,
    )
    changed = [
        name
        for name, value in values.items()
        if (target.organisation if name == "organisation" else getattr(target, name)) != value
    ]
    if changed:
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
        _audit(AuditAction.UPDATE, target, by, changed, via)
    return target


@transaction.atomic
def target_delete(*, target: TrainingTarget, by: User, via: str = "web") -> None:
    _audit(AuditAction.DELETE, target, by, [], via)
    target.delete()
