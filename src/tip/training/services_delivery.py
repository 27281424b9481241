"""Writes to a partnership's delivery settings (docs/training-delivery-settings.md): how long an
offered place stays open, how long check-in requests are kept, when cascade trainers' observations
fall due and their certifications lapse, the days people are asked to re-confirm their place, and
how long before a follow-up is due its reminder goes.

``delivery_settings_set`` checks every value first and refuses them all together, each message
against its field and saying what to enter, so nothing is half-saved. It creates the
partnership's row the first time and audits it; later it saves and audits only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tip.core.audit import audit_change
from tip.core.models import AuditAction, Partnership, User
from tip.training.models_delivery import DeliverySettings
from tip.training.services_sessions import MAX_RECONFIRM_DAY

MAX_OFFER_HOURS = 336  # 14 days
MAX_RETENTION_DAYS = 90
MAX_OBSERVATION_DUE_DAYS = 730
MAX_LAPSE_DAYS = 1825  # 5 years
MAX_RECONFIRM_ASKS = 5
MAX_REMINDER_DAYS = 90

NUMBERS = (
    "offer_hours",
    "check_in_retention_days",
    "observation_due_days",
    "certification_lapses_days",
    "follow_up_reminder_days",
)
DAY_LISTS = ("reconfirm_days_virtual", "reconfirm_days_in_person", "reconfirm_days_hybrid")
FIELDS = NUMBERS + DAY_LISTS


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


def _in_range(value: Any, low: int, high: int) -> int | None:
    number = _whole(value)
    return number if number is not None and low <= number <= high else None


def _days(value: Any) -> list[int] | None:
    """A list of re-confirmation days, furthest first, or None when it is not one."""
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        return None
    days = [_whole(d) for d in value]
    if not days or any(d is None or not 1 <= d <= MAX_RECONFIRM_DAY for d in days):
        return None
    clean = sorted({d for d in days if d is not None}, reverse=True)
    return clean if len(clean) <= MAX_RECONFIRM_ASKS else None


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Every value checked; a ValidationError naming each wrong one, with what to enter."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    checks = (
        (
            "offer_hours",
            1,
            MAX_OFFER_HOURS,
            _(
                "Enter the hours to accept an offered place as a whole number between 1 and "
                "%(max)d (14 days)"
            ),
        ),
        (
            "check_in_retention_days",
            1,
            MAX_RETENTION_DAYS,
            _("Enter the days to keep check-in requests as a whole number between 1 and %(max)d"),
        ),
        (
            "observation_due_days",
            1,
            MAX_OBSERVATION_DUE_DAYS,
            _(
                "Enter the days after certification an observation is due as a whole number "
                "between 1 and %(max)d"
            ),
        ),
        (
            "certification_lapses_days",
            1,
            MAX_LAPSE_DAYS,
            _(
                "Enter the days after which a certification lapses as a whole number between 1 "
                "and %(max)d"
            ),
        ),
        (
            "follow_up_reminder_days",
            0,
            MAX_REMINDER_DAYS,
            _(
                "Enter the days before a follow-up is due to send its reminder as a whole number "
                "between 0 and %(max)d (0 sends no reminder)"
            ),
        ),
    )
    for name, low, high, message in checks:
        number = _in_range(values.get(name), low, high)
        if number is None:
            errors[name] = message % {"max": high}
        else:
            clean[name] = number
    due, lapse = clean.get("observation_due_days"), clean.get("certification_lapses_days")
    if due is not None and lapse is not None and lapse <= due:
        errors["certification_lapses_days"] = _(
            "A certification must lapse after its observation is due: enter more than %(due)d "
            "days (the days after certification an observation is due)"
        ) % {"due": due}
    formats = {
        "reconfirm_days_virtual": _("virtual sessions"),
        "reconfirm_days_in_person": _("in-person sessions"),
        "reconfirm_days_hybrid": _("hybrid sessions"),
    }
    for name, sessions in formats.items():
        days = _days(values.get(name))
        if days is None:
            errors[name] = _(
                "Enter the days before %(sessions)s to ask people to confirm, such as 7, 2: "
                "from 1 to %(asks)d numbers, each between 1 and %(max)d"
            ) % {"sessions": sessions, "asks": MAX_RECONFIRM_ASKS, "max": MAX_RECONFIRM_DAY}
        else:
            clean[name] = days
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def delivery_settings_set(
    *, partnership: Partnership, by: User, via: str = "web", **values: Any
) -> DeliverySettings:
    """Keep the partnership's delivery settings (any of ``FIELDS``; those not given stay as they
    are). Refused whole, with a message per wrong value; the first save creates the row, later
    ones change it, each audited with the fields it set."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise TypeError(f"Unknown delivery settings: {', '.join(unknown)}")
    row: DeliverySettings | None = (
        DeliverySettings.objects.select_for_update().filter(partnership=partnership).first()
    )
    current = row or DeliverySettings(partnership=partnership)
    clean = _clean({name: getattr(current, name) for name in FIELDS} | values)
    if row is None:
        row = DeliverySettings.objects.create(partnership=partnership, **clean)
        audit_change(
            actor=by,
            action=AuditAction.CREATE,
            obj=row,
            partnership=partnership,
            changed_fields=list(clean),
            via=via,
        )
        return row
    changed = [name for name, value in clean.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, clean[name])
        row.save(update_fields=[*changed, "updated_at"])
        audit_change(
            actor=by,
            action=AuditAction.UPDATE,
            obj=row,
            partnership=partnership,
            changed_fields=changed,
            via=via,
        )
    return row
