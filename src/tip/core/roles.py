"""Roles a membership carries, and what each role lets a person do.

Later apps add capabilities through `register_capability` instead of editing this table, so
`core` never imports them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNERSHIP_ADMIN = "partnership_admin", _("Partnership admin")
    PROGRAMME_LEAD = "programme_lead", _("Programme lead")
    TRAINER = "trainer", _("Trainer")
    EVALUATOR = "evaluator", _("Evaluator")
    CHAMPION = "champion", _("Champion")
    PRACTITIONER = "practitioner", _("Practitioner")
    AUDITOR = "auditor", _("Auditor")


# Roles that see or steer other people's records must confirm sign-in with a second factor.
TWO_FACTOR_ROLES = frozenset(
    {Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.EVALUATOR, Role.AUDITOR}
)


class Capability(models.TextChoices):
    VIEW_DASHBOARD = "view_dashboard", _("See the partnership dashboard")
    VIEW_ORGANISATIONS = "view_organisations", _("See the partner organisations")
    MANAGE_ORGANISATIONS = "manage_organisations", _("Add, change and remove organisations")
    VIEW_PEOPLE = "view_people", _("See the people in the partnership")
    MANAGE_PEOPLE = "manage_people", _("Add people, change their roles and remove them")
    VIEW_AUDIT = "view_audit", _("Search and export the audit log")


ALL_ROLES = frozenset(Role)

_CAPABILITY_ROLES: dict[str, frozenset[str]] = {
    Capability.VIEW_DASHBOARD: ALL_ROLES,
    Capability.VIEW_ORGANISATIONS: ALL_ROLES,
    Capability.MANAGE_ORGANISATIONS: frozenset({Role.PARTNERSHIP_ADMIN}),
    Capability.VIEW_PEOPLE: frozenset({Role.PARTNERSHIP_ADMIN, Role.PROGRAMME_LEAD, Role.AUDITOR}),
    Capability.MANAGE_PEOPLE: frozenset({Role.PARTNERSHIP_ADMIN}),
    Capability.VIEW_AUDIT: frozenset({Role.AUDITOR}),
}


_CAPABILITY_LABELS: dict[str, object] = {c.value: c.label for c in Capability}


def register_capability(code: str, roles: frozenset[str], label: object) -> None:
    """Extension point: a later app declares a capability, the roles that hold it and what it
    lets a person do (shown on the dashboard)."""
    if code in _CAPABILITY_ROLES and _CAPABILITY_ROLES[code] != roles:
        raise ValueError(f"Capability {code!r} is already registered with other roles.")
    _CAPABILITY_ROLES[code] = roles
    _CAPABILITY_LABELS[code] = label


def capability_labels(capabilities: frozenset[str]) -> list[str]:
    """What the capabilities let a person do, in registration order."""
    return [str(label) for code, label in _CAPABILITY_LABELS.items() if code in capabilities]


def roles_with(capability: str) -> frozenset[str]:
    return _CAPABILITY_ROLES.get(capability, frozenset())


def capabilities_of(roles: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset(code for code, holders in _CAPABILITY_ROLES.items() if holders & roles)


def needs_two_factor(roles: set[str] | frozenset[str]) -> bool:
    return bool(TWO_FACTOR_ROLES & roles)
