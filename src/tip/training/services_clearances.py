"""Changes to trainers' clearances, the settings that require them and the partnership's
planning figures (each validated and audited); and `trainer_clearance_problems`, the check that
training sessions call before a trainer is confirmed for a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.training import selectors_clearances as selectors
from tip.training.analysis.clearances import State, check_all
from tip.training.clearance_types import clearance_types
from tip.training.models_clearances import (
    Clearance,
    ClearancePlanning,
    ClearanceStatus,
    DeliverySetting,
    LeadTimeOverride,
    SettingKind,
)
from tip.training.models_providers import Trainer

LONDON = ZoneInfo("Europe/London")
CLEARANCE_FIELDS = ("clearance_type", "status", "applied_on", "issued_on", "expires_on")
SETTING_FIELDS = ("name", "kind", "required_clearances")


def london_today() -> date:
    """Today's date in England and Wales, whatever the server's clock zone."""
    return datetime.now(LONDON).date()


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# --- The check sessions call --------------------------------------------------------------------


@dataclass(frozen=True)
class ClearanceProblem:
    """A required clearance the trainer will not have on the date.

    `kind`: "missing" (neither held nor applied for), "applied" (not granted yet) or "expires"
    (granted, but expires before the date). `message` says so in the reader's language."""

    clearance_type: str
    kind: str
    message: str
    expires_on: date | None = None


def trainer_clearance_problems(
    *,
    trainer: Trainer,
    setting: DeliverySetting,
    on_date: date,
    lead_times: dict[str, int] | None = None,
) -> list[ClearanceProblem]:
    """What the trainer lacks to work in `setting` on `on_date`: each required clearance that
    is missing, only applied for, or expires before the date. Empty when they may work there.

    The extension point for training sessions: a session refuses to confirm a trainer for a
    setting while this returns anything, and shows the messages. A higher level covers a lower
    one (an enhanced DBS check with barred lists meets a requirement for an enhanced check).
    """
    if trainer.partnership_id != setting.partnership_id:
        raise ValueError("The trainer and the setting belong to different partnerships.")
    types = clearance_types()
    language = get_language() or "en"
    # Callers checking many trainers or days pass the partnership's lead times, read once.
    if lead_times is None:
        lead_times = selectors.lead_times(partnership=setting.partnership)
    requirements = selectors.requirements_of(setting, lead_times)
    held = selectors.held_of(list(trainer.clearances.all()))
    checks = check_all(
        [r for _t, r in requirements],
        held,
        needed_on=on_date,
        today=on_date,
        optimism_bias_percent=0,
    )
    problems = []
    for check in checks:
        name = types[check.code].name(language)
        values = {"trainer": trainer.name, "clearance": name, "date": _day(on_date)}
        if check.state is State.READY:
            continue
        if check.state is State.APPLIED:
            problems.append(
                ClearanceProblem(
                    check.code,
                    "applied",
                    _("%(trainer)s has applied for the %(clearance)s, but it is not granted yet.")
                    % values,
                )
            )
        elif check.state is State.EXPIRES and check.held and check.held.expires_on:
            values["expired"] = _day(check.held.expires_on)
            problems.append(
                ClearanceProblem(
                    check.code,
                    "expires",
                    _("%(trainer)s's %(clearance)s expires on %(expired)s, before %(date)s.")
                    % values,
                    check.held.expires_on,
                )
            )
        else:
            problems.append(
                ClearanceProblem(
                    check.code,
                    "missing",
                    _("%(trainer)s does not have the %(clearance)s needed in %(setting)s.")
                    % {**values, "setting": setting.name},
                )
            )
    return problems


# --- Clearances ---------------------------------------------------------------------------------


def _check_clearance(values: dict[str, Any], today: date) -> None:
    """Messages that name the problem and the dates involved."""
    errors: dict[str, str] = {}
    code, status = values.get("clearance_type"), values.get("status")
    applied, issued, expires = (
        values.get("applied_on"),
        values.get("issued_on"),
        values.get("expires_on"),
    )
    if code not in clearance_types():
        errors["clearance_type"] = _("Choose the type of clearance from the list")
    if status not in ClearanceStatus.values:
        errors["status"] = _("Choose whether the clearance is granted or applied for")
    if status == ClearanceStatus.APPLIED and applied is None:
        errors["applied_on"] = _("Enter the date the application was made")
    if status == ClearanceStatus.GRANTED and issued is None:
        errors["issued_on"] = _("Enter the date the clearance was issued")
    if applied is not None and applied > today:
        errors["applied_on"] = _("The date applied must be today or in the past")
    if issued is not None and issued > today:
        errors["issued_on"] = _("The date issued must be today or in the past")
    if applied is not None and issued is not None and issued < applied:
        errors["issued_on"] = _(
            "The date issued must be on or after the date applied (%(applied)s)"
        ) % {"applied": _day(applied)}
    if expires is not None and issued is not None and expires <= issued:
        errors["expires_on"] = _("The expiry date must be after the date issued (%(issued)s)") % {
            "issued": _day(issued)
        }
    if expires is not None and status == ClearanceStatus.APPLIED:
        errors["expires_on"] = _("Leave the expiry date empty until the clearance is granted")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def clearance_create(
    *,
    trainer: Trainer,
    clearance_type: str,
    status: str,
    applied_on: date | None = None,
    issued_on: date | None = None,
    expires_on: date | None = None,
    by: User,
    via: str = "web",
) -> Clearance:
    values = {
        "clearance_type": clearance_type,
        "status": status,
        "applied_on": applied_on,
        "issued_on": issued_on,
        "expires_on": expires_on,
    }
    _check_clearance(values, london_today())
    clearance = Clearance(partnership_id=trainer.partnership_id, trainer=trainer, **values)
    clearance.full_clean()
    clearance.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=clearance,
        partnership=trainer.partnership,
        changed_fields=CLEARANCE_FIELDS,
        via=via,
    )
    return clearance


@transaction.atomic
def clearance_update(
    *, clearance: Clearance, by: User, via: str = "web", **values: Any
) -> Clearance:
    unknown = set(values) - set(CLEARANCE_FIELDS)
    if unknown:
        raise ValueError(f"Not clearance fields: {sorted(unknown)}")
    merged = {f: values.get(f, getattr(clearance, f)) for f in CLEARANCE_FIELDS}
    _check_clearance(merged, london_today())
    changed = [f for f in CLEARANCE_FIELDS if getattr(clearance, f) != merged[f]]
    for f, v in merged.items():
        setattr(clearance, f, v)
    clearance.full_clean()
    clearance.save()
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=clearance,
            partnership=clearance.partnership,
            changed_fields=changed,
            via=via,
        )
    return clearance


@transaction.atomic
def clearance_delete(*, clearance: Clearance, by: User, via: str = "web") -> None:
    audit_change(
        actor=by,
        action=AuditAction.DELETE,
        obj=clearance,
        partnership=clearance.partnership,
        via=via,
    )
    clearance.delete()


# --- Settings -----------------------------------------------------------------------------------


def _check_setting(partnership: Partnership, values: dict[str, Any], exclude: int | None) -> None:
    errors: dict[str, str] = {}
    name = values["name"]
    if not name:
        errors["name"] = _("Enter the setting's name")
    elif (
        DeliverySetting.objects.for_partnership(partnership)
        .filter(name__iexact=name)
        .exclude(pk=exclude)
        .exists()
    ):
        errors["name"] = _(
            "A setting called '%(name)s' is already listed. Choose another name."
        ) % {"name": name}
    if values["kind"] not in SettingKind.values:
        errors["kind"] = _("Choose the kind of place")
    if any(code not in clearance_types() for code in values["required_clearances"]):
        errors["required_clearances"] = _("Choose clearances from the list")
    if errors:
        raise ValidationError(errors)


def _in_file_order(codes: list[str]) -> list[str]:
    return [code for code in clearance_types() if code in set(codes)]


@transaction.atomic
def setting_create(
    *,
    partnership: Partnership,
    name: str,
    kind: str,
    required_clearances: list[str],
    by: User,
    via: str = "web",
) -> DeliverySetting:
    values = {"name": name.strip(), "kind": kind, "required_clearances": required_clearances}
    _check_setting(partnership, values, None)
    values["required_clearances"] = _in_file_order(required_clearances)
    setting = DeliverySetting(partnership=partnership, **values)
    setting.full_clean()
    setting.save()
    audit_change(
        actor=by,
        action=AuditAction.CREATE,
        obj=setting,
        partnership=partnership,
        changed_fields=SETTING_FIELDS,
        via=via,
    )
    return setting


@transaction.atomic
def setting_update(
    *, setting: DeliverySetting, by: User, via: str = "web", **values: Any
) -> DeliverySetting:
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"Not setting fields: {sorted(unknown)}")
    merged = {f: values.get(f, getattr(setting, f)) for f in SETTING_FIELDS}
    merged["name"] = merged["name"].strip()
    _check_setting(setting.partnership, merged, setting.pk)
    merged["required_clearances"] = _in_file_order(merged["required_clearances"])
    changed = [f for f in SETTING_FIELDS if getattr(setting, f) != merged[f]]
    for f, v in merged.items():
        setattr(setting, f, v)
    setting.full_clean()
    setting.save()
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=setting,
            partnership=setting.partnership,
            changed_fields=changed,
            via=via,
        )
    return setting


@transaction.atomic
def setting_delete(*, setting: DeliverySetting, by: User, via: str = "web") -> None:
    audit_change(
        actor=by, action=AuditAction.DELETE, obj=setting, partnership=setting.partnership, via=via
    )
    setting.delete()


# --- Lead times and optimism bias ----------------------------------------------------------------


@transaction.atomic
def clearance_planning_set(
    *,
    partnership: Partnership,
    lead_times: dict[str, int | None],
    optimism_bias_percent: int,
    by: User,
    via: str = "web",
) -> None:
    """Set the partnership's lead time for each clearance type (None: back to the default) and
    its optimism-bias uplift. One audit entry for the lead times, one for the uplift, when
    they change."""
    types = clearance_types()
    errors: dict[str, str] = {}
    for code, days in lead_times.items():
        if code not in types:
            errors[code] = _("This is not a type of clearance")
        elif days is not None and not 1 <= days <= 730:
            errors[code] = _("Enter a lead time between 1 and 730 days for the %(clearance)s") % {
                "clearance": types[code].name(get_language() or "en")
            }
    if not 0 <= optimism_bias_percent <= 300:
        errors["optimism_bias_percent"] = _("Enter an uplift between 0 and 300 per cent")
    if errors:
        raise ValidationError(errors)

    overrides = {o.clearance_type: o for o in LeadTimeOverride.objects.for_partnership(partnership)}
    changed: list[str] = []
    for code, days in lead_times.items():
        row = overrides.get(code)
        if days is None or days == types[code].lead_time_days:
            if row is not None:
                row.delete()
                changed.append(code)
            continue
        if row is None:
            LeadTimeOverride.objects.create(
                partnership=partnership, clearance_type=code, lead_time_days=days
            )
            changed.append(code)
        elif row.lead_time_days != days:
            row.lead_time_days = days
            row.save(update_fields=["lead_time_days"])
            changed.append(code)
    if changed:
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            partnership=partnership,
            object_type="training.LeadTimeOverride",
            changed_fields=changed,
            via=via,
        )

    planning, _created = ClearancePlanning.objects.get_or_create(partnership=partnership)
    if planning.optimism_bias_percent != optimism_bias_percent or _created:
        planning.optimism_bias_percent = optimism_bias_percent
        planning.save()
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=planning,
            partnership=partnership,
            changed_fields=["optimism_bias_percent"],
            via=via,
        )
